/*
 * sl_show.c - show listing, seat maps with state, adding shows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_show.h"

static const char *const sl_state_names[] = {
	[SL_SEAT_AVAILABLE] = "available",
	[SL_SEAT_HELD] = "held",
	[SL_SEAT_BOOKED] = "booked",
	[SL_SEAT_BLOCKED] = "blocked",
};

const char *
sl_seat_state_name(enum sl_seat_state s)
{
	if ((size_t)s >= sizeof sl_state_names / sizeof sl_state_names[0])
		return "unknown";
	return sl_state_names[s];
}

int
sl_seat_state_parse(const char *s, enum sl_seat_state *out)
{
	size_t i;

	for (i = 0; i < sizeof sl_state_names / sizeof sl_state_names[0]; i++)
		if (strcmp(s, sl_state_names[i]) == 0) {
			*out = (enum sl_seat_state)i;
			return 0;
		}
	return -1;
}

void
sl_show_list_free(struct sl_show *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].venue);
	}
	free(v);
}

#define SL_SHOW_COLUMNS \
	"SELECT sh.show_id, sh.venue_id, sh.title, v.name, " \
	"to_json(sh.starts_at) #>> '{}', " \
	"(SELECT count(*) FROM show_seat ss WHERE ss.show_id = sh.show_id " \
	"AND ss.state = 'available'), " \
	"(SELECT count(*) FROM show_seat ss WHERE ss.show_id = sh.show_id) " \
	"FROM show sh JOIN venue v ON v.venue_id = sh.venue_id "

static enum sl_rc
sl_show_fill(PGresult *res, struct sl_show **out, size_t *nout,
    struct sl_err *e)
{
	struct sl_show *v;
	int i, n = PQntuples(res);

	v = calloc(n > 0 ? (size_t)n : 1, sizeof *v);
	if (v == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		v[i].title = strdup(PQgetvalue(res, i, 2));
		v[i].venue = strdup(PQgetvalue(res, i, 3));
		if (v[i].title == NULL || v[i].venue == NULL) {
			sl_show_list_free(v, (size_t)i + 1);
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		}
		if (sl_db_int64(PQgetvalue(res, i, 0), &v[i].id) != 0 ||
		    sl_db_int64(PQgetvalue(res, i, 1), &v[i].venue_id) != 0 ||
		    sl_db_int64(PQgetvalue(res, i, 5), &v[i].available) != 0 ||
		    sl_db_int64(PQgetvalue(res, i, 6), &v[i].capacity) != 0) {
			sl_show_list_free(v, (size_t)i + 1);
			return sl_err_set(e, SL_EDB, "bad number from server");
		}
		snprintf(v[i].starts_at, sizeof v[i].starts_at, "%s",
		    PQgetvalue(res, i, 4));
	}
	*out = v;
	*nout = (size_t)n;
	return SL_OK;
}

enum sl_rc
sl_show_list(struct sl_db *db, struct sl_show **out, size_t *n,
    struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params(db, SL_SHOW_COLUMNS
	    "ORDER BY sh.starts_at, sh.show_id", 0, NULL, PGRES_TUPLES_OK,
	    &res, e);
	if (rc != SL_OK)
		return rc;
	rc = sl_show_fill(res, out, n, e);
	PQclear(res);
	return rc;
}

enum sl_rc
sl_show_get(struct sl_db *db, int64_t id, struct sl_show **out,
    struct sl_err *e)
{
	const char *params[1];
	char ibuf[24];
	PGresult *res;
	enum sl_rc rc;
	size_t n;

	snprintf(ibuf, sizeof ibuf, "%" PRId64, id);
	params[0] = ibuf;
	rc = sl_db_params(db, SL_SHOW_COLUMNS "WHERE sh.show_id = $1", 1,
	    params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return sl_err_set(e, SL_ENOTFOUND, "show %" PRId64 " not found",
		    id);
	}
	rc = sl_show_fill(res, out, &n, e);
	PQclear(res);
	return rc;
}

void
sl_seats_free(struct sl_seats *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nsections; i++)
		free(s->section[i]);
	free(s->section);
	free(s->seat);
	free(s);
}

/* Index of name in s->section, appending it when new; -1 on no memory. */
static int
sl_seats_section(struct sl_seats *s, const char *name)
{
	char **ns;
	size_t i;

	for (i = s->nsections; i > 0; i--)
		if (strcmp(s->section[i - 1], name) == 0)
			return (int)(i - 1);
	if (s->nsections >= UINT16_MAX)
		return -1;
	ns = realloc(s->section, (s->nsections + 1) * sizeof *ns);
	if (ns == NULL)
		return -1;
	s->section = ns;
	s->section[s->nsections] = strdup(name);
	if (s->section[s->nsections] == NULL)
		return -1;
	return (int)s->nsections++;
}

enum sl_rc
sl_show_seats(struct sl_db *db, int64_t show, struct sl_seats **out,
    struct sl_err *e)
{
	struct sl_seats *s;
	const char *params[2];
	char ibuf[24], vbuf[24];
	PGresult *res;
	enum sl_rc rc;
	int i, n;

	snprintf(ibuf, sizeof ibuf, "%" PRId64, show);
	params[0] = ibuf;
	/*
	 * The venue first, so that the map query names it as a value: the
	 * planner then reads the seats through the venue's index, using the
	 * venue's own statistics (a stadium's 100,000 seats are hashed, a
	 * theatre's are probed).  Named only by the show, the seats of every
	 * venue were hashed for each small map once a stadium was in the table
	 * (80 ms instead of 2); named through a subquery, the stadium's map
	 * was planned as if it were an average venue (100,000 probes).  A
	 * show's venue never changes, so this may be a statement of its own.
	 */
	rc = sl_db_query_value(db,
	    "SELECT venue_id FROM show WHERE show_id = $1", 1, params, vbuf,
	    sizeof vbuf, e);
	if (rc == SL_ENOTFOUND)
		return sl_err_set(e, SL_ENOTFOUND, "show %" PRId64 " not found",
		    show);
	if (rc != SL_OK)
		return rc;
	params[1] = vbuf;
	/* One statement, one snapshot: states and change_seq agree. */
	rc = sl_db_params(db,
	    "SELECT (SELECT change_seq FROM show WHERE show_id = $1), "
	    "s.seat_id, s.label, s.section, s.row_label, s.number, s.map_x, "
	    "s.map_y, s.accessible, s.companion, s.restricted_view, ss.state "
	    "FROM show_seat ss JOIN seat s ON s.seat_id = ss.seat_id "
	    "WHERE ss.show_id = $1 AND s.venue_id = $2 "
	    "ORDER BY s.map_y, s.map_x", 2, params, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	n = PQntuples(res);
	if (n == 0) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "show %" PRId64 " has no seats",
		    show);
	}
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->seat = calloc((size_t)n, sizeof *s->seat)) == NULL) {
		free(s);
		PQclear(res);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	s->show = show;
	s->n = (size_t)n;
	if (sl_db_int64(PQgetvalue(res, 0, 0), &s->change_seq) != 0)
		s->change_seq = 0;
	for (i = 0; i < n; i++) {
		struct sl_seat *st = &s->seat[i];
		enum sl_seat_state state;
		int sec;

		sec = sl_seats_section(s, PQgetvalue(res, i, 3));
		if (sec < 0) {
			rc = sl_err_set(e, SL_ENOMEM, "out of memory");
			goto fail;
		}
		if (sl_db_int64(PQgetvalue(res, i, 1), &st->id) != 0 ||
		    sl_seat_state_parse(PQgetvalue(res, i, 11), &state) != 0) {
			rc = sl_err_set(e, SL_EDB, "bad seat row from server");
			goto fail;
		}
		st->section = (uint16_t)sec;
		st->state = (uint8_t)state;
		snprintf(st->label, sizeof st->label, "%s", PQgetvalue(res, i, 2));
		snprintf(st->row, sizeof st->row, "%s", PQgetvalue(res, i, 4));
		st->number = atoi(PQgetvalue(res, i, 5));
		st->x = atoi(PQgetvalue(res, i, 6));
		st->y = atoi(PQgetvalue(res, i, 7));
		st->accessible = PQgetvalue(res, i, 8)[0] == 't';
		st->companion = PQgetvalue(res, i, 9)[0] == 't';
		st->restricted = PQgetvalue(res, i, 10)[0] == 't';
	}
	PQclear(res);
	*out = s;
	return SL_OK;
fail:
	PQclear(res);
	sl_seats_free(s);
	return rc;
}

enum sl_rc
sl_show_add(struct sl_db *db, int64_t venue, const char *title,
    const char *starts, int64_t *id, struct sl_err *e)
{
	const char *params[3];
	char vbuf[24], out[24];
	enum sl_rc rc;

	snprintf(vbuf, sizeof vbuf, "%" PRId64, venue);
	params[0] = vbuf;
	params[1] = title;
	params[2] = starts;
	rc = sl_db_query_value(db, "SELECT sl_show_add($1, $2, $3)", 3, params,
	    out, sizeof out, e);
	if (rc == SL_ECONFLICT)
		return sl_err_set(e, SL_ECONFLICT,
		    "venue %" PRId64 " already has a show at %s", venue, starts);
	if (rc != SL_OK)
		return rc;
	if (sl_db_int64(out, id) != 0)
		return sl_err_set(e, SL_EDB, "bad show id from server");
	return SL_OK;
}
