/*
 * sl_report.c - sales reports.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_report.h"

/* The shows of a report: one by id ($1), or those of a day ($1). */
#define SL_REPORT_ONE \
	"WITH sh AS (SELECT show_id FROM show WHERE show_id = $1) "
/* Serves: show_starts_idx. */
#define SL_REPORT_DAY                           \
	"WITH sh AS (SELECT show_id FROM show " \
	"WHERE starts_at >= $1::date AND starts_at < $1::date + 1) "

#define SL_REPORT_SHOWS                                                     \
	"SELECT s.show_id, s.title, v.name, to_json(s.starts_at) #>> '{}' " \
	"FROM sh JOIN show s ON s.show_id = sh.show_id "                    \
	"JOIN venue v ON v.venue_id = s.venue_id "                          \
	"ORDER BY s.starts_at, s.show_id"

/*
 * Inventory per show and zone (a seat's zone now), revenue per show and
 * zone (a booking's zone at sale), joined on both so that a zone whose
 * seats were all moved away after a sale keeps its revenue.
 */
#define SL_REPORT_ZONES                                                          \
	", inv AS (SELECT ss.show_id, ss.zone, count(*) AS seats, "              \
	"count(*) FILTER (WHERE ss.state = 'booked') AS sold, "                  \
	"count(*) FILTER (WHERE ss.state = 'held' AND NOT m.gone) AS held, "     \
	"count(*) FILTER (WHERE ss.state = 'blocked' AND NOT m.gone) "           \
	"AS blocked, "                                                           \
	"count(*) FILTER (WHERE ss.state = 'available' OR m.gone) "              \
	"AS available "                                                          \
	"FROM sh JOIN show_seat ss ON ss.show_id = sh.show_id "                  \
	"LEFT JOIN hold h ON h.show_id = ss.show_id AND h.hold_id = ss.hold_id " \
	"CROSS JOIN LATERAL (SELECT coalesce(h.expires_at <= "                   \
	"clock_timestamp(), false) AS gone) m "                                  \
	"GROUP BY ss.show_id, ss.zone), "                                        \
	"rev AS (SELECT b.show_id, b.zone, sum(b.price_cents) AS revenue "       \
	"FROM sh JOIN booking b ON b.show_id = sh.show_id "                      \
	"WHERE b.status = 'active' GROUP BY b.show_id, b.zone) "                 \
	"SELECT coalesce(inv.show_id, rev.show_id), "                            \
	"coalesce(inv.zone, rev.zone, ''), z.name, "                             \
	"coalesce(z.price_cents, 0), coalesce(inv.seats, 0), "                   \
	"coalesce(inv.sold, 0), coalesce(inv.held, 0), "                         \
	"coalesce(inv.blocked, 0), coalesce(inv.available, 0), "                 \
	"coalesce(rev.revenue, 0) "                                              \
	"FROM inv FULL JOIN rev ON rev.show_id = inv.show_id "                   \
	"AND coalesce(rev.zone, '') = coalesce(inv.zone, '') "                   \
	"LEFT JOIN price_zone z ON z.show_id = coalesce(inv.show_id, "           \
	"rev.show_id) AND z.zone = coalesce(inv.zone, rev.zone) "                \
	"ORDER BY 1, z.rank NULLS LAST, 2"

/*
 * Sales per clerk: the audit rows that made bookings still active.
 * Serves: audit_log_show_idx (show_id, at), then booking's primary key.
 */
#define SL_REPORT_CLERKS                                                    \
	"SELECT a.actor, coalesce(a.terminal, ''), count(*), "              \
	"sum(b.price_cents) "                                               \
	"FROM sh JOIN audit_log a ON a.show_id = sh.show_id "               \
	"CROSS JOIN LATERAL unnest(a.booking_ids) bid "                     \
	"JOIN booking b ON b.booking_id = bid "                             \
	"WHERE a.action IN ('book', 'book hold', 'book best', 'exchange') " \
	"AND b.status = 'active' "                                          \
	"GROUP BY 1, 2 ORDER BY 4 DESC, 1, 2"

/* The sales document of a show, or of a range of days (sl_report_sales). */
#define SL_REPORT_SALES_SHOW "SELECT sl_report_sales($1::bigint, NULL, NULL)"
#define SL_REPORT_SALES                                                 \
	"SELECT sl_report_sales(nullif($1::bigint, 0), $2::date, $3::date)"
#define SL_REPORT_RECENT                                          \
	"SELECT sl_report_sales(nullif($1::bigint, 0), "          \
	"current_date - ($2::integer - 1), current_date)"

int
sl_report_date_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	return 0;
}

/* Frees what one element of a report points to. */
static void
sl_report_show_clear(void *v)
{
	struct sl_report_show *s = v;

	free(s->title);
	free(s->venue);
}

static void
sl_report_line_clear(void *v)
{
	free(((struct sl_report_line *)v)->zone_name);
}

static void
sl_report_clerk_clear(void *v)
{
	struct sl_report_clerk *c = v;

	free(c->actor);
	free(c->terminal);
}

void
sl_report_free(struct sl_report *r)
{
	if (r == NULL)
		return;
	sl_db_free_list(r->show, r->nshows, sizeof *r->show,
	    sl_report_show_clear);
	sl_db_free_list(r->zone, r->nzones, sizeof *r->zone,
	    sl_report_line_clear);
	sl_db_free_list(r->clerk, r->nclerks, sizeof *r->clerk,
	    sl_report_clerk_clear);
	json_decref(r->sales);
	free(r);
}

static void
sl_report_add(struct sl_report_line *to, const struct sl_report_line *l)
{
	to->seats += l->seats;
	to->sold += l->sold;
	to->held += l->held;
	to->blocked += l->blocked;
	to->available += l->available;
	to->revenue_cents += l->revenue_cents;
}

/* One row of SL_REPORT_SHOWS. */
static enum sl_rc
sl_report_show_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_report_show *s = v;

	(void)ctx;
	if (sl_db_int64(PQgetvalue(res, i, 0), &s->id) != 0)
		return sl_err_set(e, SL_EDB, "bad show id from server");
	s->total.show = s->id;
	s->title = strdup(PQgetvalue(res, i, 1));
	s->venue = strdup(PQgetvalue(res, i, 2));
	if (s->title == NULL || s->venue == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf(s->starts_at, sizeof s->starts_at, "%s",
	    PQgetvalue(res, i, 3));
	return SL_OK;
}

static void
sl_report_show_set(void *out, void *v)
{
	*(struct sl_report_show **)out = v;
}

static const struct sl_db_map sl_report_show_map = {
	NULL, sizeof(struct sl_report_show), sl_report_show_fill,
	sl_report_show_clear, sl_report_show_set
};

/* One row of SL_REPORT_ZONES. */
static enum sl_rc
sl_report_line_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_report_line *l = v;
	int64_t *col[] = { &l->show, NULL, NULL, &l->price_cents, &l->seats,
		&l->sold, &l->held, &l->blocked, &l->available,
		&l->revenue_cents };
	int c;

	(void)ctx;
	for (c = 0; c < 10; c++)
		if (col[c] != NULL &&
		    sl_db_int64(PQgetvalue(res, i, c), col[c]) != 0)
			return sl_err_set(e, SL_EDB,
			    "bad report row from server");
	snprintf(l->zone, sizeof l->zone, "%s", PQgetvalue(res, i, 1));
	if (!PQgetisnull(res, i, 2) &&
	    (l->zone_name = strdup(PQgetvalue(res, i, 2))) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	return SL_OK;
}

static void
sl_report_line_set(void *out, void *v)
{
	*(struct sl_report_line **)out = v;
}

static const struct sl_db_map sl_report_line_map = {
	NULL, sizeof(struct sl_report_line), sl_report_line_fill,
	sl_report_line_clear, sl_report_line_set
};

/* Adds each zone line to its show's total and the report's. */
static void
sl_report_totals(struct sl_report *r)
{
	size_t i, k;

	for (i = 0; i < r->nzones; i++) {
		const struct sl_report_line *l = &r->zone[i];

		/* Lines come by show id; shows by start time: find it. */
		for (k = 0; k < r->nshows && r->show[k].id != l->show; k++)
			;
		if (k == r->nshows)
			continue; /* a show added meanwhile: not ours */
		if (r->show[k].nzones == 0)
			r->show[k].first = i;
		r->show[k].nzones++;
		sl_report_add(&r->show[k].total, l);
		sl_report_add(&r->total, l);
	}
}

/* One row of SL_REPORT_CLERKS. */
static enum sl_rc
sl_report_clerk_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_report_clerk *c = v;

	(void)ctx;
	c->actor = strdup(PQgetvalue(res, i, 0));
	c->terminal = strdup(PQgetvalue(res, i, 1));
	if (c->actor == NULL || c->terminal == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 2), &c->sold) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 3), &c->revenue_cents) != 0)
		return sl_err_set(e, SL_EDB, "bad report row from server");
	return SL_OK;
}

static void
sl_report_clerk_set(void *out, void *v)
{
	*(struct sl_report_clerk **)out = v;
}

static const struct sl_db_map sl_report_clerk_map = {
	NULL, sizeof(struct sl_report_clerk), sl_report_clerk_fill,
	sl_report_clerk_clear, sl_report_clerk_set
};

/* Runs sql (one row, one jsonb column) and parses it into *doc. */
static enum sl_rc
sl_report_doc(struct sl_db *db, const char *sql, int n,
    const char *const *params, json_t **doc, struct sl_err *e)
{
	json_error_t je;
	PGresult *res;
	enum sl_rc rc;

	*doc = NULL;
	rc = sl_db_params(db, sql, n, params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		*doc = json_loads(PQgetvalue(res, 0, 0), 0, &je);
	PQclear(res);
	if (*doc == NULL)
		return sl_err_set(e, SL_EDB, "bad sales report from server");
	return SL_OK;
}

static enum sl_rc
sl_report_run(struct sl_db *db, const char *with, const char *param,
    int sales, struct sl_report *r, struct sl_err *e)
{
	const char *params[1];
	char sql[4096];
	PGresult *res = NULL;
	enum sl_rc rc;

	params[0] = param;
	/* One snapshot for the three statements: the figures agree. */
	rc = sl_db_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    e);
	if (rc != SL_OK)
		return rc;
	snprintf(sql, sizeof sql, "%s%s", with, SL_REPORT_SHOWS);
	if ((rc = sl_db_params(db, sql, 1, params, PGRES_TUPLES_OK, &res, e)) !=
	    SL_OK)
		goto out;
	rc = sl_db_rows(res, &sl_report_show_map, NULL, &r->show, &r->nshows,
	    e);
	PQclear(res);
	if (rc != SL_OK)
		goto out;
	snprintf(sql, sizeof sql, "%s%s", with, SL_REPORT_ZONES);
	if ((rc = sl_db_params(db, sql, 1, params, PGRES_TUPLES_OK, &res, e)) !=
	    SL_OK)
		goto out;
	rc = sl_db_rows(res, &sl_report_line_map, NULL, &r->zone, &r->nzones,
	    e);
	PQclear(res);
	if (rc != SL_OK)
		goto out;
	snprintf(sql, sizeof sql, "%s%s", with, SL_REPORT_CLERKS);
	if ((rc = sl_db_params(db, sql, 1, params, PGRES_TUPLES_OK, &res, e)) !=
	    SL_OK)
		goto out;
	rc = sl_db_rows(res, &sl_report_clerk_map, NULL, &r->clerk,
	    &r->nclerks, e);
	PQclear(res);
	if (rc == SL_OK && sales)
		rc = sl_report_doc(db, SL_REPORT_SALES_SHOW, 1, params,
		    &r->sales, e);
	if (rc == SL_OK)
		sl_report_totals(r);
out:
	if (rc == SL_OK)
		rc = sl_db_exec(db, "COMMIT", e);
	else if (sl_db_alive(db))
		sl_db_exec(db, "ROLLBACK", NULL);
	return rc;
}

static enum sl_rc
sl_report_new(struct sl_db *db, struct sl_report **out, struct sl_err *e)
{
	*out = calloc(1, sizeof **out);
	if (*out == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf((*out)->currency, sizeof(*out)->currency, "%s",
	    sl_db_currency(db));
	return SL_OK;
}

enum sl_rc
sl_report_show(struct sl_db *db, int64_t show, struct sl_report **out,
    struct sl_err *e)
{
	struct sl_report *r;
	char sbuf[24];
	enum sl_rc rc;

	if ((rc = sl_report_new(db, &r, e)) != SL_OK)
		return rc;
	snprintf(sbuf, sizeof sbuf, "%" PRId64, show);
	rc = sl_report_run(db, SL_REPORT_ONE, sbuf, 1, r, e);
	if (rc == SL_OK && r->nshows == 0)
		rc = sl_err_set(e, SL_ENOTFOUND, "show %" PRId64 " not found",
		    show);
	if (rc != SL_OK) {
		sl_report_free(r);
		return rc;
	}
	*out = r;
	return SL_OK;
}

enum sl_rc
sl_report_day(struct sl_db *db, const char *day, struct sl_report **out,
    struct sl_err *e)
{
	struct sl_report *r;
	enum sl_rc rc;

	if (sl_report_date_valid(day) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "\"%.20s\" is not a date "
		    "(YYYY-MM-DD)",
		    day);
	if ((rc = sl_report_new(db, &r, e)) != SL_OK)
		return rc;
	snprintf(r->day, sizeof r->day, "%s", day);
	rc = sl_report_run(db, SL_REPORT_DAY, day, 0, r, e);
	if (rc != SL_OK) {
		sl_report_free(r);
		return rc;
	}
	*out = r;
	return SL_OK;
}

enum sl_rc
sl_report_sales(struct sl_db *db, int64_t show, const char *from,
    const char *to, json_t **doc, struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	*doc = NULL;
	if (to == NULL)
		to = from;
	if (sl_report_date_valid(from) != 0 || sl_report_date_valid(to) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "\"%.20s\" is not a date (YYYY-MM-DD)",
		    sl_report_date_valid(from) != 0 ? from : to);
	if (strcmp(to, from) < 0)
		return sl_err_set(e, SL_EINVAL, "the range ends (%s) before "
		    "it starts (%s)", to, from);
	sl_db_args(&a, db, "iss", show, from, to);
	return sl_report_doc(db, SL_REPORT_SALES, a.n, a.v, doc, e);
}

enum sl_rc
sl_report_recent(struct sl_db *db, int64_t show, int ndays, json_t **doc,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	*doc = NULL;
	if (ndays < 1 || ndays > 366)
		return sl_err_set(e, SL_EINVAL, "1 to 366 days, not %d", ndays);
	sl_db_args(&a, db, "ii", show, (int64_t)ndays);
	return sl_report_doc(db, SL_REPORT_RECENT, a.n, a.v, doc, e);
}
