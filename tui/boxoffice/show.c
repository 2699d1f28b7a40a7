/*
 * show.c - the show open in the map: opening and closing it, reading it
 * again (whole, or the seats that notifications named), the listener's
 * events, the hold running out or losing seats, leaving and quitting, and
 * a failed sale in a clerk's words.
 */
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_log.h"
#include "sl_seatstate.h"
#include "boxoffice/tui.h"

#define TUI_RELOAD_MS	1000	/* retry of a failed reload */
#define TUI_LIVE_LINES	50	/* "live: re-read" lines a second at most */
#define TUI_NOTLIVE_MS	3000	/* a notifier's beat older: not live */
#define TUI_NOTLIVE_RELOAD_MS 2000	/* reloads while not live */

/* "F12 was just sold at another terminal - ..." for the seats lost. */
static void
tui_report_lost(struct tui *t, const size_t *lost, size_t nlost)
{
	char labels[256] = "";
	const char *what = NULL;
	size_t i;

	if (nlost == 0 || t->map == NULL)
		return;
	for (i = 0; i < nlost && i < 8; i++) {
		const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map,
		    lost[i]);
		const char *w = s->state == SL_SEAT_BOOKED ? "sold" :
		    s->state == SL_SEAT_HELD ? "held" : "blocked";

		if (what == NULL)
			what = w;
		else if (strcmp(what, w) != 0)
			what = "taken";
		if (i > 0)
			strncat(labels, ", ", sizeof labels - strlen(labels) - 1);
		strncat(labels, s->label, sizeof labels - strlen(labels) - 1);
	}
	if (nlost > 8)
		strncat(labels, "...", sizeof labels - strlen(labels) - 1);
	tui_message(t, TUI_MSG_ERR, "%s %s just %s at another terminal - "
	    "removed from your selection, pick %s", labels,
	    nlost == 1 ? "was" : "were", what,
	    nlost == 1 ? "another seat" : "other seats");
}

/* Builds the map anew from s (the layout changed), keeping the cursor's
 * seat and the selection where they still fit. */
static void
tui_rebuild_map(struct tui *t, struct sl_seats *s)
{
	struct sl_seatmap *m;
	struct sl_err e;
	char label[SL_LABEL_MAX + 1] = "";
	size_t i, nsel = 0;
	int64_t *sel = NULL;

	if (sl_seatmap_new(s, &m, &e) != SL_OK) {
		tui_message(t, TUI_MSG_ERR, "cannot show this venue: %s",
		    e.msg);
		return;
	}
	if (t->map != NULL) {
		snprintf(label, sizeof label, "%s", sl_seatmap_seat(t->map,
		    sl_seatmap_cursor(t->map))->label);
		sel = calloc(sl_seatmap_nselected(t->map) + 1, sizeof *sel);
		for (i = 0; sel != NULL && i < sl_seatmap_nseats(t->map); i++)
			if (sl_seatmap_seat(t->map, i)->selected)
				sel[nsel++] = sl_seatmap_seat(t->map, i)->id;
		sl_seatmap_free(t->map);
	}
	t->map = m;
	if (label[0] != '\0' && sl_seatmap_find(m, label) >= 0)
		sl_seatmap_set_cursor(m, (size_t)sl_seatmap_find(m, label));
	for (i = 0; sel != NULL && i < sl_seatmap_nseats(m); i++) {
		size_t k;

		for (k = 0; k < nsel; k++)
			if (sl_seatmap_seat(m, i)->id == sel[k]) {
				/* Selected seats are our hold's. */
				if (t->hold_id != 0)
					sl_seatmap_set_held_mine(m, sel[k], 1);
				sl_seatmap_toggle(m, i);
			}
	}
	free(sel);
}

/* Our hold is not among the show's live holds just read: it ended at
 * another terminal (a supervisor released or sold it, issue 17 finding 7),
 * or its time ran out. */
static void
tui_hold_gone_check(struct tui *t)
{
	size_t i;

	if (t->hold_id == 0)
		return;
	for (i = 0; i < t->nholds; i++)
		if (t->holds[i].id == t->hold_id)
			return;
	tui_hold_expired(t);
}

void
tui_reload_now(struct tui *t)
{
	struct sl_seats *s = NULL;
	struct sl_states st;
	struct sl_err e;
	size_t lost[64], nlost = 0;
	enum sl_rc rc = SL_OK;
	int have_map = 0, fresh;

	if (t->show == NULL)
		return;
	/* The map has the layout: the states alone, unless it changed. */
	if (t->map != NULL) {
		rc = sl_show_states(t->db, t->show->id, &s, &st, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_show_states(t->db, t->show->id, &s, &st, &e);
		if (rc == SL_OK) {
			have_map = sl_seatmap_reload_states(t->map, &st,
			    s->change_seq, lost, 64, &nlost) == 0;
			sl_states_free(&st);
			if (!have_map)
				sl_seats_free(s);
		}
	}
	if (t->map == NULL || (rc == SL_OK && !have_map)) {
		rc = sl_show_seats(t->db, t->show->id, &s, &e);
		if (rc != SL_OK && tui_db_retry(t, rc))
			rc = sl_show_seats(t->db, t->show->id, &s, &e);
	}
	if (rc != SL_OK) {
		sl_log(t->cfg->log, "reload of show %" PRId64 " failed: %s",
		    t->show->id, e.msg);
		t->reload = 1;
		t->reload_at = sl_db_now() + TUI_RELOAD_MS;
		t->stale = 1;
		t->dirty = 1;
		return;
	}
	/* No map yet, or its layout changed: the states did not fit it. */
	if (!have_map)
		tui_rebuild_map(t, s);
	fresh = tui_holds_refresh(t) == 0;
	/* Changes after this snapshot are notified with a later sequence;
	 * only a reload made while listening can vouch for that. */
	if (sl_notify_status(t->nf) == SL_NOTIFY_UP) {
		sl_notify_set_seq(t->nf, s->change_seq);
		t->stale = 0;
	}
	t->read_lim.max = TUI_LIVE_LINES;
	if (sl_log_limit(t->cfg->log, &t->read_lim, "re-read lines"))
		sl_log(t->cfg->log, "live: reloaded show %" PRId64 " (change %"
		    PRId64 ")", t->show->id, s->change_seq);
	sl_seats_free(t->seats);
	sl_seats_shed(s);	/* the map has the seats */
	t->seats = s;	/* zones and prices */
	t->reload = 0;
	t->npending = 0;
	tui_report_lost(t, lost, nlost > 64 ? 64 : nlost);
	tui_hold_check(t, nlost);
	if (fresh)
		tui_hold_gone_check(t);
	tui_broadcast(t, TUI_EV_STATES);
}

/* The states of n seats read after their notifications (by us, or by the
 * relay: how says which) applied to the map: the seats lost from our
 * selection, the holds read again where that matters, the screens told. */
static void
tui_apply_states(struct tui *t, const int64_t *ids, const uint8_t *states,
    size_t n, const char *how)
{
	size_t lost[64], nlost = 0, i;
	int fresh = 0;

	/* One line a batch of notifications: legitimate traffic stays far
	 * below the budget (the tmux tests time changes by these lines). */
	t->read_lim.max = TUI_LIVE_LINES;
	if (sl_log_limit(t->cfg->log, &t->read_lim, "re-read lines"))
		sl_log(t->cfg->log, "live: re-read %zu seat(s) of show %"
		    PRId64 "%s", n, t->show->id, how);
	if (sl_seatmap_apply(t->map, ids, states, n, lost, 64, &nlost) != 0) {
		t->reload = 1;	/* seats we do not know: the venue changed */
		t->reload_at = 0;
	}
	/* Who holds a seat is not in its state: read the holds again (and
	 * when a seat became free while we hold some: ours may have ended at
	 * another terminal). */
	for (i = 0; i < n && fresh == 0; i++)
		if (states[i] == SL_SEAT_HELD || states[i] == SL_SEAT_BLOCKED ||
		    (t->hold_id != 0 && states[i] == SL_SEAT_AVAILABLE))
			fresh = tui_holds_refresh(t) == 0 ? 1 : -1;
	tui_report_lost(t, lost, nlost > 64 ? 64 : nlost);
	tui_hold_check(t, nlost);
	if (fresh == 1)
		tui_hold_gone_check(t);
	tui_broadcast(t, TUI_EV_STATES);
}

/* Re-reads the seats that notifications named. */
static void
tui_read_pending(struct tui *t)
{
	int64_t ids[SL_NOTIFY_MAX_SEATS];
	uint8_t states[SL_NOTIFY_MAX_SEATS];
	size_t n = 0;
	struct sl_err e;
	enum sl_rc rc;

	rc = sl_seatstate_read(t->db, t->show->id, t->pending, t->npending,
	    ids, states, &n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_seatstate_read(t->db, t->show->id, t->pending,
		    t->npending, ids, states, &n, &e);
	t->npending = 0;
	if (rc != SL_OK) {
		sl_log(t->cfg->log, "re-reading seats failed: %s", e.msg);
		t->reload = 1;
		t->reload_at = sl_db_now() + TUI_RELOAD_MS;
		return;
	}
	tui_apply_states(t, ids, states, n, "");
}

/* The relay's states of the seats of the change just before: those still
 * to re-read are applied and re-read no more (the others are ignored). */
static void
tui_relay_states(struct tui *t, const struct sl_notify_event *ev)
{
	int64_t ids[SL_NOTIFY_MAX_SEATS];
	uint8_t states[SL_NOTIFY_MAX_SEATS];
	size_t n, keep = 0;

	if (t->show == NULL || t->map == NULL)
		return;
	n = sl_notify_take_states(ev, t->pending, t->npending, &keep, ids,
	    states);
	t->npending = keep;
	if (n > 0)
		tui_apply_states(t, ids, states, n, " (from the relay)");
}

void
tui_live(struct tui *t)
{
	struct sl_notify_event ev;
	enum sl_notify_status st;
	size_t i;

	while (sl_notify_next(t->nf, &ev)) {
		switch (ev.kind) {
		case SL_NOTIFY_READY:
			sl_log(t->cfg->log, "listening%s; reloading the show",
			    sl_notify_via_relay(t->nf) ? " through the relay" :
			    "");
			if (t->relay_lost)
				tui_message(t, TUI_MSG_INFO, "%s - map reloaded",
				    sl_notify_via_relay(t->nf) ?
				    "Live again through the relay" :
				    "Relay gone - listening directly");
			t->relay_lost = 0;
			t->lost = 0;
			t->reload = 1;
			t->reload_at = 0;
			break;
		case SL_NOTIFY_LOST:
			sl_log(t->cfg->log, "listener lost: %s",
			    sl_notify_error(t->nf));
			if (sl_notify_relay_lost(t->nf)) {
				t->relay_lost = 1;
				tui_message(t, TUI_MSG_ERR, "relay lost - "
				    "reconnecting; the map will reload");
			}
			t->lost = 1;
			t->stale = 1;
			t->dirty = 1;
			break;
		case SL_NOTIFY_CHANGE:
			if (ev.reload) {
				if (ev.gap && sl_log_limit(t->cfg->log,
				    &t->gap_lim, "gap lines"))
					sl_log(t->cfg->log,
					    "gap in the change sequence "
					    "(got %" PRId64 "); reloading",
					    ev.seq);
				t->reload = 1;
				t->reload_at = 0;
				break;
			}
			for (i = 0; i < ev.nseats; i++) {
				if (t->npending >= SL_NOTIFY_MAX_SEATS) {
					t->reload = 1;
					t->reload_at = 0;
					break;
				}
				t->pending[t->npending++] = ev.seats[i];
			}
			break;
		case SL_NOTIFY_STATES:
			tui_relay_states(t, &ev);
			break;
		}
	}
	sl_log_limit_flush(t->cfg->log, &t->gap_lim, "gap lines");
	sl_log_limit_flush(t->cfg->log, &t->read_lim, "re-read lines");
	st = sl_notify_status(t->nf);
	if (st != t->conn) {
		t->conn = st;
		if (st != SL_NOTIFY_UP)
			t->stale = 1;
		tui_broadcast(t, TUI_EV_CONN);
	}
	if (t->show == NULL)
		return;
	if (t->reload) {
		/* While the listener is down the server most likely is too:
		 * READY will ask again. */
		if (t->conn == SL_NOTIFY_UP && sl_db_now() >= t->reload_at)
			tui_reload_now(t);
	} else if (t->npending > 0)
		tui_read_pending(t);
}

void
tui_beat(struct tui *t)
{
	int64_t now = sl_db_now(), age;
	struct sl_err e;
	int was = t->notlive;

	if (t->show == NULL || now < t->beat_at)
		return;
	t->beat_at = now + TUI_BEAT_MS;
	/* Read from the tables, never from a NOTIFY (anyone may send one):
	 * by the host's relay for all its box offices when it tells it
	 * (sl_notify_beat), else here. */
	if (!sl_notify_beat(t->nf, &age) &&
	    sl_notifier_beat_age(t->db, &age, &e) != SL_OK) {
		if (!t->beat_err)
			sl_log(t->cfg->log, "cannot read the notifier's "
			    "heartbeat: %s", e.msg);
		t->beat_err = 1;
		return;
	}
	t->beat_err = 0;
	t->notlive = age < 0 || age > TUI_NOTLIVE_MS;
	if (t->notlive != was) {
		if (t->notlive)
			sl_log(t->cfg->log, "not live: no notifier has beaten "
			    "(%" PRId64 " ms); reloading the map every %d s",
			    age, TUI_NOTLIVE_RELOAD_MS / 1000);
		else
			sl_log(t->cfg->log, "live again (the notifier beat %"
			    PRId64 " ms ago); reloading once", age);
		t->dirty = 1;
	} else if (!t->notlive || now < t->notlive_at)
		return;
	t->notlive_at = now + TUI_NOTLIVE_RELOAD_MS;
	t->reload = 1;
	t->reload_at = 0;
}

int
tui_open_show(struct tui *t, int64_t id)
{
	struct sl_show *show;
	struct sl_seats *s;
	struct sl_err e;
	enum sl_rc rc;
	int64_t t0 = sl_db_now();

	rc = sl_show_get(t->db, id, &show, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_show_get(t->db, id, &show, &e);
	if (rc != SL_OK) {
		tui_message(t, TUI_MSG_ERR, "cannot open show %" PRId64 ": %s",
		    id, e.msg);
		return -1;
	}
	rc = sl_show_seats(t->db, id, &s, &e);
	if (rc != SL_OK) {
		sl_show_list_free(show, 1);
		tui_message(t, TUI_MSG_ERR, "cannot open show %" PRId64 ": %s",
		    id, e.msg);
		return -1;
	}
	tui_close_show(t);
	t->show = show;
	tui_rebuild_map(t, s);
	sl_seats_shed(s);	/* the map has the seats */
	t->seats = s;
	tui_holds_refresh(t);
	if (t->map == NULL) {
		tui_close_show(t);
		return -1;
	}
#ifdef __GLIBC__
	/* The rows read and freed stay in the heap otherwise: a stadium's
	 * are megabytes a kiosk never uses again. */
	malloc_trim(0);
#endif
	sl_log(t->cfg->log,
	    "opened show %" PRId64 ": %zu seats, map in %" PRId64 " ms", id,
	    sl_seatmap_nseats(t->map), sl_db_now() - t0);
	/* What was read before LISTEN is provisional: READY reloads. */
	t->stale = 1;
	sl_notify_listen(t->nf, id);
	t->conn = sl_notify_status(t->nf);
	memset(&t->mv, 0, sizeof t->mv);
	tui_push(t, TUI_MAP);
	return 0;
}

void
tui_close_show(struct tui *t)
{
	/* Leaving the map, quitting, a signal: the hold goes first; an
	 * override of the on-sale window ends with the show. */
	if (t->db != NULL) {
		tui_hold_release(t, "leaving the show");
		sl_db_set_override(t->db, 0);
	}
	if (t->nf != NULL)
		sl_notify_listen(t->nf, 0);
	sl_seatmap_free(t->map);
	t->map = NULL;
	sl_show_list_free(t->show, 1);
	t->show = NULL;
	sl_seats_free(t->seats);
	t->seats = NULL;
	sl_hold_list_free(t->holds, t->nholds);
	t->holds = NULL;
	t->nholds = 0;
	t->npending = 0;
	t->reload = 0;
	free(t->mv.rowline);
	t->mv.rowline = NULL;
	t->mv.nrowline = 0;
}

void
tui_request_quit(struct tui *t, int leave_only)
{
	if (t->map != NULL && sl_seatmap_nselected(t->map) > 0) {
		if (tui_top(t) == TUI_QUIT) {
			t->quit = !leave_only;	/* asked twice */
			return;
		}
		t->quit_leaves = leave_only;
		tui_push(t, TUI_QUIT);
		return;
	}
	if (!leave_only) {
		t->quit = 1;
		return;
	}
	tui_close_show(t);
	tui_pop_to(t, TUI_SHOWS);
	if (t->screens[TUI_SHOWS]->enter != NULL)
		t->screens[TUI_SHOWS]->enter(t);
}

void
tui_explain_failure(struct tui *t, const struct sl_err *e, char *buf,
    size_t bufsz)
{
	if (strcmp(e->sqlstate, SL_SQLSTATE_OFF_SALE) == 0) {
		/* Not on sale (yet, or any more): the message says when. */
		snprintf(buf, bufsz, "%s - nothing was booked", e->msg);
		return;
	}
	switch (e->rc) {
	case SL_ECONFLICT: {
		char labels[SL_ERR_DETAIL], *tok, *save = NULL;
		const char *what = NULL;
		int n = 0;

		snprintf(labels, sizeof labels, "%s", e->detail);
		for (tok = strtok_r(labels, " ", &save); tok != NULL;
		    tok = strtok_r(NULL, " ", &save)) {
			long i = t->map != NULL ? sl_seatmap_find(t->map, tok) :
			    -1;
			const char *w = "taken";

			if (i >= 0) {
				uint8_t st = sl_seatmap_seat(t->map,
				    (size_t)i)->state;

				w = st == SL_SEAT_BOOKED ? "sold" :
				    st == SL_SEAT_HELD ? "held" :
				    st == SL_SEAT_BLOCKED ? "blocked" : "taken";
			}
			what = what == NULL || strcmp(what, w) == 0 ? w :
			    "taken";
			n++;
		}
		if (n == 0)
			snprintf(buf, bufsz, "A seat was just sold at another "
			    "terminal - nothing was booked; pick again");
		else
			snprintf(buf, bufsz, "%s %s just %s at another terminal "
			    "- nothing was booked; pick %s", e->detail,
			    n == 1 ? "was" : "were", what,
			    n == 1 ? "another seat" : "other seats");
		return;
	}
	case SL_EBUSY:
	case SL_ERETRY:
		snprintf(buf, bufsz, "A seat is being sold at another terminal "
		    "right now - nothing was booked; press Enter to try again");
		return;
	case SL_ECONN:
		snprintf(buf, bufsz, "No answer from the database - the sale "
		    "is not confirmed; press Enter to try again (it never "
		    "books twice)");
		return;
	case SL_ENOTFOUND:
		snprintf(buf, bufsz, "%s - nothing was booked", e->msg);
		return;
	case SL_EINVAL:
		snprintf(buf, bufsz, "%s - nothing was booked", e->msg);
		return;
	case SL_OK:
	case SL_ENOMEM:
	case SL_EDB:
	case SL_ECONFIG:
	case SL_EIO:
		break;
	}
	snprintf(buf, bufsz, "Database error: %s - nothing was booked",
	    e->msg);
}

void
tui_hold_expired(struct tui *t)
{
	size_t idx[8], n, i;
	char labels[128] = "";
	int elsewhere;

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
	/* Before its time: it ended at another terminal (only a supervisor
	 * may end another's hold), not by running out. */
	elsewhere = sl_db_now() < t->hold_until - 2000;
	/* Ends it in the database too (it is free already for a sale). */
	tui_hold_release(t, "expired");
	if (tui_top(t) == TUI_CUSTOMER || tui_top(t) == TUI_CONFIRM ||
	    (tui_top(t) == TUI_PAY && t->sale.sale == 0 && !t->sale.done))
		tui_pop_to(t, TUI_MAP);
	if (elsewhere)
		tui_message(t, TUI_MSG_ERR, "Your hold on %s was released at "
		    "another terminal; select the seats again", n > 0 ?
		    labels : "the seats");
	else
		tui_message(t, TUI_MSG_ERR, "Your hold on %s ran out - removed "
		    "from your selection; select the seats again", n > 0 ?
		    labels : "the seats");
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
