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
#include "sl_price.h"
#include "sl_sbuf.h"
#include "sl_show.h"
#include "sl_venue.h"
#include "sl_zone.h"

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

/* The demo's zones and price types (assets/demo/shows.conf); the strings
 * point into the configuration read. */
#define SL_DEMO_MAX	8
struct sl_demo_prices {
	struct {
		const char	*zone, *name, *section;
		int64_t		 cents;
	} zone[SL_DEMO_MAX];
	size_t	nzones;
	struct {
		const char	*code, *name;
		int		 percent, dflt;
	} type[SL_DEMO_MAX];
	size_t	ntypes;
};

/* Reads the lists zones and price_types of the demo configuration. */
static enum sl_rc
sl_venue_demo_read(config_t *cf, struct sl_demo_prices *p, struct sl_err *e)
{
	config_setting_t *zl = config_lookup(cf, "zones");
	config_setting_t *tl = config_lookup(cf, "price_types");
	const char *price;
	int i;

	memset(p, 0, sizeof *p);
	for (i = 0; zl != NULL && i < config_setting_length(zl); i++) {
		config_setting_t *s = config_setting_get_elem(zl, (unsigned)i);

		if (p->nzones == SL_DEMO_MAX ||
		    !config_setting_lookup_string(s, "zone", &p->zone[i].zone) ||
		    !config_setting_lookup_string(s, "name", &p->zone[i].name) ||
		    !config_setting_lookup_string(s, "section",
		        &p->zone[i].section) ||
		    !config_setting_lookup_string(s, "price", &price) ||
		    sl_money_parse(price, "demo price", &p->zone[i].cents,
		        NULL) != SL_OK)
			return sl_err_set(e, SL_EDB,
			    "demo shows.conf: zone %d is incomplete", i + 1);
		p->nzones++;
	}
	for (i = 0; tl != NULL && i < config_setting_length(tl); i++) {
		config_setting_t *s = config_setting_get_elem(tl, (unsigned)i);

		if (p->ntypes == SL_DEMO_MAX ||
		    !config_setting_lookup_string(s, "type", &p->type[i].code) ||
		    !config_setting_lookup_string(s, "name", &p->type[i].name) ||
		    !config_setting_lookup_int(s, "percent",
		        &p->type[i].percent) ||
		    p->type[i].percent < 0 || p->type[i].percent > 100)
			return sl_err_set(e, SL_EDB,
			    "demo shows.conf: price type %d is incomplete", i + 1);
		config_setting_lookup_bool(s, "default", &p->type[i].dflt);
		p->ntypes++;
	}
	return SL_OK;
}

/* Gives show the demo zones if it has none: each a section's seats. */
static enum sl_rc
sl_venue_demo_zones(struct sl_db *db, const struct sl_demo_prices *p,
    int64_t show, struct sl_demo_counts *n, struct sl_err *e)
{
	struct sl_zone *z;
	size_t nz, i;
	enum sl_rc rc;

	if ((rc = sl_zone_list(db, show, &z, &nz, e)) != SL_OK)
		return rc;
	sl_zone_list_free(z, nz);
	for (i = 0; nz == 0 && i < p->nzones; i++) {
		rc = sl_zone_set(db, show, p->zone[i].zone, p->zone[i].name,
		    p->zone[i].cents, (int32_t)i + 1, NULL, e);
		if (rc == SL_OK)
			rc = sl_zone_assign(db, show, p->zone[i].zone,
			    p->zone[i].section, NULL, NULL, 0, NULL, e);
		if (rc != SL_OK)
			return rc;
		n->zones++;
	}
	return SL_OK;
}

/* Gives every zone of show without price types the demo's, priced as
 * their percentage of the zone's price. */
static enum sl_rc
sl_venue_demo_types(struct sl_db *db, const struct sl_demo_prices *p,
    int64_t show, struct sl_demo_counts *n, struct sl_err *e)
{
	struct sl_zone *z = NULL;
	struct sl_price *t = NULL;
	size_t nz = 0, nt = 0, i, k;
	enum sl_rc rc;

	if ((rc = sl_zone_list(db, show, &z, &nz, e)) != SL_OK ||
	    (rc = sl_price_list(db, show, &t, &nt, e)) != SL_OK)
		goto out;
	for (i = 0; i < nz; i++) {
		for (k = 0; k < nt && strcmp(t[k].zone, z[i].code) != 0; k++)
			;
		if (k < nt)
			continue;	/* the zone has price types */
		for (k = 0; k < p->ntypes; k++) {
			rc = sl_price_set(db, show, z[i].code, p->type[k].code,
			    p->type[k].name,
			    z[i].price_cents * p->type[k].percent / 100,
			    p->type[k].dflt, NULL, e);
			if (rc != SL_OK)
				goto out;
			n->prices++;
		}
	}
out:
	sl_zone_list_free(z, nz);
	sl_price_list_free(t, nt);
	return rc;
}

/* The id of the show of venue and title into *show (0: none). */
static enum sl_rc
sl_venue_demo_show(struct sl_db *db, const char *venue, const char *title,
    int64_t *show, struct sl_err *e)
{
	const char *params[2] = { venue, title };
	char out[24];
	enum sl_rc rc;

	*show = 0;
	rc = sl_db_query_value(db,
	    "SELECT min(s.show_id) FROM show s JOIN venue v "
	    "ON v.venue_id = s.venue_id WHERE v.name = $1 AND s.title = $2",
	    2, params, out, sizeof out, e);
	if (rc == SL_ENOTFOUND)
		return SL_OK;
	if (rc == SL_OK && out[0] != '\0' && sl_db_int64(out, show) != 0)
		rc = sl_err_set(e, SL_EDB, "bad show id from server");
	return rc;
}

/* Adds the demo show s unless its venue has one of that title; prices
 * it (zones, price types) where it has none. */
static enum sl_rc
sl_venue_demo_add(struct sl_db *db, config_setting_t *s, int i,
    const struct sl_demo_prices *p, struct sl_demo_counts *n,
    struct sl_err *e)
{
	const char *venue = NULL, *title = NULL, *time = NULL;
	const char *params[4];
	char day[16], out[24];
	int64_t show;
	enum sl_rc rc;
	int d = 0;

	if (!config_setting_lookup_string(s, "venue", &venue) ||
	    !config_setting_lookup_string(s, "title", &title) ||
	    !config_setting_lookup_string(s, "time", &time) ||
	    !config_setting_lookup_int(s, "day", &d))
		return sl_err_set(e, SL_EDB,
		    "demo shows.conf: show %d is incomplete", i + 1);
	snprintf(day, sizeof day, "%d", d);
	params[0] = venue;
	params[1] = title;
	params[2] = day;
	params[3] = time;
	rc = sl_db_query_value(db,
	    "SELECT sl_show_add(v.venue_id, $2, "
	    "(current_date + $3::int) + $4::time) "
	    "FROM venue v WHERE v.name = $1 AND NOT EXISTS ("
	    "SELECT 1 FROM show s WHERE s.venue_id = v.venue_id "
	    "AND s.title = $2)", 4, params, out, sizeof out, e);
	/* Not found: the show exists (or its venue does not).  A conflict:
	 * another `db demo` added it a moment ago. */
	if (rc == SL_OK)
		n->shows++;
	else if (rc != SL_ENOTFOUND && rc != SL_ECONFLICT)
		return rc;
	sl_err_clear(e);
	if ((rc = sl_venue_demo_show(db, venue, title, &show, e)) != SL_OK ||
	    show == 0)
		return rc;
	if ((rc = sl_venue_demo_zones(db, p, show, n, e)) != SL_OK)
		return rc;
	return sl_venue_demo_types(db, p, show, n, e);
}

static enum sl_rc
sl_venue_demo_shows(struct sl_db *db, const char *text,
    struct sl_demo_counts *n, struct sl_err *e)
{
	struct sl_demo_prices p;
	config_t cf;
	config_setting_t *list;
	enum sl_rc rc = SL_OK;
	int i, len;

	config_init(&cf);
	if (!config_read_string(&cf, text)) {
		rc = sl_err_set(e, SL_EDB, "demo shows.conf:%d: %s",
		    config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	if ((rc = sl_venue_demo_read(&cf, &p, e)) != SL_OK)
		goto out;
	list = config_lookup(&cf, "shows");
	len = list != NULL ? config_setting_length(list) : 0;
	for (i = 0; i < len && rc == SL_OK; i++)
		rc = sl_venue_demo_add(db,
		    config_setting_get_elem(list, (unsigned)i), i, &p, n, e);
out:
	config_destroy(&cf);
	return rc;
}

enum sl_rc
sl_venue_demo(struct sl_db *db, struct sl_demo_counts *n, struct sl_err *e)
{
	const struct sl_embedded *f;
	struct sl_demo_counts mine;
	enum sl_rc rc;

	if (n == NULL)
		n = &mine;
	memset(n, 0, sizeof *n);
	for (f = sl_embedded_demo; f->name != NULL; f++) {
		struct sl_layout *l;
		int64_t id;
		int created;
		size_t len = strlen(f->name);

		if (len < 6 || strcmp(f->name + len - 6, ".venue") != 0)
			continue;
		rc = sl_layout_parse(f->data, f->name, &l, e);
		if (rc != SL_OK)
			return rc;
		rc = sl_venue_import(db, l, 1, &id, &created, e);
		sl_layout_free(l);
		if (rc != SL_OK)
			return rc;
		n->venues += created;
	}
	for (f = sl_embedded_demo; f->name != NULL; f++)
		if (strcmp(f->name, "shows.conf") == 0) {
			rc = sl_venue_demo_shows(db, f->data, n, e);
			if (rc != SL_OK)
				return rc;
		}
	return SL_OK;
}
