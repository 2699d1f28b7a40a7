/*
 * db.c - seatlock db migrate, db demo, venue import, show add.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_layout.h"
#include "sl_migrate.h"
#include "sl_show.h"
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

int
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
	if (sl_migrate_run(db, applied, 256, &n, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	for (i = 0; i < n; i++)
		printf("%04d\n", applied[i]);
	if (n == 0)
		cli_msg("the database is up to date (version %04d)",
		    sl_migrate_latest());
	sl_db_close(db);
	return 0;
}

int
cli_db_demo(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	int nv, ns, code;

	if ((code = cli_no_args("db demo", argc, argv)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_venue_demo(db, &nv, &ns, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	cli_msg("demo loaded: %d venue%s and %d show%s added", nv,
	    nv == 1 ? "" : "s", ns, ns == 1 ? "" : "s");
	sl_db_close(db);
	return 0;
}

int
cli_venue_import(struct cli *cli, int argc, char **argv)
{
	struct sl_layout *l;
	struct sl_db *db;
	struct sl_err e;
	int64_t id;
	int code;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage("venue import");
	sl_err_clear(&e);
	/* Parse and check everything before connecting: a bad file writes
	 * nothing. */
	if (sl_layout_load(argv[1], &l, &e) != SL_OK)
		return cli_fail(&e);
	if ((code = cli_connect(cli, &db)) != 0) {
		sl_layout_free(l);
		return code;
	}
	if (sl_venue_import(db, l, 0, &id, NULL, &e) != SL_OK) {
		sl_layout_free(l);
		sl_db_close(db);
		return cli_fail(&e);
	}
	printf("%" PRId64 "\n", id);
	cli_msg("venue \"%s\" imported with %zu seats", l->name, l->n);
	sl_layout_free(l);
	sl_db_close(db);
	return 0;
}

int
cli_show_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "venue", required_argument, NULL, 'v' },
		{ "title", required_argument, NULL, 't' },
		{ "starts", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *venue = NULL, *title = NULL, *starts = NULL, *why;
	struct sl_db *db;
	struct sl_err e;
	int64_t vid, id;
	size_t i, n;
	int c, code;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			venue = optarg;
			break;
		case 't':
			title = optarg;
			break;
		case 's':
			starts = optarg;
			break;
		default:
			cli_msg("show add: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("show add");
		}
	}
	if (optind != argc || venue == NULL || title == NULL || starts == NULL)
		return cli_usage("show add");
	if ((code = cli_id("venue", venue, &vid)) != 0)
		return code;
	if (sl_text_valid(title, 800, &why) != 0) {
		cli_msg("the title %s", why);
		return CLI_EXIT_USAGE;
	}
	/* show.title allows 200 characters (800 bytes is 200 of 4 bytes):
	 * say so here rather than print the constraint and failing row. */
	for (i = 0, n = 0; title[i] != '\0'; i++)
		if (((unsigned char)title[i] & 0xc0) != 0x80)
			n++;
	if (n > 200) {
		cli_msg("the title is too long (at most 200 characters)");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_show_add(db, vid, title, starts, &id, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	printf("%" PRId64 "\n", id);
	sl_db_close(db);
	return 0;
}
