/*
 * scr_exchange.c - an exchange at the box office: find the sale (by its
 * number or a booking's, find.c), tick the seats to give up, select as
 * many new seats on the map (this show or another; `e` on the map comes
 * back here), then see the old total, the new total (each new seat at its
 * zone's default price type unless changed) and the difference before
 * confirming: cheaper, the refund method is asked; dearer, the difference
 * is taken by a method or left due.  One call: sl_sale_exchange.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "sl_log.h"
#include "sl_sell.h"
#include "boxoffice/tui.h"

#define LIST_Y	6

static void
exch_reset(struct tui *t)
{
	struct tui_exch *x = &t->exch;

	tui_find_init(&x->f);
	tui_priced_free(&x->np);
	x->stage = 0;
	x->nb = x->non = x->sel = 0;
	x->error[0] = '\0';
}

/* The old seats ticked, their price. */
static int64_t
exch_old_cents(const struct tui_exch *x)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < x->nb; i++)
		if (x->on[i])
			sum += x->bcents[i];
	return sum;
}

/* What the old sale was paid beyond the seats it keeps: moves to the new
 * seats. */
static int64_t
exch_moved(const struct tui_exch *x)
{
	int64_t keeps = x->total - exch_old_cents(x);

	return x->paid > keeps ? x->paid - keeps : 0;
}

/* The new seats are selected on the map: price them, confirm. */
static void
exch_enter(struct tui *t)
{
	struct tui_exch *x = &t->exch;
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;
	const char *labels[SL_SEATMAP_MAX_SELECTION];

	if (x->stage == 0 || x->stage == 1) {
		exch_reset(t);
		return;
	}
	if (x->stage != 2 || t->map == NULL || t->show == NULL)
		return;
	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	if (n != x->non)
		return;		/* the screen says how many to select */
	for (i = 0; i < n; i++)
		labels[i] = sl_seatmap_seat(t->map, idx[i])->label;
	if (tui_priced_load(t, &x->np, t->show->id, labels, n) != 0)
		return;
	tui_method_init(t, &x->m);
	x->leave_due = 0;
	sl_db_request_key(x->key, sizeof x->key);
	x->stage = 3;
}

/* The chosen row's sale: its active seats, the chosen booking ticked (all
 * of them for a whole sale). */
static void
exch_choose(struct tui *t)
{
	struct tui_exch *x = &t->exch;
	const struct tui_found *r = x->f.sel < x->f.n ? &x->f.v[x->f.sel] :
	    NULL;
	json_t *doc, *seat;
	size_t i;

	if (r != NULL && !r->active)
		tui_message(t, TUI_MSG_ERR, "Booking %" PRId64 " was cancelled "
		    "- nothing to exchange", r->booking);
	if (r == NULL || !r->active || (doc = tui_sale_doc(t, r->sale)) ==
	    NULL)
		return;
	x->sale = r->sale;
	x->show = r->show;
	x->paid = json_integer_value(json_object_get(doc, "paid_cents"));
	x->total = json_integer_value(json_object_get(doc, "total_cents"));
	x->nb = x->non = x->sel = 0;
	json_array_foreach(json_object_get(doc, "seats"), i, seat) {
		const char *st = json_string_value(json_object_get(seat,
		    "status"));

		if (st == NULL || strcmp(st, "active") != 0 ||
		    x->nb >= SL_SEATMAP_MAX_SELECTION)
			continue;
		x->book[x->nb] = json_integer_value(json_object_get(seat,
		    "booking"));
		snprintf(x->blabel[x->nb], sizeof x->blabel[x->nb], "%s",
		    json_string_value(json_object_get(seat, "label")));
		x->bcents[x->nb] = json_integer_value(json_object_get(seat,
		    "price_cents"));
		x->on[x->nb] = r->booking == 0 || r->booking == x->book[x->nb];
		x->non += (size_t)x->on[x->nb];
		x->nb++;
	}
	json_decref(doc);
	x->stage = 1;
}

/* The ticked seats are given up: on to the map for the new ones. */
static void
exch_to_map(struct tui *t)
{
	struct tui_exch *x = &t->exch;

	if (x->non == 0) {
		tui_message(t, TUI_MSG_ERR, "Tick the seats to exchange "
		    "(Space)");
		return;
	}
	x->stage = 2;
	tui_pop(t);
	if (t->show == NULL)
		tui_open_show(t, x->show);
	tui_message(t, TUI_MSG_INFO, "Exchange: select %zu new seat%s on the "
	    "map (any show), then e", x->non, x->non == 1 ? "" : "s");
}

/* The exchange worked: said, the map read again. */
static void
exch_done(struct tui *t, const struct sl_booking *b, size_t nb,
    int64_t refund, int64_t due)
{
	struct tui_exch *x = &t->exch;
	char seats[512] = "", money[64], tail[160] = "";
	size_t i;

	for (i = 0; i < nb && strlen(seats) + SL_LABEL_MAX + 2 < sizeof seats;
	    i++)
		snprintf(seats + strlen(seats), sizeof seats - strlen(seats),
		    "%s%s", i > 0 ? " " : "", b[i].label);
	if (refund > 0) {
		tui_money(t, refund, money, sizeof money);
		snprintf(tail, sizeof tail, " - refunded %s by %s", money,
		    tui_method_name(&x->m));
	} else if (due > 0) {
		tui_money(t, due, money, sizeof money);
		snprintf(tail, sizeof tail, x->leave_due ? " - %s due" :
		    " - %s paid by %s", money, tui_method_name(&x->m));
	}
	tui_message(t, TUI_MSG_OK, "Exchanged sale %" PRId64 " for %s - new "
	    "sale %" PRId64 "%s", x->sale, seats, nb > 0 ? b[0].sale : 0,
	    tail);
	exch_reset(t);
	tui_pop_to(t, TUI_MAP);
	tui_reload_now(t);
	tui_broadcast(t, TUI_EV_STATES);
}

/* Runs after the screen said "Exchanging...": the selection's hold is let
 * go first (the exchange books the seats itself, every one or none). */
static void
exch_do(struct tui *t)
{
	struct tui_exch *x = &t->exch;
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	const char *types[SL_SEATMAP_MAX_SELECTION];
	int64_t ids[SL_SEATMAP_MAX_SELECTION], old = 0, refund = 0, due;
	struct sl_pay pay = { NULL, -1 };
	struct sl_sale_opts o;
	struct sl_booking *b = NULL;
	struct sl_err e;
	enum sl_rc rc;
	size_t i, n = 0, nb = 0;

	for (i = 0; i < x->nb; i++)
		if (x->on[i])
			ids[n++] = x->book[i];
	for (i = 0; i < x->np.n; i++)
		labels[i] = x->np.label[i];
	tui_priced_types(&x->np, types);
	memset(&o, 0, sizeof o);
	o.types = types;
	o.ntypes = x->np.n;
	due = tui_priced_total(&x->np) - exch_moved(x);
	if (due < 0)
		o.refund = tui_method_name(&x->m);
	else if (due > 0 && !x->leave_due) {
		pay.method = tui_method_name(&x->m);
		o.pay = &pay;
		o.npay = 1;
	}
	if (t->hold_id != 0)
		tui_hold_release(t, "exchange");
	sl_err_clear(&e);
	rc = sl_sale_exchange(t->db, ids, n, x->np.show, labels, x->np.n,
	    NULL, x->key, &o, &b, &nb, &old, &refund, &e);
	sl_log(t->cfg->log, "exchange sale %" PRId64 " (%zu seats, key %s): "
	    "%s %s", x->sale, n, x->key, sl_rc_name(rc), e.msg);
	if (rc == SL_OK) {
		exch_done(t, b, nb, refund, due);
		free(b);
		return;
	}
	/* The seats were let go: select them again (or others). */
	x->stage = 2;
	tui_pop_to(t, TUI_MAP);
	tui_reload_now(t);
	tui_message(t, TUI_MSG_ERR, "Cannot exchange: %s - nothing changed; "
	    "select the new seats again, then e", e.msg);
}

/* y: exchange, once the money's method is known. */
static void
exch_confirm(struct tui *t)
{
	struct tui_exch *x = &t->exch;
	int64_t due = tui_priced_total(&x->np) - exch_moved(x);

	if (due != 0 && tui_method_name(&x->m) == NULL &&
	    !(due > 0 && x->leave_due)) {
		tui_message(t, TUI_MSG_ERR, due < 0 ? "Choose how to refund: "
		    "1 to %zu" : "Choose how it is paid (1 to %zu), or 0 to "
		    "leave it due", x->m.n);
		return;
	}
	tui_message(t, TUI_MSG_INFO, "Exchanging...");
	t->later = exch_do;
}

/* Stage 1: the sale's active seats, ticked or not. */
static void
exch_draw_tick(struct tui *t)
{
	struct tui_exch *x = &t->exch;
	char money[64];
	size_t i;
	int y = 4, h = t->rows - 7;

	tui_textf(t, 2, 2, t->cols - 4, A_BOLD, "Sale %" PRId64 ": tick the "
	    "seats to exchange (Space), then Enter", x->sale);
	for (i = (x->sel >= (size_t)h ? x->sel - (size_t)h + 1 : 0);
	    i < x->nb && y < 4 + h; i++, y++) {
		int attr = i == x->sel ? tui_attr(TR_HILITE) : (int)A_NORMAL;

		tui_money(t, x->bcents[i], money, sizeof money);
		tui_hline(y, 1, t->cols - 2, attr);
		tui_textf(t, y, 2, t->cols - 4, attr, "[%c] booking %-8" PRId64
		    " %-8s %16s", x->on[i] ? 'x' : ' ', x->book[i],
		    x->blabel[i], money);
	}
	tui_draw_status(t, "Spc tick  Enter pick new seats  Esc back");
}

/* Stage 2 (the map has fewer or more seats selected than ticked). */
static void
exch_draw_pick(struct tui *t)
{
	struct tui_exch *x = &t->exch;

	tui_textf(t, 2, 2, t->cols - 4, A_BOLD, "Exchange of sale %" PRId64
	    ": %zu seat%s given up", x->sale, x->non, x->non == 1 ? "" : "s");
	tui_textf(t, 4, 2, t->cols - 4, A_NORMAL, "Select %zu new seat%s on "
	    "the map (this show or another), then e.", x->non,
	    x->non == 1 ? "" : "s");
	tui_textf(t, 5, 2, t->cols - 4, A_NORMAL, "Selected now: %zu.",
	    t->map != NULL ? sl_seatmap_nselected(t->map) : 0);
	tui_text(t, 7, 2, t->cols - 4, "Esc: back to the map    a: abandon "
	    "the exchange", A_BOLD);
	tui_draw_status(t, "Esc map  a abandon");
}

/* One "label: amount" line of the sums. */
static void
exch_sum(struct tui *t, int y, const char *what, int64_t cents, int attr)
{
	char money[64];

	tui_money(t, cents, money, sizeof money);
	tui_textf(t, y, 4, t->cols - 8, attr, "%-28s%16s", what, money);
}

/* Stage 3: old and new seats, the totals, the difference, the method. */
static void
exch_draw_confirm(struct tui *t)
{
	struct tui_exch *x = &t->exch;
	int64_t oldc = exch_old_cents(x), newc = tui_priced_total(&x->np);
	int64_t due = newc - exch_moved(x);
	char old[256] = "", when[48];
	size_t i;
	int y, used;

	for (i = 0; i < x->nb; i++)
		if (x->on[i] && strlen(old) + SL_LABEL_MAX + 2 < sizeof old)
			snprintf(old + strlen(old), sizeof old - strlen(old),
			    "%s%s", old[0] ? " " : "", x->blabel[i]);
	tui_textf(t, 2, 2, t->cols - 4, A_BOLD, "Sale %" PRId64 ", giving up: "
	    "%s", x->sale, old);
	tui_when(t->show != NULL ? t->show->starts_at : "", when, sizeof when);
	tui_textf(t, 3, 2, t->cols - 4, A_BOLD, "New seats: %s, %s",
	    t->show != NULL ? t->show->title : "", when);
	y = tui_priced_draw(t, &x->np, 4, 4, t->cols - 8, t->rows - 16);
	exch_sum(t, ++y, "Old total", oldc, A_NORMAL);
	exch_sum(t, ++y, "New total", newc, A_NORMAL);
	exch_sum(t, ++y, "Difference", newc - oldc, A_BOLD);
	exch_sum(t, ++y, "Paid, moves to the new seats", exch_moved(x),
	    A_NORMAL);
	y += 2;
	if (due != 0) {
		used = tui_text(t, y, 4, 20, due < 0 ? "Refund by:" :
		    "Pay by:", A_BOLD);
		exch_sum(t, y - 1, due < 0 ? "To refund" : "To pay", due < 0 ?
		    -due : due, A_BOLD);
		used += tui_method_draw(t, &x->m, y, 5 + used, t->cols - 12 -
		    used);
		if (due > 0)
			tui_text(t, y, 6 + used, t->cols - 8 - used,
			    x->leave_due ? "[0 leave due]" : " 0 leave due",
			    x->leave_due ? tui_attr(TR_HILITE) | A_BOLD :
			    (int)A_NORMAL);
	}
	tui_text(t, t->rows - 3, 2, t->cols - 4, "y: exchange   Up/Down seat  "
	    "Left/Right price type   Esc: back to the map", A_BOLD);
	tui_draw_status(t, due != 0 ? "1-9 method  y exchange  Esc map" :
	    "y exchange  Esc map");
}

static void
exch_draw(struct tui *t)
{
	struct tui_exch *x = &t->exch;

	tui_draw_title(t, "Exchange", t->show != NULL ? t->show->title : "");
	if (x->stage == 1) {
		exch_draw_tick(t);
		return;
	}
	if (x->stage == 2) {
		exch_draw_pick(t);
		return;
	}
	if (x->stage == 3) {
		exch_draw_confirm(t);
		return;
	}
	tui_text(t, 2, 2, t->cols - 4, "Sale or booking number, or the "
	    "customer's name or email, then Enter:", A_BOLD);
	if (x->f.n > 0 && x->f.error[0] == '\0')
		tui_text(t, 4, 2, t->cols - 4, "Up/Down choose, Enter: its "
		    "seats (a sale: all of them).", A_NORMAL);
	tui_find_draw(t, &x->f, x->f.n > 0 ? LIST_Y : 4, t->rows - LIST_Y - 2);
	tui_field_draw(t, &x->f.q, 3, 2, t->cols - 4, 1);
	tui_draw_status(t, "Enter search/choose  Up/Down  Esc back");
}

static int
exch_key_confirm(struct tui *t, const struct tui_key *k)
{
	struct tui_exch *x = &t->exch;

	if (tui_key_esc(k)) {
		x->stage = 2;
		tui_pop(t);
	} else if (tui_priced_key(&x->np, k))
		;
	else if (tui_key_is(k, '0'))
		x->leave_due = 1, x->m.sel = -1;
	else if (tui_method_key(&x->m, k))
		x->leave_due = 0;
	else if (tui_key_is(k, 'y') || tui_key_is(k, 'Y') || tui_key_enter(k))
		exch_confirm(t);
	else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static int
exch_key_tick(struct tui *t, const struct tui_key *k)
{
	struct tui_exch *x = &t->exch;

	if (tui_key_esc(k))
		x->stage = 0;
	else if (tui_key_fn(k, KEY_UP)) {
		if (x->sel > 0)
			x->sel--;
	} else if (tui_key_fn(k, KEY_DOWN)) {
		if (x->sel + 1 < x->nb)
			x->sel++;
	} else if (tui_key_is(k, ' ') && x->sel < x->nb) {
		x->on[x->sel] = !x->on[x->sel];
		x->non = x->on[x->sel] ? x->non + 1 : x->non - 1;
	} else if (tui_key_enter(k))
		exch_to_map(t);
	else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static int
exch_key(struct tui *t, const struct tui_key *k)
{
	struct tui_exch *x = &t->exch;

	if (x->stage == 3)
		return exch_key_confirm(t, k);
	if (x->stage == 1)
		return exch_key_tick(t, k);
	if (x->stage == 2) {
		if (tui_key_is(k, 'a')) {
			exch_reset(t);
			tui_message(t, TUI_MSG_INFO, "Exchange abandoned");
		}
		if (tui_key_esc(k) || tui_key_is(k, 'a'))
			tui_pop(t);
		return TUI_DIRTY;
	}
	if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_enter(k)) {
		if (strcmp(x->f.q.buf, x->f.searched) != 0 || x->f.n == 0)
			tui_find_run(t, &x->f);
		else
			exch_choose(t);
	} else if (!tui_find_key(&x->f, k) && !tui_field_key(&x->f.q, k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
exch_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

const struct tui_screen tui_scr_exchange = {
	.name = "exchange",
	.overlay = 0,
	.enter = exch_enter,
	.draw = exch_draw,
	.key = exch_key,
	.on_event = exch_on_event,
};
