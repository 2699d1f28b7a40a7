/*
 * sl_sell.c - book from a hold, best available, exchange.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_book_int.h"
#include "sl_db_int.h"
#include "sl_hold.h"
#include "sl_sbuf.h"
#include "sl_sell.h"
#include "sl_zone.h"

/*
 * Runs sql and reads its booking rows into *out.  Its parameters include a
 * request key, so a lost connection is retried too (reconnect, and ask
 * again with the same key), as sl_book_seats does.
 */
static enum sl_rc
sl_sell_bookings(struct sl_db *db, const char *sql, const struct sl_db_args *a,
    struct sl_booking **out, size_t *nout, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params_retry(db, sql, a->n, a->v, 1, &res, e);
	if (rc != SL_OK)
		return rc;
	rc = sl_book_rows(res, out, nout, e);
	PQclear(res);
	return rc;
}

/* sl_sell_bookings with the opts as the last parameter ($N::jsonb). */
static enum sl_rc
sl_sell_opts(struct sl_db *db, const char *sql, struct sl_db_args *a,
    const struct sl_sale_opts *opts, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	char *oj;
	enum sl_rc rc;

	if ((rc = sl_sale_opts_json(opts, sl_db_methods(db), &oj, e)) != SL_OK)
		return rc;
	a->v[a->n++] = oj;
	rc = sl_sell_bookings(db, sql, a, out, nout, e);
	free(oj);
	return rc;
}

enum sl_rc
sl_sale_hold(struct sl_db *db, int64_t show, int64_t hold, int64_t user,
    const char *key, const struct sl_sale_opts *opts, struct sl_booking **out,
    size_t *nout, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char kbuf[64];

	if (key == NULL) {
		sl_db_request_key(kbuf, sizeof kbuf);
		key = kbuf;
	}
	sl_db_args(&a, db, "iipsto", show, hold, user, key);
	return sl_sell_opts(db,
	    "SELECT booking_id, seat_label, price_cents, price_type, sale_id "
	    "FROM sl_book_hold($1, $2, $3, $4, $5, $6, $7::jsonb)", &a, opts,
	    out, nout, e);
}

enum sl_rc
sl_sell_hold(struct sl_db *db, int64_t show, int64_t hold, int64_t user,
    const char *key, struct sl_booking **out, size_t *nout, struct sl_err *e)
{
	return sl_sale_hold(db, show, hold, user, key, NULL, out, nout, e);
}

enum sl_rc
sl_sale_best(struct sl_db *db, int64_t show, int n, int64_t user,
    const char *zone, const char *key, const struct sl_sale_opts *opts,
    struct sl_booking **out, size_t *nout, struct sl_err *e)
{
	char kbuf[64], zbuf[SL_ZONE_MAX + 1];
	struct sl_db_args a = { 0 };

	if (n < 1 || n > 50)
		return sl_err_set(e, SL_EINVAL,
		    "best available books 1 to 50 seats");
	if (zone != NULL && sl_zone_code_check(zone, zbuf, e) != SL_OK)
		return SL_EINVAL;
	if (key == NULL) {
		sl_db_request_key(kbuf, sizeof kbuf);
		key = kbuf;
	}
	sl_db_args(&a, db, "iipssto", show, (int64_t)n, user,
	    zone != NULL ? zbuf : NULL, key);
	return sl_sell_opts(db,
	    "SELECT booking_id, seat_label, price_cents, price_type, sale_id "
	    "FROM sl_book_best($1, $2, $3, $4, $5, $6, $7, $8::jsonb)", &a,
	    opts, out, nout, e);
}

enum sl_rc
sl_sell_best(struct sl_db *db, int64_t show, int n, int64_t user,
    const char *zone, const char *key, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	return sl_sale_best(db, show, n, user, zone, key, NULL, out, nout, e);
}

/* The exchange's first row: the old total (column 3) and the refund. */
static enum sl_rc
sl_sell_exchange_sums(PGresult *res, int64_t *old_total, int64_t *refund,
    struct sl_err *e)
{
	int64_t total = 0, back = 0;
	int c = PQfnumber(res, "refund_cents");

	if (PQntuples(res) > 0 &&
	    (sl_db_int64(PQgetvalue(res, 0, 3), &total) != 0 ||
	    (c >= 0 && sl_db_int64(PQgetvalue(res, 0, c), &back) != 0)))
		return sl_err_set(e, SL_EDB, "bad total from server");
	if (old_total != NULL)
		*old_total = total;
	if (refund != NULL)
		*refund = back;
	return SL_OK;
}

/* The arrays of an exchange: its bookings and labels as SQL literals. */
static enum sl_rc
sl_sell_exchange_arrays(const int64_t *bookings, size_t nbookings,
    const char *const *labels, size_t nlabels, char **barr, char **larr,
    struct sl_err *e)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	size_t i;

	sl_sbuf_add(&b, "{", 1);
	for (i = 0; i < nbookings; i++)
		sl_sbuf_printf(&b, "%s%" PRId64, i ? "," : "", bookings[i]);
	sl_sbuf_add(&b, "}", 1);
	*barr = sl_sbuf_take(&b);
	*larr = sl_book_array(labels, nlabels);
	if (*barr == NULL || *larr == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	return SL_OK;
}

enum sl_rc
sl_sale_exchange(struct sl_db *db, const int64_t *bookings, size_t nbookings,
    int64_t to_show, const char *const *labels, size_t nlabels,
    const char *reason, const char *key, const struct sl_sale_opts *opts,
    struct sl_booking **out, size_t *nout, int64_t *old_total,
    int64_t *refund, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	const char *why;
	char *barr = NULL, *larr = NULL, *oj = NULL, kbuf[64];
	PGresult *res = NULL;
	enum sl_rc rc;

	if (nbookings == 0 || nlabels == 0)
		return sl_err_set(e, SL_EINVAL, "name bookings and seats");
	if (nbookings != nlabels)
		return sl_err_set(e, SL_EINVAL,
		    "an exchange names one new seat "
		    "for each booking (%zu bookings, %zu seats)",
		    nbookings, nlabels);
	if (reason != NULL && sl_text_valid(reason, SL_REASON_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the reason %s", why);
	if ((rc = sl_sale_opts_json(opts, sl_db_methods(db), &oj, e)) != SL_OK)
		return rc;
	if (key == NULL) {
		sl_db_request_key(kbuf, sizeof kbuf);
		key = kbuf;
	}
	if ((rc = sl_sell_exchange_arrays(bookings, nbookings, labels, nlabels,
	    &barr, &larr, e)) != SL_OK)
		goto out;
	sl_db_args(&a, db, "spsssto", barr, to_show, larr, reason, key);
	a.v[a.n++] = oj;
	rc = sl_db_params_retry(db,
	    "SELECT booking_id, seat_label, price_cents, old_total_cents, "
	    "price_type, sale_id, refund_cents FROM sl_exchange($1::bigint[], "
	    "$2, $3::text[], $4, $5, $6, $7, $8::jsonb)", a.n, a.v, 1, &res, e);
	if (rc != SL_OK)
		goto out;
	if ((rc = sl_sell_exchange_sums(res, old_total, refund, e)) != SL_OK)
		goto out;
	rc = sl_book_rows(res, out, nout, e);
out:
	PQclear(res);
	free(barr);
	free(larr);
	free(oj);
	return rc;
}

enum sl_rc
sl_sell_exchange(struct sl_db *db, const int64_t *bookings, size_t nbookings,
    int64_t to_show, const char *const *labels, size_t nlabels,
    const char *reason, const char *key, struct sl_booking **out, size_t *nout,
    int64_t *old_total, struct sl_err *e)
{
	return sl_sale_exchange(db, bookings, nbookings, to_show, labels,
	    nlabels, reason, key, NULL, out, nout, old_total, NULL, e);
}
