/*
 * scr_confirm.c - the last look before selling: show, seats (best
 * available's too: held before this screen), each price, the total,
 * customer.
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

static void
confirm_enter(struct tui *t)
{
	(void)t;
}

/* One line per seat: label, zone, price; then the total. */
static int
confirm_seats(struct tui *t, int y, int x, int w, int maxlines)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;
	int64_t total = 0;
	char money[64];
	int yy = y;

	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	for (i = 0; i < n; i++) {
		const struct sl_zone *z = tui_seat_zone(t, idx[i]);
		int64_t cents = z != NULL ? z->price_cents : 0;

		total += cents;
		if ((int)i >= maxlines)
			continue;
		if ((int)i == maxlines - 1 && n > (size_t)maxlines) {
			tui_textf(t, yy++, x, w, A_NORMAL, "... and %zu more",
			    n - i);
			continue;
		}
		tui_money(t, cents, money, sizeof money);
		tui_textf(t, yy, x, 10, tui_attr(TR_SELECTED), "%s",
		    sl_seatmap_seat(t->map, idx[i])->label);
		tui_textf(t, yy, x + 10, w - 26, A_NORMAL, "%s%s",
		    z != NULL ? "zone " : "no zone",
		    z != NULL ? z->code : "");
		tui_textf(t, yy++, x + w - 16, 16, A_NORMAL, "%16s", money);
	}
	tui_money(t, total, money, sizeof money);
	tui_textf(t, yy, x, w - 16, A_BOLD, "Total (%zu seat%s)", n,
	    n == 1 ? "" : "s");
	tui_textf(t, yy++, x + w - 16, 16, A_BOLD, "%16s", money);
	return yy;
}

static void
confirm_draw(struct tui *t)
{
	char when[48], clock[32];
	size_t n;
	int w = t->cols - 8 > 72 ? 72 : t->cols - 8, h, lines;
	int y, x = (t->cols - w) / 2, yy;

	if (t->map == NULL || t->show == NULL)
		return;
	n = sl_seatmap_nselected(t->map);
	/* Room for the frame, show, seats, total, customer and keys. */
	lines = t->rows - 2 - 14;
	if (lines < 1)
		lines = 1;
	if ((int)n < lines)
		lines = (int)n;
	h = 14 + lines;
	y = (t->rows - h) / 2;
	if (y < 1)
		y = 1;
	tui_when(t->show->starts_at, when, sizeof when);
	tui_box(t, y, x, h, w, "Confirm the sale");
	yy = y + 2;
	tui_text(t, yy, x + 2, 10, "Show:", A_BOLD);
	tui_text(t, yy++, x + 12, w - 14, t->show->title, A_NORMAL);
	tui_textf(t, yy++, x + 12, w - 14, A_NORMAL, "%s, %s", when,
	    t->show->venue);
	tui_text(t, ++yy, x + 2, 10, "Seats:", A_BOLD);
	{
		size_t idx[SL_SEATMAP_MAX_SELECTION], k;
		char seats[1024] = "";

		sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
		for (k = 0; k < n && strlen(seats) + SL_LABEL_MAX + 8 <
		    sizeof seats; k++) {
			if (k > 0)
				strcat(seats, " ");
			strcat(seats, sl_seatmap_seat(t->map, idx[k])->label);
		}
		/* Best available's seats are known (held) before the sale. */
		tui_textf(t, yy++, x + 12, w - 14, tui_attr(TR_SELECTED),
		    "%s (%zu%s%s%s)", seats, n, t->best_n > 0 ?
		    ", best available" : "", t->best_n > 0 &&
		    t->best_zone[0] != '\0' ? " in zone " : "",
		    t->best_n > 0 ? t->best_zone : "");
		yy = confirm_seats(t, yy, x + 4, w - 8, lines);
	}
	tui_text(t, ++yy, x + 2, 10, "Customer:", A_BOLD);
	tui_textf(t, yy++, x + 12, w - 14, A_NORMAL, "%s <%s>", t->cust_name,
	    t->cust_email);
	if (t->hold_id != 0) {
		tui_hold_clock(t, clock, sizeof clock);
		tui_textf(t, yy, x + 2, w - 4, A_NORMAL, "Held for you for "
		    "%s more", clock);
	}
	tui_text(t, y + h - 2, x + 2, w - 4, t->best_n > 0 ? "Enter or y: "
	    "sell    Esc or n: let these seats go" : "Enter or y: sell    "
	    "Esc or n: back", A_BOLD);
	tui_draw_status(t, t->best_n > 0 ? "Enter sell  Esc let go" :
	    "Enter sell  Esc back");
}

static int
confirm_key(struct tui *t, const struct tui_key *k)
{
	if (tui_key_enter(k) || tui_key_is(k, 'y') || tui_key_is(k, 'Y')) {
		tui_message(t, TUI_MSG_INFO, "Selling...");
		t->action = TUI_ACT_BOOK;
		return TUI_DIRTY;
	}
	if ((tui_key_esc(k) || tui_key_is(k, 'n') || tui_key_is(k, 'N')) &&
	    t->best_n > 0) {
		tui_best_let_go(t);
		return TUI_DIRTY;
	}
	if (tui_key_esc(k) || tui_key_is(k, 'n') || tui_key_is(k, 'N')) {
		tui_pop(t);
		return TUI_DIRTY;
	}
	return TUI_UNHANDLED;
}

static void
confirm_on_event(struct tui *t, enum tui_event ev)
{
	if (ev == TUI_EV_STATES && t->map != NULL &&
	    sl_seatmap_nselected(t->map) == 0 && tui_top(t) == TUI_CONFIRM)
		tui_pop_to(t, TUI_MAP);
	t->dirty = 1;
}

const struct tui_screen tui_scr_confirm = {
	.name = "confirm",
	.overlay = 1,
	.enter = confirm_enter,
	.draw = confirm_draw,
	.key = confirm_key,
	.on_event = confirm_on_event,
};
