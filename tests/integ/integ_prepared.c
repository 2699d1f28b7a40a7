/*
 * integ_prepared.c - the booking call prepared on a connection of our own
 * (issue 18: parsing and planning the call was about a tenth of a booking's
 * server time).
 *
 * Checked against the real server: a direct connection books through its
 * prepared statements (pg_prepared_statements of that very session); a
 * session that lost them (DEALLOCATE ALL, as a DISCARD ALL or an unseen
 * pooler would) still books - the statement the server no longer knows
 * failed before it ran, so the text is sent instead, once, and never is a
 * seat sold twice or a booking lost; a libpq connection through which the
 * backend pid is not the server's (PgBouncer) is covered by
 * tests/cli/deploy_pgbouncer.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#define PREPARED_COUNT "SELECT count(*) FROM pg_prepared_statements " \
	"WHERE name IN ('sl_book', 'sl_settings')"

static void
book_one(struct sl_db *db, int64_t show, const char *label, int64_t user)
{
	const char *const labels[1] = { label };
	struct sl_booking *b = NULL;
	struct sl_err e;
	size_t n = 0;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_book_seats(db, show, labels, 1, user, NULL, &b, &n, &e);
	if (rc != SL_OK)
		fail_msg("book %s: %s: %s (%s)", label, sl_rc_name(rc), e.msg,
		    e.sqlstate);
	assert_int_equal(n, 1);
	assert_string_equal(b[0].label, label);
	free(b);
}

static int
prepared_here(struct sl_db *db)
{
	struct sl_err e;
	char buf[32];

	if (sl_db_query_value(db, PREPARED_COUNT, 0, NULL, buf, sizeof buf,
	    &e) != SL_OK)
		fail_msg("pg_prepared_statements: %s", e.msg);
	return atoi(buf);
}

static void
test_direct_prepares(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	int64_t show, user;

	(void)state;
	show = tdb_show(db, 1, 6);
	user = tdb_user(db);
	book_one(db, show, "A1", user);
	/* this session holds the booking call and the settings prepared */
	assert_int_equal(prepared_here(db), 2);
	book_one(db, show, "A2", user);
	assert_int_equal(prepared_here(db), 2);
	assert_int_equal(tdb_active(pg, show), 2);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_deallocated_still_books(void **state)
{
	struct sl_db *db = tdb_connect_noretry();
	PGconn *pg = tdb_pg();
	struct sl_err e;
	int64_t show, user;

	(void)state;
	show = tdb_show(db, 1, 6);
	user = tdb_user(db);
	book_one(db, show, "A1", user);
	assert_int_equal(prepared_here(db), 2);
	/* The server forgets them behind our back. */
	if (sl_db_exec(db, "DEALLOCATE ALL", &e) != SL_OK)
		fail_msg("DEALLOCATE ALL: %s", e.msg);
	assert_int_equal(prepared_here(db), 0);
	book_one(db, show, "A2", user);
	/* the text from then on: nothing prepared again on this session */
	assert_int_equal(prepared_here(db), 0);
	book_one(db, show, "A3", user);
	assert_int_equal(tdb_active(pg, show), 3);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	/* and a reconnect prepares again */
	if (sl_db_reset(db, &e) != SL_OK)
		fail_msg("reset: %s", e.msg);
	book_one(db, show, "A4", user);
	assert_int_equal(prepared_here(db), 2);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_prepares),
		cmocka_unit_test(test_deallocated_still_books),
	};

	return cmocka_run_group_tests_name("prepared", tests, NULL, NULL);
}
