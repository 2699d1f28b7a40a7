/*
 * sl_hold.c - holds and blocks, through the SQL functions of
 * sql/0003_depth.sql (one round trip each).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_book_int.h"
#include "sl_db_int.h"
#include "sl_hold.h"
#include "sl_zone.h"

enum sl_rc
sl_hold_seats(struct sl_db *db, int64_t show, const char *const *labels,
    size_t nlabels, int64_t seconds, const char *reason, int64_t *id,
    char *expires_at, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	const char *why;
	PGresult *res;
	char *arr;
	enum sl_rc rc;

	if (nlabels == 0)
		return sl_err_set(e, SL_EINVAL, "no seat named");
	if (reason != NULL && sl_text_valid(reason, SL_REASON_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the reason %s", why);
	if (seconds < 0 || seconds > 366 * 86400)
		return sl_err_set(e, SL_EINVAL,
		    "a hold lasts 1 to 86400 "
		    "seconds, a block up to a year");
	if (seconds == 0 && reason == NULL)
		seconds = sl_db_hold_seconds(db);
	if ((arr = sl_book_array(labels, nlabels)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	sl_db_args(&a, db, "ispsto", show, arr, seconds, reason);
	rc = sl_db_params_retry(db,
	    "SELECT hold_id, coalesce(to_json(expires_at) #>> '{}', '') "
	    "FROM sl_hold($1, $2::text[], $3, $4, $5, $6)", a.n, a.v, 0, &res,
	    e);
	free(arr);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1 ||
	    sl_db_int64(PQgetvalue(res, 0, 0), id) != 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad hold id from server");
	}
	if (expires_at != NULL)
		snprintf(expires_at, 48, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return SL_OK;
}

enum sl_rc
sl_hold_best(struct sl_db *db, int64_t show, int n, const char *zone,
    int64_t seconds, int64_t *id, char *expires_at,
    char (*labels)[SL_LABEL_MAX + 1], struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char zbuf[SL_ZONE_MAX + 1];
	PGresult *res;
	enum sl_rc rc;
	int i;

	if (n < 1 || n > SL_BEST_MAX)
		return sl_err_set(e, SL_EINVAL,
		    "best available holds 1 to %d seats", SL_BEST_MAX);
	if (zone != NULL && sl_zone_code_check(zone, zbuf, e) != SL_OK)
		return SL_EINVAL;
	if (seconds == 0)
		seconds = sl_db_hold_seconds(db);
	if (seconds < 1 || seconds > 86400)
		return sl_err_set(e, SL_EINVAL,
		    "a hold lasts 1 to 86400 seconds");
	sl_db_args(&a, db, "iisito", show, (int64_t)n,
	    zone != NULL ? zbuf : NULL, seconds);
	rc = sl_db_params_retry(db,
	    "SELECT hold_id, coalesce(to_json(expires_at) #>> '{}', ''), "
	    "seat_label FROM sl_hold_best($1, $2, $3, $4, $5, $6)", a.n, a.v, 0,
	    &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != n ||
	    sl_db_int64(PQgetvalue(res, 0, 0), id) != 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad answer to best available "
		    "from server");
	}
	if (expires_at != NULL)
		snprintf(expires_at, 48, "%s", PQgetvalue(res, 0, 1));
	for (i = 0; i < n; i++)
		snprintf(labels[i], SL_LABEL_MAX + 1, "%s",
		    PQgetvalue(res, i, 2));
	PQclear(res);
	return SL_OK;
}

enum sl_rc
sl_hold_release(struct sl_db *db, int64_t hold, int64_t *show, int64_t *nseats,
    int *expired, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;
	int64_t s, n;

	sl_db_args(&a, db, "it", hold);
	rc = sl_db_params_retry(db,
	    "SELECT show_id, seats, outcome FROM sl_release($1, $2)", a.n, a.v,
	    0, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1 ||
	    sl_db_int64(PQgetvalue(res, 0, 0), &s) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 1), &n) != 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB,
		    "bad answer to release from server");
	}
	if (show != NULL)
		*show = s;
	if (nseats != NULL)
		*nseats = n;
	if (expired != NULL)
		*expired = strcmp(PQgetvalue(res, 0, 2), "expired") == 0;
	PQclear(res);
	return SL_OK;
}

enum sl_rc
sl_hold_change(struct sl_db *db, int64_t hold, const char *const *add,
    size_t nadd, const char *const *drop, size_t ndrop, int64_t seconds,
    char *expires_at, int64_t *nseats, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char *aarr = NULL, *darr = NULL;
	PGresult *res;
	enum sl_rc rc;
	int64_t n;

	if (nadd + ndrop == 0)
		return sl_err_set(e, SL_EINVAL, "no seat named");
	if (seconds == 0)
		seconds = sl_db_hold_seconds(db);
	if (seconds < 1 || seconds > 86400)
		return sl_err_set(e, SL_EINVAL,
		    "a hold lasts 1 to 86400 seconds");
	aarr = nadd > 0 ? sl_book_array(add, nadd) : strdup("{}");
	darr = ndrop > 0 ? sl_book_array(drop, ndrop) : strdup("{}");
	if (aarr == NULL || darr == NULL) {
		free(aarr);
		free(darr);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	sl_db_args(&a, db, "issito", hold, aarr, darr, seconds);
	rc = sl_db_params_retry(db,
	    "SELECT coalesce(to_json(expires_at) #>> '{}', ''), seats "
	    "FROM sl_hold_change($1, $2::text[], $3::text[], $4, $5, $6)",
	    a.n, a.v, 0, &res, e);
	free(aarr);
	free(darr);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1 ||
	    sl_db_int64(PQgetvalue(res, 0, 1), &n) != 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad answer to a hold change");
	}
	if (expires_at != NULL)
		snprintf(expires_at, 48, "%s", PQgetvalue(res, 0, 0));
	if (nseats != NULL)
		*nseats = n;
	PQclear(res);
	return SL_OK;
}

/* Frees what one hold of a list points to. */
static void
sl_hold_clear(void *v)
{
	struct sl_hold *h = v;

	free(h->terminal);
	free(h->actor);
	free(h->reason);
	free(h->label);
}

static void
sl_hold_set(void *out, void *v)
{
	*(struct sl_hold **)out = v;
}

void
sl_hold_list_free(struct sl_hold *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_hold_clear);
}

/* Splits "A1 A2" into h->label.  -1 on no memory. */
static int
sl_hold_labels(struct sl_hold *h, const char *list)
{
	const char *p;
	size_t n = 0, k;

	for (p = list; *p != '\0'; p++)
		if (*p == ' ')
			n++;
	if (*list != '\0')
		n++;
	h->label = calloc(n > 0 ? n : 1, sizeof *h->label);
	if (h->label == NULL)
		return -1;
	for (p = list; *p != '\0' && h->nseats < n;) {
		k = strcspn(p, " ");
		if (k > SL_LABEL_MAX)
			k = SL_LABEL_MAX;
		memcpy(h->label[h->nseats], p, k);
		h->label[h->nseats++][k] = '\0';
		p += strcspn(p, " ");
		if (*p == ' ')
			p++;
	}
	return 0;
}

/* One row of sl_hold_list; ctx is the show. */
static enum sl_rc
sl_hold_fill(void *v, PGresult *res, int i, const void *ctx, struct sl_err *e)
{
	struct sl_hold *h = v;

	h->show = *(const int64_t *)ctx;
	h->block = strcmp(PQgetvalue(res, i, 1), "block") == 0;
	h->expired = PQgetvalue(res, i, 7)[0] == 't';
	snprintf(h->created_at, sizeof h->created_at, "%s",
	    PQgetvalue(res, i, 5));
	snprintf(h->expires_at, sizeof h->expires_at, "%s",
	    PQgetvalue(res, i, 6));
	h->terminal = strdup(PQgetvalue(res, i, 2));
	h->actor = strdup(PQgetvalue(res, i, 3));
	if (!PQgetisnull(res, i, 4))
		h->reason = strdup(PQgetvalue(res, i, 4));
	if (h->terminal == NULL || h->actor == NULL ||
	    (h->reason == NULL && !PQgetisnull(res, i, 4)) ||
	    sl_hold_labels(h, PQgetvalue(res, i, 8)) != 0)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 0), &h->id) != 0)
		return sl_err_set(e, SL_EDB, "bad hold id from server");
	return SL_OK;
}

/* The labels are one string, split here. */
static const struct sl_db_map sl_hold_map = {
	"SELECT h.hold_id, h.kind, h.terminal, h.actor, h.reason, "
	"to_json(h.created_at) #>> '{}', "
	"coalesce(to_json(h.expires_at) #>> '{}', ''), "
	"coalesce(h.expires_at <= clock_timestamp(), false), "
	"(SELECT coalesce(string_agg(s.label, ' ' ORDER BY s.seat_id), '') "
	"FROM show_seat ss JOIN seat s ON s.seat_id = ss.seat_id "
	"WHERE ss.show_id = h.show_id AND ss.hold_id = h.hold_id) "
	"FROM show sh LEFT JOIN hold h ON h.show_id = sh.show_id "
	"AND h.status = 'active' "
	"WHERE sh.show_id = $1 ORDER BY h.hold_id",
	sizeof(struct sl_hold), sl_hold_fill, sl_hold_clear, sl_hold_set
};

enum sl_rc
sl_hold_list(struct sl_db *db, int64_t show, struct sl_hold **out, size_t *nout,
    struct sl_err *e)
{
	return sl_db_show_list(db, &sl_hold_map, show, out, nout, e);
}

enum sl_rc
sl_hold_sweep(struct sl_db *db, int64_t show, int64_t *n, struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	sl_db_args(&a, db, "p", show);
	return sl_db_query_int(db, "SELECT sl_hold_sweep($1)", &a, "count", n,
	    e);
}

enum sl_rc
sl_hold_supervisor(struct sl_db *db, int *yes, struct sl_err *e)
{
	char out[8];
	enum sl_rc rc;

	rc = sl_db_query_value(db, "SELECT sl_is_supervisor()", 0, NULL, out,
	    sizeof out, e);
	if (rc != SL_OK)
		return rc;
	*yes = out[0] == 't';
	return SL_OK;
}
