/*
 * report_out.h - the sales document of a report (sl_report_sales) as
 * text, as CSV, and as a chart of sales per day: `seatlock report`.
 */
#ifndef REPORT_OUT_H
#define REPORT_OUT_H

#include <stdio.h>

#include <jansson.h>

/* The sections of doc as text tables, amounts in currency. */
void	report_out_text(FILE *f, const json_t *doc, const char *currency);

/*
 * doc as one CSV table (RFC 4180: CRLF, fields with a comma, a quote or a
 * line break quoted) with a "section" column; a text field that starts
 * with = + - @, a tab or a CR gets a leading ' so that no spreadsheet
 * reads it as a formula.  Amounts are decimal ("12.50").
 */
void	report_out_csv(FILE *f, const json_t *doc);

/* The chart of doc's days in width columns (chart.h), under a title.
 * Returns 0, or -1 when memory runs out. */
int	report_out_chart(FILE *f, const json_t *doc, const char *currency,
	    int width);

#endif
