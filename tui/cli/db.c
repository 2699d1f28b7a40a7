/*
 * db.c - seatlock db migrate, db demo: the schema and the demo data.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_migrate.h"
#include "sl_venue.h"

/* A command that takes no arguments at all. */
static int
cli_no_args(const char *name, int argc, char **argv)
{
	if (argc > 1) {
		cli_msg("%s takes no arguments (got \"%s\")", name, argv[1]);
		return cli_usage(name);
	}
	return 0;
}

static int
cli_db_migrate(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	int applied[256], code;
	size_t n, i;

	if ((code = cli_no_args("db migrate", argc, argv)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_migrate_run(db, applied, 256, &n, &e) != SL_OK)
		return cli_db_fail(db, &e);
	for (i = 0; i < n; i++)
		printf("%04d\n", applied[i]);
	if (n == 0)
		cli_msg("the database is up to date (version %04d)",
		    sl_migrate_latest());
	sl_db_close(db);
	return 0;
}

static int
cli_db_demo(struct cli *cli, int argc, char **argv)
{
	struct sl_demo_counts n;
	struct sl_db *db;
	struct sl_err e;
	int code;

	if ((code = cli_no_args("db demo", argc, argv)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_venue_demo(db, &n, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_msg("demo loaded: %d venue%s and %d show%s added; "
	        "%d price zone%s and %d price type%s added", n.venues,
	    n.venues == 1 ? "" : "s", n.shows, n.shows == 1 ? "" : "s",
	    n.zones, n.zones == 1 ? "" : "s", n.prices,
	    n.prices == 1 ? "" : "s");
	sl_db_close(db);
	return 0;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_db_migrate_entry = {
	"db migrate", cli_db_migrate,
	"db migrate",
	"apply pending migrations; prints the versions applied"
};

const struct cli_cmd cli_db_demo_entry = {
	"db demo", cli_db_demo,
	"db demo",
	"load the demo venue, shows and prices (safe to run twice)"
};
