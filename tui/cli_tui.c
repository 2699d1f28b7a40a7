/*
 * cli_tui.c - `seatlock tui`: until the box office screen exists, lists the
 * shows.
 */
#include <string.h>

#include "cli.h"

int
cli_tui(struct cli *cli, int argc, char **argv)
{
	static char shows[] = "shows";
	char *args[] = { shows, NULL };

	(void)argc;
	(void)argv;
	return cli_shows(cli, 1, args);
}
