/*
 * sl_config.c - loads and checks the configuration file.
 *
 * libconfig 1.5 (Debian 12) has two traps that this file closes:
 *  - an integer that does not fit 32 bits wraps silently in its scanner
 *    (4294972728 reads as 5432), so every integer is checked against its
 *    literal in the source line, parsed here as 64 bits;
 *  - @include follows any path, so @include is refused.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libconfig.h>

#include "sl_config.h"

/* SL_CT_LISTEN is a string checked by sl_config_parse_listen; SL_CT_TOKENS
 * the list of api.tokens; SL_CT_NOTIFY a string that must be one of
 * sl_config_notify_modes. */
enum sl_config_type { SL_CT_INT, SL_CT_STR, SL_CT_LISTEN, SL_CT_TOKENS,
	SL_CT_NOTIFY, SL_CT_PAGE };

static const char *const sl_config_notify_modes[] = {
	"", "per-commit", "batched", "off", NULL
};

struct sl_config_key {
	const char		*group;
	const char		*name;
	enum sl_config_type	 type;
	size_t			 off;
	size_t			 size;	/* SL_CT_STR: buffer size */
	int64_t			 min, max;
	int64_t			 def;	/* SL_CT_INT: the default */
	const char		*sdef;	/* strings: the default, or NULL */
};

#define SL_KEY_INT(g, n, f, lo, hi, d) \
	{ g, n, SL_CT_INT, offsetof(struct sl_config, f), 0, lo, hi, d, NULL }
/* An integer whose field is named as its key; one of api_<key>. */
#define SL_KEY_I(g, f, lo, hi, d)	SL_KEY_INT(g, #f, f, lo, hi, d)
#define SL_KEY_API(n, lo, hi, d)	SL_KEY_INT("api", #n, api_##n, lo, hi, d)
#define SL_KEY_STR(g, n, f) \
	{ g, n, SL_CT_STR, offsetof(struct sl_config, f), \
	    sizeof(((struct sl_config *)0)->f), 0, 0, 0, NULL }
#define SL_KEY_STR_DEF(g, n, t, f, d) \
	{ g, n, t, offsetof(struct sl_config, f), \
	    sizeof(((struct sl_config *)0)->f), 0, 0, 0, d }

/*
 * Every setting: its range and default.  A dead TCP peer is noticed within
 * about 11 s whatever the connection is doing: idle (keepalive probes at 5,
 * 7, 9 and 11 s) or waiting for data it sent to be acknowledged (10 s).
 */
static const struct sl_config_key sl_config_keys[] = {
	SL_KEY_STR("database", "dsn", dsn),
	SL_KEY_STR("database", "listen_dsn", listen_dsn),
	SL_KEY_I("database", lock_timeout_ms, 1, 600000, 2000),
	SL_KEY_I("database", statement_timeout_ms, 1, 3600000, 10000),
	SL_KEY_I("database", connect_timeout_s, 1, 600, 5),
	SL_KEY_I("database", reconnect_timeout_s, 0, 600, 10),
	SL_KEY_I("database", keepalives_idle_s, 1, 7200, 5),
	SL_KEY_I("database", keepalives_interval_s, 1, 600, 2),
	SL_KEY_I("database", keepalives_count, 1, 100, 3),
	SL_KEY_I("database", tcp_user_timeout_ms, 0, 3600000, 10000),
	SL_KEY_I("booking", retries, 0, 100, 5),
	SL_KEY_STR("terminal", "name", terminal),
	SL_KEY_STR("log", "file", log_file),
	SL_KEY_STR_DEF("api", "listen", SL_CT_LISTEN, api_listen,
	    "127.0.0.1:8080"),
	SL_KEY_API(pool_size, 1, 64, 4),
	SL_KEY_API(pool_wait_ms, 1, 600000, 5000),
	SL_KEY_API(max_connections, 1, 10000, 256),
	SL_KEY_API(max_streams, 0, 1000, 32),
	SL_KEY_INT("api", "max_body_bytes", api_max_body, 64, 16777216, 65536),
	SL_KEY_API(request_timeout_s, 1, 3600, 30),
	SL_KEY_API(header_timeout_s, 1, 3600, 10),
	SL_KEY_API(keepalive_idle_s, 1, 3600, 5),
	SL_KEY_API(max_connections_per_address, 0, 10000, 0),
	SL_KEY_API(max_response_memory, 1048576, 2147483647,
	    67108864),
	SL_KEY_STR("api", "access_log", api_access_log),
	{ "api", "tokens", SL_CT_TOKENS, 0, 0, 0, SL_API_MAX_TOKENS, 0, NULL },
	SL_KEY_STR_DEF("booking", "currency", SL_CT_STR, currency, "EUR"),
	SL_KEY_STR_DEF("booking", "methods", SL_CT_STR, methods, "cash card"),
	SL_KEY_I("booking", hold_minutes, 1, 1440, 10),
	SL_KEY_STR_DEF("notify", "mode", SL_CT_NOTIFY, notify_mode, NULL),
	SL_KEY_INT("notify", "interval_ms", notify_interval_ms, 1, 1000, 5),
	SL_KEY_STR_DEF("notify", "relay_socket", SL_CT_STR, relay_socket,
	    SL_RELAY_SOCKET_DEFAULT),
	SL_KEY_STR("notify", "relay_group", relay_group),
	SL_KEY_STR_DEF("ticket", "page", SL_CT_PAGE, ticket_page, "a4"),
	SL_KEY_STR("ticket", "printer", ticket_printer),
};
#define SL_NKEYS (sizeof sl_config_keys / sizeof sl_config_keys[0])

/* Checks booking.methods: 1 to 16 words of [a-z][a-z0-9_-]{0,31}, none
 * "exchange" (the exchanges' own) nor named twice.  0 or -1. */
static int
sl_config_methods_check(const char *v)
{
	const char *p = v, *q;
	size_t n = 0, len;

	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		len = strcspn(p, " ");
		if (len > 32 || *p < 'a' || *p > 'z' ||
		    strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_-") < len ||
		    (len == 8 && strncmp(p, "exchange", 8) == 0) || ++n > 16)
			return -1;
		for (q = v; q < p; q += strcspn(q, " ") + 1)
			if (*q != ' ' && strcspn(q, " ") == len &&
			    strncmp(q, p, len) == 0)
				return -1;
		p += len;
	}
	return n > 0 ? 0 : -1;
}

void
sl_config_defaults(struct sl_config *c)
{
	const struct sl_config_key *k;

	memset(c, 0, sizeof *c);
	for (k = sl_config_keys; k < sl_config_keys + SL_NKEYS; k++) {
		if (k->type == SL_CT_INT)
			*(int64_t *)(void *)((char *)c + k->off) = k->def;
		else if (k->sdef != NULL)
			snprintf((char *)c + k->off, k->size, "%s", k->sdef);
	}
}

int
sl_config_parse_listen(const char *s, char *host, size_t hostsz, int *port,
    const char **why)
{
	unsigned char addr[16];
	const char *colon, *h, *p;
	size_t hlen;
	int af, v = 0;

	if (s[0] == '[') {
		h = s + 1;
		colon = strchr(h, ']');
		if (colon == NULL || colon[1] != ':') {
			*why = "an IPv6 address is written [ADDR]:PORT";
			return -1;
		}
		hlen = (size_t)(colon - h);
		p = colon + 2;
		af = AF_INET6;
	} else {
		h = s;
		colon = strrchr(s, ':');
		if (colon == NULL) {
			*why = "expected ADDR:PORT, e.g. 127.0.0.1:8080";
			return -1;
		}
		hlen = (size_t)(colon - h);
		p = colon + 1;
		af = AF_INET;
	}
	if (hlen == 0 || hlen >= hostsz || hlen >= 46) {
		*why = "the address is missing or too long";
		return -1;
	}
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (inet_pton(af, host, addr) != 1) {
		*why = "the address must be a numeric IPv4 or [IPv6] address";
		return -1;
	}
	if (*p == '\0' || strlen(p) > 5) {
		*why = "the port must be a number from 0 to 65535";
		return -1;
	}
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			*why = "the port must be a number from 0 to 65535";
			return -1;
		}
		v = v * 10 + (*p - '0');
	}
	if (v > 65535) {
		*why = "the port must be a number from 0 to 65535";
		return -1;
	}
	*port = v;
	return 0;
}

const char *
sl_config_dsn(const struct sl_config *c)
{
	const char *env = getenv("SEATLOCK_DSN");

	if (env != NULL && *env != '\0')
		return env;
	return c->dsn;
}

const char *
sl_config_listen_dsn(const struct sl_config *c)
{
	const char *env = getenv("SEATLOCK_LISTEN_DSN");
	const char *dsn = getenv("SEATLOCK_DSN");

	if (env != NULL && *env != '\0')
		return env;
	/* A DSN from the environment moves the listener with it: the
	 * file's listen_dsn belongs to the file's database. */
	if (dsn != NULL && *dsn != '\0')
		return dsn;
	if (c->listen_dsn[0] != '\0')
		return c->listen_dsn;
	return c->dsn;
}

int
sl_config_parse_int(const char *s, int64_t *out)
{
	const char *p = s;
	int neg = 0, base = 10, digits = 0;
	uint64_t v = 0, limit;

	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (;; p++) {
		int d;

		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			d = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (v > (limit - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (digits == 0)
		return -1;
	if (*p == 'L')
		p++;
	if (*p == 'L')
		p++;
	if (*p != '\0')
		return -1;
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

/* Up to this many settings of one name on one source line are checked. */
#define SL_LIT_MAX	32

struct sl_lit {
	int	ok;		/* the literal parsed */
	int	lsuffix;	/* it ends in L: libconfig reads 64 bits */
	int64_t	v;
};

static int
sl_config_ident(int c, int first)
{
	if (isalpha(c) || c == '*')
		return 1;
	return !first && (isdigit(c) || c == '-' || c == '_');
}

/*
 * Finds every `name = literal` (or `name: literal`) whose name starts on
 * line lineno, skipping strings and comments from the start of the text
 * (both may span lines), so that text which only looks like the setting
 * is never taken for it.  Fills up to max entries of lit; returns how many
 * were found (possibly more than max).
 */
static int
sl_config_literals(const char *text, int lineno, const char *name,
    struct sl_lit *lit, int max)
{
	const char *p = text;
	size_t nlen = strlen(name);
	int line = 1, n = 0;

	while (*p != '\0' && line <= lineno) {
		const char *q, *start;
		char tok[64];
		size_t i;

		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0')
					p++;
				if (*p == '\n')
					line++;
			}
			if (*p == '"')
				p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2; *p != '\0'; p++) {
				if (p[0] == '*' && p[1] == '/')
					break;
				if (*p == '\n')
					line++;
			}
			if (*p != '\0')
				p += 2;
		} else if (isdigit((unsigned char)*p) || *p == '.') {
			/* a number ("0x1f", "1e3"): no name starts inside */
			while (isalnum((unsigned char)*p) || *p == '.' ||
			    *p == '_')
				p++;
		} else if (sl_config_ident((unsigned char)*p, 1)) {
			start = p;
			while (sl_config_ident((unsigned char)*p, 0))
				p++;
			if (line != lineno || (size_t)(p - start) != nlen ||
			    strncmp(start, name, nlen) != 0)
				continue;
			/* name, "=" or ":", the literal: blanks between */
			for (q = p; isspace((unsigned char)*q); q++)
				;
			if (*q != '=' && *q != ':')
				continue;
			for (q++; isspace((unsigned char)*q); q++)
				;
			for (i = 0; i < sizeof tok - 1; q++) {
				unsigned char c = (unsigned char)*q;

				if (!isalnum(c) && c != '+' && c != '-')
					break;
				tok[i++] = *q;
			}
			tok[i] = '\0';
			if (n < max) {
				lit[n].ok = sl_config_parse_int(tok,
				    &lit[n].v) == 0;
				lit[n].lsuffix = i > 0 && tok[i - 1] == 'L';
			}
			n++;
		} else
			p++;
	}
	return n;
}

int
sl_config_int_literal(const char *text, int lineno, const char *name,
    int64_t *out)
{
	struct sl_lit lit[SL_LIT_MAX];

	if (sl_config_literals(text, lineno, name, lit, SL_LIT_MAX) < 1 ||
	    !lit[0].ok)
		return -1;
	*out = lit[0].v;
	return 0;
}

int
sl_config_int_verify(const char *text, int lineno, const char *name,
    int64_t value)
{
	struct sl_lit lit[SL_LIT_MAX];
	int i, n, found = 0;

	n = sl_config_literals(text, lineno, name, lit, SL_LIT_MAX);
	if (n < 1 || n > SL_LIT_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (!lit[i].ok)
			return -1;
		/* libconfig 1.5 keeps 32 bits of a literal without L: any
		 * such literal on the line may be the one it misread. */
		if (!lit[i].lsuffix && (lit[i].v < INT32_MIN ||
		    lit[i].v > INT32_MAX))
			return -1;
		if (lit[i].v == value)
			found = 1;
	}
	return found ? 0 : -1;
}

static char *
sl_config_slurp(const char *path, struct sl_err *e)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	f = fopen(path, "r");
	if (f == NULL) {
		sl_err_set(e, SL_ECONFIG, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb;

			if (cap > 1024 * 1024) {
				sl_err_set(e, SL_ECONFIG,
				    "%s: file too large (limit 1 MiB)", path);
				goto fail;
			}
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (nb == NULL) {
				sl_err_set(e, SL_ENOMEM, "out of memory");
				goto fail;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		sl_err_set(e, SL_ECONFIG, "%s: read error", path);
		goto fail;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len) != NULL) {
		sl_err_set(e, SL_ECONFIG, "%s: contains a NUL byte", path);
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* Refuses @include directives: libconfig 1.5 would follow any path. */
static enum sl_rc
sl_config_check_include(const char *path, const char *text, struct sl_err *e)
{
	const char *line = text;
	int lineno = 1;

	while (line != NULL && *line != '\0') {
		const char *p = line;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "@include", 8) == 0)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: @include is not allowed in a seatlock "
			    "configuration", path, lineno);
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
		lineno++;
	}
	return SL_OK;
}

static const struct sl_config_key *
sl_config_find_key(const char *group, const char *name)
{
	size_t i;

	for (i = 0; i < SL_NKEYS; i++)
		if (strcmp(sl_config_keys[i].group, group) == 0 &&
		    strcmp(sl_config_keys[i].name, name) == 0)
			return &sl_config_keys[i];
	return NULL;
}

static int
sl_config_known_group(const char *group)
{
	size_t i;

	for (i = 0; i < SL_NKEYS; i++)
		if (strcmp(sl_config_keys[i].group, group) == 0)
			return 1;
	return 0;
}

/* A token is an RFC 6750 b64token: letters, digits and -._~+/ then any =. */
static int
sl_config_token_valid(const char *t)
{
	size_t i, n = strlen(t);

	if (n < SL_API_TOKEN_MIN || n > SL_API_TOKEN_MAX)
		return 0;
	for (i = 0; i < n && t[i] != '='; i++)
		if (!isascii((unsigned char)t[i]) ||
		    !(isalnum((unsigned char)t[i]) || strchr("-._~+/", t[i])))
			return 0;
	for (; i < n; i++)
		if (t[i] != '=')
			return 0;
	return 1;
}

/* A role name that needs no quoting: [a-z_][a-z0-9_]*, at most 63. */
static int
sl_config_role_valid(const char *r)
{
	size_t i, n = strlen(r);

	if (n == 0 || n > SL_ROLE_MAX || !(islower((unsigned char)r[0]) ||
	    r[0] == '_'))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)r[i];

		if (!isascii(ch) || !(islower(ch) || isdigit(ch) || ch == '_'))
			return 0;
	}
	return 1;
}

/*
 * api.tokens = ( { token = "..."; role = "..."; }, ... );  Each member
 * must be there, once, as a string; tokens must differ.
 */
static enum sl_rc
sl_config_tokens(struct sl_config *c, const char *path, config_setting_t *s,
    struct sl_err *e)
{
	int line = (int)config_setting_source_line(s);
	int i, j, n;

	if (config_setting_type(s) != CONFIG_TYPE_LIST)
		return sl_err_set(e, SL_ECONFIG, "%s:%d: api.tokens must be a "
		    "list: ( { token = \"...\"; role = \"...\"; } )", path,
		    line);
	n = config_setting_length(s);
	if (n > SL_API_MAX_TOKENS)
		return sl_err_set(e, SL_ECONFIG, "%s:%d: api.tokens has %d "
		    "entries (at most %d)", path, line, n, SL_API_MAX_TOKENS);
	c->api_ntokens = 0;
	for (i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(s, (unsigned)i);
		struct sl_api_token *t = &c->api_tokens[i];
		const char *tok = NULL, *role = NULL;
		int m, gl = (int)config_setting_source_line(g);

		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return sl_err_set(e, SL_ECONFIG, "%s:%d: each entry of "
			    "api.tokens is a group { token = \"...\"; role = "
			    "\"...\"; }", path, gl);
		m = config_setting_length(g);
		for (j = 0; j < m; j++) {
			config_setting_t *f =
			    config_setting_get_elem(g, (unsigned)j);
			const char *name = config_setting_name(f);
			const char **dst;

			gl = (int)config_setting_source_line(f);
			if (strcmp(name, "token") == 0)
				dst = &tok;
			else if (strcmp(name, "role") == 0)
				dst = &role;
			else
				return sl_err_set(e, SL_ECONFIG,
				    "%s:%d: unknown setting \"%s\" in "
				    "api.tokens (expected token and role)",
				    path, gl, name);
			if (config_setting_type(f) != CONFIG_TYPE_STRING)
				return sl_err_set(e, SL_ECONFIG, "%s:%d: "
				    "api.tokens %s must be a string in double "
				    "quotes", path, gl, name);
			*dst = config_setting_get_string(f);
		}
		gl = (int)config_setting_source_line(g);
		if (tok == NULL || role == NULL)
			return sl_err_set(e, SL_ECONFIG, "%s:%d: an entry of "
			    "api.tokens needs both token and role", path, gl);
		if (!sl_config_token_valid(tok))
			return sl_err_set(e, SL_ECONFIG, "%s:%d: an api token "
			    "is %d to %d of letters, digits and -._~+/ (e.g. "
			    "from `openssl rand -base64 32`)", path, gl,
			    SL_API_TOKEN_MIN, SL_API_TOKEN_MAX);
		if (!sl_config_role_valid(role))
			return sl_err_set(e, SL_ECONFIG, "%s:%d: role "
			    "\"%.64s\" must be a lower-case name of letters, "
			    "digits and _ (at most %d)", path, gl, role,
			    SL_ROLE_MAX);
		for (j = 0; j < i; j++)
			if (strcmp(c->api_tokens[j].token, tok) == 0)
				return sl_err_set(e, SL_ECONFIG,
				    "%s:%d: the same token is listed twice",
				    path, gl);
		memcpy(t->token, tok, strlen(tok) + 1);
		memcpy(t->role, role, strlen(role) + 1);
		c->api_ntokens++;
	}
	return SL_OK;
}

/* Checks a string setting of its own syntax (listen, page): 0, or -1 and
 * a reason. */
static int
sl_config_check_value(const struct sl_config_key *k, const char *v,
    const char **why)
{
	char host[64];
	double w, h;
	int port;

	if (k->type == SL_CT_LISTEN)
		return sl_config_parse_listen(v, host, sizeof host, &port, why);
	if (k->type == SL_CT_PAGE)
		return sl_config_page(v, &w, &h, why);
	return 0;
}

/* One side of a page: digits, up to 3 decimals; its end in *end. */
static int
sl_config_side(const char *s, const char **end, double *out)
{
	double v = 0, f = 0.1;
	int digits = 0, dec = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		if (digits < 6)
			v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, dec++, f /= 10)
			v += (*s - '0') * f;
	if (digits == 0 || digits > 4 || dec > 3)
		return -1;
	*end = s;
	*out = v;
	return 0;
}

int
sl_config_page(const char *s, double *w_pt, double *h_pt, const char **why)
{
	const char *p;
	double w, h, unit;

	if (strcasecmp(s, "a4") == 0) {
		*w_pt = 595.276;
		*h_pt = 841.89;
		return 0;
	}
	if (strcasecmp(s, "letter") == 0) {
		*w_pt = 612;
		*h_pt = 792;
		return 0;
	}
	*why = "a page is \"a4\", \"letter\" or WIDTHxHEIGHT in mm or in "
	    "(e.g. \"2x5.5in\", \"80x200mm\")";
	if (sl_config_side(s, &p, &w) != 0 || (*p != 'x' && *p != 'X') ||
	    sl_config_side(p + 1, &p, &h) != 0)
		return -1;
	if (strcmp(p, "mm") == 0)
		unit = 72 / 25.4;
	else if (strcmp(p, "in") == 0)
		unit = 72;
	else
		return -1;
	w *= unit;
	h *= unit;
	if (w < 72 / 25.4 * 25 || h < 72 / 25.4 * 25 ||
	    w > 72 / 25.4 * 600 || h > 72 / 25.4 * 600) {
		*why = "each side of a page is 25 to 600 mm (1 to 23.6 in)";
		return -1;
	}
	*w_pt = w;
	*h_pt = h;
	return 0;
}

static enum sl_rc
sl_config_apply(struct sl_config *c, const char *path, const char *text,
    const struct sl_config_key *k, config_setting_t *s, struct sl_err *e)
{
	int line = (int)config_setting_source_line(s);
	int type = config_setting_type(s);

	if (k->type == SL_CT_TOKENS)
		return sl_config_tokens(c, path, s, e);
	if (k->type == SL_CT_STR || k->type == SL_CT_LISTEN ||
	    k->type == SL_CT_NOTIFY || k->type == SL_CT_PAGE) {
		const char *v, *why;
		size_t i;

		if (type != CONFIG_TYPE_STRING)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s must be a string in double quotes",
			    path, line, k->group, k->name);
		v = config_setting_get_string(s);
		if (strlen(v) >= k->size)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s is too long (at most %zu bytes)",
			    path, line, k->group, k->name, k->size - 1);
		for (i = 0; v[i] != '\0'; i++)
			if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
				return sl_err_set(e, SL_ECONFIG,
				    "%s:%d: %s.%s contains a control character",
				    path, line, k->group, k->name);
		if (sl_config_check_value(k, v, &why) != 0)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s \"%s\": %s", path, line,
			    k->group, k->name, v, why);
		/* Prices are printed with it: an ISO 4217 code. */
		if (k->off == offsetof(struct sl_config, currency) &&
		    (strlen(v) != 3 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
		    3))
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s must be three capital letters "
			    "(ISO 4217, e.g. \"EUR\")", path, line, k->group,
			    k->name);
		if (k->off == offsetof(struct sl_config, methods) &&
		    sl_config_methods_check(v) != 0)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s must be 1 to 16 payment methods "
			    "separated by spaces, each 1 to 32 of a-z, 0-9, '_' "
			    "or '-' starting with a letter, not \"exchange\" "
			    "(e.g. \"cash card\")", path, line, k->group,
			    k->name);
		if (k->type == SL_CT_NOTIFY) {
			for (i = 0; sl_config_notify_modes[i] != NULL; i++)
				if (strcmp(v, sl_config_notify_modes[i]) == 0)
					break;
			if (sl_config_notify_modes[i] == NULL)
				return sl_err_set(e, SL_ECONFIG,
				    "%s:%d: %s.%s must be \"per-commit\", "
				    "\"batched\", \"off\" or \"\"", path, line,
				    k->group, k->name);
		}
		memcpy((char *)c + k->off, v, strlen(v) + 1);
	} else {
		int64_t v;

		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s must be an integer", path, line,
			    k->group, k->name);
		v = config_setting_get_int64(s);
		if (type == CONFIG_TYPE_INT)
			v = config_setting_get_int(s);
		/* libconfig 1.5 wraps big literals: trust only the source. */
		if (sl_config_int_verify(text, line, k->name, v) != 0)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s is out of range (%" PRId64
			    " to %" PRId64 ")", path, line, k->group,
			    k->name, k->min, k->max);
		if (v < k->min || v > k->max)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s is out of range (%" PRId64
			    " to %" PRId64 ")", path, line, k->group,
			    k->name, k->min, k->max);
		*(int64_t *)(void *)((char *)c + k->off) = v;
	}
	return SL_OK;
}

/*
 * As ssh does: a file owned by anyone but the user running seatlock or
 * root is refused whole (another user's ./seatlock.conf would otherwise
 * choose the database, the log file, the tokens).
 */
static enum sl_rc
sl_config_check_owner(const char *path, const struct stat *st,
    struct sl_err *e)
{
	struct passwd pw, *res = NULL;
	char buf[1024], name[64];

	if (st->st_uid == 0 || st->st_uid == getuid())
		return SL_OK;
	if (getpwuid_r(st->st_uid, &pw, buf, sizeof buf, &res) == 0 &&
	    res != NULL)
		snprintf(name, sizeof name, "%s (uid %u)", res->pw_name,
		    (unsigned)st->st_uid);
	else
		snprintf(name, sizeof name, "uid %u", (unsigned)st->st_uid);
	return sl_err_set(e, SL_ECONFIG, "%s: owned by %s, not by you or "
	    "root; refusing it (chown it or name another file)", path, name);
}

enum sl_rc
sl_config_load_file(struct sl_config *out, const char *path, struct sl_err *e)
{
	struct sl_config c;
	struct stat st;
	config_t cf;
	config_setting_t *root;
	char *text;
	enum sl_rc rc = SL_OK;
	int i, j, ngroups, tokens_line = 0;

	sl_config_defaults(&c);
	if (strlen(path) >= sizeof c.path)
		return sl_err_set(e, SL_ECONFIG, "config path too long");
	if (stat(path, &st) != 0)
		return sl_err_set(e, SL_ECONFIG, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sl_err_set(e, SL_ECONFIG, "%s: not a regular file",
		    path);
	if ((rc = sl_config_check_owner(path, &st, e)) != SL_OK)
		return rc;
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return sl_err_set(e, SL_ECONFIG,
		    "%s: writable by group or others; refusing it "
		    "(chmod go-w %s)", path, path);
	text = sl_config_slurp(path, e);
	if (text == NULL)
		return SL_ECONFIG;
	if ((rc = sl_config_check_include(path, text, e)) != SL_OK) {
		free(text);
		return rc;
	}

	config_init(&cf);
	if (!config_read_string(&cf, text)) {
		rc = sl_err_set(e, SL_ECONFIG, "%s:%d: %s", path,
		    config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	root = config_root_setting(&cf);
	ngroups = config_setting_length(root);
	for (i = 0; i < ngroups; i++) {
		config_setting_t *g = config_setting_get_elem(root, (unsigned)i);
		const char *gname = config_setting_name(g);
		int n;

		if (config_setting_type(g) != CONFIG_TYPE_GROUP ||
		    !sl_config_known_group(gname)) {
			rc = sl_err_set(e, SL_ECONFIG,
			    "%s:%d: unknown setting \"%s\" (expected one of "
			    "the groups database, booking, terminal, log, api, "
			    "notify, ticket)",
			    path, config_setting_source_line(g), gname);
			goto out;
		}
		n = config_setting_length(g);
		for (j = 0; j < n; j++) {
			config_setting_t *s =
			    config_setting_get_elem(g, (unsigned)j);
			const struct sl_config_key *k;

			k = sl_config_find_key(gname, config_setting_name(s));
			if (k == NULL) {
				rc = sl_err_set(e, SL_ECONFIG,
				    "%s:%d: unknown setting \"%s.%s\"", path,
				    config_setting_source_line(s), gname,
				    config_setting_name(s));
				goto out;
			}
			rc = sl_config_apply(&c, path, text, k, s, e);
			if (rc != SL_OK)
				goto out;
			if (k->type == SL_CT_TOKENS)
				tokens_line = config_setting_source_line(s);
		}
	}
	/* Tokens are passwords: like ssh with a private key, refuse a file
	 * that others can read. */
	if (c.api_ntokens > 0 && (st.st_mode & (S_IRGRP | S_IROTH))) {
		rc = sl_err_set(e, SL_ECONFIG, "%s:%d: api.tokens in a file "
		    "readable by group or others; refusing it (chmod 600 %s)",
		    path, tokens_line, path);
		goto out;
	}
	memcpy(c.path, path, strlen(path) + 1);
	*out = c;
out:
	config_destroy(&cf);
	free(text);
	return rc;
}

enum sl_rc
sl_config_load(struct sl_config *c, const char *explicit_path,
    struct sl_err *e)
{
	const char *env = getenv("SEATLOCK_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char buf[4096];

	if (explicit_path != NULL)
		return sl_config_load_file(c, explicit_path, e);
	if (env != NULL && *env != '\0')
		return sl_config_load_file(c, env, e);
	if (access("seatlock.conf", F_OK) == 0)
		return sl_config_load_file(c, "seatlock.conf", e);
	buf[0] = '\0';
	if (xdg != NULL && *xdg == '/')
		snprintf(buf, sizeof buf, "%s/seatlock/seatlock.conf", xdg);
	else if (home != NULL && *home == '/')
		snprintf(buf, sizeof buf, "%s/.config/seatlock/seatlock.conf",
		    home);
	if (buf[0] != '\0' && access(buf, F_OK) == 0)
		return sl_config_load_file(c, buf, e);
	if (access("/etc/seatlock/seatlock.conf", F_OK) == 0)
		return sl_config_load_file(c, "/etc/seatlock/seatlock.conf",
		    e);
	sl_config_defaults(c);
	return SL_OK;
}
