/*
 * sl_notifier.h - the notifier of live push (sql/functions/notify.sql).
 *
 * Every change of a show's seats is appended to the table show_change,
 * whatever the seller's notify.mode.  One notifier per database, elected
 * with the lease notifier_lease (migration 0017; only members of
 * seatlock_notifier and the owner may claim it), runs sl_notify_flush()
 * every few milliseconds: it takes the committed changes, bumps each
 * changed show's change_seq once and sends one NOTIFY per show.  Any number
 * of seatlock processes may run a notifier: one leads and renews the
 * lease's beat twice a second, the others try a few times a second and
 * take over when the beat is 3 s old or the leader's connection ended.  The
 * leader also ends clerks' sessions idle in a transaction for longer than
 * the setting idle_tx_limit_s (sl_notifier_reap).
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
	int	leader;		/* holds the lease now */
	int64_t	reaped;		/* idle clerk sessions ended */
	char	last_reaped[96];	/* "pid login" of the last one */
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
 * itself: if db's login may claim the lease (a member of seatlock_notifier,
 * or the owner) and c's notify.mode is not "off", a notifier with its own
 * thread in *out, a candidate for the leadership; else *out is NULL.  So
 * push needs no daemon of its own while a box office of such a login runs;
 * box offices of plain clerks rely on `seatlock notifier` elsewhere.
 * notify.mode "off" only keeps this process from being a candidate: the
 * changes are announced all the same.  Errors: those of the query on db,
 * SL_ENOMEM.
 */
enum sl_rc	sl_notifier_auto(const struct sl_config *c, struct sl_db *db,
		    struct sl_notifier **out, struct sl_err *e);

/*
 * How long ago (ms) any notifier last renewed the lease, read on db (a
 * clerk's connection may): -1 if none ever did.  A box office that sees it
 * grow says "not live".  Errors: those of the query.
 */
enum sl_rc	sl_notifier_beat_age(struct sl_db *db, int64_t *age_ms,
		    struct sl_err *e);

/* A consistent copy of the counters (safe while the thread runs). */
void		sl_notifier_stats(struct sl_notifier *n,
		    struct sl_notifier_stats *s);

/* The server process id of the notifier's connection, 0 if none. */
int		sl_notifier_backend_pid(struct sl_notifier *n);

#endif
