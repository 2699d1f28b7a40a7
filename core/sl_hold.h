/*
 * sl_hold.h - holds and blocks.
 *
 * A hold keeps seats of a show for one terminal for a while (a clerk who is
 * choosing); no transaction stays open meanwhile.  Its terminal's name and
 * expiry are visible to every other terminal (sl_show_seats).  It ends when
 * it is released, turned into bookings (sl_sell_hold), or expires: an
 * expired hold never blocks a sale, with or without a sweep.
 *
 * A block is a named hold with a reason (house seats, production, kills):
 * only a supervisor (a superuser or a member of the seatlock_supervisor
 * role) makes, sells or releases one; it does not expire unless given a
 * time.  Refusals for want of a supervisor are SL_ECONFLICT with
 * e->sqlstate "SL403".
 *
 * Every change is published on the show's channel (held, blocked, released,
 * expired).
 */
#ifndef SL_HOLD_H
#define SL_HOLD_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_parse.h"

#define SL_REASON_MAX	200	/* bytes of a block's reason */
#define SL_BEST_MAX	50	/* seats of one best available */

struct sl_hold {
	int64_t	  id;
	int64_t	  show;
	int	  block;		/* a named hold */
	int	  expired;		/* its time has run out (not swept) */
	char	 *terminal;		/* the holding terminal */
	char	 *actor;		/* the database user who made it */
	char	 *reason;		/* NULL for a hold */
	char	  created_at[48];
	char	  expires_at[48];	/* "" = never */
	size_t	  nseats;
	char	(*label)[SL_LABEL_MAX + 1];	/* live seats, seat order */
};

/*
 * Holds the seats labels (normalized) of show for this connection's
 * terminal, all or none.  reason NULL: a hold for seconds (0: the
 * configured booking.hold_minutes).  reason not NULL: a block, for seconds
 * (0: until released).  On SL_OK *id is the hold and expires_at (if not
 * NULL, 48 bytes) its expiry in ISO 8601, "" for never.
 * Errors: SL_ECONFLICT (seats not available, listed in e->detail; or not a
 * supervisor), SL_ENOTFOUND (show, seats), SL_EINVAL, SL_EBUSY, SL_ECONN,
 * SL_EDB.
 */
enum sl_rc	sl_hold_seats(struct sl_db *db, int64_t show,
		    const char *const *labels, size_t nlabels, int64_t seconds,
		    const char *reason, int64_t *id, char *expires_at,
		    struct sl_err *e);

/*
 * Best available as a hold: holds the n (1..SL_BEST_MAX) best adjacent free seats
 * of show for this connection's terminal, for seconds (0: the configured
 * booking.hold_minutes), in zone (a code; NULL: the best zone that has n
 * together).  The seats are the ones sl_sell_best would book: the database
 * chooses and locks them (sql/functions/best.sql), one round trip, and no
 * lock outlives the call.  On SL_OK *id is the hold, expires_at (if not
 * NULL, 48 bytes) its expiry in ISO 8601, and labels[0..n) the seats, in
 * seat order.
 * Errors: SL_ECONFLICT (no n adjacent seats free), SL_ENOTFOUND (show,
 * zone), SL_EINVAL, SL_EBUSY, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_hold_best(struct sl_db *db, int64_t show, int n,
		    const char *zone, int64_t seconds, int64_t *id,
		    char *expires_at, char (*labels)[SL_LABEL_MAX + 1],
		    struct sl_err *e);

/*
 * Releases a hold or (as a supervisor) a block: its seats become
 * available.  A hold whose time had run out is ended all the same and
 * *expired set to 1.  show, nseats, expired may be NULL.
 * Errors: SL_ENOTFOUND (no such hold, or it has ended), SL_ECONFLICT (a
 * block, not a supervisor), SL_EBUSY, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_hold_release(struct sl_db *db, int64_t hold, int64_t *show,
		    int64_t *nseats, int *expired, struct sl_err *e);

/*
 * Changes hold (a live hold of this connection's terminal, not a block):
 * adds the seats add (normalized labels), takes out the seats drop, all or
 * none, and makes it expire seconds from now (0: booking.hold_minutes).  A
 * box office keeps its selection as one hold this way, never freeing a seat
 * it keeps.  A hold left without seats is released (*nseats 0, expires_at
 * "").  expires_at (48 bytes) and nseats may be NULL.
 * Errors: SL_ECONFLICT (a seat to add is not available, listed in
 * e->detail), SL_ENOTFOUND (no such live hold of this terminal, expired
 * too; a seat), SL_EINVAL, SL_EBUSY, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_hold_change(struct sl_db *db, int64_t hold,
		    const char *const *add, size_t nadd,
		    const char *const *drop, size_t ndrop, int64_t seconds,
		    char *expires_at, int64_t *nseats, struct sl_err *e);

/*
 * The live holds and blocks of show (expired ones too until swept, marked
 * expired), oldest first.  On SL_OK *out (free with sl_hold_list_free)
 * holds *n.  SL_ENOTFOUND if the show does not exist.
 */
enum sl_rc	sl_hold_list(struct sl_db *db, int64_t show,
		    struct sl_hold **out, size_t *n, struct sl_err *e);
void		sl_hold_list_free(struct sl_hold *v, size_t n);

/*
 * Ends the holds whose time has run out, of show (0: of every show): frees
 * their seats and publishes "expired".  Never waits for a lock.  *n (may
 * be NULL) is the number of holds ended.  A TUI may call it on its timer;
 * nothing depends on it.
 */
enum sl_rc	sl_hold_sweep(struct sl_db *db, int64_t show, int64_t *n,
		    struct sl_err *e);

/* Whether this connection's user is a supervisor: *yes 1 or 0. */
enum sl_rc	sl_hold_supervisor(struct sl_db *db, int *yes,
		    struct sl_err *e);

#endif
