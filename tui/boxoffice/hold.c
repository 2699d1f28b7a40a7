/*
 * hold.c - the clerk's selection kept as one hold of this terminal:
 * selecting a seat holds it (sl_hold_seats, then sl_hold_change), so every
 * other terminal sees it held with this terminal's name; unselecting lets
 * it go; the hold ends with the sale (sl_sell_hold), a clear, leaving the
 * map, quitting, or its expiry.  No transaction stays open meanwhile.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

/* Sets seat i's state here at once; the notification confirms it. */
static void
hold_set_state(struct tui *t, size_t i, enum sl_seat_state st, int mine)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);
	int64_t id = s->id;
	uint8_t u = (uint8_t)st;

	if (mine)
		sl_seatmap_set_held_mine(t->map, id, 1);
	sl_seatmap_apply(t->map, &id, &u, 1, NULL, 0, NULL);
	if (!mine)
		sl_seatmap_set_held_mine(t->map, id, 0);
}

static void
hold_started(struct tui *t)
{
	t->hold_until = tui_now() + sl_db_hold_seconds(t->db) * 1000;
}

/* Forgets the hold here: the selection goes, its seats look free until
 * the map says otherwise. */
static void
hold_forget(struct tui *t)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;

	if (t->map != NULL) {
		n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
		sl_seatmap_clear(t->map);
		for (i = 0; i < n && i < SL_SEATMAP_MAX_SELECTION; i++)
			if (sl_seatmap_seat(t->map, idx[i])->held_mine)
				hold_set_state(t, idx[i], SL_SEAT_AVAILABLE,
				    0);
	}
	t->hold_id = 0;
	t->hold_until = 0;
	t->dirty = 1;
}

void
tui_hold_release(struct tui *t, const char *why)
{
	struct sl_err e;
	enum sl_rc rc;

	if (t->hold_id == 0) {
		if (t->map != NULL)
			sl_seatmap_clear(t->map);
		return;
	}
	sl_err_clear(&e);
	rc = sl_hold_release(t->db, t->hold_id, NULL, NULL, NULL, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_hold_release(t->db, t->hold_id, NULL, NULL, NULL, &e);
	sl_log("release hold %" PRId64 " (%s): %s %s", t->hold_id,
	    why != NULL ? why : "", sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	hold_forget(t);
}

void
tui_hold_expired(struct tui *t)
{
	size_t idx[8], n, i;
	char labels[128] = "";

	if (t->hold_id == 0)
		return;
	n = t->map != NULL ? sl_seatmap_selected(t->map, idx, 8) : 0;
	for (i = 0; i < n && i < 8; i++) {
		if (i > 0)
			strncat(labels, " ", sizeof labels -
			    strlen(labels) - 1);
		strncat(labels, sl_seatmap_seat(t->map, idx[i])->label,
		    sizeof labels - strlen(labels) - 1);
	}
	if (n > 8)
		strncat(labels, " ...", sizeof labels - strlen(labels) - 1);
	/* Ends it in the database too (it is free already for a sale). */
	tui_hold_release(t, "expired");
	if (tui_top(t) == TUI_CUSTOMER || tui_top(t) == TUI_CONFIRM) {
		if (t->best_n == 0)
			tui_pop_to(t, TUI_MAP);
	}
	tui_message(t, TUI_MSG_ERR, "Your hold on %s ran out - removed from "
	    "your selection; select the seats again", n > 0 ? labels :
	    "the seats");
	if (t->show != NULL)
		tui_reload_now(t);
}

void
tui_hold_check(struct tui *t, size_t nlost)
{
	/* A held seat of ours that became something else means the hold ran
	 * out and another terminal took the seat: the rest cannot be sold
	 * as one hold any more. */
	if (t->hold_id != 0 && nlost > 0)
		tui_hold_expired(t);
	else if (t->hold_id != 0 && t->map != NULL &&
	    sl_seatmap_nselected(t->map) == 0)
		tui_hold_release(t, "selection gone");
}

int64_t
tui_hold_left(const struct tui *t)
{
	int64_t ms;

	if (t->hold_id == 0)
		return 0;
	ms = t->hold_until - tui_now();
	return ms <= 0 ? 0 : (ms + 999) / 1000;
}

void
tui_hold_clock(const struct tui *t, char *buf, size_t bufsz)
{
	int64_t s = tui_hold_left(t);

	snprintf(buf, bufsz, "%" PRId64 ":%02d", s / 60, (int)(s % 60));
}

/* A failed hold in a clerk's words. */
static void
hold_failed(struct tui *t, const struct sl_seatmap_seat *s,
    const struct sl_err *e)
{
	switch (e->rc) {
	case SL_ECONFLICT:
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
		sl_log("hold %" PRId64 " without %s: %s %s", t->hold_id, label,
		    sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
		if (rc == SL_ENOTFOUND) {
			tui_hold_expired(t);
			return;
		}
		if (rc != SL_OK) {
			hold_failed(t, s, &e);
			return;
		}
		sl_seatmap_toggle(t->map, i);
		hold_set_state(t, i, SL_SEAT_AVAILABLE, 0);
		hold_started(t);
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
	sl_log("hold %s in hold %" PRId64 ": %s %s", label, t->hold_id,
	    sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc != SL_OK) {
		sl_seatmap_toggle(t->map, i);
		hold_failed(t, s, &e);
		tui_reload_now(t);
		return;
	}
	hold_set_state(t, i, SL_SEAT_HELD, 1);
	hold_started(t);
}

void
tui_holds_refresh(struct tui *t)
{
	struct sl_hold *v;
	struct sl_err e;
	size_t n;

	if (t->show == NULL)
		return;
	if (sl_hold_list(t->db, t->show->id, &v, &n, &e) != SL_OK) {
		sl_log("reading the holds failed: %s", e.msg);
		return;
	}
	sl_hold_list_free(t->holds, t->nholds);
	t->holds = v;
	t->nholds = n;
}

const struct sl_hold *
tui_hold_of(const struct tui *t, const char *label)
{
	size_t i, k;

	for (i = 0; i < t->nholds; i++)
		for (k = 0; k < t->holds[i].nseats; k++)
			if (strcmp(t->holds[i].label[k], label) == 0)
				return &t->holds[i];
	return NULL;
}

const struct sl_zone *
tui_seat_zone(const struct tui *t, size_t i)
{
	const struct sl_seatmap_seat *s;

	if (t->seats == NULL || t->map == NULL ||
	    (s = sl_seatmap_seat(t->map, i)) == NULL)
		return NULL;
	/* The map keeps each seat's zone; t->seats the zones themselves. */
	if (s->zone < 0 || (size_t)s->zone >= t->seats->nzones)
		return NULL;
	return &t->seats->zone[s->zone];
}

void
tui_money(const struct tui *t, int64_t cents, char *buf, size_t bufsz)
{
	sl_money_format(cents, sl_db_currency(t->db), buf, bufsz);
}
