/*
 * find.c - finding what a clerk changes (cancel, exchange): a number is a
 * sale (the number read to a customer) and a booking with that number, a
 * name or email the customer's active bookings.  A walk-up sale has no
 * customer: it is found by its sale or booking number.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

#define FIND_MAX	200

void
tui_find_init(struct tui_finder *f)
{
	tui_find_free(f);
	tui_field_init(&f->q, 200);
	f->searched[0] = '\0';
	f->error[0] = '\0';
	f->sel = f->top = 0;
}

void
tui_find_free(struct tui_finder *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

json_t *
tui_sale_doc(struct tui *t, int64_t sale)
{
	struct sl_err e;
	json_t *doc = NULL;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_sale_get(t->db, sale, &doc, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_sale_get(t->db, sale, &doc, &e);
	if (rc != SL_OK) {
		tui_message(t, TUI_MSG_ERR, "Sale %" PRId64 ": %s", sale,
		    e.msg);
		return NULL;
	}
	return doc;
}

/* The whole sale as one row, if it has active seats. */
static int
find_sale_row(struct tui *t, int64_t sale, struct tui_found *r)
{
	json_t *doc = NULL, *seat, *cust;
	struct sl_err e;
	size_t i;

	sl_err_clear(&e);
	if (sl_sale_get(t->db, sale, &doc, &e) != SL_OK)
		return 0;
	memset(r, 0, sizeof *r);
	r->sale = sale;
	r->show = json_integer_value(json_object_get(doc, "show"));
	json_array_foreach(json_object_get(doc, "seats"), i, seat) {
		const char *st = json_string_value(json_object_get(seat,
		    "status"));

		if (st == NULL || strcmp(st, "active") != 0)
			continue;
		r->active++;
		r->cents += json_integer_value(json_object_get(seat,
		    "price_cents"));
		if (strlen(r->seats) + SL_LABEL_MAX + 2 < sizeof r->seats)
			snprintf(r->seats + strlen(r->seats), sizeof r->seats -
			    strlen(r->seats), "%s%s", r->seats[0] ? " " : "",
			    json_string_value(json_object_get(seat, "label")));
	}
	snprintf(r->title, sizeof r->title, "%s",
	    json_string_value(json_object_get(doc, "title")));
	tui_when(json_string_value(json_object_get(doc, "starts_at")),
	    r->when, sizeof r->when);
	cust = json_object_get(doc, "customer");
	snprintf(r->name, sizeof r->name, "%s", json_is_object(cust) ?
	    json_string_value(json_object_get(cust, "name")) : "walk-up");
	json_decref(doc);
	return r->active > 0;
}

static void
find_booking_row(const struct sl_booking_info *b, struct tui_found *r)
{
	memset(r, 0, sizeof *r);
	r->sale = b->sale;
	r->booking = b->id;
	r->show = b->show;
	r->cents = b->price_cents;
	r->active = b->active;
	snprintf(r->seats, sizeof r->seats, "%s", b->label);
	snprintf(r->title, sizeof r->title, "%s", b->title);
	tui_when(b->starts_at, r->when, sizeof r->when);
	snprintf(r->name, sizeof r->name, "%s", b->user != 0 ? b->name :
	    "walk-up");
}

void
tui_find_run(struct tui *t, struct tui_finder *f)
{
	struct sl_booking_info *v = NULL;
	struct sl_err e;
	enum sl_rc rc;
	int64_t id;
	size_t n = 0, i;

	tui_find_free(f);
	f->error[0] = '\0';
	f->sel = f->top = 0;
	snprintf(f->searched, sizeof f->searched, "%s", f->q.buf);
	if (f->q.len == 0)
		return;
	sl_err_clear(&e);
	rc = sl_book_search(t->db, f->q.buf, FIND_MAX, &v, &n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_book_search(t->db, f->q.buf, FIND_MAX, &v, &n, &e);
	if (rc != SL_OK) {
		snprintf(f->error, sizeof f->error, "%s", e.msg);
		return;
	}
	f->v = calloc(n + 1, sizeof *f->v);
	if (f->v == NULL) {
		sl_booking_info_free(v, n);
		snprintf(f->error, sizeof f->error, "out of memory");
		return;
	}
	for (i = 0; i < n; i++)
		find_booking_row(&v[i], &f->v[f->n++]);
	if (sl_parse_id(f->q.buf, &id) == 0 &&
	    find_sale_row(t, id, &f->v[f->n]))
		f->n++;
	sl_booking_info_free(v, n);
}

void
tui_find_draw(struct tui *t, struct tui_finder *f, int y, int h)
{
	int i, x;

	if (f->error[0] != '\0') {
		tui_text(t, y, 2, t->cols - 4, f->error, tui_attr(TR_MSG_ERR));
		return;
	}
	if (f->searched[0] != '\0' && f->n == 0) {
		tui_text(t, y, 2, t->cols - 4, "Nothing active found.",
		    A_NORMAL);
		return;
	}
	if (f->sel < f->top)
		f->top = f->sel;
	if (h > 0 && f->sel >= f->top + (size_t)h)
		f->top = f->sel - (size_t)h + 1;
	for (i = 0; i < h && f->top + (size_t)i < f->n; i++) {
		const struct tui_found *r = &f->v[f->top + (size_t)i];
		char what[48], seats[64];
		int attr = f->top + (size_t)i == f->sel ? tui_attr(TR_HILITE) :
		    (int)A_NORMAL;

		tui_hline(y + i, 1, t->cols - 2, attr);
		/* A booking as the list always showed it; a sale by its
		 * number with its seats. */
		if (r->booking == 0) {
			snprintf(what, sizeof what, "sale %" PRId64, r->sale);
			snprintf(seats, sizeof seats, "%d: %.40s", r->active,
			    r->seats);
		} else {
			snprintf(what, sizeof what, "%" PRId64, r->booking);
			snprintf(seats, sizeof seats, "%-6.32s %-9s", r->seats,
			    r->active ? "active" : "cancelled");
		}
		x = 2 + tui_textf(t, y + i, 2, t->cols - 4, attr |
		    (r->booking == 0 ? A_BOLD : 0), "%8s  %-16.16s %s  ",
		    what, seats, r->when);
		x += tui_text(t, y + i, x, (t->cols - x) / 2, r->title, attr);
		tui_textf(t, y + i, x, t->cols - x - 1, attr | A_BOLD, "  %s",
		    r->name);
	}
}

int
tui_find_key(struct tui_finder *f, const struct tui_key *k)
{
	if (tui_key_fn(k, KEY_UP)) {
		if (f->sel > 0)
			f->sel--;
	} else if (tui_key_fn(k, KEY_DOWN)) {
		if (f->sel + 1 < f->n)
			f->sel++;
	} else if (tui_key_fn(k, KEY_PPAGE))
		f->sel = f->sel > 10 ? f->sel - 10 : 0;
	else if (tui_key_fn(k, KEY_NPAGE))
		f->sel = f->sel + 10 < f->n ? f->sel + 10 : f->n > 0 ?
		    f->n - 1 : 0;
	else
		return 0;
	return 1;
}
