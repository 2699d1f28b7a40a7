/*
 * unit_layout.c - the venue layout parser: the demo theatre, and every
 * refusal with the right file:line and nothing returned.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_layout.h"

#define DEMO	"assets/demo/playhouse.venue"

static const struct sl_layout_seat *
find(const struct sl_layout *l, const char *label)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->seat[i].label, label) == 0)
			return &l->seat[i];
	fail_msg("seat %s not in the layout", label);
	return NULL;
}

static void
at(const struct sl_layout *l, const char *label, int x, int y)
{
	const struct sl_layout_seat *s = find(l, label);

	if (s->x != x || s->y != y)
		fail_msg("seat %s at (%d,%d), not (%d,%d)", label, (int)s->x,
		    (int)s->y, x, y);
}

static void
test_demo(void **state)
{
	static const char *const accessible[] = { "N1", "N22", "P1", "P20",
		"CA1", "CA22" };
	static const char *const companion[] = { "N2", "N21", "P2", "P19",
		"CA2", "CA21" };
	static const char *const restricted[] = { "CE1", "CE2", "CE23",
		"CE24", "CF1", "CF2", "CF21", "CF22" };
	struct sl_layout *l = NULL;
	struct sl_err e;
	size_t i, nacc = 0, ncomp = 0, nres = 0, per[3] = { 0, 0, 0 };
	const struct sl_layout_seat *s;

	(void)state;
	sl_err_clear(&e);
	if (sl_layout_load(DEMO, &l, &e) != SL_OK)
		fail_msg("%s (run from the top of the source tree)", e.msg);
	assert_string_equal(l->name, "The Playhouse");
	assert_int_equal(l->n, 432);
	assert_int_equal(l->nsections, 3);
	assert_string_equal(l->section[0], "Stalls");
	assert_string_equal(l->section[1], "Circle");
	assert_string_equal(l->section[2], "Boxes");
	for (i = 0; i < l->n; i++) {
		s = &l->seat[i];
		nacc += s->accessible;
		ncomp += s->companion;
		nres += s->restricted;
		assert_in_range(s->section, 0, 2);
		per[s->section]++;
	}
	assert_int_equal(per[0], 280);
	assert_int_equal(per[1], 140);
	assert_int_equal(per[2], 12);
	assert_int_equal(nacc, 6);
	assert_int_equal(ncomp, 6);
	assert_int_equal(nres, 8);
	for (i = 0; i < 6; i++) {
		assert_true(find(l, accessible[i])->accessible);
		assert_false(find(l, accessible[i])->companion);
		assert_true(find(l, companion[i])->companion);
	}
	for (i = 0; i < 8; i++)
		assert_true(find(l, restricted[i])->restricted);

	/* The first seat: section x 4 + row x 5, section y 1 + row 0. */
	s = &l->seat[0];
	assert_string_equal(s->label, "A1");
	assert_string_equal(s->row, "A");
	assert_int_equal(s->number, 1);
	at(l, "A1", 9, 1);
	at(l, "A3", 11, 1);
	at(l, "A4", 13, 1);	/* after the aisle "_" */
	at(l, "A14", 24, 1);
	at(l, "P20", 4 + 2 + 21, 14);
	/* the circle: prefix C, row A -> CA1 */
	s = find(l, "CA1");
	assert_string_equal(s->row, "A");
	assert_int_equal(s->section, 1);
	at(l, "CA1", 5, 17);
	at(l, "CF22", 4 + 1 + 23, 22);
	/* boxes with their own y */
	at(l, "BOXA1", 0, 2);
	at(l, "BOXA2", 1, 2);
	at(l, "BOXD1", 32, 2);
	at(l, "BOXF2", 33, 8);
	assert_int_equal(find(l, "BOXC2")->section, 2);
	sl_layout_free(l);
}

/* A small valid layout parses; descending ranges and gaps work. */
static void
test_small(void **state)
{
	struct sl_layout *l = NULL;
	struct sl_err e;

	(void)state;
	assert_int_equal(sl_layout_parse(
	    "venue = {\n"
	    "  name = \"Zo\xc3\xab's Barn\";\n"
	    "  sections = ( { name = \"Floor\"; prefix = \"f\"; x = 10; "
	    "rows = (\n"
	    "    { row = \"a\"; seats = \"3-1 _ _ 7\"; accessible = \"7\"; },\n"
	    "    { row = \"B\"; y = 5; x = 2; seats = \"1 2\"; }\n"
	    "  ); } );\n"
	    "};\n", "barn.venue", &l, &e), SL_OK);
	assert_int_equal(l->n, 6);
	assert_string_equal(l->name, "Zo\xc3\xab's Barn");
	/* labels upper case, prefix first, in file order */
	assert_string_equal(l->seat[0].label, "FA3");
	assert_string_equal(l->seat[2].label, "FA1");
	assert_string_equal(l->seat[3].label, "FA7");
	assert_string_equal(l->seat[3].row, "a");
	at(l, "FA3", 10, 0);
	at(l, "FA1", 12, 0);
	at(l, "FA7", 15, 0);	/* two gaps */
	at(l, "FB1", 12, 5);
	at(l, "FB2", 13, 5);
	assert_true(find(l, "FA7")->accessible);
	assert_false(find(l, "FA1")->accessible);
	sl_layout_free(l);
	sl_layout_free(NULL);
}

/*
 * Parses text and expects SL_EINVAL with "name:line:" and fragment in the
 * message, and nothing returned.
 */
static void
refused_at(const char *text, int line, const char *fragment)
{
	struct sl_layout *l = (struct sl_layout *)0x1;
	struct sl_err e;
	char where[64];
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_layout_parse(text, "t.venue", &l, &e);
	if (rc != SL_EINVAL)
		fail_msg("%s, not invalid: %s\n%s", sl_rc_name(rc), e.msg,
		    text);
	assert_int_equal(e.rc, SL_EINVAL);
	assert_ptr_equal(l, (struct sl_layout *)0x1);
	snprintf(where, sizeof where, "t.venue:%d:", line);
	if (strncmp(e.msg, where, strlen(where)) != 0)
		fail_msg("expected \"%s\" at the start of \"%s\"", where,
		    e.msg);
	if (fragment != NULL && strstr(e.msg, fragment) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", fragment, e.msg);
}

/* A venue of one section whose rows are given (each on its own line,
 * starting at line 4). */
static void
rows_refused_at(const char *rows, int line, const char *fragment)
{
	char text[8192];

	snprintf(text, sizeof text,
	    "venue = {\n"
	    "  name = \"T\";\n"
	    "  sections = ( { name = \"S\"; rows = (\n"
	    "%s\n"
	    "  ); } );\n"
	    "};\n", rows);
	refused_at(text, line, fragment);
}

static void
test_duplicate_label(void **state)
{
	(void)state;
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\"; },\n"
	    "    { row = \"B\"; seats = \"1-4\"; },\n"
	    "    { row = \"A\"; seats = \"4-6\"; }", 6,
	    "seat A4 is defined twice (also at line 4)");
	/* one row naming a seat twice */
	rows_refused_at("    { row = \"A\"; seats = \"1-3 _ 3\"; }", 4,
	    "defined twice");
	/* case does not make a label different */
	rows_refused_at(
	    "    { row = \"a\"; seats = \"1\"; },\n"
	    "    { row = \"A\"; seats = \"1\"; }", 5, "A1 is defined twice");
	/* prefix + row + number can collide across sections */
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S1\"; prefix = \"C\"; rows = ( { row = \"A\"; "
	    "seats = \"1\"; } ); },\n"
	    "  { name = \"S2\"; y = 3; rows = ( { row = \"CA\"; seats = "
	    "\"1\"; } ); }\n"
	    "); };\n", 3, "CA1 is defined twice");
}

static void
test_same_spot(void **state)
{
	(void)state;
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\"; },\n"
	    "    { row = \"B\"; y = 0; x = 3; seats = \"1-2\"; }", 5,
	    "stands on the same spot as A4");
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S1\"; rows = ( { row = \"A\"; seats = \"1-3\"; } );"
	    " },\n"
	    "  { name = \"S2\"; x = 2; rows = ( { row = \"B\"; seats = \"1\";"
	    " } ); }\n"
	    "); };\n", 3, "same spot");
}

static void
test_empty_row(void **state)
{
	(void)state;
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\"; },\n"
	    "    { row = \"B\"; seats = \"\"; }", 5, "row \"B\" has no seats");
	rows_refused_at("    { row = \"A\"; seats = \"_ _ _\"; }", 4,
	    "no seats");
	rows_refused_at("    { row = \"A\"; seats = \"   \"; }", 4, "no seats");
	/* a section with no rows, a venue with no sections */
	refused_at("venue = {\n name = \"T\";\n sections = (\n"
	    "  { name = \"S\"; rows = ( ); }\n ); };\n", 4, "at least one row");
	refused_at("venue = {\n name = \"T\";\n sections = ( );\n};\n", 1,
	    "at least one section");
}

static void
test_bad_pattern(void **state)
{
	static const char *const bad[] = { "1-3 x", "1--3", "a-b", "1-",
		"-3", "1 -3", "1,2", "1;2", "1.5", "3-", "0x10", "1 + 2", "A1",
		"1-3-5", "\xd9\xa1" };
	char row[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(row, sizeof row,
		    "    { row = \"A\"; seats = \"1\"; },\n"
		    "    { row = \"B\"; seats = \"%s\"; }", bad[i]);
		rows_refused_at(row, 5, "seat pattern");
	}
	/* a range longer than 2000 seats */
	rows_refused_at("    { row = \"A\"; seats = \"1-2001\"; }", 4,
	    "longer than 2000");
	/* seats must be a string */
	rows_refused_at("    { row = \"A\"; seats = 12; }", 4,
	    "must be a string");
}

static void
test_overflowing_number(void **state)
{
	(void)state;
	rows_refused_at("    { row = \"A\"; seats = \"99999999999\"; }", 4,
	    "seat pattern");
	rows_refused_at("    { row = \"A\"; seats = \"1-99999999999\"; }", 4,
	    "seat pattern");
	rows_refused_at("    { row = \"A\"; seats = \"4294967297\"; }", 4,
	    "seat pattern");
	/* numbers are at most 100000 */
	rows_refused_at("    { row = \"A\"; seats = \"100001\"; }", 4,
	    "seat pattern");
	rows_refused_at("    { row = \"A\"; seats = \"1\"; accessible = "
	    "\"99999999999\"; }", 4, "accessible");
}

static void
test_wrapping_coordinate(void **state)
{
	(void)state;
	/* libconfig 1.5 reads 4294967297 as 1 */
	rows_refused_at("    { row = \"A\";\n      x = 4294967297;\n"
	    "      seats = \"1\"; }", 5, "\"x\" is out of range");
	rows_refused_at("    { row = \"A\"; y = 4294967298; seats = \"1\"; }",
	    4, "\"y\"");
	rows_refused_at("    { row = \"A\"; x = 0x100000001; seats = \"1\"; }",
	    4, "\"x\"");
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\";\n    x = 4294967301;\n"
	    "    rows = ( { row = \"A\"; seats = \"1\"; } ); }\n); };\n", 3,
	    "\"x\" is out of range");
	/* plain out of range, and the wrong type */
	rows_refused_at("    { row = \"A\"; x = 100001; seats = \"1\"; }", 4,
	    "out of range");
	rows_refused_at("    { row = \"A\"; x = -1; seats = \"1\"; }", 4,
	    "out of range");
	rows_refused_at("    { row = \"A\"; x = \"3\"; seats = \"1\"; }", 4,
	    "must be an integer");
	rows_refused_at("    { row = \"A\"; x = 1.5; seats = \"1\"; }", 4,
	    "must be an integer");
	/* the sum of section, row and column beyond the map */
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\"; x = 100000; rows = (\n"
	    "    { row = \"A\"; x = 1; seats = \"1\"; } ); }\n); };\n", 3,
	    "too wide");
}

/*
 * The wrap check reads the literal in the source line.  A section's x and
 * a row's x on one line, or a string that looks like a setting, must
 * neither hide a wrapped value nor refuse a good one.
 */
static void
test_same_line_settings(void **state)
{
	struct sl_layout *l = NULL;
	struct sl_err e;

	(void)state;
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\"; x = 1; rows = ( { row = \"A\"; x = 4294967297; "
	    "seats = \"1\"; } ); }\n); };\n", 2, "\"x\"");
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"x = 1\"; rows = ( { row = \"A\"; x = 4294967297; "
	    "seats = \"1\"; } ); }\n); };\n", 2, "\"x\"");
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\"; rows = ( /* x = 1 */ { row = \"A\"; "
	    "x = 4294967297; seats = \"1\"; } ); }\n); };\n", 2, "\"x\"");

	/* One line, two good values: accepted, each where it belongs. */
	sl_err_clear(&e);
	if (sl_layout_parse("venue = { name = \"T\"; sections = ( "
	    "{ name = \"S\"; x = 1; y = 2; rows = ( { row = \"A\"; x = 3; "
	    "seats = \"1\"; }, { row = \"B\"; x = 5; seats = \"1\"; } ); } );"
	    " };",
	    "t.venue", &l, &e) != SL_OK)
		fail_msg("refused: %s", e.msg);
	at(l, "A1", 4, 2);
	at(l, "B1", 6, 3);
	sl_layout_free(l);
}

static void
test_unknown_key(void **state)
{
	(void)state;
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-3\"; },\n"
	    "    { row = \"B\"; seats = \"1-3\"; colour = \"red\"; }", 5,
	    "unknown key \"colour\" in a row");
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\"; rows = ( { row = \"A\"; seats = \"1\"; } );\n"
	    "    capacity = 3; }\n); };\n", 3,
	    "unknown key \"capacity\" in a section");
	refused_at("venue = {\n  name = \"T\";\n  city = \"Leeds\";\n"
	    "  sections = ( { name = \"S\"; rows = ( { row = \"A\"; seats = "
	    "\"1\"; } ); } );\n};\n", 3, "unknown key \"city\" in venue");
	refused_at("venue = { name = \"T\"; sections = ( { name = \"S\"; "
	    "rows = ( { row = \"A\"; seats = \"1\"; } ); } ); };\n"
	    "\n"
	    "theatre = 1;\n", 3, "unknown key \"theatre\"");
}

static void
test_attribute_not_in_row(void **state)
{
	(void)state;
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-10\"; accessible = \"1 10\"; },\n"
	    "    { row = \"B\"; seats = \"1-4\"; accessible = \"1 10\"; }", 5,
	    "\"accessible\" names seat 10, which is not in this row");
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\";\n"
	    "      companion = \"2 5\"; }", 5, "companion");
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\";\n\n"
	    "      restricted = \"0\"; }", 6, "restricted");
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\"; restricted = \"1-2\"; }", 4,
	    "must list seat numbers");
	rows_refused_at(
	    "    { row = \"A\"; seats = \"1-4\"; accessible = 1; }", 4,
	    "must be a string");
}

static void
test_missing_name(void **state)
{
	(void)state;
	refused_at("venue = {\n"
	    "  sections = ( { name = \"S\"; rows = ( { row = \"A\"; seats = "
	    "\"1\"; } ); } );\n};\n", 1, "\"name\" is required");
	refused_at("venue = {\n  name = \"T\";\n  sections = (\n"
	    "    { rows = ( { row = \"A\"; seats = \"1\"; } ); }\n  );\n};\n",
	    4, "\"name\" is required");
	rows_refused_at("    { seats = \"1-4\"; }", 4, "\"row\" is required");
	rows_refused_at("    { row = \"A\"; }", 4, "\"seats\" is required");
	refused_at("# no venue at all\n", 1, "venue = {");
	refused_at("venue = 5;\n", 1, "venue = {");
	/* names that are there but not acceptable */
	refused_at("venue = {\n  name = \"\";\n  sections = ( { name = \"S\"; "
	    "rows = ( { row = \"A\"; seats = \"1\"; } ); } );\n};\n", 1,
	    "venue name");
	refused_at("venue = {\n  name = \"a\\x1b[2Jb\";\n  sections = ( "
	    "{ name = \"S\"; rows = ( { row = \"A\"; seats = \"1\"; } ); } );"
	    "\n};\n", 1, "control character");
	rows_refused_at("    { row = \"A-1\"; seats = \"1\"; }", 4,
	    "only letters and digits");
	rows_refused_at("    { row = \"\"; seats = \"1\"; }", 4, "1 to 20");
	rows_refused_at("    { row = \"ABCDEFGHIJKLMNOPQRSTU\"; "
	    "seats = \"1\"; }", 4, "1 to 20");
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\"; prefix = \"ABCDEFGHIJK\"; rows = ( "
	    "{ row = \"A\"; seats = \"1\"; } ); }\n); };\n", 2,
	    "longer than 10");
	/* prefix + row + number longer than a label may be */
	refused_at("venue = { name = \"T\"; sections = (\n"
	    "  { name = \"S\"; prefix = \"ABCDEFGHIJ\"; rows = (\n"
	    "    { row = \"ABCDEFGHIJKLMNOPQRST\"; seats = \"100\"; } ); }\n"
	    "); };\n", 3, "1 to 32");
}

static void
test_include(void **state)
{
	(void)state;
	refused_at("@include \"/etc/passwd\"\n", 1, "@include");
	refused_at("# a comment\n\n  @include \"other.venue\"\n"
	    "venue = { name = \"T\"; sections = ( { name = \"S\"; rows = ( "
	    "{ row = \"A\"; seats = \"1\"; } ); } ); };\n", 3, "@include");
}

static void
test_syntax_error(void **state)
{
	(void)state;
	refused_at("venue = {\n  name = \"T\"\n  sections = ( { name = ; } );\n"
	    "};\n", 3, NULL);
	refused_at("venue = {\n  name = \"T\";\n  sections = (\n", 4, NULL);
}

/* Builds a layout of nrows rows of "1-2000" (row names AA, AB, ...), one
 * per line from line 3. */
static char *
big_layout(int nrows)
{
	size_t cap = (size_t)nrows * 64 + 256, len;
	char *text = malloc(cap);
	int r;

	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "venue = { name = \"Big\";\n"
	    "  sections = ( { name = \"All\"; rows = (\n");
	for (r = 0; r < nrows; r++)
		len += (size_t)snprintf(text + len, cap - len,
		    "    %s{ row = \"%c%c\"; seats = \"1-2000\"; }\n",
		    r ? "," : "", 'A' + r / 26, 'A' + r % 26);
	snprintf(text + len, cap - len, "  ); } );\n};\n");
	return text;
}

static void
test_too_many_seats(void **state)
{
	struct sl_layout *l = NULL;
	struct sl_err e;
	char *text;

	(void)state;
	/* 100 rows of 2000: exactly the limit, accepted */
	text = big_layout(100);
	sl_err_clear(&e);
	if (sl_layout_parse(text, "t.venue", &l, &e) != SL_OK)
		fail_msg("refused: %s", e.msg);
	assert_int_equal(l->n, SL_LAYOUT_MAX_SEATS);
	sl_layout_free(l);
	free(text);
	/* one row more: refused at that row (line 3 + 100) */
	text = big_layout(101);
	refused_at(text, 103, "too many seats");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_duplicate_label),
		cmocka_unit_test(test_same_spot),
		cmocka_unit_test(test_empty_row),
		cmocka_unit_test(test_bad_pattern),
		cmocka_unit_test(test_overflowing_number),
		cmocka_unit_test(test_wrapping_coordinate),
		cmocka_unit_test(test_same_line_settings),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_attribute_not_in_row),
		cmocka_unit_test(test_missing_name),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_too_many_seats),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
