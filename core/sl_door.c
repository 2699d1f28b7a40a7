/*
 * sl_door.c - the offline door's file (sl_door.h): SQLite, one file a
 * show.  The file is marked as ours by its application_id; a file that is
 * not, or is damaged, is refused with a reason.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_door.h"
#include "sl_show.h"

#define SL_DOOR_APP_ID	0x534c4452	/* "SLDR" */
#define SL_DOOR_VERSION	1

struct sl_door_file {
	sqlite3	*db;
	int64_t	 show;
	char	 path[4096];
};

static const char sl_door_schema[] =
    "PRAGMA application_id = 1397507154;"
    "PRAGMA user_version = 1;"
    "CREATE TABLE door_show (one INTEGER PRIMARY KEY CHECK (one = 1),"
    " show_id INTEGER NOT NULL, title TEXT NOT NULL,"
    " starts_at TEXT NOT NULL, exported_at TEXT NOT NULL,"
    " sold INTEGER NOT NULL);"
    "CREATE TABLE ticket (code TEXT PRIMARY KEY, booking_id INTEGER NOT NULL,"
    " label TEXT NOT NULL, admitted_online INTEGER NOT NULL);"
    "CREATE TABLE scan (scan_id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL, door TEXT NOT NULL, code TEXT,"
    " result TEXT NOT NULL, reason TEXT, synced TEXT);";

/* e from the SQLite error of f's database, saying what was being done. */
static enum sl_rc
sl_door_err(sqlite3 *db, const char *what, struct sl_err *e)
{
	return sl_err_set(e, SL_EINVAL, "door file: %s: %s", what,
	    db != NULL ? sqlite3_errmsg(db) : "out of memory");
}

/* Runs sql with text parameters (NULL for NULL); steps once.  The row (or
 * none) in *st when st is not NULL, else finalized. */
static enum sl_rc
sl_door_exec(sqlite3 *db, const char *sql, int n, const char *const *v,
    sqlite3_stmt **st, struct sl_err *e)
{
	sqlite3_stmt *s;
	int i, r;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return sl_door_err(db, "reading", e);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_TRANSIENT);
	r = sqlite3_step(s);
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		sqlite3_finalize(s);
		return sl_door_err(db, "writing", e);
	}
	if (st != NULL)
		*st = s;
	else
		sqlite3_finalize(s);
	return SL_OK;
}

/* Column i of the current row of s as text ("" for NULL). */
static const char *
sl_door_col(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t != NULL ? (const char *)t : "";
}

/* Writes the show's row and its tickets into the new file db. */
static enum sl_rc
sl_door_fill(sqlite3 *db, const struct sl_show *sh,
    const struct sl_door_ticket *t, size_t n, struct sl_err *e)
{
	char id[24], bk[24], sold[24];
	const char *v[4];
	size_t i;

	snprintf(id, sizeof id, "%" PRId64, sh->id);
	snprintf(sold, sizeof sold, "%zu", n);
	v[0] = id, v[1] = sh->title, v[2] = sh->starts_at, v[3] = sold;
	if (sl_door_exec(db, "INSERT INTO door_show VALUES (1, ?, ?, ?,"
	    " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)", 4, v, NULL, e) != SL_OK)
		return SL_EINVAL;
	for (i = 0; i < n; i++) {
		snprintf(bk, sizeof bk, "%" PRId64, t[i].booking);
		v[0] = t[i].code, v[1] = bk, v[2] = t[i].label;
		v[3] = t[i].admitted ? "1" : "0";
		if (sl_door_exec(db, "INSERT INTO ticket VALUES (?, ?, ?, ?)",
		    4, v, NULL, e) != SL_OK)
			return SL_EINVAL;
	}
	return SL_OK;
}

/* Creates the file at path (which must not exist) with the show's
 * tickets, in one transaction. */
static enum sl_rc
sl_door_write(const char *path, const struct sl_show *sh,
    const struct sl_door_ticket *t, size_t n, struct sl_err *e)
{
	sqlite3 *db = NULL;
	enum sl_rc rc = SL_OK;

	if (access(path, F_OK) == 0)
		return sl_err_set(e, SL_ECONFLICT, "%s exists: export into a "
		    "new file", path);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = sl_err_set(e, SL_EINVAL, "cannot create %s: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return rc;
	}
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, sl_door_schema, NULL, NULL, NULL) != SQLITE_OK)
		rc = sl_door_err(db, "creating", e);
	if (rc == SL_OK)
		rc = sl_door_fill(db, sh, t, n, e);
	if (rc == SL_OK && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) !=
	    SQLITE_OK)
		rc = sl_door_err(db, "writing", e);
	sqlite3_close(db);
	if (rc != SL_OK)
		unlink(path);
	return rc;
}

/* The file's show row and counts into info. */
static enum sl_rc
sl_door_read_info(sqlite3 *db, struct sl_door_info *info, struct sl_err *e)
{
	sqlite3_stmt *s;

	memset(info, 0, sizeof *info);
	if (sl_door_exec(db, "SELECT show_id, title, starts_at, exported_at,"
	    " (SELECT count(*) FROM ticket), (SELECT count(*) FROM scan),"
	    " (SELECT count(*) FROM scan WHERE result = 'admitted'"
	    " AND synced IS NULL) FROM door_show", 0, NULL, &s, e) != SL_OK)
		return SL_EINVAL;
	if (sqlite3_data_count(s) == 0) {
		sqlite3_finalize(s);
		return sl_err_set(e, SL_EINVAL, "door file: no show in it "
		    "(damaged?)");
	}
	info->show = sqlite3_column_int64(s, 0);
	snprintf(info->title, sizeof info->title, "%s", sl_door_col(s, 1));
	snprintf(info->starts_at, sizeof info->starts_at, "%s",
	    sl_door_col(s, 2));
	snprintf(info->exported_at, sizeof info->exported_at, "%s",
	    sl_door_col(s, 3));
	info->tickets = sqlite3_column_int64(s, 4);
	info->scans = sqlite3_column_int64(s, 5);
	info->unsynced = sqlite3_column_int64(s, 6);
	sqlite3_finalize(s);
	return SL_OK;
}

enum sl_rc
sl_door_export(struct sl_db *db, int64_t show, const char *path,
    struct sl_door_info *info, struct sl_err *e)
{
	struct sl_door_ticket *t = NULL;
	struct sl_door_file *f;
	struct sl_show *sh;
	enum sl_rc rc;
	size_t n = 0;

	if ((rc = sl_show_get(db, show, &sh, e)) != SL_OK)
		return rc;
	rc = sl_door_tickets(db, show, &t, &n, e);
	if (rc == SL_OK)
		rc = sl_door_write(path, sh, t, n, e);
	free(t);
	sl_show_list_free(sh, 1);
	if (rc != SL_OK || info == NULL)
		return rc;
	if ((rc = sl_door_open(path, &f, info, e)) == SL_OK)
		sl_door_close(f);
	return rc;
}

/* SL_OK if db is one of our files (application_id, version). */
static enum sl_rc
sl_door_check(sqlite3 *db, const char *path, struct sl_err *e)
{
	sqlite3_stmt *s;
	int64_t id, ver;

	if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return sl_err_set(e, SL_EINVAL, "%s is not a door file (%s)",
		    path, sqlite3_errmsg(db));
	}
	id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (id != SL_DOOR_APP_ID)
		return sl_err_set(e, SL_EINVAL, "%s is not a door file of "
		    "seatlock door --export", path);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return sl_door_err(db, path, e);
	}
	ver = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (ver != SL_DOOR_VERSION)
		return sl_err_set(e, SL_EINVAL, "%s is a door file of another "
		    "version (%" PRId64 ")", path, ver);
	return SL_OK;
}

enum sl_rc
sl_door_open(const char *path, struct sl_door_file **out,
    struct sl_door_info *info, struct sl_err *e)
{
	struct sl_door_info i;
	struct sl_door_file *f;
	sqlite3 *db = NULL;

	*out = NULL;
	if (access(path, R_OK | W_OK) != 0)
		return sl_err_set(e, SL_EINVAL, "cannot open %s: no such "
		    "file, or not readable and writable", path);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		sl_err_set(e, SL_EINVAL, "cannot open %s: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return SL_EINVAL;
	}
	sqlite3_busy_timeout(db, 2000);
	if (sl_door_check(db, path, e) != SL_OK ||
	    sqlite3_exec(db, "PRAGMA quick_check", NULL, NULL, NULL) !=
	    SQLITE_OK ||
	    sl_door_read_info(db, info != NULL ? info : &i, e) != SL_OK) {
		if (e->rc == SL_OK)
			sl_door_err(db, path, e);
		sqlite3_close(db);
		return SL_EINVAL;
	}
	if ((f = calloc(1, sizeof *f)) == NULL) {
		sqlite3_close(db);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	f->db = db;
	f->show = (info != NULL ? info : &i)->show;
	snprintf(f->path, sizeof f->path, "%s", path);
	*out = f;
	return SL_OK;
}

void
sl_door_close(struct sl_door_file *f)
{
	if (f == NULL)
		return;
	sqlite3_close(f->db);
	free(f);
}

/* Records a scan of f: code (NULL: not a code), result, reason. */
static enum sl_rc
sl_door_note(struct sl_door_file *f, const char *code, const char *door,
    const char *result, const char *reason, struct sl_err *e)
{
	const char *v[4] = { door, code, result, reason };

	return sl_door_exec(f->db, "INSERT INTO scan (at, door, code, result,"
	    " reason) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?,"
	    " ?)", 4, v, NULL, e);
}

/* The show's counts (admitted online before the export or here, sold)
 * and its title into out. */
static enum sl_rc
sl_door_counts(struct sl_door_file *f, struct sl_checkin *out,
    struct sl_err *e)
{
	sqlite3_stmt *s;

	if (sl_door_exec(f->db, "SELECT (SELECT count(*) FROM ticket"
	    " WHERE admitted_online) + (SELECT count(DISTINCT code) FROM scan"
	    " WHERE result = 'admitted'), sold, title, starts_at, show_id,"
	    " julianday('now') > julianday(starts_at) + 0.25 FROM door_show",
	    0, NULL, &s, e) != SL_OK)
		return SL_EINVAL;
	if (sqlite3_data_count(s) > 0) {
		out->admitted = sqlite3_column_int64(s, 0);
		out->sold = sqlite3_column_int64(s, 1);
		snprintf(out->title, sizeof out->title, "%s",
		    sl_door_col(s, 2));
		snprintf(out->starts_at, sizeof out->starts_at, "%s",
		    sl_door_col(s, 3));
		out->show = sqlite3_column_int64(s, 4);
		if (sqlite3_column_int(s, 5) && out->reason[0] == '\0')
			snprintf(out->reason, sizeof out->reason, "ended");
	}
	sqlite3_finalize(s);
	return SL_OK;
}

/* The answer for the ticket code of the file (out's reason "ended" when
 * the show has ended): its seat, and whether it is in already. */
static enum sl_rc
sl_door_lookup(struct sl_door_file *f, const char *code,
    struct sl_checkin *out, struct sl_err *e)
{
	const char *v[1] = { code };
	sqlite3_stmt *s;

	if (sl_door_exec(f->db, "SELECT t.label, t.admitted_online,"
	    " (SELECT min(at) FROM scan WHERE code = t.code"
	    " AND result = 'admitted'), (SELECT door FROM scan"
	    " WHERE code = t.code AND result = 'admitted'"
	    " ORDER BY scan_id LIMIT 1) FROM ticket t WHERE t.code = ?",
	    1, v, &s, e) != SL_OK)
		return SL_EINVAL;
	if (sqlite3_data_count(s) == 0) {
		out->result = SL_CHECKIN_REFUSED;
		out->show = 0;
		snprintf(out->reason, sizeof out->reason, "unknown");
	} else if (out->reason[0] != '\0') {
		out->result = SL_CHECKIN_REFUSED;
	} else {
		snprintf(out->label, sizeof out->label, "%s",
		    sl_door_col(s, 0));
		out->result = sqlite3_column_int(s, 1) ||
		    sqlite3_column_type(s, 2) != SQLITE_NULL ?
		    SL_CHECKIN_ALREADY : SL_CHECKIN_ADMITTED;
		snprintf(out->first_at, sizeof out->first_at, "%s",
		    sqlite3_column_int(s, 1) ? "before the export" :
		    sl_door_col(s, 2));
		snprintf(out->first_door, sizeof out->first_door, "%s",
		    sqlite3_column_int(s, 1) ? "online" : sl_door_col(s, 3));
	}
	sqlite3_finalize(s);
	return SL_OK;
}

enum sl_rc
sl_door_scan(struct sl_door_file *f, const char *code, const char *door,
    struct sl_checkin *out, struct sl_err *e)
{
	static const char *const res[] = { "admitted", "already", "refused" };
	unsigned char raw[SL_TICKET_RAW];
	char c[SL_TICKET_CODE_MAX + 1];
	struct sl_err ign;
	const char *why;

	memset(out, 0, sizeof *out);
	if (door == NULL || sl_text_valid(door, SL_DOOR_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the door's name %s",
		    door == NULL ? "is missing" : why);
	if (sl_ticket_code_parse(code, raw, e) != SL_OK) {
		sl_door_note(f, NULL, door, "refused", e->msg, &ign);
		return SL_EINVAL;
	}
	sl_ticket_code_format(raw, c);
	if (sqlite3_exec(f->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return sl_door_err(f->db, "locking", e);
	if (sl_door_counts(f, out, e) != SL_OK ||
	    sl_door_lookup(f, c, out, e) != SL_OK ||
	    sl_door_note(f, c, door, res[out->result],
	    out->result == SL_CHECKIN_REFUSED ? out->reason : NULL,
	    e) != SL_OK || sl_door_counts(f, out, e) != SL_OK) {
		sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
		return SL_EINVAL;
	}
	if (sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return sl_door_err(f->db, "writing", e);
	return SL_OK;
}

/* The admissions of f not yet sent back, in scan order: *n of them in
 * *out (free). */
static enum sl_rc
sl_door_pending(struct sl_door_file *f, struct sl_door_synced **out,
    size_t *n, int64_t **ids, struct sl_err *e)
{
	struct sl_door_synced *v = NULL, *nv;
	int64_t *id = NULL, *nid;
	sqlite3_stmt *s;
	size_t k = 0;
	int r;

	if (sqlite3_prepare_v2(f->db, "SELECT scan_id, code, at, door"
	    " FROM scan WHERE result = 'admitted' AND synced IS NULL"
	    " ORDER BY scan_id", -1, &s, NULL) != SQLITE_OK)
		return sl_door_err(f->db, "reading", e);
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		nv = realloc(v, (k + 1) * sizeof *v);
		nid = realloc(id, (k + 1) * sizeof *id);
		if (nv != NULL)
			v = nv;
		if (nid != NULL)
			id = nid;
		if (nv == NULL || nid == NULL)
			break;
		memset(&v[k], 0, sizeof v[k]);
		id[k] = sqlite3_column_int64(s, 0);
		snprintf(v[k].code, sizeof v[k].code, "%s", sl_door_col(s, 1));
		snprintf(v[k].at, sizeof v[k].at, "%s", sl_door_col(s, 2));
		snprintf(v[k].door, sizeof v[k].door, "%s", sl_door_col(s, 3));
		k++;
	}
	sqlite3_finalize(s);
	*out = v, *ids = id, *n = k;
	if (r != SQLITE_DONE)
		return r == SQLITE_ROW ? sl_err_set(e, SL_ENOMEM,
		    "out of memory") : sl_door_err(f->db, "reading", e);
	return SL_OK;
}

/* Marks scan id of f as sent back, with the database's answer. */
static enum sl_rc
sl_door_mark(struct sl_door_file *f, int64_t id, const struct sl_checkin *c,
    struct sl_err *e)
{
	static const char *const res[] = { "admitted", "already", "refused" };
	char ids[24], ans[320];
	const char *v[2] = { ans, ids };

	snprintf(ids, sizeof ids, "%" PRId64, id);
	snprintf(ans, sizeof ans, "%s%s%s", res[c->result],
	    c->reason[0] != '\0' ? ": " : "", c->reason);
	return sl_door_exec(f->db, "UPDATE scan SET synced = ? WHERE"
	    " scan_id = ?", 2, v, NULL, e);
}

enum sl_rc
sl_door_sync(struct sl_db *db, struct sl_door_file *f,
    void (*each)(void *, const struct sl_door_synced *), void *ctx,
    size_t *n, struct sl_err *e)
{
	struct sl_door_synced *v = NULL;
	unsigned char raw[SL_TICKET_RAW];
	int64_t *ids = NULL;
	enum sl_rc rc;
	size_t k = 0, i;

	*n = 0;
	rc = sl_door_pending(f, &v, &k, &ids, e);
	for (i = 0; rc == SL_OK && i < k; i++) {
		if ((rc = sl_ticket_code_parse(v[i].code, raw, e)) != SL_OK)
			break;
		rc = sl_checkin_at(db, raw, f->show, v[i].door, v[i].at,
		    &v[i].c, e);
		if (rc == SL_OK)
			rc = sl_door_mark(f, ids[i], &v[i].c, e);
		if (rc != SL_OK)
			break;
		(*n)++;
		if (each != NULL)
			each(ctx, &v[i]);
	}
	free(v);
	free(ids);
	return rc;
}

void
sl_door_count(struct sl_door_file *f, int64_t *admitted, int64_t *sold)
{
	struct sl_checkin c;
	struct sl_err e;

	memset(&c, 0, sizeof c);
	if (sl_door_counts(f, &c, &e) == SL_OK) {
		*admitted = c.admitted;
		*sold = c.sold;
	}
}

const char *
sl_checkin_why(const char *reason)
{
	if (strcmp(reason, "unknown") == 0)
		return "unknown code: not a ticket of this box office "
		    "(or not on this door's list)";
	if (strcmp(reason, "voided") == 0)
		return "voided: the ticket was cancelled or exchanged";
	if (strcmp(reason, "ended") == 0)
		return "the show has ended";
	if (strncmp(reason, "another show: ", 14) == 0)
		return reason;
	return reason[0] != '\0' ? reason : "refused";
}
