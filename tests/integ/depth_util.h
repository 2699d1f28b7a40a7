/*
 * depth_util.h - fixtures of the box-office depth tests (holds, zones,
 * best available, exchanges, customers, reports), on top of testdb.h.
 *
 * Header-only like testdb.h; every function is static.
 */
#ifndef DEPTH_UTIL_H
#define DEPTH_UTIL_H

#include <pthread.h>

#include "testdb.h"

#include "sl_customer.h"
#include "sl_hold.h"
#include "sl_report.h"
#include "sl_sell.h"
#include "sl_zone.h"

/* Logins of the tests: a clerk and a supervisor that is no superuser. */
#define TDD_CLERK "sl_test_clerk"
#define TDD_SUPER "sl_test_supervisor"

/* Runs a statement; aborts on any error. */
static inline void
tdd_exec(PGconn *pg, const char *fmt, ...)
{
	char sql[8192];
	va_list ap;
	PGresult *r;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "tdd_exec: %s: %s", sql, PQerrorMessage(pg));
		abort();
	}
	PQclear(r);
}

/* A query whose answer is one text value (or NULL: ""), into buf. */
static inline const char *
tdd_str(PGconn *pg, char *buf, size_t bufsz, const char *fmt, ...)
{
	char sql[8192];
	va_list ap;
	PGresult *r;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	r = PQexec(pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		fprintf(stderr, "tdd_str: %s: %s", sql, PQerrorMessage(pg));
		abort();
	}
	snprintf(buf, bufsz, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return buf;
}

/* The login roles of the tests, made once per cluster. */
static inline void
tdd_roles(void)
{
	PGconn *pg = tdb_pg();

	tdd_exec(pg,
	    "DO $$ BEGIN "
	    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s') THEN "
	    "CREATE ROLE %s LOGIN IN ROLE seatlock_clerk; END IF; "
	    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%s') THEN "
	    "CREATE ROLE %s LOGIN IN ROLE seatlock_supervisor; END IF; "
	    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; "
	    "END $$",
	    TDD_CLERK, TDD_CLERK, TDD_SUPER, TDD_SUPER);
	PQfinish(pg);
}

/*
 * A connection through the core as database user `user` (NULL: the
 * default of the PG* variables, a superuser here) at terminal `terminal`
 * (NULL: the host name).
 */
static inline struct sl_db *
tdd_connect(const char *user, const char *terminal)
{
	struct sl_config c;
	struct sl_db *db = NULL;
	struct sl_err e;

	sl_config_defaults(&c);
	if (user != NULL)
		snprintf(c.dsn, sizeof c.dsn, "user=%s", user);
	if (terminal != NULL)
		snprintf(c.terminal, sizeof c.terminal, "%s", terminal);
	if (sl_db_connect(&c, &db, &e) != SL_OK) {
		fprintf(stderr, "tdd_connect: %s\n", e.msg);
		abort();
	}
	return db;
}

/* Imports a fresh venue whose sections are `sections` (the inside of
 * "sections = ( ... )") and adds a show of it.  Returns the show; *venue
 * if wanted. */
static inline int64_t
tdd_show_layout(struct sl_db *db, const char *sections, int64_t *venue)
{
	char text[65536];
	struct sl_layout *l;
	struct sl_err e;
	int64_t v, show;

	snprintf(text, sizeof text,
	    "venue = { name = \"Test %s\"; "
	    "sections = ( %s ); };",
	    tdb_unique(), sections);
	if (sl_layout_parse(text, "test", &l, &e) != SL_OK ||
	    sl_venue_import(db, l, 0, &v, NULL, &e) != SL_OK) {
		fprintf(stderr, "tdd_show_layout: %s\n", e.msg);
		abort();
	}
	sl_layout_free(l);
	if (sl_show_add(db, v, "Test show", "2030-01-01 20:00", &show, &e) !=
	    SL_OK) {
		fprintf(stderr, "tdd_show_layout: %s\n", e.msg);
		abort();
	}
	if (venue != NULL)
		*venue = v;
	return show;
}

/* Books labels (a space-separated list) for user; returns the rc and, if
 * out is not NULL, the bookings (caller frees). */
static inline enum sl_rc
tdd_book(struct sl_db *db, int64_t show, int64_t user, const char *list,
    struct sl_booking **out, size_t *nout, struct sl_err *e)
{
	char buf[1024], *save = NULL, *tok;
	const char *labels[64];
	struct sl_booking *b = NULL;
	size_t n = 0, nb = 0;
	enum sl_rc rc;

	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < 64;
	     tok = strtok_r(NULL, " ", &save))
		labels[n++] = tok;
	sl_err_clear(e);
	rc = sl_book_seats(db, show, labels, n, user, NULL, &b, &nb, e);
	if (out != NULL && rc == SL_OK) {
		*out = b;
		*nout = nb;
	} else
		free(b);
	return rc;
}

/* Holds labels (space-separated) for seconds, or blocks them with reason. */
static inline enum sl_rc
tdd_hold(struct sl_db *db, int64_t show, const char *list, int64_t seconds,
    const char *reason, int64_t *id, struct sl_err *e)
{
	char buf[1024], *save = NULL, *tok;
	const char *labels[64];
	size_t n = 0;

	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < 64;
	     tok = strtok_r(NULL, " ", &save))
		labels[n++] = tok;
	sl_err_clear(e);
	return sl_hold_seats(db, show, labels, n, seconds, reason, id, NULL, e);
}

/* The state of seat label of show, as the inventory row says. */
static inline const char *
tdd_state(PGconn *pg, int64_t show, const char *label, char *buf, size_t bufsz)
{
	return tdd_str(pg, buf, bufsz,
	    "SELECT ss.state FROM show_seat ss "
	    "JOIN seat s ON s.seat_id = ss.seat_id WHERE ss.show_id = %" PRId64
	    " AND s.label = '%s'",
	    show, label);
}

/* Milliseconds since some fixed point. */
static inline double
tdd_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Sleeps ms milliseconds. */
static inline void
tdd_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Seats held by more than one live hold, or held/blocked seats whose hold
 * does not list them (must be 0). */
static inline int64_t
tdd_hold_mismatches(PGconn *pg, int64_t show)
{
	return tdb_int(pg,
	    "SELECT count(*) FROM show_seat ss "
	    "LEFT JOIN hold h ON h.show_id = ss.show_id "
	    "AND h.hold_id = ss.hold_id WHERE ss.show_id = %" PRId64
	    " AND ss.hold_id IS NOT NULL AND (h.status <> 'active' "
	    "OR NOT ss.seat_id = ANY (h.seat_ids))",
	    show);
}

#endif
