/*
 * integ_deploy.c - what a deployment behind PgBouncer needs from the core,
 * against the real database:
 *  - the timeouts travel with each statement (for its transaction only):
 *    they hold, and the session keeps no state of ours;
 *  - a statement_timeout and a lock_timeout still end waits; a statement
 *    after an error in a transaction block reports that error; a lost
 *    connection is SL_ECONN and comes back with sl_db_reset;
 *  - the listener uses database.listen_dsn when it is set, and the
 *    bookings the other DSN.
 * (tests/cli/deploy_pgbouncer.sh runs the same through a real PgBouncer.)
 */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "integ/testdb.h"
#include "integ/notify_wait.h"
#include "sl_notify.h"

static int
setup(void **state)
{
	(void)state;
	/* The DSNs of these tests come from their configs only. */
	unsetenv("SEATLOCK_DSN");
	unsetenv("SEATLOCK_LISTEN_DSN");
	return 0;
}

static void
test_timeouts_per_statement(void **state)
{
	struct sl_config c;
	struct sl_db *db;
	struct sl_err e;
	char buf[64];

	(void)state;
	sl_config_defaults(&c);
	c.lock_timeout_ms = 1234;
	c.statement_timeout_ms = 4321;
	db = tdb_connect_with(&c);
	assert_int_equal(sl_db_query_value(db,
	    "SELECT current_setting('lock_timeout')", 0, NULL, buf, sizeof buf,
	    &e), SL_OK);
	assert_string_equal(buf, "1234ms");
	assert_int_equal(sl_db_query_value(db,
	    "SELECT current_setting('statement_timeout')", 0, NULL, buf,
	    sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "4321ms");
	/* Outside a transaction sl_db_exec sends nothing before the
	 * statement: what it sees is the session's own state, which must be
	 * the server's defaults (no SET of ours survives a statement). */
	assert_int_equal(sl_db_exec(db, "DO $$ BEGIN "
	    "IF current_setting('lock_timeout') <> '0' OR "
	    "current_setting('statement_timeout') <> '0' THEN "
	    "RAISE EXCEPTION 'session state left: %, %', "
	    "current_setting('lock_timeout'), "
	    "current_setting('statement_timeout'); END IF; END $$", &e),
	    SL_OK);
	/* Inside a transaction block it sets them for the block. */
	assert_int_equal(sl_db_exec(db, "BEGIN", &e), SL_OK);
	assert_int_equal(sl_db_exec(db, "DO $$ BEGIN "
	    "IF current_setting('lock_timeout') <> '1234ms' THEN "
	    "RAISE EXCEPTION 'no lock_timeout in the block'; END IF; END $$",
	    &e), SL_OK);
	assert_int_equal(sl_db_exec(db, "COMMIT", &e), SL_OK);
	assert_int_equal(sl_db_exec(db, "DO $$ BEGIN "
	    "IF current_setting('lock_timeout') <> '0' THEN "
	    "RAISE EXCEPTION 'left after the block'; END IF; END $$", &e),
	    SL_OK);
	sl_db_close(db);
}

static void
test_statement_timeout(void **state)
{
	struct sl_config c;
	struct sl_db *db;
	struct sl_err e;
	char buf[64];
	int64_t t0;

	(void)state;
	sl_config_defaults(&c);
	c.statement_timeout_ms = 200;
	db = tdb_connect_with(&c);
	t0 = now_ms();
	assert_int_equal(sl_db_query_value(db, "SELECT pg_sleep(5)::text", 0,
	    NULL, buf, sizeof buf, &e), SL_EBUSY);
	assert_string_equal(e.sqlstate, "57014");
	/* Loose bound for a loaded machine; the sleep would take 5 s. */
	assert_true(now_ms() - t0 < 4000);
	assert_int_equal(sl_db_query_value(db, "SELECT 'still here'", 0, NULL,
	    buf, sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "still here");
	sl_db_close(db);
}

static void
test_lock_timeout_booking(void **state)
{
	struct sl_config c;
	struct sl_db *db;
	struct sl_booking *b;
	struct sl_err e;
	PGconn *pg = tdb_pg();
	const char *labels[] = { "A1" };
	int64_t show, user, t0;
	size_t n;

	(void)state;
	sl_config_defaults(&c);
	c.lock_timeout_ms = 200;
	c.retries = 0;
	db = tdb_connect_with(&c);
	show = tdb_show(db, 1, 4);
	user = tdb_user(db);
	/* Another session holds the seat's row lock; our session has no
	 * lock_timeout of its own, only the one sent with the booking. */
	PQclear(PQexec(pg, "BEGIN"));
	tdb_int(pg, "SELECT count(*) FROM (SELECT 1 FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND seat_id = %" PRId64 " FOR UPDATE) x",
	    show, tdb_seat_id(pg, show, "A1"));
	t0 = now_ms();
	assert_int_equal(sl_book_seats(db, show, labels, 1, user, NULL, &b, &n,
	    &e), SL_EBUSY);
	assert_string_equal(e.sqlstate, "55P03");
	assert_true(now_ms() - t0 < 4000);
	PQclear(PQexec(pg, "ROLLBACK"));
	assert_int_equal(sl_book_seats(db, show, labels, 1, user, NULL, &b, &n,
	    &e), SL_OK);
	assert_int_equal(n, 1);
	free(b);
	assert_int_equal(tdb_active(pg, show), 1);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_error_in_transaction_block(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_err e;
	char buf[64];

	(void)state;
	assert_int_equal(sl_db_exec(db, "BEGIN", &e), SL_OK);
	assert_int_not_equal(sl_db_query_value(db, "SELECT (1/0)::text", 0,
	    NULL, buf, sizeof buf, &e), SL_OK);
	assert_string_equal(e.sqlstate, "22012");
	/* The timeouts cannot be set in an aborted block: that error is
	 * the block's, and it is what the caller must see. */
	assert_int_not_equal(sl_db_query_value(db, "SELECT 'x'", 0, NULL, buf,
	    sizeof buf, &e), SL_OK);
	assert_string_equal(e.sqlstate, "25P02");
	assert_int_not_equal(sl_db_exec(db, "SELECT 1", &e), SL_OK);
	assert_int_equal(sl_db_exec(db, "ROLLBACK", &e), SL_OK);
	assert_int_equal(sl_db_query_value(db, "SELECT 'again'", 0, NULL, buf,
	    sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "again");
	sl_db_close(db);
}

static void
test_connection_lost(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_err e;
	PGconn *pg = tdb_pg();
	char buf[64];
	int i, pid = sl_db_backend_pid(db);

	(void)state;
	assert_true(pid > 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM (SELECT "
	    "pg_terminate_backend(%d)) x", pid), 1);
	/* The backend is gone once pg_stat_activity no longer lists it. */
	for (i = 0; i < 100 && tdb_int(pg, "SELECT count(*) FROM "
	    "pg_stat_activity WHERE pid = %d", pid) > 0; i++)
		usleep(50000);
	assert_int_equal(sl_db_query_value(db, "SELECT 'x'", 0, NULL, buf,
	    sizeof buf, &e), SL_ECONN);
	assert_false(sl_db_alive(db));
	assert_int_equal(sl_db_reset(db, &e), SL_OK);
	assert_int_equal(sl_db_query_value(db,
	    "SELECT current_setting('lock_timeout')", 0, NULL, buf, sizeof buf,
	    &e), SL_OK);
	assert_string_equal(buf, "2s");
	PQfinish(pg);
	sl_db_close(db);
}

/* A conninfo that libpq cannot reach: a socket directory that is not. */
#define BAD_DSN	"host=/nonexistent/seatlock-test connect_timeout=2"
/* The test cluster, from the PG* variables. */
#define GOOD_DSN "connect_timeout=5"

static void
test_listen_dsn(void **state)
{
	struct sl_config c;
	struct sl_notify *n;
	struct sl_notify_event ev;
	struct sl_db *db, *bad = NULL;
	struct sl_booking *b;
	struct sl_err e;
	const char *labels[] = { "A2" };
	int64_t show, user;
	size_t nb;
	PGconn *pg;

	(void)state;
	db = tdb_connect();
	show = tdb_show(db, 1, 4);
	user = tdb_user(db);

	/* Bookings to a DSN that cannot connect, the listener to one that
	 * can: each uses its own. */
	sl_config_defaults(&c);
	snprintf(c.dsn, sizeof c.dsn, "%s", BAD_DSN);
	snprintf(c.listen_dsn, sizeof c.listen_dsn, "%s", GOOD_DSN);
	assert_string_equal(sl_config_listen_dsn(&c), GOOD_DSN);
	assert_int_equal(sl_db_connect(&c, &bad, &e), SL_ECONN);
	assert_int_equal(sl_notify_new(&c, &n, &e), SL_OK);
	sl_notify_listen(n, show);
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 10000));
	assert_int_equal(sl_notify_status(n), SL_NOTIFY_UP);
	assert_true(sl_notify_backend_pid(n) > 0);
	assert_int_equal(sl_book_seats(db, show, labels, 1, user, NULL, &b,
	    &nb, &e), SL_OK);
	free(b);
	pg = tdb_pg();
	tdb_flush(pg);	/* the notifier announces it (issue 17) */
	PQfinish(pg);
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 10000));
	assert_int_equal(ev.show, show);
	sl_notify_free(n);

	/* And the other way round: the listener does not fall back to the
	 * bookings' DSN when its own fails. */
	snprintf(c.dsn, sizeof c.dsn, "%s", GOOD_DSN);
	snprintf(c.listen_dsn, sizeof c.listen_dsn, "%s", BAD_DSN);
	assert_int_equal(sl_notify_new(&c, &n, &e), SL_OK);
	sl_notify_listen(n, show);
	assert_false(wait_event(n, SL_NOTIFY_READY, &ev, 1500));
	assert_true(strstr(sl_notify_error(n), "seatlock-test") != NULL);
	sl_notify_free(n);

	/* Without a listen DSN the listener follows database.dsn. */
	c.listen_dsn[0] = '\0';
	assert_int_equal(sl_notify_new(&c, &n, &e), SL_OK);
	sl_notify_listen(n, show);
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 10000));
	sl_notify_free(n);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeouts_per_statement),
		cmocka_unit_test(test_statement_timeout),
		cmocka_unit_test(test_lock_timeout_booking),
		cmocka_unit_test(test_error_in_transaction_block),
		cmocka_unit_test(test_connection_lost),
		cmocka_unit_test(test_listen_dsn),
	};

	return cmocka_run_group_tests_name("deploy", tests, setup, NULL);
}
