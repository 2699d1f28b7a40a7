/*
 * integ_read.c - a show's map read in one round trip (issue 19: after a
 * relay restart a thousand box offices reload at once, each through a
 * pool of a few connections, while clerks sell; every round trip of a
 * reload waits its turn on a busy server).
 *
 * Checked against the real server, counting round trips in what libpq
 * sends and gets (PQtrace: each run of messages sent before an answer is
 * read is one): a show of fewer seats than a chunk (2048) is read and
 * committed in one, was seven; a bigger one still whole, through its
 * cursor; the read is one snapshot (REPEATABLE READ, holds and states
 * agree, a hold that ran out shows its seats available); an error inside
 * the pipeline leaves no transaction open, and an open read sees nothing
 * committed after its start; several shows' reads (a pool connection
 * serving queued box offices) go in one round trip, each its own
 * transaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sl_db_int.h"
#include "sl_hold.h"
#include "testdb.h"

/* Books label of show through db (as a clerk's terminal does). */
static void
book(struct sl_db *db, int64_t show, const char *label)
{
	const char *const labels[1] = { label };
	struct sl_booking *b = NULL;
	struct sl_err e;
	size_t n = 0;

	if (sl_book_seats(db, show, labels, 1, tdb_user(db), NULL, &b, &n,
	    &e) != SL_OK)
		fail_msg("book %s: %s", label, e.msg);
	free(b);
}

/* The round trips in a PQtrace: the runs of the frontend's messages
 * (each sent at once, then the answers waited for). */
static int
trips_in(FILE *f)
{
	char line[4096];
	int n = 0, sending = 0;

	rewind(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "F\t", 2) == 0 && !sending)
			n++;
		if (line[0] == 'F' || line[0] == 'B')
			sending = line[0] == 'F';
	}
	return n;
}

/* sl_show_states of show on db, traced: the round trips it took. */
static int
states_trips(struct sl_db *db, int64_t show, size_t want_n)
{
	struct sl_seats *meta = NULL;
	struct sl_states st;
	struct sl_err e;
	FILE *f = tmpfile();
	int n;

	assert_non_null(f);
	PQtrace(sl_db_pg(db), f);
	PQsetTraceFlags(sl_db_pg(db), PQTRACE_SUPPRESS_TIMESTAMPS);
	if (sl_show_states(db, show, &meta, &st, &e) != SL_OK)
		fail_msg("states: %s", e.msg);
	PQuntrace(sl_db_pg(db));
	assert_int_equal(st.n, want_n);
	/* committed: the pool may hand the connection on */
	assert_int_equal(PQtransactionStatus(sl_db_pg(db)), PQTRANS_IDLE);
	sl_states_free(&st);
	sl_seats_free(meta);
	n = trips_in(f);
	fclose(f);
	return n;
}

static void
test_small_show_one_trip(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_seats *s = NULL;
	struct sl_err e;
	int64_t show;

	(void)state;
	show = tdb_show(db, 3, 6);
	assert_int_equal(states_trips(db, show, 18), 1);
	/* the layout too (a box office's first read) */
	assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
	assert_int_equal(s->n, 18);
	sl_seats_free(s);
	assert_int_equal(PQtransactionStatus(sl_db_pg(db)), PQTRANS_IDLE);
	sl_db_close(db);
}

static void
test_big_show_whole(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_seats *meta = NULL;
	struct sl_states st;
	struct sl_err e;
	int64_t show, booked = 0;
	size_t i;

	(void)state;
	show = tdb_show(db, 21, 100);	/* 2,100 seats: two chunks */
	book(db, show, "U100");
	/* one trip spent, then the cursor's read, its rest and the COMMIT */
	assert_int_equal(states_trips(db, show, 2100), 4);
	assert_int_equal(sl_show_states(db, show, &meta, &st, &e), SL_OK);
	for (i = 0; i < st.n; i++)
		booked += st.state[i] == SL_SEAT_BOOKED;
	assert_int_equal(booked, 1);
	sl_states_free(&st);
	sl_seats_free(meta);
	sl_db_close(db);
}

static void
test_error_leaves_nothing_open(void **state)
{
	struct sl_db *db = tdb_connect_noretry();
	struct sl_db_batch b[2] = {
		{ "SELECT 1", 0, NULL, PGRES_TUPLES_OK, NULL },
		{ "SELECT 1 / 0", 0, NULL, PGRES_TUPLES_OK, NULL },
	};
	struct sl_err e;
	char buf[8];

	(void)state;
	sl_err_clear(&e);
	assert_int_not_equal(sl_db_read(db, b, 2, 1, &e), SL_OK);
	assert_string_equal(e.sqlstate, "22012");	/* the error, not "aborted" */
	assert_null(b[0].res);
	assert_int_equal(PQtransactionStatus(sl_db_pg(db)), PQTRANS_IDLE);
	assert_int_equal(sl_db_query_value(db, "SELECT 7", 0, NULL, buf,
	    sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "7");
	/* no statement, too many: refused before anything is sent */
	assert_int_equal(sl_db_read(db, b, 0, 1, &e), SL_EINVAL);
	assert_int_equal(sl_db_read(db, b, SL_DB_BATCH_MAX + 1, 1, &e),
	    SL_EINVAL);
	sl_db_close(db);
}

static void
test_open_read_one_snapshot(void **state)
{
	struct sl_db *db = tdb_connect(), *other = tdb_connect();
	PGconn *pg = tdb_pg();
	const char *params[1];
	char ibuf[24];
	struct sl_db_batch b[1];
	PGresult *res = NULL;
	struct sl_err e;
	int64_t show;

	(void)state;
	show = tdb_show(db, 1, 4);
	snprintf(ibuf, sizeof ibuf, "%" PRId64, show);
	params[0] = ibuf;
	b[0] = (struct sl_db_batch){ "SELECT count(*) FROM show_seat WHERE "
	    "show_id = $1 AND state = 'booked'", 1, params, PGRES_TUPLES_OK,
	    NULL };
	assert_int_equal(sl_db_read(db, b, 1, 0, &e), SL_OK);
	assert_string_equal(PQgetvalue(b[0].res, 0, 0), "0");
	PQclear(b[0].res);
	assert_int_equal(PQtransactionStatus(sl_db_pg(db)), PQTRANS_INTRANS);
	/* a sale elsewhere after the read began: not in its snapshot */
	book(other, show, "A2");
	assert_int_equal(tdb_active(pg, show), 1);
	assert_int_equal(sl_db_params(db, b[0].sql, 1, params,
	    PGRES_TUPLES_OK, &res, &e), SL_OK);
	assert_string_equal(PQgetvalue(res, 0, 0), "0");
	PQclear(res);
	/* read-only: the open read may write nothing */
	assert_int_not_equal(sl_db_params(db, "UPDATE show_seat SET state = "
	    "'available' WHERE show_id = $1", 1, params, PGRES_COMMAND_OK,
	    &res, &e), SL_OK);
	assert_string_equal(e.sqlstate, "25006");
	assert_int_equal(sl_db_exec(db, "ROLLBACK", &e), SL_OK);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND state = 'booked'", show), 1);
	PQfinish(pg);
	sl_db_close(other);
	sl_db_close(db);
}

/* sl_show_states_many of shows[n], traced: the round trips it took, and
 * its result; what it read freed. */
static int
many_trips(struct sl_db *db, const int64_t *shows, size_t n,
    const size_t *want_n, enum sl_rc *rc)
{
	struct sl_seats *metas[8];
	struct sl_states st[8];
	struct sl_err e;
	FILE *f = tmpfile();
	size_t i;
	int trips;

	assert_non_null(f);
	PQtrace(sl_db_pg(db), f);
	PQsetTraceFlags(sl_db_pg(db), PQTRACE_SUPPRESS_TIMESTAMPS);
	*rc = sl_show_states_many(db, shows, n, metas, st, &e);
	PQuntrace(sl_db_pg(db));
	assert_int_equal(PQtransactionStatus(sl_db_pg(db)), PQTRANS_IDLE);
	for (i = 0; *rc == SL_OK && i < n; i++) {
		assert_int_equal(st[i].n, want_n[i]);
		assert_int_equal(metas[i]->show, shows[i]);
		sl_states_free(&st[i]);
		sl_seats_free(metas[i]);
	}
	trips = trips_in(f);
	fclose(f);
	return trips;
}

/* Several shows' reloads in one pipeline: one round trip for all, each
 * in a transaction of its own; a big show read again on its own; a show
 * that is not there fails them all, and leaves nothing open. */
static void
test_many_one_trip(void **state)
{
	struct sl_db *db = tdb_connect();
	int64_t shows[4];
	size_t want[4] = { 18, 4, 18, 2100 };
	struct sl_seats *metas[1];
	struct sl_states st[1];
	struct sl_err e;
	enum sl_rc rc;

	(void)state;
	shows[0] = tdb_show(db, 3, 6);
	shows[1] = tdb_show(db, 1, 4);
	shows[2] = shows[0];	/* two terminals of one show */
	assert_int_equal(many_trips(db, shows, 3, want, &rc), 1);
	assert_int_equal(rc, SL_OK);
	shows[3] = tdb_show(db, 21, 100);
	assert_int_equal(many_trips(db, shows, 4, want, &rc), 1 + 4);
	assert_int_equal(rc, SL_OK);
	shows[1] = INT64_MAX;
	(void)many_trips(db, shows, 3, want, &rc);
	assert_int_equal(rc, SL_ENOTFOUND);
	/* none, or more than a pipeline takes: refused */
	assert_int_equal(sl_show_states_many(db, shows, 0, metas, st, &e),
	    SL_EINVAL);
	assert_int_equal(sl_show_states_many(db, shows,
	    SL_SHOW_STATES_MANY + 1, metas, st, &e), SL_EINVAL);
	sl_db_close(db);
}

/* The state of seat label in states st, or -1. */
static int
state_of(PGconn *pg, int64_t show, const struct sl_states *st,
    const char *label)
{
	int64_t id = tdb_seat_id(pg, show, label);
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->id[i] == id)
			return st->state[i];
	return -1;
}

/* A hold that ran out but is not swept yet shows its seats available;
 * one still running shows them held; a sale shows booked. */
static void
test_states_of_holds(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	const char *a[] = { "A1", "A2" }, *b[] = { "A3" };
	struct sl_seats *meta = NULL;
	struct sl_states st;
	struct sl_err e;
	int64_t show, run_out, running;
	char exp[48], *txt;

	(void)state;
	show = tdb_show(db, 1, 6);
	assert_int_equal(sl_hold_seats(db, show, a, 2, 60, NULL, &run_out, exp,
	    &e), SL_OK);
	assert_int_equal(sl_hold_seats(db, show, b, 1, 60, NULL, &running, exp,
	    &e), SL_OK);
	book(db, show, "A4");
	assert_int_equal(tdb_int(pg, "WITH u AS (UPDATE hold SET expires_at = "
	    "now() - interval '1 second' WHERE hold_id = %" PRId64 " RETURNING 1)"
	    " SELECT count(*) FROM u", run_out), 1);
	assert_int_equal(sl_show_states(db, show, &meta, &st, &e), SL_OK);
	assert_int_equal(state_of(pg, show, &st, "A1"), SL_SEAT_AVAILABLE);
	assert_int_equal(state_of(pg, show, &st, "A2"), SL_SEAT_AVAILABLE);
	assert_int_equal(state_of(pg, show, &st, "A3"), SL_SEAT_HELD);
	assert_int_equal(state_of(pg, show, &st, "A4"), SL_SEAT_BOOKED);
	assert_int_equal(state_of(pg, show, &st, "A5"), SL_SEAT_AVAILABLE);
	assert_int_equal(meta->nholds, 1);	/* the running one */
	sl_states_free(&st);
	sl_seats_free(meta);
	/* in the table the run-out hold's seats are still held */
	txt = tdb_state(pg, show, "A1");
	assert_string_equal(txt, "held");
	free(txt);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_show_one_trip),
		cmocka_unit_test(test_big_show_whole),
		cmocka_unit_test(test_error_leaves_nothing_open),
		cmocka_unit_test(test_open_read_one_snapshot),
		cmocka_unit_test(test_states_of_holds),
		cmocka_unit_test(test_many_one_trip),
	};

	return cmocka_run_group_tests_name("read", tests, NULL, NULL);
}
