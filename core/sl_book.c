/*
 * sl_book.c - book and cancel, with bounded retries.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_book.h"
#include "sl_book_int.h"
#include "sl_db_int.h"
#include "sl_log.h"
#include "sl_sbuf.h"

char *
sl_book_array(const char *const *labels, size_t n)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	size_t i;

	sl_sbuf_add(&b, "{", 1);
	for (i = 0; i < n; i++)
		sl_sbuf_array_elem(&b, labels[i]);
	sl_sbuf_add(&b, "}", 1);
	return sl_sbuf_take(&b);
}

int64_t
sl_booking_total(const struct sl_booking *b, size_t n)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += b[i].price_cents;
	return sum;
}

/* One row (booking id, label[, price_cents][, price_type][, sale_id]) of
 * a booking function: the optional columns found by name. */
static enum sl_rc
sl_book_fill(void *v, PGresult *res, int i, const void *ctx, struct sl_err *e)
{
	struct sl_booking *b = v;
	int c;

	(void)ctx;
	if (sl_db_int64(PQgetvalue(res, i, 0), &b->id) != 0)
		return sl_err_set(e, SL_EDB, "bad booking id from server");
	snprintf(b->label, sizeof b->label, "%s", PQgetvalue(res, i, 1));
	if ((c = PQfnumber(res, "price_cents")) >= 0 &&
	    sl_db_int64(PQgetvalue(res, i, c), &b->price_cents) != 0)
		return sl_err_set(e, SL_EDB, "bad price from server");
	if ((c = PQfnumber(res, "price_type")) >= 0)
		snprintf(b->type, sizeof b->type, "%s", PQgetvalue(res, i, c));
	if ((c = PQfnumber(res, "sale_id")) >= 0 &&
	    sl_db_int64(PQgetvalue(res, i, c), &b->sale) != 0)
		return sl_err_set(e, SL_EDB, "bad sale number from server");
	return SL_OK;
}

static void
sl_book_set(void *out, void *v)
{
	*(struct sl_booking **)out = v;
}

static const struct sl_db_map sl_book_map = {
	NULL, sizeof(struct sl_booking), sl_book_fill, NULL, sl_book_set
};

enum sl_rc
sl_book_rows(PGresult *res, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	return sl_db_rows(res, &sl_book_map, NULL, out, nout, e);
}

/* sl_book_rows, then clears res whatever happened. */
static enum sl_rc
sl_book_take_rows(PGresult *res, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	enum sl_rc rc = sl_book_rows(res, out, nout, e);

	PQclear(res);
	return rc;
}

/* sl_book_lookup with the labels already as an array literal (or NULL). */
static enum sl_rc
sl_book_lookup_arr(struct sl_db *db, const char *key, int64_t show,
    int64_t user, const char *arr, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	sl_db_args(&a, db, "sips", key, show, user, arr);
	rc = sl_db_params(db,
	    "SELECT l.booking_id, l.seat_label, b.price_cents, b.price_type, "
	    "b.request_id AS sale_id "
	    "FROM sl_book_lookup($1, $2, $3, $4::text[]) l "
	    "JOIN booking b ON b.booking_id = l.booking_id "
	    "ORDER BY b.seat_id", a.n, a.v, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "no booking was made with "
		    "request key %s", key);
	}
	return sl_book_take_rows(res, out, nout, e);
}

enum sl_rc
sl_book_lookup(struct sl_db *db, const char *key, int64_t show, int64_t user,
    const char *const *labels, size_t nlabels, struct sl_booking **out,
    size_t *nout, struct sl_err *e)
{
	char *arr = NULL;
	enum sl_rc rc;

	if (key == NULL || *key == '\0')
		return sl_err_set(e, SL_EINVAL, "no request key");
	if (labels != NULL && (arr = sl_book_array(labels, nlabels)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	rc = sl_book_lookup_arr(db, key, show, user, arr, out, nout, e);
	free(arr);
	return rc;
}

/*
 * A write that carries a request key (a booking, a cancel), and how to ask
 * by that key whether it committed.  The jobs below start with one.
 */
struct sl_book_keyed {
	struct sl_db	*db;
	const char	*what;		/* "booking", "cancel": for the log */
	const char	*nothing;	/* "nothing was booked" */
	const char	*key;
	/* SL_OK (it committed: outputs filled), SL_ENOTFOUND (it did not). */
	enum sl_rc	(*lookup)(struct sl_book_keyed *k);
	struct sl_err	*e;
};

/*
 * The connection died before the answer: reconnects with back-off and asks
 * by key whether the write committed, before anything is sent again (a
 * booking sent twice would fail as taken, a cancel as not active).  A
 * connection lost again while asking is asked again, a few times.  Sends
 * it again (returns 1) only if it did not commit and retries are left.
 */
static int
sl_book_keyed_lost(void *arg, int attempt, enum sl_rc *rc)
{
	struct sl_book_keyed *k = arg;
	int i;

	*rc = SL_ECONN;
	for (i = 0; i < 3 && *rc == SL_ECONN; i++) {
		/* sl_db_reconnect spends the whole reconnect budget. */
		if ((*rc = sl_db_reconnect(k->db, k->e)) != SL_OK)
			return 0;
		*rc = k->lookup(k);
	}
	if (*rc == SL_OK)
		sl_log(sl_db_log(k->db), "%s %s: committed before the "
		    "connection was lost (found by its key)", k->what, k->key);
	if (*rc != SL_ENOTFOUND)
		return 0;
	if (attempt >= sl_db_retries(k->db)) {
		*rc = sl_err_set(k->e, SL_ECONN, "connection to the database "
		    "lost - %s", k->nothing);
		return 0;
	}
	sl_log(sl_db_log(k->db), "%s %s: not committed before the "
	    "connection was lost; sending it again", k->what, k->key);
	return 1;
}

struct sl_book_job {
	struct sl_book_keyed	  k;
	struct sl_db_args	  a;		/* of sl_book */
	int64_t			  show, user;
	const char		 *arr;		/* the labels as a text[] */
	struct sl_booking	**out;
	size_t			 *nout;
};

/* The booking call: prepared on a connection of our own (sl_db_stmt). */
static const struct sl_db_stmt sl_book_stmt = {
	"sl_book",
	"SELECT booking_id, seat_label, price_cents, price_type, sale_id "
	"FROM sl_book($1, $2::text[], $3, $4, $5, $6, $7::jsonb)",
	7, SL_DB_SLOT_BOOK
};

static enum sl_rc
sl_book_once(void *arg, int attempt)
{
	struct sl_book_job *j = arg;
	PGresult *res;
	enum sl_rc rc;

	(void)attempt;
	rc = sl_db_params_stmt(j->k.db, &sl_book_stmt, j->a.v,
	    PGRES_TUPLES_OK, &res, j->k.e);
	if (rc != SL_OK)
		return rc;
	return sl_book_take_rows(res, j->out, j->nout, j->k.e);
}

static enum sl_rc
sl_book_job_lookup(struct sl_book_keyed *k)
{
	struct sl_book_job *j = (struct sl_book_job *)k;

	return sl_book_lookup_arr(k->db, k->key, j->show, j->user, j->arr,
	    j->out, j->nout, k->e);
}

enum sl_rc
sl_sale_book(struct sl_db *db, int64_t show, const char *const *labels,
    size_t nlabels, int64_t user, const char *key,
    const struct sl_sale_opts *opts, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	struct sl_book_job j = { 0 };
	char kbuf[64];
	char *arr, *oj;
	enum sl_rc rc;

	if (nlabels == 0)
		return sl_err_set(e, SL_EINVAL, "no seat named");
	if ((rc = sl_sale_opts_json(opts, sl_db_methods(db), &oj, e)) != SL_OK)
		return rc;
	if (key == NULL) {
		sl_db_request_key(kbuf, sizeof kbuf);
		key = kbuf;
	}
	arr = sl_book_array(labels, nlabels);
	if (arr == NULL) {
		free(oj);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	j.k = (struct sl_book_keyed){ db, "booking", "nothing was booked", key,
	    sl_book_job_lookup, e };
	sl_db_args(&j.a, db, "ispstos", show, arr, user, key, oj);
	j.show = show;
	j.user = user;
	j.arr = arr;
	j.out = out;
	j.nout = nout;
	rc = sl_db_retry(db, sl_book_once, sl_book_keyed_lost, &j);
	free(arr);
	free(oj);
	return rc;
}

enum sl_rc
sl_book_seats(struct sl_db *db, int64_t show, const char *const *labels,
    size_t nlabels, int64_t user, const char *key, struct sl_booking **out,
    size_t *nout, struct sl_err *e)
{
	return sl_sale_book(db, show, labels, nlabels, user, key, NULL, out,
	    nout, e);
}

/* Copies the one row (show id, seat label[, refund_cents]) of res; clears
 * res. */
static enum sl_rc
sl_book_cancel_row(PGresult *res, int64_t *show, char *label,
    int64_t *refunded, struct sl_err *e)
{
	int64_t sid, back = 0;

	if (PQntuples(res) != 1) {
		int n = PQntuples(res);

		PQclear(res);
		return sl_err_set(e, SL_EDB, "cancel returned %d rows", n);
	}
	if (sl_db_int64(PQgetvalue(res, 0, 0), &sid) != 0 ||
	    (PQnfields(res) > 2 &&
	    sl_db_int64(PQgetvalue(res, 0, 2), &back) != 0)) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad show id from server");
	}
	if (show != NULL)
		*show = sid;
	if (label != NULL)
		snprintf(label, SL_LABEL_MAX + 1, "%s", PQgetvalue(res, 0, 1));
	if (refunded != NULL)
		*refunded = back;
	PQclear(res);
	return SL_OK;
}

/* sl_book_cancel_lookup, with the refund it made. */
static enum sl_rc
sl_book_cancel_lookup_refund(struct sl_db *db, int64_t booking,
    const char *key, int64_t *show, char *label, int64_t *refunded,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	if (key == NULL || *key == '\0')
		return sl_err_set(e, SL_EINVAL, "no request key");
	sl_db_args(&a, db, "si", key, booking);
	rc = sl_db_params(db, "SELECT show_id, seat_label, refund_cents "
	    "FROM sl_cancel_lookup($1, $2)", a.n, a.v, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "no cancel was made with "
		    "request key %s", key);
	}
	return sl_book_cancel_row(res, show, label, refunded, e);
}

enum sl_rc
sl_book_cancel_lookup(struct sl_db *db, int64_t booking, const char *key,
    int64_t *show, char *label, struct sl_err *e)
{
	return sl_book_cancel_lookup_refund(db, booking, key, show, label, NULL,
	    e);
}

struct sl_book_cancel_job {
	struct sl_book_keyed	 k;
	struct sl_db_args	 a;		/* of sl_cancel_keyed */
	int64_t			 booking;
	int64_t			*show;
	char			*label;
	int64_t			*refunded;
};

static enum sl_rc
sl_book_cancel_once(void *arg, int attempt)
{
	struct sl_book_cancel_job *j = arg;
	PGresult *res;
	enum sl_rc rc;

	(void)attempt;
	rc = sl_db_params(j->k.db, "SELECT show_id, seat_label, refund_cents "
	    "FROM sl_cancel_keyed($1, $2, $3, $4, $5)", j->a.n, j->a.v,
	    PGRES_TUPLES_OK, &res, j->k.e);
	if (rc != SL_OK)
		return rc;
	return sl_book_cancel_row(res, j->show, j->label, j->refunded, j->k.e);
}

static enum sl_rc
sl_book_cancel_job_lookup(struct sl_book_keyed *k)
{
	struct sl_book_cancel_job *j = (struct sl_book_cancel_job *)k;

	return sl_book_cancel_lookup_refund(k->db, j->booking, k->key, j->show,
	    j->label, j->refunded, k->e);
}

enum sl_rc
sl_sale_cancel_booking(struct sl_db *db, int64_t booking, const char *key,
    const char *refund, const char *auth, int64_t *show, char *label,
    int64_t *refunded, struct sl_err *e)
{
	struct sl_book_cancel_job j = { 0 };
	char kbuf[64];

	if (refund != NULL &&
	    sl_sale_method_check(refund, sl_db_methods(db), e) != SL_OK)
		return SL_EINVAL;
	if (key == NULL) {
		sl_db_request_key(kbuf, sizeof kbuf);
		key = kbuf;
	}
	if (*key == '\0')
		return sl_err_set(e, SL_EINVAL, "no request key");
	j.k = (struct sl_book_keyed){ db, "cancel", "nothing was cancelled",
	    key, sl_book_cancel_job_lookup, e };
	sl_db_args(&j.a, db, "istss", booking, key, refund, auth);
	j.booking = booking;
	j.show = show;
	j.label = label;
	j.refunded = refunded;
	return sl_db_retry(db, sl_book_cancel_once, sl_book_keyed_lost, &j);
}

enum sl_rc
sl_book_cancel_key(struct sl_db *db, int64_t booking, const char *key,
    int64_t *show, char *label, struct sl_err *e)
{
	if (key == NULL || *key == '\0')
		return sl_err_set(e, SL_EINVAL, "no request key");
	return sl_sale_cancel_booking(db, booking, key, NULL, NULL, show, label,
	    NULL, e);
}

enum sl_rc
sl_book_cancel(struct sl_db *db, int64_t booking, int64_t *show, char *label,
    struct sl_err *e)
{
	return sl_sale_cancel_booking(db, booking, NULL, NULL, NULL, show,
	    label, NULL, e);
}

/* Frees what one sl_booking_info points to. */
static void
sl_book_info_clear(void *v)
{
	struct sl_booking_info *b = v;

	free(b->title);
	free(b->name);
	free(b->email);
}

void
sl_booking_info_free(struct sl_booking_info *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_book_info_clear);
}

#define SL_BOOK_INFO_COLUMNS \
	"SELECT b.booking_id, b.show_id, b.user_id, b.status = 'active', " \
	"s.label, to_json(sh.starts_at) #>> '{}', sh.title, u.name, u.email, " \
	"b.request_id, b.price_cents " \
	"FROM booking b JOIN seat s ON s.seat_id = b.seat_id " \
	"JOIN show sh ON sh.show_id = b.show_id " \
	"LEFT JOIN app_user u ON u.user_id = b.user_id "

/* One row of SL_BOOK_INFO_COLUMNS. */
static enum sl_rc
sl_book_info_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_booking_info *b = v;

	(void)ctx;
	b->title = strdup(PQgetvalue(res, i, 6));
	b->name = strdup(PQgetvalue(res, i, 7));
	b->email = strdup(PQgetvalue(res, i, 8));
	if (b->title == NULL || b->name == NULL || b->email == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 0), &b->id) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 1), &b->show) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 9), &b->sale) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 10), &b->price_cents) != 0 ||
	    (!PQgetisnull(res, i, 2) &&
	    sl_db_int64(PQgetvalue(res, i, 2), &b->user) != 0))
		return sl_err_set(e, SL_EDB, "bad id from server");
	b->active = PQgetvalue(res, i, 3)[0] == 't';
	snprintf(b->label, sizeof b->label, "%s", PQgetvalue(res, i, 4));
	snprintf(b->starts_at, sizeof b->starts_at, "%s",
	    PQgetvalue(res, i, 5));
	return SL_OK;
}

static void
sl_book_info_set(void *out, void *v)
{
	*(struct sl_booking_info **)out = v;
}

/*
 * Two statements rather than one OR: each keeps its index path (the primary
 * key, or the customer prefix indexes then booking_user_idx).  $1 the
 * booking id or the text, $2 the limit.
 */
static const struct sl_db_map sl_book_info_by_id = {
	SL_BOOK_INFO_COLUMNS
	"WHERE b.booking_id = $1::bigint LIMIT $2::integer",
	sizeof(struct sl_booking_info), sl_book_info_fill, sl_book_info_clear,
	sl_book_info_set
};
static const struct sl_db_map sl_book_info_by_name = {
	SL_BOOK_INFO_COLUMNS
	"WHERE b.status = 'active' AND (lower(u.name) LIKE "
	"sl_prefix_pattern($1) OR lower(u.email) LIKE "
	"sl_prefix_pattern($1)) ORDER BY sh.starts_at, lower(u.name), "
	"u.user_id, s.map_y, s.map_x LIMIT $2::integer",
	sizeof(struct sl_booking_info), sl_book_info_fill, sl_book_info_clear,
	sl_book_info_set
};

enum sl_rc
sl_book_search(struct sl_db *db, const char *q, size_t limit,
    struct sl_booking_info **out, size_t *nout, struct sl_err *e)
{
	const struct sl_db_map *m;
	const char *params[2], *why;
	char ibuf[24], lbuf[24];
	int64_t id;

	if (sl_text_valid(q, 200, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the search text %s", why);
	if (limit < 1 || limit > 500)
		return sl_err_set(e, SL_EINVAL, "limit must be 1 to 500");
	snprintf(lbuf, sizeof lbuf, "%zu", limit);
	params[1] = lbuf;
	if (sl_parse_id(q, &id) == 0) {
		snprintf(ibuf, sizeof ibuf, "%" PRId64, id);
		params[0] = ibuf;
		m = &sl_book_info_by_id;
	} else {
		params[0] = q;
		m = &sl_book_info_by_name;
	}
	return sl_db_list(db, m, 2, params, out, nout, e);
}

enum sl_rc
sl_book_any_cancelled(struct sl_db *db, const struct sl_booking *b, size_t n,
    int *cancelled, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	int64_t v = 0;
	enum sl_rc rc;
	char *arr;

	*cancelled = 0;
	if (n == 0)
		return SL_OK;
	if ((arr = sl_sbuf_ids(&b[0].id, n, sizeof *b)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	sl_db_args(&a, db, "s", arr);
	rc = sl_db_query_int(db, "SELECT count(*) FROM booking "
	    "WHERE booking_id = ANY ($1::bigint[]) AND status <> 'active'",
	    &a, "booking count", &v, e);
	free(arr);
	*cancelled = rc == SL_OK && v > 0;
	return rc;
}
