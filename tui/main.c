/*
 * main.c - the seatlock binary: global options, then one command from the
 * table; no command opens the box office (the TUI).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#ifndef SL_VERSION
#define SL_VERSION "dev"
#endif

static const struct cli_cmd cli_cmds[] = {
	{ "tui", cli_tui, "tui [--show ID]",
	    "open the box office (the default)" },
	{ "db migrate", cli_db_migrate, "db migrate",
	    "apply pending migrations; prints the versions applied" },
	{ "db demo", cli_db_demo, "db demo",
	    "load the demo venue and shows (safe to run twice)" },
	{ "venue import", cli_venue_import, "venue import FILE",
	    "import a venue layout; prints the venue id" },
	{ "show add", cli_show_add,
	    "show add --venue ID --title TITLE --starts TIME",
	    "add a show; prints the show id" },
	{ "shows", cli_shows, "shows [--json]",
	    "list shows with venue, start and seats available" },
	{ "seats", cli_seats, "seats SHOW [--json]",
	    "list a show's seats and their states" },
	{ "user register", cli_user_register,
	    "user register --name NAME --email EMAIL [--phone PHONE]",
	    "register a customer; prints the user id" },
	{ "user find", cli_user_find, "user find TEXT [--limit N] [--json]",
	    "customers by the start of name, surname, email or phone" },
	{ "user show", cli_user_show, "user show ID [--json]",
	    "a customer and their booking history" },
	{ "book", cli_book, "book SHOW LABEL... --user ID [--key KEY]",
	    "book all the seats or none; prints the booking ids" },
	{ "book", cli_book,
	    "book SHOW --hold HOLD --user ID [--key KEY] [--json]",
	    "turn a hold into bookings, all or none" },
	{ "book", cli_book,
	    "book SHOW --best N --user ID [--zone Z] [--key KEY] [--json]",
	    "book the N best adjacent seats" },
	{ "cancel", cli_cancel, "cancel BOOKING", "cancel an active booking" },
	{ "serve", cli_serve, "serve [--listen ADDR:PORT] [--routes]",
	    "serve the HTTP API (default 127.0.0.1:8080; see README)" },
	{ "hold", cli_hold,
	    "hold SHOW LABEL... [--seconds N] [--reason R]",
	    "hold seats (with a reason: a supervisor's block); prints the id" },
	{ "release", cli_release, "release HOLD",
	    "release a hold (a block needs a supervisor)" },
	{ "holds", cli_holds, "holds SHOW [--json]",
	    "list a show's live holds and blocks" },
	{ "sweep", cli_sweep, "sweep [SHOW]",
	    "end holds whose time ran out; prints how many" },
	{ "exchange", cli_exchange,
	    "exchange BOOKING[,BOOKING...] LABEL... [--show SHOW] [--reason R]",
	    "move bookings to other seats; prints the new booking ids" },
	{ "zone set", cli_zone_set,
	    "zone set SHOW ZONE --price AMOUNT [--name N] [--rank R]",
	    "define a price zone of a show (supervisor)" },
	{ "zone assign", cli_zone_assign,
	    "zone assign SHOW ZONE (LABEL... | --section S [--row R])",
	    "put seats into a zone (supervisor)" },
	{ "zones", cli_zones, "zones SHOW [--json]",
	    "list a show's price zones" },
	{ "report", cli_report, "report (SHOW | --day YYYY-MM-DD) [--json]",
	    "seats and revenue per zone, sales per clerk" },
	{ "clerk add", cli_clerk_add, "clerk add NAME --role clerk|supervisor",
	    "make a login for a clerk (supervisor)" },
	{ "bench", cli_bench,
	    "bench [--scenario NAME] [OPTION...]",
	    "the load generator (seatlock bench --help)" },
	{ "notifier", cli_notifier, "notifier [--interval MS]",
	    "run the batched-push notifier until SIGTERM" },
};
#define CLI_NCMDS (sizeof cli_cmds / sizeof cli_cmds[0])

static void
cli_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: seatlock [--config FILE] [COMMAND [ARGS]]\n\n"
	    "SeatLock box office.  With no command, opens the box office.\n\n"
	    "commands:\n");
	for (i = 0; i < CLI_NCMDS; i++) {
		/* A long usage line gets its own line; the help goes below. */
		if (strlen(cli_cmds[i].usage) > 44)
			fprintf(f, "  %s\n  %-44s %s\n", cli_cmds[i].usage, "",
			    cli_cmds[i].help);
		else
			fprintf(f, "  %-44s %s\n", cli_cmds[i].usage,
			    cli_cmds[i].help);
	}
	fprintf(f, "\nglobal options:\n"
	    "  --config FILE   configuration file (else $SEATLOCK_CONFIG, "
	    "./seatlock.conf,\n"
	    "                  ~/.config/seatlock/seatlock.conf, "
	    "/etc/seatlock/seatlock.conf)\n"
	    "  --help          this help\n"
	    "  --version       the version\n\n"
	    "database: $SEATLOCK_DSN, else database.dsn in the configuration, "
	    "else libpq's\ndefaults and PG* variables.\n\n"
	    "exit codes: 0 done, 1 database or internal error, 2 bad usage or "
	    "invalid input,\n3 conflict (seat taken, held or blocked; "
	    "duplicate email), 4 not found.\n");
}

int
cli_usage(const char *name)
{
	size_t i;

	for (i = 0; i < CLI_NCMDS; i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			fprintf(stderr, "usage: seatlock %s\n", cli_cmds[i].usage);
	return CLI_EXIT_USAGE;
}

/* Finds the command named by argv (one or two words); *used is how many. */
static const struct cli_cmd *
cli_find(int argc, char **argv, int *used)
{
	size_t i, n;

	for (i = 0; i < CLI_NCMDS; i++) {
		const char *name = cli_cmds[i].name, *sp = strchr(name, ' ');

		if (sp == NULL) {
			if (strcmp(argv[0], name) == 0) {
				*used = 1;
				return &cli_cmds[i];
			}
			continue;
		}
		n = (size_t)(sp - name);
		if (strlen(argv[0]) == n && strncmp(argv[0], name, n) == 0 &&
		    argc > 1 && strcmp(argv[1], sp + 1) == 0) {
			*used = 2;
			return &cli_cmds[i];
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	struct cli cli;
	struct sl_err e;
	int i = 1, used;
	static char tui_name[] = "tui";
	char *tui_argv[] = { tui_name, NULL };

	setlocale(LC_ALL, "");
	memset(&cli, 0, sizeof cli);
	while (i < argc && strncmp(argv[i], "--", 2) == 0) {
		if (strcmp(argv[i], "--help") == 0) {
			cli_help(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("seatlock %s\n", SL_VERSION);
			return 0;
		}
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			cli.config_path = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(argv[i], "--config=", 9) == 0) {
			cli.config_path = argv[i] + 9;
			i++;
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		cli_msg("unknown option %s (see seatlock --help)", argv[i]);
		return CLI_EXIT_USAGE;
	}
	sl_err_clear(&e);
	if (sl_config_load(&cli.cfg, cli.config_path, &e) != SL_OK)
		return cli_fail(&e);
	if (i >= argc)
		return cli_tui(&cli, 1, tui_argv);
	if (strcmp(argv[i], "help") == 0) {
		cli_help(stdout);
		return 0;
	}
	cmd = cli_find(argc - i, argv + i, &used);
	if (cmd == NULL) {
		cli_msg("unknown command \"%s\" (see seatlock --help)", argv[i]);
		return CLI_EXIT_USAGE;
	}
	/* The command sees its own name as argv[0], for getopt. */
	i += used - 1;
	return cmd->run(&cli, argc - i, argv + i);
}
