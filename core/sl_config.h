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

#include <stddef.h>
#include <stdint.h>

#include "sl_err.h"

struct sl_log;

#define SL_CONFIG_STR	256

/* notify.relay_socket's default (systemd: RuntimeDirectory=seatlock). */
#define SL_RELAY_SOCKET_DEFAULT	"/run/seatlock/relay.sock"

/* The HTTP API's bearer tokens (api.tokens), each mapped to a role. */
#define SL_API_MAX_TOKENS	16
#define SL_API_TOKEN_MIN	16
#define SL_API_TOKEN_MAX	128
#define SL_ROLE_MAX		63

struct sl_api_token {
	char	token[SL_API_TOKEN_MAX + 1];
	char	role[SL_ROLE_MAX + 1];	/* a database role to SET ROLE to */
};

struct sl_config {
	char	path[4096];		/* the file read, "" for defaults */
	char	dsn[1024];		/* database.dsn, "" = libpq defaults */
	char	listen_dsn[1024];	/* database.listen_dsn, "" = dsn */
	int64_t	lock_timeout_ms;	/* database.lock_timeout_ms */
	int64_t	statement_timeout_ms;	/* database.statement_timeout_ms */
	int64_t	connect_timeout_s;	/* database.connect_timeout_s */
	int64_t	reconnect_timeout_s;	/* database.reconnect_timeout_s */
	int64_t	keepalives_idle_s;	/* database.keepalives_idle_s */
	int64_t	keepalives_interval_s;	/* database.keepalives_interval_s */
	int64_t	keepalives_count;	/* database.keepalives_count */
	int64_t	tcp_user_timeout_ms;	/* database.tcp_user_timeout_ms */
	int64_t	retries;		/* booking.retries */
	char	terminal[SL_CONFIG_STR]; /* terminal.name, "" = host name */
	char	log_file[1024];		/* log.file, "" = no log */

	/* `seatlock serve` (group api) */
	char	api_listen[64];		/* api.listen, "ADDR:PORT" */
	int64_t	api_pool_size;		/* api.pool_size: connections */
	int64_t	api_pool_wait_ms;	/* api.pool_wait_ms */
	int64_t	api_max_connections;	/* api.max_connections: HTTP clients */
	int64_t	api_max_streams;	/* api.max_streams: event streams */
	int64_t	api_max_body;		/* api.max_body_bytes */
	int64_t	api_request_timeout_s;	/* api.request_timeout_s */
	int64_t	api_header_timeout_s;	/* api.header_timeout_s: a request's
					 * header complete within */
	int64_t	api_keepalive_idle_s;	/* api.keepalive_idle_s: a kept-alive
					 * connection's next request within */
	int64_t	api_max_connections_per_address; /* api.max_connections_
					 * per_address, 0 = half of
					 * max_connections */
	int64_t	api_max_response_memory; /* api.max_response_memory: bytes
					 * of the streamed answers in all */
	char	api_access_log[1024];	/* api.access_log, "" = stderr */
	size_t	api_ntokens;		/* api.tokens */
	struct sl_api_token api_tokens[SL_API_MAX_TOKENS];
	char	currency[4];		/* booking.currency, e.g. "EUR" */
	char	methods[256];		/* booking.methods: payment methods,
					 * space-separated ("cash card") */
	int64_t	hold_minutes;		/* booking.hold_minutes */
	char	notify_mode[16];	/* notify.mode, "" = the database's */
	int64_t	notify_interval_ms;	/* notify.interval_ms */
	char	relay_socket[108];	/* notify.relay_socket: the relay's
					 * unix socket, "" = never a relay */
	char	relay_group[64];	/* notify.relay_group: who may attach
					 * ("" = the relay's own group) */
	char	ticket_page[32];	/* ticket.page: "a4", "letter", "WxHmm",
					 * "WxHin" (sl_config_page) */
	char	ticket_printer[128];	/* ticket.printer: a CUPS queue, ""
					 * = CUPS's default */

	/* Not a setting: the log (sl_log_open of log_file) that connections
	 * made with this configuration write to; NULL = none.  Borrowed: the
	 * program opens it, and closes it after the last connection. */
	struct sl_log	*log;

	/* Not a setting: a listener (sl_notify) made with this configuration
	 * takes its notifications from the relay at relay_socket only, and
	 * never opens a LISTEN connection of its own (a benchmark's simulated
	 * terminals: N of them must not become N backends).  0 for every
	 * program but `seatlock bench`. */
	int		 relay_only;
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
 * The connection string of the listener (LISTEN does not survive
 * transaction pooling, so behind PgBouncer it must reach PostgreSQL directly
 * or through a session pool): $SEATLOCK_LISTEN_DSN if set; else
 * $SEATLOCK_DSN if set (a DSN from the environment takes the listener with
 * it); else database.listen_dsn; else database.dsn.  Borrowed pointer.
 */
const char	*sl_config_listen_dsn(const struct sl_config *c);

/*
 * Parses the integer literal of libconfig syntax at s (decimal or 0x hex,
 * optional sign and L/LL suffix, nothing else), into *out.  Returns 0, or -1
 * on garbage or overflow of int64.  Exposed for tests.
 */
int		sl_config_parse_int(const char *s, int64_t *out);

/*
 * Parses a listening address "A.B.C.D:PORT" or "[IPv6]:PORT" (numeric
 * only, no host names; PORT 0..65535, 0 = any free port).  Writes the
 * address part (without brackets) to host (hostsz >= 46) and the port.
 * Returns 0, or -1 and a reason in *why (static string).
 */
int		sl_config_parse_listen(const char *s, char *host, size_t hostsz,
		    int *port, const char **why);

/*
 * Reads a ticket page size: "a4", "letter" (any case), or "WxHmm" /
 * "WxHin" (e.g. "2x5.5in", "80x200mm"; each side 25 to 600 mm, numbers
 * with up to 3 decimals).  Writes width and height in PostScript points.
 * Returns 0, or -1 and a reason in *why (static string).
 */
int		sl_config_page(const char *s, double *w_pt, double *h_pt,
		    const char **why);

/*
 * Finds the literal of setting `name` on source line `lineno` of text (the
 * first, outside strings and comments) and parses it with
 * sl_config_parse_int.  Returns 0 and the value, or -1 if it cannot be
 * found or parsed.
 */
int		sl_config_int_literal(const char *text, int lineno,
		    const char *name, int64_t *out);

/*
 * Checks value, which libconfig read for setting `name` whose name is on
 * source line `lineno`, against the source: 0 if one literal of that name
 * on the line (outside strings and comments) is value and none of them is
 * one that libconfig 1.5 silently wraps (beyond 32 bits without an L
 * suffix); else -1.  Looking at every literal of the name on the line
 * covers two settings of one name on one line (a layout's section x and
 * row x) without knowing which one libconfig meant.
 */
int		sl_config_int_verify(const char *text, int lineno,
		    const char *name, int64_t value);

#endif
