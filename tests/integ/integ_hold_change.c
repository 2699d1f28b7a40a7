/*
 * integ_hold_change.c - a box office's selection as one hold: seats added
 * to and taken out of a live hold (sl_hold_change), never freeing a seat it
 * keeps; only its own terminal may change it; a seat that is not free is
 * refused and the hold stays as it was; the hold is then sold atomically.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "integ/testdb.h"
#include "sl_hold.h"
#include "sl_sell.h"

static struct sl_db *
connect_as(const char *terminal)
{
	struct sl_config c;

	sl_config_defaults(&c);
	snprintf(c.terminal, sizeof c.terminal, "%s", terminal);
	return tdb_connect_with(&c);
}

static void
assert_state(PGconn *pg, int64_t show, const char *label, const char *want)
{
	char *st = tdb_state(pg, show, label);

	assert_string_equal(st, want);
	free(st);
}

static void
test_change(void **state)
{
	struct sl_db *a = connect_as("box-a"), *b = connect_as("box-b");
	PGconn *pg = tdb_pg();
	const char *a1 = "A1", *a2[] = { "A2", "A3" }, *a4 = "A4", *a3 = "A3";
	struct sl_booking *bk;
	struct sl_err e;
	char exp1[48], exp2[48];
	int64_t show, user, hold, other, n;
	size_t nb;

	(void)state;
	show = tdb_show(a, 1, 6);
	user = tdb_user(a);
	assert_int_equal(sl_hold_seats(a, show, &a1, 1, 0, NULL, &hold, exp1,
	    &e), SL_OK);
	/* Adding seats: all held by the same hold, expiry moved on. */
	assert_int_equal(sl_hold_change(a, hold, a2, 2, NULL, 0, 0, exp2, &n,
	    &e), SL_OK);
	assert_int_equal(n, 3);
	assert_true(strcmp(exp2, exp1) >= 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND hold_id = %" PRId64 " AND state = "
	    "'held'", show, hold), 3);
	assert_int_equal(tdb_int(pg, "SELECT cardinality(seat_ids) FROM hold "
	    "WHERE hold_id = %" PRId64, hold), 3);
	/* Another terminal can neither change it nor hold its seats. */
	assert_int_equal(sl_hold_change(b, hold, &a4, 1, NULL, 0, 0, NULL,
	    NULL, &e), SL_ENOTFOUND);
	assert_int_equal(sl_hold_seats(b, show, &a3, 1, 0, NULL, &other, NULL,
	    &e), SL_ECONFLICT);
	/* A seat held elsewhere is refused; the hold stays as it was. */
	assert_int_equal(sl_hold_seats(b, show, &a4, 1, 0, NULL, &other, NULL,
	    &e), SL_OK);
	assert_int_equal(sl_hold_change(a, hold, &a4, 1, &a1, 1, 0, NULL,
	    NULL, &e), SL_ECONFLICT);
	assert_string_equal(e.detail, "A4");
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND hold_id = %" PRId64, show, hold), 3);
	/* Taking a seat out frees it at once. */
	assert_int_equal(sl_hold_change(a, hold, NULL, 0, &a1, 1, 0, NULL, &n,
	    &e), SL_OK);
	assert_int_equal(n, 2);
	assert_state(pg, show, "A1", "available");
	/* The hold sells as one: A2 and A3, nothing else. */
	assert_int_equal(sl_sell_hold(a, show, hold, user, NULL, &bk, &nb, &e),
	    SL_OK);
	assert_int_equal(nb, 2);
	assert_string_equal(bk[0].label, "A2");
	assert_string_equal(bk[1].label, "A3");
	free(bk);
	assert_int_equal(tdb_active(pg, show), 2);
	/* A sold hold cannot change any more. */
	assert_int_equal(sl_hold_change(a, hold, &a1, 1, NULL, 0, 0, NULL,
	    NULL, &e), SL_ENOTFOUND);
	/* The last seat out releases the hold. */
	assert_int_equal(sl_hold_change(b, other, NULL, 0, &a4, 1, 0, exp2, &n,
	    &e), SL_OK);
	assert_int_equal(n, 0);
	assert_string_equal(exp2, "");
	assert_state(pg, show, "A4", "available");
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM hold WHERE hold_id "
	    "= %" PRId64 " AND status = 'released'", other), 1);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(a);
	sl_db_close(b);
}

/* An expired hold cannot be changed (its seats are free for anyone). */
static void
test_expired(void **state)
{
	struct sl_db *a = connect_as("box-c");
	PGconn *pg = tdb_pg();
	const char *a1 = "A1", *a2 = "A2";
	struct sl_err e;
	int64_t show, hold;

	(void)state;
	show = tdb_show(a, 1, 4);
	assert_int_equal(sl_hold_seats(a, show, &a1, 1, 60, NULL, &hold, NULL,
	    &e), SL_OK);
	{
		char sql[256];

		snprintf(sql, sizeof sql, "UPDATE hold SET expires_at = "
		    "clock_timestamp() - interval '1 second' WHERE hold_id = "
		    "%" PRId64, hold);
		PQclear(PQexec(pg, sql));
	}
	assert_int_equal(sl_hold_change(a, hold, &a2, 1, NULL, 0, 0, NULL,
	    NULL, &e), SL_ENOTFOUND);
	assert_state(pg, show, "A2", "available");
	PQfinish(pg);
	sl_db_close(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_expired),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
