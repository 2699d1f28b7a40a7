/*
 * price.c - the sale being confirmed: each seat's price type (its zone's
 * default first), the comp, discount or voucher, the payments taken so far,
 * and the sums the confirm and payment screens show.  The database checks
 * and counts them again in the sale's own transaction: these are what the
 * clerk sees before it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

/* Does price type k belong to seat i's zone? */
static int
price_of_seat(const struct tui *t, size_t i, size_t k)
{
	const struct sl_zone *z = tui_seat_zone(t, t->sale.map[i]);

	return z != NULL && strcmp(t->sale.prices[k].zone, z->code) == 0;
}

/* The zone's default type of seat i, or -1. */
static int
price_default(const struct tui *t, size_t i)
{
	size_t k;

	for (k = 0; k < t->sale.nprices; k++)
		if (price_of_seat(t, i, k) && t->sale.prices[k].is_default)
			return (int)k;
	return -1;
}

void
tui_sale_end(struct tui *t)
{
	sl_price_list_free(t->sale.prices, t->sale.nprices);
	memset(&t->sale, 0, sizeof t->sale);
}

void
tui_sale_begin(struct tui *t)
{
	struct tui_sale *s = &t->sale;
	struct sl_err e;
	size_t i;

	tui_sale_end(t);
	tui_field_init(&s->f, 120);
	tui_field_init(&s->amount, 16);
	if (t->map == NULL || t->show == NULL)
		return;
	if (sl_price_list(t->db, t->show->id, &s->prices, &s->nprices, &e) !=
	    SL_OK) {
		/* Without the list every seat sells at its default. */
		sl_log(t->cfg->log, "price types: %s", e.msg);
		s->prices = NULL;
		s->nprices = 0;
	}
	s->n = sl_seatmap_selected(t->map, s->map, SL_SEATMAP_MAX_SELECTION);
	for (i = 0; i < s->n; i++)
		s->type[i] = price_default(t, i);
}

const struct sl_price *
tui_sale_type(const struct tui *t, size_t i)
{
	if (i >= t->sale.n || t->sale.type[i] < 0)
		return NULL;
	return &t->sale.prices[t->sale.type[i]];
}

int64_t
tui_sale_price(const struct tui *t, size_t i)
{
	const struct sl_price *p = tui_sale_type(t, i);
	const struct sl_zone *z;

	if (p != NULL)
		return p->price_cents;
	if (i >= t->sale.n)
		return 0;
	z = tui_seat_zone(t, t->sale.map[i]);
	return z != NULL ? z->price_cents : 0;
}

void
tui_sale_cycle(struct tui *t, size_t i, int dir)
{
	struct tui_sale *s = &t->sale;
	int n = (int)s->nprices, k, step;

	if (i >= s->n || n == 0)
		return;
	/* The zone's types in list order; the zone price too when the zone
	 * has no default type (-1 stands for it). */
	for (step = 1, k = s->type[i]; step <= n + 1; step++) {
		k += dir;
		if (k < -1)
			k = n - 1;
		if (k >= n)
			k = -1;
		if (k == -1 ? price_default(t, i) < 0 :
		    price_of_seat(t, i, (size_t)k)) {
			s->type[i] = k;
			return;
		}
	}
}

void
tui_sale_all(struct tui *t, size_t i)
{
	struct tui_sale *s = &t->sale;
	const struct sl_price *p = tui_sale_type(t, i);
	size_t j, k;

	if (p == NULL)
		return;
	for (j = 0; j < s->n; j++)
		for (k = 0; k < s->nprices; k++)
			if (price_of_seat(t, j, k) &&
			    strcmp(s->prices[k].code, p->code) == 0)
				s->type[j] = (int)k;
}

int64_t
tui_sale_list(const struct tui *t)
{
	int64_t sum = 0;
	size_t i;

	if (t->sale.sale != 0)
		return t->sale.sale_total;
	for (i = 0; i < t->sale.n; i++)
		sum += tui_sale_price(t, i);
	return sum;
}

/* Seat order, as the database spreads a discount: the seats by id. */
static int
price_cmp_id(const void *a, const void *b)
{
	int64_t x = ((const int64_t *)a)[0], y = ((const int64_t *)b)[0];

	return x < y ? -1 : x > y;
}

int64_t
tui_sale_off(const struct tui *t)
{
	const struct tui_sale *s = &t->sale;
	int64_t off = 0, list = tui_sale_list(t);
	size_t i;

	if (s->sale != 0)
		return 0;
	switch (s->red) {
	case 'c':
		return list;
	case 'd':
		return s->disc_cents < list ? s->disc_cents : list;
	case 'v':
		if (s->vpercent == 0)
			return s->vcents < list ? s->vcents : list;
		/* Each seat's share rounded as the database does. */
		for (i = 0; i < s->n; i++)
			off += (tui_sale_price(t, i) * s->vpercent + 50) / 100;
		return off;
	default:
		return 0;
	}
}

int64_t
tui_sale_paid(const struct tui *t)
{
	const struct tui_sale *s = &t->sale;
	int64_t paid = 0;
	size_t i;

	for (i = 0; i < s->npay; i++)
		paid += s->cents[i];
	return paid;
}

int64_t
tui_sale_due(const struct tui *t)
{
	int64_t due;

	if (t->sale.sale != 0)
		due = t->sale.sale_due;
	else
		due = tui_sale_list(t) - tui_sale_off(t);
	due -= tui_sale_paid(t);
	return due > 0 ? due : 0;
}

enum sl_rc
tui_sale_voucher(struct tui *t, const char *code, struct sl_err *e)
{
	struct tui_sale *s = &t->sale;
	json_t *arr = NULL, *v;
	enum sl_rc rc;
	size_t i;

	rc = sl_voucher_list(t->db, &arr, e);
	if (rc != SL_OK)
		return rc;
	rc = sl_err_set(e, SL_ENOTFOUND, "There is no voucher %s", code);
	json_array_foreach(arr, i, v) {
		const char *c = json_string_value(json_object_get(v, "code"));

		if (c == NULL || strcasecmp(c, code) != 0)
			continue;
		if (json_integer_value(json_object_get(v, "uses")) >=
		    json_integer_value(json_object_get(v, "uses_max"))) {
			rc = sl_err_set(e, SL_ECONFLICT, "Voucher %s is used up",
			    c);
			break;
		}
		s->red = 'v';
		snprintf(s->voucher, sizeof s->voucher, "%s", c);
		s->vpercent = (int)json_integer_value(json_object_get(v,
		    "percent"));
		s->vcents = json_integer_value(json_object_get(v,
		    "amount_cents"));
		rc = SL_OK;
		break;
	}
	json_decref(arr);
	return rc;
}

void
tui_sale_opts(const struct tui *t, struct sl_sale_opts *o,
    const char **types, const char **labels, struct sl_pay *pay)
{
	const struct tui_sale *s = &t->sale;
	int64_t ord[SL_SEATMAP_MAX_SELECTION][2];
	size_t i;

	memset(o, 0, sizeof *o);
	for (i = 0; i < s->n; i++) {
		ord[i][0] = sl_seatmap_seat(t->map, s->map[i])->id;
		ord[i][1] = (int64_t)i;
	}
	qsort(ord, s->n, sizeof ord[0], price_cmp_id);
	for (i = 0; i < s->n; i++) {
		const struct sl_price *p = tui_sale_type(t, (size_t)ord[i][1]);

		types[i] = p != NULL ? p->code : NULL;
		if (labels != NULL)
			labels[i] = sl_seatmap_seat(t->map,
			    s->map[ord[i][1]])->label;
	}
	o->types = types;
	o->ntypes = s->n;
	if (s->red == 'c')
		o->comp = s->reason;
	else if (s->red == 'd') {
		o->discount_cents = s->disc_cents;
		o->reason = s->reason;
	} else if (s->red == 'v')
		o->voucher = s->voucher;
	if (s->auth[0] != '\0')
		o->auth = s->auth;
	for (i = 0; i < s->npay && i < TUI_PAY_MAX; i++) {
		pay[i].method = s->method[i];
		pay[i].cents = s->cents[i];
	}
	o->pay = pay;
	o->npay = s->npay;
}

const char *
tui_method(const struct tui *t, int i, char *buf, size_t bufsz)
{
	const char *p = sl_db_methods(t->db);
	size_t len;

	if (p == NULL || *p == '\0')
		p = "cash card";
	for (;;) {
		p += strspn(p, " \t,");
		len = strcspn(p, " \t,");
		if (len == 0)
			return NULL;
		if (i-- == 0)
			break;
		p += len;
	}
	snprintf(buf, bufsz, "%.*s", (int)len, p);
	return buf;
}

void
tui_money_line(struct tui *t, int y, int x, int w, const char *label,
    int64_t cents, int attr)
{
	char money[64];

	tui_money(t, cents, money, sizeof money);
	tui_text(t, y, x, w - 18, label, attr);
	tui_textf(t, y, x + w - 18, 18, attr, "%18s", money);
}
