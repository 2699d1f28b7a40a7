/*
 * integ_pipeline_commit.c - a statement's answer is not its commit.
 *
 * The core sends each statement in a pipeline (settings, statement, Sync):
 * the implicit transaction commits at the Sync, after the statement's rows
 * have been sent.  Found by the ledger test under a fast restart: a booking
 * was reported done although its transaction never committed, because the
 * answer that came before the commit was taken as the outcome.  Attacked
 * here the two ways it happens: a deferred check that refuses at commit,
 * and a backend ended while it commits.  Each must be reported as failed
 * or unknown, never as done, and nothing may be in the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integ/testdb.h"

struct probe {
	char	table[64];
	PGconn	*pg;
};

/* A table whose rows are checked at commit by a trigger running body. */
static void
probe_make(struct probe *p, const char *body)
{
	static int n;
	char sql[1024];

	p->pg = tdb_pg();
	snprintf(p->table, sizeof p->table, "pipe_probe_%d_%d", (int)getpid(),
	    ++n);
	snprintf(sql, sizeof sql,
	    "CREATE TABLE %s (id int);"
	    "CREATE FUNCTION %s_check() RETURNS trigger LANGUAGE plpgsql "
	    "AS $$BEGIN %s RETURN NULL; END$$;"
	    "CREATE CONSTRAINT TRIGGER %s_at_commit AFTER INSERT ON %s "
	    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
	    "EXECUTE FUNCTION %s_check();",
	    p->table, p->table, body, p->table, p->table, p->table);
	PQclear(PQexec(p->pg, sql));
	assert_int_equal(tdb_int(p->pg, "SELECT count(*) FROM pg_class WHERE "
	    "relname = '%s'", p->table), 1);
}

static void
probe_drop(struct probe *p)
{
	char sql[256];

	snprintf(sql, sizeof sql, "DROP TABLE %s; DROP FUNCTION %s_check();",
	    p->table, p->table);
	PQclear(PQexec(p->pg, sql));
	PQfinish(p->pg);
}

static struct sl_db *
probe_connect(void)
{
	struct sl_config c;

	sl_config_defaults(&c);
	c.retries = 0;		/* the first outcome is the one we judge */
	c.statement_timeout_ms = 20000;
	return tdb_connect_with(&c);
}

/* A deferred check refuses the row at commit: the insert's answer came
 * first, but the outcome is the refusal. */
static void
test_refused_at_commit(void **state)
{
	struct probe p;
	struct sl_db *db;
	struct sl_err e;
	char sql[160], buf[32];
	enum sl_rc rc;

	(void)state;
	probe_make(&p, "RAISE EXCEPTION 'refused at commit' "
	    "USING ERRCODE = 'SL409';");
	db = probe_connect();
	snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (1) RETURNING id",
	    p.table);
	sl_err_clear(&e);
	rc = sl_db_query_value(db, sql, 0, NULL, buf, sizeof buf, &e);
	assert_int_not_equal(rc, SL_OK);
	if (strstr(e.msg, "refused at commit") == NULL)
		fail_msg("the refusal was not reported: rc %d, \"%s\"", (int)rc,
		    e.msg);
	assert_int_equal(tdb_int(p.pg, "SELECT count(*) FROM %s", p.table), 0);
	/* The connection is still good for the next statement. */
	assert_int_equal(sl_db_query_value(db, "SELECT 1", 0, NULL, buf,
	    sizeof buf, &e), SL_OK);
	sl_db_close(db);
	probe_drop(&p);
}

struct killer {
	int	pid;
	int	done;
};

/* Ends the backend pid one second on, while it sleeps in its commit. */
static void *
probe_kill(void *arg)
{
	struct killer *k = arg;
	PGconn *pg = tdb_pg();

	usleep(1000 * 1000);
	k->done = tdb_int(pg, "SELECT pg_terminate_backend(%d)::int", k->pid);
	PQfinish(pg);
	return NULL;
}

/* The backend is ended while it commits: the rows were sent before, the
 * commit never happened; the outcome is a lost connection (unknown), not
 * success. */
static void
test_ended_while_committing(void **state)
{
	struct probe p;
	struct sl_db *db;
	struct sl_err e;
	struct killer k;
	pthread_t th;
	char sql[160], buf[32];
	enum sl_rc rc;

	(void)state;
	probe_make(&p, "PERFORM pg_sleep(4);");
	db = probe_connect();
	memset(&k, 0, sizeof k);
	k.pid = sl_db_backend_pid(db);
	assert_true(k.pid > 0);
	assert_int_equal(pthread_create(&th, NULL, probe_kill, &k), 0);
	snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (1) RETURNING id",
	    p.table);
	sl_err_clear(&e);
	rc = sl_db_query_value(db, sql, 0, NULL, buf, sizeof buf, &e);
	pthread_join(th, NULL);
	assert_int_equal(k.done, 1);
	assert_int_not_equal(rc, SL_OK);
	assert_int_equal(tdb_int(p.pg, "SELECT count(*) FROM %s", p.table), 0);
	sl_db_close(db);
	probe_drop(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_at_commit),
		cmocka_unit_test(test_ended_while_committing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
