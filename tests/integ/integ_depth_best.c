/*
 * integ_depth_best.c - best available on a real PostgreSQL: the choice
 * (zone, no single seat left, front, centre), what it never picks, and 16
 * terminals asking at once; best available as a hold (sl_hold_best, the
 * box office's b): the block a sale would get, the same refusal, and
 * terminals holding at once.
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

/* Holds the n best for this terminal; the labels "A5 A6" in buf. */
static enum sl_rc
hbest(struct sl_db *db, int64_t show, int n, const char *zone, int64_t *id,
    char *buf, size_t bufsz, struct sl_err *e)
{
	char label[SL_BEST_MAX][SL_LABEL_MAX + 1], exp[48];
	size_t len = 0;
	enum sl_rc rc;
	int i;

	buf[0] = '\0';
	sl_err_clear(e);
	rc = sl_hold_best(db, show, n, zone, 120, id, exp, label, e);
	if (rc != SL_OK)
		return rc;
	assert_true(exp[0] != '\0');
	for (i = 0; i < n && len + SL_LABEL_MAX + 2 < bufsz; i++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%s%s",
		    i ? " " : "", label[i]);
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

/* A show of two zones: B (rank 2, rows A and B, an aisle after seat 4)
 * and A (rank 1, rows C and D behind them, D4 and D5 restricted view). */
static int64_t
zones_show(struct sl_db *db)
{
	struct sl_err e;
	int64_t show;

	show = tdd_show_layout(db,
	    "{ name = \"Stalls\"; zone = \"B\"; rows = ("
	    "{ row = \"A\"; seats = \"1-4 _ 5-8\"; },"
	    "{ row = \"B\"; seats = \"1-4 _ 5-8\"; },"
	    "{ row = \"C\"; seats = \"1-8\"; zone = \"A\"; },"
	    "{ row = \"D\"; seats = \"1-8\"; zone = \"A\"; restricted = \"4 5\"; }"
	    "); }",
	    NULL);
	assert_int_equal(sl_zone_set(db, show, "B", "Front", 3000, 2, NULL, &e),
	    SL_OK);
	assert_int_equal(
	    sl_zone_set(db, show, "A", "Premium", 5000, 1, NULL, &e), SL_OK);
	return show;
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
	show = zones_show(db);
	user = tdb_user(db);
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

/*
 * sl_hold_best holds the block sl_book_best would book (the same show,
 * the same moment: hold, let go, sell), as sl_hold makes a hold: this
 * terminal's, for the time asked, its seats held, audited, published.
 */
static void
test_hold_best_same_block(void **state)
{
	static const struct {
		int n;
		const char *zone;
	} ask[] = { { 2, NULL }, { 2, "A" }, { 2, "b" }, { 3, NULL },
		    { 4, "B" } };
	struct sl_db *db = tdd_connect(NULL, "box-7");
	PGconn *pg = tdb_pg();
	int64_t user, show, id, seq;
	struct sl_err e;
	char held[256], sold[256];
	size_t k;

	(void)state;
	show = zones_show(db);
	user = tdb_user(db);
	for (k = 0; k < sizeof ask / sizeof ask[0]; k++) {
		seq = tdb_int(pg, "SELECT change_seq FROM show "
		    "WHERE show_id = %" PRId64, show);
		assert_int_equal(hbest(db, show, ask[k].n, ask[k].zone, &id,
		    held, sizeof held, &e), SL_OK);
		/* A hold of this terminal, live for the 120 s asked. */
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM hold h "
		    "WHERE h.hold_id = %" PRId64 " AND h.show_id = %" PRId64
		    " AND h.kind = 'hold' AND h.status = 'active' AND "
		    "h.terminal = 'box-7' AND cardinality(h.seat_ids) = %d AND "
		    "abs(extract(epoch FROM h.expires_at - h.created_at) - 120)"
		    " < 2", id, show, ask[k].n), 1);
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat "
		    "WHERE show_id = %" PRId64 " AND state = 'held' AND "
		    "hold_id = %" PRId64, show, id), ask[k].n);
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log "
		    "WHERE show_id = %" PRId64 " AND action = 'hold' AND "
		    "terminal = 'box-7' AND (detail->>'hold')::bigint = %"
		    PRId64, show, id), 1);
		tdb_flush(pg);	/* the notifier's (issue 17) */
		assert_true(tdb_int(pg, "SELECT change_seq FROM show "
		    "WHERE show_id = %" PRId64, show) > seq);
		assert_int_equal(tdd_hold_mismatches(pg, show), 0);
		assert_int_equal(tdb_state_mismatches(pg, show), 0);
		/* Let go, then sold: the very same seats. */
		assert_int_equal(sl_hold_release(db, id, NULL, NULL, NULL, &e),
		    SL_OK);
		assert_int_equal(best(db, show, ask[k].n, user, ask[k].zone,
		    sold, sizeof sold, &e), SL_OK);
		assert_string_equal(held, sold);
	}
	PQfinish(pg);
	sl_db_close(db);
}

/* No n together: sl_hold_best refuses as sl_book_best does (SL409, the
 * same words) and holds nothing; an unknown zone, a bad n too. */
static void
test_hold_best_refuses(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-7");
	PGconn *pg = tdb_pg();
	int64_t user, show, id = 0;
	struct sl_err e, e2;
	char got[256], msg[sizeof e.msg];

	(void)state;
	show = tdd_show_layout(db,
	    "{ name = \"Main\"; rows = ("
	    "{ row = \"A\"; seats = \"1-3 _ 4-6\"; },"
	    "{ row = \"B\"; seats = \"1-6\"; }"
	    "); }",
	    NULL);
	user = tdb_user(db);
	assert_int_equal(tdd_book(db, show, user, "B3", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(hbest(db, show, 4, NULL, &id, got, sizeof got, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.sqlstate, "SL409");
	snprintf(msg, sizeof msg, "%s", e.msg);
	assert_int_equal(best(db, show, 4, user, NULL, got, sizeof got, &e2),
	    SL_ECONFLICT);
	assert_string_equal(e2.sqlstate, "SL409");
	assert_string_equal(msg, e2.msg);
	assert_non_null(strstr(msg, "no 4 adjacent seats free"));
	/* Three together still fit (A1-A3, A4-A6, B4-B6): with A1, A4 and
	 * B5 held at another terminal none do. */
	assert_int_equal(tdd_hold(db, show, "A1 A4 B5", 60, NULL, &id, &e),
	    SL_OK);
	assert_int_equal(hbest(db, show, 3, NULL, &id, got, sizeof got, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.sqlstate, "SL409");
	assert_int_equal(hbest(db, show, 2, "Z", &id, got, sizeof got, &e),
	    SL_ENOTFOUND);
	assert_int_equal(hbest(db, show, 51, NULL, &id, got, sizeof got, &e),
	    SL_EINVAL);
	assert_int_equal(hbest(db, show, 0, NULL, &id, got, sizeof got, &e),
	    SL_EINVAL);
	assert_int_equal(hbest(db, 999999999, 2, NULL, &id, got, sizeof got,
	    &e), SL_ENOTFOUND);
	/* Only the one hold made by hand. */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM hold WHERE "
	    "show_id = %" PRId64, show), 1);
	/* The seats of an expired hold, not swept yet, are free for it. */
	assert_int_equal(tdd_hold(db, show, "A5 B1 B2 B6", 60, NULL, &id, &e),
	    SL_OK);
	assert_int_equal(tdd_hold(db, show, "A2 A3", 1, NULL, &id, &e), SL_OK);
	assert_int_equal(hbest(db, show, 2, NULL, &id, got, sizeof got, &e),
	    SL_ECONFLICT);
	tdd_sleep_ms(1300);
	assert_int_equal(hbest(db, show, 2, NULL, &id, got, sizeof got, &e),
	    SL_OK);
	assert_string_equal(got, "A2 A3");
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

#define NTHREADS   16
#define PER_THREAD 4
#define NSEATS     3

struct racer {
	pthread_barrier_t *bar;
	int64_t show, user;
	int id;
	int hold;	/* sl_hold_best, not sl_sell_best */
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
		int64_t id;
		enum sl_rc rc;

		pthread_barrier_wait(r->bar);
		t0 = tdd_ms();
		sl_err_clear(&e);
		b = NULL;
		n = NSEATS;
		if (r->hold)
			rc = sl_hold_best(db, r->show, NSEATS, NULL, 300, &id,
			    NULL, r->got[k], &e);
		else
			rc = sl_sell_best(db, r->show, NSEATS, r->user, NULL,
			    NULL, &b, &n, &e);
		if (tdd_ms() - t0 > r->slowest_ms)
			r->slowest_ms = tdd_ms() - t0;
		if (rc == SL_OK && n == NSEATS) {
			for (i = 0; b != NULL && i < n; i++)
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

/* NTHREADS terminals, each with its own connection, run r[0..NTHREADS)
 * at once: sell (hold 0) or hold best available on show. */
static void
run_racers(struct racer *r, int64_t show, int64_t user, int hold)
{
	pthread_barrier_t bar;
	pthread_t t[NTHREADS];
	size_t i;

	pthread_barrier_init(&bar, NULL, NTHREADS);
	for (i = 0; i < NTHREADS; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].bar = &bar;
		r[i].show = show;
		r[i].user = user;
		r[i].id = (int)i;
		r[i].hold = hold;
		pthread_create(&t[i], NULL, racer_thread, &r[i]);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
}

/* 16 terminals ask for the best 3 at the same moment, 4 times each: every
 * request gets 3 adjacent seats, no seat twice, nobody waits for a lock
 * until the timeout (no SL_EBUSY). */
static void
test_race_best_16(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	PGconn *pg = tdb_pg();
	static struct racer r[NTHREADS];
	static char all[NTHREADS * PER_THREAD * NSEATS][SL_LABEL_MAX + 1];
	int64_t show = tdb_show(db, 10, 24), user = tdb_user(db);
	double t0, slowest = 0;
	size_t n = 0, i;
	int k, j, ok = 0, busy = 0, other = 0;

	(void)state;
	t0 = tdd_ms();
	run_racers(r, show, user, 0);
	for (i = 0; i < NTHREADS; i++) {
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

/* 16 terminals, each with its own connection, hold the best 3 at the same
 * moment, 4 times each: every request gets a hold of 3 adjacent seats, and
 * the database has no seat in two holds. */
static void
test_race_hold_best_16(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	PGconn *pg = tdb_pg();
	static struct racer r[NTHREADS];
	int64_t show = tdb_show(db, 10, 24);
	size_t i;
	int ok = 0, busy = 0, other = 0;

	(void)state;
	run_racers(r, show, 0, 1);
	for (i = 0; i < NTHREADS; i++) {
		ok += r[i].ok;
		busy += r[i].busy;
		other += r[i].other;
	}
	assert_int_equal(busy, 0);
	assert_int_equal(other, 0);
	assert_int_equal(ok, NTHREADS * PER_THREAD);
	/* In the database: that many live holds of 3, every held seat in
	 * exactly one, no seat in two holds' lists, each hold side by side
	 * in one row, held at the terminal that asked. */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM hold WHERE "
	    "show_id = %" PRId64 " AND status = 'active' AND kind = 'hold' "
	    "AND cardinality(seat_ids) = %d AND terminal LIKE 'kiosk-%%'",
	    show, NSEATS), NTHREADS * PER_THREAD);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND state = 'held'", show),
	    NTHREADS * PER_THREAD * NSEATS);
	assert_int_equal(tdb_int(pg, "SELECT count(*) - count(DISTINCT u) "
	    "FROM hold h, unnest(h.seat_ids) u WHERE h.show_id = %" PRId64,
	    show), 0);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM hold h WHERE "
	    "h.show_id = %" PRId64 " AND (SELECT count(DISTINCT s.row_label) "
	    "<> 1 OR max(s.map_x) - min(s.map_x) <> %d FROM seat s "
	    "WHERE s.seat_id = ANY (h.seat_ids))", show, NSEATS - 1), 0);
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
		cmocka_unit_test(test_hold_best_same_block),
		cmocka_unit_test(test_hold_best_refuses),
		cmocka_unit_test(test_race_hold_best_16),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
