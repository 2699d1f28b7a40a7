/*
 * sl_migrate.c - forward-only migrations with a checksum and an advisory
 * lock.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_embedded.h"
#include "sl_migrate.h"

/* Any constant will do; it names the migration lock in pg_locks. */
#define SL_MIGRATE_LOCK "74150001"

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

static enum sl_rc
sl_migrate_one(struct sl_db *db, const struct sl_embedded *m, int version,
    const char *sum, struct sl_err *e)
{
	const char *params[3];
	char vbuf[16];
	PGresult *res;
	enum sl_rc rc;

	if ((rc = sl_db_exec(db, "BEGIN", e)) != SL_OK)
		return rc;
	rc = sl_db_exec(db, m->data, e);
	if (rc != SL_OK) {
		char msg[SL_ERR_MSG];

		if (e != NULL) {
			snprintf(msg, sizeof msg, "migration %s failed: %.400s",
			    m->name, e->msg);
			memcpy(e->msg, msg, sizeof msg);
			/* A bug in a migration is never "bad input". */
			e->rc = rc = rc == SL_ECONN ? SL_ECONN : SL_EDB;
		} else
			rc = rc == SL_ECONN ? SL_ECONN : SL_EDB;
		sl_db_exec(db, "ROLLBACK", NULL);
		return rc;
	}
	snprintf(vbuf, sizeof vbuf, "%d", version);
	params[0] = vbuf;
	params[1] = m->name;
	params[2] = sum;
	rc = sl_db_params(db,
	    "INSERT INTO schema_migration (version, name, checksum) "
	    "VALUES ($1, $2, $3)", 3, params, PGRES_COMMAND_OK, &res, e);
	if (rc != SL_OK) {
		sl_db_exec(db, "ROLLBACK", NULL);
		return rc;
	}
	PQclear(res);
	return sl_db_exec(db, "COMMIT", e);
}

enum sl_rc
sl_migrate_run(struct sl_db *db, int *applied, size_t max, size_t *napplied,
    struct sl_err *e)
{
	const struct sl_embedded *m;
	PGresult *res = NULL;
	enum sl_rc rc;
	size_t n = 0;
	int i;

	*napplied = 0;
	rc = sl_db_exec(db, "SELECT pg_advisory_lock(" SL_MIGRATE_LOCK ")", e);
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
	for (i = 0; i < PQntuples(res); i++) {
		int v = atoi(PQgetvalue(res, i, 0));

		if (v > sl_migrate_latest()) {
			rc = sl_err_set(e, SL_EDB,
			    "the database has migration %s, newer than this "
			    "seatlock knows (%d): upgrade seatlock",
			    PQgetvalue(res, i, 1), sl_migrate_latest());
			goto out;
		}
	}
	for (m = sl_embedded_migrations; m->name != NULL; m++) {
		int version = sl_migrate_version(m->name), done = 0;
		char sum[32];

		if (version < 0)
			continue;
		sl_migrate_checksum(m->data, m->len, sum, sizeof sum);
		for (i = 0; i < PQntuples(res); i++) {
			if (atoi(PQgetvalue(res, i, 0)) != version)
				continue;
			done = 1;
			if (strcmp(PQgetvalue(res, i, 2), sum) != 0) {
				rc = sl_err_set(e, SL_EDB,
				    "migration %s was changed after it was "
				    "applied; applied migrations are never "
				    "edited: add a new one", m->name);
				goto out;
			}
		}
		if (done)
			continue;
		rc = sl_migrate_one(db, m, version, sum, e);
		if (rc != SL_OK)
			goto out;
		if (n < max)
			applied[n] = version;
		n++;
	}
	*napplied = n < max ? n : max;
out:
	PQclear(res);
	/* The lock is the session's: release it even after an error. */
	if (sl_db_alive(db))
		sl_db_exec(db, "SELECT pg_advisory_unlock(" SL_MIGRATE_LOCK ")",
		    NULL);
	return rc;
}
