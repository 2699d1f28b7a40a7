/*
 * boxoffice.c - `seatlock` and `seatlock tui [--show ID]`: the box office.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "boxoffice/tui.h"

static int
cli_tui(struct cli *cli, int argc, char **argv)
{
	int64_t show = 0;
	int i, code;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--show") == 0 && i + 1 < argc) {
			if ((code = cli_id("show", argv[++i], &show)) != 0)
				return code;
		} else if (strncmp(argv[i], "--show=", 7) == 0) {
			if ((code = cli_id("show", argv[i] + 7, &show)) != 0)
				return code;
		} else {
			cli_msg("tui: unknown argument %s", argv[i]);
			return cli_usage("tui");
		}
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_msg("the box office needs a terminal (see seatlock --help "
		    "for the commands)");
		return CLI_EXIT_USAGE;
	}
	return tui_run(&cli->cfg, show);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_tui_entry = {
	"tui", cli_tui,
	"tui [--show ID]",
	"open the box office (the default)"
};
