/*
 * scr_confirm.c - the last look before selling: show, seats (best
 * available's too: held before this screen), each seat's price type and
 * price (the clerk changes them with the keys), a comp, discount or
 * voucher, the total, the customer (or a walk-up).  Enter goes on to the
 * payment screen, or sells at once when nothing is due.
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "sl_money.h"
#include "boxoffice/tui.h"

/* Lines of the box besides the seat lines. */
#define CONFIRM_FIXED	13

static void
confirm_enter(struct tui *t)
{
	tui_sale_begin(t);
}

/* One line per seat: label, zone, price type, price (a window around the
 * seat the keys change). */
static void
confirm_seat_lines(struct tui *t, int y, int x, int w, int lines)
{
	const struct tui_sale *s = &t->sale;
	size_t i, top;
	char money[64];

	top = s->cur >= (size_t)lines ? s->cur - (size_t)lines + 1 : 0;
	for (i = top; i < s->n && i < top + (size_t)lines; i++, y++) {
		const struct sl_zone *z = tui_seat_zone(t, s->map[i]);
		const struct sl_price *p = tui_sale_type(t, i);
		int attr = i == s->cur && s->n > 1 ? tui_attr(TR_HILITE) :
		    (int)A_NORMAL;

		tui_money(t, tui_sale_price(t, i), money, sizeof money);
		tui_hline(y, x - 2, w + 2, attr);
		if (i == s->cur && s->n > 1)
			tui_text(t, y, x - 2, 2, ">", attr);
		tui_textf(t, y, x, 10, tui_attr(TR_SELECTED) | attr, "%s",
		    sl_seatmap_seat(t->map, s->map[i])->label);
		tui_textf(t, y, x + 10, 12, attr, "%s%s",
		    z != NULL ? "zone " : "no zone", z != NULL ? z->code : "");
		if (p != NULL)
			tui_text(t, y, x + 22, w - 40, p->name, attr);
		tui_textf(t, y, x + w - 16, 16, attr, "%16s", money);
	}
}

/* The comp, discount or voucher, the total and what is due. */
static void
confirm_sums(struct tui *t, int y, int x, int w)
{
	const struct tui_sale *s = &t->sale;
	char money[64], what[200] = "";

	tui_money(t, -tui_sale_off(t), money, sizeof money);
	if (s->red == 'c')
		snprintf(what, sizeof what, "Comp: %.100s", s->reason);
	else if (s->red == 'd')
		snprintf(what, sizeof what, "Discount: %.100s", s->reason);
	else if (s->red == 'v' && s->vpercent > 0)
		snprintf(what, sizeof what, "Voucher %s (%d%%)", s->voucher,
		    s->vpercent);
	else if (s->red == 'v')
		snprintf(what, sizeof what, "Voucher %s", s->voucher);
	if (what[0] != '\0') {
		tui_text(t, y, x, w - 16, what, A_NORMAL);
		tui_textf(t, y, x + w - 16, 16, A_NORMAL, "%16s", money);
	}
	tui_money(t, tui_sale_due(t), money, sizeof money);
	tui_textf(t, y + 1, x, w - 16, A_BOLD, "Total (%zu seat%s)", s->n,
	    s->n == 1 ? "" : "s");
	tui_textf(t, y + 1, x + w - 16, 16, A_BOLD, "%16s", money);
}

static const char *
confirm_ask_label(enum tui_ask a)
{
	switch (a) {
	case TUI_ASK_COMP:
		return "Comp - reason: ";
	case TUI_ASK_DISC:
		return "Discount - amount: ";
	case TUI_ASK_DREASON:
		return "Discount - reason: ";
	case TUI_ASK_AUTH:
		return "Supervisor's code (Enter: none): ";
	case TUI_ASK_VOUCHER:
		return "Voucher code: ";
	default:
		return "";
	}
}

/* The prompt, an error, or the keys. */
static void
confirm_bottom(struct tui *t, int y, int x, int w)
{
	struct tui_sale *s = &t->sale;
	int lw;

	if (s->error[0] != '\0')
		tui_text(t, y, x, w, s->error, tui_attr(TR_MSG_ERR));
	if (s->ask != TUI_ASK_NONE) {
		lw = tui_text(t, y + 1, x, w, confirm_ask_label(s->ask), A_BOLD);
		tui_text(t, y + 3, x, w, "Enter: done    Esc: never mind",
		    A_BOLD);
		tui_field_draw(t, &s->f, y + 1, x + lw, w - lw, 1);
		return;
	}
	tui_text(t, y + 1, x, w, s->n > 1 ? "Up/Down seat  Left/Right price "
	    "type  a: all this type" : "Left/Right: price type", A_NORMAL);
	tui_text(t, y + 2, x, w, "c: comp (free)  d: discount  v: voucher",
	    A_NORMAL);
	tui_text(t, y + 3, x, w, tui_sale_due(t) > 0 ? (t->best_n > 0 ?
	    "Enter or y: payment    Esc or n: let these seats go" :
	    "Enter or y: payment    Esc or n: back") : (t->best_n > 0 ?
	    "Enter or y: sell    Esc or n: let these seats go" :
	    "Enter or y: sell    Esc or n: back"), A_BOLD);
}

/* "B4 B5 B6 (3, best available in zone A)" */
static void
confirm_seat_list(struct tui *t, int y, int x, int w)
{
	char seats[1024] = "";
	size_t k;

	for (k = 0; k < t->sale.n && strlen(seats) + SL_LABEL_MAX + 8 <
	    sizeof seats; k++) {
		if (k > 0)
			strcat(seats, " ");
		strcat(seats, sl_seatmap_seat(t->map, t->sale.map[k])->label);
	}
	tui_textf(t, y, x, w, tui_attr(TR_SELECTED), "%s (%zu%s%s%s)", seats,
	    t->sale.n, t->best_n > 0 ? ", best available" : "",
	    t->best_n > 0 && t->best_zone[0] != '\0' ? " in zone " : "",
	    t->best_n > 0 ? t->best_zone : "");
}

static void
confirm_draw(struct tui *t)
{
	char when[48], clock[32];
	int w = t->cols - 4 > 76 ? 76 : t->cols - 4, h, lines;
	int y, x = (t->cols - w) / 2, yy;

	if (t->map == NULL || t->show == NULL)
		return;
	lines = t->rows - 2 - CONFIRM_FIXED;
	if (lines < 1)
		lines = 1;
	if ((int)t->sale.n < lines)
		lines = t->sale.n > 0 ? (int)t->sale.n : 1;
	h = CONFIRM_FIXED + lines;
	y = (t->rows - 1 - h) / 2;
	if (y < 1)
		y = 1;
	tui_when(t->show->starts_at, when, sizeof when);
	tui_box(t, y, x, h, w, "Confirm the sale");
	yy = y + 1;
	tui_text(t, yy, x + 2, 10, "Show:", A_BOLD);
	tui_textf(t, yy++, x + 12, w - 14, A_NORMAL, "%s - %s, %s",
	    t->show->title, when, t->show->venue);
	tui_text(t, yy, x + 2, 10, "Seats:", A_BOLD);
	confirm_seat_list(t, yy++, x + 12, w - 14);
	confirm_seat_lines(t, yy, x + 4, w - 6, lines);
	yy += lines;
	confirm_sums(t, yy, x + 4, w - 6);
	yy += 2;
	tui_text(t, yy, x + 2, 10, "Customer:", A_BOLD);
	if (t->cust_id != 0)
		tui_textf(t, yy++, x + 12, w - 14, A_NORMAL, "%s <%s>",
		    t->cust_name, t->cust_email);
	else
		tui_text(t, yy++, x + 12, w - 14, "walk-up (no customer)",
		    A_NORMAL);
	if (t->hold_id != 0) {
		tui_hold_clock(t, clock, sizeof clock);
		tui_textf(t, yy, x + 2, w - 4, A_NORMAL, "Held for you for "
		    "%s more", clock);
	}
	confirm_bottom(t, y + h - 6, x + 2, w - 4);
	tui_draw_status(t, t->best_n > 0 ? "Enter pay/sell  Esc let go  "
	    "? help" : "Enter pay/sell  Esc back  ? help");
}

/* ---- the prompt: comp, discount, voucher, supervisor's code ----------- */

static void
confirm_ask(struct tui *t, enum tui_ask a)
{
	t->sale.ask = a;
	t->sale.error[0] = '\0';
	tui_field_init(&t->sale.f, a == TUI_ASK_DISC ? 16 : a ==
	    TUI_ASK_AUTH ? SL_AUTH_MAX : a == TUI_ASK_VOUCHER ? 32 : 120);
}

/* Enter on the prompt: what was typed takes effect, or the next question
 * comes.  An empty reason or code takes the comp, discount or voucher
 * away. */
static void
confirm_answer(struct tui *t)
{
	struct tui_sale *s = &t->sale;
	enum tui_ask a = s->ask;
	struct sl_err e;
	int64_t cents;

	s->ask = TUI_ASK_NONE;
	if (a != TUI_ASK_AUTH && a != TUI_ASK_DREASON && s->f.len == 0) {
		s->red = 0;
		return;
	}
	switch (a) {
	case TUI_ASK_COMP:
		s->red = 'c';
		snprintf(s->reason, sizeof s->reason, "%.*s",
		    (int)sizeof s->reason - 1, s->f.buf);
		confirm_ask(t, TUI_ASK_AUTH);
		break;
	case TUI_ASK_DISC:
		if (sl_money_parse(s->f.buf, "the discount", &cents, &e) !=
		    SL_OK) {
			snprintf(s->error, sizeof s->error, "%s", e.msg);
			return;
		}
		if (cents <= 0) {
			snprintf(s->error, sizeof s->error, "A discount is "
			    "more than 0.00");
			return;
		}
		s->disc_cents = cents;
		confirm_ask(t, TUI_ASK_DREASON);
		break;
	case TUI_ASK_DREASON:
		if (s->f.len == 0) {
			snprintf(s->error, sizeof s->error, "A discount needs "
			    "a reason");
			confirm_ask(t, TUI_ASK_DREASON);
			break;
		}
		s->red = 'd';
		snprintf(s->reason, sizeof s->reason, "%.*s",
		    (int)sizeof s->reason - 1, s->f.buf);
		confirm_ask(t, TUI_ASK_AUTH);
		break;
	case TUI_ASK_AUTH:
		snprintf(s->auth, sizeof s->auth, "%.*s",
		    (int)sizeof s->auth - 1, s->f.buf);
		break;
	case TUI_ASK_VOUCHER:
		s->red = 0;
		sl_err_clear(&e);
		if (tui_sale_voucher(t, s->f.buf, &e) != SL_OK)
			snprintf(s->error, sizeof s->error, "%s", e.msg);
		break;
	default:
		break;
	}
}

static int
confirm_ask_key(struct tui *t, const struct tui_key *k)
{
	if (tui_key_enter(k))
		confirm_answer(t);
	else if (tui_key_esc(k))
		t->sale.ask = TUI_ASK_NONE;
	else if (!tui_field_key(&t->sale.f, k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

/* ---- the keys --------------------------------------------------------- */

static void
confirm_go(struct tui *t)
{
	t->sale.error[0] = '\0';
	if (tui_sale_due(t) > 0) {
		t->sale.npay = 0;
		t->sale.m = 0;
		t->sale.done = 0;
		tui_field_init(&t->sale.amount, 16);
		tui_push(t, TUI_PAY);
		return;
	}
	tui_message(t, TUI_MSG_INFO, "Selling...");
	t->action = TUI_ACT_BOOK;
}

static void
confirm_back(struct tui *t)
{
	if (t->best_n > 0)
		tui_best_let_go(t);
	else
		tui_pop(t);
}

static void
confirm_up(struct tui *t)
{
	if (t->sale.cur > 0)
		t->sale.cur--;
}

static void
confirm_down(struct tui *t)
{
	if (t->sale.cur + 1 < t->sale.n)
		t->sale.cur++;
}

static void
confirm_next_type(struct tui *t)
{
	tui_sale_cycle(t, t->sale.cur, 1);
}

static void
confirm_prev_type(struct tui *t)
{
	tui_sale_cycle(t, t->sale.cur, -1);
}

static void
confirm_all(struct tui *t)
{
	tui_sale_all(t, t->sale.cur);
}

static void
confirm_comp(struct tui *t)
{
	confirm_ask(t, TUI_ASK_COMP);
}

static void
confirm_discount(struct tui *t)
{
	confirm_ask(t, TUI_ASK_DISC);
}

static void
confirm_voucher(struct tui *t)
{
	confirm_ask(t, TUI_ASK_VOUCHER);
}

static const struct tui_binding confirm_keys[] = {
	{ 0, '\n', confirm_go },	{ 0, '\r', confirm_go },
	{ 1, KEY_ENTER, confirm_go },
	{ 0, 'y', confirm_go },		{ 0, 'Y', confirm_go },
	{ 0, 0x1b, confirm_back },
	{ 0, 'n', confirm_back },	{ 0, 'N', confirm_back },
	{ 1, KEY_UP, confirm_up },	{ 0, 'k', confirm_up },
	{ 1, KEY_DOWN, confirm_down },	{ 0, 'j', confirm_down },
	{ 1, KEY_RIGHT, confirm_next_type }, { 0, 'l', confirm_next_type },
	{ 0, 't', confirm_next_type },
	{ 1, KEY_LEFT, confirm_prev_type }, { 0, 'h', confirm_prev_type },
	{ 0, 'a', confirm_all },
	{ 0, 'c', confirm_comp },
	{ 0, 'd', confirm_discount },
	{ 0, 'v', confirm_voucher },
	{ 0, 0, NULL }
};

static int
confirm_key(struct tui *t, const struct tui_key *k)
{
	if (t->sale.ask != TUI_ASK_NONE)
		return confirm_ask_key(t, k);
	if (tui_bindings_run(t, confirm_keys, k))
		return TUI_DIRTY;
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
