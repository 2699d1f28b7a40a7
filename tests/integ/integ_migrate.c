/*
 * integ_migrate.c - migrations: a second run applies nothing, two
 * terminals migrating at once both succeed and every migration is applied
 * once, and a database that does not match this binary is refused.
 *
 * The shared database is migrated already (tests/run.sh); the concurrent
 * first migration runs on a fresh database made for the test and dropped
 * again.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sl_migrate.h"
#include "testdb.h"

/* The advisory lock sl_migrate_run holds (its key is 74150001). */
#define MIGRATE_LOCK	"locktype = 'advisory' AND classid = 0 AND " \
	"objid = 74150001 AND objsubid = 1"

static void
test_second_run(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_err e;
	int applied[64];
	size_t n = 99;

	(void)state;
	sl_err_clear(&e);
	if (sl_migrate_run(db, applied, 64, &n, &e) != SL_OK)
		fail_msg("migrate: %s", e.msg);
	assert_int_equal(n, 0);
	assert_true(sl_migrate_latest() >= 2);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM schema_migration"),
	    sl_migrate_count());
	assert_int_equal(tdb_int(pg, "SELECT max(version) FROM "
	    "schema_migration"), sl_migrate_latest());
	/* the advisory lock was given back */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM pg_locks WHERE "
	    MIGRATE_LOCK), 0);
	PQfinish(pg);
	sl_db_close(db);
}

struct mig_arg {
	pthread_barrier_t	*barrier;
	struct sl_db		*db;
	enum sl_rc		 rc;
	struct sl_err		 e;
	int			 applied[64];
	size_t			 n;
};

static void *
mig_thread(void *p)
{
	struct mig_arg *a = p;

	pthread_barrier_wait(a->barrier);
	sl_err_clear(&a->e);
	a->rc = sl_migrate_run(a->db, a->applied, 64, &a->n, &a->e);
	return NULL;
}

/* Runs sl_migrate_run on nthreads connections of c at once; returns the
 * sum of the migrations they applied. */
static size_t
migrate_together(const struct sl_config *c, int nthreads)
{
	struct mig_arg a[8];
	pthread_barrier_t barrier;
	pthread_t t[8];
	size_t total = 0;
	int i;

	assert_true(nthreads <= 8);
	pthread_barrier_init(&barrier, NULL, (unsigned)nthreads);
	for (i = 0; i < nthreads; i++) {
		a[i].barrier = &barrier;
		a[i].db = tdb_connect_with(c);
		a[i].n = 0;
		pthread_create(&t[i], NULL, mig_thread, &a[i]);
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (i = 0; i < nthreads; i++) {
		if (a[i].rc != SL_OK)
			fail_msg("thread %d: %s: %s", i, sl_rc_name(a[i].rc),
			    a[i].e.msg);
		total += a[i].n;
		sl_db_close(a[i].db);
	}
	return total;
}

static void
test_concurrent_migrated(void **state)
{
	struct sl_config c;

	(void)state;
	sl_config_defaults(&c);
	assert_int_equal(migrate_together(&c, 4), 0);
}

static void
test_concurrent_fresh(void **state)
{
	PGconn *pg = tdb_pg(), *fresh;
	struct sl_config c;
	struct sl_db *db;
	struct sl_err e;
	char name[64], sql[128];
	int applied[64];
	size_t n;
	int round;
	PGresult *r;

	(void)state;
	PQclear(PQexec(pg, "SET client_min_messages = warning"));
	for (round = 0; round < 2; round++) {
		snprintf(name, sizeof name, "seatlock_mig_%d_%d", (int)getpid(),
		    round);
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
		PQclear(PQexec(pg, sql));
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
		r = PQexec(pg, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", sql, PQerrorMessage(pg));
		PQclear(r);

		sl_config_defaults(&c);
		snprintf(c.dsn, sizeof c.dsn, "dbname=%s", name);
		/* every migration applied once, by one thread or the other */
		assert_int_equal(migrate_together(&c, round == 0 ? 2 : 4),
		    sl_migrate_count());
		assert_int_equal(migrate_together(&c, 2), 0);

		snprintf(sql, sizeof sql, "dbname=%s", name);
		fresh = PQconnectdb(sql);
		assert_int_equal(PQstatus(fresh), CONNECTION_OK);
		assert_int_equal(tdb_int(fresh, "SELECT count(DISTINCT "
		    "version) FROM schema_migration"), sl_migrate_count());
		assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM "
		    "pg_proc WHERE proname IN ('sl_book', 'sl_cancel')"), 2);

		if (round == 1) {
			/* a migration edited after it was applied */
			db = tdb_connect_with(&c);
			PQclear(PQexec(fresh, "UPDATE schema_migration SET "
			    "checksum = '0' WHERE version = 1"));
			sl_err_clear(&e);
			assert_int_equal(sl_migrate_run(db, applied, 64, &n,
			    &e), SL_EDB);
			assert_non_null(strstr(e.msg, "changed"));
			PQclear(PQexec(fresh, "DELETE FROM schema_migration "
			    "WHERE version = 1"));
			/* a database newer than this binary */
			PQclear(PQexec(fresh, "INSERT INTO schema_migration "
			    "(version, name, checksum) VALUES (9999, "
			    "'9999_future.sql', 'x')"));
			assert_int_equal(sl_migrate_run(db, applied, 64, &n,
			    &e), SL_EDB);
			assert_non_null(strstr(e.msg, "newer"));
			/* the lock is released after an error too */
			assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM "
			    "pg_locks WHERE " MIGRATE_LOCK), 0);
			sl_db_close(db);
		}
		PQfinish(fresh);
		snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)",
		    name);
		r = PQexec(pg, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			fail_msg("%s: %s", sql, PQerrorMessage(pg));
		PQclear(r);
	}
	PQfinish(pg);
}

/*
 * A run is one transaction: when a later migration fails, the ones before
 * it in the same run and the function files are not left half applied.
 * (Each migration used to commit on its own: a migration that dropped a
 * function's old signature was visible before the file that defines the
 * new one, and a failure left the database in between.)  A table in the
 * way of the last migration makes it fail on a new database.
 */
static void
test_run_is_atomic(void **state)
{
	PGconn *pg = tdb_pg(), *fresh;
	struct sl_config c;
	struct sl_db *db;
	struct sl_err e;
	char name[64], sql[160];
	int applied[64];
	size_t n = 99;

	(void)state;
	PQclear(PQexec(pg, "SET client_min_messages = warning"));
	snprintf(name, sizeof name, "seatlock_mig_atomic_%d", (int)getpid());
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
	PQclear(PQexec(pg, sql));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	PQclear(PQexec(pg, sql));
	snprintf(sql, sizeof sql, "dbname=%s", name);
	fresh = PQconnectdb(sql);
	assert_int_equal(PQstatus(fresh), CONNECTION_OK);
	/* 0012 creates price_type: one of that name is in its way. */
	PQclear(PQexec(fresh, "CREATE TABLE price_type (x int)"));

	sl_config_defaults(&c);
	snprintf(c.dsn, sizeof c.dsn, "dbname=%s", name);
	db = tdb_connect_with(&c);
	sl_err_clear(&e);
	assert_int_equal(sl_migrate_run(db, applied, 64, &n, &e), SL_EDB);
	assert_non_null(strstr(e.msg, "0012"));
	assert_int_equal(n, 0);
	/* Nothing of the run stayed: no baseline, no recorded version, no
	 * function, no migration lock. */
	assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM schema_migration"),
	    0);
	assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM pg_tables WHERE "
	    "tablename IN ('booking', 'show', 'schema_function')"), 0);
	assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM pg_proc WHERE "
	    "proname = 'sl_book'"), 0);
	assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM pg_locks WHERE "
	    MIGRATE_LOCK), 0);

	/* Out of the way, the same run applies everything. */
	PQclear(PQexec(fresh, "DROP TABLE price_type"));
	assert_int_equal(sl_migrate_run(db, applied, 64, &n, &e), SL_OK);
	assert_int_equal(n, (size_t)sl_migrate_count());
	assert_int_equal(tdb_int(fresh, "SELECT count(*) FROM pg_proc WHERE "
	    "proname = 'sl_book'"), 1);
	sl_db_close(db);
	PQfinish(fresh);
	snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", name);
	PQclear(PQexec(pg, sql));
	PQfinish(pg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_run),
		cmocka_unit_test(test_concurrent_migrated),
		cmocka_unit_test(test_concurrent_fresh),
		cmocka_unit_test(test_run_is_atomic),
	};

	return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
