/*
 * scr_help.c - every key, one overlay; any key closes it.
 */
#include <curses.h>

#include "boxoffice/tui.h"

static const char *const help_lines[] = {
	"Seat map",
	"  arrows, h j k l   move seat to seat (across aisles and sections)",
	"  PgUp PgDn Home End  a screen up or down; first or last of the row",
	"  F12 Enter         type a seat's label (capitals, digits): selects it",
	"  A12-15 Enter      selects A12 to A15, all or none (20 at most)",
	"  g or /            go to a seat by label (any case), Enter",
	"  Space             select (holds it for you) or unselect; mouse",
	"  x                 clear the selection (frees the held seats)",
	"  Enter             sell the selection (or the seat under cursor)",
	"  b                 best available: 4 or 4 A, Enter; y sells, n lets go",
	"  c cancel (refund)   s or F6 sales report   r read map again",
	"  e or F7 exchange   p reserve the selection   o or F9 reservations",
	"  !                 supervisor: sell outside the on-sale window",
	"  Esc               back to the show list",
	"Selling: type a name, email or customer number, Up/Down, Enter;",
	"  Enter with nothing typed: a walk-up (no customer); Tab registers.",
	"Cancel, exchange: a sale or booking number, or a name; 1-9 method.",
	"Show list: filter, Enter opens, F6 report, F7 exchange, F8 cancel,",
	"  F9 reservations.",
	"Everywhere: ? or F1 help, Ctrl-L redraw, q or F10 quit;",
	"  F3 the shift (open, X report, close), F4 pay a sale by number.",
	"Seats: free, selected by you, held, sold, blocked - by colour and",
	"  by sign (see the legend); the map follows other terminals live.",
	"Confirming a sale",
	"  Up Down, j k      the seat whose price type changes",
	"  Left Right, t     its price type (adult, child...; the zone's",
	"                    default first); the total follows",
	"  a                 every seat gets this seat's type",
	"  c                 comp (free): a reason, a supervisor's code",
	"  d                 discount: amount, reason, a supervisor's code",
	"  v                 voucher code",
	"  Enter or y        on to payment (sells at once if nothing is due)",
	"Payment",
	"  Tab, Left Right   the method (cash, card...: booking.methods)",
	"  0-9 .             the amount; for cash what was tendered: the",
	"                    change shows as you type",
	"  Enter             take it (alone: all that is due); the sale is",
	"                    sold when paid in full; several: a split",
	"  u                 take back the last payment (not sent yet)",
	"  b                 no payment now: sold with a balance due",
	"  Esc               back to the confirmation",
	"  p on the receipt  print the sale's tickets (ticket.printer, else",
	"                    a PDF in the home directory); again: a reprint",
	"Shift (F3): the X report; o open (the float), z close (the cash",
	"  counted: Z report with expected, counted, over or short), r again",
	"Pay a sale (F4): its number, Enter, then as Payment; Esc back",
};

static void
help_enter(struct tui *t)
{
	t->help_page = 0;
}

static void
help_draw(struct tui *t)
{
	int n = (int)(sizeof help_lines / sizeof help_lines[0]);
	int w = t->cols - 4 > 74 ? 74 : t->cols - 4;
	int h = n + 4 > t->rows - 2 ? t->rows - 2 : n + 4;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2, i, per = h - 3;
	int pages = (n + per - 1) / per, from;

	if (t->help_page >= pages)
		t->help_page = pages - 1;
	from = t->help_page * per;
	tui_box(t, y, x, h, w, "Keys");
	for (i = 0; from + i < n && i < per; i++)
		tui_text(t, y + 1 + i, x + 2, w - 4, help_lines[from + i],
		    help_lines[from + i][0] != ' ' ? A_BOLD : (int)A_NORMAL);
	if (t->help_page + 1 < pages)
		tui_textf(t, y + h - 2, x + 2, w - 4, A_NORMAL, "Any key closes "
		    "this help; PgDn or Down: more keys (%d/%d)",
		    t->help_page + 1, pages);
	else
		tui_text(t, y + h - 2, x + 2, w - 4, "Any key closes this help.",
		    A_NORMAL);
}

static int
help_key(struct tui *t, const struct tui_key *k)
{
	int n = (int)(sizeof help_lines / sizeof help_lines[0]);
	int h = n + 4 > t->rows - 2 ? t->rows - 2 : n + 4;

	if ((tui_key_fn(k, KEY_DOWN) || tui_key_fn(k, KEY_NPAGE)) &&
	    (t->help_page + 1) * (h - 3) < n) {
		t->help_page++;
		return TUI_DIRTY;
	}
	tui_pop(t);
	if (tui_key_is(k, 'q'))
		return TUI_DIRTY;	/* q here closes help, not the program */
	return TUI_DIRTY;
}

static void
help_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

const struct tui_screen tui_scr_help = {
	.name = "help",
	.overlay = 1,
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.on_event = help_on_event,
};
