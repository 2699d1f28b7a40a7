/*
 * main.c - the seatlock binary: the locale, then the command line
 * (cli/table.c), which opens the box office when no command is named.
 */
#include <locale.h>

#include "cli/cli.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
