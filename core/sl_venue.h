/*
 * sl_venue.h - venues in the database: importing a layout, loading the demo.
 */
#ifndef SL_VENUE_H
#define SL_VENUE_H

#include <stdint.h>

#include "sl_db.h"
#include "sl_layout.h"

/*
 * Imports a parsed layout in one transaction: the venue and all its seats,
 * or nothing.  If a venue of that name exists: with reuse, *id is that venue
 * and *created 0; without, SL_ECONFLICT.  *created (may be NULL) is 1 when
 * a venue was written.
 */
enum sl_rc	sl_venue_import(struct sl_db *db, const struct sl_layout *l,
		    int reuse, int64_t *id, int *created, struct sl_err *e);

/* What one sl_venue_demo added. */
struct sl_demo_counts {
	int	venues;
	int	shows;
	int	zones;		/* price zones of demo shows */
	int	prices;		/* price types of their zones */
};

/*
 * Loads the demo built into the binary (assets/demo): its venues and
 * shows, the demo price zones of every demo show that has no zone, and
 * the demo price types on every zone of a demo show that has no price
 * type, skipping what exists already, so a second run adds nothing.
 * *n (may be NULL) counts what this call added.  Zones and prices need a
 * supervisor (SL_ECONFLICT otherwise), as adding shows does.
 */
enum sl_rc	sl_venue_demo(struct sl_db *db, struct sl_demo_counts *n,
		    struct sl_err *e);

#endif
