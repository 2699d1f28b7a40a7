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
 * Connects with the DSN of sl_config_dsn(c) and installs a notice processor
 * (libpq never writes to the terminal).  The connection keeps no session
 * state, so it may go through PgBouncer in transaction pooling: the
 * lock_timeout and statement_timeout of c are sent with every statement,
 * for its transaction only (see sl_db_params; sl_db_exec sets them only
 * inside a transaction block).  *out is the caller's, freed by
 * sl_db_close().  Errors: SL_ECONN (message from libpq), SL_ENOMEM.
 */
enum sl_rc	sl_db_connect(const struct sl_config *c, struct sl_db **out,
		    struct sl_err *e);

/* Closes and frees db; NULL is allowed. */
void		sl_db_close(struct sl_db *db);

/* Reconnects after a lost connection (same settings).  SL_ECONN if not. */
enum sl_rc	sl_db_reset(struct sl_db *db, struct sl_err *e);

/* Non-zero when the connection is up as far as libpq knows. */
int		sl_db_alive(const struct sl_db *db);

/* The terminal name used in the audit trail (config or host name). */
const char	*sl_db_terminal(const struct sl_db *db);

/* The number of retries for deadlocks and serialization failures. */
int		sl_db_retries(const struct sl_db *db);

/* The server's process id of this connection (for tests and logs). */
int		sl_db_backend_pid(const struct sl_db *db);

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

/* Fills buf with a fresh random request key (32 hex digits). */
void		sl_db_request_key(char *buf, size_t bufsz);

#endif
