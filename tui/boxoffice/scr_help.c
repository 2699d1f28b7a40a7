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
	"  Esc               back to the show list",
	"Selling: type a name, email or customer number, Up/Down, Enter;",
	"  Tab registers a new customer; Enter or y confirms the sale.",
	"Cancel, exchange: a sale or booking number, or a name; 1-9 method.",
	"Show list: filter, Enter opens, F6 report, F7 exchange, F8 cancel,",
	"  F9 reservations.  Everywhere: ? or F1 help, Ctrl-L redraw, q quit.",
	"Seats by colour and sign (see the legend); the map follows live.",
};

static void
help_enter(struct tui *t)
{
	(void)t;
}

static void
help_draw(struct tui *t)
{
	int n = (int)(sizeof help_lines / sizeof help_lines[0]);
	int w = t->cols - 4 > 74 ? 74 : t->cols - 4;
	int h = n + 4 > t->rows - 2 ? t->rows - 2 : n + 4;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2, i;

	tui_box(t, y, x, h, w, "Keys");
	for (i = 0; i < n && i < h - 3; i++)
		tui_text(t, y + 1 + i, x + 2, w - 4, help_lines[i],
		    help_lines[i][0] != ' ' ? A_BOLD : (int)A_NORMAL);
	tui_text(t, y + h - 2, x + 2, w - 4, "Any key closes this help.",
	    A_NORMAL);
}

static int
help_key(struct tui *t, const struct tui_key *k)
{
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
