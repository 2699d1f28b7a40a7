/*
 * loop.c - the box office loop: terminal set-up and restore, signals through
 * a self-pipe, one poll() over the terminal, the listener and the pipe,
 * live updates of the open show, and the actions that talk to the database.
 */
#include <sys/ioctl.h>

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "sl_log.h"
#include "sl_notifier.h"
#include "sl_seatstate.h"
#include "sl_sell.h"
#include "boxoffice/tui.h"

#define TUI_MSG_MS	8000	/* how long a message stays */
#define TUI_ERR_MS	15000	/* an error stays longer */
#define TUI_RELOAD_MS	1000	/* retry of a failed reload */

static const struct tui_screen *const tui_screens[TUI_NSCREENS] = {
	[TUI_SHOWS] = &tui_scr_shows,
	[TUI_MAP] = &tui_scr_map,
	[TUI_CUSTOMER] = &tui_scr_customer,
	[TUI_CONFIRM] = &tui_scr_confirm,
	[TUI_CANCEL] = &tui_scr_cancel,
	[TUI_HELP] = &tui_scr_help,
	[TUI_QUIT] = &tui_scr_quit,
	[TUI_REPORT] = &tui_scr_report,
};

/* The write ends of the self-pipe and of the interrupt pipe: the one thing
 * a signal handler touches. */
static volatile int tui_sigfd = -1;
static volatile int tui_intrfd = -1;

static void
tui_on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;

	if (tui_sigfd >= 0 && write(tui_sigfd, &c, 1) < 0) {
		/* Pipe full: a signal of that kind is pending anyway. */
	}
	/* Quitting signals also end any wait for the database at once
	 * (sl_db_set_interrupt): the loop may be inside a booking that
	 * waits for a lock, a reconnect or a dead network. */
	if ((sig == SIGTERM || sig == SIGHUP) && tui_intrfd >= 0 &&
	    write(tui_intrfd, &c, 1) < 0) {
		/* Full: readable already, which is all that counts. */
	}
	errno = saved;
}

int64_t
tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum tui_scr
tui_top(const struct tui *t)
{
	return t->stack[t->depth - 1];
}

void
tui_push(struct tui *t, enum tui_scr s)
{
	if (t->depth >= (int)(sizeof t->stack / sizeof t->stack[0]))
		return;
	t->stack[t->depth++] = s;
	if (tui_screens[s]->enter != NULL)
		tui_screens[s]->enter(t);
	t->dirty = 1;
}

void
tui_pop(struct tui *t)
{
	if (t->depth > 1)
		t->depth--;
	t->dirty = 1;
}

void
tui_pop_to(struct tui *t, enum tui_scr s)
{
	int i;

	for (i = t->depth - 1; i >= 0; i--)
		if (t->stack[i] == s) {
			t->depth = i + 1;
			t->dirty = 1;
			return;
		}
}

void
tui_message(struct tui *t, enum tui_msg kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_kind = kind;
	t->msg_until = tui_now() + (kind == TUI_MSG_ERR ? TUI_ERR_MS :
	    TUI_MSG_MS);
	t->dirty = 1;
	sl_log("message: %s", t->msg);
}

/* Tells every screen on the stack. */
static void
tui_broadcast(struct tui *t, enum tui_event ev)
{
	int i;

	for (i = 0; i < t->depth; i++)
		if (tui_screens[t->stack[i]]->on_event != NULL)
			tui_screens[t->stack[i]]->on_event(t, ev);
	t->dirty = 1;
}

/* Runs a core call again once after reconnecting, if the listener says the
 * server is there (else the reconnect would only wait for a timeout). */
int
tui_db_retry(struct tui *t, enum sl_rc rc)
{
	struct sl_err e;

	if (rc != SL_ECONN || sl_notify_status(t->nf) != SL_NOTIFY_UP)
		return 0;
	sl_log("database connection lost; reconnecting");
	return sl_db_reset(t->db, &e) == SL_OK;
}

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

void
tui_reload_now(struct tui *t)
{
	struct sl_seats *s = NULL;
	struct sl_states st;
	struct sl_err e;
	size_t lost[64], nlost = 0;
	enum sl_rc rc = SL_OK;
	int have_map = 0;

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
		sl_log("reload of show %" PRId64 " failed: %s", t->show->id,
		    e.msg);
		t->reload = 1;
		t->reload_at = tui_now() + TUI_RELOAD_MS;
		t->stale = 1;
		t->dirty = 1;
		return;
	}
	/* No map yet, or its layout changed: the states did not fit it. */
	if (!have_map)
		tui_rebuild_map(t, s);
	tui_holds_refresh(t);
	/* Changes after this snapshot are notified with a later sequence;
	 * only a reload made while listening can vouch for that. */
	if (sl_notify_status(t->nf) == SL_NOTIFY_UP) {
		sl_notify_set_seq(t->nf, s->change_seq);
		t->stale = 0;
	}
	sl_log("live: reloaded show %" PRId64 " (change %" PRId64 ")",
	    t->show->id, s->change_seq);
	sl_seats_free(t->seats);
	sl_seats_shed(s);	/* the map has the seats */
	t->seats = s;	/* zones and prices */
	t->reload = 0;
	t->npending = 0;
	tui_report_lost(t, lost, nlost > 64 ? 64 : nlost);
	tui_hold_check(t, nlost);
	tui_broadcast(t, TUI_EV_STATES);
}

/* Re-reads the seats that notifications named. */
static void
tui_read_pending(struct tui *t)
{
	int64_t ids[SL_NOTIFY_MAX_SEATS];
	uint8_t states[SL_NOTIFY_MAX_SEATS];
	size_t n = 0, lost[64], nlost = 0, i;
	struct sl_err e;
	enum sl_rc rc;

	rc = sl_seatstate_read(t->db, t->show->id, t->pending, t->npending,
	    ids, states, &n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_seatstate_read(t->db, t->show->id, t->pending,
		    t->npending, ids, states, &n, &e);
	t->npending = 0;
	if (rc != SL_OK) {
		sl_log("re-reading seats failed: %s", e.msg);
		t->reload = 1;
		t->reload_at = tui_now() + TUI_RELOAD_MS;
		return;
	}
	sl_log("live: re-read %zu seat(s) of show %" PRId64, n, t->show->id);
	if (sl_seatmap_apply(t->map, ids, states, n, lost, 64, &nlost) != 0) {
		t->reload = 1;	/* seats we do not know: the venue changed */
		t->reload_at = 0;
	}
	/* Who holds a seat is not in its state: read the holds again. */
	for (i = 0; i < n; i++)
		if (states[i] == SL_SEAT_HELD || states[i] == SL_SEAT_BLOCKED) {
			tui_holds_refresh(t);
			break;
		}
	tui_report_lost(t, lost, nlost > 64 ? 64 : nlost);
	tui_hold_check(t, nlost);
	tui_broadcast(t, TUI_EV_STATES);
}

/* Drains the listener's events and brings the map up to date. */
static void
tui_live(struct tui *t)
{
	struct sl_notify_event ev;
	enum sl_notify_status st;
	size_t i;

	while (sl_notify_next(t->nf, &ev)) {
		switch (ev.kind) {
		case SL_NOTIFY_READY:
			sl_log("listening; reloading the show");
			t->lost = 0;
			t->reload = 1;
			t->reload_at = 0;
			break;
		case SL_NOTIFY_LOST:
			sl_log("listener lost: %s", sl_notify_error(t->nf));
			t->lost = 1;
			t->stale = 1;
			t->dirty = 1;
			break;
		case SL_NOTIFY_CHANGE:
			if (ev.reload) {
				if (ev.gap)
					sl_log("gap in the change sequence "
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
		}
	}
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
		if (t->conn == SL_NOTIFY_UP && tui_now() >= t->reload_at)
			tui_reload_now(t);
	} else if (t->npending > 0)
		tui_read_pending(t);
}

int
tui_open_show(struct tui *t, int64_t id)
{
	struct sl_show *show;
	struct sl_seats *s;
	struct sl_err e;
	enum sl_rc rc;
	int64_t t0 = tui_now();

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
	sl_log("opened show %" PRId64 ": %zu seats, map in %" PRId64 " ms", id,
	    sl_seatmap_nseats(t->map), tui_now() - t0);
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
	/* Leaving the map, quitting, a signal: the hold goes first. */
	if (t->db != NULL)
		tui_hold_release(t, "leaving the show");
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
	if (tui_screens[TUI_SHOWS]->enter != NULL)
		tui_screens[TUI_SHOWS]->enter(t);
}

void
tui_explain_failure(struct tui *t, const struct sl_err *e, char *buf,
    size_t bufsz)
{
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

/* Books the selection for the chosen customer: the confirm screen asked. */
static void
tui_do_book(struct tui *t)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i, nb;
	const char *labels[SL_SEATMAP_MAX_SELECTION];
	int64_t ids[SL_SEATMAP_MAX_SELECTION];
	char list[1024] = "", bids[256] = "", why[SL_ERR_MSG + 128];
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
	sl_log("book show %" PRId64 " for user %" PRId64 " (%zu seats, key "
	    "%s): %s %s", t->show->id, t->cust_id, n, t->key, sl_rc_name(rc),
	    rc == SL_OK ? "" : e.msg);
	if (rc == SL_OK) {
		int64_t got[SL_SEATMAP_MAX_SELECTION];
		uint8_t st[SL_SEATMAP_MAX_SELECTION];
		size_t ng = 0;
		char total[64];

		t->hold_id = 0;	/* sold: the hold has ended */
		t->hold_until = 0;
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
		tui_message(t, TUI_MSG_OK, "Sold %s to %s - booking %s - "
		    "total %s", list, t->cust_name, bids, total);
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

/* Best available: the core picks and books best_n adjacent seats. */
static void
tui_do_best(struct tui *t)
{
	char list[1024] = "", total[64], why[SL_ERR_MSG + 128];
	int64_t ids[64];
	uint8_t st[64];
	int64_t got[64];
	struct sl_booking *b = NULL;
	struct sl_err e;
	enum sl_rc rc;
	size_t nb = 0, i, ng = 0, nids = 0;
	long first = -1;
	char zone[SL_ZONE_MAX + 1];
	int n;

	if (t->map == NULL || t->show == NULL || t->best_n <= 0)
		return;
	sl_err_clear(&e);
	rc = sl_sell_best(t->db, t->show->id, t->best_n, t->cust_id,
	    t->best_zone[0] != '\0' ? t->best_zone : NULL, t->key, &b, &nb, &e);
	sl_log("best %d zone '%s' show %" PRId64 " for user %" PRId64
	    " (key %s): %s %s", t->best_n, t->best_zone, t->show->id,
	    t->cust_id, t->key, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc == SL_OK) {
		tui_money(t, sl_booking_total(b, nb), total, sizeof total);
		for (i = 0; i < nb; i++) {
			long k = sl_seatmap_find(t->map, b[i].label);

			if (i > 0)
				strncat(list, " ", sizeof list -
				    strlen(list) - 1);
			strncat(list, b[i].label, sizeof list -
			    strlen(list) - 1);
			if (k >= 0 && nids < 64) {
				ids[nids++] = sl_seatmap_seat(t->map,
				    (size_t)k)->id;
				if (first < 0)
					first = k;
			}
		}
		free(b);
		if (nids > 0 && sl_seatstate_read(t->db, t->show->id, ids,
		    nids, got, st, &ng, &e) == SL_OK)
			sl_seatmap_apply(t->map, got, st, ng, NULL, 0, NULL);
		else
			t->reload = 1;
		if (first >= 0)
			sl_seatmap_set_cursor(t->map, (size_t)first);
		t->best_n = 0;
		tui_pop_to(t, TUI_MAP);
		tui_message(t, TUI_MSG_OK, "Sold best available %s to %s - "
		    "total %s", list, t->cust_name, total);
		sl_db_request_key(t->key, sizeof t->key);
		tui_broadcast(t, TUI_EV_STATES);
		return;
	}
	if (rc == SL_ECONN || rc == SL_EBUSY || rc == SL_ERETRY) {
		tui_explain_failure(t, &e, why, sizeof why);
		tui_message(t, TUI_MSG_ERR, "%s", why);
		return;
	}
	n = t->best_n;
	snprintf(zone, sizeof zone, "%s", t->best_zone);
	tui_reload_now(t);
	sl_db_request_key(t->key, sizeof t->key);
	t->best_n = 0;
	tui_pop_to(t, TUI_MAP);
	if (rc == SL_ECONFLICT)
		tui_message(t, TUI_MSG_ERR, "No %d adjacent free seats%s%s - "
		    "nothing was booked", n, zone[0] ? " in zone " : "", zone);
	else {
		tui_explain_failure(t, &e, why, sizeof why);
		tui_message(t, TUI_MSG_ERR, "%s", why);
	}
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
	sl_log("cancel booking %" PRId64 " (key %s): %s %s", t->cancel_id,
	    t->cancel_key, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
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

static void
tui_draw(struct tui *t)
{
	int i, from;

	erase();
	t->cur_on = 0;
	if (!tui_too_small(t)) {
		/* From the topmost full screen up through the overlays. */
		for (from = t->depth - 1; from > 0 &&
		    tui_screens[t->stack[from]]->overlay; from--)
			;
		for (i = from; i < t->depth; i++)
			tui_screens[t->stack[i]]->draw(t);
	}
	if (t->cur_on) {
		move(t->cur_y, t->cur_x);
		curs_set(1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* SIGWINCH (from the pipe) asks the terminal its size; a KEY_RESIZE from
 * curses only takes what curses knows, since resizeterm() itself queues a
 * KEY_RESIZE and would go round forever. */
static void
tui_resize(struct tui *t, int ask)
{
	struct winsize ws;

	if (ask && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	t->rows = LINES;
	t->cols = COLS;
	clearok(curscr, TRUE);
	tui_broadcast(t, TUI_EV_RESIZE);
}

static void
tui_key(struct tui *t, const struct tui_key *k)
{
	int r;

	if (tui_key_fn(k, KEY_RESIZE)) {
		tui_resize(t, 0);
		return;
	}
	if (t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS) {
		/* Only quitting makes sense on the notice. */
		if (tui_key_is(k, 'q') || tui_key_fn(k, KEY_F(10)))
			tui_request_quit(t, 0);
		if (tui_key_is(k, 0x0c))
			clearok(curscr, TRUE);
		t->dirty = 1;
		return;
	}
	r = tui_screens[tui_top(t)]->key(t, k);
	if (r & TUI_DIRTY)
		t->dirty = 1;
	if (!(r & TUI_UNHANDLED))
		return;
	if (tui_key_is(k, 0x0c)) {			/* ^L */
		clearok(curscr, TRUE);
		t->dirty = 1;
	} else if (tui_key_fn(k, KEY_F(10)))
		tui_request_quit(t, 0);
	else if ((tui_key_is(k, '?') || tui_key_fn(k, KEY_F(1))) &&
	    tui_top(t) != TUI_HELP)
		tui_push(t, TUI_HELP);
}

static void
tui_read_keys(struct tui *t)
{
	struct tui_key k;
	wint_t ch;
	int r, n;

	/* Bounded: a paste of a thousand characters still lets the loop
	 * draw and hear the listener. */
	for (n = 0; n < 256 && !t->quit; n++) {
		r = get_wch(&ch);
		if (r == ERR)
			return;
		k.fn = r == KEY_CODE_YES;
		k.ch = ch;
		tui_key(t, &k);
	}
}

static void
tui_signals(struct tui *t, int fd)
{
	unsigned char buf[32];
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			switch (buf[i]) {
			case SIGWINCH:
				tui_resize(t, 1);
				break;
			case SIGINT:
				tui_request_quit(t, 0);
				break;
			case SIGHUP:
			case SIGTERM:
			default:
				sl_log("signal %d: exiting", buf[i]);
				t->quit = 1;
				break;
			}
		}
	}
}

/* Milliseconds to the nearest timer, or -1. */
static int
tui_timeout(struct tui *t)
{
	int64_t now = tui_now(), next = -1;
	int nt;

	if (t->msg[0] != '\0')
		next = t->msg_until;
	if (t->mv.jump[0] != '\0' && (next < 0 || t->mv.jump_until < next))
		next = t->mv.jump_until;
	if (t->reload && t->show != NULL && t->conn == SL_NOTIFY_UP &&
	    (next < 0 || t->reload_at < next))
		next = t->reload_at;
	if (t->hold_id != 0) {
		/* The countdown's next second, or the expiry itself. */
		int64_t rem = t->hold_until - now, at;

		at = rem <= 0 ? now : now + (rem % 1000 == 0 ? 1000 :
		    rem % 1000);
		if (next < 0 || at < next)
			next = at;
	}
	nt = sl_notify_timeout(t->nf);
	if (nt >= 0 && (next < 0 || now + nt < next))
		next = now + nt;
	if (next < 0)
		return -1;
	return next <= now ? 0 : next - now > 600000 ? 600000 :
	    (int)(next - now);
}

static void
tui_timers(struct tui *t)
{
	int64_t now = tui_now();

	if (t->msg[0] != '\0' && now >= t->msg_until) {
		t->msg[0] = '\0';
		t->dirty = 1;
	}
	if (t->mv.jump[0] != '\0' && now >= t->mv.jump_until) {
		t->mv.jump[0] = '\0';
		t->dirty = 1;
	}
	if (t->hold_id != 0) {
		t->dirty = 1;	/* the countdown */
		if (now >= t->hold_until)
			tui_hold_expired(t);
	}
}

static void
tui_loop(struct tui *t, int sigfd)
{
	struct pollfd pfd[3];
	int nfd, r, nffd;

	while (!t->quit) {
		if (t->dirty) {
			tui_draw(t);
			t->dirty = 0;
		}
		/* An action runs after the screen says "Booking..." */
		if (t->action != TUI_ACT_NONE) {
			enum tui_action a = t->action;

			t->action = TUI_ACT_NONE;
			if (a == TUI_ACT_BOOK)
				tui_do_book(t);
			else if (a == TUI_ACT_BEST)
				tui_do_best(t);
			else
				tui_do_cancel(t);
			t->dirty = 1;
			continue;
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = sigfd;
		pfd[1].events = POLLIN;
		nfd = 2;
		nffd = sl_notify_fd(t->nf);
		if (nffd >= 0) {
			pfd[2].fd = nffd;
			pfd[2].events = sl_notify_events(t->nf);
			nfd = 3;
		}
		pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
		r = poll(pfd, (nfds_t)nfd, tui_timeout(t));
		if (r < 0 && errno != EINTR) {
			sl_log("poll: %s", strerror(errno));
			break;
		}
		if (r < 0)
			continue;
		if (pfd[1].revents & POLLIN)
			tui_signals(t, sigfd);
		if (t->quit)
			break;
		/* Before any key: a hung-up terminal also says POLLIN (and
		 * reads nothing), which would otherwise spin this loop. */
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			sl_log("terminal gone: exiting");
			t->quit = 1;
			break;
		}
		sl_notify_handle(t->nf, nfd == 3 ? pfd[2].revents : 0);
		tui_live(t);
		if (pfd[0].revents & POLLIN)
			tui_read_keys(t);
		tui_timers(t);
	}
}

static int
tui_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcmp(cs, "UTF-8") == 0 ||
	    strcmp(cs, "utf8") == 0);
}

int
tui_run(struct sl_config *cfg, int64_t show)
{
	struct tui t;
	struct sl_err e;
	struct sigaction sa;
	SCREEN *scr = NULL;
	const char *nc;
	int pfd[2] = { -1, -1 }, ifd[2] = { -1, -1 }, saved_err = -1, quiet;
	int code = 0;

	memset(&t, 0, sizeof t);
	t.cfg = cfg;
	sl_err_clear(&e);
	if (sl_log_open(cfg->log_file, &e) != SL_OK)
		fprintf(stderr, "seatlock: %s (continuing without a log)\n",
		    e.msg);
	sl_log("box office starting (seatlock %s)", SL_VERSION);
	if (sl_db_connect(cfg, &t.db, &e) != SL_OK) {
		fprintf(stderr, "seatlock: %s\n", e.msg);
		sl_log("cannot connect: %s", e.msg);
		sl_log_close();
		return sl_rc_exit_code(e.rc);
	}
	/* Batched push needs a notifier: every box office is a candidate. */
	if (sl_notifier_auto(cfg, t.db, &t.notifier, &e) != SL_OK) {
		fprintf(stderr, "seatlock: cannot start the notifier: %s\n",
		    e.msg);
		sl_log("cannot start the notifier: %s", e.msg);
		sl_db_close(t.db);
		sl_log_close();
		return sl_rc_exit_code(e.rc);
	}
	if (t.notifier != NULL)
		sl_log("batched push: this box office may send the "
		    "notifications (one does)");
	if (sl_notify_new(cfg, &t.nf, &e) != SL_OK ||
	    pipe(pfd) != 0 || pipe(ifd) != 0) {
		fprintf(stderr, "seatlock: cannot start: %s\n",
		    e.msg[0] ? e.msg : strerror(errno));
		code = 1;
		goto out;
	}
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
	fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
	fcntl(ifd[1], F_SETFL, O_NONBLOCK);
	fcntl(ifd[0], F_SETFD, FD_CLOEXEC);
	fcntl(ifd[1], F_SETFD, FD_CLOEXEC);
	tui_sigfd = pfd[1];
	/* Never drained: once a quitting signal came, every later wait for
	 * the database gives up at once too. */
	tui_intrfd = ifd[1];
	sl_db_set_interrupt(t.db, ifd[0]);
	/* Installed before curses starts, so curses keeps its hands off
	 * them: signals become bytes in the pipe, handled by the loop. */
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	t.utf8 = tui_utf8_locale();
	nc = getenv("NO_COLOR");
	sl_db_request_key(t.key, sizeof t.key);

	/* Nothing but curses may write to the terminal: stderr goes to the
	 * log (or nowhere) while the screen is up. */
	fflush(stderr);
	saved_err = dup(STDERR_FILENO);
	quiet = open(cfg->log_file[0] != '\0' ? cfg->log_file : "/dev/null",
	    O_WRONLY | O_APPEND | O_CLOEXEC);
	if (quiet < 0)
		quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (quiet >= 0) {
		dup2(quiet, STDERR_FILENO);
		close(quiet);
	}
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		if (saved_err >= 0) {
			dup2(saved_err, STDERR_FILENO);
			close(saved_err);
			saved_err = -1;
		}
		fprintf(stderr, "seatlock: cannot use this terminal (TERM=%s)\n",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
		code = 1;
		goto out;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	t.color = has_colors() && (nc == NULL || *nc == '\0');
	t.mouse = mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL) != 0;
	mouseinterval(0);
	t.rows = LINES;
	t.cols = COLS;
	tui_draw_init(&t);
	sl_log("terminal %s, %dx%d, %s, %s", getenv("TERM") != NULL ?
	    getenv("TERM") : "?", t.cols, t.rows, t.utf8 ? "UTF-8" : "ASCII",
	    t.color ? "colour" : "no colour");

	tui_push(&t, TUI_SHOWS);
	if (show > 0)
		tui_open_show(&t, show);
	t.dirty = 1;
	tui_loop(&t, pfd[0]);

out:
	if (scr != NULL) {
		/* Every way out of the loop comes through here. */
		erase();
		refresh();
		endwin();
		delscreen(scr);
	}
	if (saved_err >= 0) {
		dup2(saved_err, STDERR_FILENO);
		close(saved_err);
	}
	tui_sigfd = -1;
	tui_intrfd = -1;
	if (pfd[0] >= 0) {
		close(pfd[0]);
		close(pfd[1]);
	}
	tui_close_show(&t);
	free(t.shows.vis);
	sl_show_list_free(t.shows.v, t.shows.n);
	sl_customer_list_free(t.cust.v, t.cust.n);
	sl_report_free(t.report);
	sl_booking_info_free(t.cancel.v, t.cancel.n);
	/* Both connections end here, telling the server: their backends go
	 * with them. */
	sl_notify_free(t.nf);
	sl_notifier_close(t.notifier);
	sl_db_close(t.db);
	if (ifd[0] >= 0) {
		close(ifd[0]);
		close(ifd[1]);
	}
	sl_log("box office closed");
	sl_log_close();
	return code;
}
