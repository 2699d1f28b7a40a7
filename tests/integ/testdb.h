/*
 * testdb.h - fixtures for the integration tests: a real PostgreSQL (the
 * private cluster that tests/run.sh starts; PG* variables say where), a
 * fresh venue and show per test, raw libpq for checking the invariant.
 *
 * Header-only so each test program is one file; every function is static.
 */
#ifndef TESTDB_H
#define TESTDB_H

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "sl_book.h"
#include "sl_config.h"
#include "sl_db.h"
#include "sl_layout.h"
#include "sl_show.h"
#include "sl_customer.h"
#include "sl_venue.h"

/* A connection through the core with the settings of c. */
static inline struct sl_db *
tdb_connect_with(const struct sl_config *c)
{
	struct sl_db *db = NULL;
	struct sl_err e;

	if (sl_db_connect(c, &db, &e) != SL_OK) {
		fprintf(stderr, "tdb_connect: %s\n", e.msg);
		abort();
	}
	return db;
}

/* A connection through the core, with the default settings. */
static inline struct sl_db *
tdb_connect(void)
{
	struct sl_config c;

	sl_config_defaults(&c);
	return tdb_connect_with(&c);
}

/*
 * A connection that never retries a deadlock or serialization failure by
 * itself, so that a test sees every one of them.
 */
static inline struct sl_db *
tdb_connect_noretry(void)
{
	struct sl_config c;

	sl_config_defaults(&c);
	c.retries = 0;
	return tdb_connect_with(&c);
}

struct tdb_conn_job {
	const struct sl_config	*c;
	struct sl_db		**out;
};

static inline void *
tdb_conn_thread(void *p)
{
	struct tdb_conn_job *j = p;

	*j->out = tdb_connect_with(j->c);
	return NULL;
}

/*
 * n connections with the settings of c, opened in parallel (opening 64 one
 * after the other is slow on a loaded machine).  out must hold n.
 */
static inline void
tdb_connect_many(const struct sl_config *c, struct sl_db **out, int n)
{
	struct tdb_conn_job *j = calloc((size_t)n, sizeof *j);
	pthread_t *t = calloc((size_t)n, sizeof *t);
	int i;

	if (j == NULL || t == NULL)
		abort();
	for (i = 0; i < n; i++) {
		j[i].c = c;
		j[i].out = &out[i];
		if (pthread_create(&t[i], NULL, tdb_conn_thread, &j[i]) != 0)
			abort();
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(j);
	free(t);
}

/* A raw libpq connection for checks in SQL. */
static inline PGconn *
tdb_pg(void)
{
	PGconn *pg = PQconnectdb("");

	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "tdb_pg: %s", PQerrorMessage(pg));
		abort();
	}
	return pg;
}

/* Runs a query whose answer is one integer; aborts on any error. */
static inline int64_t
tdb_int(PGconn *pg, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	PGresult *r;
	int64_t v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		fprintf(stderr, "tdb_int: %s: %s", sql, PQerrorMessage(pg));
		abort();
	}
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/*
 * Runs a query whose answer is one text value (or no row: NULL); aborts on
 * any error.  The caller frees the result.
 */
static inline char *
tdb_text(PGconn *pg, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	PGresult *r;
	char *v = NULL;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) > 1) {
		fprintf(stderr, "tdb_text: %s: %s", sql, PQerrorMessage(pg));
		abort();
	}
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		v = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return v;
}

/*
 * Runs a statement with text parameters on a raw connection and returns
 * its SQLSTATE ("" on success) in state; the constraint named by the error,
 * if any, in constraint (both at least 64 bytes).
 */
static inline void
tdb_try(PGconn *pg, const char *sql, int nparams, const char *const *params,
    char *state, char *constraint)
{
	PGresult *r = PQexecParams(pg, sql, nparams, NULL, params, NULL, NULL,
	    0);
	ExecStatusType st = PQresultStatus(r);
	const char *f;

	state[0] = constraint[0] = '\0';
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		f = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		snprintf(state, 64, "%s", f != NULL ? f : "?????");
		f = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
		snprintf(constraint, 64, "%s", f != NULL ? f : "");
	}
	PQclear(r);
}

/* The id of the seat labelled label in the venue of show. */
static inline int64_t
tdb_seat_id(PGconn *pg, int64_t show, const char *label)
{
	return tdb_int(pg, "SELECT s.seat_id FROM seat s JOIN show sh ON "
	    "sh.venue_id = s.venue_id WHERE sh.show_id = %" PRId64 " AND "
	    "s.label = '%s'", show, label);
}

/* The inventory state of a seat of show ("available", "booked", ...);
 * the caller frees it. */
static inline char *
tdb_state(PGconn *pg, int64_t show, const char *label)
{
	return tdb_text(pg, "SELECT ss.state FROM show_seat ss JOIN seat s ON "
	    "s.seat_id = ss.seat_id WHERE ss.show_id = %" PRId64 " AND "
	    "s.label = '%s'", show, label);
}

/* Active bookings of show (all seats). */
static inline int64_t
tdb_active(PGconn *pg, int64_t show)
{
	return tdb_int(pg, "SELECT count(*) FROM booking WHERE show_id = %"
	    PRId64 " AND status = 'active'", show);
}

/* A unique suffix for names in this run. */
static inline const char *
tdb_unique(void)
{
	static __thread char buf[64];
	static int n;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, sizeof buf, "%d-%ld-%ld-%d", (int)getpid(),
	    (long)ts.tv_sec, ts.tv_nsec, __atomic_fetch_add(&n, 1,
	    __ATOMIC_RELAXED));
	return buf;
}

/*
 * A fresh venue of `rows` rows A, B, ... of `per_row` seats (labels A1..),
 * and a show of it.  Returns the show id.
 */
static inline int64_t
tdb_show(struct sl_db *db, int rows, int per_row)
{
	char text[16384], line[128];
	struct sl_layout *l;
	struct sl_err e;
	int64_t venue, show;
	int r;

	snprintf(text, sizeof text, "venue = { name = \"Test %s\"; sections = "
	    "( { name = \"Main\"; rows = (", tdb_unique());
	for (r = 0; r < rows; r++) {
		snprintf(line, sizeof line, "%s{ row = \"%c\"; seats = \"1-%d\"; }",
		    r ? ", " : "", 'A' + r, per_row);
		strcat(text, line);
	}
	strcat(text, "); } ); };");
	if (sl_layout_parse(text, "test", &l, &e) != SL_OK ||
	    sl_venue_import(db, l, 0, &venue, NULL, &e) != SL_OK) {
		fprintf(stderr, "tdb_show: %s\n", e.msg);
		abort();
	}
	sl_layout_free(l);
	if (sl_show_add(db, venue, "Test show", "2030-01-01 20:00", &show,
	    &e) != SL_OK) {
		fprintf(stderr, "tdb_show: %s\n", e.msg);
		abort();
	}
	return show;
}

/* A fresh customer.  Returns the user id. */
static inline int64_t
tdb_user(struct sl_db *db)
{
	char email[128];
	struct sl_err e;
	int64_t id;

	snprintf(email, sizeof email, "t%s@example.com", tdb_unique());
	if (sl_user_register(db, "Test Customer", email, NULL, &id, &e) !=
	    SL_OK) {
		fprintf(stderr, "tdb_user: %s\n", e.msg);
		abort();
	}
	return id;
}

/*
 * Sends what the change log holds now, as the notifier would (the tests'
 * login is the owner: it may).  Every change is announced through the
 * notifier since issue 17 (finding 4): a test that reads change_seq or
 * waits for a NOTIFY right after a change flushes first.  Returns the
 * notifications sent.
 */
static inline int64_t
tdb_flush(PGconn *pg)
{
	return tdb_int(pg, "SELECT sl_notify_flush()");
}

/* Seats of show with more than one active booking (must be 0). */
static inline int64_t
tdb_double_bookings(PGconn *pg, int64_t show)
{
	return tdb_int(pg, "SELECT count(*) FROM (SELECT seat_id FROM booking "
	    "WHERE show_id = %" PRId64 " AND status = 'active' GROUP BY seat_id "
	    "HAVING count(*) > 1) d", show);
}

/* Seats whose inventory state disagrees with the bookings (must be 0). */
static inline int64_t
tdb_state_mismatches(PGconn *pg, int64_t show)
{
	return tdb_int(pg, "SELECT count(*) FROM show_seat ss WHERE "
	    "ss.show_id = %" PRId64 " AND (ss.state = 'booked') <> EXISTS ("
	    "SELECT 1 FROM booking b WHERE b.show_id = ss.show_id AND "
	    "b.seat_id = ss.seat_id AND b.status = 'active')", show);
}

#endif
