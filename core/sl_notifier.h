/*
 * sl_notifier.h - the notifier of batched live push (sql/0008).
 *
 * In batched mode (seatlock.notify_mode = 'batched') a booking only appends
 * its change to the table show_change.  One notifier per database, elected
 * with a session advisory lock, runs sl_notify_flush() every few
 * milliseconds: it takes the committed changes, bumps each changed show's
 * change_seq once and sends one NOTIFY per show.  Any number of seatlock
 * processes may run a notifier: one leads, the others try the lock a few
 * times a second and take over within that time when the leader's
 * connection ends.
 *
 * The notifier has a connection of its own (never the listener's, which must
 * not run transactions).  Its commits are asynchronous
 * (synchronous_commit off): a crash loses nothing a listener needs, since
 * every listener reconnects and reloads afterwards.
 *
 * Two ways to drive it: sl_notifier_turn() from the caller's own loop, or
 * sl_notifier_start()/sl_notifier_stop() with a thread of its own.
 */
#ifndef SL_NOTIFIER_H
#define SL_NOTIFIER_H

#include <stdint.h>

#include "sl_config.h"
#include "sl_db.h"
#include "sl_err.h"

struct sl_notifier;

struct sl_notifier_stats {
	int64_t	rounds;		/* flushes run as leader */
	int64_t	sent;		/* notifications sent */
	int64_t	elections;	/* times this notifier became the leader */
	int64_t	failures;	/* failed turns (connection, SQL) */
	int64_t	round_us_sum;	/* time spent in rounds */
	int64_t	round_us_max;	/* the slowest round */
	int	leader;		/* holds the lock now */
	char	last_error[SL_ERR_MSG]; /* "" if none yet */
};

/*
 * A notifier using the connection settings of c (notify.interval_ms is the
 * time between two rounds).  It does not connect yet: sl_notifier_turn()
 * does, and reconnects after a loss with back-off.  *out is the caller's
 * (sl_notifier_close).  Errors: SL_ENOMEM.
 */
enum sl_rc	sl_notifier_open(const struct sl_config *c,
		    struct sl_notifier **out, struct sl_err *e);

/* Stops the thread if one runs, closes the connection (which releases the
 * leadership at once) and frees n.  NULL is allowed. */
void		sl_notifier_close(struct sl_notifier *n);

/*
 * One step, blocking for at most one statement: connects if needed, tries
 * to become the leader if it is not (at most every 250 ms), and as the
 * leader runs one round when its time has come.  *next_ms is how long the
 * caller may wait before the next call.  Errors: SL_ECONN (cannot connect or
 * connection lost; retried with back-off on the next calls), SL_EDB (the
 * round failed, e.g. migrations missing), SL_ENOMEM.  An error changes
 * nothing already sent.  Not to be mixed with sl_notifier_start().
 */
enum sl_rc	sl_notifier_turn(struct sl_notifier *n, int *next_ms,
		    struct sl_err *e);

/*
 * Runs sl_notifier_turn() in a thread of its own until sl_notifier_stop()
 * or sl_notifier_close(); errors are counted in the stats and retried.
 * Errors: SL_ENOMEM (no thread), SL_EINVAL (already running).
 */
enum sl_rc	sl_notifier_start(struct sl_notifier *n, struct sl_err *e);

/* Stops and joins the thread (if any); the connection stays open, and the
 * leadership with it, until sl_notifier_close(). */
void		sl_notifier_stop(struct sl_notifier *n);

/*
 * The notifier a long-running seatlock (the box office, the API) runs for
 * itself: if the mode in force on db (notify.mode, else the database's
 * seatlock.notify_mode) is "batched", a notifier with its own thread in
 * *out, a candidate for the leadership; else *out is NULL.  So batched
 * push needs no daemon of its own: while any box office runs, one of them
 * sends.  Errors: those of the query on db, SL_ENOMEM.
 */
enum sl_rc	sl_notifier_auto(const struct sl_config *c, struct sl_db *db,
		    struct sl_notifier **out, struct sl_err *e);

/* A consistent copy of the counters (safe while the thread runs). */
void		sl_notifier_stats(struct sl_notifier *n,
		    struct sl_notifier_stats *s);

/* The server process id of the notifier's connection, 0 if none. */
int		sl_notifier_backend_pid(struct sl_notifier *n);

#endif
