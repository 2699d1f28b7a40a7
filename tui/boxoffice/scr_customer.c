/*
 * scr_customer.c - who is buying: search registered customers by name,
 * email or number as you type, or register a new one in a small form.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "boxoffice/tui.h"

#define LIST_Y	5

static const char *const cust_labels[3] = { "Name", "Email", "Phone" };

static void
cust_search(struct tui *t)
{
	struct tui_cust *cu = &t->cust;
	struct sl_customer *v, *w;
	struct sl_history *hist = NULL;
	struct sl_err e;
	enum sl_rc rc;
	size_t n, i;
	const char *p;
	int64_t id = 0;

	sl_customer_list_free(cu->v, cu->n);
	cu->v = NULL;
	cu->n = 0;
	cu->sel = 0;
	cu->error[0] = '\0';
	if (cu->q.len == 0)
		return;
	rc = sl_customer_find(t->db, cu->q.buf, 50, &v, &n, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_customer_find(t->db, cu->q.buf, 50, &v, &n, &e);
	if (rc != SL_OK) {
		snprintf(cu->error, sizeof cu->error, "%s", e.msg);
		return;
	}
	/* A number may also be a customer number: that customer first. */
	for (p = cu->q.buf; *p >= '0' && *p <= '9'; p++)
		id = id < INT64_MAX / 10 ? id * 10 + (*p - '0') : INT64_MAX;
	if (*p == '\0' && id > 0 &&
	    sl_customer_history(t->db, id, &hist, &e) == SL_OK &&
	    (w = calloc(n + 1, sizeof *w)) != NULL) {
		size_t k = 1;

		w[0] = hist->customer;
		memset(&hist->customer, 0, sizeof hist->customer);
		for (i = 0; i < n; i++) {
			if (v[i].id == id) {
				free(v[i].name);
				free(v[i].email);
				free(v[i].phone);
			} else
				w[k++] = v[i];
		}
		free(v);
		v = w;
		n = k;
	}
	sl_history_free(hist);
	cu->v = v;
	cu->n = n;
}

static void
cust_choose(struct tui *t, int64_t id, const char *name, const char *email)
{
	t->cust_id = id;
	snprintf(t->cust_name, sizeof t->cust_name, "%s", name);
	snprintf(t->cust_email, sizeof t->cust_email, "%s", email);
	/* A fresh request key per sale; a retry of this sale reuses it. */
	sl_db_request_key(t->key, sizeof t->key);
	tui_push(t, TUI_CONFIRM);
}

static void
cust_enter(struct tui *t)
{
	struct tui_cust *cu = &t->cust;
	int i;

	cu->form = 0;
	tui_field_init(&cu->q, 200);
	for (i = 0; i < 3; i++)
		tui_field_init(&cu->f[i], i == 0 ? 200 : i == 1 ? 254 : 32);
	cu->focus = 0;
	cust_search(t);
}

/* "F12 F13 (2 seats)" */
static void
cust_seats(struct tui *t, char *buf, size_t bufsz)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;

	buf[0] = '\0';
	if (t->map == NULL)
		return;
	n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
	for (i = 0; i < n && strlen(buf) + SL_LABEL_MAX + 16 < bufsz; i++) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, sl_seatmap_seat(t->map, idx[i])->label);
	}
	if (i < n)
		strcat(buf, " ...");
	snprintf(buf + strlen(buf), bufsz - strlen(buf), " (%zu seat%s)", n,
	    n == 1 ? "" : "s");
}

static void
cust_draw(struct tui *t)
{
	struct tui_cust *cu = &t->cust;
	char seats[512], title[768];
	int y, i, h = t->rows - LIST_Y - 2;
	size_t top;

	cust_seats(t, seats, sizeof seats);
	snprintf(title, sizeof title, "Sell %s%s", t->best_n > 0 ?
	    "best available " : "", seats);
	tui_draw_title(t, title, t->show != NULL ? t->show->title : "");
	if (cu->form) {
		tui_text(t, 2, 2, t->cols - 4, "New customer", A_BOLD);
		for (i = 0; i < 3; i++) {
			tui_textf(t, 4 + 2 * i, 2, 8, i == cu->focus ? A_BOLD :
			    (int)A_NORMAL, "%s:", cust_labels[i]);
			tui_field_draw(t, &cu->f[i], 4 + 2 * i, 10,
			    t->cols - 30 > 30 ? t->cols - 30 : 30, 0);
		}
		tui_text(t, 8, 12 + (t->cols - 30 > 30 ? t->cols - 30 : 30),
		    16, "(optional)", A_NORMAL);
		if (cu->error[0] != '\0')
			tui_text(t, 11, 2, t->cols - 4, cu->error,
			    tui_attr(TR_MSG_ERR));
		tui_text(t, 13, 2, t->cols - 4, "Tab or Down: next field   "
		    "Up: previous   Enter on Phone (or F2): register", A_NORMAL);
		/* Drawn last: the text cursor stays in the focused field. */
		tui_field_draw(t, &cu->f[cu->focus], 4 + 2 * cu->focus, 10,
		    t->cols - 30 > 30 ? t->cols - 30 : 30, 1);
		tui_draw_status(t, "Enter next/save  Esc back to search");
		return;
	}
	tui_text(t, 2, 2, t->cols - 4, "Customer - type a name, an email or "
	    "a customer number:", A_BOLD);
	if (cu->error[0] != '\0')
		tui_text(t, 4, 2, t->cols - 4, cu->error, tui_attr(TR_MSG_ERR));
	else if (cu->q.len > 0 && cu->n == 0)
		tui_text(t, 4, 2, t->cols - 4, "No customer found - Tab "
		    "registers a new one.", A_NORMAL);
	else if (cu->q.len == 0)
		tui_text(t, 4, 2, t->cols - 4, "Enter now: a walk-up (no "
		    "customer). Tab registers a new one.", A_NORMAL);
	top = cu->sel >= (size_t)h && h > 0 ? cu->sel - (size_t)h + 1 : 0;
	for (y = 0; y < h && top + (size_t)y < cu->n; y++) {
		const struct sl_customer *u = &cu->v[top + (size_t)y];
		int attr = top + (size_t)y == cu->sel ? tui_attr(TR_HILITE) :
		    (int)A_NORMAL, x;

		tui_hline(LIST_Y + y, 1, t->cols - 2, attr);
		x = 2 + tui_textf(t, LIST_Y + y, 2, 10, attr, "%8" PRId64 "  ",
		    u->id);
		x += tui_text(t, LIST_Y + y, x, (t->cols - x) / 2, u->name,
		    attr | A_BOLD);
		x += tui_text(t, LIST_Y + y, x, t->cols - x - 1, "  <", attr);
		x += tui_text(t, LIST_Y + y, x, t->cols - x - 1, u->email, attr);
		x += tui_text(t, LIST_Y + y, x, t->cols - x - 1, ">  ", attr);
		tui_text(t, LIST_Y + y, x, t->cols - x - 1, u->phone != NULL ?
		    u->phone : "", attr);
	}
	tui_field_draw(t, &cu->q, 3, 2, t->cols - 4, 1);
	tui_draw_status(t, "Enter choose (none: walk-up)  Tab new customer  "
	    "Esc back");
}

static void
cust_register(struct tui *t)
{
	struct tui_cust *cu = &t->cust;
	struct sl_err e;
	enum sl_rc rc;
	int64_t id;
	const char *phone = cu->f[2].len > 0 ? cu->f[2].buf : NULL;

	sl_err_clear(&e);
	rc = sl_user_register(t->db, cu->f[0].buf, cu->f[1].buf, phone, &id,
	    &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_user_register(t->db, cu->f[0].buf, cu->f[1].buf, phone,
		    &id, &e);
	if (rc == SL_OK) {
		tui_message(t, TUI_MSG_OK, "Registered customer %" PRId64, id);
		cust_choose(t, id, cu->f[0].buf, cu->f[1].buf);
		return;
	}
	if (rc == SL_ECONFLICT) {
		/* The customer exists: show them instead. */
		tui_field_set(&cu->q, cu->f[1].buf);
		cu->form = 0;
		cust_search(t);
		snprintf(cu->error, sizeof cu->error, "That email is "
		    "registered already - choose the customer below.");
		return;
	}
	snprintf(cu->error, sizeof cu->error, "Not registered: %.400s", e.msg);
	if (strstr(e.msg, "email") != NULL)
		cu->focus = 1;
	else if (strstr(e.msg, "phone") != NULL)
		cu->focus = 2;
	else if (strstr(e.msg, "name") != NULL)
		cu->focus = 0;
}

static int
cust_form_key(struct tui *t, const struct tui_key *k)
{
	struct tui_cust *cu = &t->cust;

	if (tui_key_esc(k)) {
		cu->form = 0;
		cu->error[0] = '\0';
	} else if (tui_key_is(k, '\t') || tui_key_fn(k, KEY_DOWN))
		cu->focus = (cu->focus + 1) % 3;
	else if (tui_key_fn(k, KEY_BTAB) || tui_key_fn(k, KEY_UP))
		cu->focus = (cu->focus + 2) % 3;
	else if (tui_key_enter(k) && cu->focus < 2)
		cu->focus++;
	else if (tui_key_enter(k) || tui_key_fn(k, KEY_F(2))) {
		if (cu->f[0].len == 0 || cu->f[1].len == 0) {
			snprintf(cu->error, sizeof cu->error, "A name and an "
			    "email are needed.");
			cu->focus = cu->f[0].len == 0 ? 0 : 1;
		} else
			cust_register(t);
	} else if (!tui_field_key(&cu->f[cu->focus], k))
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static int
cust_key(struct tui *t, const struct tui_key *k)
{
	struct tui_cust *cu = &t->cust;

	if (cu->form)
		return cust_form_key(t, k);
	if (tui_key_esc(k) && t->best_n > 0)
		tui_best_let_go(t);
	else if (tui_key_esc(k))
		tui_pop(t);
	else if (tui_key_enter(k)) {
		if (cu->n > 0)
			cust_choose(t, cu->v[cu->sel].id, cu->v[cu->sel].name,
			    cu->v[cu->sel].email);
		else if (cu->q.len == 0)
			cust_choose(t, 0, "", "");	/* a walk-up */
	} else if (tui_key_fn(k, KEY_UP)) {
		if (cu->sel > 0)
			cu->sel--;
	} else if (tui_key_fn(k, KEY_DOWN)) {
		if (cu->sel + 1 < cu->n)
			cu->sel++;
	} else if (tui_key_is(k, '\t') || tui_key_fn(k, KEY_F(2))) {
		/* Start the form from what was typed. */
		cu->form = 1;
		cu->error[0] = '\0';
		if (strchr(cu->q.buf, '@') != NULL) {
			tui_field_set(&cu->f[1], cu->q.buf);
			cu->focus = 0;
		} else if (cu->q.len > 0 && cu->f[0].len == 0) {
			tui_field_set(&cu->f[0], cu->q.buf);
			cu->focus = 1;
		}
	} else if (tui_field_key(&cu->q, k))
		cust_search(t);
	else
		return TUI_UNHANDLED;
	return TUI_DIRTY;
}

static void
cust_on_event(struct tui *t, enum tui_event ev)
{
	/* The seats may have gone while the clerk was looking. */
	if (ev == TUI_EV_STATES && t->map != NULL &&
	    sl_seatmap_nselected(t->map) == 0 && tui_top(t) == TUI_CUSTOMER)
		tui_pop_to(t, TUI_MAP);
	t->dirty = 1;
}

const struct tui_screen tui_scr_customer = {
	.name = "customer",
	.overlay = 0,
	.enter = cust_enter,
	.draw = cust_draw,
	.key = cust_key,
	.on_event = cust_on_event,
};
