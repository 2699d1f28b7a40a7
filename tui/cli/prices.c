/*
 * prices.c - seatlock price set, prices: the price types of a show's
 * zones (adult, concession, child...).
 *
 * Each command parses its arguments completely before it connects (bad
 * usage never touches the database), then calls one core function.  Data
 * goes to stdout (a table, or JSON with --json), messages to stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_price.h"

static int
cli_price_set(struct cli *cli, int argc, char **argv)
{
	const char *name = NULL, *why;
	char zone[SL_ZONE_MAX + 1], type[SL_PRICE_CODE_MAX + 1];
	char money[SL_MONEY_BUF];
	struct sl_db *db;
	struct sl_err e;
	int64_t show, cents;
	int code, dflt = 0, created;
	const struct cli_opt opts[] = {
		{ "name", required_argument, &name, NULL },
		{ "default", no_argument, NULL, &dflt },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("price set", argc, argv, opts)) != 0)
		return code;
	if (argc - optind != 4)
		return cli_usage("price set");
	if ((code = cli_id("show", argv[optind], &show)) != 0 ||
	    (code = cli_zone_code(argv[optind + 1], zone)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_price_code_check(argv[optind + 2], type, &e) != SL_OK ||
	    sl_money_parse(argv[optind + 3], "price", &cents, &e) != SL_OK)
		return cli_fail(&e);
	if (name != NULL && sl_text_valid(name, 100, &why) != 0) {
		cli_msg("the price type's name %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	if (sl_price_set(db, show, zone, type, name, cents, dflt, &created,
	        &e) != SL_OK)
		return cli_db_fail(db, &e);
	sl_money_format(cents, sl_db_currency(db), money, sizeof money);
	cli_msg("price type %s of zone %s of show %" PRId64 " costs %s "
	        "(%s%s)", type, zone, show, money, created ? "new" : "changed",
	    dflt ? ", the zone's default" : "");
	sl_db_close(db);
	return 0;
}

/* One price type of `prices --json`. */
static void
cli_price_json(const struct sl_price *p, const char *currency, int first)
{
	char money[SL_MONEY_BUF];

	sl_money_format(p->price_cents, NULL, money, sizeof money);
	printf("%s{\"zone\":", first ? "" : ",");
	cli_json_str(stdout, p->zone);
	cli_json_field(stdout, "type", p->code);
	cli_json_field(stdout, "name", p->name);
	cli_json_field(stdout, "price", money);
	printf(",\"price_cents\":%" PRId64 ",\"currency\":", p->price_cents);
	cli_json_str(stdout, currency);
	printf(",\"default\":%s}", p->is_default ? "true" : "false");
}

static int
cli_prices(struct cli *cli, int argc, char **argv)
{
	struct cli_one o;
	struct sl_price *v;
	char money[SL_MONEY_BUF];
	size_t n, i;
	int code;

	if ((code = cli_one_open(cli, &o, "prices", "show", argc, argv)) != 0)
		return code;
	if (sl_price_list(o.db, o.id, &v, &n, &o.e) != SL_OK)
		return cli_db_fail(o.db, &o.e);
	cli_list_start(o.json, n, "%-12s %-12s %16s %-7s  %s\n",
	    "ZONE", "TYPE", "PRICE", "DEFAULT", "NAME");
	for (i = 0; i < n; i++) {
		if (o.json) {
			cli_price_json(&v[i], sl_db_currency(o.db), i == 0);
			continue;
		}
		sl_money_format(v[i].price_cents, sl_db_currency(o.db), money,
		    sizeof money);
		printf("%-12s %-12s %16s %-7s  ", v[i].zone, v[i].code, money,
		    v[i].is_default ? "yes" : "");
		cli_safe_str(stdout, v[i].name);
		putchar('\n');
	}
	sl_price_list_free(v, n);
	return cli_list_done(o.json, o.db);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_price_set_entry = {
	"price set", cli_price_set,
	"price set SHOW ZONE TYPE AMOUNT [--name N] [--default]",
	"set a price type of a show's zone (supervisor)"
};

const struct cli_cmd cli_prices_entry = {
	"prices", cli_prices,
	"prices SHOW [--json]",
	"list a show's price types"
};
