/*
 * integ_depth_report.c - price zones and reports on a real PostgreSQL:
 * zones from the layout and by hand, prices at sale, the supervisor rule,
 * a show's report and a day's, sales per clerk.
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

#define HALL                                                    \
	"{ name = \"Stalls\"; zone = \"b\"; rows = ("           \
	"{ row = \"A\"; seats = \"1-4\"; zone = \"A\"; },"      \
	"{ row = \"B\"; seats = \"1-4\"; } ); },"               \
	"{ name = \"Balcony\"; prefix = \"X\"; y = 5; rows = (" \
	"{ row = \"A\"; seats = \"1-4\"; } ); }"

static void
test_zones(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "office");
	struct sl_db *clerk = tdd_connect(TDD_CLERK, "box-1");
	PGconn *pg = tdb_pg();
	int64_t show = tdd_show_layout(db, HALL, NULL), user = tdb_user(db);
	int64_t joined = -1, n;
	struct sl_booking *b = NULL;
	struct sl_seats *seats;
	struct sl_zone *z;
	struct sl_err e;
	size_t nb = 0, nz, i;
	const char *xa[] = { "XA1", "XA2" };

	(void)state;
	/* Layout zone codes join when the show defines the zone. */
	assert_int_equal(
	    sl_zone_set(db, show, "a", "Front stalls", 6000, 1, &joined, &e),
	    SL_OK);
	assert_int_equal(joined, 4);
	assert_int_equal(sl_zone_set(db, show, "B", NULL, 4000, 0, &joined, &e),
	    SL_OK);
	assert_int_equal(joined, 4);
	/* Changing a price keeps the rank and the seats. */
	assert_int_equal(
	    sl_zone_set(db, show, "B", "Rear stalls", 4500, 0, &joined, &e),
	    SL_OK);
	assert_int_equal(joined, 0);
	/* By hand: a section, then two seats of it elsewhere. */
	assert_int_equal(
	    sl_zone_set(db, show, "C", "Balcony", 2500, 0, NULL, &e), SL_OK);
	assert_int_equal(
	    sl_zone_assign(db, show, "C", "Balcony", NULL, NULL, 0, &n, &e),
	    SL_OK);
	assert_int_equal(n, 4);
	assert_int_equal(
	    sl_zone_assign(db, show, "B", NULL, NULL, xa, 2, &n, &e), SL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(
	    sl_zone_assign(db, show, "Q", "Balcony", NULL, NULL, 0, &n, &e),
	    SL_ENOTFOUND);
	assert_int_equal(
	    sl_zone_assign(db, show, "C", "Gallery", NULL, NULL, 0, &n, &e),
	    SL_ENOTFOUND);
	assert_int_equal(
	    sl_zone_assign(db, show, "C", "Balcony", NULL, xa, 2, &n, &e),
	    SL_EINVAL);
	/* Only a supervisor sets prices. */
	assert_int_equal(sl_zone_set(clerk, show, "C", NULL, 1, 0, NULL, &e),
	    SL_ECONFLICT);
	assert_string_equal(e.sqlstate, "SL403");
	assert_int_equal(
	    sl_zone_assign(clerk, show, "C", NULL, NULL, xa, 2, &n, &e),
	    SL_ECONFLICT);
	assert_int_equal(sl_zone_set(db, show, "C", NULL, -1, 0, NULL, &e),
	    SL_EINVAL);
	assert_int_equal(sl_zone_set(db, 999999999, "C", NULL, 1, 0, NULL, &e),
	    SL_ENOTFOUND);

	assert_int_equal(sl_zone_list(clerk, show, &z, &nz, &e), SL_OK);
	assert_int_equal(nz, 3);
	assert_string_equal(z[0].code, "A");
	assert_string_equal(z[0].name, "Front stalls");
	assert_int_equal(z[0].rank, 1);
	assert_string_equal(z[1].code, "B");
	assert_string_equal(z[1].name, "Rear stalls");
	assert_int_equal(z[1].price_cents, 4500);
	assert_int_equal(z[1].seats, 6);
	assert_int_equal(z[2].seats, 2);
	sl_zone_list_free(z, nz);

	/* The seat map carries zone and price; a sale records the price. */
	assert_int_equal(sl_show_seats(clerk, show, &seats, &e), SL_OK);
	for (i = 0; i < seats->n; i++)
		if (strcmp(seats->seat[i].label, "XA1") == 0)
			assert_int_equal(
			    seats->zone[seats->seat[i].zone].price_cents, 4500);
	assert_int_equal(seats->nzones, 3);
	sl_seats_free(seats);
	assert_int_equal(tdd_book(clerk, show, user, "A1 XA1 XA4", &b, &nb, &e),
	    SL_OK);
	assert_int_equal(b[0].price_cents, 6000);
	assert_int_equal(b[1].price_cents, 4500);
	assert_int_equal(b[2].price_cents, 2500);
	assert_int_equal(sl_booking_total(b, nb), 13000);
	free(b);
	/* A later price change does not change what was paid. */
	assert_int_equal(sl_zone_set(db, show, "A", NULL, 9000, 0, NULL, &e),
	    SL_OK);
	assert_int_equal(tdb_int(pg,
	                     "SELECT sum(price_cents) FROM booking "
	                     "WHERE show_id = %" PRId64,
	                     show),
	    13000);
	assert_int_equal(sl_zone_list(clerk, 999999999, &z, &nz, &e),
	    SL_ENOTFOUND);
	PQfinish(pg);
	sl_db_close(clerk);
	sl_db_close(db);
}

static const struct sl_report_line *
zone_line(const struct sl_report *r, size_t show, const char *zone)
{
	size_t k;

	for (k = 0; k < r->show[show].nzones; k++)
		if (strcmp(r->zone[r->show[show].first + k].zone, zone) == 0)
			return &r->zone[r->show[show].first + k];
	fail_msg("no zone %s in the report", zone);
	return NULL;
}

static void
test_report_show(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "office");
	struct sl_db *t1 = tdd_connect(TDD_CLERK, "box-1");
	struct sl_db *t2 = tdd_connect(NULL, "box-2");
	int64_t show = tdd_show_layout(db, HALL, NULL), user = tdb_user(db);
	int64_t hold;
	const struct sl_report_line *l;
	struct sl_booking *b = NULL;
	struct sl_report *r;
	struct sl_err e;
	size_t nb, i;

	(void)state;
	assert_int_equal(sl_zone_set(db, show, "A", NULL, 6000, 1, NULL, &e),
	    SL_OK);
	assert_int_equal(sl_zone_set(db, show, "B", NULL, 4000, 2, NULL, &e),
	    SL_OK);
	/* A: 2 sold by box-1, 1 held; B: 1 sold by box-2, 2 blocked; the
	 * balcony (no zone): 1 sold by box-1 then cancelled, 1 sold through a
	 * hold by box-2, 1 held by a hold that has run out. */
	assert_int_equal(tdd_book(t1, show, user, "A1 A2", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(tdd_hold(t1, show, "A3", 60, NULL, &hold, &e), SL_OK);
	assert_int_equal(tdd_book(t2, show, user, "B4", NULL, NULL, &e), SL_OK);
	assert_int_equal(tdd_hold(db, show, "B1 B2", 0, "house", &hold, &e),
	    SL_OK);
	assert_int_equal(tdd_book(t1, show, user, "XA1", &b, &nb, &e), SL_OK);
	assert_int_equal(sl_book_cancel(t1, b[0].id, NULL, NULL, &e), SL_OK);
	free(b);
	assert_int_equal(tdd_hold(t2, show, "XA2", 60, NULL, &hold, &e), SL_OK);
	assert_int_equal(sl_sell_hold(t2, show, hold, user, NULL, &b, &nb, &e),
	    SL_OK);
	free(b);
	assert_int_equal(tdd_hold(t2, show, "XA3", 1, NULL, &hold, &e), SL_OK);
	tdd_sleep_ms(1300);

	assert_int_equal(sl_report_show(t1, show, &r, &e), SL_OK);
	assert_string_equal(r->currency, "EUR");
	assert_string_equal(r->day, "");
	assert_int_equal(r->nshows, 1);
	assert_int_equal(r->show[0].id, show);
	assert_int_equal(r->show[0].nzones, 3);
	l = zone_line(r, 0, "A");
	assert_int_equal(l->seats, 4);
	assert_int_equal(l->sold, 2);
	assert_int_equal(l->held, 1);
	assert_int_equal(l->blocked, 0);
	assert_int_equal(l->available, 1);
	assert_int_equal(l->revenue_cents, 12000);
	assert_int_equal(l->price_cents, 6000);
	l = zone_line(r, 0, "B");
	assert_int_equal(l->sold, 1);
	assert_int_equal(l->blocked, 2);
	assert_int_equal(l->available, 1);
	assert_int_equal(l->revenue_cents, 4000);
	l = zone_line(r, 0, "");
	assert_null(l->zone_name);
	assert_int_equal(l->sold, 1);
	assert_int_equal(l->held, 0); /* XA3's hold ran out */
	assert_int_equal(l->available, 3);
	assert_int_equal(l->revenue_cents, 0);
	assert_int_equal(r->total.seats, 12);
	assert_int_equal(r->total.sold, 4);
	assert_int_equal(r->total.revenue_cents, 16000);
	assert_int_equal(r->show[0].total.available, 5);
	/* Per clerk: the database user and the terminal of each sale still
	 * standing. */
	assert_int_equal(r->nclerks, 2);
	for (i = 0; i < r->nclerks; i++) {
		if (strcmp(r->clerk[i].terminal, "box-1") == 0) {
			assert_string_equal(r->clerk[i].actor, TDD_CLERK);
			assert_int_equal(r->clerk[i].sold, 2);
			assert_int_equal(r->clerk[i].revenue_cents, 12000);
		} else {
			assert_string_equal(r->clerk[i].terminal, "box-2");
			assert_int_equal(r->clerk[i].sold, 2);
			assert_int_equal(r->clerk[i].revenue_cents, 4000);
		}
	}
	sl_report_free(r);
	assert_int_equal(sl_report_show(t1, 999999999, &r, &e), SL_ENOTFOUND);
	sl_db_close(t2);
	sl_db_close(t1);
	sl_db_close(db);
}

static void
test_report_day(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "office");
	PGconn *pg = tdb_pg();
	int64_t s1 = tdb_show(db, 1, 4), s2, s3, user = tdb_user(db);
	struct sl_report *r;
	struct sl_err e;
	char day[16];

	(void)state;
	/* Two shows on one free day (matinee, evening), one the next day. */
	tdd_str(pg, day, sizeof day,
	    "SELECT (coalesce(max(starts_at::date), "
	    "'2040-01-01') + 10)::text FROM show");
	s2 = tdb_int(pg,
	    "SELECT sl_show_add(venue_id, 'Matinee', '%s 14:00') "
	    "FROM show WHERE show_id = %" PRId64,
	    day, s1);
	s3 = tdb_int(pg,
	    "SELECT sl_show_add(venue_id, 'Evening', '%s 20:00') "
	    "FROM show WHERE show_id = %" PRId64,
	    day, s1);
	tdb_int(pg,
	    "SELECT sl_show_add(venue_id, 'Next day', "
	    "'%s 14:00'::date + 1) FROM show WHERE show_id = %" PRId64,
	    day, s1);
	assert_int_equal(tdd_book(db, s2, user, "A1", NULL, NULL, &e), SL_OK);
	assert_int_equal(tdd_book(db, s3, user, "A1 A2", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(sl_report_day(db, day, &r, &e), SL_OK);
	assert_string_equal(r->day, day);
	assert_int_equal(r->nshows, 2);
	assert_int_equal(r->show[0].id, s2);
	assert_int_equal(r->show[1].id, s3);
	assert_int_equal(r->show[0].total.sold, 1);
	assert_int_equal(r->show[1].total.sold, 2);
	assert_int_equal(r->total.seats, 8);
	assert_int_equal(r->total.sold, 3);
	assert_int_equal(r->total.available, 5);
	assert_int_equal(r->nclerks, 1);
	assert_int_equal(r->clerk[0].sold, 3);
	assert_string_equal(r->clerk[0].terminal, "office");
	sl_report_free(r);
	/* A day without shows is an empty report; a bad date is refused. */
	assert_int_equal(sl_report_day(db, "1999-01-01", &r, &e), SL_OK);
	assert_int_equal(r->nshows, 0);
	assert_int_equal(r->total.seats, 0);
	sl_report_free(r);
	assert_int_equal(sl_report_day(db, "1999-02-30", &r, &e), SL_EINVAL);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zones),
		cmocka_unit_test(test_report_show),
		cmocka_unit_test(test_report_day),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
