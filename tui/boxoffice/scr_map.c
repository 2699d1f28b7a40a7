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

#include "sl_log.h"
#include "boxoffice/tui.h"

/* Content rows that are not seat lines. */
#define ROW_STAGE	(-1)
#define ROW_BLANK	(-2)
#define ROW_HEADER	(-3)	/* ROW_HEADER - section index */

#define MAP_Y		1	/* first screen row of the map area */
#define JUMP_MS		1500	/* a typed label is forgotten after this */
#define RANGE_MS	600000	/* ... a range being typed, after this */

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

/* A range being typed: what Enter would select.  Returns 1 if drawn. */
static int
map_draw_range(struct tui *t, int y)
{
	struct sl_label_range r;
	int x = 1;

	if (strchr(t->mv.jump, '-') == NULL ||
	    sl_seatmap_find(t->map, t->mv.jump) >= 0)
		return 0;
	x += tui_textf(t, y, x, t->cols - 2, tui_attr(TR_FIELD), "%s",
	    t->mv.jump);
	if (sl_label_range(t->mv.jump, &r, NULL) == 0)
		tui_textf(t, y, x, t->cols - x - 1, A_NORMAL, "%srow %s seats "
		    "%d to %d - Enter selects them", t->utf8 ?
		    " \xe2\x86\x92 " : " -> ", r.row, r.from, r.to);
	return 1;
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
	if (map_draw_range(t, y))
		return;
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

/* Where the map goes on the screen (map_layout). */
struct map_geom {
	int32_t	minx;
	int	labw;		/* row labels' width */
	int	mapw;		/* the whole map's width */
	int	lx, rx;		/* left and right row labels */
	int	ax, aw;		/* the seat area: first column, width */
	int	x0;		/* the map's column 0 (scrolled) */
	int	vh;		/* rows of the seat area */
	int	hscroll;	/* wider than the screen: scrolls sideways */
};

static void
map_draw_title(struct tui *t)
{
	struct sl_seatmap_counts c;
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
}

/* Scrolls the view so that the cursor's column and row are on screen. */
static void
map_scroll(struct tui *t, struct map_geom *g, size_t cur)
{
	struct tui_mapview *mv = &t->mv;
	int cx = (sl_seatmap_seat(t->map, cur)->x - g->minx) * 2, crow;

	if (g->hscroll) {
		if (cx < mv->left)
			mv->left = cx - g->aw / 4 > 0 ? cx - g->aw / 4 : 0;
		if (cx >= mv->left + g->aw)
			mv->left = cx - g->aw + 1 + g->aw / 4;
		if (mv->left > g->mapw - g->aw)
			mv->left = g->mapw - g->aw;
		if (mv->left < 0)
			mv->left = 0;
	}
	crow = map_row_of_line(t, sl_seatmap_line_of(t->map, cur));
	if (mv->nrowline <= g->vh)
		mv->top = 0;
	else {
		if (crow < mv->top + 1)
			mv->top = crow - 1 < 0 ? 0 : crow - 1;
		if (crow > mv->top + g->vh - 2)
			mv->top = crow - g->vh + 2;
		if (mv->top > mv->nrowline - g->vh)
			mv->top = mv->nrowline - g->vh;
		if (mv->top < 0)
			mv->top = 0;
	}
}

/* Lays the map out on the screen and scrolls it to the cursor. */
static void
map_layout(struct tui *t, struct map_geom *g, size_t cur)
{
	struct tui_mapview *mv = &t->mv;
	int32_t maxx, miny, maxy;
	int total;
	size_t li;

	map_rows(t);
	sl_seatmap_bounds(t->map, &g->minx, &maxx, &miny, &maxy);
	g->labw = 1;
	for (li = 0; li < sl_seatmap_nlines(t->map); li++) {
		int w = (int)strlen(sl_seatmap_line(t->map, li)->label);

		if (w > g->labw)
			g->labw = w > 8 ? 8 : w;
	}
	g->mapw = (maxx - g->minx) * 2 + 1;
	total = g->labw + 2 + g->mapw + 2 + g->labw;
	g->vh = t->rows - MAP_Y - 3;
	if (total <= t->cols) {
		g->lx = (t->cols - total) / 2;
		g->ax = g->lx + g->labw + 2;
		g->aw = g->mapw;
		g->rx = g->ax + g->mapw + 2;
		mv->left = 0;
		g->hscroll = 0;
	} else {
		/* Labels stay at the edges; the seats scroll between them. */
		g->lx = 0;
		g->ax = g->labw + 1;
		g->aw = t->cols - 2 * g->labw - 2;
		g->rx = t->cols - g->labw;
		g->hscroll = 1;
	}
	map_scroll(t, g, cur);
	g->x0 = g->ax - mv->left;
	mv->y0 = MAP_Y;
	mv->rows = g->vh;
	mv->x0 = g->x0;
	mv->cols = g->aw;
}

/* The stage row: a bar, its name, and the first section's name. */
static void
map_draw_stage(struct tui *t, const struct map_geom *g, int y)
{
	int sw = g->mapw < 30 ? g->mapw : 30, sx = g->x0 + (g->mapw - sw) / 2;
	const char *bar = t->utf8 ? "\xe2\x95\x90" : "=";
	int i;

	for (i = 0; i < sw; i++)
		if (sx + i >= g->ax && sx + i < g->ax + g->aw)
			tui_glyph_at(t, y, sx + i, bar, tui_attr(TR_STAGE));
	if (sw >= 9 && sx + (sw - 7) / 2 >= g->ax)
		tui_text(t, y, sx + (sw - 7) / 2, 7, " STAGE ",
		    tui_attr(TR_STAGE));
	if (sl_seatmap_nsections(t->map) > 1 && sx - g->ax > 2)
		tui_text(t, y, g->ax, sx - g->ax - 1, sl_seatmap_section(t->map,
		    sl_seatmap_line(t->map, 0)->section), tui_attr(TR_SECTION));
}

/* One seat line: its label at both ends, the seats in view between. */
static void
map_draw_line(struct tui *t, const struct map_geom *g, int y, size_t li,
    size_t cur)
{
	const struct sl_seatmap_line *l = sl_seatmap_line(t->map, li);
	int psx = -10, pattr = -1;
	size_t lo, hi, k;

	tui_textf(t, y, g->lx, g->labw, tui_attr(TR_LABEL), "%*s", g->labw,
	    l->label);
	tui_text(t, y, g->rx, g->labw, l->label, tui_attr(TR_LABEL));
	/* A stadium's line is wider than any terminal: from the first seat
	 * at the left edge (a line is in x order). */
	lo = l->first;
	hi = l->first + l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g->x0 + (sl_seatmap_seat(t->map, mid)->x - g->minx) * 2 <
		    g->ax)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < l->first + l->n; k++) {
		const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, k);
		enum sl_seatmap_look look;
		int sx = g->x0 + (s->x - g->minx) * 2, attr, plain;

		if (sx >= g->ax + g->aw)
			break;
		look = sl_seatmap_look(t->map, k);
		attr = tui_attr(tui_look_role(look));
		/* Only a foreground colour: a blank looks the same. */
		plain = look != SL_LOOK_SELECTED &&
		    look != SL_LOOK_HELD_MINE && k != cur;
		if (k == cur)
			attr |= A_REVERSE | A_BOLD;
		/*
		 * The blank between two neighbours drawn alike takes their
		 * attributes, so the terminal is not sent a colour change per
		 * cell: a full screen of seats was most of the work of a
		 * draw.
		 */
		if (plain && attr == pattr && sx == psx + 2)
			tui_glyph_at(t, y, sx - 1, " ", attr);
		tui_glyph_at(t, y, sx, tui_glyph(t, look,
		    s->accessible && look == SL_LOOK_AVAILABLE), attr);
		psx = sx;
		pattr = plain ? attr : -1;
	}
}

static void
map_draw(struct tui *t)
{
	struct tui_mapview *mv = &t->mv;
	struct map_geom g;
	size_t cur = sl_seatmap_cursor(t->map);
	int r;

	map_draw_title(t);
	map_layout(t, &g, cur);
	for (r = 0; r < g.vh && mv->top + r < mv->nrowline; r++) {
		int row = mv->rowline[mv->top + r], y = MAP_Y + r;

		if (row == ROW_STAGE)
			map_draw_stage(t, &g, y);
		else if (row <= ROW_HEADER)
			tui_text(t, y, g.ax, g.aw, sl_seatmap_section(t->map,
			    (size_t)(ROW_HEADER - row)), tui_attr(TR_SECTION));
		else if (row != ROW_BLANK)
			map_draw_line(t, &g, y, (size_t)row, cur);
	}
	/* Scroll marks: there is more above or below. */
	if (mv->top > 0)
		tui_text(t, MAP_Y, t->cols - 1, 1, "^", A_BOLD);
	if (mv->top + g.vh < mv->nrowline)
		tui_text(t, MAP_Y + g.vh - 1, t->cols - 1, 1, "v", A_BOLD);

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

/* Says why seat i (not free) cannot be selected; then: what to do. */
static void
map_unavailable(struct tui *t, size_t i, const char *then)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);
	enum sl_seatmap_look look = sl_seatmap_look(t->map, i);
	const struct sl_hold *h = tui_hold_of(t, s->label);

	if (look == SL_LOOK_BLOCKED && h != NULL && h->reason != NULL)
		tui_message(t, TUI_MSG_ERR, "%s is blocked (%s) - not for sale; "
		    "%s", s->label, h->reason, then);
	else if (look == SL_LOOK_HELD && h != NULL)
		tui_message(t, TUI_MSG_ERR, "%s is held at %s - %s", s->label,
		    h->terminal, then);
	else
		tui_message(t, TUI_MSG_ERR, "%s %s - %s", s->label,
		    map_why_not(look), then);
}

static void
map_toggle(struct tui *t, size_t i)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);
	enum sl_seatmap_look look = sl_seatmap_look(t->map, i);

	if (!s->selected && look != SL_LOOK_AVAILABLE &&
	    look != SL_LOOK_HELD_MINE) {
		map_unavailable(t, i, "pick another seat");
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

/*
 * A range typed at the map ("A12-15"): every seat of it that the venue has
 * is selected, all or none.  A seat of it that is not free (sold, held at
 * another terminal, blocked) refuses the whole range, named in the message:
 * a clerk selling a row to a group wants those seats, not some of them.
 */
static void
map_select_range(struct tui *t, const char *text)
{
	size_t idx[SL_RANGE_MAX], n = 0, found = 0;
	struct sl_label_range r;
	const char *why;
	char lab[SL_LABEL_MAX + 1];
	int k;

	if (sl_label_range(text, &r, &why) != 0) {
		tui_message(t, TUI_MSG_ERR, "%s: %s - nothing selected", text,
		    why);
		return;
	}
	for (k = r.from; k <= r.to; k++) {
		long i;

		if (sl_label_range_label(&r, k, lab) != 0 ||
		    (i = sl_seatmap_find(t->map, lab)) < 0)
			continue;
		found++;
		if (sl_seatmap_seat(t->map, (size_t)i)->selected)
			continue;	/* selected already: stays */
		if (sl_seatmap_look(t->map, (size_t)i) != SL_LOOK_AVAILABLE) {
			map_unavailable(t, (size_t)i, "nothing selected");
			return;
		}
		idx[n++] = (size_t)i;
	}
	if (found == 0) {
		tui_message(t, TUI_MSG_ERR, "There is no seat %s - nothing "
		    "selected", text);
		return;
	}
	if (n == 0) {
		tui_message(t, TUI_MSG_INFO, "%s is selected already", text);
		return;
	}
	if (sl_seatmap_nselected(t->map) + n > SL_SEATMAP_MAX_SELECTION) {
		tui_message(t, TUI_MSG_ERR, "At most %d seats in one sale - "
		    "nothing selected", SL_SEATMAP_MAX_SELECTION);
		return;
	}
	sl_seatmap_set_cursor(t->map, idx[0]);
	if (tui_hold_add(t, idx, n) == SL_OK)
		tui_message(t, TUI_MSG_OK, "Selected %s to %s (%zu seat%s)",
		    sl_seatmap_seat(t->map, idx[0])->label,
		    sl_seatmap_seat(t->map, idx[n - 1])->label, n,
		    n == 1 ? "" : "s");
}

/* Enter after a typed label: that seat (or range) is selected at once, as
 * Space on it would; a seat selected already stays so. */
static void
map_take(struct tui *t, const char *text)
{
	long i = sl_seatmap_find(t->map, text);

	if (i < 0 && strchr(text, '-') != NULL) {
		map_select_range(t, text);
		return;
	}
	if (i < 0) {
		tui_message(t, TUI_MSG_ERR, "There is no seat %s - type a whole "
		    "label (A12) or a range (A12-15)", text);
		return;
	}
	sl_seatmap_set_cursor(t->map, (size_t)i);
	if (sl_seatmap_seat(t->map, (size_t)i)->selected)
		tui_message(t, TUI_MSG_INFO, "%s is selected already - Enter "
		    "sells the selection", text);
	else
		map_toggle(t, (size_t)i);
}

/* A range being typed: "A12-" or "A12-1", the seat before the dash
 * exists.  Moves the cursor there; returns 1, or 0 if it is not one. */
static int
map_range_typing(struct tui *t, const char *text)
{
	char head[SL_LABEL_MAX + 1];
	const char *dash = strrchr(text, '-'), *p;
	long i;

	if (dash == NULL || (size_t)(dash - text) > SL_LABEL_MAX)
		return 0;
	for (p = dash + 1; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return 0;
	memcpy(head, text, (size_t)(dash - text));
	head[dash - text] = '\0';
	if ((i = sl_seatmap_find(t->map, head)) < 0)
		return 0;
	sl_seatmap_set_cursor(t->map, (size_t)i);
	return 1;
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
		char text[sizeof mv->jump];
		int go = mv->prompt;

		memcpy(text, mv->jump, sizeof text);
		mv->jump[0] = '\0';
		mv->prompt = 0;
		/* The g prompt goes to the seat; a label typed at the map
		 * selects it at once. */
		if (go && text[0] != '\0' && sl_seatmap_jump(t->map, text) < 0)
			tui_message(t, TUI_MSG_ERR, "There is no seat %s", text);
		else if (!go && text[0] != '\0')
			map_take(t, text);
		return 1;
	}
	if (tui_key_fn(k, KEY_BACKSPACE) || tui_key_is(k, 0x7f) ||
	    tui_key_is(k, 0x08)) {
		if (len > 0)
			mv->jump[--len] = '\0';
		if (len > 0)
			sl_seatmap_jump(t->map, mv->jump);
		mv->jump_until = sl_db_now() + JUMP_MS;
		return 1;
	}
	if (!k->fn && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-' || (mv->prompt && c >= 'a' && c <= 'z'))) {
		if (len < SL_LABEL_MAX) {
			mv->jump[len] = (char)(c >= 'a' && c <= 'z' ?
			    c - 'a' + 'A' : c);
			mv->jump[len + 1] = '\0';
			if (sl_seatmap_jump(t->map, mv->jump) < 0 &&
			    (mv->prompt || !map_range_typing(t, mv->jump))) {
				tui_message(t, TUI_MSG_ERR, "There is no seat "
				    "%s", mv->jump);
				mv->jump[len] = '\0';
			}
		}
		/* A range being typed waits for its Enter. */
		mv->jump_until = sl_db_now() + (strchr(mv->jump, '-') != NULL ?
		    RANGE_MS : JUMP_MS);
		return 1;
	}
	if (mv->prompt)
		return 1;	/* the prompt takes every key */
	/* Anything else ends the typed label and acts as usual. */
	mv->jump[0] = '\0';
	return 0;
}

/*
 * Best available: the database holds the best n adjacent free seats (in
 * zone if not "") for this terminal as the selection (tui_hold_best), then
 * the customer and the confirmation, which shows them and their prices
 * before the sale.
 */
static void
map_best_hold(struct tui *t, int n, const char *zone)
{
	size_t idx[SL_BEST_MAX];

	if (tui_hold_best(t, n, zone, idx) != SL_OK)
		return;		/* tui_hold_best said why */
	sl_seatmap_set_cursor(t->map, idx[0]);
	tui_message(t, TUI_MSG_INFO, "Best available %s to %s held for you",
	    sl_seatmap_seat(t->map, idx[0])->label,
	    sl_seatmap_seat(t->map, idx[n - 1])->label);
	t->best_n = n;
	/* The precision tells gcc -O1 (make asan) what strlen() said. */
	snprintf(t->best_zone, sizeof t->best_zone, "%.*s",
	    (int)sizeof t->best_zone - 1, zone);
	tui_push(t, TUI_CUSTOMER);
}

/* The best-available prompt: "N" or "N ZONE", then the seats are held. */
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
	if (got < 1 || got > 2 || n < 1 || n > SL_BEST_MAX) {
		tui_message(t, TUI_MSG_ERR, "Type how many seats (1 to 50), "
		    "and a zone if you like: 4 or 4 A");
		return 1;
	}
	mv->bprompt = 0;
	map_best_hold(t, n, zone);
	return 1;
}

static void
map_report(struct tui *t)
{
	t->report_show = t->show->id;
	tui_push(t, TUI_REPORT);
}

/* ---- the keys: one small action each, bound in map_keys ------------- */

static int
map_page_rows(const struct tui *t)
{
	return t->mv.rows > 4 ? t->mv.rows - 2 : 2;
}

static void
map_left(struct tui *t)
{
	sl_seatmap_move(t->map, SL_DIR_LEFT);
}

static void
map_right(struct tui *t)
{
	sl_seatmap_move(t->map, SL_DIR_RIGHT);
}

static void
map_up(struct tui *t)
{
	sl_seatmap_move(t->map, SL_DIR_UP);
}

static void
map_down(struct tui *t)
{
	sl_seatmap_move(t->map, SL_DIR_DOWN);
}

static void
map_page_up(struct tui *t)
{
	sl_seatmap_page(t->map, -map_page_rows(t));
}

static void
map_page_down(struct tui *t)
{
	sl_seatmap_page(t->map, map_page_rows(t));
}

static void
map_home(struct tui *t)
{
	sl_seatmap_home_end(t->map, 0);
}

static void
map_end(struct tui *t)
{
	sl_seatmap_home_end(t->map, 1);
}

static void
map_select(struct tui *t)
{
	map_toggle(t, sl_seatmap_cursor(t->map));
}

static void
map_clear(struct tui *t)
{
	if (sl_seatmap_nselected(t->map) > 0)
		tui_message(t, TUI_MSG_INFO, "Selection cleared - the seats "
		    "are free again");
	tui_hold_release(t, "cleared");
}

static void
map_best(struct tui *t)
{
	if (sl_seatmap_nselected(t->map) > 0) {
		tui_message(t, TUI_MSG_ERR, "Best available picks seats of its "
		    "own: sell the selection (Enter) or clear it (x) first");
		return;
	}
	t->mv.bprompt = 1;
	tui_field_init(&t->mv.best, 10);
}

static void
map_goto(struct tui *t)
{
	t->mv.prompt = 1;
	t->mv.jump[0] = '\0';
}

static void
map_cancel(struct tui *t)
{
	tui_push(t, TUI_CANCEL);
}

static void
map_exchange(struct tui *t)
{
	tui_push(t, TUI_EXCHANGE);
}

static void
map_reserve(struct tui *t)
{
	tui_push(t, TUI_RESERVE);
}

static void
map_reservations(struct tui *t)
{
	tui_push(t, TUI_RESV);
}

/*
 * '!': a supervisor's explicit choice to sell this show outside its on-sale
 * window (the command line's --override), until pressed again or the show
 * is left.  The database refuses it to anybody else at the first hold or
 * sale (SL403), so the key itself checks nothing.
 */
static void
map_override(struct tui *t)
{
	int on = !sl_db_override(t->db);

	sl_db_set_override(t->db, on);
	sl_log(t->cfg->log, "on-sale window override %s", on ? "on" : "off");
	tui_message(t, on ? TUI_MSG_ERR : TUI_MSG_INFO, on ?
	    "OVERRIDE: this show sells outside its on-sale window "
	    "(supervisors only) - ! again ends it" :
	    "Override off: the on-sale window applies again");
}

static void
map_reload(struct tui *t)
{
	tui_reload_now(t);
	tui_message(t, TUI_MSG_INFO, "Seat map read again");
}

static void
map_quit(struct tui *t)
{
	tui_request_quit(t, 0);
}

static void
map_leave(struct tui *t)
{
	tui_request_quit(t, 1);
}

static const struct tui_binding map_keys[] = {
	{ 1, KEY_LEFT, map_left },	{ 0, 'h', map_left },
	{ 1, KEY_RIGHT, map_right },	{ 0, 'l', map_right },
	{ 1, KEY_UP, map_up },		{ 0, 'k', map_up },
	{ 1, KEY_DOWN, map_down },	{ 0, 'j', map_down },
	{ 1, KEY_PPAGE, map_page_up },	{ 1, KEY_NPAGE, map_page_down },
	{ 1, KEY_HOME, map_home },	{ 1, KEY_END, map_end },
	{ 0, ' ', map_select },
	{ 0, '\n', map_sell },		{ 0, '\r', map_sell },
	{ 1, KEY_ENTER, map_sell },
	{ 0, 'x', map_clear },
	{ 0, 'b', map_best },
	{ 0, 's', map_report },		{ 1, KEY_F(6), map_report },
	{ 0, 'g', map_goto },		{ 0, '/', map_goto },
	{ 0, 'c', map_cancel },		{ 1, KEY_F(8), map_cancel },
	{ 0, 'e', map_exchange },	{ 1, KEY_F(7), map_exchange },
	{ 0, 'p', map_reserve },
	{ 0, '!', map_override },
	{ 0, 'o', map_reservations },	{ 1, KEY_F(9), map_reservations },
	{ 0, 'r', map_reload },		{ 1, KEY_F(5), map_reload },
	{ 0, 0x12, map_reload },	/* ^R */
	{ 0, 'q', map_quit },
	{ 0, 0x1b, map_leave },		{ 1, KEY_BACKSPACE, map_leave },
	{ 0, 0x7f, map_leave },
	{ 1, KEY_MOUSE, map_mouse },
	{ 0, 0, NULL }
};

/* A capital letter or a digit starts typing a seat label. */
static int
map_label_start(struct tui *t, const struct tui_key *k)
{
	struct tui_mapview *mv = &t->mv;
	wint_t c = k->ch;

	if (k->fn || !((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
		return 0;
	mv->jump_until = sl_db_now() + JUMP_MS;
	mv->jump[0] = (char)c;
	mv->jump[1] = '\0';
	if (sl_seatmap_jump(t->map, mv->jump) < 0) {
		tui_message(t, TUI_MSG_ERR, "There is no seat %s", mv->jump);
		mv->jump[0] = '\0';
	}
	return 1;
}

static int
map_key(struct tui *t, const struct tui_key *k)
{
	int64_t said = t->msg_until;
	int r = TUI_DIRTY;

	/* The prompts and a label being typed take the keys first. */
	if (!map_best_key(t, k) && !map_jump_key(t, k) &&
	    !map_label_start(t, k) && !tui_bindings_run(t, map_keys, k))
		r = TUI_UNHANDLED;
	/* What is being typed is drawn where messages go: an older message
	 * gives way to it (one this key gave stays). */
	if ((t->mv.prompt || t->mv.bprompt || t->mv.jump[0] != '\0') &&
	    t->msg_until == said)
		t->msg[0] = '\0';
	return r;
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
	.name = "map",
	.overlay = 0,
	.enter = map_enter,
	.draw = map_draw,
	.key = map_key,
	.on_event = map_on_event,
};
