/*
 * sl_book.c - book and cancel, with bounded retries.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_book.h"
#include "sl_book_int.h"
#include "sl_db_int.h"

void
sl_book_backoff(int attempt)
{
	struct timespec ts;
	unsigned int span, ms;
	static __thread unsigned int seed;

	if (seed == 0)
		seed = (unsigned int)time(NULL) ^ (unsigned int)getpid() ^
		    (unsigned int)(uintptr_t)&ts;
	span = 5u << (attempt > 6 ? 6 : attempt);
	ms = 5 + (unsigned int)rand_r(&seed) % span;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

char *
sl_book_array(const char *const *labels, size_t n)
{
	size_t cap = 3, i, len = 0;
	const char *p;
	char *buf;

	for (i = 0; i < n; i++)
		cap += 2 * strlen(labels[i]) + 3;
	buf = malloc(cap);
	if (buf == NULL)
		return NULL;
	buf[len++] = '{';
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf[len++] = ',';
		buf[len++] = '"';
		for (p = labels[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf[len++] = '\\';
			buf[len++] = *p;
		}
		buf[len++] = '"';
	}
	buf[len++] = '}';
	buf[len] = '\0';
	return buf;
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

enum sl_rc
sl_book_rows(PGresult *res, struct sl_booking **out, size_t *nout,
    struct sl_err *e)
{
	struct sl_booking *v;
	int i, n;

	n = PQntuples(res);
	v = calloc(n > 0 ? (size_t)n : 1, sizeof *v);
	if (v == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		if (sl_db_int64(PQgetvalue(res, i, 0), &v[i].id) != 0) {
			free(v);
			return sl_err_set(e, SL_EDB, "bad booking id from server");
		}
		snprintf(v[i].label, sizeof v[i].label, "%s",
		    PQgetvalue(res, i, 1));
		if (PQnfields(res) > 2 &&
		    sl_db_int64(PQgetvalue(res, i, 2), &v[i].price_cents) != 0) {
			free(v);
			return sl_err_set(e, SL_EDB, "bad price from server");
		}
	}
	*out = v;
	*nout = (size_t)n;
	return SL_OK;
}

static enum sl_rc
sl_book_once(struct sl_db *db, const char *const *params,
    struct sl_booking **out, size_t *nout, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params(db,
	    "SELECT booking_id, seat_label, price_cents FROM sl_book($1, "
	    "$2::text[], $3, $4, $5)", 5, params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	rc = sl_book_rows(res, out, nout, e);
	PQclear(res);
	return rc;
}

enum sl_rc
sl_book_seats(struct sl_db *db, int64_t show, const char *const *labels,
    size_t nlabels, int64_t user, const char *key, struct sl_booking **out,
    size_t *nout, struct sl_err *e)
{
	char sbuf[24], ubuf[24], kbuf[64];
	const char *params[5];
	char *arr;
	enum sl_rc rc;
	int attempt;

	if (nlabels == 0)
		return sl_err_set(e, SL_EINVAL, "no seat named");
	if (key == NULL) {
		sl_db_request_key(kbuf, sizeof kbuf);
		key = kbuf;
	}
	arr = sl_book_array(labels, nlabels);
	if (arr == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf(sbuf, sizeof sbuf, "%" PRId64, show);
	snprintf(ubuf, sizeof ubuf, "%" PRId64, user);
	params[0] = sbuf;
	params[1] = arr;
	params[2] = ubuf;
	params[3] = key;
	params[4] = sl_db_terminal(db);
	for (attempt = 0;; attempt++) {
		rc = sl_book_once(db, params, out, nout, e);
		if (attempt >= sl_db_retries(db))
			break;
		if (rc == SL_ERETRY) {
			sl_book_backoff(attempt);
			continue;
		}
		if (rc == SL_ECONN) {
			/* The outcome is unknown: reconnect and ask again with
			 * the same key; the server answers from the first
			 * attempt if it committed. */
			sl_book_backoff(attempt + 2);
			if (sl_db_reset(db, NULL) != SL_OK && attempt + 1 >=
			    sl_db_retries(db))
				break;
			continue;
		}
		break;
	}
	free(arr);
	return rc;
}

enum sl_rc
sl_book_cancel(struct sl_db *db, int64_t booking, int64_t *show, char *label,
    struct sl_err *e)
{
	const char *params[2];
	char bbuf[24];
	PGresult *res;
	enum sl_rc rc;
	int attempt;

	snprintf(bbuf, sizeof bbuf, "%" PRId64, booking);
	params[0] = bbuf;
	params[1] = sl_db_terminal(db);
	for (attempt = 0;; attempt++) {
		rc = sl_db_params(db,
		    "SELECT show_id, seat_label FROM sl_cancel($1, $2)", 2,
		    params, PGRES_TUPLES_OK, &res, e);
		if (rc != SL_ERETRY || attempt >= sl_db_retries(db))
			break;
		sl_book_backoff(attempt);
	}
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1) {
		int n = PQntuples(res);

		PQclear(res);
		return sl_err_set(e, SL_EDB, "cancel returned %d rows", n);
	}
	if (show != NULL && sl_db_int64(PQgetvalue(res, 0, 0), show) != 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad show id from server");
	}
	if (label != NULL)
		snprintf(label, SL_LABEL_MAX + 1, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return SL_OK;
}

void
sl_booking_info_free(struct sl_booking_info *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].name);
		free(v[i].email);
	}
	free(v);
}

#define SL_BOOK_INFO_COLUMNS \
	"SELECT b.booking_id, b.show_id, b.user_id, b.status = 'active', " \
	"s.label, to_json(sh.starts_at) #>> '{}', sh.title, u.name, u.email " \
	"FROM booking b JOIN seat s ON s.seat_id = b.seat_id " \
	"JOIN show sh ON sh.show_id = b.show_id " \
	"JOIN app_user u ON u.user_id = b.user_id "

enum sl_rc
sl_book_search(struct sl_db *db, const char *q, size_t limit,
    struct sl_booking_info **out, size_t *nout, struct sl_err *e)
{
	const char *params[2], *why;
	char ibuf[24], lbuf[24];
	struct sl_booking_info *v;
	PGresult *res;
	enum sl_rc rc;
	int64_t id;
	int i, n;

	if (sl_text_valid(q, 200, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the search text %s", why);
	if (limit < 1 || limit > 500)
		return sl_err_set(e, SL_EINVAL, "limit must be 1 to 500");
	snprintf(lbuf, sizeof lbuf, "%zu", limit);
	params[1] = lbuf;
	/* Two statements rather than one OR: each keeps its index path (the
	 * primary key, or the customer prefix indexes then booking_user_idx). */
	if (sl_parse_id(q, &id) == 0) {
		snprintf(ibuf, sizeof ibuf, "%" PRId64, id);
		params[0] = ibuf;
		rc = sl_db_params(db, SL_BOOK_INFO_COLUMNS
		    "WHERE b.booking_id = $1::bigint LIMIT $2::integer", 2,
		    params, PGRES_TUPLES_OK, &res, e);
	} else {
		params[0] = q;
		rc = sl_db_params(db, SL_BOOK_INFO_COLUMNS
		    "WHERE b.status = 'active' AND (lower(u.name) LIKE "
		    "sl_prefix_pattern($1) OR lower(u.email) LIKE "
		    "sl_prefix_pattern($1)) ORDER BY sh.starts_at, lower(u.name), "
		    "u.user_id, s.map_y, s.map_x LIMIT $2::integer", 2, params,
		    PGRES_TUPLES_OK, &res, e);
	}
	if (rc != SL_OK)
		return rc;
	n = PQntuples(res);
	v = calloc(n > 0 ? (size_t)n : 1, sizeof *v);
	if (v == NULL) {
		PQclear(res);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct sl_booking_info *b = &v[i];

		b->title = strdup(PQgetvalue(res, i, 6));
		b->name = strdup(PQgetvalue(res, i, 7));
		b->email = strdup(PQgetvalue(res, i, 8));
		if (b->title == NULL || b->name == NULL || b->email == NULL) {
			sl_booking_info_free(v, (size_t)i + 1);
			PQclear(res);
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		}
		if (sl_db_int64(PQgetvalue(res, i, 0), &b->id) != 0 ||
		    sl_db_int64(PQgetvalue(res, i, 1), &b->show) != 0 ||
		    sl_db_int64(PQgetvalue(res, i, 2), &b->user) != 0) {
			sl_booking_info_free(v, (size_t)i + 1);
			PQclear(res);
			return sl_err_set(e, SL_EDB, "bad id from server");
		}
		b->active = PQgetvalue(res, i, 3)[0] == 't';
		snprintf(b->label, sizeof b->label, "%s", PQgetvalue(res, i, 4));
		snprintf(b->starts_at, sizeof b->starts_at, "%s",
		    PQgetvalue(res, i, 5));
	}
	PQclear(res);
	*out = v;
	*nout = (size_t)n;
	return SL_OK;
}
