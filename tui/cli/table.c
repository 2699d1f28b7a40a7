/*
 * table.c - the command table: every command's descriptor, in the order
 * of seatlock --help; the global options; finding the command named on
 * the command line, running it, and printing its usage when it asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#ifndef SL_VERSION
#define SL_VERSION "dev"
#endif

static const struct cli_cmd *const cli_table[] = {
	&cli_tui_entry,
	&cli_db_migrate_entry,
	&cli_db_demo_entry,
	&cli_venue_import_entry,
	&cli_show_add_entry,
	&cli_show_set_entry,
	&cli_shows_entry,
	&cli_seats_entry,
	&cli_user_register_entry,
	&cli_user_find_entry,
	&cli_user_show_entry,
	&cli_book_entry,
	&cli_book_hold_entry,
	&cli_book_best_entry,
	&cli_cancel_entry,
	&cli_cancel_sale_entry,
	&cli_pay_entry,
	&cli_sale_entry,
	&cli_serve_entry,
	&cli_hold_entry,
	&cli_release_entry,
	&cli_holds_entry,
	&cli_sweep_entry,
	&cli_reserve_entry,
	&cli_reservations_entry,
	&cli_exchange_entry,
	&cli_ticket_entry,
	&cli_zone_set_entry,
	&cli_zone_assign_entry,
	&cli_zones_entry,
	&cli_price_set_entry,
	&cli_prices_entry,
	&cli_voucher_add_entry,
	&cli_vouchers_entry,
	&cli_shift_open_entry,
	&cli_shift_report_entry,
	&cli_shift_close_entry,
	&cli_auth_entry,
	&cli_setting_refund_limit_entry,
	&cli_report_entry,
	&cli_checkin_entry,
	&cli_door_entry,
	&cli_door_export_entry,
	&cli_door_sync_entry,
	&cli_clerk_add_entry,
	&cli_bench_entry,
	&cli_notifier_entry,
	&cli_relay_entry,
};
#define CLI_NCMDS (sizeof cli_table / sizeof cli_table[0])

static void
cli_help(FILE *f)
{
	const struct cli_cmd *cmd;
	size_t i;

	fprintf(f, "usage: seatlock [--config FILE] [COMMAND [ARGS]]\n\n"
	    "SeatLock box office.  With no command, opens the box office.\n\n"
	    "commands:\n");
	for (i = 0; i < CLI_NCMDS; i++) {
		cmd = cli_table[i];
		/* A long usage line gets its own line; the help goes below. */
		if (strlen(cmd->usage) > 44)
			fprintf(f, "  %s\n  %-44s %s\n", cmd->usage, "",
			    cmd->help);
		else
			fprintf(f, "  %-44s %s\n", cmd->usage, cmd->help);
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
	    "duplicate email; not on sale; not paid\nin full; voucher used "
	    "up; no open shift; shift closed; a supervisor needed),\n"
	    "4 not found.\n");
}

/* Prints the usage lines of the command name (one per descriptor). */
static void
cli_print_usage(const char *name)
{
	size_t i;

	for (i = 0; i < CLI_NCMDS; i++)
		if (strcmp(cli_table[i]->name, name) == 0)
			fprintf(stderr, "usage: seatlock %s\n",
			    cli_table[i]->usage);
}

/* Finds the command named by argv (one or two words); *used is how many. */
static const struct cli_cmd *
cli_find(int argc, char **argv, int *used)
{
	size_t i, n;

	for (i = 0; i < CLI_NCMDS; i++) {
		const char *name = cli_table[i]->name, *sp = strchr(name, ' ');

		if (sp == NULL) {
			if (strcmp(argv[0], name) == 0) {
				*used = 1;
				return cli_table[i];
			}
			continue;
		}
		n = (size_t)(sp - name);
		if (strlen(argv[0]) == n && strncmp(argv[0], name, n) == 0 &&
		    argc > 1 && strcmp(argv[1], sp + 1) == 0) {
			*used = 2;
			return cli_table[i];
		}
	}
	return NULL;
}

/* Runs cmd; prints the usage it asked for once it returns. */
static int
cli_run(const struct cli_cmd *cmd, struct cli *cli, int argc, char **argv)
{
	const char *name;
	int code;

	cli_usage_take();
	code = cmd->run(cli, argc, argv);
	if ((name = cli_usage_take()) != NULL)
		cli_print_usage(name);
	return code;
}

/* The global options before the command: sets *i past them.  Returns -1
 * to go on, else the exit code. */
static int
cli_global_options(struct cli *cli, int argc, char **argv, int *i)
{
	while (*i < argc && strncmp(argv[*i], "--", 2) == 0) {
		if (strcmp(argv[*i], "--help") == 0) {
			cli_help(stdout);
			return 0;
		}
		if (strcmp(argv[*i], "--version") == 0) {
			printf("seatlock %s\n", SL_VERSION);
			return 0;
		}
		if (strcmp(argv[*i], "--config") == 0 && *i + 1 < argc) {
			cli->config_path = argv[*i + 1];
			*i += 2;
			continue;
		}
		if (strncmp(argv[*i], "--config=", 9) == 0) {
			cli->config_path = argv[*i] + 9;
			(*i)++;
			continue;
		}
		if (strcmp(argv[*i], "--") == 0) {
			(*i)++;
			break;
		}
		cli_msg("unknown option %s (see seatlock --help)", argv[*i]);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

int
cli_main(int argc, char **argv)
{
	const struct cli_cmd *cmd;
	struct cli cli;
	struct sl_err e;
	int i = 1, used, code;
	static char tui_name[] = "tui";
	char *tui_argv[] = { tui_name, NULL };

	memset(&cli, 0, sizeof cli);
	if ((code = cli_global_options(&cli, argc, argv, &i)) >= 0)
		return code;
	sl_err_clear(&e);
	if (sl_config_load(&cli.cfg, cli.config_path, &e) != SL_OK)
		return cli_fail(&e);
	if (i >= argc)
		return cli_run(&cli_tui_entry, &cli, 1, tui_argv);
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
	return cli_run(cmd, &cli, argc - i, argv + i);
}
