/*
 * chart.c - the bar chart of sales per day (chart.h): plain characters,
 * one line a day, scaled to the width given.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/chart.h"
#include "sl_money.h"

static int64_t
chart_int(const json_t *day, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(day, key));
}

/* The bar of value: 0 nothing, else at least 1 of w; max is w. */
static int
chart_bar(int64_t value, int64_t max, int w)
{
	int64_t n;

	if (value <= 0 || max <= 0)
		return 0;
	n = (value * w + max / 2) / max;
	return n < 1 ? 1 : n > w ? w : (int)n;
}

int
chart_days(const json_t *days, int width, struct chart *c)
{
	char seats[32], money[64], bars[CHART_WIDTH_MAX + 1];
	size_t i, first, n;
	int64_t max = 0;
	int sw = 5, mw = 7, w, bar;

	memset(c, 0, sizeof *c);
	if (!json_is_array(days))
		return -1;
	n = json_array_size(days);
	first = n > CHART_DAYS_MAX ? n - CHART_DAYS_MAX : 0;
	width = width < CHART_WIDTH_MIN ? CHART_WIDTH_MIN :
	    width > CHART_WIDTH_MAX ? CHART_WIDTH_MAX : width;
	for (i = first; i < n; i++) {
		const json_t *d = json_array_get(days, i);
		int64_t rev = chart_int(d, "revenue_cents");

		max = rev > max ? rev : max;
		sl_money_format(rev, NULL, money, sizeof money);
		snprintf(seats, sizeof seats, "%" PRId64, chart_int(d, "seats"));
		sw = (int)strlen(seats) > sw ? (int)strlen(seats) : sw;
		mw = (int)strlen(money) > mw ? (int)strlen(money) : mw;
	}
	/* "YYYY-MM-DD |" bar "| " seats " " revenue */
	w = width - 10 - 2 - 2 - sw - 1 - mw;
	w = w < 4 ? 4 : w;
	snprintf(c->head, sizeof c->head, "%-10s  %-*.*s  %*s %*s", "day", w, w,
	    "revenue per day", sw, "seats", mw, "revenue");
	c->n = n - first;
	if (c->n == 0)
		return 0;
	if ((c->line = calloc(c->n, sizeof *c->line)) == NULL)
		return -1;
	for (i = first; i < n; i++) {
		const json_t *d = json_array_get(days, i);
		const char *day = json_string_value(json_object_get(d, "day"));
		int64_t rev = chart_int(d, "revenue_cents");

		bar = chart_bar(rev, max, w);
		memset(bars, '#', (size_t)bar);
		memset(bars + bar, ' ', (size_t)(w - bar));
		bars[w] = '\0';
		sl_money_format(rev, NULL, money, sizeof money);
		snprintf(c->line[i - first], sizeof c->line[0],
		    "%-10.10s |%s| %*" PRId64 " %*s", day ? day : "?", bars,
		    sw, chart_int(d, "seats"), mw, money);
	}
	return 0;
}

void
chart_free(struct chart *c)
{
	free(c->line);
	c->line = NULL;
	c->n = 0;
}
