/*
 * sl_zone.h - price zones of a show.
 *
 * Every show has its own zones (a code, a name, a price in integer cents of
 * the configured currency, a rank: 1 is the best).  A seat of a show is in
 * at most one zone; a seat in none costs 0.  A booking records the price
 * of its seat at sale.  Setting and assigning zones needs a supervisor.
 */
#ifndef SL_ZONE_H
#define SL_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_money.h"
#include "sl_parse.h"

struct sl_zone {
	char	 code[SL_ZONE_MAX + 1];
	char	*name;		/* owned by the struct */
	int64_t	 price_cents;
	int32_t	 rank;		/* 1 is the best */
	int64_t	 seats;		/* seats of the show in the zone */
};


/*
 * Defines zone code (normalized) of show, or changes it: name (NULL: the
 * code, or the name it has), price, rank (0: keep it, or after the others
 * for a new zone).  Seats whose layout zone is code and that have no zone
 * in the show yet join it; *joined (may be NULL) is their number.
 * Errors: SL_ENOTFOUND (show), SL_EINVAL, SL_ECONFLICT (not a supervisor:
 * e->sqlstate "SL403").
 */
enum sl_rc	sl_zone_set(struct sl_db *db, int64_t show, const char *code,
		    const char *name, int64_t price_cents, int32_t rank,
		    int64_t *joined, struct sl_err *e);

/*
 * Puts seats of show into zone code: the labels (normalized) if nlabels >
 * 0, else every seat of section (and of row, if not NULL).  *n (may be
 * NULL) is the number of seats.  Errors: SL_ENOTFOUND (show, zone, seats,
 * section), SL_EINVAL, SL_ECONFLICT (not a supervisor), SL_EBUSY.
 */
enum sl_rc	sl_zone_assign(struct sl_db *db, int64_t show,
		    const char *code, const char *section, const char *row,
		    const char *const *labels, size_t nlabels, int64_t *n,
		    struct sl_err *e);

/*
 * The zones of show, best rank first, with their seat counts.  On SL_OK
 * *out (free with sl_zone_list_free) holds *n zones.  SL_ENOTFOUND if the
 * show does not exist.
 */
enum sl_rc	sl_zone_list(struct sl_db *db, int64_t show,
		    struct sl_zone **out, size_t *n, struct sl_err *e);
void		sl_zone_list_free(struct sl_zone *v, size_t n);

/*
 * Normalizes a zone code into zone (SL_ZONE_MAX + 1 bytes): SL_OK, or
 * SL_EINVAL with the message a clerk reads.
 */
enum sl_rc	sl_zone_code_check(const char *code, char *zone,
		    struct sl_err *e);

#endif
