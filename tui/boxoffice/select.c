/*
 * select.c - selecting and unselecting a seat of the map: the seat joins
 * or leaves this terminal's hold first (sl_hold_seats, sl_hold_change), so
 * the selection is never wider than the hold.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

/* A failed hold in a clerk's words. */
static void
hold_failed(struct tui *t, const char *label, const struct sl_err *e)
{
	switch (e->rc) {
	case SL_ECONFLICT:
		/* Not on sale (the message says when), or an override of the
		 * window by somebody who is not a supervisor: the database's
		 * words. */
		if (strcmp(e->sqlstate, SL_SQLSTATE_OFF_SALE) == 0 ||
		    strcmp(e->sqlstate, "SL403") == 0)
			break;
		tui_message(t, TUI_MSG_ERR, "%s was just taken at another "
		    "terminal - pick another seat", e->detail[0] != '\0' ?
		    e->detail : label);
		return;
	case SL_EBUSY:
	case SL_ERETRY:
		tui_message(t, TUI_MSG_ERR, "%s is being sold at another "
		    "terminal right now - try again", label);
		return;
	case SL_ECONN:
		tui_message(t, TUI_MSG_ERR, "No answer from the database - %s "
		    "is not held; try again", label);
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
	tui_message(t, TUI_MSG_ERR, "Cannot hold %s: %s", label, e->msg);
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
			hold_failed(t, label, &e);
			return;
		}
		sl_seatmap_toggle(t->map, i);
		tui_hold_set_state(t, i, SL_SEAT_AVAILABLE, 0);
		tui_hold_started(t);
		return;
	}
	tui_hold_add(t, &i, 1);
}

/* Takes seats idx[0..n) out of the selection again (a failed add). */
static void
select_undo(struct tui *t, const size_t *idx, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		sl_seatmap_toggle(t->map, idx[k]);
}

enum sl_rc
tui_hold_add(struct tui *t, const size_t *idx, size_t n)
{
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	char what[SL_LABEL_MAX * 2 + 8];
	struct sl_err e;
	enum sl_rc rc;
	int64_t got = 0;
	size_t k;

	if (n == 0 || n > SL_SEATMAP_MAX_SELECTION)
		return SL_EINVAL;
	for (k = 0; k < n; k++) {
		if (sl_seatmap_toggle(t->map, idx[k]) != SL_TOGGLE_ADDED) {
			select_undo(t, idx, k);
			return SL_EINVAL;	/* the caller tells why */
		}
		labels[k] = sl_seatmap_seat(t->map, idx[k])->label;
	}
	snprintf(what, sizeof what, n == 1 ? "%s" : "%s to %s", labels[0],
	    labels[n - 1]);
	sl_err_clear(&e);
	if (t->hold_id == 0) {
		int64_t id;

		rc = sl_hold_seats(t->db, t->show->id, labels, n, 0, NULL, &id,
		    NULL, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_hold_seats(t->db, t->show->id, labels, n, 0,
			    NULL, &id, NULL, &e);
		if (rc == SL_OK)
			t->hold_id = id;
	} else {
		rc = sl_hold_change(t->db, t->hold_id, labels, n, NULL, 0, 0,
		    NULL, &got, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_hold_change(t->db, t->hold_id, labels, n, NULL,
			    0, 0, NULL, &got, &e);
		if (rc == SL_ENOTFOUND && e.detail[0] == '\0') {
			/* Our hold ran out meanwhile. */
			select_undo(t, idx, n);
			tui_hold_expired(t);
			return rc;
		}
	}
	sl_log(t->cfg->log, "hold %s in hold %" PRId64 ": %s %s", what,
	    t->hold_id, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc != SL_OK) {
		select_undo(t, idx, n);
		hold_failed(t, what, &e);
		tui_reload_now(t);
		return rc;
	}
	for (k = 0; k < n; k++)
		tui_hold_set_state(t, idx[k], SL_SEAT_HELD, 1);
	tui_hold_started(t);
	return SL_OK;
}

/* A best available the database could not hold, in a clerk's words. */
static void
best_failed(struct tui *t, int n, const char *zone, const struct sl_err *e)
{
	/* Outside the on-sale window the database's message says when. */
	if (e->rc == SL_ECONFLICT &&
	    strcmp(e->sqlstate, SL_SQLSTATE_OFF_SALE) != 0)
		tui_message(t, TUI_MSG_ERR, "No %d adjacent free seats%s%s - "
		    "nothing was held", n, zone[0] ? " in zone " : "", zone);
	else if (e->rc == SL_ENOTFOUND && zone[0] != '\0')
		tui_message(t, TUI_MSG_ERR, "There is no zone %s", zone);
	else
		hold_failed(t, "best available", e);
}

enum sl_rc
tui_hold_best(struct tui *t, int n, const char *zone, size_t *idx)
{
	char label[SL_BEST_MAX][SL_LABEL_MAX + 1];
	const char *z = zone[0] != '\0' ? zone : NULL;
	struct sl_err e;
	enum sl_rc rc;
	int64_t id;
	long at;
	int k;

	if (n < 1 || n > SL_BEST_MAX)
		return SL_EINVAL;
	if (t->hold_id != 0)
		tui_hold_release(t, "best available");
	sl_err_clear(&e);
	rc = sl_hold_best(t->db, t->show->id, n, z, 0, &id, NULL, label, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_hold_best(t->db, t->show->id, n, z, 0, &id, NULL,
		    label, &e);
	sl_log(t->cfg->log, "hold best %d%s%s: %s %s", n, z != NULL ?
	    " in zone " : "", zone, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc != SL_OK) {
		best_failed(t, n, zone, &e);
		return rc;
	}
	/* The database chose: the map shows its seats as this hold's. */
	t->hold_id = id;
	for (k = 0; k < n; k++) {
		if ((at = sl_seatmap_find(t->map, label[k])) < 0) {
			tui_hold_release(t, "best available off the map");
			tui_message(t, TUI_MSG_ERR, "Best available held %s, "
			    "which this map does not have - nothing was held",
			    label[k]);
			return SL_EDB;
		}
		idx[k] = (size_t)at;
		tui_hold_set_state(t, idx[k], SL_SEAT_HELD, 1);
		sl_seatmap_toggle(t->map, idx[k]);
	}
	tui_hold_started(t);
	return SL_OK;
}

void
tui_best_let_go(struct tui *t)
{
	char first[SL_LABEL_MAX + 1] = "", last[SL_LABEL_MAX + 1] = "";
	size_t idx[SL_SEATMAP_MAX_SELECTION], n;

	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	if (n > 0) {
		memcpy(first, sl_seatmap_seat(t->map, idx[0])->label,
		    sizeof first);
		memcpy(last, sl_seatmap_seat(t->map, idx[n - 1])->label,
		    sizeof last);
	}
	tui_hold_release(t, "best available declined");
	tui_pop_to(t, TUI_MAP);
	tui_message(t, TUI_MSG_INFO, "Let go of best available %s%s%s - "
	    "nothing was sold", first, n > 1 ? " to " : "", n > 1 ? last : "");
}
