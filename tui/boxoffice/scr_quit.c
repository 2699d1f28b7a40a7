/*
 * scr_quit.c - "seats are selected: quit anyway?"
 */
#include <curses.h>

#include "boxoffice/tui.h"

static void
quit_enter(struct tui *t)
{
	(void)t;
}

static void
quit_draw(struct tui *t)
{
	int w = t->cols - 8 > 60 ? 60 : t->cols - 8, h = 7;
	int y = (t->rows - h) / 2, x = (t->cols - w) / 2;
	size_t n = t->map != NULL ? sl_seatmap_nselected(t->map) : 0;

	tui_box(t, y, x, h, w, t->quit_leaves ? "Leave this show?" : "Quit?");
	tui_textf(t, y + 2, x + 2, w - 4, A_BOLD, "%zu seat%s selected and "
	    "not sold.", n, n == 1 ? " is" : "s are");
	tui_textf(t, y + 4, x + 2, w - 4, A_NORMAL, "y: %s and drop them    "
	    "n or Esc: stay", t->quit_leaves ? "leave" : "quit");
}

static int
quit_key(struct tui *t, const struct tui_key *k)
{
	if (tui_key_is(k, 'y') || tui_key_is(k, 'Y') || tui_key_is(k, 'q')) {
		tui_pop(t);
		tui_hold_release(t, "dropped on leaving");
		tui_request_quit(t, t->quit_leaves);
	} else if (tui_key_is(k, 'n') || tui_key_is(k, 'N') || tui_key_esc(k))
		tui_pop(t);
	return TUI_DIRTY;
}

static void
quit_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

const struct tui_screen tui_scr_quit = {
	.name = "quit",
	.overlay = 1,
	.enter = quit_enter,
	.draw = quit_draw,
	.key = quit_key,
	.on_event = quit_on_event,
};
