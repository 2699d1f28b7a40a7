/*
 * sl_parse.c - input checks shared by the command line, the TUI and the API.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sl_parse.h"

int
sl_parse_id(const char *s, int64_t *out)
{
	uint64_t v = 0;
	const char *p;

	if (s == NULL || *s < '1' || *s > '9')
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*out = (int64_t)v;
	return 0;
}

/*
 * Copies s to out made upper case (lower case if lower) if it is 1 to max
 * characters, each an ASCII letter, a digit or one of extra; out is
 * written only then.
 */
static int
sl_parse_code(const char *s, size_t max, const char *extra, int lower,
    char *out)
{
	char buf[64];
	size_t i;

	if (s == NULL || max >= sizeof buf)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= max || !isascii(c) ||
		    !(isalnum(c) || strchr(extra, c) != NULL))
			return -1;
		buf[i] = (char)(lower ? tolower(c) : toupper(c));
	}
	if (i == 0)
		return -1;
	buf[i] = '\0';
	memcpy(out, buf, i + 1);
	return 0;
}

int
sl_label_normalize(const char *s, char *out)
{
	return sl_parse_code(s, SL_LABEL_MAX, "-", 0, out);
}

int
sl_label_split(const char *label, char *row, int *number)
{
	size_t n = strlen(label), i = n;
	long v = 0;
	size_t k;

	while (i > 0 && isdigit((unsigned char)label[i - 1]))
		i--;
	if (i == n || n - i > 6 || n > SL_LABEL_MAX)
		return -1;
	for (k = i; k < n; k++)
		v = v * 10 + (label[k] - '0');
	memcpy(row, label, i);
	row[i] = '\0';
	*number = (int)v;
	return 0;
}

int
sl_label_range(const char *s, struct sl_label_range *r, const char **why)
{
	char buf[SL_LABEL_MAX + 1], row[SL_LABEL_MAX + 1], *dash, *p;
	const char *bad = "a range is a row and two seat numbers, e.g. A12-15";
	int from, to = 0;
	size_t nd;

	if (sl_label_normalize(s, buf) != 0 ||
	    (dash = strrchr(buf, '-')) == NULL || dash[1] == '\0' ||
	    strlen(dash + 1) > 6)
		goto fail;
	for (p = dash + 1; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			goto fail;
		to = to * 10 + (*p - '0');
	}
	*dash = '\0';
	if (sl_label_split(buf, row, &from) != 0)
		goto fail;
	if (to < from) {
		bad = "a range goes from the lower seat number to the higher, "
		    "e.g. A12-15";
		goto fail;
	}
	if (to - from >= SL_RANGE_MAX) {
		bad = "at most 20 seats in one range";
		goto fail;
	}
	nd = strlen(buf) - strlen(row);
	memcpy(r->row, row, sizeof r->row);
	r->from = from;
	r->to = to;
	r->width = nd > 1 && buf[strlen(row)] == '0' ? (int)nd : 0;
	return 0;
fail:
	if (why != NULL)
		*why = bad;
	return -1;
}

int
sl_label_range_label(const struct sl_label_range *r, int n, char *out)
{
	char buf[SL_LABEL_MAX + 16];
	int len;

	len = snprintf(buf, sizeof buf, "%s%0*d", r->row, r->width, n);
	if (len < 0 || (size_t)len > SL_LABEL_MAX)
		return -1;
	memcpy(out, buf, (size_t)len + 1);
	return 0;
}

/* Decodes one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t
sl_utf8_decode(const unsigned char *p, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

int
sl_text_valid(const char *s, size_t maxlen, const char **why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (s == NULL || *s == '\0') {
		*why = "must not be empty";
		return -1;
	}
	if (strlen(s) > maxlen) {
		*why = "is too long";
		return -1;
	}
	while (*p != '\0') {
		uint32_t cp;

		n = sl_utf8_decode(p, &cp);
		if (n == 0) {
			*why = "is not valid UTF-8";
			return -1;
		}
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			*why = "contains a control character";
			return -1;
		}
		if ((cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			*why = "contains a bidirectional override";
			return -1;
		}
		p += n;
	}
	return 0;
}

int
sl_email_valid(const char *s)
{
	const char *at, *p, *dot;
	size_t n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n < 3 || n > 254)
		return -1;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return -1;
	at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return -1;
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return -1;
	return 0;
}

int
sl_phone_valid(const char *s)
{
	size_t n, i, digits = 0;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n < 3 || n > 32)
		return -1;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (s[i] == '+' && i == 0)
			continue;
		else if (strchr(" ()./-", s[i]) == NULL)
			return -1;
	}
	return digits >= 3 ? 0 : -1;
}

int
sl_zone_code_normalize(const char *s, char *out)
{
	return sl_parse_code(s, SL_ZONE_MAX, "_-", 0, out);
}

int
sl_price_code_normalize(const char *s, char *out)
{
	return sl_parse_code(s, SL_PRICE_CODE_MAX, "_-", 1, out);
}
