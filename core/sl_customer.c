/*
 * sl_customer.c - customers: registering, lookup and history.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_customer.h"
#include "sl_db_int.h"

/* Characters (code points) of valid UTF-8 text. */
static size_t
sl_customer_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

enum sl_rc
sl_user_register(struct sl_db *db, const char *name, const char *email,
    const char *phone, int64_t *id, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	const char *why;
	enum sl_rc rc;

	if (sl_text_valid(name, SL_NAME_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the name %s", why);
	/* app_user.name allows 200 characters: say so here, rather than
	 * show the clerk a constraint name and the failing row. */
	if (sl_customer_chars(name) > 200)
		return sl_err_set(e, SL_EINVAL,
		    "the name is too long (at most 200 characters)");
	if (sl_email_valid(email) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "\"%.100s\" is not an email address", email);
	if (phone != NULL && sl_phone_valid(phone) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "the phone number may hold only digits, spaces and + ( ) . / -");
	sl_db_args(&a, db, "sss", name, email, phone);
	rc = sl_db_query_int(db, "SELECT sl_user_add($1, $2, $3)", &a,
	    "user id", id, e);
	if (rc == SL_ECONFLICT)
		return sl_err_set(e, SL_ECONFLICT,
		    "a customer with email %.254s is registered already", email);
	return rc;
}

/*
 * One arm per index of sql/0003_depth.sql, so the planner can combine
 * index scans (BitmapOr).  The patterns are parameters: the unnamed
 * statement of PQexecParams is planned with their values, which is what
 * makes a LIKE prefix indexable.
 */
const char sl_customer_find_sql[] =
    "SELECT user_id, name, email, phone, to_json(created_at) #>> '{}' "
    "FROM app_user "
    "WHERE lower(name) LIKE lower($1) "
    "OR lower(regexp_replace(name, '^.*[[:space:]]', '')) LIKE lower($1) "
    "OR lower(email) LIKE lower($1) "
    "OR regexp_replace(phone, '[^0-9]', '', 'g') LIKE $2 "
    "ORDER BY lower(name), user_id LIMIT $3";

void
sl_customer_patterns(const char *text, char *like, size_t like_sz, char *digits,
    size_t digits_sz)
{
	const char *p;
	size_t n = 0, d = 0;
	int phone = 1;

	for (p = text; *p != '\0' && n + 3 < like_sz; p++) {
		/* LIKE's own characters match themselves */
		if (*p == '%' || *p == '_' || *p == '\\')
			like[n++] = '\\';
		like[n++] = *p;
	}
	like[n++] = '%';
	like[n] = '\0';
	for (p = text; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (d + 2 < digits_sz)
				digits[d++] = *p;
		} else if (strchr("+ ()./-", *p) == NULL)
			phone = 0;
	}
	if (!phone || d == 0)
		d = 0;
	else
		digits[d++] = '%';
	digits[d] = '\0';
}

/* Frees what a customer points to. */
static void
sl_customer_clear(void *v)
{
	struct sl_customer *c = v;

	free(c->name);
	free(c->email);
	free(c->phone);
}

void
sl_customer_list_free(struct sl_customer *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_customer_clear);
}

/* Fills c from columns 0..4 of row i.  -1 on no memory or a bad id. */
static int
sl_customer_fill(struct sl_customer *c, PGresult *res, int i)
{
	if (sl_db_int64(PQgetvalue(res, i, 0), &c->id) != 0)
		return -1;
	c->name = strdup(PQgetvalue(res, i, 1));
	c->email = strdup(PQgetvalue(res, i, 2));
	if (!PQgetisnull(res, i, 3))
		c->phone = strdup(PQgetvalue(res, i, 3));
	snprintf(c->created_at, sizeof c->created_at, "%s",
	    PQgetvalue(res, i, 4));
	if (c->name == NULL || c->email == NULL ||
	    (c->phone == NULL && !PQgetisnull(res, i, 3)))
		return -1;
	return 0;
}

/* One row of sl_customer_find: bad ids count as no memory, as ever. */
static enum sl_rc
sl_customer_fill_row(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	(void)ctx;
	if (sl_customer_fill(v, res, i) != 0)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	return SL_OK;
}

static void
sl_customer_set(void *out, void *v)
{
	*(struct sl_customer **)out = v;
}

static const struct sl_db_map sl_customer_map = {
	sl_customer_find_sql, sizeof(struct sl_customer), sl_customer_fill_row,
	sl_customer_clear, sl_customer_set
};

enum sl_rc
sl_customer_find(struct sl_db *db, const char *text, size_t limit,
    struct sl_customer **out, size_t *nout, struct sl_err *e)
{
	char like[2 * SL_FIND_MAX + 4], digits[SL_FIND_MAX + 2], lbuf[16];
	const char *params[3], *why;

	if (sl_text_valid(text, SL_FIND_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the search text %s", why);
	if (limit < 1 || limit > 1000)
		return sl_err_set(e, SL_EINVAL,
		    "a search returns 1 to 1000 "
		    "customers");
	sl_customer_patterns(text, like, sizeof like, digits, sizeof digits);
	snprintf(lbuf, sizeof lbuf, "%zu", limit);
	params[0] = like;
	params[1] = digits[0] != '\0' ? digits : NULL;
	params[2] = lbuf;
	return sl_db_list(db, &sl_customer_map, 3, params, out, nout, e);
}

/* Frees what one booking of a history points to. */
static void
sl_customer_booking_clear(void *v)
{
	free(((struct sl_customer_booking *)v)->title);
}

/* One row of a customer's bookings. */
static enum sl_rc
sl_customer_booking_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_customer_booking *b = v;

	(void)ctx;
	if (sl_db_int64(PQgetvalue(res, i, 0), &b->id) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 1), &b->show) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 7), &b->price_cents) != 0)
		return sl_err_set(e, SL_EDB, "bad booking row from server");
	if ((b->title = strdup(PQgetvalue(res, i, 2))) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf(b->starts_at, sizeof b->starts_at, "%s",
	    PQgetvalue(res, i, 3));
	snprintf(b->label, sizeof b->label, "%s", PQgetvalue(res, i, 4));
	snprintf(b->zone, sizeof b->zone, "%s", PQgetvalue(res, i, 5));
	b->active = PQgetvalue(res, i, 6)[0] == 't';
	snprintf(b->booked_at, sizeof b->booked_at, "%s",
	    PQgetvalue(res, i, 8));
	snprintf(b->cancelled_at, sizeof b->cancelled_at, "%s",
	    PQgetvalue(res, i, 9));
	return SL_OK;
}

static void
sl_customer_booking_set(void *out, void *v)
{
	*(struct sl_customer_booking **)out = v;
}

/* $1 the customer.  Serves: booking_user_idx (user_id, booked_at). */
static const struct sl_db_map sl_customer_booking_map = {
	"SELECT b.booking_id, b.show_id, sh.title, "
	"to_json(sh.starts_at) #>> '{}', s.label, coalesce(b.zone, ''), "
	"b.status = 'active', b.price_cents, "
	"to_json(b.booked_at) #>> '{}', "
	"coalesce(to_json(b.cancelled_at) #>> '{}', '') "
	"FROM booking b JOIN show sh ON sh.show_id = b.show_id "
	"JOIN seat s ON s.seat_id = b.seat_id "
	"WHERE b.user_id = $1 ORDER BY b.booked_at DESC, b.booking_id DESC",
	sizeof(struct sl_customer_booking), sl_customer_booking_fill,
	sl_customer_booking_clear, sl_customer_booking_set
};

void
sl_history_free(struct sl_history *h)
{
	if (h == NULL)
		return;
	sl_customer_clear(&h->customer);
	sl_db_free_list(h->booking, h->n, sizeof *h->booking,
	    sl_customer_booking_clear);
	free(h);
}

/* The customer row of sl_customer_history into a fresh h. */
static enum sl_rc
sl_customer_one(struct sl_db *db, const char *const *params, int64_t id,
    struct sl_history **out, struct sl_err *e)
{
	struct sl_history *h;
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params(db,
	    "SELECT user_id, name, email, phone, to_json(created_at) #>> '{}' "
	    "FROM app_user WHERE user_id = $1",
	    1, params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "user %" PRId64 " not found",
		    id);
	}
	if ((h = calloc(1, sizeof *h)) == NULL ||
	    sl_customer_fill(&h->customer, res, 0) != 0) {
		PQclear(res);
		sl_history_free(h);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	PQclear(res);
	*out = h;
	return SL_OK;
}

enum sl_rc
sl_customer_history(struct sl_db *db, int64_t id, struct sl_history **out,
    struct sl_err *e)
{
	struct sl_history *h = NULL;
	const char *params[1];
	char ibuf[24];
	enum sl_rc rc;
	size_t i;

	snprintf(ibuf, sizeof ibuf, "%" PRId64, id);
	params[0] = ibuf;
	if ((rc = sl_customer_one(db, params, id, &h, e)) != SL_OK)
		return rc;
	rc = sl_db_list(db, &sl_customer_booking_map, 1, params, &h->booking,
	    &h->n, e);
	if (rc != SL_OK) {
		sl_history_free(h);
		return rc;
	}
	for (i = 0; i < h->n; i++)
		if (h->booking[i].active) {
			h->active++;
			h->spent_cents += h->booking[i].price_cents;
		}
	*out = h;
	return SL_OK;
}
