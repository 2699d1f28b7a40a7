/*
 * sl_config.h - the seatlock configuration file (libconfig syntax).
 *
 * Lookup order: the explicit path (--config), $SEATLOCK_CONFIG,
 * ./seatlock.conf, $XDG_CONFIG_HOME/seatlock/seatlock.conf (or
 * ~/.config/seatlock/seatlock.conf), /etc/seatlock/seatlock.conf.  An
 * explicit path that does not exist is an error; otherwise no file at all
 * means the defaults.  seatlock.conf.example documents every setting.
 */
#ifndef SL_CONFIG_H
#define SL_CONFIG_H

#include <stdint.h>

#include "sl_err.h"

#define SL_CONFIG_STR	256

struct sl_config {
	char	path[4096];		/* the file read, "" for defaults */
	char	dsn[1024];		/* database.dsn, "" = libpq defaults */
	int64_t	lock_timeout_ms;	/* database.lock_timeout_ms */
	int64_t	statement_timeout_ms;	/* database.statement_timeout_ms */
	int64_t	connect_timeout_s;	/* database.connect_timeout_s */
	int64_t	retries;		/* booking.retries */
	char	terminal[SL_CONFIG_STR]; /* terminal.name, "" = host name */
	char	log_file[1024];		/* log.file, "" = no log */
	char	notify_mode[16];	/* notify.mode, "" = the database's */
	int64_t	notify_interval_ms;	/* notify.interval_ms */
};

/* Fills c with the built-in defaults. */
void		sl_config_defaults(struct sl_config *c);

/*
 * Loads the configuration: defaults, then the first file of the lookup order
 * (explicit may be NULL).  A file that is unreadable, writable by group or
 * others, has a syntax error, an unknown key, a value of the wrong type or
 * out of range, or an @include, is refused: SL_ECONFIG with the file and line
 * in e->msg.  c is written only on success.
 */
enum sl_rc	sl_config_load(struct sl_config *c, const char *explicit_path,
		    struct sl_err *e);

/* Loads exactly the file at path (no lookup).  Same errors as above. */
enum sl_rc	sl_config_load_file(struct sl_config *c, const char *path,
		    struct sl_err *e);

/*
 * The connection string to use: $SEATLOCK_DSN if set, else database.dsn,
 * else "" (libpq defaults and PG* variables).  Borrowed pointer.
 */
const char	*sl_config_dsn(const struct sl_config *c);

/*
 * Parses the integer literal of libconfig syntax at s (decimal or 0x hex,
 * optional sign and L/LL suffix, nothing else), into *out.  Returns 0, or -1
 * on garbage or overflow of int64.  Exposed for tests.
 */
int		sl_config_parse_int(const char *s, int64_t *out);

/*
 * Finds the literal of setting `name` on source line `lineno` of text and
 * parses it with sl_config_parse_int.  Returns 0 and the value, or -1 if it
 * cannot be found or parsed.  Compare with what libconfig read to catch its
 * silent 32-bit wrap-around.
 */
int		sl_config_int_literal(const char *text, int lineno,
		    const char *name, int64_t *out);

#endif
