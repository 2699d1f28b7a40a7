/*
 * sl_money.c - reading and writing amounts of money.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sl_money.h"

#define SL_DIGITS	"0123456789"

enum sl_rc
sl_money_parse(const char *s, const char *what, int64_t *cents,
    struct sl_err *e)
{
	const char *p, *end;
	size_t nint, ndec = 0, i;
	int64_t units = 0, frac = 0;

	if (what == NULL)
		what = "amount";
	if (s == NULL || *s == '\0')
		return sl_err_set(e, SL_EINVAL,
		    "the %s is missing (an amount like 12.50)", what);
	p = s + (*s == '-');
	nint = strspn(p, SL_DIGITS);
	end = p + nint;
	if (*end == '.') {
		ndec = strspn(end + 1, SL_DIGITS);
		end += ndec + 1;
	}
	if (nint == 0 || end[-1] == '.' || *end != '\0')
		return sl_err_set(e, SL_EINVAL, "the %s \"%.40s\" is not an "
		    "amount (like 12 or 12.50)", what, s);
	if (p != s)
		return sl_err_set(e, SL_EINVAL, "the %s \"%.40s\" is negative: "
		    "an amount is 0 or more", what, s);
	if (ndec > 2)
		return sl_err_set(e, SL_EINVAL, "the %s \"%.40s\" has more than "
		    "2 decimals (like 12.50)", what, s);
	for (i = 0; i < nint; i++) {
		if (units > SL_MONEY_MAX / 100)
			break;
		units = units * 10 + (p[i] - '0');
	}
	for (i = 0; i < ndec; i++)
		frac = frac * 10 + (p[nint + 1 + i] - '0');
	if (ndec == 1)
		frac *= 10;
	if (units > SL_MONEY_MAX / 100 || units * 100 + frac > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "the %s \"%.40s\" is more than "
		    "%" PRId64 ".%02d", what, s, (int64_t)(SL_MONEY_MAX / 100),
		    (int)(SL_MONEY_MAX % 100));
	*cents = units * 100 + frac;
	return SL_OK;
}

void
sl_money_format(int64_t cents, const char *currency, char *buf, size_t bufsz)
{
	uint64_t a =
	    cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;

	snprintf(buf, bufsz, "%s%" PRIu64 ".%02u%s%s", cents < 0 ? "-" : "",
	    a / 100, (unsigned)(a % 100), currency != NULL ? " " : "",
	    currency != NULL ? currency : "");
}
