/*
 * sale.c - the actions that the loop runs once the screen says
 * "Selling...": selling the selection (best available's seats are a
 * selection too, held before the confirmation shows them), cancelling.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_log.h"
#include "sl_sale.h"
#include "sl_seatstate.h"
#include "sl_sell.h"
#include "boxoffice/tui.h"

/* The receipt of sale: what the database says was paid and given back. */
static void
sale_receipt(struct tui *t, int64_t sale, int64_t total)
{
	struct tui_sale *s = &t->sale;
	json_t *doc = NULL;
	struct sl_err e;

	s->r_sale = sale;
	s->r_total = total;
	s->r_paid = s->r_change = 0;
	s->r_due = total;
	if (sale > 0 && sl_sale_get(t->db, sale, &doc, &e) == SL_OK) {
		s->r_total = json_integer_value(json_object_get(doc,
		    "total_cents"));
		s->r_paid = json_integer_value(json_object_get(doc,
		    "paid_cents"));
		s->r_change = json_integer_value(json_object_get(doc,
		    "change_cents"));
		s->r_due = json_integer_value(json_object_get(doc,
		    "due_cents"));
	}
	json_decref(doc);
}

/* Says what was sold: the seats, the customer, the bookings, the total,
 * the sale's number and what was paid; a paid sale shows its receipt. */
static void
sale_sold(struct tui *t, const struct sl_booking *b, size_t nb)
{
	char list[1024] = "", bids[256] = "", total[64], tail[256] = "";
	char who[SL_NAME_MAX + 16], paid[64], change[64];
	struct tui_sale *s = &t->sale;
	size_t i;

	sale_receipt(t, nb > 0 ? b[0].sale : 0, sl_booking_total(b, nb));
	tui_money(t, s->r_total, total, sizeof total);
	tui_money(t, s->r_paid, paid, sizeof paid);
	tui_money(t, s->r_change, change, sizeof change);
	for (i = 0; i < nb; i++) {
		if (i > 0) {
			strncat(list, " ", sizeof list - strlen(list) - 1);
			strncat(bids, ", ", sizeof bids - strlen(bids) - 1);
		}
		strncat(list, b[i].label, sizeof list - strlen(list) - 1);
		snprintf(bids + strlen(bids), sizeof bids - strlen(bids),
		    "%" PRId64, b[i].id);
	}
	if (t->cust_id != 0)
		snprintf(who, sizeof who, "%s", t->cust_name);
	else
		snprintf(who, sizeof who, "walk-up");
	if (s->npay > 0)
		snprintf(tail, sizeof tail, " - sale %" PRId64 " paid %s change "
		    "%s", s->r_sale, paid, change);
	else if (s->r_due > 0)
		snprintf(tail, sizeof tail, " - sale %" PRId64 " to pay later",
		    s->r_sale);
	else
		snprintf(tail, sizeof tail, " - sale %" PRId64, s->r_sale);
	if (t->best_n > 0)
		tui_message(t, TUI_MSG_OK, "Sold best available %s to %s - "
		    "total %s%s - booking %s", list, who, total, tail, bids);
	else
		tui_message(t, TUI_MSG_OK, "Sold %s to %s - booking %s - total "
		    "%s%s", list, who, bids, total, tail);
}

/* Sends the sale of the selection with its types, reduction and payments:
 * the selection is our hold, so selling it is atomic. */
static enum sl_rc
sale_send(struct tui *t, struct sl_booking **b, size_t *nb,
    struct sl_err *e)
{
	const char *types[SL_SEATMAP_MAX_SELECTION];
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	struct sl_pay pay[TUI_PAY_MAX];
	struct sl_sale_opts o;

	tui_sale_opts(t, &o, types, labels, pay);
	if (t->hold_id != 0)
		return sl_sale_hold(t->db, t->show->id, t->hold_id, t->cust_id,
		    t->key, &o, b, nb, e);
	return sl_sale_book(t->db, t->show->id, labels, t->sale.n, t->cust_id,
	    t->key, &o, b, nb, e);
}

/* The sale went through: the map shows the seats sold at once. */
static void
sale_done(struct tui *t, struct sl_booking *b, size_t nb,
    const int64_t *ids, size_t n)
{
	int64_t got[SL_SEATMAP_MAX_SELECTION];
	uint8_t st[SL_SEATMAP_MAX_SELECTION];
	size_t ng = 0;
	struct sl_err e;

	t->hold_id = 0;	/* sold: the hold has ended */
	t->hold_until = 0;
	sale_sold(t, b, nb);
	free(b);
	sl_seatmap_clear(t->map);
	/* Read back what we sold: the map is right even before (or without)
	 * the notification. */
	if (sl_seatstate_read(t->db, t->show->id, ids, n, got, st, &ng, &e) ==
	    SL_OK)
		sl_seatmap_apply(t->map, got, st, ng, NULL, 0, NULL);
	else
		t->reload = 1;
	tui_pop_to(t, TUI_MAP);
	/* A sale paid (or with change) leaves its receipt on screen. */
	if (t->sale.npay > 0) {
		t->sale.done = 1;
		tui_push(t, TUI_PAY);
	}
	t->best_n = 0;
	sl_db_request_key(t->key, sizeof t->key);
	tui_broadcast(t, TUI_EV_STATES);
}

void
tui_pay_explain(const struct sl_err *e, const char *what, char *buf,
    size_t bufsz)
{
	if (strstr(e->msg, "no open shift") != NULL)
		snprintf(buf, bufsz, "No open shift: cash needs one - press F3 "
		    "and open a shift with its float; %s", what);
	else if (strcmp(e->sqlstate, "SL403") == 0 &&
	    strstr(e->msg, "not valid") != NULL)
		snprintf(buf, bufsz, "The supervisor's code is not valid "
		    "(unknown, used or expired): ask for a new one; %s", what);
	else if (strcmp(e->sqlstate, "SL403") == 0)
		snprintf(buf, bufsz, "A supervisor's code is needed (a "
		    "supervisor runs seatlock auth): type it when asked; %s",
		    what);
	else
		snprintf(buf, bufsz, "Cannot sell: %.300s - %s", e->msg, what);
}

/* Was it the money that was refused (bad input, a supervisor needed, no
 * open shift, not paid in full, a voucher), not the seats or the show? */
static int
sale_money_refused(enum sl_rc rc, const struct sl_err *e)
{
	if (rc == SL_EINVAL || strcmp(e->sqlstate, "SL403") == 0)
		return 1;
	if (rc == SL_ENOTFOUND)	/* an unknown voucher; else the hold */
		return strstr(e->msg, "voucher") != NULL;
	return rc == SL_ECONFLICT && (strstr(e->msg, "no open shift") != NULL ||
	    strstr(e->msg, "paid in full") != NULL ||
	    strstr(e->msg, "voucher") != NULL);
}

/* Books the selection for the chosen customer: the confirm screen asked. */
static void
tui_do_book(struct tui *t)
{
	int64_t ids[SL_SEATMAP_MAX_SELECTION];
	char why[SL_ERR_MSG + 128];
	struct sl_booking *b = NULL;
	size_t i, nb, n;
	struct sl_err e;
	enum sl_rc rc;

	if (t->map == NULL || t->show == NULL)
		return;
	n = t->sale.n;
	if (n == 0 || sl_seatmap_nselected(t->map) != n) {
		tui_pop_to(t, TUI_MAP);
		return;
	}
	for (i = 0; i < n; i++)
		ids[i] = sl_seatmap_seat(t->map, t->sale.map[i])->id;
	sl_err_clear(&e);
	rc = sale_send(t, &b, &nb, &e);
	sl_log(t->cfg->log,
	    "book show %" PRId64 " for user %" PRId64 " (%zu seats, %zu "
	    "payments, key %s): %s %s", t->show->id, t->cust_id, n,
	    t->sale.npay, t->key, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc == SL_OK) {
		sale_done(t, b, nb, ids, n);
		return;
	}
	if (t->hold_id != 0 && sale_money_refused(rc, &e)) {
		/* The seats are ours still: what was refused is the money (no
		 * open shift, not paid in full, a voucher, a code).  The clerk
		 * stays on the screen to put it right. */
		tui_pay_explain(&e, "nothing was sold", why, sizeof why);
		snprintf(t->sale.error, sizeof t->sale.error, "%s", why);
		if (strstr(e.msg, "no open shift") != NULL)
			t->shift_id = 0;	/* closed elsewhere */
		tui_message(t, TUI_MSG_ERR, "%s", why);
		return;
	}
	if (t->hold_id != 0 && rc == SL_ENOTFOUND) {
		/* The hold ran out before the sale. */
		sl_db_request_key(t->key, sizeof t->key);
		tui_pop_to(t, TUI_MAP);
		tui_hold_expired(t);
		return;
	}
	/* Never leave the map wrong: read it all again, then explain.  Not
	 * when the server could not be reached just now (the core tried for
	 * database.reconnect_timeout_s): the map is marked out of date and
	 * read again once the listener is back. */
	if (rc == SL_ECONN) {
		t->stale = 1;
		t->reload = 1;
		t->reload_at = 0;
	} else
		tui_reload_now(t);
	tui_explain_failure(t, &e, why, sizeof why);
	if ((rc == SL_ECONN || rc == SL_EBUSY || rc == SL_ERETRY) &&
	    sl_seatmap_nselected(t->map) > 0) {
		/* Same request key on the retry: it never books twice. */
		tui_message(t, TUI_MSG_ERR, "%s", why);
		return;
	}
	sl_db_request_key(t->key, sizeof t->key);
	tui_pop_to(t, TUI_MAP);
	tui_hold_release(t, "sale failed");
	tui_message(t, TUI_MSG_ERR, "%s", why);
}

void
tui_sale_run(struct tui *t, enum tui_action a)
{
	if (a == TUI_ACT_BOOK)
		tui_do_book(t);
}
