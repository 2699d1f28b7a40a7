/*
 * state.c - what every part of the box office shares and that calls
 * nothing above it: the clock, the screen stack, messages, the retry after
 * a lost connection, and reading the hold, zones and money of the open
 * show.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

#define TUI_MSG_MS	8000	/* how long a message stays */
#define TUI_ERR_MS	15000	/* an error stays longer */

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
	if (t->screens[s]->enter != NULL)
		t->screens[s]->enter(t);
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
	t->msg_until = sl_db_now() + (kind == TUI_MSG_ERR ? TUI_ERR_MS :
	    TUI_MSG_MS);
	t->dirty = 1;
	sl_log(t->cfg->log, "message: %s", t->msg);
}

void
tui_broadcast(struct tui *t, enum tui_event ev)
{
	int i;

	for (i = 0; i < t->depth; i++)
		if (t->screens[t->stack[i]]->on_event != NULL)
			t->screens[t->stack[i]]->on_event(t, ev);
	t->dirty = 1;
}

int
tui_db_retry(struct tui *t, enum sl_rc rc)
{
	struct sl_err e;

	if (rc != SL_ECONN || sl_notify_status(t->nf) != SL_NOTIFY_UP)
		return 0;
	sl_log(t->cfg->log, "database connection lost; reconnecting");
	return sl_db_reset(t->db, &e) == SL_OK;
}

int64_t
tui_hold_left(const struct tui *t)
{
	int64_t ms;

	if (t->hold_id == 0)
		return 0;
	ms = t->hold_until - sl_db_now();
	return ms <= 0 ? 0 : (ms + 999) / 1000;
}

void
tui_hold_clock(const struct tui *t, char *buf, size_t bufsz)
{
	int64_t s = tui_hold_left(t);

	snprintf(buf, bufsz, "%" PRId64 ":%02d", s / 60, (int)(s % 60));
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
