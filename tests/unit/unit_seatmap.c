/*
 * unit_seatmap.c - the seat map model without a database or a terminal:
 * layout to lines, cursor movement across aisles, gaps and sections,
 * applying change events, selection invalidation; and the listener's
 * payload parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_notify.h"
#include "sl_seatmap.h"

/*
 * Builds seats from a picture, one string per map line (y = index):
 * 'o' available, 'x' booked, 'h' held, '#' blocked, anything else empty.
 * Rows are named by the first letter of their line's label in names[]
 * (or 'A' + y), seats numbered from 1 left to right; ids are 100 + order.
 * secs[y] is the section index of line y (NULL: all 0).
 */
static struct sl_seats *
picture(const char *const *pic, size_t nlines, const char *const *names,
    const int *secs, size_t nsections)
{
	struct sl_seats *s = calloc(1, sizeof *s);
	size_t y, x, k = 0, cap = 0;

	assert_non_null(s);
	for (y = 0; y < nlines; y++)
		cap += strlen(pic[y]);
	s->seat = calloc(cap + 1, sizeof *s->seat);
	assert_non_null(s->seat);
	s->show = 7;
	s->change_seq = 3;
	for (y = 0; y < nlines; y++) {
		int num = 1;

		for (x = 0; pic[y][x] != '\0'; x++) {
			struct sl_seat *st = &s->seat[k];
			char c = pic[y][x];

			if (c != 'o' && c != 'x' && c != 'h' && c != '#')
				continue;
			st->id = 100 + (int64_t)k;
			snprintf(st->row, sizeof st->row, "%s",
			    names != NULL ? names[y] : (char[]){ (char)('A' + y), 0 });
			snprintf(st->label, sizeof st->label, "%s%d", st->row,
			    num);
			st->number = num++;
			st->x = (int32_t)x;
			st->y = (int32_t)y;
			st->section = (uint16_t)(secs != NULL ? secs[y] : 0);
			st->state = c == 'o' ? SL_SEAT_AVAILABLE : c == 'x' ?
			    SL_SEAT_BOOKED : c == 'h' ? SL_SEAT_HELD :
			    SL_SEAT_BLOCKED;
			k++;
		}
	}
	s->n = k;
	s->nsections = nsections;
	s->section = calloc(nsections, sizeof *s->section);
	for (y = 0; y < nsections; y++)
		s->section[y] = strdup(y == 0 ? "Stalls" : y == 1 ? "Circle" :
		    "Boxes");
	return s;
}

static struct sl_seatmap *
build(struct sl_seats *s)
{
	struct sl_seatmap *m = NULL;
	struct sl_err e;

	assert_int_equal(sl_seatmap_new(s, &m, &e), SL_OK);
	return m;
}

static const char *
cur(const struct sl_seatmap *m)
{
	return sl_seatmap_seat(m, sl_seatmap_cursor(m))->label;
}

static void
goto_label(struct sl_seatmap *m, const char *label)
{
	long i = sl_seatmap_find(m, label);

	assert_true(i >= 0);
	sl_seatmap_set_cursor(m, (size_t)i);
}

/* A small theatre: two aisles, rows of different lengths, a gap line,
 * a circle, and boxes beside the stalls. */
static const char *const theatre[] = {
	"    ooo_oooo_ooo     ",	/* A */
	"o  oooo_oooo_oooo  o",		/* B: box seats at both ends */
	"   oooo_oooo_oooo   ",	/* C */
	"o                  o",		/* D: boxes only */
	"  ooooo_oooo_ooooo  ",	/* E */
	"",				/* gap */
	"   xxxx_oooo_oooo   ",	/* G: circle */
};
static const char *const theatre_rows[] = { "A", "B", "C", "BOX", "E", "F",
    "CA" };
static const int theatre_secs[] = { 0, 0, 0, 2, 0, 0, 1 };

static struct sl_seats *
theatre_seats(void)
{
	return picture(theatre, 7, theatre_rows, theatre_secs, 3);
}

static void
test_layout_lines(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);
	const struct sl_seatmap_line *l;
	int32_t minx, maxx, miny, maxy;

	(void)state;
	/* 10 + 14 + 12 + 2 + 14 + 12 seats; 6 lines (the gap has none). */
	assert_int_equal(sl_seatmap_nseats(m), 10 + 14 + 12 + 2 + 14 + 12);
	assert_int_equal(sl_seatmap_nlines(m), 6);
	l = sl_seatmap_line(m, 0);
	assert_int_equal(l->y, 0);
	assert_int_equal(l->n, 10);
	assert_string_equal(l->label, "A");
	assert_true(l->section_start);
	/* Line B holds box seats at both ends and 12 seats between. */
	l = sl_seatmap_line(m, 1);
	assert_int_equal(l->n, 14);
	assert_string_equal(l->label, "B");
	assert_int_equal(l->section, 0);
	assert_false(l->section_start);
	/* The boxes-only line starts (and the next line ends) a section. */
	l = sl_seatmap_line(m, 3);
	assert_string_equal(l->label, "BOX");
	assert_int_equal(l->section, 2);
	assert_true(l->section_start);
	assert_true(sl_seatmap_line(m, 4)->section_start);
	/* After the gap: the circle, y = 6. */
	l = sl_seatmap_line(m, 5);
	assert_int_equal(l->y, 6);
	assert_string_equal(l->label, "CA");
	assert_string_equal(sl_seatmap_section(m, l->section), "Circle");
	assert_true(l->section_start);
	sl_seatmap_bounds(m, &minx, &maxx, &miny, &maxy);
	assert_int_equal(minx, 0);
	assert_int_equal(maxx, 19);
	assert_int_equal(miny, 0);
	assert_int_equal(maxy, 6);
	/* Seats within a line are in x order, and at() finds them. */
	assert_int_equal(sl_seatmap_at(m, 4, 0), sl_seatmap_find(m, "A1"));
	assert_int_equal(sl_seatmap_at(m, 7, 0), -1);	/* the aisle */
	assert_int_equal(sl_seatmap_at(m, 0, 5), -1);	/* the gap */
	/* The cursor starts near the middle of the front row. */
	assert_string_equal(cur(m), "A5");
	assert_int_equal(sl_seatmap_show(m), 7);
	assert_int_equal(sl_seatmap_seq(m), 3);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_layout_unsorted_input(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m;
	struct sl_seat tmp;

	(void)state;
	/* The model must not rely on the database's ORDER BY. */
	tmp = s->seat[0];
	s->seat[0] = s->seat[s->n - 1];
	s->seat[s->n - 1] = tmp;
	m = build(s);
	assert_int_equal(sl_seatmap_line(m, 0)->n, 10);
	assert_string_equal(sl_seatmap_seat(m, 0)->label, "A1");
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_empty_show(void **state)
{
	struct sl_seats s;
	struct sl_seatmap *m = NULL;
	struct sl_err e;

	(void)state;
	memset(&s, 0, sizeof s);
	assert_int_equal(sl_seatmap_new(&s, &m, &e), SL_EINVAL);
	assert_null(m);
}

static void
test_move_along_and_across_aisles(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);

	(void)state;
	goto_label(m, "A3");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_RIGHT), 1);
	assert_string_equal(cur(m), "A4");	/* across the aisle */
	/* The end of a row reaches the box beside it, one line down... */
	goto_label(m, "A10");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_RIGHT), 1);
	assert_string_equal(cur(m), "B14");
	goto_label(m, "A1");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_LEFT), 1);
	assert_string_equal(cur(m), "B1");
	/* ...but does not wrap to a seat two lines away. */
	goto_label(m, "CA12");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_RIGHT), 0);
	assert_string_equal(cur(m), "CA12");
	goto_label(m, "CA1");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_LEFT), 0);
	/* Row B ends at a box seat beyond the empty columns. */
	goto_label(m, "B13");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_RIGHT), 1);
	assert_string_equal(cur(m), "B14");
	assert_int_equal(sl_seatmap_seat(m, sl_seatmap_cursor(m))->x, 19);
	/* Home and End. */
	goto_label(m, "C5");
	assert_int_equal(sl_seatmap_home_end(m, 1), 1);
	assert_string_equal(cur(m), "C12");
	assert_int_equal(sl_seatmap_home_end(m, 0), 1);
	assert_string_equal(cur(m), "C1");
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_move_up_down_across_gaps(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);

	(void)state;
	/* Straight down keeps the column. */
	goto_label(m, "B5");			/* x = 6 */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_DOWN), 1);
	assert_string_equal(cur(m), "C4");	/* x = 6 */
	/* Down from C skips the boxes-only line when nothing is near. */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_DOWN), 1);
	assert_string_equal(cur(m), "E5");	/* x = 6, y = 4 */
	/* Down across the empty line into the circle. */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_DOWN), 1);
	assert_string_equal(cur(m), "CA4");	/* x = 6, y = 6 */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_DOWN), 0);
	/* And back up across the gap. */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_UP), 1);
	assert_string_equal(cur(m), "E5");
	/* Rows shifted against each other: A is indented by one. */
	goto_label(m, "B4");			/* x = 5 */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_UP), 1);
	assert_string_equal(cur(m), "A2");	/* x = 5 */
	goto_label(m, "B2");			/* x = 3 */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_UP), 1);
	assert_string_equal(cur(m), "A1");	/* x = 4 */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_UP), 0);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_move_between_boxes(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);

	(void)state;
	/* Box seat B1 (x 0, y 1): down goes to the box below, not into
	 * the stalls far to the right. */
	goto_label(m, "B1");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_DOWN), 1);
	assert_string_equal(cur(m), "BOX1");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_UP), 1);
	assert_string_equal(cur(m), "B1");
	/* From the box, right goes into its row. */
	assert_int_equal(sl_seatmap_move(m, SL_DIR_RIGHT), 1);
	assert_string_equal(cur(m), "B2");
	/* Up from a box with no box above: the nearest seat anywhere up. */
	goto_label(m, "B1");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_UP), 1);
	assert_string_equal(cur(m), "A1");
	/* Right from the boxes-only line's left box: the right box, on the
	 * same line. */
	goto_label(m, "BOX1");
	assert_int_equal(sl_seatmap_move(m, SL_DIR_RIGHT), 1);
	assert_string_equal(cur(m), "BOX2");
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_page_and_jump(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);

	(void)state;
	goto_label(m, "A5");
	assert_int_equal(sl_seatmap_page(m, 100), 1);
	assert_int_equal(sl_seatmap_seat(m, sl_seatmap_cursor(m))->y, 6);
	assert_int_equal(sl_seatmap_page(m, 100), 0);
	assert_int_equal(sl_seatmap_page(m, -2), 1);
	assert_int_equal(sl_seatmap_seat(m, sl_seatmap_cursor(m))->y, 3);
	/* Exact label, any case. */
	assert_true(sl_seatmap_jump(m, "c11") >= 0);
	assert_string_equal(cur(m), "C11");
	assert_true(sl_seatmap_jump(m, "C1") >= 0);	/* exact beats C11 */
	assert_string_equal(cur(m), "C1");
	/* A prefix goes to the first seat of that row in map order. */
	assert_true(sl_seatmap_jump(m, "CA") >= 0);
	assert_string_equal(cur(m), "CA1");
	assert_true(sl_seatmap_jump(m, "E1") >= 0);
	assert_string_equal(cur(m), "E1");
	assert_int_equal(sl_seatmap_jump(m, "Z9"), -1);
	assert_string_equal(cur(m), "E1");
	assert_int_equal(sl_seatmap_jump(m, ""), -1);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_selection(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);
	struct sl_seatmap_counts c;
	size_t idx[8];
	long a1 = sl_seatmap_find(m, "A1"), a2 = sl_seatmap_find(m, "A2");
	long g1 = sl_seatmap_find(m, "CA1");

	(void)state;
	assert_int_equal(sl_seatmap_toggle(m, (size_t)a2), SL_TOGGLE_ADDED);
	assert_int_equal(sl_seatmap_toggle(m, (size_t)a1), SL_TOGGLE_ADDED);
	assert_int_equal(sl_seatmap_toggle(m, (size_t)g1),
	    SL_TOGGLE_UNAVAILABLE);	/* booked */
	assert_int_equal(sl_seatmap_nselected(m), 2);
	assert_int_equal(sl_seatmap_look(m, (size_t)a1), SL_LOOK_SELECTED);
	/* Listed in map order. */
	assert_int_equal(sl_seatmap_selected(m, idx, 8), 2);
	assert_int_equal(idx[0], a1);
	assert_int_equal(idx[1], a2);
	assert_int_equal(sl_seatmap_toggle(m, (size_t)a1), SL_TOGGLE_REMOVED);
	assert_int_equal(sl_seatmap_look(m, (size_t)a1), SL_LOOK_AVAILABLE);
	sl_seatmap_counts(m, &c);
	assert_int_equal(c.selected, 1);
	assert_int_equal(c.booked, 4);
	assert_int_equal(c.available, sl_seatmap_nseats(m) - 4);
	sl_seatmap_clear(m);
	assert_int_equal(sl_seatmap_nselected(m), 0);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_apply_change_events(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);
	struct sl_seatmap_counts c;
	long a1 = sl_seatmap_find(m, "A1"), a2 = sl_seatmap_find(m, "A2");
	long g1 = sl_seatmap_find(m, "CA1");
	int64_t ids[3];
	uint8_t states[3];
	size_t lost[4], nlost = 99;

	(void)state;
	/* Booked elsewhere, then cancelled: the map follows. */
	ids[0] = sl_seatmap_seat(m, (size_t)a1)->id;
	states[0] = SL_SEAT_BOOKED;
	assert_int_equal(sl_seatmap_apply(m, ids, states, 1, lost, 4, &nlost),
	    0);
	assert_int_equal(nlost, 0);
	assert_int_equal(sl_seatmap_look(m, (size_t)a1), SL_LOOK_BOOKED);
	/* The same news twice (a reload after a notification) counts once:
	 * the counts are kept as states change, not recounted. */
	sl_seatmap_apply(m, ids, states, 1, lost, 4, &nlost);
	sl_seatmap_counts(m, &c);
	assert_int_equal(c.booked, 5);
	assert_int_equal(c.available + c.booked + c.held + c.blocked,
	    sl_seatmap_nseats(m));
	ids[0] = sl_seatmap_seat(m, (size_t)g1)->id;
	states[0] = SL_SEAT_AVAILABLE;
	sl_seatmap_apply(m, ids, states, 1, lost, 4, &nlost);
	assert_int_equal(sl_seatmap_look(m, (size_t)g1), SL_LOOK_AVAILABLE);
	/* Held by another terminal, and by me. */
	ids[0] = sl_seatmap_seat(m, (size_t)a2)->id;
	states[0] = SL_SEAT_HELD;
	sl_seatmap_apply(m, ids, states, 1, lost, 4, &nlost);
	assert_int_equal(sl_seatmap_look(m, (size_t)a2), SL_LOOK_HELD);
	assert_int_equal(sl_seatmap_toggle(m, (size_t)a2),
	    SL_TOGGLE_UNAVAILABLE);
	sl_seatmap_set_held_mine(m, ids[0], 1);
	assert_int_equal(sl_seatmap_look(m, (size_t)a2), SL_LOOK_HELD_MINE);
	assert_int_equal(sl_seatmap_toggle(m, (size_t)a2), SL_TOGGLE_ADDED);
	/* An id not on the map is reported: the layout changed. */
	ids[0] = 999999;
	assert_int_equal(sl_seatmap_apply(m, ids, states, 1, lost, 4, &nlost),
	    1);
	sl_seatmap_counts(m, &c);
	assert_int_equal(c.booked, 4 - 1 + 1);
	assert_int_equal(c.held, 1);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_selection_invalidated(void **state)
{
	struct sl_seats *s = theatre_seats();
	struct sl_seatmap *m = build(s);
	long a1 = sl_seatmap_find(m, "A1"), a2 = sl_seatmap_find(m, "A2");
	long a3 = sl_seatmap_find(m, "A3");
	int64_t ids[3];
	uint8_t states[3];
	size_t lost[4], nlost = 0;

	(void)state;
	sl_seatmap_toggle(m, (size_t)a1);
	sl_seatmap_toggle(m, (size_t)a2);
	sl_seatmap_toggle(m, (size_t)a3);
	/* Another terminal sells A1 and holds A3; A2 stays free. */
	ids[0] = sl_seatmap_seat(m, (size_t)a1)->id;
	states[0] = SL_SEAT_BOOKED;
	ids[1] = sl_seatmap_seat(m, (size_t)a2)->id;
	states[1] = SL_SEAT_AVAILABLE;
	ids[2] = sl_seatmap_seat(m, (size_t)a3)->id;
	states[2] = SL_SEAT_HELD;
	sl_seatmap_apply(m, ids, states, 3, lost, 4, &nlost);
	assert_int_equal(nlost, 2);
	assert_int_equal(lost[0], a1);
	assert_int_equal(lost[1], a3);
	assert_int_equal(sl_seatmap_nselected(m), 1);
	assert_int_equal(sl_seatmap_look(m, (size_t)a1), SL_LOOK_BOOKED);
	assert_int_equal(sl_seatmap_look(m, (size_t)a2), SL_LOOK_SELECTED);
	assert_int_equal(sl_seatmap_look(m, (size_t)a3), SL_LOOK_HELD);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_full_reload(void **state)
{
	struct sl_seats *s = theatre_seats(), *fresh = theatre_seats();
	struct sl_seats *other;
	struct sl_seatmap *m = build(s);
	long b5 = sl_seatmap_find(m, "B5");
	size_t lost[4], nlost = 0, i;
	const char *const small[] = { "ooo" };

	(void)state;
	sl_seatmap_toggle(m, (size_t)b5);
	for (i = 0; i < fresh->n; i++)
		if (strcmp(fresh->seat[i].label, "B5") == 0) {
			fresh->seat[i].state = SL_SEAT_BLOCKED;
			fresh->seat[i].zone = 3;	/* moved to a zone */
		}
	fresh->change_seq = 42;
	assert_int_equal(sl_seatmap_seat(m, (size_t)b5)->zone,
	    s->seat[0].zone);
	assert_int_equal(sl_seatmap_reload(m, fresh, lost, 4, &nlost), 0);
	assert_int_equal(nlost, 1);
	assert_int_equal(lost[0], b5);
	assert_int_equal(sl_seatmap_look(m, (size_t)b5), SL_LOOK_BLOCKED);
	assert_int_equal(sl_seatmap_seq(m), 42);
	/* The map keeps each seat's zone, and a reload brings the new. */
	assert_int_equal(sl_seatmap_seat(m, (size_t)b5)->zone, 3);
	/* Another layout does not fit: the caller builds a new map. */
	other = picture(small, 1, NULL, NULL, 1);
	assert_int_equal(sl_seatmap_reload(m, other, lost, 4, &nlost), -1);
	sl_seats_free(other);
	sl_seatmap_free(m);
	sl_seats_free(s);
	sl_seats_free(fresh);
}

static void
test_selection_limit(void **state)
{
	char row[SL_SEATMAP_MAX_SELECTION + 2];
	const char *pic[1] = { row };
	struct sl_seats *s;
	struct sl_seatmap *m;
	size_t i;

	(void)state;
	memset(row, 'o', sizeof row - 1);
	row[sizeof row - 1] = '\0';
	s = picture(pic, 1, NULL, NULL, 1);
	m = build(s);
	for (i = 0; i < SL_SEATMAP_MAX_SELECTION; i++)
		assert_int_equal(sl_seatmap_toggle(m, i), SL_TOGGLE_ADDED);
	assert_int_equal(sl_seatmap_toggle(m, i), SL_TOGGLE_FULL);
	sl_seatmap_free(m);
	sl_seats_free(s);
}

static void
test_notify_parse(void **state)
{
	struct sl_notify_event ev;
	int64_t buf[4];

	(void)state;
	/* What json_build_object sends. */
	assert_int_equal(sl_notify_parse("{\"show\" : 12, \"seq\" : 5, "
	    "\"state\" : \"booked\", \"seats\" : [3,4]}", &ev, buf, 4), 0);
	assert_int_equal(ev.show, 12);
	assert_int_equal(ev.seq, 5);
	assert_string_equal(ev.state, "booked");
	assert_int_equal(ev.nseats, 2);
	assert_int_equal(ev.seats[1], 4);
	assert_int_equal(ev.reload, 0);
	/* No seats: reload everything. */
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,\"state\":"
	    "\"booked\",\"seats\":null}", &ev, buf, 4), 0);
	assert_int_equal(ev.reload, 1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,"
	    "\"seats\":[]}", &ev, buf, 4), 0);
	assert_int_equal(ev.reload, 1);
	/* Anything else is refused. */
	assert_int_equal(sl_notify_parse("", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("hello", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2}", &ev, buf,
	    4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,\"seats\":"
	    "[1,2,3,4,5]}", &ev, buf, 4), -1);	/* too many for buf */
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,\"seats\":"
	    "[1]} x", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,\"seats\":"
	    "[1.5]}", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":"
	    "99999999999999999999,\"seats\":[1]}", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,\"seats\":"
	    "[1],\"evil\":\"\\u001b[2J\"}", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"show\":2,\"seq\":2,"
	    "\"seats\":[1]}", &ev, buf, 4), -1);
	assert_int_equal(sl_notify_parse("{\"show\":1,\"seq\":2,\"state\":"
	    "\"\x1b[2J\",\"seats\":[1]}", &ev, buf, 4), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_lines),
		cmocka_unit_test(test_layout_unsorted_input),
		cmocka_unit_test(test_empty_show),
		cmocka_unit_test(test_move_along_and_across_aisles),
		cmocka_unit_test(test_move_up_down_across_gaps),
		cmocka_unit_test(test_move_between_boxes),
		cmocka_unit_test(test_page_and_jump),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_apply_change_events),
		cmocka_unit_test(test_selection_invalidated),
		cmocka_unit_test(test_full_reload),
		cmocka_unit_test(test_selection_limit),
		cmocka_unit_test(test_notify_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
