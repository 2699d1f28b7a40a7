/*
 * sales.c - seatlock pay, sale, voucher add, vouchers, auth, setting
 * refund-limit: what a sale needs beyond its seats (book.c sells them).
 *
 * Each command parses its arguments completely before it connects (bad
 * usage never touches the database), then calls one core function
 * (sl_sale.h).  Data goes to stdout, messages to stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/saleargs.h"
#include "sl_money.h"
#include "sl_sale.h"

static int
cli_pay(struct cli *cli, int argc, char **argv)
{
	const char *method, *cur;
	char m[SL_MONEY_BUF], c[SL_MONEY_BUF], d[SL_MONEY_BUF];
	struct sl_paid paid;
	struct sl_db *db;
	struct sl_err e;
	int64_t sale, cents;
	int code, json = 0;
	const struct cli_opt opts[] = {
		{ "json", no_argument, NULL, &json },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("pay", argc, argv, opts)) != 0)
		return code;
	if (argc - optind != 2)
		return cli_usage("pay");
	if ((code = cli_id("sale", argv[optind], &sale)) != 0 ||
	    (code = cli_pay_parse(argv[optind + 1], &method, &cents)) != 0 ||
	    (code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_sale_pay(db, sale, method, cents, &paid, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cur = sl_db_currency(db);
	sl_money_format(paid.amount_cents, cur, m, sizeof m);
	sl_money_format(paid.change_cents, cur, c, sizeof c);
	sl_money_format(paid.due_cents, cur, d, sizeof d);
	if (json)
		printf("{\"sale\":%" PRId64 ",\"method\":\"%s\","
		       "\"amount_cents\":%" PRId64 ",\"change_cents\":%" PRId64
		       ",\"due_cents\":%" PRId64 "}\n",
		    sale, method, paid.amount_cents, paid.change_cents,
		    paid.due_cents);
	cli_msg("sale %" PRId64 ": took %s by %s, change %s, still due %s",
	    sale, m, method, c, d);
	sl_db_close(db);
	return 0;
}

static int
cli_sale(struct cli *cli, int argc, char **argv)
{
	struct cli_one o;
	json_t *doc;
	int code;

	if ((code = cli_one_open(cli, &o, "sale", "sale", argc, argv)) != 0)
		return code;
	if (sl_sale_get(o.db, o.id, &doc, &o.e) != SL_OK)
		return cli_db_fail(o.db, &o.e);
	if (o.json) {
		json_object_set_new(doc, "currency",
		    json_string(sl_db_currency(o.db)));
		json_dumpf(doc, stdout, JSON_COMPACT);
		putchar('\n');
	} else
		cli_receipt(stdout, doc, sl_db_currency(o.db));
	json_decref(doc);
	sl_db_close(o.db);
	return 0;
}

/* ---- vouchers ---------------------------------------------------------- */

static int
cli_voucher_add(struct cli *cli, int argc, char **argv)
{
	const char *pct = NULL, *amount = NULL, *uses = NULL, *until = NULL;
	char off[SL_MONEY_BUF];
	struct sl_db *db;
	struct sl_err e;
	int64_t p = 0, cents = 0, n = 1;
	int code;
	const struct cli_opt opts[] = {
		{ "percent", required_argument, &pct, NULL },
		{ "amount", required_argument, &amount, NULL },
		{ "uses", required_argument, &uses, NULL },
		{ "until", required_argument, &until, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("voucher add", argc, argv, opts)) != 0)
		return code;
	if (argc - optind != 1 || (pct == NULL) == (amount == NULL))
		return cli_usage("voucher add");
	if ((pct != NULL && (code = cli_num("--percent", pct, 1, 100, &p))) ||
	    (amount != NULL &&
	    (code = cli_amount("voucher amount", amount, &cents)) != 0) ||
	    (uses != NULL && (code = cli_num("--uses", uses, 1, 1000000, &n))))
		return code;
	if (amount != NULL && cents == 0) {
		cli_msg("a voucher takes 0.01 or more off");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_voucher_add(db, argv[optind], (int)p, cents, (int)n, until,
	        &e) != SL_OK)
		return cli_db_fail(db, &e);
	if (pct != NULL)
		snprintf(off, sizeof off, "%" PRId64 "%%", p);
	else
		sl_money_format(cents, sl_db_currency(db), off, sizeof off);
	cli_msg("voucher %s added: %s off, %" PRId64 " use%s%s%s",
	    argv[optind], off, n, n == 1 ? "" : "s",
	    until != NULL ? ", until " : "",
	    until != NULL ? until : "");
	sl_db_close(db);
	return 0;
}

static int
cli_vouchers(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	json_t *arr, *v;
	char off[SL_MONEY_BUF];
	size_t i;
	int code, json = argc == 2 && strcmp(argv[1], "--json") == 0;

	if (argc != 1 && !json)
		return cli_usage("vouchers");
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_voucher_list(db, &arr, &e) != SL_OK)
		return cli_db_fail(db, &e);
	if (json) {
		json_dumpf(arr, stdout, JSON_COMPACT);
		putchar('\n');
	} else if (json_array_size(arr) > 0)
		printf("%-32s %16s %9s %9s  %s\n", "CODE", "OFF", "USED", "OF",
		    "UNTIL");
	json_array_foreach(json ? NULL : arr, i, v) {
		if (json_is_integer(json_object_get(v, "percent")))
			snprintf(off, sizeof off, "%" JSON_INTEGER_FORMAT "%%",
			    json_integer_value(json_object_get(v, "percent")));
		else
			cli_doc_money(v, "amount", sl_db_currency(db), off,
			    sizeof off);
		printf("%-32s %16s %9" JSON_INTEGER_FORMAT " %9"
		    JSON_INTEGER_FORMAT "  %s\n",
		    json_string_value(json_object_get(v, "code")), off,
		    json_integer_value(json_object_get(v, "uses")),
		    json_integer_value(json_object_get(v, "uses_max")),
		    json_is_string(json_object_get(v, "valid_until"))
			? json_string_value(json_object_get(v, "valid_until"))
			: "no end");
	}
	json_decref(arr);
	sl_db_close(db);
	return 0;
}

/* ---- a supervisor's code, settings --------------------------------------- */

static int
cli_auth(struct cli *cli, int argc, char **argv)
{
	const char *min = NULL;
	char code_s[SL_AUTH_MAX + 1], expires[48];
	struct sl_db *db;
	struct sl_err e;
	int64_t minutes = 10;
	int code;
	const struct cli_opt opts[] = {
		{ "minutes", required_argument, &min, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("auth", argc, argv, opts)) != 0)
		return code;
	if (argc != optind)
		return cli_usage("auth");
	if ((min != NULL && (code = cli_num("--minutes", min, 1, 60,
	         &minutes)) != 0) ||
	    (code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_auth_issue(db, (int)minutes, code_s, expires, &e) != SL_OK)
		return cli_db_fail(db, &e);
	printf("%s\n", code_s);
	cli_msg("a one-time code, valid until %s: the clerk gives it with "
	    "--auth", expires);
	sl_db_close(db);
	return 0;
}

static int
cli_setting_refund_limit(struct cli *cli, int argc, char **argv)
{
	char m[SL_MONEY_BUF];
	struct sl_db *db;
	struct sl_err e;
	int64_t cents;
	int code;

	if ((code = cli_options("setting refund-limit", argc, argv,
	         (const struct cli_opt[]){ { NULL, 0, NULL, NULL } })) != 0)
		return code;
	if (argc - optind != 1)
		return cli_usage("setting refund-limit");
	if ((code = cli_amount("refund limit", argv[optind], &cents)) != 0 ||
	    (code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_setting_set(db, "refund_limit_cents", cents, &e) != SL_OK)
		return cli_db_fail(db, &e);
	sl_money_format(cents, sl_db_currency(db), m, sizeof m);
	cli_msg("refunds above %s now need a supervisor", m);
	sl_db_close(db);
	return 0;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_pay_entry = {
	"pay", cli_pay,
	"pay SALE METHOD[:AMOUNT] [--json]",
	"take a payment for a sale with a balance due (cash: AMOUNT tendered)"
};

const struct cli_cmd cli_sale_entry = {
	"sale", cli_sale,
	"sale SALE [--json]",
	"show a sale: seats, types, prices, payments and refunds"
};

const struct cli_cmd cli_voucher_add_entry = {
	"voucher add", cli_voucher_add,
	"voucher add CODE (--percent P | --amount A) [--uses N] "
	"[--until TIME]",
	"add a voucher code (supervisor)"
};

const struct cli_cmd cli_vouchers_entry = {
	"vouchers", cli_vouchers,
	"vouchers [--json]",
	"list the vouchers and their uses"
};

const struct cli_cmd cli_auth_entry = {
	"auth", cli_auth,
	"auth [--minutes N]",
	"a supervisor's one-time code for a clerk's comp, discount or refund"
};

const struct cli_cmd cli_setting_refund_limit_entry = {
	"setting refund-limit", cli_setting_refund_limit,
	"setting refund-limit AMOUNT",
	"refunds above AMOUNT need a supervisor (supervisor)"
};
