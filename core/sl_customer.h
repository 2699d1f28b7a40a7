/*
 * sl_customer.h - customers: registering, finding, and their history.
 */
#ifndef SL_CUSTOMER_H
#define SL_CUSTOMER_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_parse.h"
#include "sl_zone.h"

#define SL_FIND_MAX	200	/* bytes of a search text */
#define SL_NAME_MAX	800	/* bytes: 200 characters of up to 4 bytes */

struct sl_customer {
	int64_t	 id;
	char	*name;
	char	*email;
	char	*phone;		/* NULL when none */
	char	 created_at[48];
};

struct sl_customer_booking {
	int64_t	 id;
	int64_t	 show;
	char	*title;			/* the show's */
	char	 starts_at[48];
	char	 label[SL_LABEL_MAX + 1];
	char	 zone[SL_ZONE_MAX + 1];	/* "" when none */
	int	 active;		/* else cancelled */
	int64_t	 price_cents;
	char	 booked_at[48];
	char	 cancelled_at[48];	/* "" when active */
};

struct sl_history {
	struct sl_customer		 customer;
	size_t				 n;
	struct sl_customer_booking	*booking;	/* newest first */
	int64_t				 active;	/* active bookings */
	int64_t				 spent_cents;	/* on those */
};

/*
 * Registers a customer.  name is any Unicode text without control
 * characters (stored as given); email must look like one; phone may be
 * NULL.  *id is the new user.  Errors: SL_EINVAL (with the reason),
 * SL_ECONFLICT (the email is registered already, whatever its case).
 */
enum sl_rc	sl_user_register(struct sl_db *db, const char *name,
		    const char *email, const char *phone, int64_t *id,
		    struct sl_err *e);

/*
 * Customers whose name, surname (the last word of the name), email or
 * phone number (digits only) starts with text, case-insensitively, at most
 * limit (1..1000) ordered by name.  Each way is an index scan (see
 * sql/0003_depth.sql).  On SL_OK *out (free with sl_customer_list_free)
 * holds *n, possibly 0.  SL_EINVAL for an empty or invalid text.
 */
enum sl_rc	sl_customer_find(struct sl_db *db, const char *text,
		    size_t limit, struct sl_customer **out, size_t *n,
		    struct sl_err *e);
void		sl_customer_list_free(struct sl_customer *v, size_t n);

/*
 * The statement sl_customer_find runs ($1 the LIKE pattern of the text, $2
 * that of its digits or NULL, $3 the limit), for EXPLAIN in tests.
 */
extern const char sl_customer_find_sql[];

/*
 * Turns a search text into the LIKE patterns of sl_customer_find_sql:
 * like (the text escaped, then "%"; like_sz at least 2 * strlen + 2) and
 * digits ("" when the text is not a phone number, else its digits + "%").
 */
void		sl_customer_patterns(const char *text, char *like,
		    size_t like_sz, char *digits, size_t digits_sz);

/*
 * A customer and all their bookings, newest first.  On SL_OK *out (free
 * with sl_history_free).  SL_ENOTFOUND if there is no such customer.
 */
enum sl_rc	sl_customer_history(struct sl_db *db, int64_t id,
		    struct sl_history **out, struct sl_err *e);
void		sl_history_free(struct sl_history *h);

#endif
