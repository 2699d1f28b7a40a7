/*
 * sl_money.h - amounts of money: the one parser and the one formatter.
 *
 * Money is integer cents of the configured currency (database.currency),
 * everywhere: in the database, in core and on the wire.  People type and
 * read decimal amounts ("12.50"); no floating point is ever involved.
 */
#ifndef SL_MONEY_H
#define SL_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "sl_err.h"

/* The largest amount accepted from a person: 100,000,000.00, in cents. */
#define SL_MONEY_MAX	10000000000LL

/* Room for any int64_t amount formatted with a currency code. */
#define SL_MONEY_BUF	48

/*
 * Reads an amount typed by a person: digits with up to two decimals
 * ("12", "0.5", "12.50", "10000.00"), 0 to SL_MONEY_MAX cents.  On SL_OK
 * *cents is set ("0.10" is exactly 10); else SL_EINVAL, *cents untouched,
 * and e says why, naming the amount what ("price", "float"; NULL:
 * "amount"): missing, negative, not an amount, more than 2 decimals, or
 * too large.
 */
enum sl_rc	sl_money_parse(const char *s, const char *what,
		    int64_t *cents, struct sl_err *e);

/*
 * Writes cents as "12.50" ("-2.50"), followed by " EUR" if currency is
 * not NULL, into buf (SL_MONEY_BUF bytes hold any amount).
 */
void		sl_money_format(int64_t cents, const char *currency,
		    char *buf, size_t bufsz);

#endif
