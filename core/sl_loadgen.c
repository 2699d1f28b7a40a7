/*
 * sl_loadgen.c - the load generator's part of the database (see
 * sl_loadgen.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_loadgen.h"

/* Row name of row index r: A..Z, AA..AZ, BA.. (bijective base 26). */
static void
sl_loadgen_row(int64_t r, char *buf, size_t bufsz)
{
	char tmp[16];
	size_t n = 0, i;

	r++;
	while (r > 0 && n < sizeof tmp) {
		r--;
		tmp[n++] = (char)('A' + r % 26);
		r /= 26;
	}
	for (i = 0; i < n && i + 1 < bufsz; i++)
		buf[i] = tmp[n - 1 - i];
	buf[i < bufsz ? i : bufsz - 1] = '\0';
}

void
sl_loadgen_label(int64_t k, int per_row, char *buf, size_t bufsz)
{
	char row[16];

	sl_loadgen_row(k / per_row, row, sizeof row);
	snprintf(buf, bufsz, "%s%" PRId64, row, k % per_row + 1);
}

/* The rows of section s: rows_per_section rows from row s * rps. */
static void
sl_loadgen_section(struct sl_sbuf *b, int64_t s, int64_t nseats,
    int per_row, int64_t rows, int rps)
{
	char row[16];
	int64_t r, n;

	for (r = s * rps; r < rows && r < (s + 1) * rps; r++) {
		n = nseats - r * per_row;
		if (n > per_row)
			n = per_row;
		sl_loadgen_row(r - s * rps, row, sizeof row);
		sl_sbuf_printf(b, "%s      { row = \"%s\"; seats = "
		    "\"1-%" PRId64 "\"; }", r > s * rps ? ",\n" : "", row, n);
	}
}

char *
sl_loadgen_layout(const char *name, int64_t nseats, int per_row,
    int rows_per_section)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	int64_t rows = (nseats + per_row - 1) / per_row, nsec, s;
	int64_t grid;

	if (rows_per_section <= 0 || rows <= rows_per_section)
		rows_per_section = (int)(rows > 0 ? rows : 1);
	nsec = (rows + rows_per_section - 1) / rows_per_section;
	/* Sections on a square-ish grid, an aisle between them. */
	for (grid = 1; grid * grid < nsec; grid++)
		;
	sl_sbuf_printf(&b, "venue = {\n  name = \"%s\";\n  sections = (\n",
	    name);
	for (s = 0; s < nsec; s++) {
		char prefix[32] = "";

		/* One section: labels are row and number, "A1". */
		if (nsec > 1)
			snprintf(prefix, sizeof prefix, "S%" PRId64 "-", s + 1);
		sl_sbuf_printf(&b, "%s    { name = \"Section %" PRId64 "\"; "
		    "prefix = \"%s\"; x = %" PRId64 "; y = %" PRId64
		    "; rows = (\n", s ? ",\n" : "", s + 1, prefix,
		    (s % grid) * (per_row + 2),
		    (s / grid) * (rows_per_section + 1));
		sl_loadgen_section(&b, s, nseats, per_row, rows,
		    rows_per_section);
		sl_sbuf_puts(&b, "\n    ); }");
	}
	sl_sbuf_puts(&b, "\n  );\n};\n");
	return sl_sbuf_take(&b);
}

/*
 * Without it, a new venue's id is unknown to the statistics (estimated at
 * one seat), and sl_book's label lookup, planned with that estimate, walks
 * every seat of the venue through the position index instead of probing
 * the label index - the state of any venue in the minute after its import,
 * until autovacuum analyzes.
 */
enum sl_rc
sl_loadgen_analyze(struct sl_db *db, struct sl_err *e)
{
	return sl_db_exec(db, "ANALYZE seat, show_seat, show", e);
}

enum sl_rc
sl_loadgen_backends(struct sl_db *db, int64_t *n, struct sl_err *e)
{
	char buf[24];
	enum sl_rc rc;

	*n = -1;
	rc = sl_db_query_value(db, "SELECT count(*) FROM pg_stat_activity "
	    "WHERE datname = current_database() "
	    "AND backend_type = 'client backend'", 0, NULL, buf, sizeof buf,
	    e);
	if (rc == SL_OK)
		*n = strtoll(buf, NULL, 10);
	return rc;
}

enum sl_rc
sl_loadgen_notify_mode(struct sl_db *db, char *buf, size_t bufsz,
    struct sl_err *e)
{
	return sl_db_query_value(db,
	    "SELECT coalesce(nullif(current_setting('seatlock.notify_mode', "
	    "true), ''), 'per-commit')", 0, NULL, buf, bufsz, e);
}

enum sl_rc
sl_loadgen_notify_flush(struct sl_db *db, struct sl_err *e)
{
	char out[24];

	return sl_db_query_value(db, "SELECT sl_notify_flush()", 0, NULL,
	    out, sizeof out, e);
}

enum sl_rc
sl_loadgen_listen(struct sl_db *db, int64_t show, struct sl_err *e)
{
	char channel[64];

	snprintf(channel, sizeof channel, "seatlock_show_%" PRId64, show);
	return sl_db_listen(db, channel, e);
}

/* The ids, comma-separated: inside an array literal. */
static void
sl_loadgen_id_list(struct sl_sbuf *b, const int64_t *ids, int64_t n)
{
	int64_t i;

	for (i = 0; i < n; i++)
		sl_sbuf_printf(b, "%s%" PRId64, i ? "," : "", ids[i]);
}

/* "{1,2,3}": an array literal of ids, for a bigint[] parameter. */
static char *
sl_loadgen_ids(const int64_t *ids, int64_t n)
{
	struct sl_sbuf b = SL_SBUF_INIT;

	sl_sbuf_puts(&b, "{");
	sl_loadgen_id_list(&b, ids, n);
	sl_sbuf_puts(&b, "}");
	return sl_sbuf_take(&b);
}

enum sl_rc
sl_loadgen_check(struct sl_db *db, const int64_t *shows, int64_t nshows,
    struct sl_loadgen_check *out, struct sl_err *e)
{
	const char *params[1];
	PGresult *res;
	enum sl_rc rc;
	char *ids;

	memset(out, 0, sizeof *out);
	if ((ids = sl_loadgen_ids(shows, nshows)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	params[0] = ids;
	rc = sl_db_params(db,
	    "SELECT (SELECT count(*) FROM (SELECT 1 FROM booking "
	    "  WHERE show_id = ANY ($1::bigint[]) AND status = 'active' "
	    "  GROUP BY show_id, seat_id HAVING count(*) > 1) d), "
	    " (SELECT count(*) FROM show_seat ss "
	    "  WHERE ss.show_id = ANY ($1::bigint[]) "
	    "  AND (ss.state = 'booked') <> EXISTS (SELECT 1 FROM booking b "
	    "   WHERE b.show_id = ss.show_id AND b.seat_id = ss.seat_id "
	    "   AND b.status = 'active')), "
	    " (SELECT count(*) FROM booking WHERE show_id = ANY ($1::bigint[]) "
	    "  AND status = 'active')",
	    1, params, PGRES_TUPLES_OK, &res, e);
	free(ids);
	if (rc != SL_OK)
		return rc;
	if (sl_db_int64(PQgetvalue(res, 0, 0), &out->double_bookings) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 1), &out->state_mismatches) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 2), &out->active_bookings) != 0)
		rc = sl_err_set(e, SL_EDB, "bad count from server");
	PQclear(res);
	return rc;
}

/*
 * One statement: foreign keys are checked at its end, when all of it is
 * gone.  The venue and its seats stay: no index serves the foreign keys
 * that point at seats from the inventory and the bookings, so deleting
 * seats costs a scan of those tables per seat.  A failure (another
 * module's rows pointing at one of the shows) leaves everything in place.
 */
enum sl_rc
sl_loadgen_cleanup(struct sl_db *db, const int64_t *shows, int64_t nshows,
    const int64_t *users, int64_t nusers, struct sl_err *e)
{
	const char *params[2];
	char *sids, *uids;
	PGresult *res;
	enum sl_rc rc;

	sids = sl_loadgen_ids(shows, nshows);
	uids = sl_loadgen_ids(users, nusers);
	if (sids == NULL || uids == NULL) {
		free(sids);
		free(uids);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	params[0] = sids;
	params[1] = uids;
	rc = sl_db_params(db,
	    "WITH s AS (SELECT unnest($1::bigint[]) AS show_id), "
	    "c AS (DELETE FROM show_change WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "b AS (DELETE FROM booking WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "q AS (DELETE FROM booking_request WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "i AS (DELETE FROM show_seat WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "h AS (DELETE FROM show WHERE show_id IN (SELECT show_id FROM s)), "
	    "u AS (DELETE FROM app_user WHERE user_id = ANY ($2::bigint[])) "
	    "SELECT 1", 2, params, PGRES_TUPLES_OK, &res, e);
	free(sids);
	free(uids);
	if (rc == SL_OK)
		PQclear(res);
	return rc;
}

/* Served by show_seat's primary key, in key order. */
enum sl_rc
sl_loadgen_states(struct sl_db *db, int64_t show, int64_t *n,
    struct sl_err *e)
{
	const char *params[1];
	char ibuf[24];
	PGresult *res;
	enum sl_rc rc;

	snprintf(ibuf, sizeof ibuf, "%" PRId64, show);
	params[0] = ibuf;
	rc = sl_db_params(db, "SELECT seat_id, state FROM show_seat "
	    "WHERE show_id = $1 ORDER BY seat_id", 1, params, PGRES_TUPLES_OK,
	    &res, e);
	if (rc != SL_OK)
		return rc;
	*n = PQntuples(res);
	PQclear(res);
	return SL_OK;
}

static void
sl_loadgen_notice(void *arg, const char *message)
{
	sl_sbuf_puts(arg, message);
}

enum sl_rc
sl_loadgen_explain_on(struct sl_db *db, struct sl_sbuf *plans,
    struct sl_err *e)
{
	enum sl_rc rc;

	rc = sl_db_exec(db, "LOAD 'auto_explain'", e);
	if (rc != SL_OK)
		return rc;
	rc = sl_db_exec(db,
	    "SELECT set_config('auto_explain.log_min_duration', '0', false), "
	    "set_config('auto_explain.log_analyze', 'on', false), "
	    "set_config('auto_explain.log_buffers', 'on', false), "
	    "set_config('auto_explain.log_nested_statements', 'on', false), "
	    "set_config('auto_explain.log_level', 'notice', false)", e);
	if (rc != SL_OK)
		return rc;
	PQsetNoticeProcessor(sl_db_pg(db), sl_loadgen_notice, plans);
	return SL_OK;
}

int
sl_loadgen_seq_scans(const char *plans)
{
	const char *p = plans;
	int n = 0;

	while (p != NULL && (p = strstr(p, "Seq Scan on ")) != NULL) {
		p += strlen("Seq Scan on ");
		if (strncmp(p, "show_change", strlen("show_change")) != 0)
			n++;
	}
	return n;
}

/*
 * The same booking as the bench clients' (sl_book of one random seat that
 * nobody else books), from pgbench's own threads.
 */
char *
sl_loadgen_pgbench_script(const struct sl_loadgen_script *s)
{
	struct sl_sbuf b = SL_SBUF_INIT;

	sl_sbuf_printf(&b,
	    "-- seatlock bench: the booking of the spread scenario\n"
	    "\\set idx :client_id * %" PRId64 " + :n\n"
	    "\\set n :n + 1\n"
	    "\\set p permute(:idx, %" PRId64 ", %" PRIu64 ")\n"
	    "SELECT booking_id, seat_label FROM sl_book(('{", s->per,
	    s->nshows * s->show_seats, s->seed);
	sl_loadgen_id_list(&b, s->shows, s->nshows);
	sl_sbuf_printf(&b, "}'::bigint[])[1 + :p / %" PRId64 "], "
	    "ARRAY[chr(65 + :p %% %" PRId64 " / %d) || (1 + :p %% %d)], "
	    "('{", s->show_seats, s->show_seats, SL_LOADGEN_PER_ROW,
	    SL_LOADGEN_PER_ROW);
	sl_loadgen_id_list(&b, s->users, s->nusers);
	/* The request key: 32 hex digits spread over the key index like
	 * ours (random); keys with a common prefix would all land on a few
	 * leaf pages of booking_request_key and queue there. */
	sl_sbuf_printf(&b, "}'::bigint[])[1 + :client_id %% %d], "
	    "md5('pgbench-%s-' || :idx), 'pgbench');\n", s->nusers, s->tag);
	return sl_sbuf_take(&b);
}
