/*
 * scr_pay.c - payment: after the confirmation, the clerk takes the sale's
 * payments (a method of booking.methods; for cash the amount tendered and
 * the change; several methods make a split payment) and the sale is sent
 * with them in one call once they cover what is due, or left with a
 * balance due (`b`).  The same screen pays an existing sale by its number
 * (F4, tui_pay_sale: each payment sent at once) and shows the receipt:
 * the sale's number, total, paid, change.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "sl_log.h"
#include "sl_money.h"
#include "boxoffice/tui.h"

#define PAY_W	64

/* Reads sale's sums into the payment state; -1 (and a message) if it
 * cannot be read. */
static int
pay_load(struct tui *t, int64_t sale)
{
	struct tui_sale *s = &t->sale;
	json_t *doc;

	/* tui_sale_doc (find.c) says what went wrong on the message line. */
	if ((doc = tui_sale_doc(t, sale)) == NULL) {
		snprintf(s->error, sizeof s->error, "%s", t->msg);
		return -1;
	}
	s->sale = sale;
	s->sale_total = json_integer_value(json_object_get(doc, "total_cents"));
	s->sale_due = json_integer_value(json_object_get(doc, "due_cents"));
	s->r_sale = sale;
	s->r_total = s->sale_total;
	s->r_paid = json_integer_value(json_object_get(doc, "paid_cents"));
	s->r_change = json_integer_value(json_object_get(doc, "change_cents"));
	s->r_due = s->sale_due;
	json_decref(doc);
	return 0;
}

int
tui_pay_sale(struct tui *t, int64_t sale)
{
	struct tui_sale *s = &t->sale;

	tui_sale_end(t);
	tui_field_init(&s->f, 18);
	tui_field_init(&s->amount, 16);
	if (pay_load(t, sale) != 0)
		return -1;
	if (s->sale_due <= 0) {
		tui_message(t, TUI_MSG_INFO, "Sale %" PRId64 " has nothing due "
		    "(paid in full)", sale);
		s->sale = 0;
		return -1;
	}
	if (tui_top(t) != TUI_PAY)
		tui_push(t, TUI_PAY);
	return 0;
}

/* ---- drawing ---------------------------------------------------------- */

static void
pay_draw_receipt(struct tui *t, int y, int x, int w)
{
	const struct tui_sale *s = &t->sale;
	char title[64];

	snprintf(title, sizeof title, "Receipt - sale %" PRId64, s->r_sale);
	tui_box(t, y, x, 11, w, title);
	tui_textf(t, y + 2, x + 2, w - 4, A_BOLD, "Sale number %" PRId64
	    " (read it to the customer)", s->r_sale);
	tui_money_line(t, y + 4, x + 2, w - 4, "Total", s->r_total, A_NORMAL);
	tui_money_line(t, y + 5, x + 2, w - 4, "Paid", s->r_paid, A_NORMAL);
	tui_money_line(t, y + 6, x + 2, w - 4, "Change", s->r_change, A_BOLD);
	if (s->r_due > 0)
		tui_money_line(t, y + 7, x + 2, w - 4, "Still due", s->r_due,
		    A_BOLD);
	tui_text(t, y + 9, x + 2, w - 4, "p: print the tickets (again: a "
	    "reprint)   other keys: back", A_NORMAL);
	tui_draw_status(t, "p print tickets  any key back");
}

/* The methods, the one offered in brackets. */
static void
pay_draw_methods(struct tui *t, int y, int x, int w)
{
	char buf[SL_METHOD_MAX + 1], line[256] = "";
	const char *m;
	int i;

	for (i = 0; (m = tui_method(t, i, buf, sizeof buf)) != NULL &&
	    strlen(line) + strlen(m) + 4 < sizeof line; i++)
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    i == t->sale.m ? "[%s] " : " %s  ", m);
	tui_text(t, y, x, 10, "Method:", A_BOLD);
	tui_text(t, y, x + 10, w - 10, line, A_NORMAL);
}

/* The payments taken so far, on one line. */
static void
pay_draw_parts(struct tui *t, int y, int x, int w)
{
	const struct tui_sale *s = &t->sale;
	char line[256] = "", money[64];
	size_t i;

	for (i = 0; i < s->npay; i++) {
		sl_money_format(s->cents[i], NULL, money, sizeof money);
		snprintf(line + strlen(line), sizeof line - strlen(line),
		    "%s%s %s", i > 0 ? ", " : "", s->method[i], money);
	}
	tui_text(t, y, x, 10, "Taken:", A_BOLD);
	tui_text(t, y, x + 10, w - 10, s->npay > 0 ? line : "nothing yet",
	    A_NORMAL);
}

static void
pay_draw_take(struct tui *t, int y, int x, int w)
{
	const struct tui_sale *s = &t->sale;
	char buf[SL_METHOD_MAX + 1];
	const char *m = tui_method(t, s->m, buf, sizeof buf);
	int cash = m != NULL && strcmp(m, "cash") == 0;
	int64_t c = 0;
	struct sl_err e;

	pay_draw_methods(t, y, x, w);
	tui_text(t, y + 1, x, 10, cash ? "Tendered:" : "Amount:", A_BOLD);
	tui_text(t, y + 1, x + 28, w - 28, s->amount.len == 0 ? (cash ?
	    "(Enter alone: exactly the due)" : "(Enter alone: all that is "
	    "due)") : "", A_NORMAL);
	if (cash && t->shift_id == 0)
		tui_text(t, y + 2, x, w, "No shift open: cash needs one (F3 "
		    "opens it)", tui_attr(TR_MSG_ERR));
	else if (cash && s->amount.len > 0 &&
	    sl_money_parse(s->amount.buf, "tendered", &c, &e) == SL_OK &&
	    c > tui_sale_due(t))
		tui_money_line(t, y + 2, x, w, "Change", c - tui_sale_due(t),
		    A_BOLD);
}

/* An error on two lines at most, broken at a space. */
static void
pay_draw_error(struct tui *t, int y, int x, int w, const char *msg)
{
	size_t len = strlen(msg), cut = len;

	if (len > (size_t)w) {
		for (cut = (size_t)w; cut > 0 && msg[cut] != ' '; cut--)
			;
		if (cut == 0)
			cut = (size_t)w;
	}
	tui_textf(t, y, x, w, tui_attr(TR_MSG_ERR), "%.*s", (int)cut, msg);
	if (cut < len)
		tui_text(t, y + 1, x, w, msg + cut + (msg[cut] == ' '),
		    tui_attr(TR_MSG_ERR));
}

/* "Pay a sale": its number. */
static void
pay_draw_ask(struct tui *t, int y, int x, int w)
{
	struct tui_sale *s = &t->sale;

	tui_box(t, y, x, 7, w, "Pay a sale");
	tui_text(t, y + 2, x + 2, 14, "Sale number:", A_BOLD);
	tui_text(t, y + 4, x + 2, w - 4, s->error[0] != '\0' ? s->error :
	    "Enter: look it up    Esc: back", s->error[0] != '\0' ?
	    tui_attr(TR_MSG_ERR) : (int)A_NORMAL);
	tui_field_draw(t, &s->f, y + 2, x + 16, 18, 1);
	tui_draw_status(t, "Enter look up  Esc back");
}

static void
pay_draw(struct tui *t)
{
	struct tui_sale *s = &t->sale;
	int c = t->rows < 20;	/* compact: no blank lines */
	int w = t->cols - 4 > PAY_W ? PAY_W : t->cols - 4, h = 17 - 4 * c;
	int y = (t->rows - 1 - h) / 2, x = (t->cols - w) / 2;
	char title[96];

	if (y < 1)
		y = 1;
	if (s->done) {
		pay_draw_receipt(t, y, x, w);
		return;
	}
	if (s->ask == TUI_ASK_SALE) {
		pay_draw_ask(t, y, x, w);
		return;
	}
	if (s->sale != 0)
		snprintf(title, sizeof title, "Payment - sale %" PRId64,
		    s->sale);
	else
		snprintf(title, sizeof title, "Payment - %zu seat%s, %.40s",
		    s->n, s->n == 1 ? "" : "s", t->cust_id != 0 ? t->cust_name :
		    "walk-up");
	tui_box(t, y, x, h, w, title);
	y -= c;
	tui_money_line(t, y + 2, x + 2, w - 4, "Total", tui_sale_list(t),
	    A_NORMAL);
	if (tui_sale_off(t) > 0)
		tui_money_line(t, y + 3, x + 2, w - 4, s->red == 'c' ? "Comp" :
		    s->red == 'd' ? "Discount" : "Voucher", -tui_sale_off(t),
		    A_NORMAL);
	pay_draw_parts(t, y + 4, x + 2, w - 4);
	tui_money_line(t, y + 5, x + 2, w - 4, "Due", tui_sale_due(t), A_BOLD);
	y -= c;
	pay_draw_take(t, y + 7, x + 2, w - 4);
	if (s->error[0] != '\0')
		pay_draw_error(t, y + 11 - c, x + 2, w - 4, s->error);
	tui_text(t, y + 13 - c, x + 2, w - 4, "Enter: take it   Tab: method   "
	    "u: undo last", A_NORMAL);
	tui_text(t, y + 14 - c, x + 2, w - 4, s->sale != 0 ? "Esc: back (the "
	    "rest stays due)" : "b: no payment now (balance due)   Esc: back",
	    A_NORMAL);
	/* Drawn last: the text cursor stays in the amount. */
	tui_field_draw(t, &s->amount, y + 8, x + 12, 16, 1);
	tui_draw_status(t, "Enter take  Tab method  b balance due  F3 shift  "
	    "Esc back");
}

/* ---- taking a payment ------------------------------------------------- */

/* What the clerk typed, in cents: empty is for cash exactly what is due
 * (*cents -1 for an existing sale), for other methods all that is due. */
static int
pay_amount(struct tui *t, int cash, int64_t *cents)
{
	struct tui_sale *s = &t->sale;
	struct sl_err e;

	if (s->amount.len == 0) {
		*cents = s->sale != 0 ? -1 : tui_sale_due(t);
		return 0;
	}
	if (sl_money_parse(s->amount.buf, cash ? "the amount tendered" :
	    "the amount", cents, &e) != SL_OK) {
		snprintf(s->error, sizeof s->error, "%s", e.msg);
		return -1;
	}
	if (*cents <= 0) {
		snprintf(s->error, sizeof s->error, "An amount is more than "
		    "0.00");
		return -1;
	}
	if (!cash && *cents > tui_sale_due(t)) {
		char due[64];

		tui_money(t, tui_sale_due(t), due, sizeof due);
		snprintf(s->error, sizeof s->error, "That is more than the %s "
		    "due - only cash gives change", due);
		return -1;
	}
	return 0;
}

/* An existing sale: the payment goes at once. */
static void
pay_existing(struct tui *t, const char *method, int64_t cents)
{
	struct tui_sale *s = &t->sale;
	char why[SL_ERR_MSG + 128];
	struct sl_paid paid;
	struct sl_err e;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_sale_pay(t->db, s->sale, method, cents, &paid, &e);
	sl_log(t->cfg->log, "pay sale %" PRId64 " %s %" PRId64 ": %s %s",
	    s->sale, method, cents, sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc != SL_OK) {
		tui_pay_explain(&e, "nothing was paid", why, sizeof why);
		snprintf(s->error, sizeof s->error, "%s", why);
		return;
	}
	tui_field_init(&s->amount, 16);
	if (pay_load(t, s->sale) != 0)
		return;
	s->r_change = paid.change_cents;
	tui_money(t, paid.change_cents, why, sizeof why);
	if (s->sale_due <= 0) {
		s->done = 1;
		tui_message(t, TUI_MSG_OK, "Sale %" PRId64 " paid in full - "
		    "change %s", s->sale, why);
		return;
	}
	tui_money(t, paid.amount_cents, why, sizeof why);
	tui_message(t, TUI_MSG_OK, "Sale %" PRId64 ": took %s %s", s->sale,
	    method, why);
}

static void
pay_take(struct tui *t)
{
	struct tui_sale *s = &t->sale;
	char buf[SL_METHOD_MAX + 1];
	const char *m = tui_method(t, s->m, buf, sizeof buf);
	int64_t cents;

	s->error[0] = '\0';
	if (m == NULL)
		return;
	if (s->sale == 0 && tui_sale_due(t) == 0 && s->npay > 0) {
		/* Paid already, refused: send it again (a shift opened
		 * meanwhile, a code given). */
		tui_message(t, TUI_MSG_INFO, "Selling...");
		t->action = TUI_ACT_BOOK;
		return;
	}
	if (pay_amount(t, strcmp(m, "cash") == 0, &cents) != 0)
		return;
	if (s->sale != 0) {
		pay_existing(t, m, cents);
		return;
	}
	if (s->npay >= TUI_PAY_MAX) {
		snprintf(s->error, sizeof s->error, "At most %d payments a "
		    "sale", TUI_PAY_MAX);
		return;
	}
	snprintf(s->method[s->npay], sizeof s->method[0], "%s", m);
	s->cents[s->npay++] = cents;
	tui_field_init(&s->amount, 16);
	if (tui_sale_due(t) == 0) {
		tui_message(t, TUI_MSG_INFO, "Selling...");
		t->action = TUI_ACT_BOOK;
	}
}

static void
pay_method_next(struct tui *t)
{
	char buf[SL_METHOD_MAX + 1];

	t->sale.m = tui_method(t, t->sale.m + 1, buf, sizeof buf) != NULL ?
	    t->sale.m + 1 : 0;
}

static void
pay_method_prev(struct tui *t)
{
	char buf[SL_METHOD_MAX + 1];
	int n = 0;

	while (tui_method(t, n, buf, sizeof buf) != NULL)
		n++;
	t->sale.m = t->sale.m > 0 ? t->sale.m - 1 : n > 0 ? n - 1 : 0;
}

static void
pay_undo(struct tui *t)
{
	t->sale.error[0] = '\0';
	if (t->sale.npay > 0 && t->sale.sale == 0)
		t->sale.npay--;
}

/* No payment now: the sale is sold with its balance due. */
static void
pay_later(struct tui *t)
{
	if (t->sale.sale != 0)
		return;
	t->sale.npay = 0;
	t->sale.error[0] = '\0';
	tui_message(t, TUI_MSG_INFO, "Selling...");
	t->action = TUI_ACT_BOOK;
}

static void
pay_back(struct tui *t)
{
	t->sale.npay = 0;
	t->sale.error[0] = '\0';
	if (t->sale.sale != 0)
		t->sale.sale = 0;
	tui_pop(t);
}

static const struct tui_binding pay_keys[] = {
	{ 0, '\n', pay_take },		{ 0, '\r', pay_take },
	{ 1, KEY_ENTER, pay_take },
	{ 1, KEY_RIGHT, pay_method_next }, { 0, '\t', pay_method_next },
	{ 1, KEY_LEFT, pay_method_prev },  { 1, KEY_BTAB, pay_method_prev },
	{ 0, 'u', pay_undo },
	{ 0, 'b', pay_later },
	{ 0, 0x1b, pay_back },
	{ 0, 0, NULL }
};

/* The receipt's print key: the sale's tickets (tickets.c). */
static void
pay_tickets(struct tui *t)
{
	tui_tickets_print(t, t->sale.r_sale);
}

static const struct tui_binding pay_receipt_keys[] = {
	{ 0, 'p', pay_tickets },	{ 0, 'P', pay_tickets },
	{ 0, 0, NULL }
};

/* The sale's number typed on "Pay a sale". */
static int
pay_ask_key(struct tui *t, const struct tui_key *k)
{
	struct tui_sale *s = &t->sale;
	char *end;
	long long id;

	if (tui_key_esc(k)) {
		s->ask = TUI_ASK_NONE;
		tui_pop(t);
	} else if (tui_key_enter(k)) {
		id = strtoll(s->f.buf, &end, 10);
		s->error[0] = '\0';
		if (s->f.len == 0 || *end != '\0' || id <= 0)
			snprintf(s->error, sizeof s->error, "A sale number is "
			    "digits (the receipt says it)");
		else if (tui_pay_sale(t, id) == 0)
			s->ask = TUI_ASK_NONE;
		else {
			s->ask = TUI_ASK_SALE;
			snprintf(s->error, sizeof s->error, "%s", t->msg);
		}
	} else if (!k->fn && (k->ch < '0' || k->ch > '9') && k->ch >= 0x20)
		return TUI_UNHANDLED;
	else if (!tui_field_key(&s->f, k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static int
pay_key(struct tui *t, const struct tui_key *k)
{
	struct tui_sale *s = &t->sale;

	if (s->done && tui_bindings_run(t, pay_receipt_keys, k))
		return TUI_DIRTY;
	if (s->done) {
		s->done = 0;
		s->sale = 0;
		tui_pop(t);
		return TUI_DIRTY;
	}
	if (s->ask == TUI_ASK_SALE)
		return pay_ask_key(t, k);
	if (!k->fn && ((k->ch >= '0' && k->ch <= '9') || k->ch == '.' ||
	    k->ch == ',' || k->ch == 0x7f || k->ch == 0x08 || k->ch == 0x15)) {
		tui_field_key(&s->amount, k);
		return TUI_DIRTY;
	}
	if (tui_key_fn(k, KEY_BACKSPACE)) {
		tui_field_key(&s->amount, k);
		return TUI_DIRTY;
	}
	if (tui_bindings_run(t, pay_keys, k))
		return TUI_DIRTY;
	return TUI_UNHANDLED;
}

/* F4: "Pay a sale" asks for its number (not in the middle of a sale). */
void
tui_pay_ask(struct tui *t)
{
	enum tui_scr top = tui_top(t);

	if (top != TUI_SHOWS && top != TUI_MAP)
		return;
	if (t->map != NULL && sl_seatmap_nselected(t->map) > 0) {
		tui_message(t, TUI_MSG_ERR, "Sell or clear the selection first "
		    "(x), then F4 pays a sale");
		return;
	}
	tui_sale_end(t);
	tui_field_init(&t->sale.f, 18);
	tui_field_init(&t->sale.amount, 16);
	t->sale.ask = TUI_ASK_SALE;
	tui_push(t, TUI_PAY);
}

static void
pay_enter(struct tui *t)
{
	(void)t;
}

static void
pay_on_event(struct tui *t, enum tui_event ev)
{
	/* The seats of a sale not sent yet may have gone meanwhile. */
	if (ev == TUI_EV_STATES && t->sale.sale == 0 && !t->sale.done &&
	    t->sale.ask == TUI_ASK_NONE && t->map != NULL &&
	    sl_seatmap_nselected(t->map) == 0 && tui_top(t) == TUI_PAY)
		tui_pop_to(t, TUI_MAP);
	t->dirty = 1;
}

const struct tui_screen tui_scr_pay = {
	.name = "pay",
	.overlay = 1,
	.enter = pay_enter,
	.draw = pay_draw,
	.key = pay_key,
	.on_event = pay_on_event,
};
