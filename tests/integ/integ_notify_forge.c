/*
 * integ_notify_forge.c - issue 17, findings 13 and 14: any database login
 * may NOTIFY a show's channel, so the listener must survive what a
 * stranger sends there:
 *  - a forged seq of 9223372036854775807 made it compute INT64_MAX + 1 on
 *    the next notification (the sanitizer build exits: make test-asan);
 *    a negative or INT64_MAX seq is now an unexpected payload (reload);
 *  - a flood of 20,000 payloads in one moment wrote 20,000 lines into the
 *    box office's log: now at most SL_LOG_LIMIT_PER_SEC lines a second
 *    plus one "N more ... not logged" summary line.
 */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "integ/testdb.h"
#include "integ/notify_wait.h"
#include "sl_log.h"
#include "sl_notify.h"

/* NOTIFY seatlock_show_<show> with payload, as any login can. */
static void
forge(PGconn *pg, int64_t show, const char *payload)
{
	char chan[64];
	const char *params[2];
	PGresult *r;

	snprintf(chan, sizeof chan, "seatlock_show_%" PRId64, show);
	params[0] = chan;
	params[1] = payload;
	r = PQexecParams(pg, "SELECT pg_notify($1, $2)", 2, NULL, params,
	    NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
}

static struct sl_notify *
listener(struct sl_config *c, int64_t show)
{
	struct sl_notify *n;
	struct sl_notify_event ev;
	struct sl_err e;

	assert_int_equal(sl_notify_new(c, &n, &e), SL_OK);
	sl_notify_listen(n, show);
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 10000));
	return n;
}

static void
test_forged_seq(void **state)
{
	struct sl_config c;
	struct sl_notify *n;
	struct sl_notify_event ev;
	struct sl_db *db;
	PGconn *pg;
	char p[256];
	int64_t show;

	(void)state;
	db = tdb_connect();
	pg = tdb_pg();
	show = tdb_show(db, 1, 4);
	sl_config_defaults(&c);
	n = listener(&c, show);

	/* INT64_MAX, then an ordinary one: no INT64_MAX + 1 anywhere. */
	sl_notify_set_seq(n, 1);
	snprintf(p, sizeof p, "{\"show\":%" PRId64 ",\"seq\":"
	    "9223372036854775807,\"state\":\"free\",\"seats\":[1]}", show);
	forge(pg, show, p);
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 10000));
	assert_int_equal(ev.reload, 1);
	snprintf(p, sizeof p, "{\"show\":%" PRId64 ",\"seq\":3,"
	    "\"state\":\"free\",\"seats\":[1]}", show);
	forge(pg, show, p);
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 10000));
	assert_int_equal(ev.seq, 3);
	assert_int_equal(ev.gap, 1);	/* 1 -> 3 skipped 2 */

	/* A negative seq is no change sequence: reload, never trusted. */
	sl_notify_set_seq(n, 1);
	snprintf(p, sizeof p, "{\"show\":%" PRId64 ",\"seq\":-5,"
	    "\"state\":\"free\",\"seats\":[1]}", show);
	forge(pg, show, p);
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 10000));
	assert_int_equal(ev.reload, 1);
	assert_int_equal(ev.seq, -1);

	sl_notify_free(n);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_flood(void **state)
{
	struct sl_config c;
	struct sl_notify *n;
	struct sl_notify_event ev;
	struct sl_db *db;
	struct sl_err e;
	char path[] = "/tmp/slnflood.XXXXXX", line[512], q[256];
	PGconn *pg;
	PGresult *r;
	FILE *f;
	int64_t show, end;
	long got = 0, lines = 0;
	int fd;

	(void)state;
	db = tdb_connect();
	pg = tdb_pg();
	show = tdb_show(db, 1, 4);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	sl_config_defaults(&c);
	assert_int_equal(sl_log_open(path, &c.log, &e), SL_OK);
	n = listener(&c, show);

	/* 20,000 distinct forged payloads in one transaction. */
	snprintf(q, sizeof q, "SELECT count(pg_notify('seatlock_show_%"
	    PRId64 "', 'forged ' || i)) FROM generate_series(1, 20000) i",
	    show);
	r = PQexec(pg, q);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	end = now_ms() + 30000;
	while (got < 20000 && now_ms() < end)
		if (wait_event(n, SL_NOTIFY_CHANGE, &ev, 1000))
			got++;
	assert_int_equal(got, 20000);
	sl_notify_free(n);
	sl_log_close(c.log);

	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		lines++;
	fclose(f);
	unlink(path);
	printf("# 20000 forged notifications, %ld log lines\n", lines);
	/* 5 a second plus a summary; the drain takes a few seconds. */
	assert_true(lines <= 60);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forged_seq),
		cmocka_unit_test(test_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
