/*
 * integ_showlocks.c - old migration 0009, now part of the baseline
 * (sql/migrations/0001_baseline.sql): a booking (any notify mode) leaves
 * the show row unlocked, and the keys that remain still make a booking of a
 * seat of another venue than its show's impossible.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "integ/testdb.h"

/* Runs sql on pg; returns its SQLSTATE ("" on success, statically kept). */
static const char *
sqlstate(PGconn *pg, const char *fmt, ...)
{
	static char st[6];
	char sql[2048];
	va_list ap;
	PGresult *r;
	const char *s;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	r = PQexec(pg, sql);
	st[0] = '\0';
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK) {
		s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		snprintf(st, sizeof st, "%s", s != NULL ? s : "?????");
	}
	PQclear(r);
	return st;
}

/*
 * An open booking transaction holds no lock on its show's row, whatever
 * its notify mode: another session can take FOR UPDATE NOWAIT on it.  (In
 * per-commit mode it did, the change_seq update, until issue 17's finding
 * 5: a clerk's open transaction froze the show.)
 */
static void
booking_leaves_show_row_alone(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *a = tdb_pg(), *b = tdb_pg();
	const char *modes[] = { "batched", "off", "per-commit" };
	int64_t show, user;
	size_t i;

	(void)state;
	show = tdb_show(db, 2, 5);
	user = tdb_user(db);
	assert_string_equal(sqlstate(b, "SET lock_timeout = '5s'"), "");
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		assert_string_equal(sqlstate(a, "SET seatlock.notify_mode = "
		    "'%s'", modes[i]), "");
		assert_string_equal(sqlstate(a, "BEGIN"), "");
		assert_string_equal(sqlstate(a, "SELECT * FROM sl_book(%"
		    PRId64 ", ARRAY['A%zu'], %" PRId64 ", 'showlocks-%s-%zu')",
		    show, i + 1, user, tdb_unique(), i), "");
		/* per-commit too since issue 17 (finding 5): it used to
		 * update the show row (55P03 lock_not_available here) */
		assert_string_equal(sqlstate(b, "SELECT 1 FROM show "
		    "WHERE show_id = %" PRId64 " FOR UPDATE NOWAIT",
		    show), "");
		assert_string_equal(sqlstate(a, "COMMIT"), "");
	}
	assert_int_equal(tdb_int(a, "SELECT count(*) FROM booking WHERE "
	    "show_id = %" PRId64 " AND status = 'active'", show), 3);
	/* what batched mode logged is flushed by the notifier (none runs
	 * here): flush it so nothing is left for others */
	tdb_int(a, "SELECT sl_notify_flush()");
	PQfinish(a);
	PQfinish(b);
	sl_db_close(db);
}

/*
 * Booking rows that name a seat of another venue than the show's, written
 * straight into the table, are refused by the keys, whichever venue_id they
 * claim.
 */
static void
keys_forbid_cross_venue(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	int64_t show_a, show_b, venue_a, venue_b, seat_b, user, req;

	(void)state;
	show_a = tdb_show(db, 1, 3);
	show_b = tdb_show(db, 1, 3);
	user = tdb_user(db);
	venue_a = tdb_int(pg, "SELECT venue_id FROM show WHERE show_id = %"
	    PRId64, show_a);
	venue_b = tdb_int(pg, "SELECT venue_id FROM show WHERE show_id = %"
	    PRId64, show_b);
	assert_true(venue_a != venue_b);
	seat_b = tdb_int(pg, "SELECT min(seat_id) FROM seat WHERE venue_id = %"
	    PRId64, venue_b);
	req = tdb_int(pg, "INSERT INTO booking_request (request_key, show_id, "
	    "user_id, seat_ids) VALUES ('keys-%s', %" PRId64 ", %" PRId64
	    ", ARRAY[%" PRId64 "]) RETURNING request_id", tdb_unique(),
	    show_a, user, seat_b);
	/* show of venue A, seat of venue B, claiming either venue */
	assert_string_equal(sqlstate(pg, "INSERT INTO booking (show_id, "
	    "seat_id, venue_id, user_id, request_id) VALUES (%" PRId64 ", %"
	    PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 ")", show_a, seat_b,
	    venue_a, user, req), "23503");
	assert_string_equal(sqlstate(pg, "INSERT INTO booking (show_id, "
	    "seat_id, venue_id, user_id, request_id) VALUES (%" PRId64 ", %"
	    PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 ")", show_a, seat_b,
	    venue_b, user, req), "23503");
	/* the right venue works */
	assert_string_equal(sqlstate(pg, "INSERT INTO booking (show_id, "
	    "seat_id, venue_id, user_id, request_id) VALUES (%" PRId64 ", %"
	    PRId64 ", %" PRId64 ", %" PRId64 ", %" PRId64 ")", show_b, seat_b,
	    venue_b, user, req), "");
	/* and an inventory row can't carry the wrong venue either */
	assert_string_equal(sqlstate(pg, "UPDATE show_seat SET venue_id = %"
	    PRId64 " WHERE show_id = %" PRId64 " AND seat_id = %" PRId64,
	    venue_a, show_b, seat_b), "23503");
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(booking_leaves_show_row_alone),
		cmocka_unit_test(keys_forbid_cross_venue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
