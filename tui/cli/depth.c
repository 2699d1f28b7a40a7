/*
 * depth.c - seatlock hold, release, holds, sweep, book --hold, book
 * --best, exchange, zone set, zone assign, zones, user find, user show,
 * report.
 *
 * Each command parses its arguments completely before it connects (bad
 * usage never touches the database), then calls one core function.  Data
 * goes to stdout (one id a line, or JSON with --json), messages to stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_book.h"
#include "sl_customer.h"
#include "sl_hold.h"
#include "sl_parse.h"
#include "sl_report.h"
#include "sl_sell.h"
#include "sl_zone.h"

/* Seat labels from the command line, normalized. */
struct cli_labels {
	size_t n;
	char (*buf)[SL_LABEL_MAX + 1];
	const char **p;
};

static void
cli_labels_free(struct cli_labels *l)
{
	free(l->buf);
	free(l->p);
	memset(l, 0, sizeof *l);
}

/* Normalizes argv[0..n); reports a bad label.  0 or an exit code. */
static int
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

/* Reports an unknown or incomplete option of command name. */
static int
cli_bad_option(const char *name, char **argv)
{
	cli_msg("%s: unknown or incomplete option %s", name, argv[optind - 1]);
	return cli_usage(name);
}

/* Writes "null" or a JSON string. */
static void
cli_json_str_or_null(FILE *f, const char *s)
{
	if (s == NULL)
		fputs("null", f);
	else
		cli_json_str(f, s);
}

/* Prints the booking ids one a line, or the bookings as JSON with the total
 * and currency, and the total on stderr. */
static void
cli_print_bookings(struct sl_db *db, const struct sl_booking *b, size_t n,
    int json, const char *what)
{
	char total[64];
	size_t i;

	sl_money_format(sl_booking_total(b, n), sl_db_currency(db), total,
	    sizeof total);
	if (json) {
		fputs("{\"bookings\":[", stdout);
		for (i = 0; i < n; i++) {
			printf("%s{\"id\":%" PRId64 ",\"label\":", i ? "," : "",
			    b[i].id);
			cli_json_str(stdout, b[i].label);
			printf(",\"price_cents\":%" PRId64 "}",
			    b[i].price_cents);
		}
		printf("],\"total_cents\":%" PRId64 ",\"currency\":",
		    sl_booking_total(b, n));
		cli_json_str(stdout, sl_db_currency(db));
		puts("}");
	} else
		for (i = 0; i < n; i++)
			printf("%" PRId64 "\n", b[i].id);
	cli_msg("%s %zu seat%s, total %s", what, n, n == 1 ? "" : "s", total);
	if (!json && n > 0) {
		char line[SL_LABEL_MAX * 20 + 64];
		size_t len = 0;

		for (i = 0; i < n && len + SL_LABEL_MAX + 2 < sizeof line; i++)
			len += (size_t)snprintf(line + len, sizeof line - len,
			    "%s%s", i ? " " : "", b[i].label);
		cli_msg("seats: %s", line);
	}
}

/* ---- book --hold / --best ------------------------------------------ */

int
cli_book_depth(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "user", required_argument, NULL,
		                                  'u' },
		{ "key", required_argument, NULL, 'k' },
		{ "hold", required_argument, NULL, 'h' },
		{ "best", required_argument, NULL, 'b' },
		{ "zone", required_argument, NULL, 'z' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 } };
	const char *user = NULL, *key = NULL, *hold = NULL, *best = NULL;
	const char *zone = NULL;
	char zbuf[SL_ZONE_MAX + 1];
	struct sl_booking *b = NULL;
	struct sl_db *db;
	struct sl_err e;
	int64_t show, uid, hid = 0, n = 0;
	size_t nb;
	int c, code, json = 0;
	struct cli_labels l;
	int nlab, modes;
	enum sl_rc rc;

	memset(&l, 0, sizeof l);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			user = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'h':
			hold = optarg;
			break;
		case 'b':
			best = optarg;
			break;
		case 'z':
			zone = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return cli_bad_option("book", argv);
		}
	}
	/* Exactly one way of choosing: seats by label, a hold, or best. */
	nlab = argc - optind - 1;
	modes = (hold != NULL) + (best != NULL) + (nlab > 0);
	if (argc - optind < 1 || user == NULL || modes != 1 ||
	    (zone != NULL && best == NULL)) {
		if (modes > 1)
			cli_msg("book: name seats, or --hold, or --best, "
			        "not two of them");
		return cli_usage("book");
	}
	if ((code = cli_id("show", argv[optind], &show)) != 0 ||
	    (code = cli_id("user", user, &uid)) != 0 ||
	    (hold != NULL && (code = cli_id("hold", hold, &hid)) != 0))
		return code;
	if (best != NULL && (sl_parse_id(best, &n) != 0 || n > 50)) {
		cli_msg("--best takes a number of seats from 1 to 50, not "
		        "\"%s\"",
		    best);
		return CLI_EXIT_USAGE;
	}
	if (zone != NULL && sl_zone_code_normalize(zone, zbuf) != 0) {
		cli_msg("\"%s\" is not a zone code (letters, digits, _ and -, "
		        "at most 32)",
		    zone);
		return CLI_EXIT_USAGE;
	}
	if (key != NULL && (strlen(key) == 0 || strlen(key) > 200)) {
		cli_msg("the request key must be 1 to 200 characters");
		return CLI_EXIT_USAGE;
	}
	if (nlab > 0 && (code = cli_labels_parse(&l, argv + optind + 1,
	    (size_t)nlab)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0) {
		cli_labels_free(&l);
		return code;
	}
	sl_err_clear(&e);
	if (hold != NULL)
		rc = sl_sell_hold(db, show, hid, uid, key, &b, &nb, &e);
	else if (best != NULL)
		rc = sl_sell_best(db, show, (int)n, uid,
		    zone != NULL ? zbuf : NULL, key, &b, &nb, &e);
	else
		rc = sl_book_seats(db, show, l.p, l.n, uid, key, &b, &nb, &e);
	cli_labels_free(&l);
	if (rc != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	cli_print_bookings(db, b, nb, json, "booked");
	free(b);
	sl_db_close(db);
	return 0;
}

/* ---- holds ----------------------------------------------------------- */

int
cli_hold(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ "reason", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 }
	};
	const char *seconds = NULL, *reason = NULL, *why;
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	char expires[48];
	int64_t show, secs = 0, id;
	int c, code;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seconds = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		default:
			return cli_bad_option("hold", argv);
		}
	}
	if (argc - optind < 2)
		return cli_usage("hold");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if (seconds != NULL &&
	    (sl_parse_id(seconds, &secs) != 0 ||
	        secs > (reason != NULL ? 366 * 86400 : 86400))) {
		cli_msg("--seconds takes 1 to %d, not \"%s\"",
		    reason != NULL ? 366 * 86400 : 86400, seconds);
		return CLI_EXIT_USAGE;
	}
	if (reason != NULL && sl_text_valid(reason, SL_REASON_MAX, &why) != 0) {
		cli_msg("the reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_labels_parse(&l, argv + optind + 1,
	         (size_t)(argc - optind - 1))) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0) {
		cli_labels_free(&l);
		return code;
	}
	sl_err_clear(&e);
	if (sl_hold_seats(db, show, l.p, l.n, secs, reason, &id, expires, &e) !=
	    SL_OK)
		code = cli_fail(&e);
	else {
		printf("%" PRId64 "\n", id);
		cli_msg("%s %zu seat%s for %s%s%s",
		    reason != NULL ? "blocked" : "held", l.n,
		    l.n == 1 ? "" : "s", sl_db_terminal(db),
		    expires[0] != '\0' ? " until " : "", expires);
	}
	cli_labels_free(&l);
	sl_db_close(db);
	return code;
}

int
cli_release(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	int64_t id, show, n;
	int code, expired;

	if (argc != 2)
		return cli_usage("release");
	if ((code = cli_id("hold", argv[1], &id)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_hold_release(db, id, &show, &n, &expired, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	cli_msg("%s hold %" PRId64 " of show %" PRId64 ": %" PRId64
	        " seat%s free",
	    expired ? "ended the expired" : "released", id, show, n,
	    n == 1 ? "" : "s");
	sl_db_close(db);
	return 0;
}

int
cli_holds(struct cli *cli, int argc, char **argv)
{
	struct sl_hold *v;
	struct sl_db *db;
	struct sl_err e;
	int64_t show;
	size_t n, i, k;
	int code, json = 0;

	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		json = 1;
	else if (argc == 3 && strcmp(argv[1], "--json") == 0) {
		json = 1;
		argv[1] = argv[2];
	} else if (argc != 2)
		return cli_usage("holds");
	if ((code = cli_id("show", argv[1], &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_hold_list(db, show, &v, &n, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	if (json)
		putchar('[');
	else if (n > 0)
		printf("%-8s %-6s %-26s %-16s %s\n", "HOLD", "KIND", "EXPIRES",
		    "TERMINAL", "SEATS / REASON");
	for (i = 0; i < n; i++) {
		const struct sl_hold *h = &v[i];

		if (json) {
			printf("%s{\"id\":%" PRId64 ",\"show\":%" PRId64
			       ",\"kind\":\"%s\",\"held_by\":",
			    i ? "," : "", h->id, h->show,
			    h->block ? "block" : "hold");
			cli_json_str(stdout, h->terminal);
			fputs(",\"actor\":", stdout);
			cli_json_str(stdout, h->actor);
			fputs(",\"reason\":", stdout);
			cli_json_str_or_null(stdout, h->reason);
			fputs(",\"created_at\":", stdout);
			cli_json_str(stdout, h->created_at);
			fputs(",\"expires_at\":", stdout);
			cli_json_str_or_null(stdout,
			    h->expires_at[0] != '\0' ? h->expires_at : NULL);
			printf(",\"expired\":%s,\"seats\":[",
			    h->expired ? "true" : "false");
			for (k = 0; k < h->nseats; k++) {
				if (k > 0)
					putchar(',');
				cli_json_str(stdout, h->label[k]);
			}
			fputs("]}", stdout);
			continue;
		}
		printf("%-8" PRId64 " %-6s %-26s ", h->id,
		    h->block ? "block" : "hold",
		    h->expired                     ? "expired"
		        : h->expires_at[0] != '\0' ? h->expires_at
		                                   : "never");
		cli_safe_str(stdout, h->terminal);
		fputs("  ", stdout);
		for (k = 0; k < h->nseats; k++)
			printf("%s%s", k ? " " : "", h->label[k]);
		if (h->reason != NULL) {
			fputs(" / ", stdout);
			cli_safe_str(stdout, h->reason);
		}
		putchar('\n');
	}
	if (json)
		puts("]");
	sl_hold_list_free(v, n);
	sl_db_close(db);
	return 0;
}

int
cli_sweep(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	int64_t show = 0, n;
	int code;

	if (argc > 2)
		return cli_usage("sweep");
	if (argc == 2 && (code = cli_id("show", argv[1], &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_hold_sweep(db, show, &n, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	printf("%" PRId64 "\n", n);
	sl_db_close(db);
	return 0;
}

/* ---- exchange -------------------------------------------------------- */

/* Parses "12" or "12,13,14" into a fresh array.  0 or an exit code. */
static int
cli_booking_ids(const char *s, int64_t **out, size_t *n)
{
	char buf[32];
	const char *p = s;
	size_t k;

	*n = 0;
	*out = calloc(strlen(s) / 2 + 1, sizeof **out);
	if (*out == NULL) {
		cli_msg("out of memory");
		return CLI_EXIT_ERROR;
	}
	for (;;) {
		k = strcspn(p, ",");
		if (k == 0 || k >= sizeof buf)
			break;
		memcpy(buf, p, k);
		buf[k] = '\0';
		if (sl_parse_id(buf, &(*out)[*n]) != 0)
			break;
		(*n)++;
		if (p[k] == '\0')
			return 0;
		p += k + 1;
	}
	cli_msg("booking \"%s\" is not an id or a list of ids (12,13,14)", s);
	free(*out);
	*out = NULL;
	return CLI_EXIT_USAGE;
}

int
cli_exchange(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "show", required_argument, NULL,
		                                  's' },
		{ "reason", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 } };
	const char *to = NULL, *reason = NULL, *key = NULL, *why;
	struct sl_booking *b = NULL;
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	int64_t *ids = NULL, show = 0, old_total;
	size_t nids, nb;
	char m1[64], m2[64], m3[64];
	int c, code, json = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			to = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return cli_bad_option("exchange", argv);
		}
	}
	if (argc - optind < 2)
		return cli_usage("exchange");
	if (to != NULL && (code = cli_id("show", to, &show)) != 0)
		return code;
	if (reason != NULL && sl_text_valid(reason, SL_REASON_MAX, &why) != 0) {
		cli_msg("the reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if (key != NULL && (strlen(key) == 0 || strlen(key) > 200)) {
		cli_msg("the request key must be 1 to 200 characters");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_booking_ids(argv[optind], &ids, &nids)) != 0)
		return code;
	if ((code = cli_labels_parse(&l, argv + optind + 1,
	         (size_t)(argc - optind - 1))) != 0) {
		free(ids);
		return code;
	}
	if (l.n != nids) {
		cli_msg("an exchange names one new seat for each booking "
		        "(%zu bookings, %zu seats)",
		    nids, l.n);
		code = CLI_EXIT_USAGE;
		goto out;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		goto out;
	sl_err_clear(&e);
	if (sl_sell_exchange(db, ids, nids, show, l.p, l.n, reason, key, &b,
	        &nb, &old_total, &e) != SL_OK)
		code = cli_fail(&e);
	else {
		cli_print_bookings(db, b, nb, json, "exchanged to");
		sl_money_format(old_total, sl_db_currency(db), m1, sizeof m1);
		sl_money_format(sl_booking_total(b, nb), sl_db_currency(db), m2,
		    sizeof m2);
		sl_money_format(sl_booking_total(b, nb) - old_total,
		    sl_db_currency(db), m3, sizeof m3);
		cli_msg("old total %s, new total %s, difference %s", m1, m2,
		    m3);
	}
	free(b);
	sl_db_close(db);
out:
	cli_labels_free(&l);
	free(ids);
	return code;
}

/* ---- zones ----------------------------------------------------------- */

int
cli_zone_set(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "price", required_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' },
		{ "rank", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 }
	};
	const char *price = NULL, *name = NULL, *rank = NULL, *why;
	char zone[SL_ZONE_MAX + 1], money[64];
	struct sl_db *db;
	struct sl_err e;
	int64_t show, cents, r = 0, joined;
	int c, code;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			price = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'r':
			rank = optarg;
			break;
		default:
			return cli_bad_option("zone set", argv);
		}
	}
	if (argc - optind != 2 || price == NULL)
		return cli_usage("zone set");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if (sl_zone_code_normalize(argv[optind + 1], zone) != 0) {
		cli_msg("\"%s\" is not a zone code (letters, digits, _ and -, "
		        "at most 32)",
		    argv[optind + 1]);
		return CLI_EXIT_USAGE;
	}
	if (sl_money_parse(price, &cents) != 0) {
		cli_msg("\"%s\" is not a price (like 45 or 45.50)", price);
		return CLI_EXIT_USAGE;
	}
	if (rank != NULL && (sl_parse_id(rank, &r) != 0 || r > 1000)) {
		cli_msg("--rank takes 1 (the best) to 1000, not \"%s\"", rank);
		return CLI_EXIT_USAGE;
	}
	if (name != NULL && sl_text_valid(name, 100, &why) != 0) {
		cli_msg("the zone name %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_zone_set(db, show, zone, name, cents, (int32_t)r, &joined, &e) !=
	    SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	sl_money_format(cents, sl_db_currency(db), money, sizeof money);
	cli_msg("zone %s of show %" PRId64 " costs %s; %" PRId64 " seat%s "
	        "joined it from the layout",
	    zone, show, money, joined, joined == 1 ? "" : "s");
	sl_db_close(db);
	return 0;
}

int
cli_zone_assign(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "section", required_argument,
		                                  NULL, 's' },
		{ "row", required_argument, NULL, 'r' }, { NULL, 0, NULL, 0 } };
	const char *section = NULL, *row = NULL;
	char zone[SL_ZONE_MAX + 1];
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	int64_t show, n;
	int c, code;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			section = optarg;
			break;
		case 'r':
			row = optarg;
			break;
		default:
			return cli_bad_option("zone assign", argv);
		}
	}
	if (argc - optind < 2 || (argc - optind > 2) == (section != NULL) ||
	    (row != NULL && section == NULL))
		return cli_usage("zone assign");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if (sl_zone_code_normalize(argv[optind + 1], zone) != 0) {
		cli_msg("\"%s\" is not a zone code (letters, digits, _ and -, "
		        "at most 32)",
		    argv[optind + 1]);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_labels_parse(&l, argv + optind + 2,
	         (size_t)(argc - optind - 2))) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0) {
		cli_labels_free(&l);
		return code;
	}
	sl_err_clear(&e);
	if (sl_zone_assign(db, show, zone, section, row, l.p, l.n, &n, &e) !=
	    SL_OK)
		code = cli_fail(&e);
	else
		cli_msg("%" PRId64 " seat%s of show %" PRId64 " now in zone %s",
		    n, n == 1 ? "" : "s", show, zone);
	cli_labels_free(&l);
	sl_db_close(db);
	return code;
}

int
cli_zones(struct cli *cli, int argc, char **argv)
{
	struct sl_zone *v;
	struct sl_db *db;
	struct sl_err e;
	char money[64];
	int64_t show;
	size_t n, i;
	int code, json = 0;

	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		json = 1;
	else if (argc == 3 && strcmp(argv[1], "--json") == 0) {
		json = 1;
		argv[1] = argv[2];
	} else if (argc != 2)
		return cli_usage("zones");
	if ((code = cli_id("show", argv[1], &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_zone_list(db, show, &v, &n, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	if (json)
		putchar('[');
	else if (n > 0)
		printf("%-4s %-12s %16s %7s  %s\n", "RANK", "ZONE", "PRICE",
		    "SEATS", "NAME");
	for (i = 0; i < n; i++) {
		if (json) {
			printf("%s{\"zone\":", i ? "," : "");
			cli_json_str(stdout, v[i].code);
			fputs(",\"name\":", stdout);
			cli_json_str(stdout, v[i].name);
			printf(",\"price_cents\":%" PRId64 ",\"currency\":",
			    v[i].price_cents);
			cli_json_str(stdout, sl_db_currency(db));
			printf(",\"rank\":%d,\"seats\":%" PRId64 "}",
			    (int)v[i].rank, v[i].seats);
			continue;
		}
		sl_money_format(v[i].price_cents, sl_db_currency(db), money,
		    sizeof money);
		printf("%-4d %-12s %16s %7" PRId64 "  ", (int)v[i].rank,
		    v[i].code, money, v[i].seats);
		cli_safe_str(stdout, v[i].name);
		putchar('\n');
	}
	if (json)
		puts("]");
	sl_zone_list_free(v, n);
	sl_db_close(db);
	return 0;
}

/* ---- customers ------------------------------------------------------- */

static void
cli_customer_json(const struct sl_customer *c)
{
	printf("{\"id\":%" PRId64 ",\"name\":", c->id);
	cli_json_str(stdout, c->name);
	fputs(",\"email\":", stdout);
	cli_json_str(stdout, c->email);
	fputs(",\"phone\":", stdout);
	cli_json_str_or_null(stdout, c->phone);
	fputs(",\"created_at\":", stdout);
	cli_json_str(stdout, c->created_at);
}

int
cli_user_find(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "limit", required_argument,
		                                  NULL, 'l' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 } };
	const char *why;
	struct sl_customer *v;
	struct sl_db *db;
	struct sl_err e;
	int64_t limit = 50;
	size_t n, i;
	int c, code, json = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (sl_parse_id(optarg, &limit) != 0 || limit > 1000) {
				cli_msg("--limit takes 1 to 1000, not \"%s\"",
				    optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'j':
			json = 1;
			break;
		default:
			return cli_bad_option("user find", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage("user find");
	if (sl_text_valid(argv[optind], SL_FIND_MAX, &why) != 0) {
		cli_msg("the search text %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_customer_find(db, argv[optind], (size_t)limit, &v, &n, &e) !=
	    SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	if (json)
		putchar('[');
	else if (n > 0)
		printf("%-8s %-30s %-32s %s\n", "ID", "NAME", "EMAIL", "PHONE");
	for (i = 0; i < n; i++) {
		if (json) {
			if (i > 0)
				putchar(',');
			cli_customer_json(&v[i]);
			putchar('}');
			continue;
		}
		printf("%-8" PRId64 " ", v[i].id);
		cli_safe_str(stdout, v[i].name);
		fputs("  ", stdout);
		cli_safe_str(stdout, v[i].email);
		fputs("  ", stdout);
		cli_safe_str(stdout, v[i].phone != NULL ? v[i].phone : "");
		putchar('\n');
	}
	if (json)
		puts("]");
	else if (n == 0)
		cli_msg("no customer found");
	sl_customer_list_free(v, n);
	sl_db_close(db);
	return 0;
}

int
cli_user_show(struct cli *cli, int argc, char **argv)
{
	struct sl_history *h;
	struct sl_db *db;
	struct sl_err e;
	char money[64];
	int64_t id;
	size_t i;
	int code, json = 0;

	if (argc == 3 && strcmp(argv[2], "--json") == 0)
		json = 1;
	else if (argc == 3 && strcmp(argv[1], "--json") == 0) {
		json = 1;
		argv[1] = argv[2];
	} else if (argc != 2)
		return cli_usage("user show");
	if ((code = cli_id("user", argv[1], &id)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_customer_history(db, id, &h, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	if (json) {
		cli_customer_json(&h->customer);
		printf(",\"active\":%" PRId64 ",\"spent_cents\":%" PRId64
		       ",\"currency\":",
		    h->active, h->spent_cents);
		cli_json_str(stdout, sl_db_currency(db));
		fputs(",\"bookings\":[", stdout);
		for (i = 0; i < h->n; i++) {
			const struct sl_customer_booking *b = &h->booking[i];

			printf("%s{\"id\":%" PRId64 ",\"show\":%" PRId64
			       ",\"title\":",
			    i ? "," : "", b->id, b->show);
			cli_json_str(stdout, b->title);
			fputs(",\"starts_at\":", stdout);
			cli_json_str(stdout, b->starts_at);
			fputs(",\"label\":", stdout);
			cli_json_str(stdout, b->label);
			fputs(",\"zone\":", stdout);
			cli_json_str_or_null(stdout,
			    b->zone[0] != '\0' ? b->zone : NULL);
			printf(",\"status\":\"%s\",\"price_cents\":%" PRId64
			       ",\"booked_at\":",
			    b->active ? "active" : "cancelled", b->price_cents);
			cli_json_str(stdout, b->booked_at);
			fputs(",\"cancelled_at\":", stdout);
			cli_json_str_or_null(stdout,
			    b->cancelled_at[0] != '\0' ? b->cancelled_at
			                               : NULL);
			putchar('}');
		}
		puts("]}");
	} else {
		printf("customer %" PRId64 ": ", h->customer.id);
		cli_safe_str(stdout, h->customer.name);
		fputs(" <", stdout);
		cli_safe_str(stdout, h->customer.email);
		putchar('>');
		if (h->customer.phone != NULL) {
			putchar(' ');
			cli_safe_str(stdout, h->customer.phone);
		}
		sl_money_format(h->spent_cents, sl_db_currency(db), money,
		    sizeof money);
		printf("\n%" PRId64 " active booking%s, %s\n", h->active,
		    h->active == 1 ? "" : "s", money);
		if (h->n > 0)
			printf("%-8s %-9s %-25s %-8s %16s  %s\n", "BOOKING",
			    "STATUS", "STARTS", "SEAT", "PRICE", "SHOW");
		for (i = 0; i < h->n; i++) {
			const struct sl_customer_booking *b = &h->booking[i];

			sl_money_format(b->price_cents, sl_db_currency(db),
			    money, sizeof money);
			printf("%-8" PRId64 " %-9s %-25s %-8s %16s  %" PRId64
			       " ",
			    b->id, b->active ? "active" : "cancelled",
			    b->starts_at, b->label, money, b->show);
			cli_safe_str(stdout, b->title);
			putchar('\n');
		}
	}
	sl_history_free(h);
	sl_db_close(db);
	return 0;
}

/* ---- reports --------------------------------------------------------- */

static void
cli_report_line_json(const struct sl_report_line *l)
{
	printf("\"seats\":%" PRId64 ",\"sold\":%" PRId64 ",\"held\":%" PRId64
	       ",\"blocked\":%" PRId64 ",\"available\":%" PRId64
	       ",\"revenue_cents\":%" PRId64,
	    l->seats, l->sold, l->held, l->blocked, l->available,
	    l->revenue_cents);
}

static void
cli_report_line_text(const char *zone, const char *price,
    const struct sl_report_line *l, const char *currency)
{
	char rev[64];

	sl_money_format(l->revenue_cents, currency, rev, sizeof rev);
	printf("  %-12s %14s %7" PRId64 " %7" PRId64 " %7" PRId64 " %7" PRId64
	       " %9" PRId64 " %18s\n",
	    zone, price, l->seats, l->sold, l->held, l->blocked, l->available,
	    rev);
}

static void
cli_report_json(const struct sl_report *r)
{
	size_t i, k;

	fputs("{\"currency\":", stdout);
	cli_json_str(stdout, r->currency);
	fputs(",\"day\":", stdout);
	cli_json_str_or_null(stdout, r->day[0] != '\0' ? r->day : NULL);
	fputs(",\"shows\":[", stdout);
	for (i = 0; i < r->nshows; i++) {
		const struct sl_report_show *s = &r->show[i];

		printf("%s{\"id\":%" PRId64 ",\"title\":", i ? "," : "", s->id);
		cli_json_str(stdout, s->title);
		fputs(",\"venue\":", stdout);
		cli_json_str(stdout, s->venue);
		fputs(",\"starts_at\":", stdout);
		cli_json_str(stdout, s->starts_at);
		putchar(',');
		cli_report_line_json(&s->total);
		fputs(",\"zones\":[", stdout);
		for (k = 0; k < s->nzones; k++) {
			const struct sl_report_line *l = &r->zone[s->first + k];

			fputs(k ? ",{\"zone\":" : "{\"zone\":", stdout);
			cli_json_str_or_null(stdout,
			    l->zone[0] != '\0' ? l->zone : NULL);
			fputs(",\"name\":", stdout);
			cli_json_str_or_null(stdout, l->zone_name);
			printf(",\"price_cents\":%" PRId64 ",", l->price_cents);
			cli_report_line_json(l);
			putchar('}');
		}
		fputs("]}", stdout);
	}
	fputs("],\"total\":{", stdout);
	cli_report_line_json(&r->total);
	fputs("},\"clerks\":[", stdout);
	for (i = 0; i < r->nclerks; i++) {
		fputs(i ? ",{\"actor\":" : "{\"actor\":", stdout);
		cli_json_str(stdout, r->clerk[i].actor);
		fputs(",\"terminal\":", stdout);
		cli_json_str_or_null(stdout,
		    r->clerk[i].terminal[0] != '\0' ? r->clerk[i].terminal
		                                    : NULL);
		printf(",\"sold\":%" PRId64 ",\"revenue_cents\":%" PRId64 "}",
		    r->clerk[i].sold, r->clerk[i].revenue_cents);
	}
	puts("]}");
}

static void
cli_report_text(const struct sl_report *r)
{
	char price[64], rev[64];
	size_t i, k;

	if (r->day[0] != '\0')
		printf("shows starting on %s: %zu\n", r->day, r->nshows);
	for (i = 0; i < r->nshows; i++) {
		const struct sl_report_show *s = &r->show[i];

		printf("\nshow %" PRId64 " ", s->id);
		cli_safe_str(stdout, s->title);
		fputs(" / ", stdout);
		cli_safe_str(stdout, s->venue);
		printf(" / %s\n", s->starts_at);
		printf("  %-12s %14s %7s %7s %7s %7s %9s %18s\n", "ZONE",
		    "PRICE", "SEATS", "SOLD", "HELD", "BLOCKED", "AVAILABLE",
		    "REVENUE");
		for (k = 0; k < s->nzones; k++) {
			const struct sl_report_line *l = &r->zone[s->first + k];

			sl_money_format(l->price_cents, NULL, price,
			    sizeof price);
			cli_report_line_text(l->zone[0] != '\0' ? l->zone
			                                        : "(none)",
			    l->zone[0] != '\0' ? price : "-", l, r->currency);
		}
		cli_report_line_text("total", "", &s->total, r->currency);
	}
	if (r->nshows > 1) {
		putchar('\n');
		cli_report_line_text("all shows", "", &r->total, r->currency);
	}
	printf("\nsales by clerk (seats still sold)\n");
	if (r->nclerks > 0)
		printf("  %-20s %-20s %7s %18s\n", "ACTOR", "TERMINAL", "SOLD",
		    "REVENUE");
	for (i = 0; i < r->nclerks; i++) {
		sl_money_format(r->clerk[i].revenue_cents, r->currency, rev,
		    sizeof rev);
		fputs("  ", stdout);
		cli_safe_str(stdout, r->clerk[i].actor);
		printf("%*s",
		    (int)(strlen(r->clerk[i].actor) < 20
		            ? 21 - strlen(r->clerk[i].actor)
		            : 1),
		    "");
		cli_safe_str(stdout, r->clerk[i].terminal);
		printf("%*s%7" PRId64 " %18s\n",
		    (int)(strlen(r->clerk[i].terminal) < 20
		            ? 21 - strlen(r->clerk[i].terminal)
		            : 1),
		    "", r->clerk[i].sold, rev);
	}
}

int
cli_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "day", required_argument, NULL,
		                                  'd' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 } };
	const char *day = NULL;
	struct sl_report *r;
	struct sl_db *db;
	struct sl_err e;
	int64_t show = 0;
	int c, code, json = 0;
	enum sl_rc rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			day = optarg;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return cli_bad_option("report", argv);
		}
	}
	if ((argc - optind == 1) == (day != NULL) || argc - optind > 1)
		return cli_usage("report");
	if (day == NULL && (code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if (day != NULL && sl_report_date_valid(day) != 0) {
		cli_msg("\"%s\" is not a date (YYYY-MM-DD)", day);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (day != NULL)
		rc = sl_report_day(db, day, &r, &e);
	else
		rc = sl_report_show(db, show, &r, &e);
	if (rc != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	if (json)
		cli_report_json(r);
	else
		cli_report_text(r);
	sl_report_free(r);
	sl_db_close(db);
	return 0;
}
