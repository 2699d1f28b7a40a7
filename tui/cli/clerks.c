/*
 * clerks.c - seatlock clerk add: a login of its own for each clerk (and
 * for each door: --role door checks tickets in and nothing else; --role
 * notifier for the live push's notifier, `seatlock notifier`).
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_clerk.h"

static int
cli_clerk_add(struct cli *cli, int argc, char **argv)
{
	const char *name, *role = NULL;
	struct sl_db *db;
	struct sl_err e;
	int code;
	const struct cli_opt opts[] = {
		{ "role", required_argument, &role, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("clerk add", argc, argv, opts)) != 0)
		return code;
	if (optind + 1 != argc || role == NULL)
		return cli_usage("clerk add");
	name = argv[optind];
	sl_err_clear(&e);
	if (sl_clerk_name_valid(name) != 0) {
		cli_msg("clerk add: a clerk name is 1 to 63 lower-case letters, "
		    "digits and _, not starting with a digit, pg_ or seatlock_");
		return CLI_EXIT_USAGE;
	}
	if (sl_clerk_role_valid(role) != 0) {
		cli_msg("clerk add: --role is clerk, supervisor or door, or "
		    "notifier");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	if (sl_clerk_add(db, name, role, &e) != SL_OK)
		return cli_db_fail(db, &e);
	sl_db_close(db);
	return 0;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_clerk_add_entry = {
	"clerk add", cli_clerk_add,
	"clerk add NAME --role clerk|supervisor|door|notifier",
	"make a login for a clerk or a door (supervisor)"
};
