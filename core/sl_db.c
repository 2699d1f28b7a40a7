/*
 * sl_db.c - connections, result classification, small query helpers.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_db_int.h"
#include "sl_log.h"

/* Pauses between reconnection attempts: doubling, with jitter. */
#define SL_DB_BACKOFF_MIN	100	/* ms */
#define SL_DB_BACKOFF_MAX	2000	/* ms */

/*
 * How often the server checks, while a statement of ours runs, that we are
 * still there: a box office that quit (or was killed) in the middle of a
 * booking that waits for a lock does not leave its backend waiting.
 */
#define SL_DB_CLIENT_CHECK	"500ms"

/*
 * The session settings travel with every statement instead of being set
 * once per connection: behind PgBouncer in transaction pooling a session
 * setting would land on one server connection, stay there for whichever
 * client gets it next, and miss the server connections this client's later
 * transactions run on.  Each statement is sent in one pipeline after a
 * set_config(..., true) of the settings and before one Sync, so both run in
 * one implicit transaction: one round trip, no session state.  notify.mode
 * "" keeps the database's own seatlock.notify_mode.
 */
#define SL_DB_SETTINGS_SQL \
	"SELECT set_config('lock_timeout', $1, true), " \
	"set_config('statement_timeout', $2, true), " \
	"set_config('client_connection_check_interval', $3, true), " \
	"CASE WHEN $4 <> '' THEN " \
	"set_config('seatlock.notify_mode', $4, true) END"

struct sl_db {
	PGconn		*pg;
	char		*dsn;
	struct sl_config cfg;		/* timeouts, keepalives, retries */
	char		 lock_timeout[32];	/* "2000ms": sent per statement */
	char		 statement_timeout[32];
	int		 intr_fd;	/* readable: give up waiting */
	int		 interrupted;
	unsigned int	 seed;
	char		 terminal[SL_CONFIG_STR];
	char		 notice[SL_ERR_MSG];
	char		 role[SL_ROLE_MAX + 1];	/* "" = the login role */
	int		 role_ok;	/* role is in effect on pg */
	int64_t		 hold_seconds;
	char		 currency[4];
	char		 methods[256];
	int		 override;	/* sl_db_set_override */
	int		 direct;	/* no pooler between: may prepare */
	unsigned int	 prepared;	/* bit n: statement slot n prepared */
};

/* The settings statement's name and slot, when prepared (sl_db_stmt). */
static const struct sl_db_stmt sl_db_settings_stmt = {
	"sl_settings", SL_DB_SETTINGS_SQL, 4, SL_DB_SLOT_SETTINGS
};

int64_t
sl_db_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits for events on fd (-1: none, a plain sleep) for at most timeout_ms
 * (-1: no limit), watching the interrupt descriptor as well.  Returns 1
 * when fd is ready, 0 on timeout, -1 when interrupted.
 */
static int
sl_db_wait(struct sl_db *db, int fd, short events, int timeout_ms)
{
	struct pollfd p[2];
	int64_t end = timeout_ms >= 0 ? sl_db_now() + timeout_ms : -1;
	nfds_t n = 0;
	int r, left = timeout_ms;

	if (db->interrupted)
		return -1;
	if (fd >= 0) {
		p[n].fd = fd;
		p[n].events = events;
		p[n++].revents = 0;
	}
	if (db->intr_fd >= 0) {
		p[n].fd = db->intr_fd;
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	for (;;) {
		r = poll(p, n, left);
		if (r >= 0 || errno != EINTR)
			break;
		/* A signal: its handler may just have made intr_fd
		 * readable; look again with the time that is left. */
		if (end >= 0) {
			left = (int)(end - sl_db_now());
			if (left < 0)
				left = 0;
		}
	}
	if (r < 0)
		return -1;
	if (db->intr_fd >= 0 && (p[n - 1].revents & (POLLIN | POLLHUP |
	    POLLERR | POLLNVAL)) != 0) {
		db->interrupted = 1;
		return -1;
	}
	return r > 0 ? 1 : 0;
}

static void
sl_db_notice(void *arg, const char *message)
{
	struct sl_db *db = arg;
	size_t n = strlen(message);

	/* Keep the last one for callers that show it; never print it. */
	if (n >= sizeof db->notice)
		n = sizeof db->notice - 1;
	memcpy(db->notice, message, n);
	while (n > 0 && db->notice[n - 1] == '\n')
		n--;
	db->notice[n] = '\0';
}

/* Copies a libpq message as one line: newlines and tabs become spaces. */
static void
sl_db_one_line(char *dst, size_t dstsz, const char *src)
{
	size_t n = 0;

	for (; *src != '\0' && n + 1 < dstsz; src++) {
		char c = (*src == '\n' || *src == '\t') ? ' ' : *src;

		if (c == ' ' && (n == 0 || dst[n - 1] == ' '))
			continue;
		dst[n++] = c;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

void
sl_db_conninfo(struct sl_db_conninfo *ci, const char *dsn,
    const struct sl_config *c, const char *appname)
{
	int i = 0;

	snprintf(ci->num[0], sizeof ci->num[0], "%" PRId64,
	    c->connect_timeout_s);
	snprintf(ci->num[1], sizeof ci->num[1], "%" PRId64,
	    c->keepalives_idle_s);
	snprintf(ci->num[2], sizeof ci->num[2], "%" PRId64,
	    c->keepalives_interval_s);
	snprintf(ci->num[3], sizeof ci->num[3], "%" PRId64,
	    c->keepalives_count);
	snprintf(ci->num[4], sizeof ci->num[4], "%" PRId64,
	    c->tcp_user_timeout_ms);
	if (dsn != NULL && dsn[0] != '\0') {
		/* expand_dbname: a DSN or URI; "" means libpq defaults and PG*
		 * variables. */
		ci->keys[i] = "dbname";
		ci->vals[i++] = dsn;
	}
	/* After the DSN, so the configuration's values win. */
	ci->keys[i] = "connect_timeout";
	ci->vals[i++] = ci->num[0];
	ci->keys[i] = "application_name";
	ci->vals[i++] = appname;
	/* A dead server or network path is noticed by TCP itself within
	 * seconds, whether the connection is idle (keepalive probes) or
	 * waits for data it sent to be acknowledged (user timeout).  libpq
	 * ignores these on unix sockets. */
	ci->keys[i] = "keepalives";
	ci->vals[i++] = "1";
	ci->keys[i] = "keepalives_idle";
	ci->vals[i++] = ci->num[1];
	ci->keys[i] = "keepalives_interval";
	ci->vals[i++] = ci->num[2];
	ci->keys[i] = "keepalives_count";
	ci->vals[i++] = ci->num[3];
	if (c->tcp_user_timeout_ms > 0) {
		ci->keys[i] = "tcp_user_timeout";
		ci->vals[i++] = ci->num[4];
	}
	ci->keys[i] = NULL;
	ci->vals[i] = NULL;
}

/* Fails the connection attempt under way with rc and a message. */
static enum sl_rc
sl_db_open_fail(struct sl_db *db, struct sl_err *e, const char *why)
{
	char msg[SL_ERR_MSG];

	if (why == NULL) {
		sl_db_one_line(msg, sizeof msg, PQerrorMessage(db->pg));
		why = msg;
	}
	PQfinish(db->pg);
	db->pg = NULL;
	sl_log(db->cfg.log, "database: cannot connect: %s", why);
	return sl_err_set(e, SL_ECONN, "cannot connect to the database: %s",
	    why);
}

/*
 * Whether the connection is ours alone, so that statements may be prepared
 * on it (sl_db_params_stmt).  PgBouncer answers a client's startup with a
 * cancel key of its own making, so the backend pid libpq was told is not
 * the pid of the server process that runs our statements; on a connection
 * of our own the two are the same.  Nothing else changes: the settings
 * still travel with every statement, no session state is set.
 */
static enum sl_rc
sl_db_settle(struct sl_db *db, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;
	int64_t pid;

	db->direct = 0;
	db->prepared = 0;
	rc = sl_db_params(db, "SELECT pg_backend_pid()", 0, NULL,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	db->direct = PQntuples(res) == 1 && sl_db_int64(PQgetvalue(res, 0, 0),
	    &pid) == 0 && pid == PQbackendPID(db->pg);
	PQclear(res);
	return SL_OK;
}

/*
 * Connects without blocking in libpq (PQconnectStartParams and
 * PQconnectPoll under poll()), so that the wait has one deadline for all
 * of it and the interrupt descriptor can end it at once.
 */
static enum sl_rc
sl_db_open(struct sl_db *db, struct sl_err *e)
{
	struct sl_db_conninfo ci;
	const char *params[1];
	PostgresPollingStatusType ps = PGRES_POLLING_WRITING;
	PGresult *res;
	enum sl_rc rc;
	int64_t deadline, left;
	int w;

	sl_db_conninfo(&ci, db->dsn, &db->cfg, "seatlock");
	db->pg = PQconnectStartParams(ci.keys, ci.vals, 1);
	if (db->pg == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	deadline = sl_db_now() + db->cfg.connect_timeout_s * 1000;
	for (;;) {
		if (PQstatus(db->pg) == CONNECTION_BAD ||
		    ps == PGRES_POLLING_FAILED)
			return sl_db_open_fail(db, e, NULL);
		if (ps == PGRES_POLLING_OK)
			break;
		/* As the libpq manual says: start as if PQconnectPoll had
		 * returned PGRES_POLLING_WRITING; the socket may change
		 * from host to host. */
		left = deadline - sl_db_now();
		w = sl_db_wait(db, PQsocket(db->pg),
		    ps == PGRES_POLLING_READING ? POLLIN : POLLOUT,
		    left > 0 ? (int)left : 0);
		if (w < 0)
			return sl_db_open_fail(db, e, "interrupted");
		if (w == 0)
			return sl_db_open_fail(db, e, "timed out");
		ps = PQconnectPoll(db->pg);
	}
	PQsetNoticeProcessor(db->pg, sl_db_notice, db);
	/* A reconnect must not fall back to the (wider) login role. */
	db->role_ok = db->role[0] == '\0';
	if (db->role[0] != '\0') {
		params[0] = db->role;
		rc = sl_db_params(db, "SELECT set_config('role', $1, false)", 1,
		    params, PGRES_TUPLES_OK, &res, e);
		if (rc != SL_OK) {
			PQfinish(db->pg);
			db->pg = NULL;
			return rc;
		}
		PQclear(res);
		db->role_ok = 1;
	}
	if ((rc = sl_db_settle(db, e)) != SL_OK) {
		if (db->pg != NULL)
			PQfinish(db->pg);
		db->pg = NULL;
		return rc;
	}
	sl_log(db->cfg.log, "database: connected (%s pid %d)", db->direct ?
	    "server" : "pooler's client", PQbackendPID(db->pg));
	return SL_OK;
}

enum sl_rc
sl_db_connect(const struct sl_config *c, struct sl_db **out, struct sl_err *e)
{
	struct sl_db *db;
	enum sl_rc rc;

	db = calloc(1, sizeof *db);
	if (db == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	db->dsn = strdup(sl_config_dsn(c));
	if (db->dsn == NULL) {
		free(db);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	db->cfg = *c;
	snprintf(db->lock_timeout, sizeof db->lock_timeout, "%" PRId64 "ms",
	    c->lock_timeout_ms);
	snprintf(db->statement_timeout, sizeof db->statement_timeout,
	    "%" PRId64 "ms", c->statement_timeout_ms);
	db->intr_fd = -1;
	db->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid() ^
	    (unsigned int)(uintptr_t)db;
	db->hold_seconds = c->hold_minutes * 60;
	memcpy(db->currency, c->currency, sizeof db->currency);
	memcpy(db->methods, c->methods, sizeof db->methods);
	if (c->terminal[0] != '\0')
		snprintf(db->terminal, sizeof db->terminal, "%s", c->terminal);
	else if (gethostname(db->terminal, sizeof db->terminal - 1) != 0)
		snprintf(db->terminal, sizeof db->terminal, "terminal");
	rc = sl_db_open(db, e);
	if (rc != SL_OK) {
		free(db->dsn);
		free(db);
		return rc;
	}
	*out = db;
	return SL_OK;
}

void
sl_db_close(struct sl_db *db)
{
	if (db == NULL)
		return;
	if (db->pg != NULL)
		PQfinish(db->pg);
	free(db->dsn);
	free(db);
}

enum sl_rc
sl_db_reset(struct sl_db *db, struct sl_err *e)
{
	if (db->pg != NULL) {
		PQfinish(db->pg);
		db->pg = NULL;
	}
	return sl_db_open(db, e);
}

enum sl_rc
sl_db_reconnect(struct sl_db *db, struct sl_err *e)
{
	int64_t end = sl_db_now() + db->cfg.reconnect_timeout_s * 1000;
	int backoff = SL_DB_BACKOFF_MIN, pause, tries;
	int64_t left;
	enum sl_rc rc;

	for (tries = 1;; tries++) {
		rc = sl_db_reset(db, e);
		if (rc == SL_OK) {
			if (tries > 1)
				sl_log(db->cfg.log, "database: reconnected after %d "
				    "attempts", tries);
			return SL_OK;
		}
		if (rc != SL_ECONN || db->interrupted)
			return rc;
		/* Half to all of the back-off, so that terminals that lost
		 * the server together do not all come back at once. */
		pause = sl_retry_jitter(&db->seed, backoff / 2, backoff);
		left = end - sl_db_now();
		if (left <= 0)
			return rc;
		/* The last attempt is at the deadline, not before it. */
		if (pause > left)
			pause = (int)left;
		if (sl_db_wait(db, -1, 0, pause) < 0)
			return sl_err_set(e, SL_ECONN, "interrupted");
		backoff = backoff * 2 > SL_DB_BACKOFF_MAX ? SL_DB_BACKOFF_MAX :
		    backoff * 2;
	}
}

int
sl_db_sleep(struct sl_db *db, int ms)
{
	return sl_db_wait(db, -1, 0, ms) < 0 ? -1 : 0;
}

int
sl_db_backoff(struct sl_db *db, int attempt)
{
	return sl_db_sleep(db, sl_retry_pause_ms(&db->seed, attempt));
}

static int
sl_db_retry_pause(void *ctx, int attempt)
{
	return sl_db_backoff(ctx, attempt);
}

enum sl_rc
sl_db_retry(struct sl_db *db, sl_retry_fn *fn, sl_retry_lost_fn *lost,
    void *arg)
{
	struct sl_retry r = { (int)db->cfg.retries, sl_db_retry_pause, db };

	return sl_retry_run(&r, fn, lost, arg);
}

/* One statement of sl_db_params_retry. */
struct sl_db_call {
	struct sl_db		*db;
	const char		*sql;
	int			 nparams;
	const char *const	*params;
	PGresult		**out;
	struct sl_err		*e;
};

static enum sl_rc
sl_db_call_once(void *arg, int attempt)
{
	struct sl_db_call *c = arg;

	(void)attempt;
	return sl_db_params(c->db, c->sql, c->nparams, c->params,
	    PGRES_TUPLES_OK, c->out, c->e);
}

/* Lost: reconnect after a longer pause and send it again. */
static int
sl_db_call_lost(void *arg, int attempt, enum sl_rc *rc)
{
	struct sl_db_call *c = arg;
	int retries = (int)c->db->cfg.retries;

	(void)rc;
	if (attempt >= retries || sl_db_backoff(c->db, attempt + 2) != 0)
		return 0;
	if (sl_db_reset(c->db, NULL) != SL_OK && attempt + 1 >= retries)
		return 0;
	return 1;
}

enum sl_rc
sl_db_params_retry(struct sl_db *db, const char *sql, int nparams,
    const char *const *params, int resend, PGresult **out, struct sl_err *e)
{
	struct sl_db_call c = { db, sql, nparams, params, out, e };

	return sl_db_retry(db, sl_db_call_once,
	    resend ? sl_db_call_lost : NULL, &c);
}

void
sl_db_set_interrupt(struct sl_db *db, int fd)
{
	db->intr_fd = fd;
	db->interrupted = 0;
}

int
sl_db_interrupted(const struct sl_db *db)
{
	return db->interrupted;
}

int
sl_db_alive(const struct sl_db *db)
{
	return db->pg != NULL && PQstatus(db->pg) == CONNECTION_OK;
}

const char *
sl_db_terminal(const struct sl_db *db)
{
	return db->terminal;
}

int
sl_db_retries(const struct sl_db *db)
{
	return (int)db->cfg.retries;
}

int64_t
sl_db_hold_seconds(const struct sl_db *db)
{
	return db->hold_seconds;
}

void
sl_db_set_override(struct sl_db *db, int on)
{
	db->override = on != 0;
}

int
sl_db_override(const struct sl_db *db)
{
	return db->override;
}

const char *
sl_db_currency(const struct sl_db *db)
{
	return db->currency;
}

const char *
sl_db_methods(const struct sl_db *db)
{
	return db->methods;
}

int
sl_db_backend_pid(const struct sl_db *db)
{
	return db->pg != NULL ? PQbackendPID(db->pg) : 0;
}

struct sl_log *
sl_db_log(const struct sl_db *db)
{
	return db->cfg.log;
}

const char *
sl_db_last_notice(const struct sl_db *db)
{
	return db->notice;
}

PGconn *
sl_db_pg(struct sl_db *db)
{
	return db->pg;
}

static void
sl_db_copy_field(char *dst, size_t dstsz, const char *src)
{
	size_t n;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strlen(src);
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

enum sl_rc
sl_db_result(struct sl_db *db, PGresult *res, ExecStatusType want,
    struct sl_err *e)
{
	const char *state, *msg;
	enum sl_rc rc;

	if (res != NULL && PQresultStatus(res) == want)
		return SL_OK;
	if (db->pg == NULL || PQstatus(db->pg) == CONNECTION_BAD) {
		msg = db->pg != NULL ? PQerrorMessage(db->pg) : "";
		rc = sl_err_set(e, SL_ECONN, "connection to the database lost");
		if (e != NULL && *msg != '\0')
			sl_db_copy_field(e->detail, sizeof e->detail, msg);
		return rc;
	}
	if (res == NULL)
		return sl_err_set(e, SL_ENOMEM, "%s", PQerrorMessage(db->pg));
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	if (state == NULL) {
		/* An unexpected but successful status is our bug. */
		if (PQresultStatus(res) != PGRES_FATAL_ERROR &&
		    PQresultStatus(res) != PGRES_NONFATAL_ERROR)
			return sl_err_set(e, SL_EDB,
			    "unexpected result status %s",
			    PQresStatus(PQresultStatus(res)));
		return sl_err_set(e, SL_ECONN, "%s",
		    msg != NULL ? msg : PQerrorMessage(db->pg));
	}
	rc = sl_rc_from_sqlstate(state);
	sl_err_set(e, rc, "%s", msg != NULL ? msg : "database error");
	if (e != NULL) {
		sl_db_copy_field(e->sqlstate, sizeof e->sqlstate, state);
		sl_db_copy_field(e->detail, sizeof e->detail,
		    PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
	}
	return rc;
}

/*
 * Waits in poll() (so the interrupt descriptor can end the wait) until
 * libpq holds a whole result, or the connection broke (PQgetResult then
 * says so without waiting).  0, or -1 when interrupted.
 */
static int
sl_db_await(struct sl_db *db)
{
	while (PQisBusy(db->pg)) {
		if (sl_db_wait(db, PQsocket(db->pg), POLLIN, -1) < 0)
			return -1;
		if (!PQconsumeInput(db->pg))
			break;
	}
	return 0;
}

/*
 * Collects the result of the query just sent, waiting in poll() (so the
 * interrupt descriptor can end the wait) rather than in libpq.  Returns
 * what PQexec would: the first error, else the last result; NULL if
 * interrupted, after dropping the connection (the statement's outcome is
 * then unknown, as after any lost connection).
 */
static PGresult *
sl_db_collect(struct sl_db *db)
{
	PGresult *res, *keep = NULL;

	for (;;) {
		if (sl_db_await(db) < 0) {
			PQclear(keep);
			PQfinish(db->pg);
			db->pg = NULL;
			return NULL;
		}
		res = PQgetResult(db->pg);
		if (res == NULL)
			break;
		if (keep != NULL && PQresultStatus(keep) == PGRES_FATAL_ERROR) {
			PQclear(res);
			continue;
		}
		PQclear(keep);
		keep = res;
	}
	return keep;
}

/* The result of a query that could not be run to its end. */
static enum sl_rc
sl_db_unsent(struct sl_db *db, struct sl_err *e)
{
	if (db->pg == NULL)
		return sl_err_set(e, SL_ECONN, db->interrupted ?
		    "interrupted" : "not connected to the database");
	return sl_db_result(db, NULL, PGRES_COMMAND_OK, e);
}

/* What a pipeline answered before its statement (sl_db_collect_pipeline). */
struct sl_db_pipe {
	int		 nprep;		/* Prepares sent first (0 .. 2) */
	int		 prepared;	/* of them answered done */
	PGresult	*set;		/* the settings' answer, or the first
					 * error before the statement */
};

/*
 * Collects a pipeline of p->nprep Prepares, the settings and one statement
 * up to its Sync, waiting in poll() like sl_db_collect.  p->set is the
 * settings' result (or a Prepare's error), the return value the
 * statement's (either may be NULL).  A connection that ends out of step
 * with the server is dropped (db->pg NULL).
 */
static PGresult *
sl_db_collect_pipeline(struct sl_db *db, struct sl_db_pipe *p)
{
	PGresult *r, *keep = NULL;
	int query = 0;

	p->set = NULL;
	p->prepared = 0;
	for (;;) {
		if (sl_db_await(db) < 0)
			goto drop;
		r = PQgetResult(db->pg);
		if (r == NULL) {
			/* Prepares, settings, statement, and an error of the
			 * Sync's commit: each ends with a NULL. */
			if (PQstatus(db->pg) == CONNECTION_BAD ||
			    ++query > p->nprep + 3)
				goto drop;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			PQexitPipelineMode(db->pg);
			return keep;
		}
		if (query < p->nprep && PQresultStatus(r) == PGRES_COMMAND_OK) {
			p->prepared++;
			PQclear(r);
		} else if (query <= p->nprep && p->set == NULL)
			p->set = r;
		else if (query == p->nprep + 1 && keep == NULL)
			keep = r;
		else if (PQresultStatus(r) == PGRES_FATAL_ERROR &&
		    (keep == NULL || PQresultStatus(keep) != PGRES_FATAL_ERROR)) {
			/* The implicit transaction commits at the Sync, after
			 * the statement's answer: an error there (a deferred
			 * check, the server going away) is the outcome. */
			PQclear(keep);
			keep = r;
		} else
			PQclear(r);
	}
drop:
	/* Gone before the Sync's answer: the statement's answer came before
	 * the commit, so whether it committed is unknown - never report it
	 * as done (callers retry by request key or say so). */
	if (keep != NULL && PQresultStatus(keep) != PGRES_FATAL_ERROR) {
		PQclear(keep);
		keep = NULL;
	}
	if (PQstatus(db->pg) != CONNECTION_BAD) {
		/* Interrupted, or out of step with the server: never read the
		 * next answers as this one's; callers reconnect. */
		PQclear(keep);
		PQclear(p->set);
		p->set = NULL;
		PQfinish(db->pg);
		db->pg = NULL;
		return NULL;
	}
	return keep;
}

/*
 * Queues the settings and st by name, each prepared first in the same
 * pipeline unless it is prepared already on this connection: the text
 * travels once, with the first call (one round trip all the same).
 */
static int
sl_db_send_prepared(struct sl_db *db, const struct sl_db_stmt *st,
    const char *const *settings, const char *const *params,
    struct sl_db_pipe *p)
{
	const struct sl_db_stmt *both[2] = { &sl_db_settings_stmt, st };
	int i;

	for (i = 0; i < 2; i++) {
		if (db->prepared & (1u << both[i]->slot))
			continue;
		if (!PQsendPrepare(db->pg, both[i]->name, both[i]->sql,
		    both[i]->nparams, NULL))
			return 0;
		p->nprep++;
	}
	return PQsendQueryPrepared(db->pg, sl_db_settings_stmt.name, 4,
	    settings, NULL, NULL, 0) &&
	    PQsendQueryPrepared(db->pg, st->name, st->nparams, params, NULL,
	    NULL, 0);
}

/*
 * Sends the settings and one statement in a pipeline up to its Sync, as
 * prepared statements when prep is non-zero (sl_db_params_stmt), and
 * classifies the answer.
 */
static enum sl_rc
sl_db_pipeline(struct sl_db *db, const struct sl_db_stmt *st, int prep,
    const char *const *params, ExecStatusType want, PGresult **out,
    struct sl_err *e)
{
	const char *settings[4] = { db->lock_timeout, db->statement_timeout,
		SL_DB_CLIENT_CHECK, db->cfg.notify_mode };
	struct sl_db_pipe p = { 0, 0, NULL };
	PGresult *res;
	enum sl_rc rc;
	int sent;

	if (db->pg == NULL || db->interrupted)
		return sl_db_unsent(db, e);
	sent = PQenterPipelineMode(db->pg);
	if (sent && prep)
		sent = sl_db_send_prepared(db, st, settings, params, &p);
	else if (sent)
		sent = PQsendQueryParams(db->pg, SL_DB_SETTINGS_SQL, 4, NULL,
		    settings, NULL, NULL, 0) &&
		    PQsendQueryParams(db->pg, st->sql, st->nparams, NULL, params,
		    NULL, NULL, 0);
	if (!sent || !PQpipelineSync(db->pg)) {
		if (PQpipelineStatus(db->pg) != PQ_PIPELINE_OFF)
			PQexitPipelineMode(db->pg);
		return sl_db_unsent(db, e);
	}
	res = sl_db_collect_pipeline(db, &p);
	if (db->pg == NULL)
		return sl_db_unsent(db, e);
	if (prep && p.nprep > 0 && p.prepared == p.nprep)
		db->prepared |= 1u << sl_db_settings_stmt.slot | 1u << st->slot;
	/* The first error is the one that matters: after a failed
	 * set_config the statement only says "pipeline aborted". */
	rc = sl_db_result(db, p.set, PGRES_TUPLES_OK, e);
	PQclear(p.set);
	if (rc == SL_OK)
		rc = sl_db_result(db, res, want, e);
	if (rc != SL_OK) {
		PQclear(res);
		return rc;
	}
	*out = res;
	return SL_OK;
}

enum sl_rc
sl_db_params(struct sl_db *db, const char *sql, int nparams,
    const char *const *params, ExecStatusType want, PGresult **out,
    struct sl_err *e)
{
	const struct sl_db_stmt st = { NULL, sql, nparams, 0 };

	return sl_db_pipeline(db, &st, 0, params, want, out, e);
}

#define SL_DB_BEGIN_READ \
	"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/*
 * Collects the answers of n queries of a pipeline up to their Sync into
 * got[0 .. n - 1], each query's first result (an error of the Sync's
 * commit, when one comes, in got[n]); at the pipeline's last Sync (last
 * non-zero) it leaves pipeline mode.  0, or -1 when the connection was
 * lost or dropped out of step with the server (the answers cleared).
 */
static int
sl_db_collect_batch(struct sl_db *db, PGresult **got, int n, int last)
{
	PGresult *r;
	int q = 0, i;

	for (;;) {
		if (sl_db_await(db) < 0)
			goto drop;
		r = PQgetResult(db->pg);
		if (r == NULL) {
			/* Each query's answer ends with a NULL, and so does
			 * an error of the Sync's commit. */
			if (PQstatus(db->pg) == CONNECTION_BAD || ++q > n + 1)
				goto drop;
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			if (last)
				PQexitPipelineMode(db->pg);
			return 0;
		}
		if (q <= n && got[q] == NULL)
			got[q] = r;
		else
			PQclear(r);
	}
drop:
	for (i = 0; i <= n; i++) {
		PQclear(got[i]);
		got[i] = NULL;
	}
	if (PQstatus(db->pg) != CONNECTION_BAD) {
		/* Interrupted, or out of step: never read the next answers as
		 * these; callers reconnect. */
		PQfinish(db->pg);
		db->pg = NULL;
	}
	return -1;
}

/* Queues BEGIN, the settings, the statements of b, maybe COMMIT and a
 * Sync (one transaction of sl_db_read or sl_db_reads; pipeline mode
 * entered).  0, or -1: not sent. */
static int
sl_db_send_read(struct sl_db *db, const struct sl_db_batch *b, int n,
    int commit)
{
	const char *settings[4] = { db->lock_timeout, db->statement_timeout,
		SL_DB_CLIENT_CHECK, db->cfg.notify_mode };
	int i, sent;

	/* BEGIN first: an isolation level is set before any query. */
	sent = PQsendQueryParams(db->pg, SL_DB_BEGIN_READ, 0, NULL, NULL, NULL,
	    NULL, 0) &&
	    PQsendQueryParams(db->pg, SL_DB_SETTINGS_SQL, 4, NULL, settings,
	    NULL, NULL, 0);
	for (i = 0; sent && i < n; i++)
		sent = PQsendQueryParams(db->pg, b[i].sql, b[i].nparams, NULL,
		    b[i].params, NULL, NULL, 0);
	if (sent && commit)
		sent = PQsendQueryParams(db->pg, "COMMIT", 0, NULL, NULL, NULL,
		    NULL, 0);
	return sent && PQpipelineSync(db->pg) ? 0 : -1;
}

/*
 * The answers got[0 .. q] of one transaction of sl_db_send_read (q its
 * queries) checked: the statements' answers into b on SL_OK, the rest
 * cleared.  The first error is the one that matters: those after it only
 * say "pipeline aborted".  Nothing comes after the last query (no implicit
 * commit at the Sync: the transaction is explicit).
 */
static enum sl_rc
sl_db_read_check(struct sl_db *db, PGresult **got, int q,
    struct sl_db_batch *b, int n, struct sl_err *e)
{
	ExecStatusType want;
	enum sl_rc rc = SL_OK;
	int i;

	for (i = 0; rc == SL_OK && i <= q; i++) {
		want = i == 0 || i >= n + 2 ? PGRES_COMMAND_OK :
		    i == 1 ? PGRES_TUPLES_OK : b[i - 2].want;
		if (i < q || got[i] != NULL)
			rc = sl_db_result(db, got[i], want, e);
	}
	for (i = 0; i <= q; i++) {
		if (rc == SL_OK && i >= 2 && i < n + 2)
			b[i - 2].res = got[i];
		else
			PQclear(got[i]);
		got[i] = NULL;
	}
	return rc;
}

/*
 * count transactions of n statements each (b[t * n ...]), each with its
 * own Sync, in one pipeline; with commit zero (count 1) the transaction
 * stays open.  All or nothing: on an error every answer is cleared and no
 * transaction stays open when commit was asked for.
 */
static enum sl_rc
sl_db_read_pipe(struct sl_db *db, struct sl_db_batch *b, int n, int count,
    int commit, struct sl_err *e)
{
	PGresult *got[SL_DB_BATCH_MAX + 4] = { NULL };
	enum sl_rc rc = SL_OK;
	int t, i, q = n + 2 + (commit != 0), sent;

	if (n < 1 || n > SL_DB_BATCH_MAX || count < 1 ||
	    (count > 1 && !commit))
		return sl_err_set(e, SL_EINVAL, "a batch of %d x %d statements",
		    count, n);
	if (db->pg == NULL || db->interrupted)
		return sl_db_unsent(db, e);
	for (t = 0; t < count * n; t++)
		b[t].res = NULL;
	sent = PQenterPipelineMode(db->pg);
	for (t = 0; sent && t < count; t++)
		sent = sl_db_send_read(db, b + t * n, n, commit) == 0;
	if (!sent) {
		/* Half a pipeline sent: out of step with the server. */
		if (PQstatus(db->pg) != CONNECTION_BAD) {
			PQfinish(db->pg);
			db->pg = NULL;
		}
		return sl_db_unsent(db, e);
	}
	for (t = 0; t < count; t++) {
		if (sl_db_collect_batch(db, got, q, t == count - 1) != 0) {
			rc = sl_db_unsent(db, e);
			break;
		}
		if (rc == SL_OK) {
			rc = sl_db_read_check(db, got, q, b + t * n, n, e);
			continue;
		}
		for (i = 0; i <= q; i++) {
			PQclear(got[i]);
			got[i] = NULL;
		}
	}
	for (t = 0; rc != SL_OK && t < count * n; t++) {
		PQclear(b[t].res);
		b[t].res = NULL;
	}
	/* An error before a COMMIT skipped it: nothing stays open. */
	if (rc != SL_OK && commit && db->pg != NULL &&
	    PQstatus(db->pg) == CONNECTION_OK &&
	    PQtransactionStatus(db->pg) != PQTRANS_IDLE)
		sl_db_exec(db, "ROLLBACK", NULL);
	return rc;
}

enum sl_rc
sl_db_read(struct sl_db *db, struct sl_db_batch *b, int n, int commit,
    struct sl_err *e)
{
	return sl_db_read_pipe(db, b, n, 1, commit, e);
}

enum sl_rc
sl_db_reads(struct sl_db *db, struct sl_db_batch *b, int n, int count,
    struct sl_err *e)
{
	return sl_db_read_pipe(db, b, n, count, 1, e);
}

/*
 * A statement the server has forgotten (26000: a DISCARD ALL, a pooler we
 * did not see), one it has under our name already (42P05), or one whose
 * plan changed its columns (0A000: a migration replaced a function while
 * we were connected) failed before it ran: nothing was done, and the text
 * is sent instead.
 */
static int
sl_db_prepared_lost(const struct sl_err *e)
{
	return strcmp(e->sqlstate, "26000") == 0 ||
	    strcmp(e->sqlstate, "42P05") == 0 ||
	    strcmp(e->sqlstate, "0A000") == 0;
}

enum sl_rc
sl_db_params_stmt(struct sl_db *db, const struct sl_db_stmt *st,
    const char *const *params, ExecStatusType want, PGresult **out,
    struct sl_err *e)
{
	enum sl_rc rc;

	if (db->pg == NULL || !db->direct)
		return sl_db_pipeline(db, st, 0, params, want, out, e);
	rc = sl_db_pipeline(db, st, 1, params, want, out, e);
	if (rc == SL_OK || db->pg == NULL || e == NULL ||
	    !sl_db_prepared_lost(e))
		return rc;
	/* Never again on this connection: the text from now on. */
	db->direct = 0;
	db->prepared = 0;
	return sl_db_pipeline(db, st, 0, params, want, out, e);
}

enum sl_rc
sl_db_exec(struct sl_db *db, const char *sql, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	if (db->pg == NULL || db->interrupted)
		return sl_db_unsent(db, e);
	/* Inside a transaction block (a migration, a venue import) the
	 * settings hold for the rest of it; outside one, a script of several
	 * statements cannot be pipelined and runs without them. */
	if (PQtransactionStatus(db->pg) == PQTRANS_INTRANS) {
		PGresult *set;

		rc = sl_db_params(db, "SELECT 1", 0, NULL, PGRES_TUPLES_OK,
		    &set, e);
		if (rc != SL_OK)
			return rc;
		PQclear(set);
	}
	if (!PQsendQuery(db->pg, sql))
		return sl_db_unsent(db, e);
	res = sl_db_collect(db);
	if (db->pg == NULL)
		return sl_db_unsent(db, e);
	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		return SL_OK;
	}
	rc = sl_db_result(db, res, PGRES_COMMAND_OK, e);
	PQclear(res);
	return rc;
}

enum sl_rc
sl_db_query_value(struct sl_db *db, const char *sql, int nparams,
    const char *const *params, char *buf, size_t bufsz, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params(db, sql, nparams, params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "no row");
	}
	sl_db_copy_field(buf, bufsz, PQgetvalue(res, 0, 0));
	PQclear(res);
	return SL_OK;
}

void
sl_db_args(struct sl_db_args *a, const struct sl_db *db, const char *fmt, ...)
{
	va_list ap;
	int64_t v;

	va_start(ap, fmt);
	for (; *fmt != '\0' && a->n < SL_DB_ARGS_MAX; fmt++, a->n++)
		switch (*fmt) {
		case 'i':
		case 'p':
			v = va_arg(ap, int64_t);
			snprintf(a->num[a->n], sizeof a->num[a->n], "%" PRId64, v);
			a->v[a->n] = *fmt == 'p' && v <= 0 ? NULL : a->num[a->n];
			break;
		case 's':
			a->v[a->n] = va_arg(ap, const char *);
			break;
		case 'o':
			a->v[a->n] = db->override ? "true" : "false";
			break;
		default:
			a->v[a->n] = db->terminal;
			break;
		}
	va_end(ap);
}

enum sl_rc
sl_db_map(PGresult *res, int n, const struct sl_db_map *m, const void *ctx,
    void *out, struct sl_err *e)
{
	enum sl_rc rc;
	char *v;
	int i;

	v = calloc(n > 0 ? (size_t)n : 1, m->size);
	if (v == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if ((rc = m->fill(v + (size_t)i * m->size, res, i, ctx,
		    e)) != SL_OK) {
			sl_db_free_list(v, (size_t)n, m->size, m->clear);
			return rc;
		}
	m->set(out, v);
	return SL_OK;
}

enum sl_rc
sl_db_rows(PGresult *res, const struct sl_db_map *m, const void *ctx,
    void *out, size_t *nout, struct sl_err *e)
{
	int n = PQntuples(res);
	enum sl_rc rc;

	if ((rc = sl_db_map(res, n, m, ctx, out, e)) == SL_OK)
		*nout = (size_t)n;
	return rc;
}

void
sl_db_free_list(void *v, size_t n, size_t size, void (*clear)(void *))
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; clear != NULL && i < n; i++)
		clear((char *)v + i * size);
	free(v);
}

/* Maps the first n rows of res and clears it. */
static enum sl_rc
sl_db_take_list(PGresult *res, int n, const struct sl_db_map *m,
    const void *ctx, void *out, size_t *nout, struct sl_err *e)
{
	enum sl_rc rc;

	rc = sl_db_map(res, n, m, ctx, out, e);
	PQclear(res);
	if (rc == SL_OK)
		*nout = (size_t)n;
	return rc;
}

enum sl_rc
sl_db_list(struct sl_db *db, const struct sl_db_map *m, int nparams,
    const char *const *params, void *out, size_t *nout, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params(db, m->sql, nparams, params, PGRES_TUPLES_OK, &res,
	    e);
	if (rc != SL_OK)
		return rc;
	return sl_db_take_list(res, PQntuples(res), m, NULL, out, nout, e);
}

enum sl_rc
sl_db_show_list(struct sl_db *db, const struct sl_db_map *m, int64_t show,
    void *out, size_t *nout, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;
	int n;

	sl_db_args(&a, db, "i", show);
	rc = sl_db_params(db, m->sql, a.n, a.v, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	n = PQntuples(res);
	if (n == 0) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "show %" PRId64 " not found",
		    show);
	}
	if (PQgetisnull(res, 0, 0))
		n = 0;
	return sl_db_take_list(res, n, m, &show, out, nout, e);
}

enum sl_rc
sl_db_query_int(struct sl_db *db, const char *sql, const struct sl_db_args *a,
    const char *what, int64_t *out, struct sl_err *e)
{
	char buf[24];
	enum sl_rc rc;
	int64_t v;

	rc = sl_db_query_value(db, sql, a->n, a->v, buf, sizeof buf, e);
	if (rc != SL_OK)
		return rc;
	if (sl_db_int64(buf, &v) != 0)
		return sl_err_set(e, SL_EDB, "bad %s from server", what);
	if (out != NULL)
		*out = v;
	return SL_OK;
}

void
sl_db_deadline(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

int
sl_db_int64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

enum sl_rc
sl_db_set_role(struct sl_db *db, const char *role, struct sl_err *e)
{
	const char *params[1];
	PGresult *res;
	enum sl_rc rc;

	if (role == NULL)
		role = "";
	if (strlen(role) > SL_ROLE_MAX)
		return sl_err_set(e, SL_EINVAL, "role name too long");
	if (db->role_ok && strcmp(role, db->role) == 0 && db->pg != NULL)
		return SL_OK;
	/* Fail closed: until this succeeds, a reconnect tries this role
	 * again rather than running as the login role. */
	snprintf(db->role, sizeof db->role, "%s", role);
	db->role_ok = 0;
	params[0] = role[0] != '\0' ? role : "none";
	rc = sl_db_params(db, "SELECT set_config('role', $1, false)", 1, params,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	PQclear(res);
	db->role_ok = 1;
	return SL_OK;
}

enum sl_rc
sl_db_listen(struct sl_db *db, const char *channel, struct sl_err *e)
{
	char *ident, *sql;
	PGresult *res;
	enum sl_rc rc;
	size_t n;

	if (db->pg == NULL)
		return sl_err_set(e, SL_ECONN, "not connected to the database");
	/* LISTEN takes no parameters: quote the name as an identifier. */
	ident = PQescapeIdentifier(db->pg, channel, strlen(channel));
	if (ident == NULL)
		return sl_err_set(e, SL_EINVAL, "bad channel name");
	n = strlen(ident) + sizeof "LISTEN ";
	sql = malloc(n);
	if (sql == NULL) {
		PQfreemem(ident);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	snprintf(sql, n, "LISTEN %s", ident);
	PQfreemem(ident);
	res = PQexec(db->pg, sql);
	free(sql);
	rc = sl_db_result(db, res, PGRES_COMMAND_OK, e);
	PQclear(res);
	return rc;
}

int
sl_db_socket(const struct sl_db *db)
{
	return db->pg != NULL ? PQsocket(db->pg) : -1;
}

enum sl_rc
sl_db_notify_next(struct sl_db *db, char **payload, struct sl_err *e)
{
	PGnotify *n;

	*payload = NULL;
	/* As psql does: read what arrived before each PQnotifies. */
	if (db->pg == NULL || PQstatus(db->pg) != CONNECTION_OK ||
	    !PQconsumeInput(db->pg) || PQstatus(db->pg) != CONNECTION_OK)
		return sl_err_set(e, SL_ECONN,
		    "connection to the database lost");
	n = PQnotifies(db->pg);
	if (n == NULL)
		return SL_OK;
	*payload = strdup(n->extra);
	PQfreemem(n);
	if (*payload == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	return SL_OK;
}

void
sl_db_request_key(char *buf, size_t bufsz)
{
	unsigned char raw[16];
	size_t i, got = 0;
	int fd;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (got < sizeof raw) {
			ssize_t n = read(fd, raw + got, sizeof raw - got);

			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fd);
	}
	if (got < sizeof raw) {
		/* Unlikely; still unique enough with pid, time and address. */
		struct timespec ts;
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		    ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)buf;
		for (i = 0; i < sizeof raw; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			raw[i] = (unsigned char)x;
		}
	}
	for (i = 0; i < sizeof raw && 2 * i + 2 < bufsz; i++)
		snprintf(buf + 2 * i, 3, "%02x", raw[i]);
}

/* Appends " key='value'" (' and \\ escaped) to buf; -1 when it is full. */
static int
sl_db_dsn_append(char *buf, size_t bufsz, size_t *len, const char *key,
    const char *val)
{
	int n = snprintf(buf + *len, bufsz - *len, "%s%s='", *len ? " " : "",
	    key);

	if (n < 0 || (size_t)n >= bufsz - *len)
		return -1;
	*len += (size_t)n;
	for (; *val != '\0'; val++) {
		if (*len + 3 >= bufsz)
			return -1;
		if (*val == '\'' || *val == '\\')
			buf[(*len)++] = '\\';
		buf[(*len)++] = *val;
	}
	if (*len + 2 >= bufsz)
		return -1;
	buf[(*len)++] = '\'';
	buf[*len] = '\0';
	return 0;
}

enum sl_rc
sl_db_dsn_split(const char *dsn, char *rest, size_t restsz, char *pw,
    size_t pwsz, struct sl_err *e)
{
	PQconninfoOption *opts, *o;
	char *err = NULL;
	size_t len = 0;
	enum sl_rc rc = SL_OK;

	if (restsz == 0 || pwsz == 0)
		return sl_err_set(e, SL_EINVAL, "no room for the DSN");
	rest[0] = pw[0] = '\0';
	opts = PQconninfoParse(dsn, &err);
	if (opts == NULL) {
		/* libpq's message never repeats the password. */
		rc = sl_err_set(e, SL_EINVAL, "database.dsn does not parse: %s",
		    err != NULL ? err : "out of memory");
		PQfreemem(err);
		return rc;
	}
	for (o = opts; o->keyword != NULL && rc == SL_OK; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp(o->keyword, "password") == 0) {
			if (strlen(o->val) >= pwsz)
				rc = sl_err_set(e, SL_EINVAL, "the password "
				    "in database.dsn is too long");
			else
				memcpy(pw, o->val, strlen(o->val) + 1);
		} else if (sl_db_dsn_append(rest, restsz, &len, o->keyword,
		    o->val) != 0)
			rc = sl_err_set(e, SL_EINVAL, "database.dsn is too "
			    "long");
	}
	PQconninfoFree(opts);
	return rc;
}
