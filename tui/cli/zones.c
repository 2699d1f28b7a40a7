/*
 * zones.c - seatlock zone set, zone assign, zones: price zones.
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
#include "sl_zone.h"

static int
cli_zone_set(struct cli *cli, int argc, char **argv)
{
	const char *price = NULL, *name = NULL, *rank = NULL, *why;
	char zone[SL_ZONE_MAX + 1], money[64];
	struct sl_db *db;
	struct sl_err e;
	int64_t show, cents, r = 0, joined;
	int code;
	const struct cli_opt opts[] = {
		{ "price", required_argument, &price, NULL },
		{ "name", required_argument, &name, NULL },
		{ "rank", required_argument, &rank, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("zone set", argc, argv, opts)) != 0)
		return code;
	if (argc - optind != 2 || price == NULL)
		return cli_usage("zone set");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if ((code = cli_zone_code(argv[optind + 1], zone)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_money_parse(price, "price", &cents, &e) != SL_OK)
		return cli_fail(&e);
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
	    SL_OK)
		return cli_db_fail(db, &e);
	sl_money_format(cents, sl_db_currency(db), money, sizeof money);
	cli_msg("zone %s of show %" PRId64 " costs %s; %" PRId64 " seat%s "
	        "joined it from the layout",
	    zone, show, money, joined, joined == 1 ? "" : "s");
	sl_db_close(db);
	return 0;
}

static int
cli_zone_assign(struct cli *cli, int argc, char **argv)
{
	const char *section = NULL, *row = NULL;
	char zone[SL_ZONE_MAX + 1];
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	int64_t show, n;
	int code;
	const struct cli_opt opts[] = {
		{ "section", required_argument, &section, NULL },
		{ "row", required_argument, &row, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("zone assign", argc, argv, opts)) != 0)
		return code;
	if (argc - optind < 2 || (argc - optind > 2) == (section != NULL) ||
	    (row != NULL && section == NULL))
		return cli_usage("zone assign");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if ((code = cli_zone_code(argv[optind + 1], zone)) != 0)
		return code;
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

static int
cli_zones(struct cli *cli, int argc, char **argv)
{
	struct cli_one o;
	struct sl_zone *v;
	char money[64];
	size_t n, i;
	int code;

	if ((code = cli_one_open(cli, &o, "zones", "show", argc, argv)) != 0)
		return code;
	if (sl_zone_list(o.db, o.id, &v, &n, &o.e) != SL_OK)
		return cli_db_fail(o.db, &o.e);
	cli_list_start(o.json, n, "%-4s %-12s %16s %7s  %s\n",
	    "RANK", "ZONE", "PRICE", "SEATS", "NAME");
	for (i = 0; i < n; i++) {
		if (o.json) {
			printf("%s{\"zone\":", i ? "," : "");
			cli_json_str(stdout, v[i].code);
			cli_json_field(stdout, "name", v[i].name);
			printf(",\"price_cents\":%" PRId64 ",\"currency\":",
			    v[i].price_cents);
			cli_json_str(stdout, sl_db_currency(o.db));
			printf(",\"rank\":%d,\"seats\":%" PRId64 "}",
			    (int)v[i].rank, v[i].seats);
			continue;
		}
		sl_money_format(v[i].price_cents, sl_db_currency(o.db), money,
		    sizeof money);
		printf("%-4d %-12s %16s %7" PRId64 "  ", (int)v[i].rank,
		    v[i].code, money, v[i].seats);
		cli_safe_str(stdout, v[i].name);
		putchar('\n');
	}
	sl_zone_list_free(v, n);
	return cli_list_done(o.json, o.db);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_zone_set_entry = {
	"zone set", cli_zone_set,
	"zone set SHOW ZONE --price AMOUNT [--name N] [--rank R]",
	"define a price zone of a show (supervisor)"
};

const struct cli_cmd cli_zone_assign_entry = {
	"zone assign", cli_zone_assign,
	"zone assign SHOW ZONE (LABEL... | --section S [--row R])",
	"put seats into a zone (supervisor)"
};

const struct cli_cmd cli_zones_entry = {
	"zones", cli_zones,
	"zones SHOW [--json]",
	"list a show's price zones"
};
