/*
 * shifts.c - seatlock shift open, shift report, shift close: a clerk's
 * drawer from the float to the counted cash (X and Z reports).
 *
 * Each command parses its arguments completely before it connects, then
 * calls one core function (sl_sale.h).  Data goes to stdout (the report,
 * or its document with --json), messages to stderr.
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
cli_shift_open(struct cli *cli, int argc, char **argv)
{
	const char *flt = NULL;
	char m[SL_MONEY_BUF];
	struct sl_db *db;
	struct sl_err e;
	int64_t cents, id;
	int code;
	const struct cli_opt opts[] = {
		{ "float", required_argument, &flt, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("shift open", argc, argv, opts)) != 0)
		return code;
	if (argc != optind || flt == NULL)
		return cli_usage("shift open");
	if ((code = cli_amount("float", flt, &cents)) != 0 ||
	    (code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_shift_open(db, cents, &id, &e) != SL_OK)
		return cli_db_fail(db, &e);
	printf("%" PRId64 "\n", id);
	sl_money_format(cents, sl_db_currency(db), m, sizeof m);
	cli_msg("shift %" PRId64 " open at %s with a float of %s", id,
	    sl_db_terminal(db), m);
	sl_db_close(db);
	return 0;
}

/* The cents of key of the by_method row of method (0 if none). */
static int64_t
cli_method_cents(json_t *doc, const char *method, const char *key)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(doc, "by_method"), i, r) {
		const char *m = json_string_value(json_object_get(r, "method"));

		if (m != NULL && strcmp(m, method) == 0)
			return (int64_t)json_integer_value(
			    json_object_get(r, key));
	}
	return 0;
}

/* One line of the report: a name and an amount. */
static void
cli_report_line(const char *name, int64_t cents, const char *currency)
{
	char m[SL_MONEY_BUF];

	sl_money_format(cents, currency, m, sizeof m);
	printf("  %-14s %18s\n", name, m);
}

/* The takings by method. */
static void
cli_report_methods(json_t *doc, const char *cur)
{
	char p[SL_MONEY_BUF], r[SL_MONEY_BUF], n[SL_MONEY_BUF];
	json_t *row;
	size_t i;

	printf("takings by method:\n  %-12s %16s %16s %16s %6s\n", "METHOD",
	    "PAYMENTS", "REFUNDS", "NET", "COUNT");
	json_array_foreach(json_object_get(doc, "by_method"), i, row) {
		printf("  %-12s %16s %16s %16s %6" JSON_INTEGER_FORMAT "\n",
		    cli_str(row, "method", "?"),
		    cli_doc_money(row, "payments", cur, p, sizeof p),
		    cli_doc_money(row, "refunds", cur, r, sizeof r),
		    cli_doc_money(row, "net", cur, n, sizeof n),
		    json_integer_value(json_object_get(row, "count")));
	}
}

/* Writes the X or Z report of a shift's document. */
static void
cli_shift_print(json_t *doc, const char *cur)
{
	json_t *counted = json_object_get(doc, "counted_cents");
	int64_t diff;

	printf("%s report, shift %" JSON_INTEGER_FORMAT " (clerk %s at %s)\n"
	       "  opened %s\n",
	    cli_str(doc, "report", "?"),
	    json_integer_value(json_object_get(doc, "shift")),
	    cli_str(doc, "clerk", "?"), cli_str(doc, "terminal", "?"),
	    cli_str(doc, "opened_at", "?"));
	if (json_is_string(json_object_get(doc, "closed_at")))
		printf("  closed %s\n",
		    json_string_value(json_object_get(doc, "closed_at")));
	printf("  sales %" JSON_INTEGER_FORMAT "\n",
	    json_integer_value(json_object_get(doc, "sales")));
	cli_report_line("float", json_integer_value(json_object_get(doc,
	    "float_cents")), cur);
	cli_report_line("cash in", cli_method_cents(doc, "cash",
	    "payments_cents"), cur);
	cli_report_line("cash out", cli_method_cents(doc, "cash",
	    "refunds_cents"), cur);
	cli_report_line("expected", json_integer_value(json_object_get(doc,
	    "expected_cents")), cur);
	if (json_is_integer(counted)) {
		cli_report_line("counted", json_integer_value(counted), cur);
		diff = json_integer_value(json_object_get(doc,
		    "difference_cents"));
		cli_report_line(diff > 0 ? "over" : diff < 0 ? "short"
		    : "over/short", diff < 0 ? -diff : diff, cur);
	}
	cli_report_methods(doc, cur);
}

/* shift report and shift close: [--shift ID] [--json], and --counted for
 * close. */
static int
cli_shift_doc(struct cli *cli, int argc, char **argv, const char *name,
    int close)
{
	const char *sid = NULL, *counted = NULL;
	struct sl_db *db;
	struct sl_err e;
	json_t *doc;
	int64_t shift = 0, cents = 0;
	int code, json = 0;
	const struct cli_opt opts[] = {
		{ "shift", required_argument, &sid, NULL },
		{ "json", no_argument, NULL, &json },
		{ "counted", required_argument, &counted, NULL },
		{ NULL, 0, NULL, NULL }
	};

	/* report knows --shift and --json only. */
	const struct cli_opt rep[] = { opts[0], opts[1], opts[3] };

	if ((code = cli_options(name, argc, argv, close ? opts : rep)) != 0)
		return code;
	if (argc != optind || (close && counted == NULL))
		return cli_usage(name);
	if ((sid != NULL && (code = cli_id("shift", sid, &shift)) != 0) ||
	    (counted != NULL &&
	    (code = cli_amount("counted cash", counted, &cents)) != 0) ||
	    (code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if ((close ? sl_shift_close(db, shift, cents, &doc, &e)
	           : sl_shift_report(db, shift, &doc, &e)) != SL_OK)
		return cli_db_fail(db, &e);
	if (json) {
		json_object_set_new(doc, "currency",
		    json_string(sl_db_currency(db)));
		json_dumpf(doc, stdout, JSON_COMPACT);
		putchar('\n');
	} else
		cli_shift_print(doc, sl_db_currency(db));
	if (close)
		cli_msg("shift %" JSON_INTEGER_FORMAT " closed",
		    json_integer_value(json_object_get(doc, "shift")));
	json_decref(doc);
	sl_db_close(db);
	return 0;
}

static int
cli_shift_report(struct cli *cli, int argc, char **argv)
{
	return cli_shift_doc(cli, argc, argv, "shift report", 0);
}

static int
cli_shift_close(struct cli *cli, int argc, char **argv)
{
	return cli_shift_doc(cli, argc, argv, "shift close", 1);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_shift_open_entry = {
	"shift open", cli_shift_open,
	"shift open --float AMOUNT",
	"open your shift at this terminal with the cash float; prints its id"
};

const struct cli_cmd cli_shift_report_entry = {
	"shift report", cli_shift_report,
	"shift report [--shift ID] [--json]",
	"the X report of your open shift (or of shift ID)"
};

const struct cli_cmd cli_shift_close_entry = {
	"shift close", cli_shift_close,
	"shift close --counted AMOUNT [--shift ID] [--json]",
	"close the shift with the cash counted: the Z report, over or short"
};
