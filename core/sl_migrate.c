/*
 * sl_migrate.c - forward-only migrations with a checksum and an advisory
 * lock, then the function files, re-applied when their text changes.
 *
 * sql/migrations/ holds the numbered DDL history.  Its first migration,
 * 0001_baseline.sql, is the schema that 0001_schema.sql to
 * 0010_privileges.sql (the chain of releases up to 2c3ff29) built: a new
 * database starts from it, and a database that recorded that whole chain
 * (the versions and checksums below) has it already, so nothing is applied
 * there.  Versions 2 to 10 stay the old chain's: new migrations are 0011
 * and later.
 *
 * sql/functions/ holds the one current definition of every function and
 * trigger (CREATE OR REPLACE).  After the migrations, the files whose
 * checksum differs from the one recorded in schema_function are applied,
 * in name order, with grants.sql last (like Flyway's repeatable
 * migrations), in the one transaction of the whole run.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_db_int.h"
#include "sl_embedded.h"
#include "sl_migrate.h"

/* Any constant will do; it names the migration lock in pg_locks. */
#define SL_MIGRATE_LOCK "74150001"

/* How long db migrate waits for another session's migration lock. */
#define SL_MIGRATE_WAIT_MS	10000

/* The migration that stands for the old chain, and the file of grants. */
#define SL_MIGRATE_BASELINE	1
#define SL_MIGRATE_GRANTS	"grants.sql"

/* What the migrations before the baseline recorded in schema_migration. */
static const struct {
	int		 version;
	const char	*name;
	const char	*checksum;
} sl_migrate_chain[] = {
	{ 1, "0001_schema.sql", "ef9aab47f064c51c" },
	{ 2, "0002_booking.sql", "e521e497fd66ce9b" },
	{ 3, "0003_depth.sql", "797e2be11cde27fe" },
	{ 4, "0004_tui_lookup.sql", "a7ca9a1fda4cb76f" },
	{ 5, "0005_request_lookup.sql", "158e5e5fd7a74edc" },
	{ 6, "0006_hold_change.sql", "fed93bf0093250d3" },
	{ 7, "0007_cancel_request_grants.sql", "6381e43b766c4c67" },
	{ 8, "0008_notify_batched.sql", "d9c3aad87c2ef6eb" },
	{ 9, "0009_show_row_locks.sql", "0c384fb13a4dfc56" },
	{ 10, "0010_privileges.sql", "bfaaaf36fe44477f" },
};
#define SL_MIGRATE_CHAIN \
	((int)(sizeof sl_migrate_chain / sizeof sl_migrate_chain[0]))

static int
sl_migrate_version(const char *name)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return name[4] == '_' ? v : -1;
}

/* FNV-1a, 64 bits: detects an applied migration edited afterwards. */
static void
sl_migrate_checksum(const char *data, size_t len, char *buf, size_t bufsz)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 1099511628211ULL;
	}
	snprintf(buf, bufsz, "%016" PRIx64, h);
}

int
sl_migrate_latest(void)
{
	const struct sl_embedded *m;
	int latest = 0;

	for (m = sl_embedded_migrations; m->name != NULL; m++)
		if (sl_migrate_version(m->name) > latest)
			latest = sl_migrate_version(m->name);
	return latest;
}

int
sl_migrate_count(void)
{
	const struct sl_embedded *m;
	int n = 0;

	for (m = sl_embedded_migrations; m->name != NULL; m++)
		if (sl_migrate_version(m->name) >= 0)
			n++;
	return n;
}

/*
 * Runs the SQL of file name inside the open transaction; on failure rolls
 * it back and says which file failed ("what" says of which kind).
 */
static enum sl_rc
sl_migrate_exec(struct sl_db *db, const char *what, const char *name,
    const char *sql, struct sl_err *e)
{
	char msg[SL_ERR_MSG];
	enum sl_rc rc;

	if ((rc = sl_db_exec(db, sql, e)) == SL_OK)
		return SL_OK;
	/* A bug in a migration is never "bad input". */
	rc = rc == SL_ECONN ? SL_ECONN : SL_EDB;
	if (e != NULL) {
		snprintf(msg, sizeof msg, "%s %s failed: %.400s", what, name,
		    e->msg);
		memcpy(e->msg, msg, sizeof msg);
		e->rc = rc;
	}
	sl_db_exec(db, "ROLLBACK", NULL);
	return rc;
}

/* Runs an INSERT of the bookkeeping; rolls back on failure. */
static enum sl_rc
sl_migrate_record(struct sl_db *db, const char *sql, int nparams,
    const char **params, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_params(db, sql, nparams, params, PGRES_COMMAND_OK, &res, e);
	if (rc != SL_OK) {
		sl_db_exec(db, "ROLLBACK", NULL);
		return rc;
	}
	PQclear(res);
	return SL_OK;
}

static enum sl_rc
sl_migrate_one(struct sl_db *db, const struct sl_embedded *m, int version,
    const char *sum, struct sl_err *e)
{
	const char *params[3];
	char vbuf[16];
	enum sl_rc rc;

	if ((rc = sl_migrate_exec(db, "migration", m->name, m->data,
	    e)) != SL_OK)
		return rc;
	snprintf(vbuf, sizeof vbuf, "%d", version);
	params[0] = vbuf;
	params[1] = m->name;
	params[2] = sum;
	return sl_migrate_record(db,
	    "INSERT INTO schema_migration (version, name, checksum) "
	    "VALUES ($1, $2, $3)", 3, params, e);
}

/*
 * Whether the recorded migrations res are the whole chain before the
 * baseline (*chain = 1) or none of it (0).  Part of it, or a migration of
 * it edited, is an error: such a database is migrated by a release of the
 * old chain first.
 */
static enum sl_rc
sl_migrate_chain_state(PGresult *res, int *chain, struct sl_err *e)
{
	int i, v, found = 0;

	*chain = 0;
	for (i = 0; i < PQntuples(res); i++) {
		v = atoi(PQgetvalue(res, i, 0));
		if (v < 1 || v > SL_MIGRATE_CHAIN ||
		    strcmp(PQgetvalue(res, i, 1),
		    sl_migrate_chain[v - 1].name) != 0)
			continue;
		if (strcmp(PQgetvalue(res, i, 2),
		    sl_migrate_chain[v - 1].checksum) != 0)
			return sl_err_set(e, SL_EDB,
			    "migration %s was changed after it was applied; "
			    "applied migrations are never edited: add a new "
			    "one", PQgetvalue(res, i, 1));
		found++;
	}
	if (found > 0 && found < SL_MIGRATE_CHAIN)
		return sl_err_set(e, SL_EDB,
		    "the database has %d of the %d migrations that the "
		    "baseline replaces: migrate it with a seatlock of that "
		    "time (up to release 2c3ff29) first", found,
		    SL_MIGRATE_CHAIN);
	*chain = found == SL_MIGRATE_CHAIN;
	return SL_OK;
}

/*
 * Whether migration m (of checksum sum) is recorded in res; one recorded
 * with another checksum is an error.  The baseline is recorded where the
 * whole old chain is (chain).
 */
static enum sl_rc
sl_migrate_done(PGresult *res, const struct sl_embedded *m, int version,
    const char *sum, int chain, int *done, struct sl_err *e)
{
	int i;

	*done = version == SL_MIGRATE_BASELINE && chain;
	for (i = 0; i < PQntuples(res) && !*done; i++) {
		if (atoi(PQgetvalue(res, i, 0)) != version)
			continue;
		*done = 1;
		if (strcmp(PQgetvalue(res, i, 2), sum) != 0)
			return sl_err_set(e, SL_EDB,
			    "migration %s was changed after it was applied; "
			    "applied migrations are never edited: add a new "
			    "one", m->name);
	}
	return SL_OK;
}

/* Applies the migrations not recorded in res; see sl_migrate_run. */
static enum sl_rc
sl_migrate_pending(struct sl_db *db, PGresult *res, int *applied,
    size_t max, size_t *napplied, struct sl_err *e)
{
	const struct sl_embedded *m;
	enum sl_rc rc;
	size_t n = 0;
	int i, chain, done, version;
	char sum[32];

	for (i = 0; i < PQntuples(res); i++) {
		if (atoi(PQgetvalue(res, i, 0)) > sl_migrate_latest())
			return sl_err_set(e, SL_EDB,
			    "the database has migration %s, newer than this "
			    "seatlock knows (%d): upgrade seatlock",
			    PQgetvalue(res, i, 1), sl_migrate_latest());
	}
	if ((rc = sl_migrate_chain_state(res, &chain, e)) != SL_OK)
		return rc;
	for (m = sl_embedded_migrations; m->name != NULL; m++) {
		if ((version = sl_migrate_version(m->name)) < 0)
			continue;
		sl_migrate_checksum(m->data, m->len, sum, sizeof sum);
		rc = sl_migrate_done(res, m, version, sum, chain, &done, e);
		if (rc != SL_OK)
			return rc;
		if (done)
			continue;
		if ((rc = sl_migrate_one(db, m, version, sum, e)) != SL_OK)
			return rc;
		if (n < max)
			applied[n] = version;
		n++;
	}
	*napplied = n < max ? n : max;
	return SL_OK;
}

/* Applies function file f if it is due (changed, or the grants after a
 * change) and records it; *changed counts the files applied. */
static enum sl_rc
sl_migrate_function(struct sl_db *db, PGresult *res,
    const struct sl_embedded *f, int *changed, struct sl_err *e)
{
	const char *params[2];
	char sum[32];
	enum sl_rc rc;
	int i, due = 1;

	sl_migrate_checksum(f->data, f->len, sum, sizeof sum);
	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), f->name) == 0)
			due = strcmp(PQgetvalue(res, i, 1), sum) != 0;
	if (strcmp(f->name, SL_MIGRATE_GRANTS) == 0 && *changed > 0)
		due = 1;
	if (!due)
		return SL_OK;
	(*changed)++;
	if ((rc = sl_migrate_exec(db, "function file", f->name, f->data,
	    e)) != SL_OK)
		return rc;
	params[0] = f->name;
	params[1] = sum;
	return sl_migrate_record(db,
	    "INSERT INTO schema_function (file, checksum) VALUES ($1, $2) "
	    "ON CONFLICT (file) DO UPDATE SET checksum = EXCLUDED.checksum, "
	    "applied_at = now()", 2, params, e);
}

/* Applies the function files that changed, then the grants (in the
 * transaction of sl_migrate_run). */
static enum sl_rc
sl_migrate_functions(struct sl_db *db, struct sl_err *e)
{
	const struct sl_embedded *f, *grants = NULL;
	PGresult *res;
	enum sl_rc rc;
	int changed = 0;

	rc = sl_db_params(db, "SELECT file, checksum FROM schema_function",
	    0, NULL, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	for (f = sl_embedded_functions; f->name != NULL && rc == SL_OK; f++) {
		if (strcmp(f->name, SL_MIGRATE_GRANTS) == 0)
			grants = f;
		else
			rc = sl_migrate_function(db, res, f, &changed, e);
	}
	if (rc == SL_OK && grants != NULL)
		rc = sl_migrate_function(db, res, grants, &changed, e);
	PQclear(res);
	return rc;
}

/*
 * Takes the migration lock, waiting at most SL_MIGRATE_WAIT_MS: any login
 * may hold pg_advisory_lock(74150001), and db migrate used to wait for it
 * silently forever.  SL_ECONFLICT names the holder's server pid when
 * pg_locks shows it.
 */
static enum sl_rc
sl_migrate_lock(struct sl_db *db, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	struct timespec pause = { 0, 200 * 1000000L };
	int64_t got = 0, pid = 0, end = sl_db_now() + SL_MIGRATE_WAIT_MS;
	enum sl_rc rc;

	sl_db_args(&a, db, "");
	for (;;) {
		rc = sl_db_query_int(db, "SELECT pg_try_advisory_lock("
		    SL_MIGRATE_LOCK ")::int", &a, "lock", &got, e);
		if (rc != SL_OK || got == 1)
			return rc;
		if (sl_db_now() >= end)
			break;
		nanosleep(&pause, NULL);
	}
	if (sl_db_query_int(db, "SELECT coalesce(min(pid), 0) FROM pg_locks "
	    "WHERE locktype = 'advisory' AND granted AND classid = 0 AND "
	    "objid = " SL_MIGRATE_LOCK " AND objsubid = 1", &a, "pid", &pid,
	    e) != SL_OK)
		pid = 0;
	if (pid > 0)
		return sl_err_set(e, SL_ECONFLICT, "another session (server "
		    "pid %" PRId64 ") holds the migration lock "
		    "(pg_advisory_lock(" SL_MIGRATE_LOCK ")); gave up after "
		    "%d s: let it finish, or end it with SELECT "
		    "pg_terminate_backend(%" PRId64 "), and run db migrate "
		    "again", pid, SL_MIGRATE_WAIT_MS / 1000, pid);
	return sl_err_set(e, SL_ECONFLICT, "another session holds the "
	    "migration lock (pg_advisory_lock(" SL_MIGRATE_LOCK ")); gave up "
	    "after %d s: let it finish and run db migrate again",
	    SL_MIGRATE_WAIT_MS / 1000);
}

enum sl_rc
sl_migrate_run(struct sl_db *db, int *applied, size_t max, size_t *napplied,
    struct sl_err *e)
{
	PGresult *res = NULL;
	enum sl_rc rc;

	*napplied = 0;
	rc = sl_migrate_lock(db, e);
	if (rc != SL_OK)
		return rc;
	rc = sl_db_exec(db,
	    "CREATE TABLE IF NOT EXISTS schema_migration ("
	    " version integer PRIMARY KEY,"
	    " name text NOT NULL,"
	    " checksum text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", e);
	if (rc != SL_OK)
		goto out;
	rc = sl_db_params(db,
	    "SELECT version, name, checksum FROM schema_migration "
	    "ORDER BY version", 0, NULL, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		goto out;
	/*
	 * One transaction for the pending migrations and the function files:
	 * a migration that drops a function's old signature and the file
	 * that defines the new one commit together, so no session ever finds
	 * the function missing, and a failure leaves the database as it was.
	 */
	if ((rc = sl_db_exec(db, "BEGIN", e)) != SL_OK)
		goto out;
	rc = sl_migrate_pending(db, res, applied, max, napplied, e);
	if (rc == SL_OK)
		rc = sl_migrate_functions(db, e);
	if (rc == SL_OK)
		rc = sl_db_exec(db, "COMMIT", e);
	else if (sl_db_alive(db))
		sl_db_exec(db, "ROLLBACK", NULL);
	if (rc != SL_OK)
		*napplied = 0;
out:
	PQclear(res);
	/* The lock is the session's: release it even after an error. */
	if (sl_db_alive(db))
		sl_db_exec(db, "SELECT pg_advisory_unlock(" SL_MIGRATE_LOCK ")",
		    NULL);
	return rc;
}
