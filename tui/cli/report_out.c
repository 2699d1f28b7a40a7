/*
 * report_out.c - the sales document of a report as text, CSV and a chart.
 * Each section is a descriptor: the document's key, the CSV section name,
 * its columns (a CSV column, the document's field, its kind), so that the
 * text tables and the CSV rows come from one description.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/chart.h"
#include "cli/cli.h"
#include "cli/report_out.h"
#include "sl_money.h"

enum rkind { RK_STR, RK_INT, RK_MONEY, RK_COUNT };	/* COUNT: wider INT */

struct rcol {
	const char	*col;	/* CSV column, and the text heading */
	const char	*field;	/* in the document */
	enum rkind	 kind;
};

#define RCOLS_MAX 9
struct rsection {
	const char	*key;	/* in the document: an array or an object */
	const char	*name;	/* the CSV "section" */
	const char	*title;	/* of the text table */
	struct rcol	 col[RCOLS_MAX];
};

/* The CSV columns, in order. */
static const char *const report_csv_cols[] = { "section", "day", "show",
	"zone", "type", "reason", "voucher", "method", "clerk", "terminal",
	"shift", "sales", "seats", "count", "list", "comp", "reduction",
	"revenue", "payments", "refunds", "takings", "admitted", "not_in",
	"refused", "already", NULL };

static const struct rsection report_sections[] = {
	{ "by_type", "seats", "Seats and revenue by show, zone and price type",
	    { { "show", "show", RK_INT }, { "zone", "zone", RK_STR },
		{ "type", "type", RK_STR }, { "seats", "seats", RK_INT },
		{ "list", "list_cents", RK_MONEY },
		{ "revenue", "revenue_cents", RK_MONEY } } },
	{ "comps", "comp", "Comps (at list value)",
	    { { "reason", "reason", RK_STR }, { "sales", "sales", RK_INT },
		{ "seats", "seats", RK_INT }, { "comp", "list_cents",
		RK_MONEY } } },
	{ "discounts", "discount", "Discounts and vouchers",
	    { { "reason", "reason", RK_STR }, { "voucher", "voucher", RK_STR },
		{ "sales", "sales", RK_INT }, { "seats", "seats", RK_INT },
		{ "list", "list_cents", RK_MONEY },
		{ "reduction", "discount_cents", RK_MONEY },
		{ "revenue", "revenue_cents", RK_MONEY } } },
	{ "refunds", "refund", "Refunds by method",
	    { { "method", "method", RK_STR }, { "count", "count", RK_INT },
		{ "refunds", "refunds_cents", RK_MONEY } } },
	{ "takings", "takings",
	    "Takings by method (payments less refunds; exchanges apart)",
	    { { "method", "method", RK_STR }, { "count", "count", RK_INT },
		{ "payments", "payments_cents", RK_MONEY },
		{ "refunds", "refunds_cents", RK_MONEY },
		{ "takings", "net_cents", RK_MONEY } } },
	{ "exchange", "exchange",
	    "Exchanges: money moved between sales (not takings)",
	    { { "count", "count", RK_INT },
		{ "payments", "in_cents", RK_MONEY },
		{ "refunds", "out_cents", RK_MONEY } } },
	{ "clerks", "clerk", "By clerk",
	    { { "clerk", "clerk", RK_STR }, { "sales", "sales", RK_INT },
		{ "seats", "seats", RK_INT },
		{ "revenue", "revenue_cents", RK_MONEY },
		{ "takings", "takings_cents", RK_MONEY } } },
	{ "shifts", "shift", "By shift (shift -: none open)",
	    { { "shift", "shift", RK_INT }, { "clerk", "clerk", RK_STR },
		{ "terminal", "terminal", RK_STR },
		{ "sales", "sales", RK_INT }, { "seats", "seats", RK_INT },
		{ "revenue", "revenue_cents", RK_MONEY },
		{ "takings", "takings_cents", RK_MONEY } } },
	{ "days", "day", "By day of sale",
	    { { "day", "day", RK_STR }, { "sales", "sales", RK_INT },
		{ "seats", "seats", RK_INT },
		{ "revenue", "revenue_cents", RK_MONEY },
		{ "takings", "takings_cents", RK_MONEY } } },
	{ "door", "door", "At the door: tickets admitted, not yet in; "
	    "scans refused, of tickets in already",
	    { { "show", "show", RK_INT }, { "admitted", "admitted", RK_COUNT },
		{ "not_in", "not_admitted", RK_COUNT },
		{ "refused", "refused_scans", RK_COUNT },
		{ "already", "already_scans", RK_COUNT } } },
	{ "total", "total", "Total",
	    { { "sales", "sales", RK_INT }, { "seats", "seats", RK_INT },
		{ "list", "list_cents", RK_MONEY },
		{ "comp", "comp_cents", RK_MONEY },
		{ "reduction", "discount_cents", RK_MONEY },
		{ "revenue", "revenue_cents", RK_MONEY },
		{ "payments", "payments_cents", RK_MONEY },
		{ "refunds", "refunds_cents", RK_MONEY },
		{ "takings", "takings_cents", RK_MONEY } } },
};
#define REPORT_NSECTIONS (sizeof report_sections / sizeof report_sections[0])

/* The value of field c of row as text: "" for a null. */
static void
report_value(const json_t *row, const struct rcol *c, char *buf, size_t len)
{
	const json_t *v = json_object_get(row, c->field);

	buf[0] = '\0';
	if (v == NULL || json_is_null(v))
		return;
	if (c->kind == RK_STR)
		snprintf(buf, len, "%s", json_string_value(v) ?
		    json_string_value(v) : "");
	else if (c->kind == RK_INT || c->kind == RK_COUNT)
		snprintf(buf, len, "%" PRId64, (int64_t)json_integer_value(v));
	else
		sl_money_format((int64_t)json_integer_value(v), NULL, buf, len);
}

static int
report_width(enum rkind k)
{
	return k == RK_STR ? 14 : k == RK_INT ? 6 : k == RK_COUNT ? 8 : 12;
}

static void
report_text_row(FILE *f, const struct rsection *s, const json_t *row)
{
	char v[512];
	int i;

	fputs(" ", f);
	for (i = 0; i < RCOLS_MAX && s->col[i].col != NULL; i++) {
		const struct rcol *c = &s->col[i];
		int w = report_width(c->kind);

		report_value(row, c, v, sizeof v);
		if (v[0] == '\0')
			snprintf(v, sizeof v, "-");
		if (c->kind != RK_STR) {
			fprintf(f, " %*s", w, v);
			continue;
		}
		fputc(' ', f);
		if (strlen(v) > (size_t)w)
			v[w] = '\0';	/* (bytes: a long UTF-8 name may be cut) */
		cli_safe_str(f, v);
		fprintf(f, "%*s", w - (int)strlen(v), "");
	}
	fputc('\n', f);
}

/* An object (the exchanges, the total): a line a field. */
static void
report_text_object(FILE *f, const struct rsection *s, const json_t *v)
{
	char buf[512];
	int i;

	fprintf(f, "\n%s\n", s->title);
	for (i = 0; i < RCOLS_MAX && s->col[i].col != NULL; i++) {
		report_value(v, &s->col[i], buf, sizeof buf);
		fprintf(f, "  %-10s %14s\n", s->col[i].col, buf);
	}
}

void
report_out_text(FILE *f, const json_t *doc, const char *currency)
{
	const char *from = json_string_value(json_object_get(doc, "from"));
	const char *to = json_string_value(json_object_get(doc, "to"));
	size_t k, i, n;
	int c;

	if (from != NULL && to != NULL)
		fprintf(f, "sales made from %s to %s (amounts in %s)\n", from,
		    to, currency);
	else
		fprintf(f, "\nsales of the show (amounts in %s)\n", currency);
	for (k = 0; k < REPORT_NSECTIONS; k++) {
		const struct rsection *s = &report_sections[k];
		const json_t *v = json_object_get(doc, s->key);

		if (json_is_object(v)) {
			report_text_object(f, s, v);
			continue;
		}
		if ((n = json_array_size(v)) == 0)
			continue;
		fprintf(f, "\n%s\n ", s->title);
		for (c = 0; c < RCOLS_MAX && s->col[c].col != NULL; c++)
			fprintf(f, s->col[c].kind == RK_STR ? " %-*s" : " %*s",
			    report_width(s->col[c].kind), s->col[c].col);
		fputc('\n', f);
		for (i = 0; i < n; i++)
			report_text_row(f, s, json_is_array(v) ?
			    json_array_get(v, i) : v);
	}
}

/* One CSV field: guarded against formulas, quoted if it must be. */
static void
report_csv_field(FILE *f, const char *v, int text)
{
	int guard = text && v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;

	if (strpbrk(v, ",\"\r\n") == NULL) {
		fprintf(f, "%s%s", guard ? "'" : "", v);
		return;
	}
	fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (; *v != '\0'; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

static void
report_csv_row(FILE *f, const struct rsection *s, const json_t *row)
{
	char v[1024];
	int k, i;

	for (k = 0; report_csv_cols[k] != NULL; k++) {
		const struct rcol *c = NULL;

		if (k > 0)
			fputc(',', f);
		if (k == 0) {
			fputs(s->name, f);
			continue;
		}
		for (i = 0; i < RCOLS_MAX && s->col[i].col != NULL; i++)
			if (strcmp(s->col[i].col, report_csv_cols[k]) == 0)
				c = &s->col[i];
		if (c == NULL)
			continue;
		report_value(row, c, v, sizeof v);
		report_csv_field(f, v, c->kind == RK_STR);
	}
	fputs("\r\n", f);
}

void
report_out_csv(FILE *f, const json_t *doc)
{
	size_t k, i, n;
	int c;

	for (c = 0; report_csv_cols[c] != NULL; c++)
		fprintf(f, "%s%s", c ? "," : "", report_csv_cols[c]);
	fputs("\r\n", f);
	for (k = 0; k < REPORT_NSECTIONS; k++) {
		const struct rsection *s = &report_sections[k];
		const json_t *v = json_object_get(doc, s->key);

		n = json_is_array(v) ? json_array_size(v) : 1;
		for (i = 0; i < n; i++)
			report_csv_row(f, s, json_is_array(v) ?
			    json_array_get(v, i) : v);
	}
}

int
report_out_chart(FILE *f, const json_t *doc, const char *currency,
    int width)
{
	const json_t *days = json_object_get(doc, "days");
	struct chart c;
	size_t i;

	if (chart_days(days, width, &c) != 0)
		return -1;
	fprintf(f, "sales per day (bars: revenue in %s)\n", currency);
	if (c.n == 0)
		fputs("no sales\n", f);
	else
		fprintf(f, "%s\n", c.head);
	for (i = 0; i < c.n; i++)
		fprintf(f, "%s\n", c.line[i]);
	if (json_array_size(days) > c.n)
		fprintf(f, "(the last %zu of %zu days)\n", c.n,
		    json_array_size(days));
	chart_free(&c);
	return 0;
}
