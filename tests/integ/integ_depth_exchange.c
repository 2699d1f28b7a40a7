/*
 * integ_depth_exchange.c - exchanges on a real PostgreSQL: within a show,
 * to another show, overlapping seats, refusals, the audit trail, and races
 * with bookings and with exchanges the other way.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "depth_util.h"

/* Books list for user and returns the booking ids in ids[]. */
static size_t
book_ids(struct sl_db *db, int64_t show, int64_t user, const char *list,
    int64_t *ids)
{
	struct sl_booking *b = NULL;
	struct sl_err e;
	size_t n, i;

	if (tdd_book(db, show, user, list, &b, &n, &e) != SL_OK) {
		fprintf(stderr, "book_ids: %s\n", e.msg);
		abort();
	}
	for (i = 0; i < n; i++)
		ids[i] = b[i].id;
	free(b);
	return n;
}

static enum sl_rc
exchange(struct sl_db *db, const int64_t *ids, size_t nids, int64_t to,
    const char *list, const char *reason, struct sl_booking **out, size_t *nout,
    int64_t *old_total, struct sl_err *e)
{
	char buf[512], *save = NULL, *tok;
	const char *labels[32];
	struct sl_booking *b = NULL;
	size_t n = 0, nb = 0;
	enum sl_rc rc;

	snprintf(buf, sizeof buf, "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok != NULL && n < 32;
	     tok = strtok_r(NULL, " ", &save))
		labels[n++] = tok;
	sl_err_clear(e);
	rc = sl_sell_exchange(db, ids, nids, to, labels, n, reason, NULL, &b,
	    &nb, old_total, e);
	if (out != NULL && rc == SL_OK) {
		*out = b;
		*nout = nb;
	} else
		free(b);
	return rc;
}

static void
test_exchange_same_show(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 3, 8), user = tdb_user(db), ids[8], old;
	struct sl_booking *b = NULL;
	struct sl_err e;
	size_t n;
	char buf[256];

	(void)state;
	assert_int_equal(sl_zone_set(db, show, "A", NULL, 4000, 1, NULL, &e),
	    SL_OK);
	assert_int_equal(sl_zone_set(db, show, "C", NULL, 2500, 2, NULL, &e),
	    SL_OK);
	assert_int_equal(
	    sl_zone_assign(db, show, "A", "Main", "A", NULL, 0, NULL, &e),
	    SL_OK);
	assert_int_equal(
	    sl_zone_assign(db, show, "C", "Main", "C", NULL, 0, NULL, &e),
	    SL_OK);
	assert_int_equal(book_ids(db, show, user, "A1 A2", ids), 2);
	assert_int_equal(
	    exchange(db, ids, 2, 0, "C5 C6", "sight line", &b, &n, &old, &e),
	    SL_OK);
	assert_int_equal(n, 2);
	assert_string_equal(b[0].label, "C5");
	assert_int_equal(old, 8000);
	assert_int_equal(sl_booking_total(b, n), 5000);
	/* Old bookings cancelled, seats free; new ones active. */
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM booking WHERE "
	                     "booking_id IN (%" PRId64 ", %" PRId64
	                     ") AND status = 'cancelled'",
	                     ids[0], ids[1]),
	    2);
	assert_string_equal(tdd_state(pg, show, "A1", buf, sizeof buf),
	    "available");
	assert_string_equal(tdd_state(pg, show, "C6", buf, sizeof buf),
	    "booked");
	/* The reason is in the audit trail, with what was moved. */
	assert_string_equal(
	    tdd_str(pg, buf, sizeof buf,
	        "SELECT detail->>"
	        "'reason' FROM audit_log WHERE show_id = %" PRId64
	        " AND action = "
	        "'exchange'",
	        show),
	    "sight line");
	assert_int_equal(tdb_int(pg,
	                     "SELECT (detail->'from_bookings' = "
	                     "'[%" PRId64 ", %" PRId64
	                     "]'::jsonb)::int FROM audit_log WHERE "
	                     "show_id = %" PRId64 " AND action = 'exchange'",
	                     ids[0], ids[1], show),
	    1);
	/* Overlapping: C5 C6 -> C6 C7 (C6 stays booked throughout). */
	ids[0] = b[0].id;
	ids[1] = b[1].id;
	free(b);
	assert_int_equal(
	    exchange(db, ids, 2, 0, "C6 C7", NULL, &b, &n, &old, &e), SL_OK);
	assert_string_equal(tdd_state(pg, show, "C5", buf, sizeof buf),
	    "available");
	assert_string_equal(tdd_state(pg, show, "C6", buf, sizeof buf),
	    "booked");
	free(b);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM booking WHERE "
	                     "show_id = %" PRId64 " AND status = 'active'",
	                     show),
	    2);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_exchange_other_show(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t s1 = tdb_show(db, 2, 4), s2, user = tdb_user(db), ids[4], old;
	struct sl_booking *b = NULL;
	struct sl_err e;
	size_t n;
	char buf[64];

	(void)state;
	/* Another show of the same venue (a later date). */
	s2 = tdb_int(pg,
	    "SELECT sl_show_add(venue_id, 'Later', "
	    "'2031-01-01 20:00') FROM show WHERE show_id = %" PRId64,
	    s1);
	assert_int_equal(book_ids(db, s1, user, "B3", ids), 1);
	assert_int_equal(
	    exchange(db, ids, 1, s2, "A1", "date change", &b, &n, &old, &e),
	    SL_OK);
	assert_int_equal(n, 1);
	free(b);
	assert_string_equal(tdd_state(pg, s1, "B3", buf, sizeof buf),
	    "available");
	assert_string_equal(tdd_state(pg, s2, "A1", buf, sizeof buf), "booked");
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM audit_log WHERE "
	                     "show_id = %" PRId64
	                     " AND action = 'exchange out'",
	                     s1),
	    1);
	/* And to a show of another venue: its own labels. */
	{
		int64_t s3 = tdb_show(db, 1, 2), id2[1];

		assert_int_equal(book_ids(db, s1, user, "A4", id2), 1);
		assert_int_equal(
		    exchange(db, id2, 1, s3, "A2", NULL, &b, &n, &old, &e),
		    SL_OK);
		free(b);
	}
	assert_int_equal(tdb_state_mismatches(pg, s1), 0);
	assert_int_equal(tdb_state_mismatches(pg, s2), 0);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_exchange_refusals(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 2, 6), u1 = tdb_user(db), u2 = tdb_user(db);
	int64_t ids[4], other[1], both[2], hold, none = 999999999;
	struct sl_err e;

	(void)state;
	assert_int_equal(book_ids(db, show, u1, "A1 A2", ids), 2);
	assert_int_equal(book_ids(db, show, u2, "A3", other), 1);
	/* Taken, held, unknown seats; counts that differ. */
	assert_int_equal(
	    exchange(db, ids, 2, 0, "B1 A3", NULL, NULL, NULL, NULL, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.detail, "A3");
	assert_int_equal(tdd_hold(db, show, "B2", 60, NULL, &hold, &e), SL_OK);
	assert_int_equal(
	    exchange(db, ids, 2, 0, "B1 B2", NULL, NULL, NULL, NULL, &e),
	    SL_ECONFLICT);
	assert_int_equal(
	    exchange(db, ids, 2, 0, "B1 Q9", NULL, NULL, NULL, NULL, &e),
	    SL_ENOTFOUND);
	assert_int_equal(
	    exchange(db, ids, 2, 0, "B1", NULL, NULL, NULL, NULL, &e),
	    SL_EINVAL);
	/* Bookings of two customers; unknown and cancelled bookings. */
	both[0] = ids[0];
	both[1] = other[0];
	assert_int_equal(
	    exchange(db, both, 2, 0, "B3 B4", NULL, NULL, NULL, NULL, &e),
	    SL_EINVAL);
	assert_int_equal(
	    exchange(db, &none, 1, 0, "B3", NULL, NULL, NULL, NULL, &e),
	    SL_ENOTFOUND);
	assert_int_equal(sl_book_cancel(db, other[0], NULL, NULL, &e), SL_OK);
	assert_int_equal(
	    exchange(db, other, 1, 0, "B3", NULL, NULL, NULL, NULL, &e),
	    SL_ENOTFOUND);
	assert_int_equal(
	    exchange(db, ids, 2, none, "A1 A2", NULL, NULL, NULL, NULL, &e),
	    SL_ENOTFOUND);
	/* Nothing changed. */
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM booking WHERE "
	                     "show_id = %" PRId64 " AND status = 'active'",
	                     show),
	    2);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM audit_log WHERE "
	                     "show_id = %" PRId64 " AND action = 'exchange'",
	                     show),
	    0);
	PQfinish(pg);
	sl_db_close(db);
}

/* Companion seats: only with an accessible seat, in the same sale or the
 * customer's own; an exchange keeps the rule. */
static void
test_companion_rule(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	int64_t show, u1, u2, ids[4], mine[2];
	struct sl_err e;

	(void)state;
	show = tdd_show_layout(db,
	    "{ name = \"Main\"; rows = ("
	    "{ row = \"A\"; seats = \"1-6\"; accessible = \"1 6\"; "
	    "companion = \"2 5\"; } ); }",
	    NULL);
	u1 = tdb_user(db);
	u2 = tdb_user(db);
	assert_int_equal(tdd_book(db, show, u1, "A2", NULL, NULL, &e),
	    SL_EINVAL);
	assert_string_equal(e.detail, "A2");
	assert_int_equal(tdd_book(db, show, u1, "A2 A5 A1", NULL, NULL, &e),
	    SL_EINVAL);
	assert_int_equal(book_ids(db, show, u1, "A1 A2", mine), 2);
	/* u1 has a wheelchair space with its companion: a second companion
	 * needs a second space; u2 has none. */
	assert_int_equal(tdd_book(db, show, u1, "A5", NULL, NULL, &e),
	    SL_EINVAL);
	assert_int_equal(tdd_book(db, show, u2, "A5", NULL, NULL, &e),
	    SL_EINVAL);
	assert_int_equal(book_ids(db, show, u2, "A6", ids), 1);
	assert_int_equal(book_ids(db, show, u2, "A5", ids + 1), 1);
	/* Moving u2's wheelchair space away would strand A5; moving both
	 * is fine, and so is moving the companion seat alone. */
	assert_int_equal(
	    exchange(db, ids, 1, 0, "A4", NULL, NULL, NULL, NULL, &e),
	    SL_EINVAL);
	assert_string_equal(e.detail, "A5");
	assert_int_equal(
	    exchange(db, ids, 2, 0, "A3 A4", NULL, NULL, NULL, NULL, &e),
	    SL_OK);
	/* u1's companion seat moves to the other companion seat: still one
	 * companion for one wheelchair space. */
	assert_int_equal(
	    exchange(db, mine + 1, 1, 0, "A5", NULL, NULL, NULL, NULL, &e),
	    SL_OK);
	sl_db_close(db);
}

/* ---- races ----------------------------------------------------------- */

#define ROUNDS 40

struct duel {
	pthread_barrier_t *bar;
	int64_t show, user;
	int64_t booking[ROUNDS]; /* to move */
	int won[ROUNDS];
	int other;
};

/* Exchanges booking r to seat C<r+1>. */
static void *
exchanger(void *arg)
{
	struct duel *d = arg;
	struct sl_db *db = tdd_connect(NULL, "box-exchange");
	struct sl_err e;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		char to[16];
		enum sl_rc rc;

		snprintf(to, sizeof to, "C%d", r + 1);
		pthread_barrier_wait(d->bar);
		rc = exchange(db, &d->booking[r], 1, 0, to, "race", NULL, NULL,
		    NULL, &e);
		if (rc == SL_OK)
			d->won[r] = 1;
		else if (rc != SL_ECONFLICT)
			d->other++;
	}
	sl_db_close(db);
	return NULL;
}

/* Books seat C<r+1> directly. */
static void *
booker(void *arg)
{
	struct duel *d = arg;
	struct sl_db *db = tdd_connect(NULL, "box-book");
	struct sl_err e;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		char to[16];
		enum sl_rc rc;

		snprintf(to, sizeof to, "C%d", r + 1);
		pthread_barrier_wait(d->bar);
		rc = tdd_book(db, d->show, d->user, to, NULL, NULL, &e);
		if (rc == SL_OK)
			d->won[r] = 1;
		else if (rc != SL_ECONFLICT)
			d->other++;
	}
	sl_db_close(db);
	return NULL;
}

/* An exchange and a booking want the same seat at the same moment: exactly
 * one gets it, and the loser changed nothing. */
static void
test_race_exchange_vs_booking(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	PGconn *pg = tdb_pg();
	pthread_barrier_t bar;
	struct duel x, y;
	pthread_t t[2];
	int64_t show = tdb_show(db, 3, ROUNDS), user = tdb_user(db);
	int r, xw = 0;

	(void)state;
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	for (r = 0; r < ROUNDS; r++) {
		char l[16];

		snprintf(l, sizeof l, "A%d", r + 1);
		book_ids(db, show, user, l, &x.booking[r]);
	}
	pthread_barrier_init(&bar, NULL, 2);
	x.bar = y.bar = &bar;
	x.show = y.show = show;
	x.user = y.user = tdb_user(db);
	pthread_create(&t[0], NULL, exchanger, &x);
	pthread_create(&t[1], NULL, booker, &y);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&bar);
	for (r = 0; r < ROUNDS; r++) {
		assert_int_equal(x.won[r] + y.won[r], 1);
		xw += x.won[r];
	}
	printf("exchange vs booking: %d rounds, exchange won %d, booking won "
	       "%d\n",
	    ROUNDS, xw, ROUNDS - xw);
	assert_int_equal(x.other + y.other, 0);
	/* The invariant, and every loser's booking untouched: row A keeps a
	 * seat exactly where the exchange lost. */
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(
	    tdb_int(pg,
	        "SELECT count(*) FROM booking b JOIN seat "
	        "s ON s.seat_id = b.seat_id WHERE b.show_id = %" PRId64 " AND "
	        "b.status = 'active' AND s.row_label = 'A'",
	        show),
	    ROUNDS - xw);
	assert_int_equal(
	    tdb_int(pg,
	        "SELECT count(*) FROM booking b JOIN seat "
	        "s ON s.seat_id = b.seat_id WHERE b.show_id = %" PRId64 " AND "
	        "b.status = 'active' AND s.row_label = 'C'",
	        show),
	    ROUNDS);
	PQfinish(pg);
	sl_db_close(db);
}

struct swap {
	pthread_barrier_t *bar;
	int64_t from, to;
	int64_t booking[ROUNDS];
	int ok, other;
};

/* Moves booking r from its show to row B seat r+1 of the other show. */
static void *
swapper(void *arg)
{
	struct swap *s = arg;
	struct sl_db *db = tdd_connect(NULL, "box-swap");
	struct sl_err e;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		char to[16];

		snprintf(to, sizeof to, "B%d", r + 1);
		pthread_barrier_wait(s->bar);
		if (exchange(db, &s->booking[r], 1, s->to, to, NULL, NULL, NULL,
		        NULL, &e) == SL_OK)
			s->ok++;
		else {
			fprintf(stderr, "swap: %s\n", e.msg);
			s->other++;
		}
	}
	sl_db_close(db);
	return NULL;
}

/* Exchanges in opposite directions between two shows at the same moment
 * lock in one order (show, then seat) and publish in show order: none
 * deadlocks or fails. */
static void
test_race_opposite_exchanges(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	PGconn *pg = tdb_pg();
	pthread_barrier_t bar;
	struct swap a, b;
	pthread_t t[2];
	int64_t s1 = tdb_show(db, 2, ROUNDS), s2, user = tdb_user(db);
	int r;

	(void)state;
	s2 = tdb_int(pg,
	    "SELECT sl_show_add(venue_id, 'Other', "
	    "'2032-01-01 20:00') FROM show WHERE show_id = %" PRId64,
	    s1);
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	for (r = 0; r < ROUNDS; r++) {
		char l[16];

		snprintf(l, sizeof l, "A%d", r + 1);
		book_ids(db, s1, user, l, &a.booking[r]);
		book_ids(db, s2, user, l, &b.booking[r]);
	}
	pthread_barrier_init(&bar, NULL, 2);
	a.bar = b.bar = &bar;
	a.from = s1;
	a.to = s2;
	b.from = s2;
	b.to = s1;
	pthread_create(&t[0], NULL, swapper, &a);
	pthread_create(&t[1], NULL, swapper, &b);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&bar);
	assert_int_equal(a.ok + b.ok, 2 * ROUNDS);
	assert_int_equal(a.other + b.other, 0);
	assert_int_equal(tdb_state_mismatches(pg, s1), 0);
	assert_int_equal(tdb_state_mismatches(pg, s2), 0);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM booking WHERE "
	                     "show_id IN (%" PRId64 ", %" PRId64
	                     ") AND status = 'active'",
	                     s1, s2),
	    2 * ROUNDS);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exchange_same_show),
		cmocka_unit_test(test_exchange_other_show),
		cmocka_unit_test(test_exchange_refusals),
		cmocka_unit_test(test_companion_rule),
		cmocka_unit_test(test_race_exchange_vs_booking),
		cmocka_unit_test(test_race_opposite_exchanges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
