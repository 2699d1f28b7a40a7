/*
 * sales.c - the sale over HTTP: POST /sales (by seat labels, best
 * available, or a hold), GET /sales/{id}, POST /sales/{id}/payments,
 * DELETE /sales/{id}; and holds: POST /holds, DELETE /holds/{id}.  Each is
 * one call of the sale's core (sl_sale_book, sl_sale_best, sl_sale_hold,
 * sl_sale_get, sl_sale_pay, sl_sale_cancel, sl_hold_seats, sl_hold_best,
 * sl_reserve, sl_hold_release), the sales on channel "web".
 *
 * Amounts on the wire are decimal strings ("12.50", read by
 * sl_money_parse, as a clerk types them); a JSON number is refused, so
 * cents and units are never confused.  Comps and discounts are the box
 * office's (a supervisor's authorisation at the counter): refused here
 * with 403 box_office_only, whoever the token is.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"
#include "sl_ticket.h"
#include "sl_book.h"
#include "sl_hold.h"
#include "sl_money.h"
#include "sl_parse.h"
#include "sl_sale.h"
#include "sl_sell.h"

#define SALE_SEATS_MAX	100	/* seats of one sale or hold */
#define SALE_PAY_MAX	8	/* payments given with a sale */
#define SALE_CHANNEL	"web"

/* A POST /sales or POST /holds body, read and checked. */
struct sale_req {
	int64_t			 show, user, hold;
	int64_t			 best, seconds;
	const char		*zone;
	size_t			 n;		/* labels */
	char			(*labels)[SL_LABEL_MAX + 1];
	const char		**lp;
	const char		**types;	/* ntypes: a code or NULL */
	size_t			 ntypes;
	struct sl_pay		 pay[SALE_PAY_MAX];
	struct sl_sale_opts	 opts;
};

static void
sale_req_free(struct sale_req *r)
{
	free(r->labels);
	free(r->lp);
	free(r->types);
}

/* An optional integer field in min..max: 0 (*out untouched when absent),
 * or -1 with a 400 reply set. */
static int
sale_int(struct serve_call *c, const char *name, int64_t min, int64_t max,
    int64_t *out)
{
	json_t *v = json_object_get(c->body, name);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		serve_error(c, 400, "invalid", "\"%s\" must be an integer from "
		    "%" PRId64 " to %" PRId64, name, min, max);
		return -1;
	}
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* A price type code or null (v): 0 with *out (NULL for null), or -1 with
 * a 400 reply set. */
static int
sale_type(struct serve_call *c, json_t *v, size_t i, const char **out)
{
	char code[SL_PRICE_CODE_MAX + 1];

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v) ||
	    sl_price_code_normalize(json_string_value(v), code) != 0) {
		serve_error(c, 400, "invalid", "the price type of seat %zu is "
		    "not a type code (1 to 32 of a-z, 0-9, _ and -)", i + 1);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* Room for n labels and types. */
static int
sale_alloc(struct serve_call *c, struct sale_req *r, size_t n)
{
	r->labels = calloc(n, sizeof *r->labels);
	r->lp = calloc(n, sizeof *r->lp);
	r->types = calloc(n, sizeof *r->types);
	if (r->labels == NULL || r->lp == NULL || r->types == NULL) {
		serve_error(c, 500, "internal", "no memory");
		return -1;
	}
	return 0;
}

/* "seats": labels, or {"label", "type"} objects (typed seats only when
 * typed is set); the types go to r->types when any seat has one. */
static int
sale_seats(struct serve_call *c, struct sale_req *r, json_t *seats,
    int typed)
{
	json_t *v, *l;
	size_t i, ntyped = 0;

	if (!json_is_array(seats) || json_array_size(seats) == 0 ||
	    json_array_size(seats) > SALE_SEATS_MAX) {
		serve_error(c, 400, "invalid", "\"seats\" must be an array of "
		    "1 to %d seats", SALE_SEATS_MAX);
		return -1;
	}
	r->n = json_array_size(seats);
	if (sale_alloc(c, r, r->n) != 0)
		return -1;
	json_array_foreach(seats, i, v) {
		l = v;
		if (typed && json_is_object(v)) {
			l = json_object_get(v, "label");
			if (json_object_size(v) > 2 || (json_object_size(v) == 2 &&
			    json_object_get(v, "type") == NULL)) {
				serve_error(c, 400, "unknown_field", "seat %zu: a "
				    "seat is {\"label\", \"type\"}", i + 1);
				return -1;
			}
			if (sale_type(c, json_object_get(v, "type"), i,
			    &r->types[i]) != 0)
				return -1;
			ntyped += r->types[i] != NULL;
		}
		if (!json_is_string(l) || sl_label_normalize(
		    json_string_value(l), r->labels[i]) != 0) {
			serve_error(c, 400, "invalid", "seat %zu is not a seat "
			    "label (1 to 32 letters, digits and -)", i + 1);
			return -1;
		}
		r->lp[i] = r->labels[i];
	}
	r->ntypes = ntyped > 0 ? r->n : 0;
	return 0;
}

/* The array field name of the body, of 1 to max items (what they are):
 * 0 with *a (NULL when absent), or -1 with a 400 reply set. */
static int
sale_array(struct serve_call *c, const char *name, size_t max,
    const char *what, json_t **a)
{
	*a = json_object_get(c->body, name);
	if (*a != NULL && (!json_is_array(*a) || json_array_size(*a) == 0 ||
	    json_array_size(*a) > max)) {
		serve_error(c, 400, "invalid", "\"%s\" must be an array of 1 to "
		    "%zu %s", name, max, what);
		return -1;
	}
	return 0;
}

/* "types" of a best available or hold sale: codes or nulls, in seat
 * order. */
static int
sale_types(struct serve_call *c, struct sale_req *r)
{
	json_t *a, *v;
	size_t i;

	if (sale_array(c, "types", SALE_SEATS_MAX, "price type codes (or "
	    "null), in seat order", &a) != 0)
		return -1;
	if (a == NULL)
		return 0;
	if (sale_alloc(c, r, json_array_size(a)) != 0)
		return -1;
	json_array_foreach(a, i, v)
		if (sale_type(c, v, i, &r->types[i]) != 0)
			return -1;
	r->ntypes = json_array_size(a);
	return 0;
}

/* An amount: a decimal string ("12.50"), 0.01 or more; absent: -1 (what
 * is due).  0, or -1 with a 400 reply set. */
static int
sale_amount(struct serve_call *c, json_t *v, int64_t *cents)
{
	struct sl_err e;

	*cents = -1;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		serve_error(c, 400, "invalid", "an amount is a string of the "
		    "amount in %s, such as \"12.50\" (not a number, not cents)",
		    "the venue's currency");
		return -1;
	}
	sl_err_clear(&e);
	if (sl_money_parse(json_string_value(v), "amount", cents, &e) != SL_OK) {
		serve_set_error(c, 400, "invalid", e.msg);
		return -1;
	}
	if (*cents == 0) {
		serve_error(c, 400, "invalid", "an amount paid is 0.01 or more");
		return -1;
	}
	return 0;
}

/* One {"method", "amount"?} object into p. */
static int
sale_payment(struct serve_call *c, json_t *v, size_t i, struct sl_pay *p)
{
	json_t *m = json_object_get(v, "method");
	struct sl_err e;

	if (!json_is_object(v) || json_object_size(v) >
	    (size_t)(json_object_get(v, "amount") != NULL) + 1 ||
	    !json_is_string(m) ||
	    strlen(json_string_value(m)) != json_string_length(m)) {
		serve_error(c, 400, "invalid", "payment %zu must be {\"method\": "
		    "string, \"amount\": \"12.50\"} (amount optional)", i + 1);
		return -1;
	}
	sl_err_clear(&e);
	if (sl_sale_method_check(json_string_value(m), sl_db_methods(c->db),
	    &e) != SL_OK) {
		serve_set_error(c, 400, "invalid", e.msg);
		return -1;
	}
	p->method = json_string_value(m);
	return sale_amount(c, json_object_get(v, "amount"), &p->cents);
}

/* "payments": the sale must then be paid in full by them. */
static int
sale_payments(struct serve_call *c, struct sale_req *r)
{
	json_t *a, *v;
	size_t i;

	if (sale_array(c, "payments", SALE_PAY_MAX, "payments", &a) != 0)
		return -1;
	if (a == NULL)
		return 0;
	json_array_foreach(a, i, v)
		if (sale_payment(c, v, i, &r->pay[i]) != 0)
			return -1;
	r->opts.pay = r->pay;
	r->opts.npay = json_array_size(a);
	return 0;
}

/* Refuses what only the box office gives: comps, discounts, their
 * authorisation, an override of the on-sale window. */
static int
sale_box_office_only(struct serve_call *c)
{
	static const char *const words[] = { "comp", "discount",
	    "discount_reason", "reason", "auth", "override", NULL };
	size_t i;

	for (i = 0; words[i] != NULL; i++)
		if (json_object_get(c->body, words[i]) != NULL) {
			serve_error(c, 403, "box_office_only", "\"%s\": comps, "
			    "discounts and overrides are given at the box office "
			    "only", words[i]);
			return -1;
		}
	return 0;
}

/* Reads a POST /sales body into r: which seats (exactly one of seats,
 * best, hold_id), the customer, types, payments, voucher. */
static int
sale_read(struct serve_call *c, struct sale_req *r)
{
	static const char *const fields[] = { "show_id", "seats", "best",
	    "zone", "hold_id", "types", "user_id", "payments", "voucher",
	    NULL };
	json_t *seats = json_object_get(c->body, "seats");
	int ways;

	if (sale_box_office_only(c) != 0 || serve_fields(c, fields) != 0 ||
	    serve_id(c, "show_id", &r->show) != 0 ||
	    sale_int(c, "user_id", 1, INT64_MAX, &r->user) != 0 ||
	    sale_int(c, "hold_id", 1, INT64_MAX, &r->hold) != 0 ||
	    sale_int(c, "best", 1, SL_BEST_MAX, &r->best) != 0 ||
	    serve_str(c, "zone", 0, &r->zone) != 0 ||
	    serve_str(c, "voucher", 0, &r->opts.voucher) != 0)
		return -1;
	ways = (seats != NULL) + (r->best > 0) + (r->hold > 0);
	if (ways != 1 || (r->zone != NULL && r->best == 0) ||
	    (seats != NULL && json_object_get(c->body, "types") != NULL)) {
		serve_error(c, 400, "invalid", "a sale takes one of \"seats\" "
		    "(labels or {\"label\", \"type\"}), \"best\" (with "
		    "\"zone\", \"types\") or \"hold_id\" (with \"types\")");
		return -1;
	}
	if (seats != NULL ? sale_seats(c, r, seats, 1) : sale_types(c, r))
		return -1;
	if (r->opts.voucher != NULL && (strlen(r->opts.voucher) < 3 ||
	    strlen(r->opts.voucher) > 32)) {
		serve_error(c, 400, "invalid", "a voucher code is 3 to 32 "
		    "letters, digits or -");
		return -1;
	}
	r->opts.types = r->types;
	r->opts.ntypes = r->ntypes;
	r->opts.channel = SALE_CHANNEL;
	return sale_payments(c, r);
}

/* An amount as the documents write it: "12.50". */
static json_t *
sale_money(int64_t cents)
{
	char buf[SL_MONEY_BUF];

	sl_money_format(cents, NULL, buf, sizeof buf);
	return json_string(buf);
}

/* 201 (or status) with the document of sale and its currency. */
/* A web sale's tickets: "tickets_pdf", the path of its PDF (an
 * unguessable reference, GET /sales/{ref}/tickets.pdf). */
static void
sale_tickets_link(struct serve_call *c, json_t *doc, int64_t sale)
{
	const char *ch = json_string_value(json_object_get(doc, "channel"));
	char ref[SERVE_REF_MAX], path[SERVE_REF_MAX + 32];
	struct sl_err e;

	if (ch == NULL || strcmp(ch, SALE_CHANNEL) != 0 ||
	    sl_sale_ref(c->db, sale, ref, &e) != SL_OK)
		return;
	snprintf(path, sizeof path, "/sales/%s/tickets.pdf", ref);
	json_object_set_new(doc, "tickets_pdf", json_string(path));
}

static void
sale_reply(struct serve_call *c, int64_t sale, int status)
{
	struct sl_err e;
	json_t *doc;

	sl_err_clear(&e);
	if (sl_sale_get(c->db, sale, &doc, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	/* The code of the amounts' currency (database.currency), as the
	 * command line's documents give it. */
	json_object_set_new(doc, "currency", json_string(
	    sl_db_currency(c->db)));
	sale_tickets_link(c, doc, sale);
	c->status = status;
	c->json = doc;
}

void
serve_sale_new(struct serve_call *c)
{
	struct sale_req r;
	struct sl_booking *b = NULL;
	char key[SERVE_KEY_BUF];
	const char *kp;
	struct sl_err e;
	enum sl_rc rc;
	size_t nb = 0;

	memset(&r, 0, sizeof r);
	if (sale_read(c, &r) != 0 || serve_key(c, key, sizeof key, &kp) != 0) {
		sale_req_free(&r);
		return;
	}
	sl_err_clear(&e);
	if (r.n > 0)
		rc = sl_sale_book(c->db, r.show, r.lp, r.n, r.user, kp, &r.opts,
		    &b, &nb, &e);
	else if (r.best > 0)
		rc = sl_sale_best(c->db, r.show, (int)r.best, r.user, r.zone, kp,
		    &r.opts, &b, &nb, &e);
	else
		rc = sl_sale_hold(c->db, r.show, r.hold, r.user, kp, &r.opts,
		    &b, &nb, &e);
	if (rc != SL_OK)
		serve_book_fail(c, &e, 1);
	else if (nb == 0 || b[0].sale <= 0)
		serve_error(c, 500, "internal", "the sale has no number");
	else
		sale_reply(c, b[0].sale, 201);
	free(b);
	sale_req_free(&r);
}

void
serve_sale_get(struct serve_call *c)
{
	sale_reply(c, c->id, 200);
}

void
serve_sale_pay(struct serve_call *c)
{
	static const char *const fields[] = { "method", "amount", NULL };
	struct sl_paid paid;
	struct sl_pay p;
	struct sl_err e;

	if (serve_fields(c, fields) != 0 ||
	    sale_payment(c, c->body, 0, &p) != 0)
		return;
	sl_err_clear(&e);
	if (sl_sale_pay(c->db, c->id, p.method, p.cents, &paid, &e) != SL_OK) {
		serve_book_fail(c, &e, 1);
		return;
	}
	sale_reply(c, c->id, 201);
	if (c->status == 201)
		json_object_set_new(c->json, "payment", json_pack(
		    "{s:s, s:o, s:I, s:o, s:I}", "method", p.method,
		    "amount", sale_money(paid.amount_cents), "amount_cents",
		    (json_int_t)paid.amount_cents, "change",
		    sale_money(paid.change_cents), "change_cents",
		    (json_int_t)paid.change_cents));
}

/* A query argument that names a payment method or a code: printable
 * ASCII, at most 64 bytes. */
static int
sale_query(struct serve_call *c, const char *name, const char **out)
{
	const char *v = MHD_lookup_connection_value(c->conn,
	    MHD_GET_ARGUMENT_KIND, name);
	size_t i, n;

	*out = NULL;
	if (v == NULL)
		return 0;
	n = strlen(v);
	for (i = 0; i < n && v[i] > 0x20 && v[i] < 0x7f; i++)
		;
	if (n == 0 || n > 64 || i < n) {
		serve_error(c, 400, "bad_query", "%s must be 1 to 64 printable "
		    "characters", name);
		return -1;
	}
	*out = v;
	return 0;
}

void
serve_sale_cancel(struct serve_call *c)
{
	const char *refund, *auth;
	struct sl_booking *b = NULL;
	struct sl_err e;
	json_t *seats;
	int64_t back = 0;
	size_t nb = 0, i;

	if (sale_query(c, "refund", &refund) != 0 ||
	    sale_query(c, "auth", &auth) != 0)
		return;
	sl_err_clear(&e);
	if (sl_sale_cancel(c->db, c->id, refund, auth, &b, &nb, &back,
	    &e) != SL_OK) {
		serve_book_fail(c, &e, 1);
		return;
	}
	seats = json_array();
	for (i = 0; i < nb && seats != NULL; i++)
		json_array_append_new(seats, json_pack("{s:I, s:s}", "id",
		    (json_int_t)b[i].id, "seat", b[i].label));
	free(b);
	sale_reply(c, c->id, 200);
	if (c->status == 200) {
		json_object_set_new(c->json, "cancelled", seats);
		json_object_set_new(c->json, "refunded", sale_money(back));
		json_object_set_new(c->json, "refunded_cents",
		    json_integer((json_int_t)back));
	} else
		json_decref(seats);
}

/* A reservation: r's seats kept for holder (or customer r->user) until a
 * time; *id and expires set. */
static int
hold_reserve(struct serve_call *c, struct sale_req *r, const char *until,
    int64_t *id, char *expires)
{
	const char *holder, *why;
	struct sl_err e;

	if (serve_str(c, "holder", 0, &holder) != 0)
		return -1;
	if (sl_text_valid(until, 64, &why) != 0 || r->n == 0 ||
	    r->seconds > 0) {
		serve_error(c, 400, "invalid", "a reservation is \"seats\" "
		    "until a time (\"until\": \"2031-01-01 18:00\"), for a "
		    "\"holder\" or \"user_id\"; no \"seconds\"");
		return -1;
	}
	sl_err_clear(&e);
	if (sl_reserve(c->db, r->show, r->lp, r->n, r->user, holder, until, id,
	    expires, &e) != SL_OK) {
		serve_book_fail(c, &e, 1);
		return -1;
	}
	return 0;
}

/* A hold of r's seats, or of the best r->best; *id and expires set, the
 * labels of best available into r. */
static int
hold_make(struct serve_call *c, struct sale_req *r, int64_t *id,
    char *expires)
{
	struct sl_err e;
	enum sl_rc rc;

	if (r->user > 0 || json_object_get(c->body, "holder") != NULL) {
		serve_error(c, 400, "invalid", "a hold for a customer is a "
		    "reservation: give \"until\"");
		return -1;
	}
	sl_err_clear(&e);
	if (r->best > 0) {
		if (sale_alloc(c, r, (size_t)r->best) != 0)
			return -1;
		rc = sl_hold_best(c->db, r->show, (int)r->best, r->zone,
		    r->seconds, id, expires, r->labels, &e);
		r->n = rc == SL_OK ? (size_t)r->best : 0;
	} else
		rc = sl_hold_seats(c->db, r->show, r->lp, r->n, r->seconds,
		    NULL, id, expires, &e);
	if (rc != SL_OK) {
		serve_book_fail(c, &e, 1);
		return -1;
	}
	return 0;
}

void
serve_hold_new(struct serve_call *c)
{
	static const char *const fields[] = { "show_id", "seats", "best",
	    "zone", "seconds", "until", "holder", "user_id", NULL };
	json_t *seats = json_object_get(c->body, "seats"), *out;
	char expires[48] = "";
	const char *until;
	struct sale_req r;
	int64_t id = 0;
	size_t i;
	int bad;

	memset(&r, 0, sizeof r);
	if (serve_fields(c, fields) != 0 ||
	    serve_id(c, "show_id", &r.show) != 0 ||
	    sale_int(c, "best", 1, SL_BEST_MAX, &r.best) != 0 ||
	    sale_int(c, "seconds", 1, 86400, &r.seconds) != 0 ||
	    sale_int(c, "user_id", 1, INT64_MAX, &r.user) != 0 ||
	    serve_str(c, "zone", 0, &r.zone) != 0 ||
	    serve_str(c, "until", 0, &until) != 0)
		goto out;
	if ((seats != NULL) == (r.best > 0) || (r.zone != NULL && r.best == 0)) {
		serve_error(c, 400, "invalid", "a hold takes one of \"seats\" "
		    "(labels) or \"best\" (with \"zone\")");
		goto out;
	}
	if (seats != NULL && sale_seats(c, &r, seats, 0) != 0)
		goto out;
	bad = until != NULL ? hold_reserve(c, &r, until, &id, expires) :
	    hold_make(c, &r, &id, expires);
	if (bad)
		goto out;
	out = json_array();
	for (i = 0; i < r.n && out != NULL; i++)
		json_array_append_new(out, json_string(r.labels[i]));
	c->status = 201;
	c->json = json_pack("{s:I, s:I, s:s, s:o, s:s?}", "id", (json_int_t)id,
	    "show_id", (json_int_t)r.show, "kind", until != NULL ?
	    "reservation" : "hold", "seats", out,
	    "expires_at", expires[0] != '\0' ? expires : NULL);
out:
	sale_req_free(&r);
}

void
serve_hold_release(struct serve_call *c)
{
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_hold_release(c->db, c->id, NULL, NULL, NULL, &e) != SL_OK) {
		serve_book_fail(c, &e, 1);
		return;
	}
	c->status = 204;
}
