/*
 * scr_confirm.c - the last look before selling: show, seats, customer.
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "tui.h"

static void
confirm_enter(struct tui *t)
{
	(void)t;
}

static void
confirm_draw(struct tui *t)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;
	char seats[1024] = "", when[48];
	int w = t->cols - 8 > 72 ? 72 : t->cols - 8, h = 12;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2, yy;

	if (t->map == NULL || t->show == NULL)
		return;
	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	for (i = 0; i < n && strlen(seats) + SL_LABEL_MAX + 8 < sizeof seats;
	    i++) {
		if (i > 0)
			strcat(seats, " ");
		strcat(seats, sl_seatmap_seat(t->map, idx[i])->label);
	}
	tui_when(t->show->starts_at, when, sizeof when);
	tui_box(t, y, x, h, w, "Confirm the sale");
	yy = y + 2;
	tui_text(t, yy, x + 2, 10, "Show:", A_BOLD);
	tui_text(t, yy++, x + 12, w - 14, t->show->title, A_NORMAL);
	tui_textf(t, yy++, x + 12, w - 14, A_NORMAL, "%s, %s", when,
	    t->show->venue);
	tui_text(t, ++yy, x + 2, 10, "Seats:", A_BOLD);
	tui_textf(t, yy++, x + 12, w - 14, tui_attr(TR_SELECTED), "%s (%zu)",
	    seats, n);
	tui_text(t, ++yy, x + 2, 10, "Customer:", A_BOLD);
	tui_textf(t, yy++, x + 12, w - 14, A_NORMAL, "%s <%s>", t->cust_name,
	    t->cust_email);
	tui_text(t, y + h - 2, x + 2, w - 4, "Enter or y: sell    "
	    "Esc or n: back", A_BOLD);
	tui_draw_status(t, "Enter sell  Esc back");
}

static int
confirm_key(struct tui *t, const struct tui_key *k)
{
	if (tui_key_enter(k) || tui_key_is(k, 'y') || tui_key_is(k, 'Y')) {
		tui_message(t, TUI_MSG_INFO, "Selling...");
		t->action = TUI_ACT_BOOK;
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
	"confirm", 1, confirm_enter, confirm_draw, confirm_key,
	confirm_on_event
};
