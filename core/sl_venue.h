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

/*
 * Loads the demo built into the binary (assets/demo): its venues and shows,
 * skipping what exists already, so a second run adds nothing.  *nvenues and
 * *nshows (may be NULL) count what this call added.
 */
enum sl_rc	sl_venue_demo(struct sl_db *db, int *nvenues, int *nshows,
		    struct sl_err *e);

#endif
