/*
 * scr_shows.c - the show list: type to filter, Enter opens the seat map.
 */
#define _GNU_SOURCE	/* strcasestr */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

#define LIST_Y	4	/* first row of the list */

static int
shows_match(const struct sl_show *s, const char *f)
{
	char id[24], when[48];

	if (*f == '\0')
		return 1;
	snprintf(id, sizeof id, "%" PRId64, s->id);
	tui_when(s->starts_at, when, sizeof when);
	return strcasestr(s->title, f) != NULL ||
	    strcasestr(s->venue, f) != NULL || strstr(when, f) != NULL ||
	    strcmp(id, f) == 0;
}

static void
shows_filter(struct tui *t)
{
	struct tui_shows *sv = &t->shows;
	size_t i;

	sv->nvis = 0;
	for (i = 0; i < sv->n; i++)
		if (shows_match(&sv->v[i], sv->filter.buf))
			sv->vis[sv->nvis++] = i;
	if (sv->sel >= sv->nvis)
		sv->sel = sv->nvis > 0 ? sv->nvis - 1 : 0;
}

static void
shows_load(struct tui *t)
{
	struct tui_shows *sv = &t->shows;
	struct sl_show *v;
	struct sl_err e;
	enum sl_rc rc;
	size_t n;

	rc = sl_show_list(t->db, &v, &n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_show_list(t->db, &v, &n, &e);
	if (rc != SL_OK) {
		snprintf(sv->error, sizeof sv->error, "Cannot list the shows: "
		    "%.400s (F5 tries again)", e.msg);
		return;
	}
	sv->error[0] = '\0';
	sl_show_list_free(sv->v, sv->n);
	free(sv->vis);
	sv->v = v;
	sv->n = n;
	sv->vis = calloc(n + 1, sizeof *sv->vis);
	if (sv->vis == NULL)
		sv->n = 0;
	shows_filter(t);
}

static void
shows_enter(struct tui *t)
{
	if (t->shows.filter.max == 0)
		tui_field_init(&t->shows.filter, 100);
	shows_load(t);
}

static void
shows_draw(struct tui *t)
{
	struct tui_shows *sv = &t->shows;
	int h = t->rows - LIST_Y - 2, y;
	char right[64];

	snprintf(right, sizeof right, "%zu of %zu shows", sv->nvis, sv->n);
	tui_draw_title(t, "SeatLock box office", right);
	tui_text(t, 2, 1, 8, "Find:", A_BOLD);
	tui_field_draw(t, &sv->filter, 2, 8, t->cols - 30 > 20 ?
	    t->cols - 30 : 20, 1);
	tui_textf(t, LIST_Y - 1, 1, t->cols - 2, A_BOLD,
	    "%6s  %-16s  %9s  %s", "SHOW", "STARTS", "FREE", "TITLE / VENUE");
	if (sv->error[0] != '\0')
		tui_text(t, LIST_Y, 1, t->cols - 2, sv->error,
		    tui_attr(TR_MSG_ERR));
	else if (sv->nvis == 0)
		tui_text(t, LIST_Y, 1, t->cols - 2, sv->n == 0 ?
		    "No shows yet: add one with `seatlock show add` (or "
		    "`seatlock db demo`)." : "No show matches: Esc clears the "
		    "filter.", A_NORMAL);
	if (sv->sel < sv->top)
		sv->top = sv->sel;
	if (h > 0 && sv->sel >= sv->top + (size_t)h)
		sv->top = sv->sel - (size_t)h + 1;
	for (y = 0; y < h && sv->top + (size_t)y < sv->nvis; y++) {
		const struct sl_show *s = &sv->v[sv->vis[sv->top + (size_t)y]];
		int attr = sv->top + (size_t)y == sv->sel ?
		    tui_attr(TR_HILITE) : (int)A_NORMAL;
		char when[48], head[80];
		int x;

		tui_when(s->starts_at, when, sizeof when);
		tui_hline(LIST_Y + y, 0, t->cols, attr);
		snprintf(head, sizeof head, "%6" PRId64 "  %-16s  %4" PRId64
		    "/%-4" PRId64 "  ", s->id, when, s->available, s->capacity);
		x = 1 + tui_text(t, LIST_Y + y, 1, t->cols - 2, head, attr);
		x += tui_text(t, LIST_Y + y, x, t->cols - x - 1, s->title,
		    attr | A_BOLD);
		x += tui_text(t, LIST_Y + y, x, t->cols - x - 1, " / ", attr);
		tui_text(t, LIST_Y + y, x, t->cols - x - 1, s->venue, attr);
	}
	tui_draw_status(t, "Enter open  type to filter  F6 report  F8 cancel  "
	    "? help  q quit");
}

/* ---- the keys: one small action each, bound in shows_keys ----------- */

static void
shows_open(struct tui *t)
{
	struct tui_shows *sv = &t->shows;

	if (sv->nvis > 0)
		tui_open_show(t, sv->v[sv->vis[sv->sel]].id);
}

static void
shows_up(struct tui *t)
{
	if (t->shows.sel > 0)
		t->shows.sel--;
}

static void
shows_down(struct tui *t)
{
	if (t->shows.sel + 1 < t->shows.nvis)
		t->shows.sel++;
}

static void
shows_page_up(struct tui *t)
{
	struct tui_shows *sv = &t->shows;

	sv->sel = sv->sel > 10 ? sv->sel - 10 : 0;
}

static void
shows_page_down(struct tui *t)
{
	struct tui_shows *sv = &t->shows;

	sv->sel = sv->sel + 10 < sv->nvis ? sv->sel + 10 :
	    sv->nvis > 0 ? sv->nvis - 1 : 0;
}

static void
shows_home(struct tui *t)
{
	t->shows.sel = 0;
}

static void
shows_end(struct tui *t)
{
	t->shows.sel = t->shows.nvis > 0 ? t->shows.nvis - 1 : 0;
}

static void
shows_cancel(struct tui *t)
{
	tui_push(t, TUI_CANCEL);
}

static void
shows_exchange(struct tui *t)
{
	tui_push(t, TUI_EXCHANGE);
}

static void
shows_reservations(struct tui *t)
{
	tui_push(t, TUI_RESV);
}

static void
shows_report(struct tui *t)
{
	struct tui_shows *sv = &t->shows;

	if (sv->nvis > 0) {
		t->report_show = sv->v[sv->vis[sv->sel]].id;
		tui_push(t, TUI_REPORT);
	}
}

static void
shows_clear_filter(struct tui *t)
{
	tui_field_set(&t->shows.filter, "");
	shows_filter(t);
}

static const struct tui_binding shows_keys[] = {
	{ 0, '\n', shows_open },		{ 0, '\r', shows_open },
	{ 1, KEY_ENTER, shows_open },
	{ 1, KEY_UP, shows_up },		{ 1, KEY_DOWN, shows_down },
	{ 1, KEY_PPAGE, shows_page_up },	{ 1, KEY_NPAGE, shows_page_down },
	{ 1, KEY_HOME, shows_home },		{ 1, KEY_END, shows_end },
	{ 1, KEY_F(5), shows_load },		{ 0, 0x12, shows_load }, /* ^R */
	{ 1, KEY_F(8), shows_cancel },
	{ 1, KEY_F(7), shows_exchange },	{ 1, KEY_F(9), shows_reservations },
	{ 1, KEY_F(6), shows_report },
	{ 0, 0x1b, shows_clear_filter },
	{ 0, 0, NULL }
};

static int
shows_key(struct tui *t, const struct tui_key *k)
{
	struct tui_shows *sv = &t->shows;

	if (tui_bindings_run(t, shows_keys, k))
		return TUI_DIRTY;
	/* While a filter is typed, q and ? are part of it. */
	if (sv->filter.len == 0 && tui_key_is(k, 'q'))
		tui_request_quit(t, 0);
	else if (sv->filter.len == 0 && tui_key_is(k, '?'))
		return TUI_UNHANDLED;
	else if (tui_field_key(&sv->filter, k)) {
		sv->sel = 0;
		shows_filter(t);
	} else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
shows_on_event(struct tui *t, enum tui_event ev)
{
	(void)t;
	(void)ev;
}

const struct tui_screen tui_scr_shows = {
	.name = "shows",
	.overlay = 0,
	.enter = shows_enter,
	.draw = shows_draw,
	.key = shows_key,
	.on_event = shows_on_event,
};
