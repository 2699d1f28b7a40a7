/*
 * sl_venue.c - venue import and the demo data.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "sl_db_int.h"
#include "sl_embedded.h"
#include "sl_sbuf.h"
#include "sl_show.h"
#include "sl_venue.h"

enum { SL_VA_LABEL, SL_VA_SECTION, SL_VA_ROW, SL_VA_NUMBER, SL_VA_X, SL_VA_Y,
	SL_VA_ACC, SL_VA_COMP, SL_VA_RESTR, SL_VA_ZONE, SL_VA_N };

enum sl_rc
sl_venue_import(struct sl_db *db, const struct sl_layout *l, int reuse,
    int64_t *id, int *created, struct sl_err *e)
{
	struct sl_sbuf a[SL_VA_N];
	const char *params[SL_VA_N + 1];
	char idbuf[24], num[16];
	PGresult *res = NULL;
	enum sl_rc rc;
	size_t i;
	int k;

	if (created != NULL)
		*created = 0;
	memset(a, 0, sizeof a);
	for (k = 0; k < SL_VA_N; k++)
		sl_sbuf_add(&a[k], "{", 1);
	for (i = 0; i < l->n; i++) {
		const struct sl_layout_seat *s = &l->seat[i];

		sl_sbuf_array_elem(&a[SL_VA_LABEL], s->label);
		sl_sbuf_array_elem(&a[SL_VA_SECTION], l->section[s->section]);
		sl_sbuf_array_elem(&a[SL_VA_ROW], s->row);
		snprintf(num, sizeof num, "%d", (int)s->number);
		sl_sbuf_array_elem(&a[SL_VA_NUMBER], num);
		snprintf(num, sizeof num, "%d", (int)s->x);
		sl_sbuf_array_elem(&a[SL_VA_X], num);
		snprintf(num, sizeof num, "%d", (int)s->y);
		sl_sbuf_array_elem(&a[SL_VA_Y], num);
		sl_sbuf_array_elem(&a[SL_VA_ACC], s->accessible ? "t" : "f");
		sl_sbuf_array_elem(&a[SL_VA_COMP], s->companion ? "t" : "f");
		sl_sbuf_array_elem(&a[SL_VA_RESTR], s->restricted ? "t" : "f");
		if (s->zone > 0 && s->zone <= l->nzones)
			sl_sbuf_array_elem(&a[SL_VA_ZONE], l->zone[s->zone - 1]);
		else
			sl_sbuf_array_null(&a[SL_VA_ZONE]);
	}
	for (k = 0; k < SL_VA_N; k++) {
		sl_sbuf_add(&a[k], "}", 1);
		if (sl_sbuf_failed(&a[k])) {
			rc = sl_err_set(e, SL_ENOMEM, "out of memory");
			goto out;
		}
	}

	/* One call: the venue and its seats, or nothing (a NULL id: a venue
	 * of that name exists).  Clerks cannot insert into the tables. */
	params[0] = l->name;
	for (k = 0; k < SL_VA_N; k++)
		params[k + 1] = a[k].s;
	rc = sl_db_params(db,
	    "SELECT sl_venue_create($1, $2::text[], $3::text[], $4::text[], "
	    "$5::int[], $6::int[], $7::int[], $8::bool[], $9::bool[], "
	    "$10::bool[], $11::text[])", SL_VA_N + 1, params,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		goto out;
	if (PQntuples(res) != 1) {
		rc = sl_err_set(e, SL_EDB, "venue import returned %d rows",
		    PQntuples(res));
		goto out;
	}
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		res = NULL;
		params[0] = l->name;
		rc = sl_db_query_value(db,
		    "SELECT venue_id FROM venue WHERE name = $1", 1, params,
		    idbuf, sizeof idbuf, e);
		if (rc != SL_OK)
			goto out;
		if (!reuse) {
			rc = sl_err_set(e, SL_ECONFLICT,
			    "a venue named \"%s\" exists already (id %s)",
			    l->name, idbuf);
			goto out;
		}
		if (sl_db_int64(idbuf, id) != 0)
			rc = sl_err_set(e, SL_EDB, "bad venue id from server");
		goto out;
	}
	snprintf(idbuf, sizeof idbuf, "%s", PQgetvalue(res, 0, 0));
	if (sl_db_int64(idbuf, id) != 0) {
		rc = sl_err_set(e, SL_EDB, "bad venue id from server");
		goto out;
	}
	if (created != NULL)
		*created = 1;
out:
	PQclear(res);
	for (k = 0; k < SL_VA_N; k++)
		sl_sbuf_free(&a[k]);
	return rc;
}

static enum sl_rc
sl_venue_demo_shows(struct sl_db *db, const char *text, int *nshows,
    struct sl_err *e)
{
	config_t cf;
	config_setting_t *list;
	enum sl_rc rc = SL_OK;
	int i, n;

	config_init(&cf);
	if (!config_read_string(&cf, text)) {
		rc = sl_err_set(e, SL_EDB, "demo shows.conf:%d: %s",
		    config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	list = config_lookup(&cf, "shows");
	n = list != NULL ? config_setting_length(list) : 0;
	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
		const char *venue = NULL, *title = NULL, *time = NULL;
		const char *params[4];
		char day[16], out[24];
		int d = 0;

		if (!config_setting_lookup_string(s, "venue", &venue) ||
		    !config_setting_lookup_string(s, "title", &title) ||
		    !config_setting_lookup_string(s, "time", &time) ||
		    !config_setting_lookup_int(s, "day", &d)) {
			rc = sl_err_set(e, SL_EDB,
			    "demo shows.conf: show %d is incomplete", i + 1);
			goto out;
		}
		snprintf(day, sizeof day, "%d", d);
		params[0] = venue;
		params[1] = title;
		params[2] = day;
		params[3] = time;
		/* Adds the show unless the venue has one of that title. */
		rc = sl_db_query_value(db,
		    "SELECT sl_show_add(v.venue_id, $2, "
		    "(current_date + $3::int) + $4::time) "
		    "FROM venue v WHERE v.name = $1 AND NOT EXISTS ("
		    "SELECT 1 FROM show s WHERE s.venue_id = v.venue_id "
		    "AND s.title = $2)", 4, params, out, sizeof out, e);
		/* Not found: the show exists (or its venue does not).  A
		 * conflict: another `db demo` added it a moment ago. */
		if (rc == SL_ENOTFOUND || rc == SL_ECONFLICT) {
			rc = SL_OK;
			continue;
		}
		if (rc != SL_OK)
			goto out;
		if (nshows != NULL)
			(*nshows)++;
	}
out:
	config_destroy(&cf);
	return rc;
}

enum sl_rc
sl_venue_demo(struct sl_db *db, int *nvenues, int *nshows, struct sl_err *e)
{
	const struct sl_embedded *f;
	enum sl_rc rc;

	if (nvenues != NULL)
		*nvenues = 0;
	if (nshows != NULL)
		*nshows = 0;
	for (f = sl_embedded_demo; f->name != NULL; f++) {
		struct sl_layout *l;
		int64_t id;
		int created;
		size_t n = strlen(f->name);

		if (n < 6 || strcmp(f->name + n - 6, ".venue") != 0)
			continue;
		rc = sl_layout_parse(f->data, f->name, &l, e);
		if (rc != SL_OK)
			return rc;
		rc = sl_venue_import(db, l, 1, &id, &created, e);
		sl_layout_free(l);
		if (rc != SL_OK)
			return rc;
		if (created && nvenues != NULL)
			(*nvenues)++;
	}
	for (f = sl_embedded_demo; f->name != NULL; f++)
		if (strcmp(f->name, "shows.conf") == 0) {
			rc = sl_venue_demo_shows(db, f->data, nshows, e);
			if (rc != SL_OK)
				return rc;
		}
	return SL_OK;
}
