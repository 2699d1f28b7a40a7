/*
 * scr_cancel.c - cancelling with a refund: find a booking by its number or
 * the customer, or a whole sale by its number (find.c); the box shows the
 * seats, what the sale was paid and what will be refunded, asks for the
 * refund method when there is something to give back, and for a
 * supervisor's code when the refund is above the venue's limit and the
 * clerk is not a supervisor (the database says: SL403).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

#define LIST_Y	6

static void
cancel_enter(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;

	tui_find_init(&c->f);
	c->asking = 0;
	tui_field_init(&c->auth, SL_AUTH_MAX);
}

/* The selected row, or NULL. */
static const struct tui_found *
cancel_row(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;

	return c->f.sel < c->f.n ? &c->f.v[c->f.sel] : NULL;
}

/* Opens the box for the selected row: what the sale was paid and what
 * cancelling gives back (what it was paid beyond the seats it keeps). */
static void
cancel_ask(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;
	const struct tui_found *r = cancel_row(t);
	json_t *doc;
	int64_t total, keeps;

	if (r == NULL)
		return;
	if (!r->active) {
		tui_message(t, TUI_MSG_ERR, "Booking %" PRId64 " was cancelled "
		    "already", r->booking);
		return;
	}
	if ((doc = tui_sale_doc(t, r->sale)) == NULL)
		return;
	c->paid = json_integer_value(json_object_get(doc, "paid_cents"));
	total = json_integer_value(json_object_get(doc, "total_cents"));
	json_decref(doc);
	keeps = r->booking == 0 ? 0 : total - r->cents;
	c->refund = c->paid > keeps ? c->paid - keeps : 0;
	tui_method_init(t, &c->m);
	tui_field_init(&c->auth, SL_AUTH_MAX);
	sl_db_request_key(c->key, sizeof c->key);
	c->asking = 1;
}

/* A cancel that worked: said, and the map and list read again. */
static void
cancel_done(struct tui *t, const struct tui_found *r, int64_t show,
    int64_t refunded)
{
	char money[64];

	tui_money(t, refunded, money, sizeof money);
	if (r->booking != 0)
		tui_message(t, TUI_MSG_OK, "Cancelled booking %" PRId64 " - "
		    "seat %s is free again%s%s%s%s", r->booking, r->seats,
		    refunded > 0 ? " - refunded " : "", refunded > 0 ? money :
		    "", refunded > 0 ? " by " : "", refunded > 0 ?
		    tui_method_name(&t->cancel.m) : "");
	else
		tui_message(t, TUI_MSG_OK, "Cancelled sale %" PRId64 " - %s "
		    "free again%s%s%s%s", r->sale, r->seats, refunded > 0 ?
		    " - refunded " : "", refunded > 0 ? money : "",
		    refunded > 0 ? " by " : "", refunded > 0 ?
		    tui_method_name(&t->cancel.m) : "");
	t->cancel.asking = 0;
	if (t->show != NULL && t->show->id == show)
		tui_reload_now(t);
	tui_broadcast(t, TUI_EV_STATES);
}

/* Runs after the screen said "Cancelling...". */
static void
cancel_do(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;
	const struct tui_found *r = cancel_row(t);
	struct tui_found row;
	const char *auth = c->auth.len > 0 ? c->auth.buf : NULL;
	struct sl_booking *b = NULL;
	char label[SL_LABEL_MAX + 1];
	int64_t show = 0, refunded = 0;
	struct sl_err e;
	enum sl_rc rc;
	size_t nb = 0;

	if (r == NULL)
		return;
	row = *r;
	sl_err_clear(&e);
	if (row.booking != 0)
		rc = sl_sale_cancel_booking(t->db, row.booking, c->key,
		    tui_method_name(&c->m), auth, &show, label, &refunded, &e);
	else {
		rc = sl_sale_cancel(t->db, row.sale, tui_method_name(&c->m),
		    auth, &b, &nb, &refunded, &e);
		show = row.show;
		free(b);
	}
	sl_log(t->cfg->log, "cancel %s %" PRId64 " refund %s: %s %s",
	    row.booking != 0 ? "booking" : "sale", row.booking != 0 ?
	    row.booking : row.sale, tui_method_name(&c->m) ?
	    tui_method_name(&c->m) : "-", sl_rc_name(rc), e.msg);
	if (rc == SL_OK) {
		cancel_done(t, &row, show, refunded);
		return;
	}
	if (rc == SL_ECONFLICT && strcmp(e.sqlstate, "SL403") == 0 &&
	    c->asking == 1) {
		c->asking = 2;	/* a supervisor's code, then again */
		tui_message(t, TUI_MSG_INFO, "%s", e.msg);
		return;
	}
	/* A conflict (no open shift for cash, a wrong code) keeps the box:
	 * the clerk may choose another method (the code is kept). */
	c->asking = rc == SL_ECONFLICT || rc == SL_ECONN ? 1 : 0;
	tui_message(t, TUI_MSG_ERR, "Cannot cancel: %s", e.msg);
}

static void
cancel_box(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;
	const struct tui_found *r = cancel_row(t);
	int w = t->cols - 4 > 72 ? 72 : t->cols - 4, h = 14;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2, yy;
	char m1[64], m2[64], m3[64];

	tui_money(t, r->cents, m1, sizeof m1);
	tui_money(t, c->paid, m2, sizeof m2);
	tui_money(t, c->refund, m3, sizeof m3);
	tui_box(t, y, x, h, w, r->booking != 0 ? "Cancel this booking?" :
	    "Cancel this whole sale?");
	yy = y + 2;
	if (r->booking != 0)
		tui_textf(t, yy++, x + 2, w - 4, A_BOLD, "Booking %" PRId64
		    ": seat %s (sale %" PRId64 ")", r->booking, r->seats,
		    r->sale);
	else
		tui_textf(t, yy++, x + 2, w - 4, A_BOLD, "Sale %" PRId64
		    ": %s", r->sale, r->seats);
	tui_textf(t, yy++, x + 2, w - 4, A_NORMAL, "%s, %s - %s", r->title,
	    r->when, r->name);
	tui_textf(t, ++yy, x + 2, w - 4, A_NORMAL, "%-30s%16s",
	    r->booking != 0 ? "Price of the seat:" : "Price of the seats:", m1);
	tui_textf(t, ++yy, x + 2, w - 4, A_NORMAL, "%-30s%16s",
	    "The sale was paid:", m2);
	tui_textf(t, ++yy, x + 2, w - 4, A_BOLD, "%-30s%16s",
	    "To refund:", m3);
	yy += 2;
	if (c->refund > 0) {
		int used = tui_text(t, yy, x + 2, 12, "Refund by:", A_BOLD);

		tui_method_draw(t, &c->m, yy, x + 3 + used, w - 5 - used);
	}
	if (c->asking == 2 || c->auth.len > 0) {
		tui_text(t, yy + 1, x + 2, 18, "Supervisor code:", A_BOLD);
		tui_field_draw(t, &c->auth, yy + 1, x + 20, w - 22,
		    c->asking == 2);
	}
	tui_text(t, y + h - 2, x + 2, w - 4, c->asking == 2 ? "Enter: cancel "
	    "with the code    Esc: keep it" : c->refund > 0 ? "1-9 method, "
	    "y: cancel and refund    n or Esc: keep it" : "y: cancel it    "
	    "n or Esc: keep it", A_BOLD);
	tui_draw_status(t, c->refund > 0 ? "1-9 refund method  y cancel  "
	    "n keep" : "y cancel  n keep");
}

static void
cancel_draw(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;

	tui_draw_title(t, "Cancel a booking or a sale", t->show != NULL ?
	    t->show->title : "");
	tui_text(t, 2, 2, t->cols - 4, "Sale or booking number, or the "
	    "customer's name or email, then Enter:", A_BOLD);
	if (c->f.n > 0 && c->f.error[0] == '\0')
		tui_text(t, 4, 2, t->cols - 4, "Up/Down choose, Enter cancels "
		    "it (after asking).", A_NORMAL);
	tui_find_draw(t, &c->f, c->f.n > 0 ? LIST_Y : 4,
	    t->rows - LIST_Y - 2);
	if (c->asking && cancel_row(t) != NULL) {
		cancel_box(t);
		return;
	}
	tui_field_draw(t, &c->f.q, 3, 2, t->cols - 4, 1);
	tui_draw_status(t, "Enter search/cancel  Up/Down choose  Esc back");
}

/* y (or Enter with a code): cancel, once a method is chosen. */
static void
cancel_confirm(struct tui *t)
{
	struct tui_cancel *c = &t->cancel;

	if (c->refund > 0 && tui_method_name(&c->m) == NULL) {
		tui_message(t, TUI_MSG_ERR, "Choose how to refund: 1 to %zu",
		    c->m.n);
		return;
	}
	tui_message(t, TUI_MSG_INFO, "Cancelling...");
	t->later = cancel_do;
}

static int
cancel_box_key(struct tui *t, const struct tui_key *k)
{
	struct tui_cancel *c = &t->cancel;

	if (tui_key_esc(k) || (c->asking == 1 && (tui_key_is(k, 'n') ||
	    tui_key_is(k, 'N'))))
		c->asking = 0;
	else if (c->asking == 2 && tui_key_enter(k))
		cancel_confirm(t);
	else if (c->asking == 2)
		tui_field_key(&c->auth, k);
	else if (tui_method_key(&c->m, k))
		;
	else if (tui_key_is(k, 'y') || tui_key_is(k, 'Y') || tui_key_enter(k))
		cancel_confirm(t);
	return TUI_DIRTY;
}

static int
cancel_key(struct tui *t, const struct tui_key *k)
{
	struct tui_cancel *c = &t->cancel;

	if (c->asking)
		return cancel_box_key(t, k);
	if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_enter(k)) {
		if (strcmp(c->f.q.buf, c->f.searched) != 0 || c->f.n == 0)
			tui_find_run(t, &c->f);
		else
			cancel_ask(t);
	} else if (!tui_find_key(&c->f, k) && !tui_field_key(&c->f.q, k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
cancel_on_event(struct tui *t, enum tui_event ev)
{
	/* After our own cancel (or anybody's), show the list as it is. */
	if (ev == TUI_EV_STATES && t->cancel.f.searched[0] != '\0' &&
	    !t->cancel.asking && tui_top(t) == TUI_CANCEL)
		tui_find_run(t, &t->cancel.f);
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
