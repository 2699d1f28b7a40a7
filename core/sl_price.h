/*
 * sl_price.h - price types of a show's zones.
 *
 * A zone of a show may sell at several prices, one a price type: a code
 * ("adult", "concession", "child": lower case), a name, a price in integer
 * cents of the configured currency, and at most one default type a zone.
 * A seat sold with no type sells at its zone's price (sl_zone.h).  Setting
 * price types needs a supervisor; anybody lists them.
 */
#ifndef SL_PRICE_H
#define SL_PRICE_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_money.h"
#include "sl_parse.h"

struct sl_price {
	char	 zone[SL_ZONE_MAX + 1];
	char	 code[SL_PRICE_CODE_MAX + 1];
	char	*name;		/* owned by the struct */
	int64_t	 price_cents;
	int	 is_default;	/* the zone's default type */
};

/*
 * Normalizes a price type code into out (SL_PRICE_CODE_MAX + 1 bytes):
 * SL_OK, or SL_EINVAL with the message a clerk reads.
 */
enum sl_rc	sl_price_code_check(const char *code, char *out,
		    struct sl_err *e);

/*
 * Defines price type code of zone of show, or changes it: name (NULL: the
 * one it has, or the code capitalised), price, and with is_default it
 * becomes the zone's default (the former default stops being one).
 * *created (may be NULL) is 1 for a new type, 0 for a changed one.
 * Errors: SL_ENOTFOUND (show, zone), SL_EINVAL, SL_ECONFLICT (not a
 * supervisor: e->sqlstate "SL403").
 */
enum sl_rc	sl_price_set(struct sl_db *db, int64_t show, const char *zone,
		    const char *code, const char *name, int64_t price_cents,
		    int is_default, int *created, struct sl_err *e);

/*
 * The price types of show: zones best rank first, each zone's types
 * dearest first.  On SL_OK *out (free with sl_price_list_free) holds *n
 * types.  SL_ENOTFOUND if the show does not exist.
 */
enum sl_rc	sl_price_list(struct sl_db *db, int64_t show,
		    struct sl_price **out, size_t *n, struct sl_err *e);
void		sl_price_list_free(struct sl_price *v, size_t n);

#endif
