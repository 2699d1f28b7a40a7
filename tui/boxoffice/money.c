/*
 * money.c - what the screens that change a sale (exchange, selling a
 * reservation) share: seats with a price type each (the zone's default
 * until the clerk changes it, the price from the show's price types or
 * the zone), and a payment or refund method chosen from booking.methods.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

void
tui_priced_free(struct tui_priced *p)
{
	sl_price_list_free(p->pv, p->pn);
	sl_seats_free(p->seats);
	p->pv = NULL;
	p->pn = 0;
	p->seats = NULL;
	p->n = p->sel = 0;
}

/* The price of type (NULL or "": the zone's price) in zone. */
static int64_t
priced_cents(const struct tui_priced *p, const char *zone, const char *type)
{
	size_t i;

	for (i = 0; i < p->pn && type != NULL && type[0] != '\0'; i++)
		if (strcmp(p->pv[i].zone, zone) == 0 &&
		    strcmp(p->pv[i].code, type) == 0)
			return p->pv[i].price_cents;
	for (i = 0; p->seats != NULL && i < p->seats->nzones; i++)
		if (strcmp(p->seats->zone[i].code, zone) == 0)
			return p->seats->zone[i].price_cents;
	return 0;
}

/* Seat i at its zone's default type (none: the zone's price). */
static void
priced_default(struct tui_priced *p, size_t i)
{
	size_t k;

	p->type[i][0] = '\0';
	for (k = 0; k < p->pn; k++)
		if (p->pv[k].is_default && strcmp(p->pv[k].zone,
		    p->zone[i]) == 0)
			snprintf(p->type[i], sizeof p->type[i], "%s",
			    p->pv[k].code);
	p->cents[i] = priced_cents(p, p->zone[i], p->type[i]);
}

/* Seat label's zone code ("" none). */
static void
priced_zone(const struct sl_seats *s, const char *label, char *zone,
    size_t zsz)
{
	size_t i;

	zone[0] = '\0';
	for (i = 0; i < s->n; i++)
		if (strcmp(s->seat[i].label, label) == 0) {
			if (s->seat[i].zone >= 0 &&
			    (size_t)s->seat[i].zone < s->nzones)
				snprintf(zone, zsz, "%s",
				    s->zone[s->seat[i].zone].code);
			return;
		}
}

int
tui_priced_load(struct tui *t, struct tui_priced *p, int64_t show,
    const char *const *labels, size_t n)
{
	struct sl_err e;
	enum sl_rc rc;
	size_t i;

	tui_priced_free(p);
	sl_err_clear(&e);
	if (n > SL_SEATMAP_MAX_SELECTION)
		n = SL_SEATMAP_MAX_SELECTION;
	rc = sl_show_seats(t->db, show, &p->seats, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_show_seats(t->db, show, &p->seats, &e);
	if (rc == SL_OK)
		rc = sl_price_list(t->db, show, &p->pv, &p->pn, &e);
	if (rc != SL_OK) {
		tui_priced_free(p);
		tui_message(t, TUI_MSG_ERR, "Cannot read the prices: %s",
		    e.msg);
		return -1;
	}
	p->show = show;
	p->n = n;
	for (i = 0; i < n; i++) {
		snprintf(p->label[i], sizeof p->label[i], "%s", labels[i]);
		priced_zone(p->seats, labels[i], p->zone[i],
		    sizeof p->zone[i]);
		priced_default(p, i);
	}
	return 0;
}

void
tui_priced_cycle(struct tui_priced *p, size_t i, int dir)
{
	size_t k, cur = p->pn, cnt = 0, want;
	size_t idx[64];

	if (i >= p->n)
		return;
	for (k = 0; k < p->pn && cnt < 64; k++)
		if (strcmp(p->pv[k].zone, p->zone[i]) == 0) {
			if (strcmp(p->pv[k].code, p->type[i]) == 0)
				cur = cnt;
			idx[cnt++] = k;
		}
	if (cnt == 0)
		return;
	want = cur == p->pn ? 0 : (cur + cnt + (size_t)(dir < 0 ? -1 : 1)) %
	    cnt;
	snprintf(p->type[i], sizeof p->type[i], "%s", p->pv[idx[want]].code);
	p->cents[i] = p->pv[idx[want]].price_cents;
}

int
tui_priced_key(struct tui_priced *p, const struct tui_key *k)
{
	if (tui_key_fn(k, KEY_UP)) {
		if (p->sel > 0)
			p->sel--;
	} else if (tui_key_fn(k, KEY_DOWN)) {
		if (p->sel + 1 < p->n)
			p->sel++;
	} else if (tui_key_fn(k, KEY_LEFT) || tui_key_fn(k, KEY_RIGHT))
		tui_priced_cycle(p, p->sel, tui_key_fn(k, KEY_LEFT) ? -1 : 1);
	else
		return 0;
	return 1;
}

int64_t
tui_priced_total(const struct tui_priced *p)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < p->n; i++)
		sum += p->cents[i];
	return sum;
}

void
tui_priced_types(const struct tui_priced *p, const char **out)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		out[i] = p->type[i][0] != '\0' ? p->type[i] : NULL;
}

int
tui_priced_draw(struct tui *t, struct tui_priced *p, int y, int x, int w,
    int h)
{
	size_t top = 0, i;
	char money[64];
	int yy = y;

	if (h < 1)
		h = 1;
	if (p->sel >= (size_t)h)
		top = p->sel - (size_t)h + 1;
	for (i = top; i < p->n && yy < y + h; i++, yy++) {
		int attr = i == p->sel ? tui_attr(TR_HILITE) : (int)A_NORMAL;

		tui_money(t, p->cents[i], money, sizeof money);
		tui_hline(yy, x, w, attr);
		tui_textf(t, yy, x, w - 16, attr, "%-6s %s%-6s %s",
		    p->label[i], p->zone[i][0] ? "zone " : "no zone",
		    p->zone[i], p->type[i][0] ? p->type[i] : "-");
		tui_textf(t, yy, x + w - 16, 16, attr, "%16s", money);
	}
	return yy;
}

void
tui_method_init(struct tui *t, struct tui_method *m)
{
	const char *s = sl_db_methods(t->db);
	size_t len;

	m->n = 0;
	m->sel = -1;
	while (s != NULL && *s != '\0' && m->n < 9) {
		len = strcspn(s, " ");
		if (len > 0 && len <= SL_METHOD_MAX)
			snprintf(m->v[m->n++], SL_METHOD_MAX + 1, "%.*s",
			    (int)len, s);
		s += len;
		s += strspn(s, " ");
	}
}

int
tui_method_key(struct tui_method *m, const struct tui_key *k)
{
	if (k->fn || k->ch < '1' || k->ch > '9' ||
	    (size_t)(k->ch - '1') >= m->n)
		return 0;
	m->sel = (int)(k->ch - '1');
	return 1;
}

int
tui_method_draw(struct tui *t, const struct tui_method *m, int y, int x,
    int w)
{
	size_t i;
	int used = 0;

	for (i = 0; i < m->n && used < w; i++) {
		int on = (int)i == m->sel;

		used += tui_textf(t, y, x + used, w - used, on ?
		    tui_attr(TR_HILITE) | A_BOLD : (int)A_NORMAL, "%s%zu %s%s",
		    on ? "[" : " ", i + 1, m->v[i], on ? "]" : " ");
		used += tui_text(t, y, x + used, w - used, " ", A_NORMAL);
	}
	return used;
}

const char *
tui_method_name(const struct tui_method *m)
{
	return m->sel >= 0 && (size_t)m->sel < m->n ? m->v[m->sel] : NULL;
}
