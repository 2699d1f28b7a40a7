/*
 * reports.c - seatlock report: seats and revenue per zone of a show
 * or a day, sales per clerk; the sales of a show or of the days they were
 * made (by price type and zone, comps, discounts, refunds, takings, per
 * clerk, shift and day) as text, JSON, CSV or a chart (report_out.c).
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

#include "cli/chart.h"
#include "cli/cli.h"
#include "cli/report_out.h"
#include "sl_report.h"

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
	cli_json_field_or_null(stdout, "day",
	    r->day[0] != '\0' ? r->day : NULL);
	fputs(",\"shows\":[", stdout);
	for (i = 0; i < r->nshows; i++) {
		const struct sl_report_show *s = &r->show[i];

		printf("%s{\"id\":%" PRId64 ",\"title\":", i ? "," : "", s->id);
		cli_json_str(stdout, s->title);
		cli_json_field(stdout, "venue", s->venue);
		cli_json_field(stdout, "starts_at", s->starts_at);
		putchar(',');
		cli_report_line_json(&s->total);
		fputs(",\"zones\":[", stdout);
		for (k = 0; k < s->nzones; k++) {
			const struct sl_report_line *l = &r->zone[s->first + k];

			fputs(k ? ",{\"zone\":" : "{\"zone\":", stdout);
			cli_json_str_or_null(stdout,
			    l->zone[0] != '\0' ? l->zone : NULL);
			cli_json_field_or_null(stdout, "name", l->zone_name);
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
		cli_json_field_or_null(stdout, "terminal",
		    r->clerk[i].terminal[0] != '\0' ? r->clerk[i].terminal :
		    NULL);
		printf(",\"sold\":%" PRId64 ",\"revenue_cents\":%" PRId64 "}",
		    r->clerk[i].sold, r->clerk[i].revenue_cents);
	}
	putchar(']');
	if (r->sales != NULL) {
		fputs(",\"sales\":", stdout);
		json_dumpf(r->sales, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
	}
	puts("}");
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

/* The width of the terminal: COLUMNS, or 80. */
static int
cli_report_width(void)
{
	const char *c = getenv("COLUMNS");
	int w = c != NULL ? atoi(c) : 0;

	return w > 0 ? w : 80;
}

enum { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_CHART };

/* The sales document of the report: a show's, or that of a range. */
static int
cli_report_sales_out(const json_t *doc, const struct sl_report *r,
    const char *currency, int out)
{
	if (out == OUT_CSV)
		report_out_csv(stdout, doc);
	else if (out == OUT_CHART &&
	    report_out_chart(stdout, doc, currency, cli_report_width()) != 0) {
		cli_msg("out of memory");
		return CLI_EXIT_ERROR;
	} else if (out == OUT_JSON && r == NULL) {
		fputs("{\"currency\":", stdout);
		cli_json_str(stdout, currency);
		fputs(",\"sales\":", stdout);
		json_dumpf(doc, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
		puts("}");
	} else if (out == OUT_JSON)
		cli_report_json(r);
	else if (out == OUT_TEXT) {
		if (r != NULL)
			cli_report_text(r);
		report_out_text(stdout, doc, currency);
	}
	return 0;
}

/* Checks the dates of --from/--to (to defaults to from): 0 or the exit
 * code, with the message given. */
static int
cli_report_range(const char *from, const char **to, int out)
{
	int a, b;

	if (*to == NULL)
		*to = from;
	if (sl_report_date_valid(from) != 0 || sl_report_date_valid(*to) != 0) {
		cli_msg("\"%s\" is not a date (YYYY-MM-DD)",
		    sl_report_date_valid(from) != 0 ? from : *to);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(*to, from) < 0) {
		cli_msg("--to %s is before --from %s", *to, from);
		return CLI_EXIT_USAGE;
	}
	/* Days apart, near enough for a limit (a month counted as 31). */
	a = atoi(from) * 372 + atoi(from + 5) * 31 + atoi(from + 8);
	b = atoi(*to) * 372 + atoi(*to + 5) * 31 + atoi(*to + 8);
	if (out == OUT_CHART && b - a >= CHART_DAYS_MAX) {
		cli_msg("a chart shows up to %d days: narrow --from/--to",
		    CHART_DAYS_MAX);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* The command's arguments: 0 or the exit code. */
static int
cli_report_args(int argc, char **argv, const char **day, const char **from,
    const char **to, int *out, int64_t *show)
{
	int code, json = 0, csv = 0, chart = 0;
	const struct cli_opt opts[] = {
		{ "day", required_argument, day, NULL },
		{ "from", required_argument, from, NULL },
		{ "to", required_argument, to, NULL },
		{ "json", no_argument, NULL, &json },
		{ "csv", no_argument, NULL, &csv },
		{ "chart", no_argument, NULL, &chart },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("report", argc, argv, opts)) != 0)
		return code;
	if ((argc - optind == 1) + (*day != NULL) + (*from != NULL) != 1 ||
	    argc - optind > 1 || (*to != NULL && *from == NULL) ||
	    json + csv + chart > 1 || (*day != NULL && (csv || chart)))
		return cli_usage("report");
	*out = json ? OUT_JSON : csv ? OUT_CSV : chart ? OUT_CHART : OUT_TEXT;
	if (argc - optind == 1)
		return cli_id("show", argv[optind], show);
	if (*day != NULL && sl_report_date_valid(*day) != 0) {
		cli_msg("\"%s\" is not a date (YYYY-MM-DD)", *day);
		return CLI_EXIT_USAGE;
	}
	return *from != NULL ? cli_report_range(*from, to, *out) : 0;
}

static int
cli_report(struct cli *cli, int argc, char **argv)
{
	const char *day = NULL, *from = NULL, *to = NULL;
	struct sl_report *r = NULL;
	json_t *doc = NULL;
	struct sl_db *db;
	struct sl_err e;
	int64_t show = 0;
	int code, out = OUT_TEXT;
	enum sl_rc rc;

	if ((code = cli_report_args(argc, argv, &day, &from, &to, &out,
	    &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (from != NULL)
		rc = sl_report_sales(db, 0, from, to, &doc, &e);
	else if (day != NULL)
		rc = sl_report_day(db, day, &r, &e);
	else
		rc = sl_report_show(db, show, &r, &e);
	if (rc != SL_OK)
		return cli_db_fail(db, &e);
	if (day != NULL && out == OUT_JSON)
		cli_report_json(r);
	else if (day != NULL)
		cli_report_text(r);
	else
		code = cli_report_sales_out(r != NULL ? r->sales : doc, r,
		    sl_db_currency(db), out);
	json_decref(doc);
	sl_report_free(r);
	sl_db_close(db);
	return code;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_report_entry = {
	"report", cli_report,
	"report (SHOW | --from DATE [--to DATE] | --day DATE) "
	"[--json | --csv | --chart]",
	"sales by show or by date of sale: seats, revenue, comps, discounts, "
	"refunds, takings, per clerk, shift and day; a chart of sales per day"
};
