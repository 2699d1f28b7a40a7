/*
 * scr_shift.c - the clerk's shift (F3): opening it with a float, the X
 * report at any time (float, cash kept, cash refunded, what the drawer
 * should hold, takings by method), and closing it with the cash counted:
 * the Z report with expected, counted and over/short.  Every payment and
 * refund of this login belongs to its open shift (cash needs one).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "sl_log.h"
#include "sl_money.h"
#include "boxoffice/tui.h"

#define SHIFT_W	66

static int64_t
shift_int(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* The cash line of the report's by_method (payments or refunds). */
static int64_t
shift_cash(const json_t *doc, const char *k)
{
	const json_t *m;
	size_t i;

	json_array_foreach(json_object_get(doc, "by_method"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "method")) ?
		    json_string_value(json_object_get(m, "method")) : "",
		    "cash") == 0)
			return shift_int(m, k);
	return 0;
}

/* Reads the X report of the login's open shift (none: the open form). */
static void
shift_read(struct tui *t)
{
	struct tui_shift *sh = &t->shift;
	struct sl_err e;
	enum sl_rc rc;

	json_decref(sh->doc);
	sh->doc = NULL;
	sh->error[0] = '\0';
	sl_err_clear(&e);
	rc = sl_shift_report(t->db, 0, &sh->doc, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_shift_report(t->db, 0, &sh->doc, &e);
	if (rc == SL_OK) {
		t->shift_id = shift_int(sh->doc, "shift");
		sh->form = 0;
	} else if (rc == SL_ENOTFOUND) {
		t->shift_id = 0;
		sh->form = 'o';
	} else
		snprintf(sh->error, sizeof sh->error, "%s", e.msg);
	tui_field_init(&sh->f, 16);
}

static void
shift_enter(struct tui *t)
{
	shift_read(t);
}

/* Takings by method: payments, refunds, net. */
static int
shift_methods(struct tui *t, int y, int x, int w, int maxl)
{
	const json_t *m;
	char a[32], b[32], c[32];
	size_t i;
	int n = 0;

	tui_textf(t, y++, x, w, A_BOLD, "%-16s %14s %14s %14s", "By method",
	    "payments", "refunds", "net");
	json_array_foreach(json_object_get(t->shift.doc, "by_method"), i, m) {
		if (n >= maxl)
			break;
		sl_money_format(shift_int(m, "payments_cents"), NULL, a,
		    sizeof a);
		sl_money_format(shift_int(m, "refunds_cents"), NULL, b,
		    sizeof b);
		sl_money_format(shift_int(m, "net_cents"), NULL, c, sizeof c);
		tui_textf(t, y + n++, x, w, A_NORMAL, "  %-8.8s (%3" PRId64
		    ") %14s %14s %14s", json_string_value(json_object_get(m,
		    "method")) ? json_string_value(json_object_get(m,
		    "method")) : "?", shift_int(m, "count"), a, b, c);
	}
	if (n == 0 && maxl > 0)
		tui_text(t, y + n++, x, w, "  nothing taken yet", A_NORMAL);
	return n + 1;
}

static void
shift_report(struct tui *t, int y, int x, int w)
{
	const json_t *d = t->shift.doc;
	int z = strcmp(json_string_value(json_object_get(d, "report")) ?
	    json_string_value(json_object_get(d, "report")) : "", "Z") == 0;
	int c = t->rows < 22, yy = y - c;	/* compact: no blank lines */

	tui_textf(t, yy++, x, w, A_NORMAL, "Clerk %s at %s, %" PRId64 " sale%s",
	    json_string_value(json_object_get(d, "clerk")) ?
	    json_string_value(json_object_get(d, "clerk")) : "?",
	    json_string_value(json_object_get(d, "terminal")) ?
	    json_string_value(json_object_get(d, "terminal")) : "?",
	    shift_int(d, "sales"), shift_int(d, "sales") == 1 ? "" : "s");
	yy += !c;
	tui_money_line(t, yy, x, w, "Float", shift_int(d, "float_cents"),
	    A_NORMAL);
	tui_money_line(t, ++yy, x, w, "Cash kept from sales", shift_cash(d,
	    "payments_cents"), A_NORMAL);
	tui_money_line(t, ++yy, x, w, "Cash refunded", shift_cash(d,
	    "refunds_cents"), A_NORMAL);
	tui_money_line(t, ++yy, x, w, "Expected in the drawer", shift_int(d,
	    "expected_cents"), A_BOLD);
	if (z) {
		int64_t diff = shift_int(d, "difference_cents");

		tui_money_line(t, ++yy, x, w, "Counted", shift_int(d,
		    "counted_cents"), A_BOLD);
		tui_money_line(t, ++yy, x, w, diff > 0 ? "Difference (over)" :
		    diff < 0 ? "Difference (short)" : "Difference", diff,
		    A_BOLD);
	}
	yy += 2 - c;
	shift_methods(t, yy, x, w, t->rows - 7 - yy);
}

static void
shift_draw(struct tui *t)
{
	struct tui_shift *sh = &t->shift;
	int w = t->cols - 4 > SHIFT_W ? SHIFT_W : t->cols - 4;
	int h = t->rows - 3, y = 1, x = (t->cols - w) / 2, lw;
	char title[96];
	int z = sh->doc != NULL && strcmp(json_string_value(json_object_get(
	    sh->doc, "report")) ? json_string_value(json_object_get(sh->doc,
	    "report")) : "", "Z") == 0;

	if (sh->form == 'o')
		snprintf(title, sizeof title, "Open a shift");
	else if (sh->doc != NULL)
		snprintf(title, sizeof title, "Shift %" PRId64 " - %s report",
		    shift_int(sh->doc, "shift"), z ? "Z (closed)" : "X");
	else
		snprintf(title, sizeof title, "Shift");
	tui_draw_title(t, "Shift", sl_db_terminal(t->db));
	tui_box(t, y, x, h, w, title);
	if (sh->form == 'o') {
		tui_text(t, y + 2, x + 2, w - 4, "No shift is open for this "
		    "login: every payment belongs to one,", A_NORMAL);
		tui_text(t, y + 3, x + 2, w - 4, "and cash needs one. Count the "
		    "float into the drawer, type it below.", A_NORMAL);
	} else if (sh->doc != NULL)
		shift_report(t, y + 2, x + 2, w - 4);
	if (sh->error[0] != '\0')
		tui_text(t, y + h - 5, x + 2, w - 4, sh->error,
		    tui_attr(TR_MSG_ERR));
	if (sh->form != 0) {
		lw = tui_text(t, y + h - 4, x + 2, w - 4, sh->form == 'o' ?
		    "Float: " : "Cash counted in the drawer: ", A_BOLD);
		tui_text(t, y + h - 2, x + 2, w - 4, sh->form == 'o' ?
		    "Enter: open the shift    Esc: back" : "Enter: close the "
		    "shift (Z report)    Esc: never mind", A_NORMAL);
		tui_field_draw(t, &sh->f, y + h - 4, x + 2 + lw, 16, 1);
	} else
		tui_text(t, y + h - 2, x + 2, w - 4, z ? "o: open a new shift  "
		    "  Esc: back" : "z: close the shift (count the cash)  "
		    "r: read again  Esc: back", A_NORMAL);
	tui_draw_status(t, sh->form != 0 ? "Enter ok  Esc back" : z ?
	    "o open a new shift  Esc back" : "z close  r read again  Esc back");
}

/* Enter on the float or the counted cash. */
static void
shift_submit(struct tui *t)
{
	struct tui_shift *sh = &t->shift;
	char money[64];
	struct sl_err e;
	json_t *doc = NULL;
	int64_t cents, id;
	enum sl_rc rc;

	sl_err_clear(&e);
	if (sl_money_parse(sh->f.len > 0 ? sh->f.buf : "0", sh->form == 'o' ?
	    "the float" : "the counted cash", &cents, &e) != SL_OK) {
		snprintf(sh->error, sizeof sh->error, "%s", e.msg);
		return;
	}
	tui_money(t, cents, money, sizeof money);
	if (sh->form == 'o') {
		rc = sl_shift_open(t->db, cents, &id, &e);
		sl_log(t->cfg->log, "shift open float %" PRId64 ": %s %s", cents,
		    sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
		if (rc != SL_OK) {
			snprintf(sh->error, sizeof sh->error, "%s", e.msg);
			return;
		}
		tui_message(t, TUI_MSG_OK, "Shift %" PRId64 " open with a float "
		    "of %s", id, money);
		shift_read(t);
		return;
	}
	rc = sl_shift_close(t->db, 0, cents, &doc, &e);
	sl_log(t->cfg->log, "shift close counted %" PRId64 ": %s %s", cents,
	    sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	if (rc != SL_OK) {
		snprintf(sh->error, sizeof sh->error, "%s", e.msg);
		return;
	}
	json_decref(sh->doc);
	sh->doc = doc;
	sh->form = 0;
	t->shift_id = 0;
	tui_message(t, TUI_MSG_OK, "Shift %" PRId64 " closed: counted %s",
	    shift_int(doc, "shift"), money);
}

static int
shift_key(struct tui *t, const struct tui_key *k)
{
	struct tui_shift *sh = &t->shift;

	if (sh->form != 0) {
		if (tui_key_enter(k))
			shift_submit(t);
		else if (tui_key_esc(k) && sh->form == 'z')
			sh->form = 0;
		else if (tui_key_esc(k))
			tui_pop(t);
		else if (!k->fn && k->ch >= 0x20 && !((k->ch >= '0' &&
		    k->ch <= '9') || k->ch == '.' || k->ch == ','))
			return TUI_UNHANDLED;
		else if (!tui_field_key(&sh->f, k))
			return TUI_UNHANDLED;
		return TUI_DIRTY;
	}
	if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_is(k, 'r'))
		shift_read(t);
	else if (tui_key_is(k, 'z') && t->shift_id > 0) {
		sh->form = 'z';
		sh->error[0] = '\0';
		tui_field_init(&sh->f, 16);
	} else if (tui_key_is(k, 'o') && t->shift_id == 0) {
		sh->form = 'o';
		sh->error[0] = '\0';
		tui_field_init(&sh->f, 16);
	} else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
shift_on_event(struct tui *t, enum tui_event ev)
{
	(void)ev;
	t->dirty = 1;
}

/* F3 anywhere: the shift screen. */
void
tui_shift_key(struct tui *t)
{
	if (tui_top(t) != TUI_SHIFT)
		tui_push(t, TUI_SHIFT);
}

/* At start: is a shift open for this login? (the status line says so) */
void
tui_shift_check(struct tui *t)
{
	json_t *doc = NULL;
	struct sl_err e;
	enum sl_rc rc = sl_shift_report(t->db, 0, &doc, &e);

	if (rc == SL_OK)
		t->shift_id = shift_int(doc, "shift");
	else if (rc == SL_ENOTFOUND)
		t->shift_id = 0;
	json_decref(doc);
}

const struct tui_screen tui_scr_shift = {
	.name = "shift",
	.overlay = 0,
	.enter = shift_enter,
	.draw = shift_draw,
	.key = shift_key,
	.on_event = shift_on_event,
};
