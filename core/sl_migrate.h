/*
 * sl_migrate.h - applies the numbered migrations of sql/migrations/ and the
 * function files of sql/functions/ (built in).
 */
#ifndef SL_MIGRATE_H
#define SL_MIGRATE_H

#include "sl_db.h"

/*
 * Applies every pending migration, recorded in schema_migration with a
 * checksum.  Holds an advisory lock meanwhile, so two
 * terminals migrating at once take turns, and the second finds nothing to do.
 * An applied migration whose text changed since is an error (SL_EDB).
 * A database that recorded the whole chain the baseline replaced
 * (0001_schema.sql to 0010_privileges.sql) has the baseline.  Then the
 * function files whose text changed since they were applied (all, the
 * first time) are applied again, with the grants.  The migrations and the
 * function files go in one transaction: all of them or, on an error, none
 * (*napplied is then 0).
 * The versions applied by this call are written to applied[] (at most max);
 * *napplied is their count.
 */
enum sl_rc	sl_migrate_run(struct sl_db *db, int *applied, size_t max,
		    size_t *napplied, struct sl_err *e);

/* The highest version this binary knows. */
int		sl_migrate_latest(void);

/* How many migrations this binary knows (versions may have gaps). */
int		sl_migrate_count(void);

#endif
