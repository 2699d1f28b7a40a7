/*
 * integ_pool.c - the connection pool of `seatlock serve` and the sl_db
 * calls it relies on, against the real PostgreSQL: threads borrowing and
 * returning, a bounded wait, a lost connection coming back, a role that
 * survives a reconnect, LISTEN/NOTIFY through sl_db.
 */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "testdb.h"
#include "sl_pool.h"

static struct sl_pool *
pool_open(int size)
{
	struct sl_config c;
	struct sl_pool *p = NULL;
	struct sl_err e;

	sl_config_defaults(&c);
	if (sl_pool_open(&c, size, &p, &e) != SL_OK) {
		fprintf(stderr, "pool_open: %s\n", e.msg);
		abort();
	}
	return p;
}

struct borrower {
	struct sl_pool	*pool;
	int		 fails;
};

/* Borrows, runs a query, returns; 200 times. */
static void *
borrow_loop(void *arg)
{
	struct borrower *b = arg;
	struct sl_db *db;
	struct sl_err e;
	char buf[16];
	int i;

	for (i = 0; i < 200; i++) {
		if (sl_pool_get(b->pool, 30000, &db, &e) != SL_OK) {
			b->fails++;
			continue;
		}
		if (sl_db_query_value(db, "SELECT 1", 0, NULL, buf, sizeof buf,
		    &e) != SL_OK)
			b->fails++;
		sl_pool_put(b->pool, db);
	}
	return NULL;
}

static void
test_threads_share_and_return(void **state)
{
	struct sl_pool *p = pool_open(3);
	struct borrower b[8];
	pthread_t t[8];
	struct sl_pool_stats st;
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		b[i].pool = p;
		b[i].fails = 0;
		assert_int_equal(pthread_create(&t[i], NULL, borrow_loop,
		    &b[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(b[i].fails, 0);
	}
	sl_pool_stats(p, &st);
	assert_int_equal(st.size, 3);
	assert_int_equal(st.idle, 3);
	assert_int_equal(st.waiting, 0);
	assert_int_equal(st.timeouts, 0);
	sl_pool_close(p);
}

static void
test_wait_is_bounded(void **state)
{
	struct sl_pool *p = pool_open(1);
	struct sl_db *a, *b = NULL;
	struct sl_pool_stats st;
	struct sl_err e;

	(void)state;
	assert_int_equal(sl_pool_get(p, 1000, &a, &e), SL_OK);
	assert_int_equal(sl_pool_get(p, 100, &b, &e), SL_EBUSY);
	assert_null(b);
	sl_pool_stats(p, &st);
	assert_int_equal(st.idle, 0);
	assert_int_equal(st.timeouts, 1);
	sl_pool_put(p, a);
	assert_int_equal(sl_pool_get(p, 100, &b, &e), SL_OK);
	assert_ptr_equal(a, b);
	sl_pool_put(p, b);
	sl_pool_close(p);
}

struct queued {
	struct sl_pool	*pool;
	int		 id;
	int		*order;		/* ids in the order served */
	int		*n;
	pthread_mutex_t	*mu;
	uint64_t	 key;		/* the client, 0 = none */
};

/* Waits for the connection, notes its turn, gives it back. */
static void *
queued_get(void *arg)
{
	struct queued *q = arg;
	struct sl_db *db;
	struct sl_err e;

	if (sl_pool_get_for(q->pool, q->key, 30000, &db, &e) != SL_OK)
		return NULL;
	pthread_mutex_lock(q->mu);
	q->order[(*q->n)++] = q->id;
	pthread_mutex_unlock(q->mu);
	sl_pool_put(q->pool, db);
	return NULL;
}

/* Waits until n threads wait in the pool. */
static void
wait_waiting(struct sl_pool *p, int n)
{
	struct sl_pool_stats st;

	do {
		usleep(2000);
		sl_pool_stats(p, &st);
	} while (st.waiting < n);
}

/*
 * First come, first served: three threads queue for a pool of one, in
 * turn; the holder gives the connection back and asks again at once - it
 * must not take it from under them, and they are served in their order.
 */
static void
test_waiters_served_in_turn(void **state)
{
	struct sl_pool *p = pool_open(1);
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct queued q[3];
	pthread_t th[3];
	struct sl_db *a, *again = NULL;
	struct sl_err e;
	int order[4], n = 0, i;

	(void)state;
	assert_int_equal(sl_pool_get(p, 1000, &a, &e), SL_OK);
	for (i = 0; i < 3; i++) {
		q[i] = (struct queued){ p, i + 1, order, &n, &mu, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, queued_get,
		    &q[i]), 0);
		wait_waiting(p, i + 1);
	}
	sl_pool_put(p, a);
	/* Barging in: this caller is fourth in line now. */
	assert_int_equal(sl_pool_get(p, 30000, &again, &e), SL_OK);
	pthread_mutex_lock(&mu);
	order[n++] = 4;
	pthread_mutex_unlock(&mu);
	sl_pool_put(p, again);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(order[i], i + 1);
	sl_pool_close(p);
}

/*
 * Fair between clients (issue 17, finding 15): a client (key) never holds
 * all of a pool of two or more, so another gets the last connection at
 * once; and a connection given back goes to the waiting client holding
 * the fewest, even if another waits longer.
 */
static void
test_fair_between_clients(void **state)
{
	struct sl_pool *p = pool_open(4);
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct sl_db *a[3], *b = NULL, *none = NULL, *x = NULL;
	struct queued q[2];
	pthread_t th[2];
	struct sl_err e;
	int order[2], n = 0, i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(sl_pool_get_for(p, 1, 1000, &a[i], &e),
		    SL_OK);
	/* Client 1 holds 3 of 4: the last is not its to take. */
	assert_int_equal(sl_pool_get_for(p, 1, 100, &x, &e), SL_EBUSY);
	assert_null(x);
	/* Client 2 gets it at once. */
	assert_int_equal(sl_pool_get_for(p, 2, 100, &b, &e), SL_OK);
	/* Client 1 gives one back and asks again: it waits first in line
	 * (holding 2); client 3 (holding none) waits after it. */
	sl_pool_put(p, a[2]);
	assert_int_equal(sl_pool_get(p, 100, &none, &e), SL_OK);
	q[0] = (struct queued){ p, 1, order, &n, &mu, 1 };
	q[1] = (struct queued){ p, 3, order, &n, &mu, 3 };
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, queued_get,
		    &q[i]), 0);
		wait_waiting(p, i + 1);
	}
	/* Given back: client 3's turn (it holds the fewest), then 1's. */
	sl_pool_put(p, none);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(n, 2);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 1);
	sl_pool_put(p, b);
	sl_pool_put(p, a[0]);
	sl_pool_put(p, a[1]);
	sl_pool_close(p);
}

/* Kills db's server process from another session; waits until gone. */
static void
kill_backend(PGconn *pg, struct sl_db *db)
{
	int pid = sl_db_backend_pid(db);

	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM (SELECT "
	    "pg_terminate_backend(%d)) t", pid), 1);
	while (tdb_int(pg, "SELECT count(*) FROM pg_stat_activity WHERE "
	    "pid = %d", pid) != 0)
		usleep(20000);
}

static void
test_lost_connection_comes_back(void **state)
{
	struct sl_pool *p = pool_open(1);
	PGconn *pg = tdb_pg();
	struct sl_db *db;
	struct sl_err e;
	char buf[16];

	(void)state;
	assert_int_equal(sl_pool_get(p, 1000, &db, &e), SL_OK);
	kill_backend(pg, db);
	/* The failed query tells libpq the connection is gone. */
	assert_int_equal(sl_db_query_value(db, "SELECT 1", 0, NULL, buf,
	    sizeof buf, &e), SL_ECONN);
	sl_pool_put(p, db);
	assert_int_equal(sl_pool_get(p, 1000, &db, &e), SL_OK);
	assert_int_equal(sl_db_query_value(db, "SELECT 2", 0, NULL, buf,
	    sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "2");
	sl_pool_put(p, db);
	sl_pool_close(p);
	PQfinish(pg);
}

static void
test_role_survives_reconnect(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_err e;
	char buf[64];
	PGresult *r;

	(void)state;
	r = PQexec(pg, "DO $$ BEGIN CREATE ROLE sl_integ_api NOLOGIN; "
	    "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
	PQclear(r);
	assert_int_equal(sl_db_set_role(db, "sl_integ_api", &e), SL_OK);
	assert_int_equal(sl_db_query_value(db, "SELECT current_user", 0, NULL,
	    buf, sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "sl_integ_api");
	/* A reconnect must not fall back to the wider login role. */
	kill_backend(pg, db);
	assert_int_equal(sl_db_reset(db, &e), SL_OK);
	assert_int_equal(sl_db_query_value(db, "SELECT current_user", 0, NULL,
	    buf, sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "sl_integ_api");
	/* Back to the login role. */
	assert_int_equal(sl_db_set_role(db, NULL, &e), SL_OK);
	assert_int_equal(sl_db_query_value(db, "SELECT current_user = "
	    "session_user", 0, NULL, buf, sizeof buf, &e), SL_OK);
	assert_string_equal(buf, "t");
	/* A role that does not exist is refused, and not taken later. */
	assert_int_not_equal(sl_db_set_role(db, "sl_no_such_role_x", &e),
	    SL_OK);
	sl_db_close(db);
	PQfinish(pg);
}

static void
test_listen_notify(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct pollfd pfd;
	struct sl_err e;
	char *payload = NULL;
	PGresult *r;
	int tries;

	(void)state;
	assert_int_equal(sl_db_listen(db, "seatlock_show_424242", &e), SL_OK);
	assert_int_equal(sl_db_notify_next(db, &payload, &e), SL_OK);
	assert_null(payload);
	r = PQexec(pg, "NOTIFY seatlock_show_424242, 'hello'");
	PQclear(r);
	for (tries = 0; tries < 50 && payload == NULL; tries++) {
		pfd.fd = sl_db_socket(db);
		pfd.events = POLLIN;
		poll(&pfd, 1, 100);
		assert_int_equal(sl_db_notify_next(db, &payload, &e), SL_OK);
	}
	assert_non_null(payload);
	assert_string_equal(payload, "hello");
	free(payload);
	/* A lost listener says so (the server's goodbye may come first). */
	kill_backend(pg, db);
	for (tries = 0; tries < 20; tries++) {
		pfd.fd = sl_db_socket(db);
		pfd.events = POLLIN;
		if (pfd.fd >= 0)
			poll(&pfd, 1, 100);
		if (sl_db_notify_next(db, &payload, &e) != SL_OK)
			break;
		assert_null(payload);
	}
	assert_int_equal(e.rc, SL_ECONN);
	sl_db_close(db);
	PQfinish(pg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads_share_and_return),
		cmocka_unit_test(test_wait_is_bounded),
		cmocka_unit_test(test_waiters_served_in_turn),
		cmocka_unit_test(test_fair_between_clients),
		cmocka_unit_test(test_lost_connection_comes_back),
		cmocka_unit_test(test_role_survives_reconnect),
		cmocka_unit_test(test_listen_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
