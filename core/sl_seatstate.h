/*
 * sl_seatstate.h - re-reading the states of a few seats of a show, for the
 * live map: a notification names the seats that changed, and the box
 * office reads just those from the tables (a payload is never trusted for
 * the state itself) instead of reloading a venue of thousands of seats.
 */
#ifndef SL_SEATSTATE_H
#define SL_SEATSTATE_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"

#define SL_SEATSTATE_MAX	1000	/* seats per call */

/*
 * Reads the current state of the seats ids[0..n) of show, in one statement.
 * On SL_OK out_ids and out_states (each room for n entries) hold *nout
 * seats (those of the show; any other id is left out), in seat id order.
 * Errors: SL_EINVAL (n is 0 or above SL_SEATSTATE_MAX), SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_seatstate_read(struct sl_db *db, int64_t show,
		    const int64_t *ids, size_t n, int64_t *out_ids,
		    uint8_t *out_states, size_t *nout, struct sl_err *e);

#endif
