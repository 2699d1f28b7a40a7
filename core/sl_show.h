/*
 * sl_show.h - shows and their seats: listing, the seat map with states,
 * adding a show.
 */
#ifndef SL_SHOW_H
#define SL_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_parse.h"
#include "sl_zone.h"

enum sl_seat_state {
	SL_SEAT_AVAILABLE,
	SL_SEAT_HELD,
	SL_SEAT_BOOKED,
	SL_SEAT_BLOCKED,
};

struct sl_show {
	int64_t	 id;
	int64_t	 venue_id;
	char	*title;		/* owned by the struct */
	char	*venue;		/* owned by the struct */
	char	 starts_at[48];	/* ISO 8601 with offset */
	int64_t	 available;
	int64_t	 capacity;
	char	 on_sale[48];	/* the on-sale window, ISO 8601; "" = none */
	char	 off_sale[48];
};

/* A live hold or block of a show, as the seat map shows it. */
struct sl_seat_hold {
	int64_t	 id;
	int	 block;		/* a supervisor's named hold */
	char	*held_by;	/* the holding terminal's name */
	char	*reason;	/* a block's reason; NULL for a hold */
	char	 expires_at[48];	/* ISO 8601 with offset; "" = never */
};

struct sl_seat {
	int64_t		id;
	char		label[SL_LABEL_MAX + 1];
	char		row[21];
	int32_t		number;
	int32_t		x, y;		/* map position */
	uint16_t	section;	/* index into sl_seats.section */
	uint8_t		state;		/* enum sl_seat_state */
	uint8_t		accessible : 1, companion : 1, restricted : 1;
	int32_t		hold;		/* index into sl_seats.hold, or -1 */
	int32_t		zone;		/* index into sl_seats.zone, or -1 */
};

struct sl_seats {
	int64_t		 show;
	int64_t		 change_seq;	/* the show's sequence at load time */
	size_t		 n;
	struct sl_seat	*seat;		/* ordered by map position (y, x) */
	size_t		 nsections;
	char		**section;	/* section names, in order of appearance */
	size_t		 nholds;
	struct sl_seat_hold *hold;	/* live holds and blocks, by id */
	size_t		 nzones;
	struct sl_zone	*zone;		/* the show's zones, by code; their
					   seats field is 0 here */
};

/* The state's name as the command line prints it ("available", ...). */
const char	*sl_seat_state_name(enum sl_seat_state s);

/* Parses a state name; returns 0 and *out, or -1. */
int		sl_seat_state_parse(const char *s, enum sl_seat_state *out);

/*
 * All shows ordered by start time, with seats available.  On SL_OK *out
 * (free with sl_show_list_free) holds *n shows.
 */
enum sl_rc	sl_show_list(struct sl_db *db, struct sl_show **out, size_t *n,
		    struct sl_err *e);
void		sl_show_list_free(struct sl_show *v, size_t n);

/* One show; SL_ENOTFOUND if there is none.  Free out with
 * sl_show_list_free(out, 1). */
enum sl_rc	sl_show_get(struct sl_db *db, int64_t id, struct sl_show **out,
		    struct sl_err *e);

/*
 * The seats of a show with their current states and the show's change
 * sequence, read in one snapshot (a read-only REPEATABLE READ transaction:
 * not to be called inside a transaction).  A seat of a hold whose
 * time has run out is "available" (an expired hold never blocks a sale);
 * held and blocked seats point at their hold (who holds it, until when),
 * and every seat at its zone (price).  SL_ENOTFOUND if the show does not
 * exist.  Free with sl_seats_free.
 */
enum sl_rc	sl_show_seats(struct sl_db *db, int64_t show,
		    struct sl_seats **out, struct sl_err *e);
void		sl_seats_free(struct sl_seats *s);
/*
 * Whether the show's change sequence has reached seq and each of the n
 * seats ids is in state now (a hold run out counts as available): *yes 1
 * or 0.  What a listener checks before it believes a NOTIFY's payload,
 * which any login can send.  Errors: SL_ENOMEM, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_show_seats_are(struct sl_db *db, int64_t show,
		    const int64_t *ids, size_t n, enum sl_seat_state state,
		    int64_t seq, int *yes, struct sl_err *e);
/* The states of a show's seats without their layout (sl_show_states). */
struct sl_states {
	size_t		 n;
	int64_t		*id;		/* seat ids, in no order */
	uint8_t		*state;		/* enum sl_seat_state */
	int32_t		*zone;		/* index into the meta's zone, or -1 */
};

/*
 * The states alone, for a holder of the layout (a seat map) reloading
 * after a reconnect or a gap in the notifications: 13 bytes a seat instead
 * of a seat row, read through show_seat's key.  *meta gets the show's
 * holds, zones and change sequence (no seat rows: n is 0), in the same
 * snapshot; free it with sl_seats_free and out with sl_states_free.
 * Errors as sl_show_seats.
 */
enum sl_rc	sl_show_states(struct sl_db *db, int64_t show,
		    struct sl_seats **meta, struct sl_states *out,
		    struct sl_err *e);

/*
 * The states of n shows' seats (1 .. SL_SHOW_STATES_MANY; a show may come
 * twice), each as sl_show_states reads it, in a snapshot of its own, all
 * in one round trip: a pipeline of n read-only transactions run back to
 * back on the connection's backend, as a pooler runs the reloads of the
 * box offices queued for one server connection (seatlock bench --scenario
 * terminals).  A show of 2,048 seats or more is read again on its own.
 * All or nothing: on an error metas[] and out[] hold nothing.  On SL_OK
 * each metas[i] (sl_seats_free) and out[i] (sl_states_free) is the
 * caller's.
 */
#define SL_SHOW_STATES_MANY	64
enum sl_rc	sl_show_states_many(struct sl_db *db, const int64_t *shows,
		    size_t n, struct sl_seats **metas, struct sl_states *out,
		    struct sl_err *e);
void		sl_states_free(struct sl_states *st);

/*
 * Frees the seat rows of s (n becomes 0) and keeps the rest: the show's
 * holds, zones and sections, for a holder of a seat map (sl_seatmap) that
 * copied what it needs of each seat.  A 100,000-seat stadium's rows are
 * 9 MB.
 */
void		sl_seats_shed(struct sl_seats *s);

/*
 * Adds a show of venue starting at starts (any timestamptz input
 * PostgreSQL accepts, e.g. "2026-12-05 19:30").  *id is the new show.
 * Errors: SL_ENOTFOUND (venue), SL_EINVAL (title, time), SL_ECONFLICT
 * (the venue already has a show at that time).
 */
enum sl_rc	sl_show_add(struct sl_db *db, int64_t venue, const char *title,
		    const char *starts, int64_t *id, struct sl_err *e);

/*
 * Sets the on-sale window of show (a supervisor's): no sale or hold before
 * on_sale nor from off_sale on (SL_ECONFLICT, sqlstate
 * SL_SQLSTATE_OFF_SALE, saying when sales open or that they closed), and
 * every hold ends at off_sale at the latest.  Each is a time as
 * sl_show_add takes it, "" to clear it, or NULL to keep what is set.  On
 * SL_OK on_out and off_out (48 bytes each, may be NULL) get the window as
 * set, ISO 8601, "" for none.  Errors: SL_EINVAL (a time, or off_sale not
 * after on_sale), SL_ENOTFOUND (show), SL_ECONFLICT (not a supervisor,
 * sqlstate SL403), SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_show_set_window(struct sl_db *db, int64_t show,
		    const char *on_sale, const char *off_sale, char *on_out,
		    char *off_out, struct sl_err *e);

#endif
