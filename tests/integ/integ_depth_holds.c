/*
 * integ_depth_holds.c - holds and blocks on a real PostgreSQL: hold,
 * release, book --hold, expiry (with and without a sweep), blocks and the
 * supervisor, notifications, and races between terminals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "depth_util.h"

static int
setup(void **state)
{
	(void)state;
	tdd_roles();
	return 0;
}

static void
test_hold_release(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 3, 10), hold, s, n;
	struct sl_seats *seats;
	struct sl_err e;
	char buf[64], exp[48];
	const char *labels[] = { "A1", "A2" };
	int expired = -1;
	size_t i;

	(void)state;
	assert_int_equal(
	    sl_hold_seats(db, show, labels, 2, 60, NULL, &hold, exp, &e),
	    SL_OK);
	assert_true(exp[0] != '\0');
	assert_string_equal(tdd_state(pg, show, "A1", buf, sizeof buf), "held");
	/* The expiry is about a minute away, by the server's clock. */
	assert_int_equal(
	    tdb_int(pg,
	        "SELECT (expires_at - created_at "
	        "BETWEEN interval '59 s' AND interval '61 s')::int FROM hold "
	        "WHERE hold_id = %" PRId64,
	        hold),
	    1);
	/* The seat map names the holding terminal and the expiry. */
	assert_int_equal(sl_show_seats(db, show, &seats, &e), SL_OK);
	for (i = 0; i < seats->n; i++) {
		const struct sl_seat *st = &seats->seat[i];

		if (strcmp(st->label, "A1") == 0 ||
		    strcmp(st->label, "A2") == 0) {
			assert_int_equal(st->state, SL_SEAT_HELD);
			assert_true(st->hold >= 0);
			assert_int_equal(seats->hold[st->hold].id, hold);
			assert_string_equal(seats->hold[st->hold].held_by,
			    "box-1");
			assert_string_equal(seats->hold[st->hold].expires_at,
			    exp);
			assert_null(seats->hold[st->hold].reason);
		} else
			assert_int_equal(st->hold, -1);
	}
	assert_int_equal(seats->nholds, 1);
	sl_seats_free(seats);

	assert_int_equal(sl_hold_release(db, hold, &s, &n, &expired, &e),
	    SL_OK);
	assert_int_equal(s, show);
	assert_int_equal(n, 2);
	assert_int_equal(expired, 0);
	assert_string_equal(tdd_state(pg, show, "A1", buf, sizeof buf),
	    "available");
	assert_string_equal(tdd_str(pg, buf, sizeof buf,
	                        "SELECT status FROM "
	                        "hold WHERE hold_id = %" PRId64,
	                        hold),
	    "released");
	/* Twice: the hold has ended. */
	assert_int_equal(sl_hold_release(db, hold, NULL, NULL, NULL, &e),
	    SL_ENOTFOUND);
	assert_int_equal(sl_hold_release(db, 999999999, NULL, NULL, NULL, &e),
	    SL_ENOTFOUND);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM audit_log WHERE "
	                     "show_id = %" PRId64
	                     " AND action IN ('hold', 'release')",
	                     show),
	    2);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_hold_conflicts(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	struct sl_db *other = tdd_connect(NULL, "box-2");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 2, 6), user = tdb_user(db), h1, h2;
	struct sl_err e;

	(void)state;
	assert_int_equal(tdd_hold(db, show, "A1 A2", 60, NULL, &h1, &e), SL_OK);
	/* Another terminal can neither hold nor sell a held seat. */
	assert_int_equal(tdd_hold(other, show, "A2 A3", 60, NULL, &h2, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.detail, "A2");
	assert_int_equal(tdd_book(other, show, user, "A3 A1", NULL, NULL, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.detail, "A1");
	/* Nothing of the refused requests stayed. */
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM show_seat WHERE "
	                     "show_id = %" PRId64 " AND state <> 'available'",
	                     show),
	    2);
	/* Booked seats cannot be held; unknown seats are not found. */
	assert_int_equal(tdd_book(other, show, user, "B1", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(tdd_hold(other, show, "B1", 60, NULL, &h2, &e),
	    SL_ECONFLICT);
	assert_int_equal(tdd_hold(other, show, "Z9", 60, NULL, &h2, &e),
	    SL_ENOTFOUND);
	assert_int_equal(tdd_hold(other, show, "B2 B2", 60, NULL, &h2, &e),
	    SL_EINVAL);
	assert_int_equal(tdd_hold(other, 999999999, "B2", 60, NULL, &h2, &e),
	    SL_ENOTFOUND);
	assert_int_equal(tdd_hold(other, show, "B2", 86401, NULL, &h2, &e),
	    SL_EINVAL);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(other);
	sl_db_close(db);
}

static void
test_book_hold(void **state)
{
	char key[96];
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 2, 6), user = tdb_user(db), hold;
	struct sl_booking *b, *b2;
	struct sl_err e;
	size_t n, n2;
	char buf[64];

	(void)state;
	snprintf(key, sizeof key, "key-%s", tdb_unique());
	assert_int_equal(sl_zone_set(db, show, "A", "Front", 2550, 1, NULL, &e),
	    SL_OK);
	{
		const char *l[] = { "A1", "A2", "A3" };

		assert_int_equal(
		    sl_zone_assign(db, show, "A", NULL, NULL, l, 3, NULL, &e),
		    SL_OK);
	}
	assert_int_equal(tdd_hold(db, show, "A3 A1 A2", 60, NULL, &hold, &e),
	    SL_OK);
	assert_int_equal(sl_sell_hold(db, show, hold, user, key, &b, &n, &e),
	    SL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(b[0].label, "A1");
	assert_string_equal(b[2].label, "A3");
	assert_int_equal(sl_booking_total(b, n), 3 * 2550);
	assert_string_equal(tdd_state(pg, show, "A2", buf, sizeof buf),
	    "booked");
	assert_string_equal(tdd_str(pg, buf, sizeof buf,
	                        "SELECT status FROM "
	                        "hold WHERE hold_id = %" PRId64,
	                        hold),
	    "booked");
	/* The same request again answers the same (a retry never books
	 * twice); a new request finds the hold ended. */
	assert_int_equal(sl_sell_hold(db, show, hold, user, key, &b2, &n2, &e),
	    SL_OK);
	assert_int_equal(n2, 3);
	assert_int_equal(b2[0].id, b[0].id);
	free(b2);
	assert_int_equal(sl_sell_hold(db, show, hold, user, NULL, &b2, &n2, &e),
	    SL_ENOTFOUND);
	/* A hold of another show is not found there. */
	assert_int_equal(tdd_hold(db, show, "B1", 60, NULL, &hold, &e), SL_OK);
	assert_int_equal(sl_sell_hold(db, tdb_show(db, 1, 1), hold, user, NULL,
	                     &b2, &n2, &e),
	    SL_ENOTFOUND);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	free(b);
	PQfinish(pg);
	sl_db_close(db);
}

/* An expired hold never blocks a sale, with no sweep at all. */
static void
test_expired_hold_is_free(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	struct sl_db *other = tdd_connect(NULL, "box-2");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(db, 1, 6), user = tdb_user(db), hold, h2, n;
	struct sl_booking *b = NULL;
	struct sl_seats *seats;
	struct sl_show *sh;
	struct sl_err e;
	size_t nb;
	char buf[64];

	(void)state;
	assert_int_equal(tdd_hold(db, show, "A1 A2 A3", 3, NULL, &hold, &e),
	    SL_OK);
	assert_int_equal(tdd_book(other, show, user, "A1", NULL, NULL, &e),
	    SL_ECONFLICT);
	tdd_sleep_ms(3300);
	/* The map and the show list count its seats as free already. */
	assert_int_equal(sl_show_seats(other, show, &seats, &e), SL_OK);
	assert_int_equal(seats->seat[0].state, SL_SEAT_AVAILABLE);
	assert_int_equal(seats->seat[0].hold, -1);
	assert_int_equal(seats->nholds, 0);
	sl_seats_free(seats);
	assert_int_equal(sl_show_get(other, show, &sh, &e), SL_OK);
	assert_int_equal(sh->available, 6);
	sl_show_list_free(sh, 1);
	/* Another terminal sells one seat and holds another. */
	assert_int_equal(tdd_book(other, show, user, "A1", &b, &nb, &e), SL_OK);
	free(b);
	assert_int_equal(tdd_hold(other, show, "A2", 60, NULL, &h2, &e), SL_OK);
	/* The old hold cannot be sold any more. */
	assert_int_equal(sl_sell_hold(db, show, hold, user, NULL, &b, &nb, &e),
	    SL_ENOTFOUND);
	/* The sweep frees A3 and ends the hold; A1 and A2 stay. */
	assert_int_equal(sl_hold_sweep(db, show, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(tdd_str(pg, buf, sizeof buf,
	                        "SELECT status FROM "
	                        "hold WHERE hold_id = %" PRId64,
	                        hold),
	    "expired");
	assert_string_equal(tdd_state(pg, show, "A1", buf, sizeof buf),
	    "booked");
	assert_string_equal(tdd_state(pg, show, "A2", buf, sizeof buf), "held");
	assert_string_equal(tdd_state(pg, show, "A3", buf, sizeof buf),
	    "available");
	assert_int_equal(
	    tdb_int(pg,
	        "SELECT count(*) FROM audit_log WHERE "
	        "show_id = %" PRId64 " AND action = 'expire' AND seat_ids = "
	        "(SELECT array_agg(seat_id) FROM seat s JOIN show sh ON "
	        "sh.venue_id = s.venue_id WHERE sh.show_id = %" PRId64
	        " AND s.label = 'A3')",
	        show, show),
	    1);
	assert_int_equal(sl_hold_sweep(db, show, &n, &e), SL_OK);
	assert_int_equal(n, 0);
	/* Releasing an expired hold ends it and says so. */
	{
		int expired = 0;

		assert_int_equal(tdd_hold(db, show, "A4", 1, NULL, &hold, &e),
		    SL_OK);
		tdd_sleep_ms(1300);
		assert_int_equal(
		    sl_hold_release(db, hold, NULL, &n, &expired, &e), SL_OK);
		assert_int_equal(expired, 1);
		assert_int_equal(n, 1);
	}
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(other);
	sl_db_close(db);
}

/* The default length of a hold comes from booking.hold_minutes. */
static void
test_hold_default_minutes(void **state)
{
	struct sl_config c;
	struct sl_db *db;
	PGconn *pg = tdb_pg();
	struct sl_err e;
	int64_t show, hold;

	(void)state;
	sl_config_defaults(&c);
	assert_int_equal(c.hold_minutes, 10);
	c.hold_minutes = 3;
	assert_int_equal(sl_db_connect(&c, &db, &e), SL_OK);
	show = tdb_show(db, 1, 2);
	assert_int_equal(tdd_hold(db, show, "A1", 0, NULL, &hold, &e), SL_OK);
	assert_int_equal(
	    tdb_int(pg,
	        "SELECT (expires_at - created_at "
	        "BETWEEN interval '179 s' AND interval '181 s')::int FROM hold "
	        "WHERE hold_id = %" PRId64,
	        hold),
	    1);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_blocks_need_a_supervisor(void **state)
{
	struct sl_db *super = tdd_connect(NULL, "office");
	struct sl_db *boss = tdd_connect(TDD_SUPER, "office-2");
	struct sl_db *clerk = tdd_connect(TDD_CLERK, "box-9");
	PGconn *pg = tdb_pg();
	int64_t show = tdb_show(super, 2, 6), user = tdb_user(super), block;
	int64_t h, n;
	struct sl_booking *b = NULL;
	struct sl_seats *seats;
	struct sl_err e;
	size_t nb;
	int yes;
	char buf[64];

	(void)state;
	assert_int_equal(sl_hold_supervisor(super, &yes, &e), SL_OK);
	assert_int_equal(yes, 1);
	assert_int_equal(sl_hold_supervisor(boss, &yes, &e), SL_OK);
	assert_int_equal(yes, 1);
	assert_int_equal(sl_hold_supervisor(clerk, &yes, &e), SL_OK);
	assert_int_equal(yes, 0);

	/* A clerk cannot block. */
	assert_int_equal(tdd_hold(clerk, show, "A1", 0, "house seats", &h, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.sqlstate, "SL403");
	/* A supervisor (not a superuser) can; it does not expire. */
	assert_int_equal(
	    tdd_hold(boss, show, "A1 A2", 0, "house seats", &block, &e), SL_OK);
	assert_string_equal(tdd_state(pg, show, "A1", buf, sizeof buf),
	    "blocked");
	assert_int_equal(tdb_int(pg,
	                     "SELECT (expires_at IS NULL)::int FROM "
	                     "hold WHERE hold_id = %" PRId64,
	                     block),
	    1);
	assert_int_equal(sl_show_seats(clerk, show, &seats, &e), SL_OK);
	assert_int_equal(seats->seat[0].state, SL_SEAT_BLOCKED);
	assert_int_equal(seats->nholds, 1);
	assert_true(seats->hold[0].block);
	assert_string_equal(seats->hold[0].reason, "house seats");
	assert_string_equal(seats->hold[0].held_by, "office-2");
	assert_string_equal(seats->hold[0].expires_at, "");
	sl_seats_free(seats);

	/* A clerk can neither sell, hold, sell the block, nor release it. */
	assert_int_equal(tdd_book(clerk, show, user, "A1", NULL, NULL, &e),
	    SL_ECONFLICT);
	assert_int_equal(tdd_hold(clerk, show, "A2 A3", 60, NULL, &h, &e),
	    SL_ECONFLICT);
	assert_int_equal(
	    sl_sell_hold(clerk, show, block, user, NULL, &b, &nb, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.sqlstate, "SL403");
	assert_int_equal(sl_hold_release(clerk, block, NULL, NULL, NULL, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.sqlstate, "SL403");
	assert_string_equal(tdd_state(pg, show, "A2", buf, sizeof buf),
	    "blocked");
	/* A clerk still sells and holds other seats. */
	assert_int_equal(tdd_book(clerk, show, user, "B1", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(tdd_hold(clerk, show, "B2", 60, NULL, &h, &e), SL_OK);
	assert_int_equal(sl_hold_release(clerk, h, NULL, NULL, NULL, &e),
	    SL_OK);
	/* The supervisor releases the block; then anybody sells. */
	assert_int_equal(sl_hold_release(super, block, NULL, &n, NULL, &e),
	    SL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(tdd_book(clerk, show, user, "A1", NULL, NULL, &e),
	    SL_OK);
	/* A supervisor may sell house seats straight from a block. */
	assert_int_equal(
	    tdd_hold(super, show, "A5 A6", 0, "production", &block, &e), SL_OK);
	assert_int_equal(
	    sl_sell_hold(boss, show, block, user, NULL, &b, &nb, &e), SL_OK);
	assert_int_equal(nb, 2);
	free(b);
	/* The audit trail names who did it. */
	assert_string_equal(tdd_str(pg, buf, sizeof buf,
	                        "SELECT actor FROM "
	                        "audit_log WHERE show_id = %" PRId64
	                        " AND action = 'block' "
	                        "ORDER BY audit_id LIMIT 1",
	                        show),
	    TDD_SUPER);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(clerk);
	sl_db_close(boss);
	sl_db_close(super);
}

/* Waits up to 5 s for a notification on the listening connection; returns
 * its payload's state or "".  Flushes the change log first, as the
 * notifier would (every change is announced through it since issue 17). */
static const char *
next_state(PGconn *l, char *buf, size_t bufsz)
{
	double until = tdd_ms() + 5000;
	PGnotify *n;

	buf[0] = '\0';
	tdb_flush(l);
	while (tdd_ms() < until) {
		PQconsumeInput(l);
		if ((n = PQnotifies(l)) != NULL) {
			/* {"show" : 1, "seq" : 2, "state" : "held", ...} */
			const char *p = strstr(n->extra, "\"state\"");

			if (p != NULL && (p = strchr(p + 7, '"')) != NULL)
				snprintf(buf, bufsz, "%.*s",
				    (int)strcspn(p + 1, "\""), p + 1);
			PQfreemem(n);
			return buf;
		}
		tdd_sleep_ms(20);
	}
	return buf;
}

static void
test_notifications(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *l = tdb_pg();
	int64_t show = tdb_show(db, 1, 6), hold, n;
	struct sl_err e;
	char buf[64];

	(void)state;
	tdd_exec(l, "LISTEN seatlock_show_%" PRId64, show);
	assert_int_equal(tdd_hold(db, show, "A1", 60, NULL, &hold, &e), SL_OK);
	assert_string_equal(next_state(l, buf, sizeof buf), "held");
	assert_int_equal(sl_hold_release(db, hold, NULL, NULL, NULL, &e),
	    SL_OK);
	assert_string_equal(next_state(l, buf, sizeof buf), "released");
	assert_int_equal(tdd_hold(db, show, "A2", 0, "kills", &hold, &e),
	    SL_OK);
	assert_string_equal(next_state(l, buf, sizeof buf), "blocked");
	assert_int_equal(tdd_hold(db, show, "A3", 1, NULL, &hold, &e), SL_OK);
	assert_string_equal(next_state(l, buf, sizeof buf), "held");
	tdd_sleep_ms(1300);
	assert_int_equal(sl_hold_sweep(db, 0, &n, &e), SL_OK);
	assert_true(n >= 1);
	assert_string_equal(next_state(l, buf, sizeof buf), "expired");
	PQfinish(l);
	sl_db_close(db);
}

/* ---- races ----------------------------------------------------------- */

#define ROUNDS 60

struct overlap {
	pthread_barrier_t *bar;
	int64_t show;
	int who; /* 0 or 1 */
	int won[ROUNDS];
	int other; /* unexpected results */
};

/* Round r: terminal 0 holds {r-a, r-b}, terminal 1 {r-b, r-a} (opposite
 * order) plus r-c: they overlap in two seats. */
static void *
overlap_thread(void *arg)
{
	struct overlap *o = arg;
	struct sl_db *db = tdd_connect(NULL, o->who ? "box-b" : "box-a");
	struct sl_err e;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		char list[64];
		int64_t h;
		int row = r / 6, c = (r % 6) * 3 + 1;
		enum sl_rc rc;

		if (o->who == 0)
			snprintf(list, sizeof list, "%c%d %c%d", 'A' + row, c,
			    'A' + row, c + 1);
		else
			snprintf(list, sizeof list, "%c%d %c%d %c%d", 'A' + row,
			    c + 1, 'A' + row, c, 'A' + row, c + 2);
		pthread_barrier_wait(o->bar);
		rc = tdd_hold(db, o->show, list, 120, NULL, &h, &e);
		if (rc == SL_OK)
			o->won[r] = 1;
		else if (rc != SL_ECONFLICT)
			o->other++;
	}
	sl_db_close(db);
	return NULL;
}

/* Two terminals hold overlapping seats at the same moment: exactly one
 * gets each seat, every time. */
static void
test_race_overlapping_holds(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	PGconn *pg = tdb_pg();
	pthread_barrier_t bar;
	struct overlap o[2];
	pthread_t t[2];
	int64_t show = tdb_show(db, 10, 18);
	int i, r, wins = 0;

	(void)state;
	pthread_barrier_init(&bar, NULL, 2);
	for (i = 0; i < 2; i++) {
		memset(&o[i], 0, sizeof o[i]);
		o[i].bar = &bar;
		o[i].show = show;
		o[i].who = i;
		pthread_create(&t[i], NULL, overlap_thread, &o[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	for (r = 0; r < ROUNDS; r++) {
		assert_int_equal(o[0].won[r] + o[1].won[r], 1);
		wins += o[1].won[r];
	}
	assert_int_equal(o[0].other + o[1].other, 0);
	printf("overlapping holds: %d rounds, terminal a won %d, b won %d\n",
	    ROUNDS, ROUNDS - wins, wins);
	/* In SQL: each round's seats belong to exactly one live hold. */
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM hold WHERE "
	                     "show_id = %" PRId64 " AND status = 'active'",
	                     show),
	    ROUNDS);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM show_seat WHERE "
	                     "show_id = %" PRId64 " AND state = 'held'",
	                     show),
	    2 * (ROUNDS - wins) + 3 * wins);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM (SELECT unnest("
	                     "seat_ids) s FROM hold WHERE show_id = %" PRId64
	                     " AND status = "
	                     "'active' GROUP BY 1 HAVING count(*) > 1) d",
	                     show),
	    0);
	assert_int_equal(tdd_hold_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

struct waiter {
	int64_t show;
	int64_t user;
	int refused; /* attempts refused while the hold lived */
	int other;   /* unexpected results */
	int sold;
	double waited_ms;
};

/* Tries to buy A1 every 100 ms for at most 20 s. */
static void *
waiter_thread(void *arg)
{
	struct waiter *w = arg;
	struct sl_db *db = tdd_connect(NULL, "box-waiting");
	double start = tdd_ms();
	struct sl_err e;

	while (tdd_ms() - start < 20000) {
		enum sl_rc rc =
		    tdd_book(db, w->show, w->user, "A1", NULL, NULL, &e);

		if (rc == SL_OK) {
			w->sold = 1;
			break;
		}
		if (rc == SL_ECONFLICT)
			w->refused++;
		else
			w->other++;
		tdd_sleep_ms(100);
	}
	w->waited_ms = tdd_ms() - start;
	sl_db_close(db);
	return NULL;
}

/* A terminal waits for a seat another terminal holds; the hold runs out
 * (nobody sweeps) and the sale goes through, after the expiry. */
static void
test_race_expiry_while_waiting(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-holding");
	PGconn *pg = tdb_pg();
	struct waiter w;
	pthread_t t;
	int64_t hold;
	struct sl_err e;

	(void)state;
	memset(&w, 0, sizeof w);
	w.show = tdb_show(db, 1, 4);
	w.user = tdb_user(db);
	assert_int_equal(tdd_hold(db, w.show, "A1", 3, NULL, &hold, &e), SL_OK);
	pthread_create(&t, NULL, waiter_thread, &w);
	pthread_join(t, NULL);
	printf("expiry while waiting: sold after %.0f ms, %d attempts "
	       "refused\n",
	    w.waited_ms, w.refused);
	assert_int_equal(w.sold, 1);
	assert_int_equal(w.other, 0);
	assert_true(w.refused >= 1);
	/*
	 * By the server's clock, the sale came after the expiry.  The audit
	 * row's time is clock_timestamp() at the sale, after its check;
	 * booked_at is now(), the transaction's start, which may precede
	 * the expiry by a moment.
	 */
	assert_int_equal(tdb_int(pg, "SELECT (a.at >= h.expires_at)::int "
	    "FROM audit_log a, hold h WHERE a.show_id = %" PRId64 " AND "
	    "a.action = 'book' AND h.hold_id = %" PRId64, w.show, hold), 1);
	assert_int_equal(tdb_double_bookings(pg, w.show), 0);
	assert_int_equal(tdb_state_mismatches(pg, w.show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

/*
 * The same, but the waiting terminal listens: the holder's terminal sweeps
 * when its hold runs out, the listener hears "expired" and buys at once.
 */
static void
test_expiry_heard_by_listener(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-holding");
	struct sl_db *buyer = tdd_connect(NULL, "box-waiting");
	PGconn *l = tdb_pg(), *pg = tdb_pg();
	int64_t show = tdb_show(db, 1, 4), user = tdb_user(db), hold, n = 0;
	struct sl_err e;
	char buf[64];
	double start;

	(void)state;
	tdd_exec(l, "LISTEN seatlock_show_%" PRId64, show);
	assert_int_equal(tdd_hold(db, show, "A1 A2", 3, NULL, &hold, &e),
	    SL_OK);
	assert_string_equal(next_state(l, buf, sizeof buf), "held");
	assert_int_equal(tdd_book(buyer, show, user, "A2", NULL, NULL, &e),
	    SL_ECONFLICT);
	start = tdd_ms();
	while (n == 0 && tdd_ms() - start < 10000) {
		tdd_sleep_ms(200);
		assert_int_equal(sl_hold_sweep(db, show, &n, &e), SL_OK);
	}
	assert_int_equal(n, 1);
	assert_string_equal(next_state(l, buf, sizeof buf), "expired");
	assert_int_equal(tdd_book(buyer, show, user, "A2", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	PQfinish(pg);
	PQfinish(l);
	sl_db_close(buyer);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hold_release),
		cmocka_unit_test(test_hold_conflicts),
		cmocka_unit_test(test_book_hold),
		cmocka_unit_test(test_expired_hold_is_free),
		cmocka_unit_test(test_hold_default_minutes),
		cmocka_unit_test(test_blocks_need_a_supervisor),
		cmocka_unit_test(test_notifications),
		cmocka_unit_test(test_race_overlapping_holds),
		cmocka_unit_test(test_race_expiry_while_waiting),
		cmocka_unit_test(test_expiry_heard_by_listener),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
