/*
 * scr_map.c - the seat map: the venue drawn from its layout, each seat's
 * state by colour and glyph, a cursor that moves seat to seat, the clerk's
 * selection, and live changes from every other terminal.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

/* Content rows that are not seat lines. */
#define ROW_STAGE	(-1)
#define ROW_BLANK	(-2)
#define ROW_HEADER	(-3)	/* ROW_HEADER - section index */

#define MAP_Y		1	/* first screen row of the map area */
#define JUMP_MS		1500	/* a typed label is forgotten after this */

/* The rows of the drawing, top to bottom: the stage, section headings,
 * gaps collapsed to one blank row, and one row per seat line. */
static void
map_rows(struct tui *t)
{
	struct tui_mapview *mv = &t->mv;
	size_t nl = sl_seatmap_nlines(t->map), li;
	int n = 0, *r, multi = sl_seatmap_nsections(t->map) > 1;

	r = realloc(mv->rowline, (2 * nl + 2) * sizeof *r);
	if (r == NULL)
		return;
	mv->rowline = r;
	r[n++] = ROW_STAGE;
	for (li = 0; li < nl; li++) {
		const struct sl_seatmap_line *l = sl_seatmap_line(t->map, li);
		int gap = li > 0 && l->y > sl_seatmap_line(t->map, li - 1)->y + 1;

		/* The first section's name goes on the stage row. */
		if (multi && l->section_start && li > 0)
			r[n++] = ROW_HEADER - (int)l->section;
		else if (gap)
			r[n++] = ROW_BLANK;
		r[n++] = (int)li;
	}
	mv->nrowline = n;
}

static int
map_row_of_line(const struct tui *t, size_t li)
{
	int i;

	for (i = 0; i < t->mv.nrowline; i++)
		if (t->mv.rowline[i] == (int)li)
			return i;
	return 0;
}

static void
map_draw_legend(struct tui *t, int y)
{
	static const enum sl_seatmap_look looks[] = { SL_LOOK_AVAILABLE,
	    SL_LOOK_SELECTED, SL_LOOK_HELD, SL_LOOK_BOOKED, SL_LOOK_BLOCKED };
	size_t i;
	int x = 1;

	for (i = 0; i < sizeof looks / sizeof looks[0]; i++) {
		tui_glyph_at(t, y, x, tui_glyph(t, looks[i], 0),
		    tui_attr(tui_look_role(looks[i])));
		x += 2;
		x += tui_text(t, y, x, t->cols - x, tui_look_name(looks[i]),
		    A_NORMAL) + 2;
	}
	tui_glyph_at(t, y, x, tui_glyph(t, SL_LOOK_AVAILABLE, 1),
	    tui_attr(TR_AVAILABLE));
	x += 2;
	x += tui_text(t, y, x, t->cols - x, "wheelchair", A_NORMAL) + 2;
	if (t->stale)
		tui_text(t, y, x, t->cols - x, t->utf8 ? "\xe2\x9a\xa0 may be "
		    "out of date" : "! may be out of date",
		    tui_attr(TR_MSG_ERR));
}

static void
map_draw_info(struct tui *t, int y)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map,
	    sl_seatmap_cursor(t->map));
	const char *sep = t->utf8 ? " \xc2\xb7 " : " - ";
	size_t idx[8], n, i;
	char info[512], sel[256] = "";
	enum sl_seatmap_look look;
	const struct sl_hold *h;
	const struct sl_zone *z;
	int x;

	if (t->mv.bprompt) {
		x = 1 + tui_text(t, y, 1, t->cols - 2, "Best available - "
		    "seats (and zone): ", A_BOLD);
		tui_field_draw(t, &t->mv.best, y, x, 12, 1);
		tui_text(t, y, x + 13, t->cols - x - 14,
		    "e.g. 4 or 4 A; Enter, Esc", A_NORMAL);
		return;
	}
	if (t->mv.prompt) {
		x = 1 + tui_text(t, y, 1, t->cols - 2, "Go to seat: ", A_BOLD);
		x += tui_text(t, y, x, t->cols - x, t->mv.jump,
		    tui_attr(TR_FIELD));
		t->cur_y = y;
		t->cur_x = x;
		t->cur_on = 1;
		tui_text(t, y, x + 1, t->cols - x - 2,
		    "(Enter goes, Esc cancels)", A_NORMAL);
		return;
	}
	x = 1;
	if (t->mv.jump[0] != '\0') {
		/* What is being typed, then where it led. */
		x += tui_textf(t, y, x, t->cols - 2, tui_attr(TR_FIELD),
		    "%s", t->mv.jump);
		x += tui_text(t, y, x, t->cols - x, t->utf8 ? " \xe2\x86\x92 " :
		    " -> ", A_NORMAL);
	}
	snprintf(info, sizeof info, "%s%s", s->label, sep);
	x += tui_text(t, y, x, t->cols - x - 1, info, A_BOLD);
	snprintf(info, sizeof info, "%s%srow %s seat %d%s%s%s%s%s%s",
	    sl_seatmap_section(t->map, s->section), sep, s->row,
	    (int)s->number, s->accessible ? sep : "",
	    s->accessible ? "wheelchair" : "", s->companion ? sep : "",
	    s->companion ? "companion" : "", s->restricted ? sep : "",
	    s->restricted ? "restricted view" : "");
	x += tui_text(t, y, x, t->cols - x - 1, info, A_NORMAL);
	x += tui_text(t, y, x, t->cols - x - 1, sep, A_NORMAL);
	look = sl_seatmap_look(t->map, sl_seatmap_cursor(t->map));
	x += tui_text(t, y, x, t->cols - x - 1, tui_look_name(look),
	    tui_attr(tui_look_role(look)));
	/* Who holds it, and why a block is there. */
	h = look == SL_LOOK_HELD || look == SL_LOOK_BLOCKED ?
	    tui_hold_of(t, s->label) : NULL;
	if (h != NULL && h->block)
		x += tui_textf(t, y, x, t->cols - x - 1, A_NORMAL, ": %s",
		    h->reason != NULL ? h->reason : "");
	else if (h != NULL) {
		char when[48];

		tui_when(h->expires_at, when, sizeof when);
		x += tui_textf(t, y, x, t->cols - x - 1, A_NORMAL, " by %s "
		    "until %s", h->terminal, strlen(when) > 11 ? when + 11 :
		    when);
	}
	if ((z = tui_seat_zone(t, sl_seatmap_cursor(t->map))) != NULL) {
		char money[64];

		tui_money(t, z->price_cents, money, sizeof money);
		x += tui_textf(t, y, x, t->cols - x - 1, A_NORMAL,
		    "%szone %s %s", sep, z->code, money);
	}
	n = sl_seatmap_selected(t->map, idx, 8);
	if (n == 0)
		return;
	snprintf(sel, sizeof sel, "Selected %zu:", n);
	for (i = 0; i < n && i < 8; i++) {
		strncat(sel, " ", sizeof sel - strlen(sel) - 1);
		strncat(sel, sl_seatmap_seat(t->map, idx[i])->label,
		    sizeof sel - strlen(sel) - 1);
	}
	if (n > 8)
		strncat(sel, " ...", sizeof sel - strlen(sel) - 1);
	if (t->hold_id != 0) {
		char clock[32];

		tui_hold_clock(t, clock, sizeof clock);
		snprintf(sel + strlen(sel), sizeof sel - strlen(sel),
		    "  hold %s", clock);
	}
	i = (size_t)tui_text_width(t, sel, t->cols / 2);
	if (x + 2 + (int)i < t->cols)
		tui_text(t, y, t->cols - (int)i - 1, (int)i, sel,
		    tui_attr(TR_SELECTED));
}

static void
map_draw(struct tui *t)
{
	struct tui_mapview *mv = &t->mv;
	struct sl_seatmap_counts c;
	int32_t minx, maxx, miny, maxy;
	int labw = 1, mapw, total, x0, lx, rx, ax, aw, vh, crow, r, cx, i;
	int psx, pattr;
	size_t lo, hi;
	size_t li, cur = sl_seatmap_cursor(t->map);
	char title[512], counts[128], when[48];
	const char *sep = t->utf8 ? " \xc2\xb7 " : " - ";

	sl_seatmap_counts(t->map, &c);
	tui_when(t->show->starts_at, when, sizeof when);
	snprintf(title, sizeof title, "%s%s%s%s%s", t->show->title, sep, when,
	    sep, t->show->venue);
	snprintf(counts, sizeof counts, "free %zu  sold %zu%s", c.available,
	    c.booked, c.held > 0 ? "" : "");
	if (c.held > 0)
		snprintf(counts + strlen(counts), sizeof counts - strlen(counts),
		    "  held %zu", c.held);
	tui_draw_title(t, title, counts);

	map_rows(t);
	sl_seatmap_bounds(t->map, &minx, &maxx, &miny, &maxy);
	for (li = 0; li < sl_seatmap_nlines(t->map); li++) {
		int w = (int)strlen(sl_seatmap_line(t->map, li)->label);

		if (w > labw)
			labw = w > 8 ? 8 : w;
	}
	mapw = (maxx - minx) * 2 + 1;
	total = labw + 2 + mapw + 2 + labw;
	vh = t->rows - MAP_Y - 3;
	cx = (sl_seatmap_seat(t->map, cur)->x - minx) * 2;
	if (total <= t->cols) {
		lx = (t->cols - total) / 2;
		ax = lx + labw + 2;
		aw = mapw;
		rx = ax + mapw + 2;
		mv->left = 0;
	} else {
		/* Labels stay at the edges; the seats scroll between them. */
		lx = 0;
		ax = labw + 1;
		aw = t->cols - 2 * labw - 2;
		rx = t->cols - labw;
		if (cx < mv->left)
			mv->left = cx - aw / 4 > 0 ? cx - aw / 4 : 0;
		if (cx >= mv->left + aw)
			mv->left = cx - aw + 1 + aw / 4;
		if (mv->left > mapw - aw)
			mv->left = mapw - aw;
		if (mv->left < 0)
			mv->left = 0;
	}
	x0 = ax - mv->left;
	/* Scroll so the cursor's row is always on screen. */
	crow = map_row_of_line(t, sl_seatmap_line_of(t->map, cur));
	if (mv->nrowline <= vh)
		mv->top = 0;
	else {
		if (crow < mv->top + 1)
			mv->top = crow - 1 < 0 ? 0 : crow - 1;
		if (crow > mv->top + vh - 2)
			mv->top = crow - vh + 2;
		if (mv->top > mv->nrowline - vh)
			mv->top = mv->nrowline - vh;
		if (mv->top < 0)
			mv->top = 0;
	}
	mv->y0 = MAP_Y;
	mv->rows = vh;
	mv->x0 = x0;
	mv->cols = aw;

	for (r = 0; r < vh && mv->top + r < mv->nrowline; r++) {
		int row = mv->rowline[mv->top + r], y = MAP_Y + r;
		const struct sl_seatmap_line *l;
		size_t k;

		if (row == ROW_BLANK)
			continue;
		if (row == ROW_STAGE) {
			int sw = mapw < 30 ? mapw : 30, sx = x0 + (mapw - sw) / 2;
			const char *bar = t->utf8 ? "\xe2\x95\x90" : "=";

			for (i = 0; i < sw; i++)
				if (sx + i >= ax && sx + i < ax + aw)
					tui_glyph_at(t, y, sx + i, bar,
					    tui_attr(TR_STAGE));
			if (sw >= 9 && sx + (sw - 7) / 2 >= ax)
				tui_text(t, y, sx + (sw - 7) / 2, 7, " STAGE ",
				    tui_attr(TR_STAGE));
			if (sl_seatmap_nsections(t->map) > 1 && sx - ax > 2)
				tui_text(t, y, ax, sx - ax - 1,
				    sl_seatmap_section(t->map,
				    sl_seatmap_line(t->map, 0)->section),
				    tui_attr(TR_SECTION));
			continue;
		}
		if (row <= ROW_HEADER) {
			tui_text(t, y, ax, aw, sl_seatmap_section(t->map,
			    (size_t)(ROW_HEADER - row)), tui_attr(TR_SECTION));
			continue;
		}
		l = sl_seatmap_line(t->map, (size_t)row);
		tui_textf(t, y, lx, labw, tui_attr(TR_LABEL), "%*s", labw,
		    l->label);
		tui_text(t, y, rx, labw, l->label, tui_attr(TR_LABEL));
		psx = -10;
		pattr = -1;
		/* A stadium's line is wider than any terminal: from the
		 * first seat at the left edge (a line is in x order). */
		lo = l->first;
		hi = l->first + l->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (x0 + (sl_seatmap_seat(t->map, mid)->x - minx) * 2 <
			    ax)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < l->first + l->n; k++) {
			const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map,
			    k);
			enum sl_seatmap_look look;
			int sx = x0 + (s->x - minx) * 2, attr, plain;

			if (sx >= ax + aw)
				break;
			look = sl_seatmap_look(t->map, k);
			attr = tui_attr(tui_look_role(look));
			/* Only a foreground colour: a blank looks the same. */
			plain = look != SL_LOOK_SELECTED &&
			    look != SL_LOOK_HELD_MINE && k != cur;
			if (k == cur)
				attr |= A_REVERSE | A_BOLD;
			/*
			 * The blank between two neighbours drawn alike takes
			 * their attributes, so the terminal is not sent a
			 * colour change per cell: a full screen of seats was
			 * most of the work of a draw.
			 */
			if (plain && attr == pattr && sx == psx + 2)
				tui_glyph_at(t, y, sx - 1, " ", attr);
			tui_glyph_at(t, y, sx, tui_glyph(t, look,
			    s->accessible && look == SL_LOOK_AVAILABLE), attr);
			psx = sx;
			pattr = plain ? attr : -1;
		}
	}
	/* Scroll marks: there is more above or below. */
	if (mv->top > 0)
		tui_text(t, MAP_Y, t->cols - 1, 1, "^", A_BOLD);
	if (mv->top + vh < mv->nrowline)
		tui_text(t, MAP_Y + vh - 1, t->cols - 1, 1, "v", A_BOLD);

	map_draw_legend(t, t->rows - 3);
	map_draw_info(t, t->rows - 2);
	tui_draw_status(t, "Spc select  Enter sell  b best  c cancel  ? help  "
	    "q quit");
}

/* What a seat that cannot be selected is, in a clerk's words. */
static const char *
map_why_not(enum sl_seatmap_look look)
{
	switch (look) {
	case SL_LOOK_BOOKED:
		return "is sold";
	case SL_LOOK_HELD:
		return "is held at another terminal";
	case SL_LOOK_BLOCKED:
		return "is blocked (not for sale)";
	case SL_LOOK_AVAILABLE:
	case SL_LOOK_SELECTED:
	case SL_LOOK_HELD_MINE:
		break;
	}
	return "cannot be selected";
}

static void
map_toggle(struct tui *t, size_t i)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);
	enum sl_seatmap_look look = sl_seatmap_look(t->map, i);
	const struct sl_hold *h;

	if (!s->selected && look != SL_LOOK_AVAILABLE &&
	    look != SL_LOOK_HELD_MINE) {
		h = tui_hold_of(t, s->label);
		if (look == SL_LOOK_BLOCKED && h != NULL && h->reason != NULL)
			tui_message(t, TUI_MSG_ERR, "%s is blocked (%s) - not "
			    "for sale", s->label, h->reason);
		else if (look == SL_LOOK_HELD && h != NULL)
			tui_message(t, TUI_MSG_ERR, "%s is held at %s - pick "
			    "another seat", s->label, h->terminal);
		else
			tui_message(t, TUI_MSG_ERR, "%s %s - pick another "
			    "seat", s->label, map_why_not(look));
		return;
	}
	if (!s->selected &&
	    sl_seatmap_nselected(t->map) >= SL_SEATMAP_MAX_SELECTION) {
		tui_message(t, TUI_MSG_ERR, "At most %d seats in one sale",
		    SL_SEATMAP_MAX_SELECTION);
		return;
	}
	tui_hold_toggle(t, i);
}

static void
map_sell(struct tui *t)
{
	size_t cur = sl_seatmap_cursor(t->map);

	t->best_n = 0;
	if (sl_seatmap_nselected(t->map) == 0) {
		/* Enter on a free seat sells that one seat. */
		map_toggle(t, cur);
		if (sl_seatmap_nselected(t->map) == 0)
			return;
	}
	tui_push(t, TUI_CUSTOMER);
}

static void
map_mouse(struct tui *t)
{
	struct tui_mapview *mv = &t->mv;
	int32_t minx, maxx, miny, maxy;
	MEVENT me;
	int row, col;
	long i;

	if (getmouse(&me) != OK || !(me.bstate & (BUTTON1_CLICKED |
	    BUTTON1_PRESSED)))
		return;
	if (me.y < mv->y0 || me.y >= mv->y0 + mv->rows)
		return;
	row = mv->top + me.y - mv->y0;
	if (row >= mv->nrowline || mv->rowline[row] < 0)
		return;
	col = me.x - mv->x0;
	if (col < 0 || col % 2 != 0)
		return;
	sl_seatmap_bounds(t->map, &minx, &maxx, &miny, &maxy);
	i = sl_seatmap_at(t->map, minx + col / 2,
	    sl_seatmap_line(t->map, (size_t)mv->rowline[row])->y);
	if (i < 0)
		return;
	sl_seatmap_set_cursor(t->map, (size_t)i);
	map_toggle(t, (size_t)i);
}

/* Typing a label: upper-case letters and digits jump as they come. */
static int
map_jump_key(struct tui *t, const struct tui_key *k)
{
	struct tui_mapview *mv = &t->mv;
	size_t len = strlen(mv->jump);
	wint_t c = k->ch;

	if (!mv->prompt && mv->jump[0] == '\0')
		return 0;
	if (tui_key_esc(k)) {
		mv->jump[0] = '\0';
		mv->prompt = 0;
		return 1;
	}
	if (tui_key_enter(k)) {
		if (mv->prompt && mv->jump[0] != '\0' &&
		    sl_seatmap_jump(t->map, mv->jump) < 0)
			tui_message(t, TUI_MSG_ERR, "There is no seat %s",
			    mv->jump);
		mv->jump[0] = '\0';
		mv->prompt = 0;
		return 1;
	}
	if (tui_key_fn(k, KEY_BACKSPACE) || tui_key_is(k, 0x7f) ||
	    tui_key_is(k, 0x08)) {
		if (len > 0)
			mv->jump[--len] = '\0';
		if (len > 0)
			sl_seatmap_jump(t->map, mv->jump);
		mv->jump_until = tui_now() + JUMP_MS;
		return 1;
	}
	if (!k->fn && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-' || (mv->prompt && c >= 'a' && c <= 'z'))) {
		if (len < SL_LABEL_MAX) {
			mv->jump[len] = (char)(c >= 'a' && c <= 'z' ?
			    c - 'a' + 'A' : c);
			mv->jump[len + 1] = '\0';
			if (sl_seatmap_jump(t->map, mv->jump) < 0) {
				tui_message(t, TUI_MSG_ERR, "There is no seat "
				    "%s", mv->jump);
				mv->jump[len] = '\0';
			}
		}
		mv->jump_until = tui_now() + JUMP_MS;
		return 1;
	}
	if (mv->prompt)
		return 1;	/* the prompt takes every key */
	/* Anything else ends the typed label and acts as usual. */
	mv->jump[0] = '\0';
	return 0;
}

/* The best-available prompt: "N" or "N ZONE", then the customer. */
static int
map_best_key(struct tui *t, const struct tui_key *k)
{
	struct tui_mapview *mv = &t->mv;
	char zone[64] = "", extra[8] = "";
	int n = 0, got;

	if (!mv->bprompt)
		return 0;
	if (tui_key_esc(k)) {
		mv->bprompt = 0;
		return 1;
	}
	if (!tui_key_enter(k)) {
		tui_field_key(&mv->best, k);
		return 1;
	}
	got = sscanf(mv->best.buf, "%d %63s %7s", &n, zone, extra);
	if (got < 1 || got > 2 || n < 1 || n > 50) {
		tui_message(t, TUI_MSG_ERR, "Type how many seats (1 to 50), "
		    "and a zone if you like: 4 or 4 A");
		return 1;
	}
	if (strlen(zone) > SL_ZONE_MAX) {
		tui_message(t, TUI_MSG_ERR, "There is no zone %s", zone);
		return 1;
	}
	mv->bprompt = 0;
	t->best_n = n;
	/* The precision tells gcc -O1 (make asan) what strlen() said. */
	snprintf(t->best_zone, sizeof t->best_zone, "%.*s",
	    (int)sizeof t->best_zone - 1, zone);
	tui_push(t, TUI_CUSTOMER);
	return 1;
}

static void
map_report(struct tui *t)
{
	t->report_show = t->show->id;
	tui_push(t, TUI_REPORT);
}

static int
map_key(struct tui *t, const struct tui_key *k)
{
	struct tui_mapview *mv = &t->mv;
	wint_t c = k->ch;
	int page = mv->rows > 4 ? mv->rows - 2 : 2;

	if (map_best_key(t, k))
		return TUI_DIRTY;
	if (map_jump_key(t, k))
		return TUI_DIRTY;
	if (!k->fn && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
		mv->jump[0] = '\0';
		mv->jump_until = tui_now() + JUMP_MS;
		/* Starts the label with this key. */
		mv->jump[0] = (char)c;
		mv->jump[1] = '\0';
		if (sl_seatmap_jump(t->map, mv->jump) < 0) {
			tui_message(t, TUI_MSG_ERR, "There is no seat %s",
			    mv->jump);
			mv->jump[0] = '\0';
		}
		return TUI_DIRTY;
	}
	if (tui_key_fn(k, KEY_LEFT) || tui_key_is(k, 'h'))
		sl_seatmap_move(t->map, SL_DIR_LEFT);
	else if (tui_key_fn(k, KEY_RIGHT) || tui_key_is(k, 'l'))
		sl_seatmap_move(t->map, SL_DIR_RIGHT);
	else if (tui_key_fn(k, KEY_UP) || tui_key_is(k, 'k'))
		sl_seatmap_move(t->map, SL_DIR_UP);
	else if (tui_key_fn(k, KEY_DOWN) || tui_key_is(k, 'j'))
		sl_seatmap_move(t->map, SL_DIR_DOWN);
	else if (tui_key_fn(k, KEY_PPAGE))
		sl_seatmap_page(t->map, -page);
	else if (tui_key_fn(k, KEY_NPAGE))
		sl_seatmap_page(t->map, page);
	else if (tui_key_fn(k, KEY_HOME))
		sl_seatmap_home_end(t->map, 0);
	else if (tui_key_fn(k, KEY_END))
		sl_seatmap_home_end(t->map, 1);
	else if (tui_key_is(k, ' '))
		map_toggle(t, sl_seatmap_cursor(t->map));
	else if (tui_key_enter(k))
		map_sell(t);
	else if (tui_key_is(k, 'x')) {
		if (sl_seatmap_nselected(t->map) > 0)
			tui_message(t, TUI_MSG_INFO, "Selection cleared - "
			    "the seats are free again");
		tui_hold_release(t, "cleared");
	} else if (tui_key_is(k, 'b')) {
		mv->bprompt = 1;
		tui_field_init(&mv->best, 10);
	} else if (tui_key_is(k, 's') || tui_key_fn(k, KEY_F(6)))
		map_report(t);
	else if (tui_key_is(k, 'g') || tui_key_is(k, '/')) {
		mv->prompt = 1;
		mv->jump[0] = '\0';
	} else if (tui_key_is(k, 'c') || tui_key_fn(k, KEY_F(8)))
		tui_push(t, TUI_CANCEL);
	else if (tui_key_is(k, 'r') || tui_key_fn(k, KEY_F(5)) ||
	    tui_key_is(k, 0x12)) {
		tui_reload_now(t);
		tui_message(t, TUI_MSG_INFO, "Seat map read again");
	} else if (tui_key_is(k, 'q'))
		tui_request_quit(t, 0);
	else if (tui_key_esc(k) || tui_key_fn(k, KEY_BACKSPACE) ||
	    tui_key_is(k, 0x7f))
		tui_request_quit(t, 1);
	else if (tui_key_fn(k, KEY_MOUSE))
		map_mouse(t);
	else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
map_enter(struct tui *t)
{
	t->mv.jump[0] = '\0';
	t->mv.prompt = 0;
	t->mv.bprompt = 0;
}

static void
map_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

const struct tui_screen tui_scr_map = {
	"map", 0, map_enter, map_draw, map_key, map_on_event
};
