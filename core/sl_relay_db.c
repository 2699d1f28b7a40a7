/*
 * sl_relay_db.c - the relay's one LISTEN connection, for every show its
 * clients watch.  It never runs a transaction of its own beyond LISTEN.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_log.h"
#include "sl_relay.h"
#include "sl_sbuf.h"
#include "sl_show.h"

#define SL_RELAY_CHANNEL	"seatlock_show_"

struct sl_relay_db {
	PGconn		*pg;
	PGnotify	*last;	/* handed out by sl_relay_db_next */
	struct sl_log	*log;
};

static void
sl_relay_db_notice(void *arg, const char *message)
{
	struct sl_relay_db *db = arg;

	sl_log(db->log, "relay listener notice: %s", message);
}

/* rc with what and the connection's last error, on one line. */
static enum sl_rc
sl_relay_db_fail(struct sl_relay_db *db, enum sl_rc rc, const char *what,
    struct sl_err *e)
{
	char why[SL_ERR_MSG];
	size_t n;

	snprintf(why, sizeof why, "%s", PQerrorMessage(db->pg));
	/* libpq's message spans lines: one line for the log. */
	for (n = 0; why[n] != '\0'; n++)
		if (why[n] == '\n' || why[n] == '\t')
			why[n] = ' ';
	while (n > 0 && why[n - 1] == ' ')
		why[--n] = '\0';
	return sl_err_set(e, rc, "%s%s%s", what, *why ? ": " : "", why);
}

static enum sl_rc
sl_relay_db_lost(struct sl_relay_db *db, const char *what, struct sl_err *e)
{
	return sl_relay_db_fail(db, SL_ECONN, what, e);
}

enum sl_rc
sl_relay_db_open(const struct sl_config *c, struct sl_relay_db **out,
    struct sl_err *e)
{
	struct sl_db_conninfo ci;
	struct sl_relay_db *db;
	enum sl_rc rc;

	db = calloc(1, sizeof *db);
	if (db == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	db->log = c->log;
	sl_db_conninfo(&ci, sl_config_listen_dsn(c), c, "seatlock-relay");
	db->pg = PQconnectdbParams(ci.keys, ci.vals, 1);
	if (db->pg == NULL) {
		free(db);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	if (PQstatus(db->pg) != CONNECTION_OK ||
	    PQsetnonblocking(db->pg, 1) != 0) {
		rc = sl_relay_db_lost(db, "cannot connect to the database", e);
		sl_relay_db_close(db);
		return rc;
	}
	PQsetNoticeProcessor(db->pg, sl_relay_db_notice, db);
	*out = db;
	return SL_OK;
}

void
sl_relay_db_close(struct sl_relay_db *db)
{
	if (db == NULL)
		return;
	if (db->last != NULL)
		PQfreemem(db->last);
	PQfinish(db->pg);
	free(db);
}

int
sl_relay_db_fd(const struct sl_relay_db *db)
{
	return PQsocket(db->pg);
}

/* Appends "LISTEN|UNLISTEN channel-of-show;" to sb.  0, or -1. */
static int
sl_relay_db_listen_sql(struct sl_relay_db *db, struct sl_sbuf *sb,
    int64_t show, int on)
{
	char name[48], *ident;

	/* Built from an integer only, and quoted as an identifier all the
	 * same. */
	snprintf(name, sizeof name, SL_RELAY_CHANNEL "%" PRId64, show);
	ident = PQescapeIdentifier(db->pg, name, strlen(name));
	if (ident == NULL)
		return -1;
	sl_sbuf_printf(sb, "%s %s;", on ? "LISTEN" : "UNLISTEN", ident);
	PQfreemem(ident);
	return sl_sbuf_failed(sb) ? -1 : 0;
}

enum sl_rc
sl_relay_db_listen_all(struct sl_relay_db *db, const int64_t *shows,
    size_t n, int on, struct sl_err *e)
{
	struct sl_sbuf sb = SL_SBUF_INIT;
	PGresult *res;
	enum sl_rc rc = SL_OK;
	char *sql;
	size_t i;

	if (n == 0)
		return SL_OK;
	for (i = 0; i < n; i++)
		if (sl_relay_db_listen_sql(db, &sb, shows[i], on) != 0) {
			sl_sbuf_free(&sb);
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		}
	if ((sql = sl_sbuf_take(&sb)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	/* One round trip for all (PQexec blocks; LISTEN is quick):
	 * notifications that come meanwhile wait in libpq's queue. */
	res = PQexec(db->pg, sql);
	free(sql);
	if (PQstatus(db->pg) != CONNECTION_OK)
		rc = sl_relay_db_lost(db, "connection to the database lost", e);
	else if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = sl_err_set(e, SL_EDB, "%s failed: %s", on ? "LISTEN" :
		    "UNLISTEN", PQresultErrorMessage(res));
	PQclear(res);
	return rc;
}

enum sl_rc
sl_relay_db_listen(struct sl_relay_db *db, int64_t show, int on,
    struct sl_err *e)
{
	return sl_relay_db_listen_all(db, &show, 1, on, e);
}

enum sl_rc
sl_relay_db_beat(struct sl_relay_db *db, int64_t *age_ms, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc = SL_OK;

	/* Blocks as LISTEN does: one row of one table, a fraction of a ms. */
	*age_ms = -1;
	res = PQexec(db->pg, "SELECT coalesce(sl_notifier_beat_age(), -1)");
	if (PQstatus(db->pg) != CONNECTION_OK)
		rc = sl_relay_db_lost(db, "connection to the database lost", e);
	else if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1
	    || PQnfields(res) != 1)
		rc = sl_relay_db_fail(db, SL_EDB, "cannot read the notifier's "
		    "beat", e);
	else if (sl_db_int64(PQgetvalue(res, 0, 0), age_ms) != 0)
		*age_ms = -1;
	PQclear(res);
	return rc;
}

/* The rows of sl_relay_states into out (room for max).  SL_OK or SL_EDB. */
static enum sl_rc
sl_relay_db_seat_rows(const PGresult *res, size_t max,
    struct sl_relay_seat *out, size_t *nout, struct sl_err *e)
{
	enum sl_seat_state st;
	int k, rows = PQntuples(res);

	if (PQnfields(res) != 3 || (size_t)rows > max)
		return sl_err_set(e, SL_EDB, "unexpected seat rows from server");
	for (k = 0; k < rows; k++) {
		if (sl_db_int64(PQgetvalue(res, k, 0), &out[k].show) != 0 ||
		    sl_db_int64(PQgetvalue(res, k, 1), &out[k].seat) != 0 ||
		    sl_seat_state_parse(PQgetvalue(res, k, 2), &st) != 0)
			return sl_err_set(e, SL_EDB, "bad seat row from server");
		out[k].state = (uint8_t)st;
	}
	*nout = (size_t)rows;
	return SL_OK;
}

enum sl_rc
sl_relay_db_states(struct sl_relay_db *db, const struct sl_relay_seat *in,
    size_t n, struct sl_relay_seat *out, size_t *nout, struct sl_err *e)
{
	const char *params[2];
	char *shows, *seats;
	PGresult *res;
	enum sl_rc rc;

	*nout = 0;
	if (n == 0 || n > SL_RELAY_STATES_MAX)
		return sl_err_set(e, SL_EINVAL, "1 to %d seats per read",
		    SL_RELAY_STATES_MAX);
	shows = sl_sbuf_ids(&in[0].show, n, sizeof *in);
	seats = sl_sbuf_ids(&in[0].seat, n, sizeof *in);
	if (shows == NULL || seats == NULL) {
		free(shows);
		free(seats);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	params[0] = shows;
	params[1] = seats;
	/* Blocks as the beat does: one probe of the primary key a seat. */
	res = PQexecParams(db->pg, "SELECT show_id, seat_id, state FROM "
	    "sl_relay_states($1::bigint[], $2::bigint[])", 2, NULL, params,
	    NULL, NULL, 0);
	free(shows);
	free(seats);
	if (PQstatus(db->pg) != CONNECTION_OK)
		rc = sl_relay_db_lost(db, "connection to the database lost", e);
	else if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		rc = sl_relay_db_fail(db, SL_EDB, "cannot read the seats' "
		    "states", e);
		if (e != NULL && PQresultErrorField(res, PG_DIAG_SQLSTATE))
			snprintf(e->sqlstate, sizeof e->sqlstate, "%s",
			    PQresultErrorField(res, PG_DIAG_SQLSTATE));
	} else
		rc = sl_relay_db_seat_rows(res, n, out, nout, e);
	PQclear(res);
	return rc;
}

enum sl_rc
sl_relay_db_read(struct sl_relay_db *db, struct sl_err *e)
{
	if (!PQconsumeInput(db->pg) || PQstatus(db->pg) != CONNECTION_OK)
		return sl_relay_db_lost(db, "connection to the database lost",
		    e);
	return SL_OK;
}

int
sl_relay_db_next(struct sl_relay_db *db, int64_t *show, const char **payload)
{
	PGnotify *nf;
	const char *p;
	int64_t v;

	for (;;) {
		if (db->last != NULL)
			PQfreemem(db->last);
		db->last = NULL;
		nf = PQnotifies(db->pg);
		if (nf == NULL)
			return 0;
		db->last = nf;
		if (strncmp(nf->relname, SL_RELAY_CHANNEL,
		    strlen(SL_RELAY_CHANNEL)) != 0)
			continue;
		p = nf->relname + strlen(SL_RELAY_CHANNEL);
		if (sl_db_int64(p, &v) != 0 || v <= 0)
			continue;
		*show = v;
		*payload = nf->extra;
		return 1;
	}
}

int
sl_relay_db_pid(const struct sl_relay_db *db)
{
	return PQbackendPID(db->pg);
}
