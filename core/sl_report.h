/*
 * sl_report.h - sales reports: seats sold, held, blocked and available per
 * zone, revenue, sales per clerk.  Read in one REPEATABLE READ READ ONLY
 * transaction, so every figure comes from the same moment.
 */
#ifndef SL_REPORT_H
#define SL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sl_db.h"
#include "sl_zone.h"

/* One zone of one show (or a show's total, or the grand total). */
struct sl_report_line {
	int64_t	 show;
	char	 zone[SL_ZONE_MAX + 1];	/* "": no zone; totals */
	char	*zone_name;		/* NULL: no zone; totals */
	int64_t	 price_cents;		/* the zone's price now */
	int64_t	 seats;
	int64_t	 sold;			/* active bookings */
	int64_t	 held;			/* by live holds */
	int64_t	 blocked;		/* by live blocks */
	int64_t	 available;		/* free: expired holds too */
	int64_t	 revenue_cents;		/* at the sale prices */
};

struct sl_report_show {
	int64_t			 id;
	char			*title;
	char			*venue;
	char			 starts_at[48];
	struct sl_report_line	 total;
	size_t			 first;		/* its zone lines are */
	size_t			 nzones;	/* zone[first..+nzones) */
};

/* Sales by one database user at one terminal (the audit trail's actor and
 * terminal): the seats they sold that are still sold, and their revenue. */
struct sl_report_clerk {
	char	*actor;
	char	*terminal;	/* "" when none was recorded */
	int64_t	 sold;
	int64_t	 revenue_cents;
};

struct sl_report {
	char			 currency[4];
	char			 day[16];	/* "" for a show's report */
	size_t			 nshows;
	struct sl_report_show	*show;		/* by start time */
	size_t			 nzones;
	struct sl_report_line	*zone;		/* by show, zone rank */
	size_t			 nclerks;
	struct sl_report_clerk	*clerk;		/* most revenue first */
	struct sl_report_line	 total;
	json_t			*sales;		/* a show's: sl_report_sales */
};

/* The report of one show, with the document of its sales (sales, as
 * sl_report_sales gives it), all from one snapshot.  SL_ENOTFOUND if it
 * does not exist.  Free *out with sl_report_free. */
enum sl_rc	sl_report_show(struct sl_db *db, int64_t show,
		    struct sl_report **out, struct sl_err *e);

/*
 * The report of the shows starting on day (YYYY-MM-DD, in the database
 * session's time zone); no shows is an empty report, not an error.
 * SL_EINVAL for a bad date.  Free *out with sl_report_free.
 */
enum sl_rc	sl_report_day(struct sl_db *db, const char *day,
		    struct sl_report **out, struct sl_err *e);

void		sl_report_free(struct sl_report *r);

/*
 * The sales report (SQL sl_report_sales, sql/functions/reports.sql) of
 * the sales made from day from to day to (YYYY-MM-DD, both included, in
 * the database session's time zone; to NULL: the day from), of show show
 * only if show > 0: seats and revenue by show, zone and price type, comps,
 * discounts and vouchers, refunds, takings by method (the exchanges'
 * transfers apart), per clerk, per shift, per day, and the totals, as a
 * jansson document in cents (the caller json_decref()s *doc).  SL_EINVAL
 * for a bad date or a range that ends before it starts.
 */
enum sl_rc	sl_report_sales(struct sl_db *db, int64_t show,
		    const char *from, const char *to, json_t **doc,
		    struct sl_err *e);

/* The same of the last ndays days (1 to 366), today included. */
enum sl_rc	sl_report_recent(struct sl_db *db, int64_t show, int ndays,
		    json_t **doc, struct sl_err *e);

/* Checks a YYYY-MM-DD date (a real day of the Gregorian calendar).
 * Returns 0 or -1. */
int		sl_report_date_valid(const char *s);

#endif
