/*
 * reports.c - seatlock report: seats and revenue per zone of a show
 * or a day, sales per clerk.
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

static int
cli_report(struct cli *cli, int argc, char **argv)
{
	const char *day = NULL;
	struct sl_report *r;
	struct sl_db *db;
	struct sl_err e;
	int64_t show = 0;
	int code, json = 0;
	enum sl_rc rc;
	const struct cli_opt opts[] = {
		{ "day", required_argument, &day, NULL },
		{ "json", no_argument, NULL, &json },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("report", argc, argv, opts)) != 0)
		return code;
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
	if (rc != SL_OK)
		return cli_db_fail(db, &e);
	if (json)
		cli_report_json(r);
	else
		cli_report_text(r);
	sl_report_free(r);
	sl_db_close(db);
	return 0;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_report_entry = {
	"report", cli_report,
	"report (SHOW | --day YYYY-MM-DD) [--json]",
	"seats and revenue per zone, sales per clerk"
};
