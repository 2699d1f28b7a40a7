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
#include "sl_seatstate.h"
#include "sl_sell.h"
#include "boxoffice/tui.h"

/* Says what was sold: the seats, the customer, the bookings, the total. */
static void
sale_sold(struct tui *t, const struct sl_booking *b, size_t nb)
{
	char list[1024] = "", bids[256] = "", total[64];
	size_t i;

	tui_money(t, sl_booking_total(b, nb), total, sizeof total);
	for (i = 0; i < nb; i++) {
		if (i > 0) {
			strncat(list, " ", sizeof list - strlen(list) - 1);
			strncat(bids, ", ", sizeof bids - strlen(bids) - 1);
		}
		strncat(list, b[i].label, sizeof list - strlen(list) - 1);
		snprintf(bids + strlen(bids), sizeof bids - strlen(bids),
		    "%" PRId64, b[i].id);
	}
	if (t->best_n > 0)
		tui_message(t, TUI_MSG_OK, "Sold best available %s to %s - "
		    "total %s - booking %s", list, t->cust_name, total, bids);
	else
		tui_message(t, TUI_MSG_OK, "Sold %s to %s - booking %s - total "
		    "%s", list, t->cust_name, bids, total);
}

/* Books the selection for the chosen customer: the confirm screen asked. */
static void
tui_do_book(struct tui *t)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i, nb;
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	int64_t ids[SL_SEATMAP_MAX_SELECTION];
	char why[SL_ERR_MSG + 128];
	struct sl_booking *b = NULL;
	struct sl_err e;
	enum sl_rc rc;

	if (t->map == NULL || t->show == NULL)
		return;
	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	if (n == 0) {
		tui_pop_to(t, TUI_MAP);
		return;
	}
	for (i = 0; i < n; i++) {
		labels[i] = sl_seatmap_seat(t->map, idx[i])->label;
		ids[i] = sl_seatmap_seat(t->map, idx[i])->id;
	}
	sl_err_clear(&e);
	/* The selection is our hold: booking it is atomic, and nobody could
	 * take a seat of it meanwhile. */
	if (t->hold_id != 0)
		rc = sl_sell_hold(t->db, t->show->id, t->hold_id, t->cust_id,
		    t->key, &b, &nb, &e);
	else
		rc = sl_book_seats(t->db, t->show->id, labels, n, t->cust_id,
		    t->key, &b, &nb, &e);
	sl_log(t->cfg->log,
	    "book show %" PRId64 " for user %" PRId64 " (%zu seats, key "
	    "%s): %s %s",
	    t->show->id, t->cust_id, n, t->key, sl_rc_name(rc),
	    rc == SL_OK ? "" : e.msg);
	if (rc == SL_OK) {
		int64_t got[SL_SEATMAP_MAX_SELECTION];
		uint8_t st[SL_SEATMAP_MAX_SELECTION];
		size_t ng = 0;

		t->hold_id = 0;	/* sold: the hold has ended */
		t->hold_until = 0;
		sale_sold(t, b, nb);
		free(b);
		sl_seatmap_clear(t->map);
		/* Read back what we sold: the map is right even before (or
		 * without) the notification. */
		if (sl_seatstate_read(t->db, t->show->id, ids, n, got, st, &ng,
		    &e) == SL_OK)
			sl_seatmap_apply(t->map, got, st, ng, NULL, 0, NULL);
		else
			t->reload = 1;
		tui_pop_to(t, TUI_MAP);
		t->best_n = 0;
		sl_db_request_key(t->key, sizeof t->key);
		tui_broadcast(t, TUI_EV_STATES);
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

static void
tui_do_cancel(struct tui *t)
{
	char label[SL_LABEL_MAX + 1];
	struct sl_err e;
	int64_t show;
	enum sl_rc rc;

	sl_err_clear(&e);
	/* One request key per booking to cancel, kept after "no answer" so
	 * that trying again can never say "not active" about a cancel that
	 * did happen. */
	if (t->cancel_key_for != t->cancel_id) {
		sl_db_request_key(t->cancel_key, sizeof t->cancel_key);
		t->cancel_key_for = t->cancel_id;
	}
	rc = sl_book_cancel_key(t->db, t->cancel_id, t->cancel_key, &show,
	    label, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_book_cancel_key(t->db, t->cancel_id, t->cancel_key,
		    &show, label, &e);
	sl_log(t->cfg->log, "cancel booking %" PRId64 " (key %s): %s %s",
	    t->cancel_id, t->cancel_key, sl_rc_name(rc),
	    rc == SL_OK ? "" : e.msg);
	if (rc != SL_ECONN)
		t->cancel_key_for = 0;
	if (rc == SL_OK) {
		tui_message(t, TUI_MSG_OK, "Cancelled booking %" PRId64
		    " - seat %s is free again", t->cancel_id, label);
		if (t->show != NULL && t->show->id == show)
			tui_reload_now(t);
	} else if (rc == SL_ENOTFOUND)
		tui_message(t, TUI_MSG_ERR, "Booking %" PRId64 " is not active "
		    "any more (cancelled already?) - nothing changed",
		    t->cancel_id);
	else if (rc == SL_ECONN)
		tui_message(t, TUI_MSG_ERR, "No answer from the database - "
		    "the cancel is not confirmed; try again (it never cancels "
		    "twice)");
	else
		tui_message(t, TUI_MSG_ERR, "Cannot cancel: %s", e.msg);
	tui_broadcast(t, TUI_EV_STATES);
}

void
tui_sale_run(struct tui *t, enum tui_action a)
{
	if (a == TUI_ACT_BOOK)
		tui_do_book(t);
	else
		tui_do_cancel(t);
}
