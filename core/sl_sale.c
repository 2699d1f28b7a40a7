/*
 * sl_sale.c - a sale's document, payments, cancelling a whole sale,
 * shifts, vouchers, a supervisor's code, settings and reservations: each
 * one SQL function (sql/functions/money.sql, shifts.sql, booking.sql,
 * holds.sql) in one round trip.  Documents are built by the database
 * (jsonb) and read here with jansson.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_book_int.h"
#include "sl_db_int.h"
#include "sl_money.h"
#include "sl_sale.h"

/* Runs sql (one row, one jsonb column) and parses it into *doc;
 * SL_ENOTFOUND naming what when the row is NULL. */
static enum sl_rc
sl_sale_doc_query(struct sl_db *db, const char *sql,
    const struct sl_db_args *a, const char *what, json_t **doc,
    struct sl_err *e)
{
	json_error_t je;
	PGresult *res;
	enum sl_rc rc;

	*doc = NULL;
	rc = sl_db_params(db, sql, a->n, a->v, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "%s not found", what);
	}
	*doc = json_loads(PQgetvalue(res, 0, 0), 0, &je);
	PQclear(res);
	if (*doc == NULL)
		return sl_err_set(e, SL_EDB, "bad document from server: %s",
		    je.text);
	return SL_OK;
}

enum sl_rc
sl_sale_get(struct sl_db *db, int64_t sale, json_t **doc, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char what[48];

	snprintf(what, sizeof what, "sale %" PRId64, sale);
	sl_db_args(&a, db, "i", sale);
	return sl_sale_doc_query(db, "SELECT sl_sale_doc($1)", &a, what, doc,
	    e);
}

enum sl_rc
sl_sale_pay(struct sl_db *db, int64_t sale, const char *method, int64_t cents,
    struct sl_paid *out, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	if (sl_sale_method_check(method, sl_db_methods(db), e) != SL_OK)
		return SL_EINVAL;
	if (cents == 0 || cents > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "a payment is 0.01 to "
		    "100000000.00");
	sl_db_args(&a, db, "ispt", sale, method, cents);
	rc = sl_db_params(db, "SELECT amount_cents, change_cents, due_cents "
	    "FROM sl_pay($1, $2, $3, $4)", a.n, a.v, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1 ||
	    sl_db_int64(PQgetvalue(res, 0, 0), &out->amount_cents) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 1), &out->change_cents) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 2), &out->due_cents) != 0)
		rc = sl_err_set(e, SL_EDB, "bad payment from server");
	PQclear(res);
	return rc;
}

enum sl_rc
sl_sale_cancel(struct sl_db *db, int64_t sale, const char *refund,
    const char *auth, struct sl_booking **out, size_t *nout,
    int64_t *refunded, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;
	int64_t back = 0;

	if (refund != NULL &&
	    sl_sale_method_check(refund, sl_db_methods(db), e) != SL_OK)
		return SL_EINVAL;
	sl_db_args(&a, db, "itss", sale, refund, auth);
	rc = sl_db_params(db, "SELECT booking_id, seat_label, refund_cents "
	    "FROM sl_cancel_sale($1, $2, $3, $4)", a.n, a.v, PGRES_TUPLES_OK,
	    &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) > 0 &&
	    sl_db_int64(PQgetvalue(res, 0, 2), &back) != 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad refund from server");
	}
	rc = sl_book_rows(res, out, nout, e);
	PQclear(res);
	if (rc == SL_OK && refunded != NULL)
		*refunded = back;
	return rc;
}

enum sl_rc
sl_shift_open(struct sl_db *db, int64_t float_cents, int64_t *id,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	if (float_cents < 0 || float_cents > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "a float is 0.00 to "
		    "100000000.00");
	sl_db_args(&a, db, "it", float_cents);
	return sl_db_query_int(db, "SELECT sl_shift_open($1, $2)", &a, "shift",
	    id, e);
}

enum sl_rc
sl_shift_report(struct sl_db *db, int64_t shift, json_t **doc,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	sl_db_args(&a, db, "p", shift);
	return sl_sale_doc_query(db, "SELECT sl_shift_report($1)", &a, "shift",
	    doc, e);
}

enum sl_rc
sl_shift_close(struct sl_db *db, int64_t shift, int64_t counted_cents,
    json_t **doc, struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	if (counted_cents < 0 || counted_cents > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "the counted cash is 0.00 to "
		    "100000000.00");
	sl_db_args(&a, db, "ipt", counted_cents, shift);
	return sl_sale_doc_query(db, "SELECT sl_shift_close($1, $2, $3)", &a,
	    "shift", doc, e);
}

enum sl_rc
sl_voucher_add(struct sl_db *db, const char *code, int percent, int64_t cents,
    int uses, const char *until, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	if ((percent > 0) == (cents > 0))
		return sl_err_set(e, SL_EINVAL, "a voucher takes a percentage "
		    "or an amount off, not both");
	sl_db_args(&a, db, "sppis", code, (int64_t)percent, cents,
	    (int64_t)uses, until);
	rc = sl_db_params(db, "SELECT sl_voucher_add($1, $2::integer, $3, "
	    "$4::integer, $5::timestamptz)", a.n, a.v, PGRES_TUPLES_OK, &res, e);
	if (rc == SL_OK)
		PQclear(res);
	return rc;
}

enum sl_rc
sl_voucher_list(struct sl_db *db, json_t **arr, struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	return sl_sale_doc_query(db, "SELECT coalesce(jsonb_agg("
	    "jsonb_build_object('code', v.code, 'percent', v.percent, "
	    "'amount', sl_money_text(v.amount_cents), 'amount_cents', "
	    "v.amount_cents, 'uses', v.uses, 'uses_max', v.uses_max, "
	    "'valid_until', v.valid_until) ORDER BY v.code), '[]'::jsonb) "
	    "FROM voucher v", &a, "vouchers", arr, e);
}

enum sl_rc
sl_auth_issue(struct sl_db *db, int minutes, char *code, char *expires,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	sl_db_args(&a, db, "i", (int64_t)minutes);
	rc = sl_db_params(db, "SELECT code, to_json(expires_at) #>> '{}' "
	    "FROM sl_auth_issue($1::integer)", a.n, a.v, PGRES_TUPLES_OK, &res,
	    e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "no code from server");
	}
	snprintf(code, SL_AUTH_MAX + 1, "%s", PQgetvalue(res, 0, 0));
	snprintf(expires, 48, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return SL_OK;
}

enum sl_rc
sl_setting_set(struct sl_db *db, const char *name, int64_t value,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	sl_db_args(&a, db, "si", name, value);
	rc = sl_db_params(db, "SELECT sl_setting_set($1, $2)", a.n, a.v,
	    PGRES_TUPLES_OK, &res, e);
	if (rc == SL_OK)
		PQclear(res);
	return rc;
}

enum sl_rc
sl_reserve(struct sl_db *db, int64_t show, const char *const *labels,
    size_t nlabels, int64_t user, const char *holder, const char *until,
    int64_t *hold, char *expires, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;
	char *arr;

	if (nlabels == 0)
		return sl_err_set(e, SL_EINVAL, "no seat named");
	if ((arr = sl_book_array(labels, nlabels)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	sl_db_args(&a, db, "ispssto", show, arr, user, holder, until);
	rc = sl_db_params(db, "SELECT hold_id, to_json(expires_at) #>> '{}' "
	    "FROM sl_reserve($1, $2::text[], $3, $4, $5::timestamptz, $6, $7)",
	    a.n, a.v, PGRES_TUPLES_OK, &res, e);
	free(arr);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1 ||
	    sl_db_int64(PQgetvalue(res, 0, 0), hold) != 0)
		rc = sl_err_set(e, SL_EDB, "bad reservation from server");
	else if (expires != NULL)
		snprintf(expires, 48, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return rc;
}

static void
sl_reservation_clear(void *v)
{
	struct sl_reservation *r = v;

	free(r->title);
	free(r->holder);
	free(r->seats);
}

void
sl_reservation_free(struct sl_reservation *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_reservation_clear);
}

static enum sl_rc
sl_reservation_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_reservation *r = v;

	(void)ctx;
	r->title = strdup(PQgetvalue(res, i, 2));
	r->holder = strdup(PQgetvalue(res, i, 4));
	r->seats = strdup(PQgetvalue(res, i, 6));
	if (r->title == NULL || r->holder == NULL || r->seats == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 0), &r->hold) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 1), &r->show) != 0 ||
	    (!PQgetisnull(res, i, 5) &&
	    sl_db_int64(PQgetvalue(res, i, 5), &r->user) != 0))
		return sl_err_set(e, SL_EDB, "bad reservation from server");
	snprintf(r->starts_at, sizeof r->starts_at, "%s", PQgetvalue(res, i, 3));
	snprintf(r->expires_at, sizeof r->expires_at, "%s",
	    PQgetvalue(res, i, 7));
	return SL_OK;
}

static void
sl_reservation_set(void *out, void *v)
{
	*(struct sl_reservation **)out = v;
}

static const struct sl_db_map sl_reservation_map = {
	"SELECT hold_id, show_id, title, to_json(starts_at) #>> '{}', holder, "
	"user_id, seats, to_json(expires_at) #>> '{}' FROM sl_reservations($1)",
	sizeof(struct sl_reservation), sl_reservation_fill,
	sl_reservation_clear, sl_reservation_set
};

enum sl_rc
sl_reservation_find(struct sl_db *db, const char *query,
    struct sl_reservation **out, size_t *n, struct sl_err *e)
{
	const char *params[1] = { query };
	const char *why;

	if (query != NULL && sl_text_valid(query, 200, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the search text %s", why);
	return sl_db_list(db, &sl_reservation_map, 1, params, out, n, e);
}
