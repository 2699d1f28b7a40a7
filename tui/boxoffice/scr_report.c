/*
 * scr_report.c - the sales report of one show (sl_report_show): seats
 * sold, held, blocked and available per zone, revenue, sales per clerk.
 * Read once on entering, again on r; every figure from one snapshot.  d
 * switches to the chart of the show's sales per day of the last
 * TUI_REPORT_DAYS days (sl_report_recent, drawn by cli/chart.c as
 * `seatlock report --chart` draws it) and back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"
#include "cli/chart.h"

#define TUI_REPORT_DAYS	14

static void
report_load(struct tui *t)
{
	struct sl_report *r;
	struct sl_err e;
	enum sl_rc rc;

	t->report_err[0] = '\0';
	rc = sl_report_show(t->db, t->report_show, &r, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_report_show(t->db, t->report_show, &r, &e);
	if (rc != SL_OK) {
		snprintf(t->report_err, sizeof t->report_err,
		    "No report: %.400s", e.msg);
		return;
	}
	sl_report_free(t->report);
	t->report = r;
	if (!t->report_chart)
		return;
	json_decref(t->report_days);
	t->report_days = NULL;
	rc = sl_report_recent(t->db, t->report_show, TUI_REPORT_DAYS,
	    &t->report_days, &e);
	if (rc != SL_OK)
		snprintf(t->report_err, sizeof t->report_err,
		    "No chart: %.400s", e.msg);
}

static void
report_enter(struct tui *t)
{
	sl_report_free(t->report);
	t->report = NULL;
	t->report_chart = 0;
	report_load(t);
}

static void
report_draw_status(struct tui *t)
{
	if (t->report_err[0] != '\0')
		tui_text(t, t->rows - 2, 1, t->cols - 2, t->report_err,
		    tui_attr(TR_MSG_ERR));
	tui_draw_status(t, t->report_chart ? "d zones  r read again  Esc back" :
	    "d sales per day  r read again  Esc back");
}

/* One line of figures, columns as in the heading. */
static void
report_line(struct tui *t, int y, const char *zone, const char *name,
    const struct sl_report_line *l, int attr)
{
	char money[64];

	sl_money_format(l->revenue_cents, NULL, money, sizeof money);
	tui_text(t, y, 2, 6, zone, attr);
	tui_text(t, y, 9, 16, name, attr);
	tui_textf(t, y, 26, t->cols - 27, attr,
	    "%6" PRId64 " %6" PRId64 " %6" PRId64 " %7" PRId64 " %6" PRId64
	    " %13s", l->seats, l->sold, l->held, l->blocked, l->available,
	    money);
}

/* The chart of sales per day, under the heading of the zones' screen. */
static void
report_draw_chart(struct tui *t, int y)
{
	const json_t *tot = json_object_get(t->report_days, "total");
	char money[64];
	struct chart c;
	size_t i, first;

	tui_textf(t, y++, 2, t->cols - 4, A_BOLD, "Sales per day, last %d "
	    "days (bars: revenue)", TUI_REPORT_DAYS);
	if (chart_days(json_object_get(t->report_days, "days"), t->cols - 4,
	    &c) != 0) {
		tui_text(t, y, 2, t->cols - 4, "No chart", tui_attr(TR_MSG_ERR));
		return;
	}
	tui_text(t, y++, 2, t->cols - 4, c.head, A_NORMAL);
	/* The last days that fit, above the total and the status line. */
	first = c.n > (size_t)(t->rows - 3 - y) ?
	    c.n - (size_t)(t->rows - 3 - y) : 0;
	for (i = first; i < c.n; i++)
		tui_text(t, y++, 2, t->cols - 4, c.line[i], A_NORMAL);
	chart_free(&c);
	sl_money_format(json_integer_value(json_object_get(tot,
	    "revenue_cents")), t->report->currency, money, sizeof money);
	tui_textf(t, y, 2, t->cols - 4, A_BOLD, "%-10s  %" PRId64 " seats "
	    "sold, %s", "total", (int64_t)json_integer_value(json_object_get(
	    tot, "seats")), money);
}

static void
report_draw(struct tui *t)
{
	const struct sl_report *r = t->report;
	const struct sl_report_show *s;
	char title[512], when[48], money[64];
	size_t i;
	int y = 2;

	if (r == NULL || r->nshows == 0) {
		tui_draw_title(t, "Sales report", "");
		tui_text(t, 2, 2, t->cols - 4, t->report_err[0] != '\0' ?
		    t->report_err : "No report", tui_attr(TR_MSG_ERR));
		tui_draw_status(t, "r again  Esc back");
		return;
	}
	s = &r->show[0];
	tui_when(s->starts_at, when, sizeof when);
	snprintf(title, sizeof title, "Sales report: %s %s %s %s %s",
	    s->title, t->utf8 ? "\xc2\xb7" : "-", when,
	    t->utf8 ? "\xc2\xb7" : "-", s->venue);
	tui_draw_title(t, title, r->currency);
	if (t->report_chart && t->report_days != NULL) {
		report_draw_chart(t, y);
		report_draw_status(t);
		return;
	}
	tui_textf(t, y++, 2, t->cols - 4, A_BOLD, "%-6s %-16s %6s %6s %6s "
	    "%7s %6s %13s", "Zone", "Name", "Seats", "Sold", "Held",
	    "Blocked", "Free", "Revenue");
	for (i = 0; i < s->nzones && y < t->rows - 8; i++) {
		const struct sl_report_line *l = &r->zone[s->first + i];

		report_line(t, y++, l->zone[0] != '\0' ? l->zone : "-",
		    l->zone_name != NULL ? l->zone_name : "(no zone)", l,
		    A_NORMAL);
	}
	report_line(t, y++, "", "Total", &s->total, A_BOLD);
	y++;
	tui_text(t, y++, 2, t->cols - 4, "Sales by clerk (seats still sold)",
	    A_BOLD);
	if (r->nclerks == 0)
		tui_text(t, y++, 4, t->cols - 6, "No sales yet", A_NORMAL);
	for (i = 0; i < r->nclerks && y < t->rows - 2; i++) {
		const struct sl_report_clerk *c = &r->clerk[i];

		sl_money_format(c->revenue_cents, r->currency, money,
		    sizeof money);
		tui_textf(t, y++, 4, t->cols - 6, A_NORMAL, "%-20.20s "
		    "%-20.20s %6" PRId64 " seats %16s", c->actor,
		    c->terminal[0] != '\0' ? c->terminal : "-", c->sold,
		    money);
	}
	report_draw_status(t);
}

static int
report_key(struct tui *t, const struct tui_key *k)
{
	if (tui_key_esc(k) || tui_key_is(k, 'q') || tui_key_fn(k, KEY_F(6)) ||
	    tui_key_is(k, 's'))
		tui_pop(t);
	else if (tui_key_is(k, 'r') || tui_key_fn(k, KEY_F(5)))
		report_load(t);
	else if (tui_key_is(k, 'd')) {
		t->report_chart = !t->report_chart;
		report_load(t);
	}
	else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
report_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

const struct tui_screen tui_scr_report = {
	.name = "report",
	.overlay = 0,
	.enter = report_enter,
	.draw = report_draw,
	.key = report_key,
	.on_event = report_on_event,
};
