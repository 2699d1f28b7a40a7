/*
 * cli.h - the seatlock command line: one descriptor per command (name,
 * handler, usage, help) in the file of its family, listed in one table
 * (table.c) that the dispatch and --help read.  Commands print data to
 * stdout and messages to stderr, and return the exit code (README.md).
 * Layers: table.c over the family files over util.c.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

#include "sl_config.h"
#include "sl_db.h"
#include "sl_err.h"
#include "sl_parse.h"

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

/* A command: argv[0] of run is its last word; run returns the exit code. */
struct cli_cmd {
	const char	*name;		/* "book", "db migrate" */
	int		(*run)(struct cli *, int, char **);
	const char	*usage;		/* after "seatlock " */
	const char	*help;		/* one line of --help */
};

/* Prints "seatlock: " and the message to stderr, control characters
 * escaped. */
void	cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports e (message and detail) and returns the exit code of e->rc. */
int	cli_fail(const struct sl_err *e);

/* Asks for the usage lines of command name, printed by the dispatcher
 * when the command returns; returns CLI_EXIT_USAGE. */
int	cli_usage(const char *name);

/* Closes db and reports e; returns the exit code of e->rc. */
int	cli_db_fail(struct sl_db *db, const struct sl_err *e);

/* A listing of n rows: "[" with json, else the heading (printf-formatted)
 * if there is a row; cli_list_done closes the JSON array. */
void	cli_list_start(int json, size_t n, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Ends a listing ("]" with json), then closes db; returns 0. */
int	cli_list_done(int json, struct sl_db *db);

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

/* Seat labels from the command line, normalized. */
struct cli_labels {
	size_t n;
	char (*buf)[SL_LABEL_MAX + 1];
	const char **p;
};

/* Normalizes argv[0..n) into l; reports a bad label.  0 or an exit code. */
int	cli_labels_parse(struct cli_labels *l, char **argv, size_t n);
void	cli_labels_free(struct cli_labels *l);

/* An option of a command: a value stored in *value (optarg), or a flag
 * set to 1 in *flag.  has_arg CLI_REPEAT: an option given up to
 * CLI_REPEAT_MAX times, each value appended to value, an array of
 * CLI_REPEAT_MAX + 1 pointers (NULL-ended, zeroed by the caller). */
#define CLI_REPEAT	3
#define CLI_REPEAT_MAX	16
#define CLI_OPTS_MAX	24	/* options of one command */

struct cli_opt {
	const char	 *name;
	int		  has_arg;	/* required_argument or no_argument */
	const char	**value;
	int		 *flag;
};

/* Reads the options of command name (getopt_long: optind is the first
 * operand after).  0, or the exit code of an unknown or incomplete option
 * (reported). */
int	cli_options(const char *name, int argc, char **argv,
	    const struct cli_opt *opts);

/* Reports the unknown or incomplete option before optind of command name
 * and asks for its usage; returns CLI_EXIT_USAGE. */
int	cli_bad_option(const char *name, char **argv);

/* A command about one thing: "NAME ID [--json]". */
struct cli_one {
	int64_t		 id;
	int		 json;
	struct sl_db	*db;
	struct sl_err	 e;	/* cleared, for the core call */
};

/* Parses "ID [--json]" (either order) of command name into o (the id
 * named what in errors), then connects.  0 or an exit code. */
int	cli_one_open(struct cli *cli, struct cli_one *o, const char *name,
	    const char *what, int argc, char **argv);

/* Normalizes the zone code s into out (SL_ZONE_MAX + 1 bytes); reports a
 * bad one.  0 or an exit code. */
int	cli_zone_code(const char *s, char *out);

/* Writes "null" for NULL, else a JSON string. */
void	cli_json_str_or_null(FILE *f, const char *s);

/* Writes ,"key": and then s as a JSON string (or null). */
void	cli_json_field(FILE *f, const char *key, const char *s);
void	cli_json_field_or_null(FILE *f, const char *key, const char *s);

/* The command whose usage cli_usage asked for since the last call, or
 * NULL; clears it.  The dispatcher prints that usage. */
const char *cli_usage_take(void);

/*
 * The commands: one descriptor each, at the end of the file of its family
 * (handlers are static there), listed in the table (table.c) that both the
 * dispatch and --help read.
 */
extern const struct cli_cmd cli_checkin_entry, cli_door_entry,
    cli_door_export_entry, cli_door_sync_entry;		/* door.c */
extern const struct cli_cmd cli_tui_entry;		/* boxoffice.c */
extern const struct cli_cmd cli_db_migrate_entry, cli_db_demo_entry; /* db.c */
extern const struct cli_cmd cli_venue_import_entry, cli_show_add_entry,
    cli_show_set_entry, cli_shows_entry, cli_seats_entry; /* show.c */
extern const struct cli_cmd cli_user_register_entry, cli_user_find_entry,
    cli_user_show_entry;				/* customers.c */
extern const struct cli_cmd cli_book_entry, cli_book_hold_entry,
    cli_book_best_entry, cli_cancel_entry, cli_cancel_sale_entry,
    cli_exchange_entry;					/* book.c */
extern const struct cli_cmd cli_serve_entry;		/* serve/serve.c */
extern const struct cli_cmd cli_hold_entry, cli_release_entry,
    cli_holds_entry, cli_sweep_entry, cli_reserve_entry,
    cli_reservations_entry;				/* holds.c */
extern const struct cli_cmd cli_pay_entry, cli_sale_entry,
    cli_voucher_add_entry, cli_vouchers_entry, cli_auth_entry,
    cli_setting_refund_limit_entry;			/* sales.c */
extern const struct cli_cmd cli_shift_open_entry, cli_shift_report_entry,
    cli_shift_close_entry;				/* shifts.c */
extern const struct cli_cmd cli_zone_set_entry, cli_zone_assign_entry,
    cli_zones_entry;					/* zones.c */
extern const struct cli_cmd cli_price_set_entry, cli_prices_entry; /* prices.c */
extern const struct cli_cmd cli_report_entry;		/* reports.c */
extern const struct cli_cmd cli_clerk_add_entry;	/* clerks.c */
extern const struct cli_cmd cli_ticket_entry;		/* tickets.c */

extern const struct cli_cmd cli_notifier_entry;	/* notifier.c */
extern const struct cli_cmd cli_relay_entry;	/* tui/relay/relay.c */
extern const struct cli_cmd cli_bench_entry;		/* bench/bench_cli.c */

/* Parses a whole number of option opt within lo..hi into *out: 0, or
 * (with a message) the usage exit code. */
int	cli_num(const char *opt, const char *s, int64_t lo, int64_t hi,
	    int64_t *out);

/* Runs the seatlock command line: global options, then the command named
 * by argv (the box office if none).  Returns the exit code. */
int	cli_main(int argc, char **argv);

#endif
