/*
 * sl_db.h - a connection to the SeatLock database.
 *
 * struct sl_db is opaque: PGconn and PGresult never leave the database
 * modules of core/ (those include sl_db_int.h).  A connection is used by one
 * thread at a time.
 */
#ifndef SL_DB_H
#define SL_DB_H

#include <stdint.h>

#include "sl_config.h"
#include "sl_err.h"

struct sl_db;

/*
 * Connects with the DSN of sl_config_dsn(c) (application_name "seatlock")
 * and installs a notice processor (libpq never writes to the terminal).
 * The connection keeps no session state, so it may go through PgBouncer in
 * transaction pooling: lock_timeout, statement_timeout,
 * client_connection_check_interval and the notify mode of c are sent with
 * every statement, for its transaction only (see sl_db_params; sl_db_exec
 * sets them only inside a transaction block).  Only where the backend is
 * the connection's own (not behind a pooler) is the booking call prepared
 * (sl_db_params_stmt).  *out is the caller's, freed
 * by sl_db_close().  Errors: SL_ECONN (message from libpq), SL_ENOMEM.
 */
enum sl_rc	sl_db_connect(const struct sl_config *c, struct sl_db **out,
		    struct sl_err *e);

/* Closes and frees db; NULL is allowed. */
void		sl_db_close(struct sl_db *db);

/*
 * Splits a connection string (key=value pairs or a postgresql:// URI) into
 * the same without its password, as key='value' pairs, into rest (restsz
 * bytes), and the password into pw ("" when it has none): for a program
 * run with the DSN (pgbench), the password then travels in its
 * environment (PGPASSWORD), not on a command line anyone sees in ps.
 * SL_EINVAL when libpq cannot parse it or it does not fit.
 */
enum sl_rc	sl_db_dsn_split(const char *dsn, char *rest, size_t restsz,
		    char *pw, size_t pwsz, struct sl_err *e);

/*
 * Connections are made without blocking inside libpq: one deadline
 * (database.connect_timeout_s) covers the whole attempt, and TCP keepalives
 * and a user timeout (database.keepalives_*, tcp_user_timeout_ms) make a
 * dead server or network path show as SL_ECONN within seconds, whether the
 * connection is idle or waiting for an answer.
 */

/* Reconnects once, now (same settings).  SL_ECONN if not. */
enum sl_rc	sl_db_reset(struct sl_db *db, struct sl_err *e);

/*
 * Reconnects after a lost connection, retrying with back-off (0.1 s
 * doubling to 2 s, with jitter) for up to database.reconnect_timeout_s.
 * SL_ECONN if the server could not be reached by then, or if interrupted.
 */
enum sl_rc	sl_db_reconnect(struct sl_db *db, struct sl_err *e);

/*
 * Makes every wait of db - for an answer, a connection, a pause between
 * retries - also watch fd: once fd is readable the call gives up at once
 * with SL_ECONN ("interrupted"), dropping a connection that was waiting
 * for an answer (the outcome of that statement is unknown, as after any
 * lost connection), and every later call fails the same way.  The box
 * office passes a pipe that its SIGTERM and SIGHUP handlers write to, so
 * that it can exit within a moment whatever it was waiting for.  -1 (the
 * default) watches nothing and clears the interrupted state.
 */
void		sl_db_set_interrupt(struct sl_db *db, int fd);

/* Non-zero once a wait of db was interrupted (see above). */
int		sl_db_interrupted(const struct sl_db *db);

/* Sleeps ms milliseconds unless interrupted: 0, or -1 if interrupted. */
int		sl_db_sleep(struct sl_db *db, int ms);

/* Non-zero when the connection is up as far as libpq knows. */
int		sl_db_alive(const struct sl_db *db);

/* The terminal name used in the audit trail (config or host name). */
const char	*sl_db_terminal(const struct sl_db *db);

/* The number of retries for deadlocks and serialization failures. */
int		sl_db_retries(const struct sl_db *db);

/* The default length of a hold in seconds (booking.hold_minutes). */
int64_t		sl_db_hold_seconds(const struct sl_db *db);

/*
 * A supervisor's explicit choice (the command line's --override, the box
 * office's O key) to sell and hold outside a show's on-sale window: the
 * sales and holds made on db afterwards (sl_book_seats, sl_sell_*,
 * sl_sale_*, sl_hold_seats, sl_hold_change, sl_hold_best) carry it to the
 * server (the SQL functions' p_override) until it is set to 0 again.  The
 * server refuses it to anybody but a supervisor (SL_ECONFLICT, sqlstate
 * SL403), inside the window or not; being a supervisor without it never
 * bypasses the window.  The HTTP API never sets it.
 */
void		sl_db_set_override(struct sl_db *db, int on);
/* Is the override set (sl_db_set_override)? */
int		sl_db_override(const struct sl_db *db);

/* The currency of prices, e.g. "EUR" (booking.currency; borrowed). */
const char	*sl_db_currency(const struct sl_db *db);

/* The payment methods this terminal takes, space-separated, e.g. "cash
 * card" (booking.methods; borrowed).  "cash" is the one that gives change
 * and goes through a shift's drawer. */
const char	*sl_db_methods(const struct sl_db *db);

/* The server's process id of this connection (for tests and logs). */
int		sl_db_backend_pid(const struct sl_db *db);

/* Milliseconds on CLOCK_MONOTONIC: the one clock for deadlines, pauses and
 * timers, the library's and the programs'. */
int64_t		sl_db_now(void);

/* The log this connection writes to (its configuration's), or NULL. */
struct sl_log	*sl_db_log(const struct sl_db *db);

/* The last notice the server sent, or "" (borrowed until the next call). */
const char	*sl_db_last_notice(const struct sl_db *db);

/*
 * Runs a statement that returns nothing interesting, with no parameters
 * (for tests and tools: "TRUNCATE ...", or a script inside BEGIN/COMMIT).
 * The timeouts apply only inside a transaction block.  Errors classified
 * as everywhere.
 */
enum sl_rc	sl_db_exec(struct sl_db *db, const char *sql, struct sl_err *e);

/*
 * Runs a query with text parameters whose result is a single value (or no
 * row), copied into buf.  SL_ENOTFOUND when there is no row.
 */
enum sl_rc	sl_db_query_value(struct sl_db *db, const char *sql, int nparams,
		    const char *const *params, char *buf, size_t bufsz,
		    struct sl_err *e);

/*
 * Acts as role from now on (SET ROLE, through set_config so the name is a
 * parameter), also after sl_db_reset; NULL or "" goes back to the login
 * role.  Does nothing when role is the one set already.  The login role
 * must be a member of role.  Errors: SL_EINVAL (no such role or not a
 * member), SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_db_set_role(struct sl_db *db, const char *role,
		    struct sl_err *e);

/*
 * Notifications, for a connection that does nothing else (a listener never
 * runs a transaction).  sl_db_listen LISTENs on channel (quoted here);
 * sl_db_socket is the socket to poll() for reading (-1 if not connected);
 * sl_db_notify_next reads what arrived and hands out one notification:
 * *payload (caller frees with free()) or NULL when none is pending.
 * Errors: SL_ECONN (the connection is lost: notifications may be lost too,
 * so reconnect, listen, reload), SL_ENOMEM, SL_EDB.
 */
enum sl_rc	sl_db_listen(struct sl_db *db, const char *channel,
		    struct sl_err *e);
int		sl_db_socket(const struct sl_db *db);
enum sl_rc	sl_db_notify_next(struct sl_db *db, char **payload,
		    struct sl_err *e);

/* Fills buf with a fresh random request key (32 hex digits). */
void		sl_db_request_key(char *buf, size_t bufsz);

#endif
