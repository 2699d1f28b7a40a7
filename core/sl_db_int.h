/*
 * sl_db_int.h - for the database modules of core/ only.
 */
#ifndef SL_DB_INT_H
#define SL_DB_INT_H

#include <time.h>

#include <libpq-fe.h>

#include "sl_db.h"
#include "sl_retry.h"

/* The libpq connection of db (borrowed). */
PGconn		*sl_db_pg(struct sl_db *db);

/*
 * Classifies a result, as psql's AcceptResult does: NULL or an unexpected
 * status is an error, mapped through sl_rc_from_sqlstate(); a broken
 * connection is SL_ECONN whatever the SQLSTATE says.  Fills e with the
 * server's message, SQLSTATE and DETAIL.  Does not clear res.
 */
enum sl_rc	sl_db_result(struct sl_db *db, PGresult *res,
		    ExecStatusType want, struct sl_err *e);

/*
 * One statement with text parameters, then sl_db_result().  It runs in one
 * pipeline after the connection's timeouts, set for its transaction only:
 * one round trip, no session state but prepared statements on a connection
 * of our own (sl_db_params_stmt; safe behind a transaction pool).  On
 * SL_OK *out is the caller's (PQclear); on error it is cleared here.
 */
enum sl_rc	sl_db_params(struct sl_db *db, const char *sql, int nparams,
		    const char *const *params, ExecStatusType want,
		    PGresult **out, struct sl_err *e);

/*
 * A statement sent often (a booking): on a connection of our own it is
 * prepared once (named name, remembered in bit slot of the connection) and
 * then sent by name, sparing the server its parsing and planning; behind a
 * pooler (PgBouncer's transaction pooling has no prepared statements) its
 * text is sent as by sl_db_params.  Slots are fixed here, one per
 * statement.
 */
enum {
	SL_DB_SLOT_SETTINGS,	/* the settings sent with every statement */
	SL_DB_SLOT_BOOK,	/* sl_book (sl_book.c) */
};
struct sl_db_stmt {
	const char	*name;
	const char	*sql;
	int		 nparams;
	unsigned int	 slot;
};

/* sl_db_params of st, prepared where the connection allows. */
enum sl_rc	sl_db_params_stmt(struct sl_db *db,
		    const struct sl_db_stmt *st, const char *const *params,
		    ExecStatusType want, PGresult **out, struct sl_err *e);

/*
 * One statement of sl_db_read: its text, text parameters and the
 * status its answer must have; res is that answer on SL_OK (the caller's
 * to PQclear).
 */
struct sl_db_batch {
	const char		*sql;
	int			 nparams;
	const char *const	*params;
	ExecStatusType		 want;
	PGresult		*res;
};
#define SL_DB_BATCH_MAX	8

/*
 * Runs the n statements of b in one read-only transaction at REPEATABLE
 * READ (one snapshot for all of them), with the connection's timeouts set
 * for it: all in one pipeline up to one Sync, one round trip instead of
 * n + 2.  With commit non-zero the transaction is committed in the same
 * round trip; else it stays open for the caller's further statements
 * (sl_db_params) and its COMMIT or ROLLBACK.  The first error is the
 * result (every answer then cleared here; an open transaction is aborted:
 * ROLLBACK it).  At most SL_DB_BATCH_MAX statements.
 */
enum sl_rc	sl_db_read(struct sl_db *db, struct sl_db_batch *b, int n,
		    int commit, struct sl_err *e);

/*
 * count such reads, each committed (b[t * n .. t * n + n - 1] the n
 * statements of the t-th), sent one after the other in one pipeline: one
 * round trip for all, each its own transaction and snapshot, run back to
 * back on the connection's backend as a pooler runs the transactions of
 * the clients queued for one server connection.  All or nothing: on an
 * error every answer is cleared.
 */
enum sl_rc	sl_db_reads(struct sl_db *db, struct sl_db_batch *b, int n,
		    int count, struct sl_err *e);

/*
 * sl_db_params (want PGRES_TUPLES_OK) run again after a pause (sl_db_backoff)
 * on deadlocks and serialization failures, up to sl_db_retries times.  With
 * resend non-zero a lost connection too, after a longer pause and a
 * reconnect: only for statements that carry a request key, which the
 * server answers twice the same.  *out as for sl_db_params.
 */
enum sl_rc	sl_db_params_retry(struct sl_db *db, const char *sql,
		    int nparams, const char *const *params, int resend,
		    PGresult **out, struct sl_err *e);

/*
 * The text parameters of one statement, numbers formatted in place.  Fill
 * with sl_db_args; pass n and v to sl_db_params and friends.
 */
#define SL_DB_ARGS_MAX	8
struct sl_db_args {
	int		 n;
	const char	*v[SL_DB_ARGS_MAX];
	char		 num[SL_DB_ARGS_MAX][24];
};

/*
 * Appends one parameter for each character of fmt: 'i' an int64_t in
 * decimal; 'p' the same, but SQL NULL unless it is positive; 's' a string
 * (NULL for SQL NULL); 't' the terminal name of db (no argument); 'o'
 * "true" or "false", db's sale override (sl_db_set_override; no argument).
 */
void		sl_db_args(struct sl_db_args *a, const struct sl_db *db,
		    const char *fmt, ...);

/*
 * sl_db_query_value of a statement returning one bigint, with the
 * parameters a: *out (NULL: not wanted) on SL_OK; SL_EDB ("bad WHAT from
 * server") when the value is not one.
 */
enum sl_rc	sl_db_query_int(struct sl_db *db, const char *sql,
		    const struct sl_db_args *a, const char *what, int64_t *out,
		    struct sl_err *e);

/*
 * A list: its statement, and how each row of the result becomes an element
 * of an array.  One const table a list, beside its fill function.
 */
struct sl_db_map {
	const char	 *sql;		/* for sl_db_list, sl_db_show_list */
	size_t		  size;		/* bytes of an element */
	/* Fills the zeroed element v from row i: SL_OK, or the error (set
	 * in e).  ctx: see sl_db_map and sl_db_show_list. */
	enum sl_rc	(*fill)(void *v, PGresult *res, int i, const void *ctx,
			    struct sl_err *e);
	/* Frees what one element (zeroed ones too) points to; NULL: none. */
	void		(*clear)(void *v);
	/* Stores the array v in *out, the caller's typed pointer (C has
	 * no generic out-parameter). */
	void		(*set)(void *out, void *v);
};

/*
 * Maps rows 0..n-1 of res (not cleared) through m, passing ctx to its
 * fill, into a fresh array of n elements (one at least is allocated): on
 * SL_OK it is stored in out by m->set, the caller's (sl_db_free_list).  On
 * an error the array is freed here and out is not written.
 */
enum sl_rc	sl_db_map(PGresult *res, int n, const struct sl_db_map *m,
		    const void *ctx, void *out, struct sl_err *e);

/* sl_db_map of every row of res (not cleared); *nout the count. */
enum sl_rc	sl_db_rows(PGresult *res, const struct sl_db_map *m,
		    const void *ctx, void *out, size_t *nout, struct sl_err *e);

/*
 * Clears n elements (of size bytes each) of v with clear (when not NULL)
 * and frees v.  NULL v is allowed.
 */
void		sl_db_free_list(void *v, size_t n, size_t size,
		    void (*clear)(void *));

/*
 * sl_db_params of m->sql (want PGRES_TUPLES_OK), then sl_db_map of every
 * row: the one way the list functions of core/ read theirs.  *nout the
 * count.
 */
enum sl_rc	sl_db_list(struct sl_db *db, const struct sl_db_map *m,
		    int nparams, const char *const *params, void *out,
		    size_t *nout, struct sl_err *e);

/*
 * sl_db_list of a statement whose one parameter ($1) is show and whose
 * rows are the show's row LEFT JOINed to its items, so "no such show"
 * needs no second query: no row is SL_ENOTFOUND ("show N not found"), one
 * row with column 0 NULL an empty list.  m's fill gets &show as ctx.
 */
enum sl_rc	sl_db_show_list(struct sl_db *db, const struct sl_db_map *m,
		    int64_t show, void *out, size_t *nout, struct sl_err *e);

/*
 * sl_retry_run with the retries of db and sl_db_backoff as the pause: the
 * retry loop of every statement of core/.
 */
enum sl_rc	sl_db_retry(struct sl_db *db, sl_retry_fn *fn,
		    sl_retry_lost_fn *lost, void *arg);

/*
 * Pauses sl_retry_pause_ms(attempt) on db, with the connection's own seed,
 * so retrying clients spread out.  Returns -1 if the wait was interrupted
 * (sl_db_set_interrupt), else 0.
 */
int		sl_db_backoff(struct sl_db *db, int attempt);

/*
 * The libpq keywords and values of a SeatLock connection: dsn (expanded as
 * a connection string or URI; "" for libpq defaults and PG* variables),
 * then from c the connect timeout, TCP keepalives and user timeout (these
 * win over the same settings in the DSN), and application_name.
 * sl_db_connect and the listener of sl_notify both use it, so they always
 * reach the same database the same way.  The values point into ci, dsn and
 * appname: keep them while they are used.
 */
struct sl_db_conninfo {
	const char	*keys[12];
	const char	*vals[12];
	char		 num[5][24];
};
void		sl_db_conninfo(struct sl_db_conninfo *ci, const char *dsn,
		    const struct sl_config *c, const char *appname);

/* *ts = ms milliseconds from now on CLOCK_MONOTONIC: the deadline of a
 * pthread_cond_timedwait on a condition made for that clock. */
void		sl_db_deadline(struct timespec *ts, int ms);

/* Parses a bigint column value; -1 on garbage. */
int		sl_db_int64(const char *s, int64_t *out);

#endif
