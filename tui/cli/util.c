/*
 * util.c - what every command shares: messages, errors, usage, ids, seat
 * labels, JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_parse.h"
#include "sl_zone.h"

/* The length of the valid UTF-8 sequence at p, or 0 if it is not one
 * (a stray continuation byte, a truncated or overlong sequence, a
 * surrogate, beyond U+10FFFF). */
static size_t
cli_utf8_len(const unsigned char *p)
{
	size_t n, i;
	unsigned long c;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf) {
		n = 2;
		c = *p & 0x1f;
	} else if (*p >= 0xe0 && *p <= 0xef) {
		n = 3;
		c = *p & 0x0f;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		n = 4;
		c = *p & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return n;
}

void
cli_safe_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		n = cli_utf8_len(p);
		if (n == 0 || *p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);	/* control or not UTF-8 */
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(f, "\\u%04x", p[1]);	/* C1 control */
		else if (*p == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa &&
		    p[2] <= 0xae)
			fprintf(f, "\\u%04x", 0x2000 + (p[2] - 0x80));
		else if (*p == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9)
			fprintf(f, "\\u%04x", 0x2040 + (p[2] - 0x80));
		else
			fwrite(p, 1, n, f);
		p += n == 0 ? 1 : n;
	}
}

void
cli_msg(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fputs("seatlock: ", stderr);
	cli_safe_str(stderr, buf);
	fputc('\n', stderr);
}

int
cli_fail(const struct sl_err *e)
{
	int code = sl_rc_exit_code(e->rc);

	if (e->rc == SL_EBUSY)
		cli_msg("%s: a seat is busy at another terminal, try again",
		    e->msg);
	else
		cli_msg("%s", e->msg);
	/* The detail of our own errors is the list of seats, already in the
	 * message; a server's detail explains more. */
	if (e->detail[0] != '\0' && strncmp(e->sqlstate, "SL", 2) != 0)
		cli_msg("detail: %s", e->detail);
	return code;
}

int
cli_connect(struct cli *cli, struct sl_db **db)
{
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_db_connect(&cli->cfg, db, &e) != SL_OK)
		return cli_fail(&e);
	return 0;
}

int
cli_id(const char *what, const char *s, int64_t *out)
{
	if (sl_parse_id(s, out) != 0) {
		cli_msg("%s \"%s\" is not an id (a whole number from 1 to "
		    "9223372036854775807)", what, s);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

void
cli_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void
cli_labels_free(struct cli_labels *l)
{
	free(l->buf);
	free(l->p);
	memset(l, 0, sizeof *l);
}

int
cli_labels_parse(struct cli_labels *l, char **argv, size_t n)
{
	size_t i;

	memset(l, 0, sizeof *l);
	l->buf = calloc(n > 0 ? n : 1, sizeof *l->buf);
	l->p = calloc(n > 0 ? n : 1, sizeof *l->p);
	if (l->buf == NULL || l->p == NULL) {
		cli_labels_free(l);
		cli_msg("out of memory");
		return CLI_EXIT_ERROR;
	}
	for (i = 0; i < n; i++) {
		if (sl_label_normalize(argv[i], l->buf[i]) != 0) {
			cli_msg("\"%s\" is not a seat label (letters, digits "
			        "and -, at most 32)",
			    argv[i]);
			cli_labels_free(l);
			return CLI_EXIT_USAGE;
		}
		l->p[i] = l->buf[i];
	}
	l->n = n;
	return 0;
}

/* Appends v to the NULL-ended list (CLI_REPEAT_MAX + 1 slots): 0, or -1
 * when it is full. */
static int
cli_repeat_add(const char **list, const char *v)
{
	int i;

	for (i = 0; i < CLI_REPEAT_MAX; i++)
		if (list[i] == NULL) {
			list[i] = v;
			return 0;
		}
	return -1;
}

int
cli_options(const char *name, int argc, char **argv,
    const struct cli_opt *opts)
{
	struct option lo[CLI_OPTS_MAX + 1];
	int c, n;

	for (n = 0; opts[n].name != NULL && n < CLI_OPTS_MAX; n++) {
		lo[n].name = opts[n].name;
		lo[n].has_arg = opts[n].has_arg == CLI_REPEAT ?
		    required_argument : opts[n].has_arg;
		lo[n].flag = NULL;
		lo[n].val = n + 1;
	}
	memset(&lo[n], 0, sizeof lo[n]);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c < 1 || c > n)
			return cli_bad_option(name, argv);
		if (opts[c - 1].has_arg == CLI_REPEAT) {
			if (cli_repeat_add(opts[c - 1].value, optarg) != 0) {
				cli_msg("%s: at most %d --%s", name,
				    CLI_REPEAT_MAX, opts[c - 1].name);
				return cli_usage(name);
			}
		} else if (opts[c - 1].value != NULL)
			*opts[c - 1].value = optarg;
		else
			*opts[c - 1].flag = 1;
	}
	return 0;
}

int
cli_bad_option(const char *name, char **argv)
{
	cli_msg("%s: unknown or incomplete option %s", name, argv[optind - 1]);
	return cli_usage(name);
}

void
cli_json_str_or_null(FILE *f, const char *s)
{
	if (s == NULL)
		fputs("null", f);
	else
		cli_json_str(f, s);
}

int
cli_one_open(struct cli *cli, struct cli_one *o, const char *name,
    const char *what, int argc, char **argv)
{
	int code;

	memset(o, 0, sizeof *o);
	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		o->json = 1;
	else if (argc == 3 && strcmp(argv[1], "--json") == 0) {
		o->json = 1;
		argv[1] = argv[2];
	} else if (argc != 2)
		return cli_usage(name);
	if ((code = cli_id(what, argv[1], &o->id)) != 0)
		return code;
	sl_err_clear(&o->e);
	return cli_connect(cli, &o->db);
}

/* The command named by the last cli_usage: the dispatcher prints its
 * usage once the handler returns (the table is above every handler). */
static const char *cli_usage_name;

int
cli_usage(const char *name)
{
	cli_usage_name = name;
	return CLI_EXIT_USAGE;
}

const char *
cli_usage_take(void)
{
	const char *name = cli_usage_name;

	cli_usage_name = NULL;
	return name;
}

int
cli_db_fail(struct sl_db *db, const struct sl_err *e)
{
	sl_db_close(db);
	return cli_fail(e);
}

void
cli_list_start(int json, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (json) {
		putchar('[');
		return;
	}
	if (n == 0)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int
cli_list_done(int json, struct sl_db *db)
{
	if (json)
		puts("]");
	sl_db_close(db);
	return 0;
}

int
cli_zone_code(const char *s, char *out)
{
	if (sl_zone_code_normalize(s, out) != 0) {
		cli_msg("\"%s\" is not a zone code (letters, digits, _ and -, "
		    "at most 32)", s);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

void
cli_json_field(FILE *f, const char *key, const char *s)
{
	fprintf(f, ",\"%s\":", key);
	cli_json_str(f, s);
}

void
cli_json_field_or_null(FILE *f, const char *key, const char *s)
{
	fprintf(f, ",\"%s\":", key);
	cli_json_str_or_null(f, s);
}

int
cli_num(const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		cli_msg("%s must be a whole number from %" PRId64 " to %"
		    PRId64, opt, lo, hi);
		return CLI_EXIT_USAGE;
	}
	*out = v;
	return 0;
}
