/*
 * sl_loadgen.h - what the load generator (`seatlock bench`, tui/bench/)
 * needs of the database beyond the box office's own calls: the text of
 * its generated venues and their seat labels, the planner statistics, the
 * notify mode, a listener's channel, the invariant counted in SQL, the
 * clean-up of a run, the plans of its statements (auto_explain) and the
 * booking script that pgbench runs.
 *
 * The bookings themselves go through sl_book_seats(), sl_book_cancel()
 * and sl_sell_best(), exactly as the box office's.  No process is spawned
 * here and nothing is printed.
 */
#ifndef SL_LOADGEN_H
#define SL_LOADGEN_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_err.h"
#include "sl_sbuf.h"

/* Seats per row of the generated venues (rows A..T of the standard
 * 1,000-seat venue). */
#define SL_LOADGEN_PER_ROW	50

/*
 * The layout text (sl_layout.h syntax) of a generated venue of nseats seats
 * in sections of rows of per_row seats, rows named A..Z, AA..; one section
 * when rows_per_section is 0 or the rows fit in one.  Caller frees.  NULL
 * when out of memory.
 */
char		*sl_loadgen_layout(const char *name, int64_t nseats, int per_row,
		    int rows_per_section);

/* The label of seat k of such a venue with a single section ("A1"...). */
void		sl_loadgen_label(int64_t k, int per_row, char *buf,
		    size_t bufsz);

/*
 * Brings the planner's statistics of seats, inventory and shows up to
 * date (ANALYZE), after a run has made its venue and shows: a new venue is
 * otherwise unknown to the statistics until autovacuum analyzes it.  A
 * role that does not own the tables gets a warning, and SL_OK.
 */
enum sl_rc	sl_loadgen_analyze(struct sl_db *db, struct sl_err *e);

/* The notify mode db's sessions use: seatlock.notify_mode, or
 * "per-commit" when unset; into buf. */
enum sl_rc	sl_loadgen_notify_mode(struct sl_db *db, char *buf,
		    size_t bufsz, struct sl_err *e);

/* Sends what the batched mode has queued (sl_notify_flush()). */
enum sl_rc	sl_loadgen_notify_flush(struct sl_db *db, struct sl_err *e);

/* LISTENs on db to the change channel of show (read the notifications
 * with sl_db_socket() and sl_db_notify_next()). */
enum sl_rc	sl_loadgen_listen(struct sl_db *db, int64_t show,
		    struct sl_err *e);

/* The client backends of db's database now (pg_stat_activity), the
 * caller's own included. */
enum sl_rc	sl_loadgen_backends(struct sl_db *db, int64_t *n,
		    struct sl_err *e);

/* The invariant over some shows, counted in SQL. */
struct sl_loadgen_check {
	int64_t	double_bookings;	/* seats with two active bookings */
	int64_t	state_mismatches;	/* states that disagree with them */
	int64_t	active_bookings;
};

enum sl_rc	sl_loadgen_check(struct sl_db *db, const int64_t *shows,
		    int64_t nshows, struct sl_loadgen_check *out,
		    struct sl_err *e);

/*
 * Deletes shows (their inventory, bookings, requests and change log) and
 * customers in one statement; the venue stays.  Slow on big data: no index
 * serves those deletes.  The audit trail keeps its rows.
 */
enum sl_rc	sl_loadgen_cleanup(struct sl_db *db, const int64_t *shows,
		    int64_t nshows, const int64_t *users, int64_t nusers,
		    struct sl_err *e);

/* Reads the states of a show's seats alone (no layout), as a terminal
 * that keeps its map reloads them; *n: how many. */
enum sl_rc	sl_loadgen_states(struct sl_db *db, int64_t show, int64_t *n,
		    struct sl_err *e);

/*
 * Turns on auto_explain for db's session: the plans of its statements
 * (ANALYZE, BUFFERS, the functions' nested statements too) are appended
 * to plans as they come, until db is closed.  LOAD needs a superuser.
 */
enum sl_rc	sl_loadgen_explain_on(struct sl_db *db, struct sl_sbuf *plans,
		    struct sl_err *e);

/* The "Seq Scan on" lines of plans, but the change log's (the notifier
 * reads all of it by design).  0 for NULL. */
int		sl_loadgen_seq_scans(const char *plans);

/*
 * pgbench's script of the spread scenario's booking: pgbench client c
 * books slots c * per, c * per + 1, ... of a random permutation (seed) of
 * the seats of shows, as one of users (by client), with a request key of
 * its own (tag).
 */
struct sl_loadgen_script {
	const int64_t	*shows;
	int64_t		 nshows;
	int64_t		 show_seats;	/* rows of SL_LOADGEN_PER_ROW seats */
	const int64_t	*users;
	int		 nusers;
	int64_t		 per;
	uint64_t	 seed;
	const char	*tag;
};

/* The script's text; caller frees.  NULL when out of memory. */
char		*sl_loadgen_pgbench_script(const struct sl_loadgen_script *s);

#endif
