/*
 * integ_depth_best.c - best available on a real PostgreSQL: the choice
 * (zone, no single seat left, front, centre), what it never picks, and 16
 * terminals asking at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "depth_util.h"

/* Books the n best for user; returns the labels "A5 A6" in buf. */
static enum sl_rc
best(struct sl_db *db, int64_t show, int n, int64_t user, const char *zone,
    char *buf, size_t bufsz, struct sl_err *e)
{
	struct sl_booking *b;
	size_t nb, i, len = 0;
	enum sl_rc rc;

	buf[0] = '\0';
	sl_err_clear(e);
	rc = sl_sell_best(db, show, n, user, zone, NULL, &b, &nb, e);
	if (rc != SL_OK)
		return rc;
	for (i = 0; i < nb && len + SL_LABEL_MAX + 2 < bufsz; i++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s",
		    i ? " " : "", b[i].label);
	free(b);
	return SL_OK;
}

/* Front row first, centre of the row. */
static void
test_best_front_centre(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	int64_t show = tdb_show(db, 5, 10), user = tdb_user(db);
	struct sl_err e;
	char got[256];

	(void)state;
	assert_int_equal(best(db, show, 2, user, NULL, got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "A5 A6");
	assert_int_equal(best(db, show, 4, user, NULL, got, sizeof got, &e),
	    SL_OK);
	/* A1-A4 or A7-A10 would be left as runs of 4: row B's centre is
	 * further back but row A has only ends left, 4 fit exactly */
	assert_string_equal(got, "A1 A2 A3 A4");
	assert_int_equal(best(db, show, 3, user, NULL, got, sizeof got, &e),
	    SL_OK);
	/* A7-A10: any 3 of 4 leave a single seat; row B does not */
	assert_string_equal(got, "B4 B5 B6");
	sl_db_close(db);
}

/* Never a single empty seat between taken ones where another choice
 * exists; when there is none, it is allowed. */
static void
test_best_no_single_seat(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	int64_t show = tdb_show(db, 2, 10), user = tdb_user(db);
	int64_t one = tdb_show(db, 1, 10);
	struct sl_err e;
	char got[256];

	(void)state;
	/* Row A: A3-A8 free (6); 4 seats centred would be A4-A7 and leave
	 * A3 and A8 alone. */
	assert_int_equal(
	    tdd_book(db, show, user, "A1 A2 A9 A10", NULL, NULL, &e), SL_OK);
	assert_int_equal(best(db, show, 4, user, NULL, got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "A3 A4 A5 A6");
	/* Row A: A7-A8 free; 1 seat would leave the other alone: row B. */
	assert_int_equal(best(db, show, 1, user, NULL, got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "B5");
	/* One row only: A4-A7 free; 3 must leave a single seat. */
	assert_int_equal(
	    tdd_book(db, one, user, "A1 A2 A3 A8 A9 A10", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(best(db, one, 3, user, NULL, got, sizeof got, &e),
	    SL_OK);
	assert_true(
	    strcmp(got, "A4 A5 A6") == 0 || strcmp(got, "A5 A6 A7") == 0);
	assert_int_equal(best(db, one, 2, user, NULL, got, sizeof got, &e),
	    SL_ECONFLICT);
	sl_db_close(db);
}

/* The best zone first; --zone restricts; aisles split adjacency. */
static void
test_best_zones(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	int64_t user, show;
	struct sl_err e;
	char got[256];

	(void)state;
	show = tdd_show_layout(db,
	    "{ name = \"Stalls\"; zone = \"B\"; rows = ("
	    "{ row = \"A\"; seats = \"1-4 _ 5-8\"; },"
	    "{ row = \"B\"; seats = \"1-4 _ 5-8\"; },"
	    "{ row = \"C\"; seats = \"1-8\"; zone = \"A\"; },"
	    "{ row = \"D\"; seats = \"1-8\"; zone = \"A\"; restricted = \"4 5\"; }"
	    "); }",
	    NULL);
	user = tdb_user(db);
	assert_int_equal(sl_zone_set(db, show, "B", "Front", 3000, 2, NULL, &e),
	    SL_OK);
	assert_int_equal(
	    sl_zone_set(db, show, "A", "Premium", 5000, 1, NULL, &e), SL_OK);
	/* Zone A (rank 1) although its rows are further back. */
	assert_int_equal(best(db, show, 2, user, NULL, got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "C4 C5");
	/* Row C has C1-C3 and C6-C8 left: any pair leaves a single seat.
	 * Row D has none at its ends (its centre is restricted view). */
	assert_int_equal(best(db, show, 2, user, "A", got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "D1 D2");
	assert_int_equal(best(db, show, 2, user, "b", got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "A3 A4");
	/* Five together do not fit between row A's or B's aisles. */
	assert_int_equal(best(db, show, 5, user, "B", got, sizeof got, &e),
	    SL_ECONFLICT);
	assert_int_equal(best(db, show, 2, user, "Z", got, sizeof got, &e),
	    SL_ENOTFOUND);
	assert_int_equal(best(db, show, 51, user, NULL, got, sizeof got, &e),
	    SL_EINVAL);
	assert_int_equal(
	    best(db, show, 2, 999999999, NULL, got, sizeof got, &e),
	    SL_ENOTFOUND);
	sl_db_close(db);
}

/* Accessible, companion, held and blocked seats are never picked; seats of
 * an expired hold are. */
static void
test_best_skips(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t user, show, hold;
	struct sl_err e;
	char got[256];

	(void)state;
	show = tdd_show_layout(db,
	    "{ name = \"Main\"; rows = ("
	    "{ row = \"A\"; seats = \"1-6\"; accessible = \"3\"; "
	    "companion = \"4\"; },"
	    "{ row = \"B\"; seats = \"1-6\"; },"
	    "{ row = \"C\"; seats = \"1-6\"; }"
	    "); }",
	    NULL);
	user = tdb_user(db);
	assert_int_equal(tdd_hold(db, show, "B3 B4", 60, NULL, &hold, &e),
	    SL_OK);
	assert_int_equal(tdd_hold(db, show, "C1", 0, "camera", &hold, &e),
	    SL_OK);
	assert_int_equal(tdd_hold(db, show, "C3 C4", 3, NULL, &hold, &e),
	    SL_OK);
	/* A1-A2 and A5-A6 are pairs beside the wheelchair space: fine for 2. */
	assert_int_equal(best(db, show, 2, user, NULL, got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "A1 A2");
	/* 3 together: not in A (3, 4 are special), not in B (held), not C1
	 * (blocked); C3-C4 are still held. */
	assert_int_equal(best(db, show, 3, user, NULL, got, sizeof got, &e),
	    SL_ECONFLICT);
	tdd_sleep_ms(3300);
	assert_int_equal(best(db, show, 3, user, NULL, got, sizeof got, &e),
	    SL_OK);
	/* C2-C6 free: C3-C5 would leave C2 alone; C2-C4 is nearer the
	 * centre than C4-C6 */
	assert_string_equal(got, "C2 C3 C4");
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_best_key_and_prices(void **state)
{
	char key[96];
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 2, 8), user = tdb_user(db);
	struct sl_booking *b, *b2;
	struct sl_err e;
	size_t n, n2;

	(void)state;
	snprintf(key, sizeof key, "key-%s", tdb_unique());
	assert_int_equal(sl_zone_set(db, show, "ALL", NULL, 1999, 0, NULL, &e),
	    SL_OK);
	assert_int_equal(
	    sl_zone_assign(db, show, "ALL", "Main", NULL, NULL, 0, NULL, &e),
	    SL_OK);
	assert_int_equal(sl_sell_best(db, show, 3, user, NULL, key, &b, &n, &e),
	    SL_OK);
	assert_int_equal(n, 3);
	assert_int_equal(sl_booking_total(b, n), 3 * 1999);
	/* A retry with the key answers the same, books nothing more. */
	assert_int_equal(
	    sl_sell_best(db, show, 3, user, NULL, key, &b2, &n2, &e), SL_OK);
	assert_int_equal(n2, 3);
	assert_int_equal(b2[1].id, b[1].id);
	assert_string_equal(b2[1].label, b[1].label);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM booking WHERE "
	                     "show_id = %" PRId64,
	                     show),
	    3);
	/* The key with another request is refused. */
	free(b2);
	assert_int_equal(
	    sl_sell_best(db, show, 2, user, NULL, key, &b2, &n2, &e),
	    SL_EINVAL);
	free(b);
	PQfinish(pg);
	sl_db_close(db);
}

/* ---- 16 terminals at once ------------------------------------------ */

#define NTHREADS   16
#define PER_THREAD 4
#define NSEATS     3

struct racer {
	pthread_barrier_t *bar;
	int64_t show, user;
	int id;
	char got[PER_THREAD][NSEATS][SL_LABEL_MAX + 1];
	int ok, busy, other;
	double slowest_ms;
};

static void *
racer_thread(void *arg)
{
	struct racer *r = arg;
	char term[32];
	struct sl_db *db;
	struct sl_err e;
	int k;

	snprintf(term, sizeof term, "kiosk-%d", r->id);
	db = tdd_connect(NULL, term);
	for (k = 0; k < PER_THREAD; k++) {
		struct sl_booking *b;
		size_t n, i;
		double t0;
		enum sl_rc rc;

		pthread_barrier_wait(r->bar);
		t0 = tdd_ms();
		sl_err_clear(&e);
		rc = sl_sell_best(db, r->show, NSEATS, r->user, NULL, NULL, &b,
		    &n, &e);
		if (tdd_ms() - t0 > r->slowest_ms)
			r->slowest_ms = tdd_ms() - t0;
		if (rc == SL_OK && n == NSEATS) {
			for (i = 0; i < n; i++)
				snprintf(r->got[k][i], SL_LABEL_MAX + 1, "%s",
				    b[i].label);
			r->ok++;
			free(b);
		} else if (rc == SL_EBUSY)
			r->busy++;
		else {
			fprintf(stderr, "kiosk-%d: %s\n", r->id, e.msg);
			r->other++;
		}
	}
	sl_db_close(db);
	return NULL;
}

static int
cmp_label(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* 16 terminals ask for the best 3 at the same moment, 4 times each: every
 * request gets 3 adjacent seats, no seat twice, nobody waits for a lock
 * until the timeout (no SL_EBUSY). */
static void
test_race_best_16(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	PGconn *pg = tdb_pg();
	pthread_barrier_t bar;
	static struct racer r[NTHREADS];
	static char all[NTHREADS * PER_THREAD * NSEATS][SL_LABEL_MAX + 1];
	pthread_t t[NTHREADS];
	int64_t show = tdb_show(db, 10, 24), user = tdb_user(db);
	double t0, slowest = 0;
	size_t n = 0, i;
	int k, j, ok = 0, busy = 0, other = 0;

	(void)state;
	pthread_barrier_init(&bar, NULL, NTHREADS);
	t0 = tdd_ms();
	for (i = 0; i < NTHREADS; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].bar = &bar;
		r[i].show = show;
		r[i].user = user;
		r[i].id = (int)i;
		pthread_create(&t[i], NULL, racer_thread, &r[i]);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		ok += r[i].ok;
		busy += r[i].busy;
		other += r[i].other;
		if (r[i].slowest_ms > slowest)
			slowest = r[i].slowest_ms;
		for (k = 0; k < r[i].ok; k++)
			for (j = 0; j < NSEATS; j++)
				memcpy(all[n++], r[i].got[k][j],
				    SL_LABEL_MAX + 1);
	}
	pthread_barrier_destroy(&bar);
	printf("best available: %d terminals x %d requests of %d seats in "
	       "%.0f ms, slowest request %.0f ms\n",
	    NTHREADS, PER_THREAD, NSEATS, tdd_ms() - t0, slowest);
	assert_int_equal(busy, 0);
	assert_int_equal(other, 0);
	assert_int_equal(ok, NTHREADS * PER_THREAD);
	/* No seat twice in the answers... */
	qsort(all, n, sizeof all[0], cmp_label);
	for (i = 1; i < n; i++)
		assert_string_not_equal(all[i - 1], all[i]);
	/* ...nor in the database; each request's seats side by side. */
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM booking WHERE "
	                     "show_id = %" PRId64 " AND status = 'active'",
	                     show),
	    NTHREADS * PER_THREAD * NSEATS);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(
	    tdb_int(pg,
	        "SELECT count(*) FROM (SELECT "
	        "b.request_id FROM booking b JOIN seat s ON s.seat_id = b.seat_id "
	        "WHERE b.show_id = %" PRId64 " GROUP BY b.request_id HAVING "
	        "count(DISTINCT s.row_label) <> 1 OR max(s.map_x) - min(s.map_x) "
	        "<> %d) bad",
	        show, NSEATS - 1),
	    0);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_best_front_centre),
		cmocka_unit_test(test_best_no_single_seat),
		cmocka_unit_test(test_best_zones),
		cmocka_unit_test(test_best_skips),
		cmocka_unit_test(test_best_key_and_prices),
		cmocka_unit_test(test_race_best_16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
