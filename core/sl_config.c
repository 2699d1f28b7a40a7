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

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "sl_config.h"

/* SL_CT_NOTIFY is a string that must be one of sl_config_notify_modes. */
enum sl_config_type { SL_CT_INT, SL_CT_STR, SL_CT_NOTIFY };

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
};

#define SL_KEY_INT(g, n, f, lo, hi) \
	{ g, n, SL_CT_INT, offsetof(struct sl_config, f), 0, lo, hi }
#define SL_KEY_STR(g, n, f) \
	{ g, n, SL_CT_STR, offsetof(struct sl_config, f), \
	    sizeof(((struct sl_config *)0)->f), 0, 0 }

static const struct sl_config_key sl_config_keys[] = {
	SL_KEY_STR("database", "dsn", dsn),
	SL_KEY_INT("database", "lock_timeout_ms", lock_timeout_ms, 1, 600000),
	SL_KEY_INT("database", "statement_timeout_ms", statement_timeout_ms,
	    1, 3600000),
	SL_KEY_INT("database", "connect_timeout_s", connect_timeout_s, 1, 600),
	SL_KEY_INT("booking", "retries", retries, 0, 100),
	SL_KEY_STR("terminal", "name", terminal),
	SL_KEY_STR("log", "file", log_file),
	{ "notify", "mode", SL_CT_NOTIFY,
	    offsetof(struct sl_config, notify_mode),
	    sizeof(((struct sl_config *)0)->notify_mode), 0, 0 },
	SL_KEY_INT("notify", "interval_ms", notify_interval_ms, 1, 1000),
};
#define SL_NKEYS (sizeof sl_config_keys / sizeof sl_config_keys[0])

void
sl_config_defaults(struct sl_config *c)
{
	memset(c, 0, sizeof *c);
	c->lock_timeout_ms = 2000;
	c->statement_timeout_ms = 10000;
	c->connect_timeout_s = 5;
	c->retries = 5;
	c->notify_interval_ms = 5;
}

const char *
sl_config_dsn(const struct sl_config *c)
{
	const char *env = getenv("SEATLOCK_DSN");

	if (env != NULL && *env != '\0')
		return env;
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

int
sl_config_int_literal(const char *text, int lineno, const char *name,
    int64_t *out)
{
	const char *line = text, *p, *end;
	size_t nlen = strlen(name);
	char tok[64];
	int n;

	for (n = 1; n < lineno && line != NULL; n++) {
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	if (line == NULL)
		return -1;
	end = strchr(line, '\n');
	if (end == NULL)
		end = line + strlen(line);
	for (p = line; p + nlen <= end; p++) {
		const char *q;
		size_t i;

		if (strncmp(p, name, nlen) != 0)
			continue;
		if (p > line && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		q = p + nlen;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q >= end || (*q != '=' && *q != ':'))
			continue;
		q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		for (i = 0; q < end && i < sizeof tok - 1 &&
		    (isalnum((unsigned char)*q) || *q == '+' || *q == '-');
		    q++)
			tok[i++] = *q;
		tok[i] = '\0';
		return sl_config_parse_int(tok, out);
	}
	return -1;
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

static enum sl_rc
sl_config_apply(struct sl_config *c, const char *path, const char *text,
    const struct sl_config_key *k, config_setting_t *s, struct sl_err *e)
{
	int line = (int)config_setting_source_line(s);
	int type = config_setting_type(s);

	if (k->type == SL_CT_STR || k->type == SL_CT_NOTIFY) {
		const char *v;
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
		int64_t lit, v;

		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			return sl_err_set(e, SL_ECONFIG,
			    "%s:%d: %s.%s must be an integer", path, line,
			    k->group, k->name);
		v = config_setting_get_int64(s);
		if (type == CONFIG_TYPE_INT)
			v = config_setting_get_int(s);
		/* libconfig 1.5 wraps big literals: trust only the source. */
		if (sl_config_int_literal(text, line, k->name, &lit) != 0 ||
		    lit != v)
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

enum sl_rc
sl_config_load_file(struct sl_config *out, const char *path, struct sl_err *e)
{
	struct sl_config c;
	struct stat st;
	config_t cf;
	config_setting_t *root;
	char *text;
	enum sl_rc rc = SL_OK;
	int i, j, ngroups;

	sl_config_defaults(&c);
	if (strlen(path) >= sizeof c.path)
		return sl_err_set(e, SL_ECONFIG, "config path too long");
	if (stat(path, &st) != 0)
		return sl_err_set(e, SL_ECONFIG, "%s: %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return sl_err_set(e, SL_ECONFIG, "%s: not a regular file",
		    path);
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
			    "the groups database, booking, terminal, log, "
			    "notify)",
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
		}
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
