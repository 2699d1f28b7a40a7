/*
 * chart.h - a bar chart of sales per day drawn with plain characters
 * ('#' bars between '|'), so that it reads on a vt100: one line a day,
 * "YYYY-MM-DD |#####      |  SEATS     REVENUE", the bars scaled to the
 * biggest day's revenue, a day without revenue an empty bar.  Drawn from
 * the "days" of a sales report (sl_report_sales); used by `seatlock report
 * --chart` and the box office's report screen.
 */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>

#include <jansson.h>

#define CHART_WIDTH_MIN	40
#define CHART_WIDTH_MAX	400
#define CHART_DAYS_MAX	62	/* what one chart shows at most */
#define CHART_LINE	(CHART_WIDTH_MAX + 128)	/* a line, with room to spare */

struct chart {
	size_t	  n;			/* lines: one a day */
	char	  head[CHART_LINE];	/* the column headings */
	char	(*line)[CHART_LINE];
};

/*
 * Draws the last CHART_DAYS_MAX (or fewer) of days in width columns
 * (clamped to CHART_WIDTH_MIN..CHART_WIDTH_MAX) into *c.  Returns 0, or -1
 * when memory runs out or days is not an array.  Free with chart_free.
 */
int	chart_days(const json_t *days, int width, struct chart *c);
void	chart_free(struct chart *c);

#endif
