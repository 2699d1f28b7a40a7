/*
 * sl_show.c - show listing, seat maps with state, adding shows.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_sbuf.h"
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

/* Frees what one show of a list points to. */
static void
sl_show_clear(void *v)
{
	struct sl_show *sh = v;

	free(sh->title);
	free(sh->venue);
}

void
sl_show_list_free(struct sl_show *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_show_clear);
}

#define SL_SHOW_COLUMNS \
	"SELECT sh.show_id, sh.venue_id, sh.title, v.name, " \
	"to_json(sh.starts_at) #>> '{}', " \
	"(SELECT count(*) FROM show_seat ss WHERE ss.show_id = sh.show_id " \
	"AND ss.state = 'available') + " \
	"(SELECT count(*) FROM show_seat ss JOIN hold h ON h.show_id = " \
	"ss.show_id AND h.hold_id = ss.hold_id WHERE ss.show_id = " \
	"sh.show_id AND ss.hold_id IS NOT NULL AND h.expires_at <= " \
	"clock_timestamp()), " \
	"(SELECT count(*) FROM show_seat ss WHERE ss.show_id = sh.show_id), " \
	"coalesce(to_json(sh.on_sale_at) #>> '{}', ''), " \
	"coalesce(to_json(sh.off_sale_at) #>> '{}', '') " \
	"FROM show sh JOIN venue v ON v.venue_id = sh.venue_id "

/* One row of SL_SHOW_COLUMNS. */
static enum sl_rc
sl_show_fill_row(void *p, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_show *v = p;

	(void)ctx;
	v->title = strdup(PQgetvalue(res, i, 2));
	v->venue = strdup(PQgetvalue(res, i, 3));
	if (v->title == NULL || v->venue == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 0), &v->id) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 1), &v->venue_id) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 5), &v->available) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 6), &v->capacity) != 0)
		return sl_err_set(e, SL_EDB, "bad number from server");
	snprintf(v->starts_at, sizeof v->starts_at, "%s",
	    PQgetvalue(res, i, 4));
	snprintf(v->on_sale, sizeof v->on_sale, "%s", PQgetvalue(res, i, 7));
	snprintf(v->off_sale, sizeof v->off_sale, "%s", PQgetvalue(res, i, 8));
	return SL_OK;
}

static void
sl_show_set(void *out, void *v)
{
	*(struct sl_show **)out = v;
}

static const struct sl_db_map sl_show_map = {
	NULL, sizeof(struct sl_show), sl_show_fill_row, sl_show_clear,
	sl_show_set
};

static enum sl_rc
sl_show_fill(PGresult *res, struct sl_show **out, size_t *nout,
    struct sl_err *e)
{
	return sl_db_rows(res, &sl_show_map, NULL, out, nout, e);
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

/* Frees what one hold of a seat map points to. */
static void
sl_seats_hold_clear(void *v)
{
	struct sl_seat_hold *h = v;

	free(h->held_by);
	free(h->reason);
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
	sl_db_free_list(s->hold, s->nholds, sizeof *s->hold,
	    sl_seats_hold_clear);
	sl_zone_list_free(s->zone, s->nzones);
	free(s->seat);
	free(s);
}

void
sl_seats_shed(struct sl_seats *s)
{
	if (s == NULL)
		return;
	free(s->seat);
	s->seat = NULL;
	s->n = 0;
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

/* One row of SL_SEATS_HOLDS_SQL. */
static enum sl_rc
sl_seats_hold_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_seat_hold *h = v;

	(void)ctx;
	if (sl_db_int64(PQgetvalue(res, i, 0), &h->id) != 0)
		return sl_err_set(e, SL_EDB, "bad hold id from server");
	h->block = strcmp(PQgetvalue(res, i, 1), "block") == 0;
	if ((h->held_by = strdup(PQgetvalue(res, i, 2))) == NULL ||
	    (!PQgetisnull(res, i, 3) &&
	    (h->reason = strdup(PQgetvalue(res, i, 3))) == NULL))
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf(h->expires_at, sizeof h->expires_at, "%s",
	    PQgetvalue(res, i, 4));
	return SL_OK;
}

static void
sl_seats_hold_set(void *out, void *v)
{
	*(struct sl_seat_hold **)out = v;
}

/* The live holds of the show, sorted by id. */
static const struct sl_db_map sl_seats_hold_map = {
	NULL, sizeof(struct sl_seat_hold), sl_seats_hold_fill,
	sl_seats_hold_clear, sl_seats_hold_set
};

/* One row of SL_SEATS_ZONES_SQL. */
static enum sl_rc
sl_seats_zone_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_zone *z = v;

	(void)ctx;
	snprintf(z->code, sizeof z->code, "%s", PQgetvalue(res, i, 0));
	if ((z->name = strdup(PQgetvalue(res, i, 1))) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 2), &z->price_cents) != 0)
		return sl_err_set(e, SL_EDB, "bad price from server");
	z->rank = atoi(PQgetvalue(res, i, 3));
	return SL_OK;
}

static void
sl_seats_zone_clear(void *v)
{
	free(((struct sl_zone *)v)->name);
}

static void
sl_seats_zone_set(void *out, void *v)
{
	*(struct sl_zone **)out = v;
}

/* The zones of the show, sorted by code. */
static const struct sl_db_map sl_seats_zone_map = {
	NULL, sizeof(struct sl_zone), sl_seats_zone_fill, sl_seats_zone_clear,
	sl_seats_zone_set
};

/* Index of hold id in s->hold (sorted), or -1. */
static int32_t
sl_seats_find_hold(const struct sl_seats *s, int64_t id)
{
	size_t lo = 0, hi = s->nholds;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->hold[mid].id == id)
			return (int32_t)mid;
		if (s->hold[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Index of zone code in s->zone (sorted), or -1. */
static int32_t
sl_seats_find_zone(const struct sl_seats *s, const char *code)
{
	size_t lo = 0, hi = s->nzones;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->zone[mid].code, code);

		if (c == 0)
			return (int32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The seats, holds and zones of a show in one snapshot.  A hold has run
 * out when expires_at <= now(): now() is the transaction's start, the same
 * for the three statements, so they agree on which holds live.
 *
 * The seat rows, fetched through a cursor in chunks (SL_SEATS_CHUNK): a
 * 100,000-seat stadium never sits in memory twice, as rows and as seats.
 * Venue first: the venue's seats by seat_venue_seat_key and the show's
 * states by show_seat's key (a cursor is planned for a fast start: a merge
 * join of the two index scans).  The map order (y, x) is sorted here
 * (sl_seats_order), not by the server, whose sort of 100,000 rows spills
 * to disk at the default work_mem.  Column 0 of both cursors is the show's
 * change sequence.
 */
#define SL_SEATS_CURSOR \
	"DECLARE sl_seats_cur NO SCROLL CURSOR FOR " \
	"SELECT (SELECT change_seq FROM show WHERE show_id = $1), " \
	"s.seat_id, s.label, s.section, s.row_label, s.number, s.map_x, " \
	"s.map_y, s.accessible, s.companion, s.restricted_view, " \
	"CASE WHEN h.expires_at <= now() THEN 'available' ELSE ss.state END, " \
	"CASE WHEN h.expires_at <= now() THEN NULL ELSE ss.hold_id END, " \
	"ss.zone " \
	"FROM seat s JOIN show_seat ss ON ss.show_id = $1 " \
	"AND ss.seat_id = s.seat_id " \
	"LEFT JOIN hold h ON h.show_id = ss.show_id AND h.hold_id = ss.hold_id " \
	"WHERE s.venue_id = (SELECT venue_id FROM show WHERE show_id = $1)"
/* The states alone (sl_show_states, a box office's reload): show_seat's
 * key, no layout; a held seat's hold looked up by its key only for the
 * seats that have one (a join for every seat cost a third of the read). */
#define SL_STATES_CURSOR \
	"DECLARE sl_seats_cur NO SCROLL CURSOR FOR " \
	"SELECT (SELECT change_seq FROM show WHERE show_id = $1), ss.seat_id, " \
	"CASE WHEN ss.hold_id IS NOT NULL AND EXISTS (SELECT 1 FROM hold h " \
	"WHERE h.show_id = ss.show_id AND h.hold_id = ss.hold_id " \
	"AND h.expires_at <= now()) THEN 'available' ELSE ss.state END, " \
	"ss.zone " \
	"FROM show_seat ss " \
	"WHERE ss.show_id = $1"
#define SL_SEATS_CHUNK	2048
#define SL_SEATS_FETCH	"FETCH 2048 FROM sl_seats_cur"
/* Serves: hold_active_show_idx. */
#define SL_SEATS_HOLDS_SQL \
	"SELECT hold_id, kind, terminal, reason, " \
	"coalesce(to_json(expires_at) #>> '{}', '') FROM hold " \
	"WHERE show_id = $1 AND status = 'active' " \
	"AND NOT coalesce(expires_at <= now(), false) ORDER BY hold_id"
#define SL_SEATS_ZONES_SQL \
	"SELECT zone, name, price_cents, rank FROM price_zone " \
	"WHERE show_id = $1 ORDER BY zone"

/* The room for have + add entries, from cap: doubled, or as asked. */
static size_t
sl_seats_room(size_t have, size_t add, size_t cap)
{
	return cap * 2 > have + add ? cap * 2 : have + add;
}

/* Appends the seat rows of res to s (holds and zones read already);
 * *cap is the room in s->seat. */
static enum sl_rc
sl_seats_add(struct sl_seats *s, PGresult *res, size_t *cap,
    struct sl_err *e)
{
	int i, n = PQntuples(res);

	if (s->n + (size_t)n > *cap) {
		size_t want = sl_seats_room(s->n, (size_t)n, *cap);
		struct sl_seat *p = realloc(s->seat, want * sizeof *p);

		if (p == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		s->seat = p;
		*cap = want;
	}
	for (i = 0; i < n; i++) {
		struct sl_seat *st = &s->seat[s->n];
		enum sl_seat_state state;
		int64_t hold;
		int sec;

		memset(st, 0, sizeof *st);
		sec = sl_seats_section(s, PQgetvalue(res, i, 3));
		if (sec < 0)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		if (sl_db_int64(PQgetvalue(res, i, 1), &st->id) != 0 ||
		    sl_seat_state_parse(PQgetvalue(res, i, 11), &state) != 0)
			return sl_err_set(e, SL_EDB, "bad seat row from server");
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
		st->hold = -1;
		if (!PQgetisnull(res, i, 12) &&
		    sl_db_int64(PQgetvalue(res, i, 12), &hold) == 0)
			st->hold = sl_seats_find_hold(s, hold);
		st->zone = PQgetisnull(res, i, 13) ? -1 :
		    sl_seats_find_zone(s, PQgetvalue(res, i, 13));
		s->n++;
	}
	return SL_OK;
}

static int
sl_seats_cmp_pos(const void *a, const void *b)
{
	const struct sl_seat *x = a, *y = b;

	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Puts the seats in map order (y, x) and numbers the sections in their
 * order of appearance on the map, as the header promises; the rows come
 * in the join's order.
 */
static enum sl_rc
sl_seats_order(struct sl_seats *s, struct sl_err *e)
{
	int *map;
	char **names;
	size_t i, k = 0;
	struct sl_seat *p;

	/* The slack of the last doubling goes back. */
	if ((p = realloc(s->seat, s->n * sizeof *p)) != NULL)
		s->seat = p;
	qsort(s->seat, s->n, sizeof *s->seat, sl_seats_cmp_pos);
	if (s->nsections < 2)
		return SL_OK;
	map = malloc(s->nsections * sizeof *map);
	names = malloc(s->nsections * sizeof *names);
	if (map == NULL || names == NULL) {
		free(map);
		free(names);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	for (i = 0; i < s->nsections; i++)
		map[i] = -1;
	for (i = 0; i < s->n; i++) {
		struct sl_seat *st = &s->seat[i];

		if (map[st->section] < 0) {
			names[k] = s->section[st->section];
			map[st->section] = (int)k++;
		}
		st->section = (uint16_t)map[st->section];
	}
	/* Every section has a seat: it was named by one. */
	memcpy(s->section, names, k * sizeof *names);
	free(map);
	free(names);
	return SL_OK;
}

/* Appends the rows of res (SL_STATES_CURSOR) to st; *cap is its room. */
static enum sl_rc
sl_states_add(struct sl_states *st, const struct sl_seats *meta,
    PGresult *res, size_t *cap, struct sl_err *e)
{
	int i, n = PQntuples(res);

	if (st->n + (size_t)n > *cap) {
		size_t want = sl_seats_room(st->n, (size_t)n, *cap);
		int64_t *id = realloc(st->id, want * sizeof *id);
		uint8_t *state;
		int32_t *zone;

		if (id != NULL)
			st->id = id;
		state = id != NULL ? realloc(st->state, want) : NULL;
		if (state != NULL)
			st->state = state;
		zone = state != NULL ? realloc(st->zone, want * sizeof *zone) :
		    NULL;
		if (zone == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		st->zone = zone;
		*cap = want;
	}
	for (i = 0; i < n; i++) {
		enum sl_seat_state state;

		if (sl_db_int64(PQgetvalue(res, i, 1), &st->id[st->n]) != 0 ||
		    sl_seat_state_parse(PQgetvalue(res, i, 2), &state) != 0)
			return sl_err_set(e, SL_EDB, "bad seat row from server");
		st->state[st->n] = (uint8_t)state;
		st->zone[st->n] = PQgetisnull(res, i, 3) ? -1 :
		    sl_seats_find_zone(meta, PQgetvalue(res, i, 3));
		st->n++;
	}
	return SL_OK;
}

/* The holds and zones of the first answers of sl_show_read's batch into
 * s; the batch's first three answers cleared. */
static enum sl_rc
sl_show_meta(struct sl_seats *s, struct sl_db_batch *b, struct sl_err *e)
{
	enum sl_rc rc;

	rc = sl_db_rows(b[0].res, &sl_seats_hold_map, NULL, &s->hold,
	    &s->nholds, e);
	if (rc == SL_OK)
		rc = sl_db_rows(b[1].res, &sl_seats_zone_map, NULL, &s->zone,
		    &s->nzones, e);
	PQclear(b[0].res);
	PQclear(b[1].res);
	PQclear(b[2].res);
	return rc;
}

/* A read of no seat rows: the show is missing, or has no seats. */
static enum sl_rc
sl_show_none(struct sl_db *db, int64_t show, const char *const *params,
    struct sl_err *e)
{
	char buf[8];
	enum sl_rc rc;

	rc = sl_db_query_value(db, "SELECT 1 FROM show WHERE show_id = $1", 1,
	    params, buf, sizeof buf, e);
	if (rc == SL_ENOTFOUND)
		return sl_err_set(e, SL_ENOTFOUND, "show %" PRId64 " not found",
		    show);
	if (rc == SL_OK)
		return sl_err_set(e, SL_EDB, "show %" PRId64 " has no seats",
		    show);
	return rc;
}

/* The four statements of a show's read (params[0] the show): holds,
 * zones, the cursor (of the states alone, or of the layout too) and its
 * first chunk. */
static void
sl_show_batch(struct sl_db_batch *b, const char *const *params, int states)
{
	b[0] = (struct sl_db_batch){ SL_SEATS_HOLDS_SQL, 1, params,
	    PGRES_TUPLES_OK, NULL };
	b[1] = (struct sl_db_batch){ SL_SEATS_ZONES_SQL, 1, params,
	    PGRES_TUPLES_OK, NULL };
	b[2] = (struct sl_db_batch){ states ? SL_STATES_CURSOR :
	    SL_SEATS_CURSOR, 1, params, PGRES_COMMAND_OK, NULL };
	b[3] = (struct sl_db_batch){ SL_SEATS_FETCH, 0, NULL, PGRES_TUPLES_OK,
	    NULL };
}

/*
 * The holds, the zones, the cursor and its first chunk of one show in one
 * snapshot (sl_db_read): a show of fewer seats than a chunk is read and
 * committed in one round trip (1,000 box offices reload together after a
 * restart); a bigger one is read again with the transaction left open for
 * the cursor's further chunks (*open set).
 */
static enum sl_rc
sl_show_first(struct sl_db *db, const char *const *params, int states,
    struct sl_db_batch *b, int *open, struct sl_err *e)
{
	enum sl_rc rc;
	int i;

	sl_show_batch(b, params, states);
	*open = 0;
	rc = sl_db_read(db, b, 4, 1, e);
	if (rc != SL_OK || PQntuples(b[3].res) < SL_SEATS_CHUNK)
		return rc;
	for (i = 0; i < 4; i++)
		PQclear(b[i].res);
	*open = 1;
	return sl_db_read(db, b, 4, 0, e);
}

/*
 * The seat rows of a read into s->show's s, or with st its states into st,
 * from the first chunk *res on (column 0 of the first is the show's change
 * sequence); with more (a cursor open) the further chunks fetched into
 * *res.  Then a read of no seats says why, and a layout is put in map
 * order.
 */
static enum sl_rc
sl_show_rows(struct sl_db *db, const char *const *params, struct sl_seats *s,
    struct sl_states *st, PGresult **res, int more, struct sl_err *e)
{
	enum sl_rc rc = SL_OK;
	size_t cap = 0;

	if (PQntuples(*res) > 0 &&
	    sl_db_int64(PQgetvalue(*res, 0, 0), &s->change_seq) != 0)
		s->change_seq = 0;
	while (PQntuples(*res) > 0) {
		rc = st != NULL ? sl_states_add(st, s, *res, &cap, e) :
		    sl_seats_add(s, *res, &cap, e);
		if (rc != SL_OK || !more || PQntuples(*res) < SL_SEATS_CHUNK)
			break;
		PQclear(*res);
		*res = NULL;
		if ((rc = sl_db_params(db, SL_SEATS_FETCH, 0, NULL,
		    PGRES_TUPLES_OK, res, e)) != SL_OK)
			return rc;
	}
	if (rc == SL_OK && (st != NULL ? st->n : s->n) == 0)
		return sl_show_none(db, s->show, params, e);
	if (rc == SL_OK && st == NULL)
		rc = sl_seats_order(s, e);
	return rc;
}

/*
 * What sl_show_seats and sl_show_states share: one read-only snapshot of
 * the show's holds, zones and seats; with st, the states alone into st
 * (s then has no seat rows).
 */
static enum sl_rc
sl_show_read(struct sl_db *db, int64_t show, struct sl_seats **out,
    struct sl_states *st, struct sl_err *e)
{
	struct sl_seats *s;
	struct sl_db_batch b[4];
	const char *params[1];
	char ibuf[24];
	PGresult *res = NULL;
	enum sl_rc rc;
	int open = 1;

	snprintf(ibuf, sizeof ibuf, "%" PRId64, show);
	params[0] = ibuf;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	s->show = show;
	/* One snapshot: states, holds, zones and change_seq agree. */
	if ((rc = sl_show_first(db, params, st != NULL, b, &open, e)) !=
	    SL_OK)
		goto out;
	res = b[3].res;
	if ((rc = sl_show_meta(s, b, e)) == SL_OK)
		rc = sl_show_rows(db, params, s, st, &res, open, e);
out:
	PQclear(res);
	res = NULL;
	if (rc == SL_OK && open)
		rc = sl_db_params(db, "COMMIT", 0, NULL, PGRES_COMMAND_OK, &res,
		    e);
	PQclear(res);
	if (rc != SL_OK && open && sl_db_alive(db))
		sl_db_exec(db, "ROLLBACK", NULL);
	if (rc != SL_OK) {
		sl_seats_free(s);
		return rc;
	}
	*out = s;
	return SL_OK;
}

enum sl_rc
sl_show_seats(struct sl_db *db, int64_t show, struct sl_seats **out,
    struct sl_err *e)
{
	return sl_show_read(db, show, out, NULL, e);
}

enum sl_rc
sl_show_states(struct sl_db *db, int64_t show, struct sl_seats **meta,
    struct sl_states *out, struct sl_err *e)
{
	enum sl_rc rc;

	memset(out, 0, sizeof *out);
	rc = sl_show_read(db, show, meta, out, e);
	if (rc != SL_OK)
		sl_states_free(out);
	return rc;
}

/*
 * One show's answers of sl_show_states_many (b[0 .. 3], cleared here) into
 * *meta and *out; a show of a chunk's seats or more is read again on its
 * own.
 */
static enum sl_rc
sl_show_take(struct sl_db *db, int64_t show, const char *const *params,
    struct sl_db_batch *b, struct sl_seats **meta, struct sl_states *out,
    struct sl_err *e)
{
	struct sl_seats *s = calloc(1, sizeof *s);
	PGresult *res = b[3].res;
	enum sl_rc rc;
	int i;

	if (s == NULL) {
		for (i = 0; i < 4; i++)
			PQclear(b[i].res);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	s->show = show;
	rc = sl_show_meta(s, b, e);
	if (rc == SL_OK && PQntuples(res) >= SL_SEATS_CHUNK) {
		PQclear(res);
		sl_seats_free(s);
		return sl_show_states(db, show, meta, out, e);
	}
	if (rc == SL_OK)
		rc = sl_show_rows(db, params, s, out, &res, 0, e);
	PQclear(res);
	if (rc != SL_OK) {
		sl_seats_free(s);
		sl_states_free(out);
		return rc;
	}
	*meta = s;
	return SL_OK;
}

enum sl_rc
sl_show_states_many(struct sl_db *db, const int64_t *shows, size_t n,
    struct sl_seats **metas, struct sl_states *out, struct sl_err *e)
{
	struct sl_db_batch b[4 * SL_SHOW_STATES_MANY];
	char ibuf[SL_SHOW_STATES_MANY][24];
	const char *params[SL_SHOW_STATES_MANY];
	enum sl_rc rc;
	size_t i, k;

	if (n == 0 || n > SL_SHOW_STATES_MANY)
		return sl_err_set(e, SL_EINVAL, "%zu shows in one read", n);
	memset(out, 0, n * sizeof *out);
	for (i = 0; i < n; i++) {
		metas[i] = NULL;
		snprintf(ibuf[i], sizeof ibuf[i], "%" PRId64, shows[i]);
		params[i] = ibuf[i];
		sl_show_batch(b + 4 * i, &params[i], 1);
	}
	rc = sl_db_reads(db, b, 4, (int)n, e);
	for (i = 0; i < n; i++) {
		if (rc == SL_OK) {
			rc = sl_show_take(db, shows[i], &params[i], b + 4 * i,
			    &metas[i], &out[i], e);
			continue;
		}
		for (k = 4 * i; k < 4 * i + 4; k++)
			PQclear(b[k].res);
	}
	for (i = 0; rc != SL_OK && i < n; i++) {
		sl_seats_free(metas[i]);
		metas[i] = NULL;
		sl_states_free(&out[i]);
	}
	return rc;
}

void
sl_states_free(struct sl_states *st)
{
	if (st == NULL)
		return;
	free(st->id);
	free(st->state);
	free(st->zone);
	memset(st, 0, sizeof *st);
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

enum sl_rc
sl_show_set_window(struct sl_db *db, int64_t show, const char *on_sale,
    const char *off_sale, char *on_out, char *off_out, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	if (on_sale == NULL && off_sale == NULL)
		return sl_err_set(e, SL_EINVAL,
		    "give an on-sale or an off-sale time");
	sl_db_args(&a, db, "isst", show, on_sale, off_sale);
	rc = sl_db_params(db, "SELECT coalesce(on_sale, ''), "
	    "coalesce(off_sale, '') FROM sl_show_set_window($1, $2, $3, $4)",
	    a.n, a.v, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return sl_err_set(e, SL_EDB, "bad answer to a sale window");
	}
	if (on_out != NULL)
		snprintf(on_out, 48, "%s", PQgetvalue(res, 0, 0));
	if (off_out != NULL)
		snprintf(off_out, 48, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return SL_OK;
}

/* Serves: show_seat's key, hold's key. */
#define SL_SEATS_ARE_SQL \
	"SELECT ((SELECT change_seq FROM show WHERE show_id = $1) >= $3 " \
	"AND NOT EXISTS (SELECT 1 FROM unnest($2::bigint[]) x(id) " \
	"LEFT JOIN show_seat ss ON ss.show_id = $1 AND ss.seat_id = x.id " \
	"LEFT JOIN hold h ON h.show_id = ss.show_id AND h.hold_id = ss.hold_id " \
	"WHERE (CASE WHEN h.expires_at <= now() THEN 'available' " \
	"ELSE ss.state END) IS DISTINCT FROM $4))::int"

enum sl_rc
sl_show_seats_are(struct sl_db *db, int64_t show, const int64_t *ids,
    size_t n, enum sl_seat_state state, int64_t seq, int *yes,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	int64_t v = 0;
	enum sl_rc rc;
	char *arr;

	*yes = 0;
	if ((arr = sl_sbuf_ids(ids, n, sizeof *ids)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	sl_db_args(&a, db, "isis", show, arr, seq, sl_seat_state_name(state));
	rc = sl_db_query_int(db, SL_SEATS_ARE_SQL, &a, "seat check", &v, e);
	free(arr);
	*yes = rc == SL_OK && v == 1;
	return rc;
}
