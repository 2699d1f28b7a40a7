/*
 * scr_cancel.c - cancelling: find a booking by its number or by the
 * customer, confirm, cancel.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

#define LIST_Y	6

static void
cancel_search(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;
	struct sl_booking_info *v;
	struct sl_err e;
	enum sl_rc rc;
	size_t n;

	sl_booking_info_free(c->v, c->n);
	c->v = NULL;
	c->n = 0;
	c->error[0] = '\0';
	snprintf(c->searched, sizeof c->searched, "%s", c->q.buf);
	if (c->q.len == 0)
		return;
	rc = sl_book_search(t->db, c->q.buf, 200, &v, &n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_book_search(t->db, c->q.buf, 200, &v, &n, &e);
	if (rc != SL_OK) {
		snprintf(c->error, sizeof c->error, "%s", e.msg);
		return;
	}
	c->v = v;
	c->n = n;
	if (c->sel >= n)
		c->sel = n > 0 ? n - 1 : 0;
}

static void
cancel_enter(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;

	tui_field_init(&c->q, 200);
	sl_booking_info_free(c->v, c->n);
	c->v = NULL;
	c->n = c->sel = c->top = 0;
	c->asking = 0;
	c->searched[0] = '\0';
	c->error[0] = '\0';
}

static void
cancel_draw(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;
	int h = t->rows - LIST_Y - 2, y;

	tui_draw_title(t, "Cancel a booking", t->show != NULL ?
	    t->show->title : "");
	tui_text(t, 2, 2, t->cols - 4, "Booking number, or the customer's "
	    "name or email, then Enter:", A_BOLD);
	if (c->error[0] != '\0')
		tui_text(t, 4, 2, t->cols - 4, c->error, tui_attr(TR_MSG_ERR));
	else if (c->searched[0] != '\0' && c->n == 0)
		tui_text(t, 4, 2, t->cols - 4, "No active booking found.",
		    A_NORMAL);
	else if (c->n > 0)
		tui_text(t, 4, 2, t->cols - 4, "Up/Down choose a booking, "
		    "Enter cancels it (after asking).", A_NORMAL);
	if (c->sel < c->top)
		c->top = c->sel;
	if (h > 0 && c->sel >= c->top + (size_t)h)
		c->top = c->sel - (size_t)h + 1;
	for (y = 0; y < h && c->top + (size_t)y < c->n; y++) {
		const struct sl_booking_info *b = &c->v[c->top + (size_t)y];
		int attr = c->top + (size_t)y == c->sel ? tui_attr(TR_HILITE) :
		    (int)A_NORMAL, x;
		char when[48];

		tui_when(b->starts_at, when, sizeof when);
		tui_hline(LIST_Y + y, 1, t->cols - 2, attr);
		x = 2 + tui_textf(t, LIST_Y + y, 2, t->cols - 4, attr,
		    "%8" PRId64 "  %-6s %-9s %s  ", b->id, b->label,
		    b->active ? "active" : "cancelled", when);
		x += tui_text(t, LIST_Y + y, x, (t->cols - x) / 2, b->title,
		    attr);
		x += tui_text(t, LIST_Y + y, x, t->cols - x - 1, "  ", attr);
		tui_text(t, LIST_Y + y, x, t->cols - x - 1, b->name,
		    attr | A_BOLD);
	}
	if (c->asking && c->sel < c->n) {
		const struct sl_booking_info *b = &c->v[c->sel];
		int w = t->cols - 8 > 70 ? 70 : t->cols - 8, bh = 8;
		int by = (t->rows - bh) / 2, bx = (t->cols - w) / 2;
		char when[48];

		tui_when(b->starts_at, when, sizeof when);
		tui_box(t, by, bx, bh, w, "Cancel this booking?");
		tui_textf(t, by + 2, bx + 2, w - 4, A_BOLD, "Booking %" PRId64
		    ": seat %s", b->id, b->label);
		tui_textf(t, by + 3, bx + 2, w - 4, A_NORMAL, "%s, %s",
		    b->title, when);
		tui_textf(t, by + 4, bx + 2, w - 4, A_NORMAL, "%s <%s>",
		    b->name, b->email);
		tui_text(t, by + 6, bx + 2, w - 4, "y: cancel it    n or Esc: "
		    "keep it", A_BOLD);
		tui_draw_status(t, "y cancel the booking  n keep it");
		return;
	}
	tui_field_draw(t, &c->q, 3, 2, t->cols - 4, 1);
	tui_draw_status(t, "Enter search/cancel  Up/Down choose  Esc back");
}

static int
cancel_key(struct tui *t, const struct tui_key *k)
{
	struct tui_cancel *c = &t->cancel;

	if (c->asking) {
		if (tui_key_is(k, 'y') || tui_key_is(k, 'Y')) {
			c->asking = 0;
			t->cancel_id = c->v[c->sel].id;
			tui_message(t, TUI_MSG_INFO, "Cancelling booking %"
			    PRId64 "...", t->cancel_id);
			t->action = TUI_ACT_CANCEL;
		} else if (tui_key_is(k, 'n') || tui_key_is(k, 'N') ||
		    tui_key_esc(k))
			c->asking = 0;
		return TUI_DIRTY;
	}
	if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_enter(k)) {
		if (strcmp(c->q.buf, c->searched) != 0 || c->n == 0)
			cancel_search(t);
		else if (!c->v[c->sel].active)
			tui_message(t, TUI_MSG_ERR, "Booking %" PRId64 " was "
			    "cancelled already", c->v[c->sel].id);
		else
			c->asking = 1;
	} else if (tui_key_fn(k, KEY_UP)) {
		if (c->sel > 0)
			c->sel--;
	} else if (tui_key_fn(k, KEY_DOWN)) {
		if (c->sel + 1 < c->n)
			c->sel++;
	} else if (!tui_field_key(&c->q, k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
cancel_on_event(struct tui *t, enum tui_event ev)
{
	/* After our own cancel (or anybody's), show the list as it is. */
	if (ev == TUI_EV_STATES && t->cancel.searched[0] != '\0' &&
	    !t->cancel.asking)
		cancel_search(t);
	t->dirty = 1;
}

const struct tui_screen tui_scr_cancel = {
	.name = "cancel",
	.overlay = 0,
	.enter = cancel_enter,
	.draw = cancel_draw,
	.key = cancel_key,
	.on_event = cancel_on_event,
};
