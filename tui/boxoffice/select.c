/*
 * select.c - selecting and unselecting a seat of the map: the seat joins
 * or leaves this terminal's hold first (sl_hold_seats, sl_hold_change), so
 * the selection is never wider than the hold.
 */
#include <inttypes.h>
#include <string.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

/* A failed hold in a clerk's words. */
static void
hold_failed(struct tui *t, const struct sl_seatmap_seat *s,
    const struct sl_err *e)
{
	switch (e->rc) {
	case SL_ECONFLICT:
		if (strcmp(e->sqlstate, SL_SQLSTATE_OFF_SALE) == 0)
			break;	/* not on sale: the message says when */
		tui_message(t, TUI_MSG_ERR, "%s was just taken at another "
		    "terminal - pick another seat", s->label);
		return;
	case SL_EBUSY:
	case SL_ERETRY:
		tui_message(t, TUI_MSG_ERR, "%s is being sold at another "
		    "terminal right now - try again", s->label);
		return;
	case SL_ECONN:
		tui_message(t, TUI_MSG_ERR, "No answer from the database - %s "
		    "is not held; try again", s->label);
		return;
	case SL_OK:
	case SL_ENOMEM:
	case SL_EINVAL:
	case SL_ENOTFOUND:
	case SL_EDB:
	case SL_ECONFIG:
	case SL_EIO:
		break;
	}
	tui_message(t, TUI_MSG_ERR, "Cannot hold %s: %s", s->label, e->msg);
}

void
tui_hold_toggle(struct tui *t, size_t i)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);
	const char *label = s->label;
	struct sl_err e;
	enum sl_rc rc;
	int64_t n = 0;

	sl_err_clear(&e);
	if (s->selected) {
		if (sl_seatmap_nselected(t->map) == 1 || t->hold_id == 0) {
			tui_hold_release(t, "unselected");
			tui_holds_refresh(t);
			return;
		}
		rc = sl_hold_change(t->db, t->hold_id, NULL, 0, &label, 1, 0,
		    NULL, &n, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_hold_change(t->db, t->hold_id, NULL, 0, &label,
			    1, 0, NULL, &n, &e);
		sl_log(t->cfg->log, "hold %" PRId64 " without %s: %s %s",
		    t->hold_id, label, sl_rc_name(rc),
		    rc == SL_OK ? "" : e.msg);
		if (rc == SL_ENOTFOUND) {
			tui_hold_expired(t);
			return;
		}
		if (rc != SL_OK) {
			hold_failed(t, s, &e);
			return;
		}
		sl_seatmap_toggle(t->map, i);
		tui_hold_set_state(t, i, SL_SEAT_AVAILABLE, 0);
		tui_hold_started(t);
		return;
	}
	switch (sl_seatmap_toggle(t->map, i)) {
	case SL_TOGGLE_ADDED:
		break;
	case SL_TOGGLE_REMOVED:
	case SL_TOGGLE_UNAVAILABLE:
	case SL_TOGGLE_FULL:
		return;		/* the caller tells why */
	}
	if (t->hold_id == 0) {
		int64_t id;

		rc = sl_hold_seats(t->db, t->show->id, &label, 1, 0, NULL, &id,
		    NULL, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_hold_seats(t->db, t->show->id, &label, 1, 0,
			    NULL, &id, NULL, &e);
		if (rc == SL_OK)
			t->hold_id = id;
	} else {
		rc = sl_hold_change(t->db, t->hold_id, &label, 1, NULL, 0, 0,
		    NULL, &n, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_hold_change(t->db, t->hold_id, &label, 1, NULL,
			    0, 0, NULL, &n, &e);
		if (rc == SL_ENOTFOUND && e.detail[0] == '\0') {
			/* Our hold ran out meanwhile. */
			sl_seatmap_toggle(t->map, i);
			tui_hold_expired(t);
			return;
		}
	}
	sl_log(t->cfg->log, "hold %s in hold %" PRId64 ": %s %s", label,
	    t->hold_id, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc != SL_OK) {
		sl_seatmap_toggle(t->map, i);
		hold_failed(t, s, &e);
		tui_reload_now(t);
		return;
	}
	tui_hold_set_state(t, i, SL_SEAT_HELD, 1);
	tui_hold_started(t);
}
