/*
 * integ_depth_layout.c - the shipped layouts on a real PostgreSQL: the
 * concert hall (parse, attributes, import, zones, best seats) and the
 * generated 100,000-seat stadium (import timed, figures printed), and the
 * parser's refusals at its limits.
 *
 * Run from the top of the source tree (tests/run.sh does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "depth_util.h"

/* A connection with room for the stadium's big statements. */
static struct sl_db *
connect_big(void)
{
	struct sl_config c;
	struct sl_db *db;
	struct sl_err e;

	sl_config_defaults(&c);
	c.statement_timeout_ms = 300000;
	if (sl_db_connect(&c, &db, &e) != SL_OK) {
		fprintf(stderr, "connect_big: %s\n", e.msg);
		abort();
	}
	return db;
}

/* A file's text with the venue's name made unique (so a run imports it
 * afresh); caller frees. */
static char *
renamed(const char *path, const char *name)
{
	char want[128], repl[192], *text, *p, *out;
	struct stat st;
	FILE *f;
	size_t n;

	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	text = calloc(1, (size_t)st.st_size + 1);
	assert_non_null(text);
	n = fread(text, 1, (size_t)st.st_size, f);
	fclose(f);
	text[n] = '\0';
	snprintf(want, sizeof want, "name = \"%s\";", name);
	snprintf(repl, sizeof repl, "name = \"%s %s\";", name, tdb_unique());
	p = strstr(text, want);
	assert_non_null(p);
	out = malloc(n + strlen(repl) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(p - text));
	strcpy(out + (p - text), repl);
	strcat(out, p + strlen(want));
	free(text);
	return out;
}

static void
test_concert_hall(void **state)
{
	struct sl_db *db = tdd_connect(NULL, "box-1");
	PGconn *pg = tdb_pg();
	struct sl_layout *l;
	struct sl_booking *b;
	struct sl_err e;
	int64_t venue, show, joined, total = 0, user = tdb_user(db);
	size_t i, j, acc = 0, comp = 0, restr = 0, nb;
	const char *zones[] = { "A", "B", "C", "D", "BOX" };
	char *text;

	(void)state;
	assert_int_equal(
	    sl_layout_load("assets/venues/concert-hall.venue", &l, &e), SL_OK);
	assert_int_equal(l->n, 2079);
	assert_int_equal(l->nsections, 4);
	assert_string_equal(l->section[1], "Dress Circle");
	assert_string_equal(l->section[2], "Upper Circle");
	assert_int_equal(l->nzones, 5);
	for (i = 0; i < l->n; i++) {
		acc += l->seat[i].accessible;
		restr += l->seat[i].restricted;
		if (!l->seat[i].companion)
			continue;
		comp++;
		/* Every companion seat stands beside a wheelchair space. */
		for (j = 0; j < l->n; j++)
			if (l->seat[j].accessible &&
			    l->seat[j].y == l->seat[i].y &&
			    abs(l->seat[j].x - l->seat[i].x) == 1)
				break;
		assert_true(j < l->n);
	}
	assert_int_equal(acc, 8);
	assert_int_equal(comp, 8);
	assert_int_equal(restr, 32);
	sl_layout_free(l);

	text = renamed("assets/venues/concert-hall.venue", "The Concert Hall");
	assert_int_equal(sl_layout_parse(text, "concert-hall.venue", &l, &e),
	    SL_OK);
	free(text);
	assert_int_equal(sl_venue_import(db, l, 0, &venue, NULL, &e), SL_OK);
	sl_layout_free(l);
	assert_int_equal(
	    sl_show_add(db, venue, "Mahler 2", "2030-03-01 19:30", &show, &e),
	    SL_OK);
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		assert_int_equal(sl_zone_set(db, show, zones[i], NULL,
		                     (int64_t)(9000 - 1500 * (int)i),
		                     (int32_t)i + 1, &joined, &e),
		    SL_OK);
		total += joined;
	}
	/* Every seat of the hall has a zone from the layout. */
	assert_int_equal(total, 2079);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM show_seat WHERE "
	                     "show_id = %" PRId64 " AND zone IS NULL",
	                     show),
	    0);
	/* The best pair: zone A, the front row of the stalls, its centre. */
	assert_int_equal(
	    sl_sell_best(db, show, 2, user, NULL, NULL, &b, &nb, &e), SL_OK);
	assert_string_equal(b[0].label, "A17");
	assert_string_equal(b[1].label, "A18");
	assert_int_equal(sl_booking_total(b, nb), 18000);
	free(b);
	/* Zone D is the back of the upper circle: its front row F. */
	assert_int_equal(
	    sl_sell_best(db, show, 4, user, "D", NULL, &b, &nb, &e), SL_OK);
	assert_int_equal(strncmp(b[0].label, "UF", 2), 0);
	free(b);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_stadium(void **state)
{
	struct sl_db *db = connect_big();
	PGconn *pg = tdb_pg();
	char path[128], *text;
	struct sl_layout *l;
	struct sl_seats *seats;
	struct sl_booking *b;
	struct sl_err e;
	int64_t venue, show, joined, user = tdb_user(db);
	double t0, t_gen, t_parse, t_import, t_show, t_zones, t_map, t_best;
	size_t nb;

	(void)state;
	snprintf(path, sizeof path, "/tmp/seatlock-stadium-%d.venue",
	    (int)getpid());
	t0 = tdd_ms();
	{
		char cmd[256];

		snprintf(cmd, sizeof cmd, "sh assets/stadium.sh %s", path);
		assert_int_equal(system(cmd), 0);
	}
	t_gen = tdd_ms() - t0;
	text = renamed(path, "The Stadium");
	unlink(path);
	t0 = tdd_ms();
	assert_int_equal(sl_layout_parse(text, "stadium.venue", &l, &e), SL_OK);
	t_parse = tdd_ms() - t0;
	free(text);
	assert_int_equal(l->n, 100000);
	assert_int_equal(l->nsections, 50);
	assert_int_equal(l->nzones, 3);
	t0 = tdd_ms();
	assert_int_equal(sl_venue_import(db, l, 0, &venue, NULL, &e), SL_OK);
	t_import = tdd_ms() - t0;
	sl_layout_free(l);
	assert_int_equal(tdb_int(pg,
	                     "SELECT count(*) FROM seat WHERE "
	                     "venue_id = %" PRId64,
	                     venue),
	    100000);
	t0 = tdd_ms();
	assert_int_equal(
	    sl_show_add(db, venue, "Cup final", "2030-05-01 15:00", &show, &e),
	    SL_OK);
	t_show = tdd_ms() - t0;
	t0 = tdd_ms();
	assert_int_equal(sl_zone_set(db, show, "A", "Lower, near the stage",
	                     12000, 1, &joined, &e),
	    SL_OK);
	assert_int_equal(joined, 12000);
	assert_int_equal(
	    sl_zone_set(db, show, "B", "Lower", 8000, 2, &joined, &e), SL_OK);
	assert_int_equal(joined, 36000);
	assert_int_equal(
	    sl_zone_set(db, show, "C", "Upper", 4500, 3, &joined, &e), SL_OK);
	assert_int_equal(joined, 52000);
	t_zones = tdd_ms() - t0;
	/* Plans like a loaded database's, as in production (DESIGN rule 7). */
	tdd_exec(pg, "ANALYZE seat");
	tdd_exec(pg, "ANALYZE show_seat");
	t0 = tdd_ms();
	assert_int_equal(sl_show_seats(db, show, &seats, &e), SL_OK);
	t_map = tdd_ms() - t0;
	assert_int_equal(seats->n, 100000);
	sl_seats_free(seats);
	t0 = tdd_ms();
	assert_int_equal(
	    sl_sell_best(db, show, 4, user, NULL, NULL, &b, &nb, &e), SL_OK);
	t_best = tdd_ms() - t0;
	/* Zone A is the lower west and east sections nearest the stage. */
	assert_true(strncmp(b[0].label, "101-A", 5) == 0 ||
	    strncmp(b[0].label, "107-A", 5) == 0);
	free(b);
	printf(
	    "stadium: 100000 seats: generated in %.0f ms, parsed in %.0f ms, "
	    "imported in %.0f ms; show added in %.0f ms, 3 zones set in "
	    "%.0f ms, seat map read in %.0f ms, best 4 found and sold in "
	    "%.0f ms\n",
	    t_gen, t_parse, t_import, t_show, t_zones, t_map, t_best);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
}

/* Expects the layout (sections part) refused with "file:line:" and why. */
static void
refused(const char *sections, int line, const char *why)
{
	char text[8192], where[64];
	struct sl_layout *l = NULL;
	struct sl_err e;

	snprintf(text, sizeof text,
	    "venue = { name = \"Bad\";\nsections = (\n"
	    "%s\n); };\n",
	    sections);
	assert_int_equal(sl_layout_parse(text, "bad.venue", &l, &e), SL_EINVAL);
	assert_null(l);
	snprintf(where, sizeof where, "bad.venue:%d:", line);
	if (strstr(e.msg, where) == NULL || strstr(e.msg, why) == NULL)
		fail_msg("expected \"%s ... %s\", got \"%s\"", where, why,
		    e.msg);
}

static void
test_limits(void **state)
{
	struct sl_layout *l;
	struct sl_err e;
	char *big;
	size_t len = 0, cap = 8 << 20;
	int r;

	(void)state;
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1-3\"; },\n"
	        "{ row = \"A\"; seats = \"3\"; y = 5; } ); }",
	    5, "defined twice");
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"\"; } ); }",
	    4, "has no seats");
	refused(
	    "{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"_ _\"; } ); }",
	    4, "has no seats");
	refused(
	    "{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1-2001\"; } "
	    "); }",
	    4, "longer than 2000");
	refused(
	    "{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"100001\"; } "
	    "); }",
	    4, "bad seat pattern");
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1\"; "
	        "x = 4294967296; } ); }",
	    4, "out of range");
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1\"; "
	        "y = 100001; } ); }",
	    4, "out of range");
	refused("{ name = \"S\"; x = 99999; rows = (\n{ row = \"A\"; "
	        "seats = \"1-5\"; } ); }",
	    4, "too wide");
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1-2\"; "
	        "accessible = \"3\"; } ); }",
	    4, "not in this row");
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1\"; "
	        "zone = \"\"; } ); }",
	    4, "zone");
	refused("{ name = \"S\"; rows = (\n{ row = \"A\"; seats = \"1\"; "
	        "price = 5; } ); }",
	    4, "unknown key");

	/* More seats than SL_LAYOUT_MAX_SEATS: 101 sections of 2000. */
	big = malloc(cap);
	assert_non_null(big);
	len += (size_t)snprintf(big, cap,
	    "venue = { name = \"Huge\"; "
	    "sections = (\n");
	for (r = 0; r < 101; r++)
		len += (size_t)snprintf(big + len, cap - len,
		    "%s{ name = \"S%d\"; "
		    "prefix = \"S%d-\"; y = %d; rows = ({ row = \"A\"; "
		    "seats = \"1-1000 _ 1001-2000\"; }); }\n",
		    r ? "," : "", r, r, r);
	snprintf(big + len, cap - len, "); };\n");
	assert_int_equal(sl_layout_parse(big, "huge.venue", &l, &e), SL_EINVAL);
	assert_non_null(strstr(e.msg, "too many seats"));
	assert_non_null(strstr(e.msg, "huge.venue:102:"));
	/* 100 such sections (200,000 seats) are within the limit. */
	big[len] = '\0';
	*strrchr(big, ',') = '\0';
	strcat(big, "); };\n");
	assert_int_equal(sl_layout_parse(big, "huge.venue", &l, &e), SL_OK);
	assert_int_equal(l->n, SL_LAYOUT_MAX_SEATS);
	sl_layout_free(l);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concert_hall),
		cmocka_unit_test(test_stadium),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
