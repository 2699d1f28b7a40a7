/*
 * cli.h - the seatlock command line: one function per command, listed in
 * one table in main.c.  Commands print data to stdout and messages to
 * stderr, and return the exit code (README.md).
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

#include "sl_config.h"
#include "sl_db.h"
#include "sl_err.h"

enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERROR = 1,	/* database or internal error */
	CLI_EXIT_USAGE = 2,	/* bad usage or invalid input */
	CLI_EXIT_CONFLICT = 3,	/* seat taken, held or blocked; duplicate */
	CLI_EXIT_NOTFOUND = 4,	/* show, seat, user or booking not found */
};

struct cli {
	const char		*config_path;	/* --config, or NULL */
	struct sl_config	 cfg;
};

struct cli_cmd {
	const char	*name;		/* "book", "db migrate" */
	int		(*run)(struct cli *, int, char **);
	const char	*usage;
	const char	*help;
};

/* Prints "seatlock: " and the message to stderr, control characters
 * escaped. */
void	cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports e (message and detail) and returns the exit code of e->rc. */
int	cli_fail(const struct sl_err *e);

/* Prints the usage line of the command and returns CLI_EXIT_USAGE. */
int	cli_usage(const char *name);

/* Connects with the configuration; reports errors.  Returns 0 or an exit
 * code. */
int	cli_connect(struct cli *cli, struct sl_db **db);

/* Parses an id argument; reports an error naming what.  0 or exit code. */
int	cli_id(const char *what, const char *s, int64_t *out);

/* Writes s as a JSON string (quoted, escaped). */
void	cli_json_str(FILE *f, const char *s);

/* Writes s with control characters, C1, bidi overrides and bytes that are
 * not UTF-8 escaped. */
void	cli_safe_str(FILE *f, const char *s);

int	cli_db_migrate(struct cli *, int, char **);
int	cli_db_demo(struct cli *, int, char **);
int	cli_venue_import(struct cli *, int, char **);
int	cli_show_add(struct cli *, int, char **);
int	cli_shows(struct cli *, int, char **);
int	cli_seats(struct cli *, int, char **);
int	cli_user_register(struct cli *, int, char **);
int	cli_book(struct cli *, int, char **);
int	cli_cancel(struct cli *, int, char **);
int	cli_tui(struct cli *, int, char **);
int	cli_serve(struct cli *, int, char **);
/* cli_clerk.c */
int	cli_clerk_add(struct cli *, int, char **);

/* cli_depth.c: holds, best available, exchanges, zones, customers,
 * reports. */
int	cli_book_depth(struct cli *, int, char **);
int	cli_hold(struct cli *, int, char **);
int	cli_release(struct cli *, int, char **);
int	cli_holds(struct cli *, int, char **);
int	cli_sweep(struct cli *, int, char **);
int	cli_exchange(struct cli *, int, char **);
int	cli_zone_set(struct cli *, int, char **);
int	cli_zone_assign(struct cli *, int, char **);
int	cli_zones(struct cli *, int, char **);
int	cli_user_find(struct cli *, int, char **);
int	cli_user_show(struct cli *, int, char **);
int	cli_report(struct cli *, int, char **);
int	cli_bench(struct cli *, int, char **);
int	cli_notifier(struct cli *, int, char **);

#endif
