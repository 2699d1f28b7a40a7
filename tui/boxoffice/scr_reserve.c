/*
 * scr_reserve.c - reservations (phone bookings): the map's selection
 * reserved for a name or a customer until a date and time (sl_reserve);
 * the list of active reservations found by name or number from any
 * terminal (sl_reservation_find; a plain hold, such as one made with
 * `seatlock hold`, by its number), and selling one: a price type per seat
 * and one payment method, or left due (sl_sale_hold with user 0 takes the
 * reservation's customer).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "sl_log.h"
#include "sl_sell.h"
#include "boxoffice/tui.h"

#define LIST_Y	5

/* ---- the form: reserve the selection ----------------------------------- */

static void
reserve_enter(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	time_t now = time(NULL) + 86400;
	struct tm tm;
	char buf[32];

	tui_field_init(&r->who, 200);
	tui_field_init(&r->until, 40);
	/* Tomorrow at 18:00 unless the clerk says otherwise. */
	localtime_r(&now, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d 18:00", &tm);
	tui_field_set(&r->until, buf);
	r->focus = 0;
	if (t->map == NULL || sl_seatmap_nselected(t->map) == 0) {
		tui_pop(t);
		tui_message(t, TUI_MSG_ERR, "Select the seats to reserve "
		    "first (Space), then p");
	}
}

/* Runs after the screen said "Reserving...". */
static void
reserve_do(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;
	char labels_s[SL_SEATMAP_MAX_SELECTION][SL_LABEL_MAX + 1];
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	char expires[48], when[48];
	int64_t user = 0, hold = 0;
	struct sl_err e;
	enum sl_rc rc;

	if (t->map == NULL || t->show == NULL)
		return;
	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	for (i = 0; i < n; i++) {
		snprintf(labels_s[i], sizeof labels_s[i], "%s",
		    sl_seatmap_seat(t->map, idx[i])->label);
		labels[i] = labels_s[i];
	}
	if (sl_parse_id(r->who.buf, &user) != 0)
		user = 0;
	/* The selection is this terminal's hold: let it go, the
	 * reservation holds the seats again at once. */
	tui_hold_release(t, "reserving");
	sl_err_clear(&e);
	rc = sl_reserve(t->db, t->show->id, labels, n, user, user != 0 ? NULL :
	    r->who.buf, r->until.buf, &hold, expires, &e);
	sl_log(t->cfg->log, "reserve %zu seats for %s: %s %s", n, r->who.buf,
	    sl_rc_name(rc), e.msg);
	tui_pop_to(t, TUI_MAP);
	tui_reload_now(t);
	if (rc != SL_OK) {
		tui_message(t, TUI_MSG_ERR, "Cannot reserve: %s - nothing was "
		    "reserved", e.msg);
		return;
	}
	tui_when(expires, when, sizeof when);
	tui_message(t, TUI_MSG_OK, "Reservation %" PRId64 " for %s until %s: "
	    "%s%s%s", hold, r->who.buf, when, labels[0], n > 1 ? " " : "",
	    n > 1 ? labels[n - 1] : "");
	tui_broadcast(t, TUI_EV_STATES);
}

static void
reserve_draw(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	int w = t->cols - 4 > 70 ? 70 : t->cols - 4, h = 11;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2;

	tui_box(t, y, x, h, w, "Reserve the selection");
	tui_textf(t, y + 2, x + 2, w - 4, A_NORMAL, "%zu seat%s of %s",
	    t->map != NULL ? sl_seatmap_nselected(t->map) : 0,
	    t->map != NULL && sl_seatmap_nselected(t->map) == 1 ? "" : "s",
	    t->show != NULL ? t->show->title : "");
	tui_text(t, y + 4, x + 2, 26, "Name or customer number:", A_BOLD);
	tui_field_draw(t, &r->who, y + 4, x + 28, w - 30, r->focus == 0);
	tui_text(t, y + 5, x + 2, 26, "Until (date time):", A_BOLD);
	tui_field_draw(t, &r->until, y + 5, x + 28, w - 30, r->focus == 1);
	tui_text(t, y + h - 2, x + 2, w - 4, "Tab next field   Enter: reserve  "
	    "  Esc: back", A_BOLD);
	tui_draw_status(t, "Tab field  Enter reserve  Esc back");
}

static int
reserve_key(struct tui *t, const struct tui_key *k)
{
	struct tui_resv *r = &t->resv;

	if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_is(k, '\t') || tui_key_fn(k, KEY_DOWN) ||
	    tui_key_fn(k, KEY_UP) || tui_key_fn(k, KEY_BTAB))
		r->focus = !r->focus;
	else if (tui_key_enter(k)) {
		if (r->who.len == 0) {
			r->focus = 0;
			tui_message(t, TUI_MSG_ERR, "Type the name the seats "
			    "are kept for, or a customer number");
		} else {
			tui_message(t, TUI_MSG_INFO, "Reserving...");
			t->later = reserve_do;
		}
	} else
		tui_field_key(r->focus == 0 ? &r->who : &r->until, k);
	return TUI_DIRTY;
}

static void
resv_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

const struct tui_screen tui_scr_reserve = {
	.name = "reserve",
	.overlay = 1,
	.enter = reserve_enter,
	.draw = reserve_draw,
	.key = reserve_key,
	.on_event = resv_on_event,
};

/* ---- the list: find and sell ------------------------------------------- */

static void
resv_find(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	struct sl_err e;
	enum sl_rc rc;

	sl_reservation_free(r->v, r->n);
	r->v = NULL;
	r->n = r->sel = r->top = 0;
	r->error[0] = '\0';
	snprintf(r->searched, sizeof r->searched, "%s", r->q.buf);
	sl_err_clear(&e);
	rc = sl_reservation_find(t->db, r->q.len > 0 ? r->q.buf : NULL,
	    &r->v, &r->n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_reservation_find(t->db, r->q.len > 0 ? r->q.buf : NULL,
		    &r->v, &r->n, &e);
	if (rc != SL_OK)
		snprintf(r->error, sizeof r->error, "%s", e.msg);
}

static void
resv_enter(struct tui *t)
{
	struct tui_resv *r = &t->resv;

	tui_field_init(&r->q, 200);
	r->selling = 0;
	resv_find(t);
}

/* Enter on a reservation: its seats at their default types, a method. */
static void
resv_open(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	const struct sl_reservation *v;
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	char buf[SL_SEATMAP_MAX_SELECTION * (SL_LABEL_MAX + 1)], *p, *save;
	size_t n = 0;

	if (r->sel >= r->n)
		return;
	v = &r->v[r->sel];
	snprintf(buf, sizeof buf, "%s", v->seats);
	for (p = strtok_r(buf, " ", &save); p != NULL &&
	    n < SL_SEATMAP_MAX_SELECTION; p = strtok_r(NULL, " ", &save))
		labels[n++] = p;
	if (tui_priced_load(t, &r->np, v->show, labels, n) != 0)
		return;
	tui_method_init(t, &r->m);
	r->m.sel = -2;	/* -2: not chosen; -1 (0 pressed): left due */
	sl_db_request_key(r->key, sizeof r->key);
	r->selling = 1;
}

/* Runs after the screen said "Selling...". */
static void
resv_sell(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	const struct sl_reservation *v = &r->v[r->sel];
	const char *types[SL_SEATMAP_MAX_SELECTION];
	struct sl_pay pay = { NULL, -1 };
	struct sl_sale_opts o;
	struct sl_booking *b = NULL;
	char total[64];
	struct sl_err e;
	enum sl_rc rc;
	size_t nb = 0;

	memset(&o, 0, sizeof o);
	tui_priced_types(&r->np, types);
	o.types = types;
	o.ntypes = r->np.n;
	if ((pay.method = tui_method_name(&r->m)) != NULL) {
		o.pay = &pay;
		o.npay = 1;
	}
	sl_err_clear(&e);
	rc = sl_sale_hold(t->db, v->show, v->hold, 0, r->key, &o, &b, &nb, &e);
	sl_log(t->cfg->log, "sell reservation %" PRId64 " (key %s): %s %s",
	    v->hold, r->key, sl_rc_name(rc), e.msg);
	if (rc != SL_OK) {
		tui_message(t, TUI_MSG_ERR, "Cannot sell reservation %" PRId64
		    ": %s", v->hold, e.msg);
		if (rc != SL_ECONN && rc != SL_ECONFLICT)
			r->selling = 0;
		return;
	}
	tui_money(t, sl_booking_total(b, nb), total, sizeof total);
	tui_message(t, TUI_MSG_OK, "Sold reservation %" PRId64 ": sale %"
	    PRId64 ", %s %s%s - %s", v->hold, nb > 0 ? b[0].sale : 0, total,
	    pay.method != NULL ? "paid by " : "due", pay.method != NULL ?
	    pay.method : "", v->holder);
	free(b);
	r->selling = 0;
	if (t->show != NULL && t->show->id == v->show)
		tui_reload_now(t);
	resv_find(t);
	tui_broadcast(t, TUI_EV_STATES);
}

static void
resv_draw_sell(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	const struct sl_reservation *v = &r->v[r->sel];
	char when[48], money[64];
	int y, used;

	tui_when(v->starts_at, when, sizeof when);
	tui_textf(t, 2, 2, t->cols - 4, A_BOLD, "Sell reservation %" PRId64
	    " - %s", v->hold, v->holder);
	tui_textf(t, 3, 2, t->cols - 4, A_NORMAL, "%s, %s", v->title, when);
	y = tui_priced_draw(t, &r->np, 5, 4, t->cols - 8, t->rows - 12);
	tui_money(t, tui_priced_total(&r->np), money, sizeof money);
	tui_textf(t, ++y, 4, t->cols - 8, A_BOLD, "%-*s%16s", t->cols - 24,
	    "Total", money);
	y += 2;
	used = tui_text(t, y, 4, 10, "Pay by:", A_BOLD);
	used += tui_method_draw(t, &r->m, y, 5 + used, t->cols - 12 - used);
	tui_text(t, y, 6 + used, t->cols - 8 - used, r->m.sel == -1 ?
	    "[0 leave due]" : " 0 leave due", r->m.sel == -1 ?
	    tui_attr(TR_HILITE) | A_BOLD : (int)A_NORMAL);
	tui_text(t, t->rows - 3, 2, t->cols - 4, "y: sell   Up/Down seat  "
	    "Left/Right price type   Esc: back", A_BOLD);
	tui_draw_status(t, "1-9 method  0 due  y sell  Esc back");
}

static void
resv_draw(struct tui *t)
{
	struct tui_resv *r = &t->resv;
	int h = t->rows - LIST_Y - 2, i;

	tui_draw_title(t, "Reservations", "");
	if (r->selling && r->sel < r->n) {
		resv_draw_sell(t);
		return;
	}
	tui_text(t, 2, 2, t->cols - 4, "Name or reservation number, Enter "
	    "(empty: all):", A_BOLD);
	if (r->error[0] != '\0')
		tui_text(t, LIST_Y - 1, 2, t->cols - 4, r->error,
		    tui_attr(TR_MSG_ERR));
	else if (r->n == 0)
		tui_text(t, LIST_Y - 1, 2, t->cols - 4, "No active reservation "
		    "found.", A_NORMAL);
	if (r->sel < r->top)
		r->top = r->sel;
	if (h > 0 && r->sel >= r->top + (size_t)h)
		r->top = r->sel - (size_t)h + 1;
	for (i = 0; i < h && r->top + (size_t)i < r->n; i++) {
		const struct sl_reservation *v = &r->v[r->top + (size_t)i];
		int attr = r->top + (size_t)i == r->sel ? tui_attr(TR_HILITE) :
		    (int)A_NORMAL;
		char when[48], until[48];

		tui_when(v->starts_at, when, sizeof when);
		tui_when(v->expires_at, until, sizeof until);
		tui_hline(LIST_Y + i, 1, t->cols - 2, attr);
		tui_textf(t, LIST_Y + i, 2, t->cols - 4, attr, "%-6" PRId64
		    " %-14.14s %-10.10s %s %-12.12s until %s", v->hold,
		    v->holder, v->seats, when + 5, v->title, until + 5);
	}
	tui_field_draw(t, &r->q, 3, 2, t->cols - 4, 1);
	tui_draw_status(t, "Enter search/sell  Up/Down choose  Esc back");
}

static int
resv_key_sell(struct tui *t, const struct tui_key *k)
{
	struct tui_resv *r = &t->resv;

	if (tui_key_esc(k))
		r->selling = 0;
	else if (tui_priced_key(&r->np, k))
		;
	else if (tui_key_is(k, '0'))
		r->m.sel = -1;
	else if (tui_method_key(&r->m, k))
		;
	else if (tui_key_is(k, 'y') || tui_key_is(k, 'Y') ||
	    tui_key_enter(k)) {
		if (r->m.sel == -2) {
			tui_message(t, TUI_MSG_ERR, "Choose how it is paid (1 "
			    "to %zu), or 0 to leave it due", r->m.n);
			return TUI_DIRTY;
		}
		tui_message(t, TUI_MSG_INFO, "Selling...");
		t->later = resv_sell;
	} else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static int
resv_key(struct tui *t, const struct tui_key *k)
{
	struct tui_resv *r = &t->resv;

	if (r->selling)
		return resv_key_sell(t, k);
	if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_enter(k)) {
		if (strcmp(r->q.buf, r->searched) != 0 || r->n == 0)
			resv_find(t);
		else
			resv_open(t);
	} else if (tui_key_fn(k, KEY_UP)) {
		if (r->sel > 0)
			r->sel--;
	} else if (tui_key_fn(k, KEY_DOWN)) {
		if (r->sel + 1 < r->n)
			r->sel++;
	} else if (!tui_field_key(&r->q, k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

const struct tui_screen tui_scr_resv = {
	.name = "reservations",
	.overlay = 0,
	.enter = resv_enter,
	.draw = resv_draw,
	.key = resv_key,
	.on_event = resv_on_event,
};
