/*
 * sl_db.c - connections, result classification, small query helpers.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_db_int.h"

struct sl_db {
	PGconn		*pg;
	char		*dsn;
	int64_t		 lock_timeout_ms;
	int64_t		 statement_timeout_ms;
	int64_t		 connect_timeout_s;
	int		 retries;
	char		 terminal[SL_CONFIG_STR];
	char		 notify_mode[16];
	char		 notice[SL_ERR_MSG];
};

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

static enum sl_rc
sl_db_open(struct sl_db *db, struct sl_err *e)
{
	const char *keys[5], *vals[5];
	char ct[32], lt[32], st[32];
	const char *params[3];
	PGresult *res;
	enum sl_rc rc;

	snprintf(ct, sizeof ct, "%" PRId64, db->connect_timeout_s);
	keys[0] = "dbname";
	vals[0] = db->dsn;
	keys[1] = "connect_timeout";
	vals[1] = ct;
	keys[2] = "application_name";
	vals[2] = "seatlock";
	keys[3] = NULL;
	vals[3] = NULL;
	if (db->dsn[0] == '\0') {
		/* libpq defaults and PG* variables */
		keys[0] = "connect_timeout";
		vals[0] = ct;
		keys[1] = "application_name";
		vals[1] = "seatlock";
		keys[2] = NULL;
		vals[2] = NULL;
	}
	db->pg = PQconnectdbParams(keys, vals, 1);
	if (db->pg == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (PQstatus(db->pg) != CONNECTION_OK) {
		char msg[SL_ERR_MSG];

		sl_db_one_line(msg, sizeof msg, PQerrorMessage(db->pg));
		PQfinish(db->pg);
		db->pg = NULL;
		return sl_err_set(e, SL_ECONN, "cannot connect to the database: %s",
		    msg);
	}
	PQsetNoticeProcessor(db->pg, sl_db_notice, db);
	snprintf(lt, sizeof lt, "%" PRId64 "ms", db->lock_timeout_ms);
	snprintf(st, sizeof st, "%" PRId64 "ms", db->statement_timeout_ms);
	params[0] = lt;
	params[1] = st;
	params[2] = db->notify_mode;
	/* notify.mode "" keeps the database's own seatlock.notify_mode. */
	rc = sl_db_params(db,
	    "SELECT set_config('lock_timeout', $1, false), "
	    "set_config('statement_timeout', $2, false), "
	    "CASE WHEN $3 <> '' THEN "
	    "set_config('seatlock.notify_mode', $3, false) END",
	    3, params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK) {
		PQfinish(db->pg);
		db->pg = NULL;
		return rc;
	}
	PQclear(res);
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
	db->lock_timeout_ms = c->lock_timeout_ms;
	db->statement_timeout_ms = c->statement_timeout_ms;
	db->connect_timeout_s = c->connect_timeout_s;
	db->retries = (int)c->retries;
	snprintf(db->notify_mode, sizeof db->notify_mode, "%s",
	    c->notify_mode);
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
	return db->retries;
}

int
sl_db_backend_pid(const struct sl_db *db)
{
	return db->pg != NULL ? PQbackendPID(db->pg) : 0;
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

enum sl_rc
sl_db_params(struct sl_db *db, const char *sql, int nparams,
    const char *const *params, ExecStatusType want, PGresult **out,
    struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	if (db->pg == NULL)
		return sl_err_set(e, SL_ECONN, "not connected to the database");
	res = PQexecParams(db->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	rc = sl_db_result(db, res, want, e);
	if (rc != SL_OK) {
		PQclear(res);
		return rc;
	}
	*out = res;
	return SL_OK;
}

enum sl_rc
sl_db_exec(struct sl_db *db, const char *sql, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	if (db->pg == NULL)
		return sl_err_set(e, SL_ECONN, "not connected to the database");
	res = PQexec(db->pg, sql);
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
