/*
 * sl_sale.h - the sale as a box office completes it: price types per seat,
 * walk-ups, payments with change, comps, discounts and vouchers, refunds,
 * shifts (float, X and Z reports), reservations, a supervisor's one-time
 * code.  Each call is one SQL function of sql/functions/money.sql,
 * shifts.sql, booking.sql or holds.sql: one round trip, one transaction.
 *
 * A sale is the seats sold together under one request key; its number
 * (struct sl_booking.sale) is what a clerk reads aloud.  Money is integer
 * cents of sl_db_currency().  Documents (a sale, a shift report) come as
 * jansson objects whose amounts are "12.50" strings with the same in cents
 * beside (total and total_cents); the caller json_decref()s them.
 *
 * Errors, besides SL_ECONN and SL_EDB: SL_EINVAL (bad input: an unknown
 * price type or method, an amount out of range, a comp without a reason),
 * SL_ENOTFOUND (sale, shift, voucher, hold), SL_ECONFLICT (not paid in
 * full, no open shift, shift already closed, voucher used up or expired,
 * paid in full already, a refund method needed; a supervisor needed:
 * e->sqlstate "SL403").
 */
#ifndef SL_SALE_H
#define SL_SALE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sl_book.h"
#include "sl_db.h"
#include "sl_saleopts.h"

#define SL_AUTH_MAX	16	/* a supervisor's code: 5 symbols, a dash, 5 */

/* Sale sale as a document (sl_sale_doc): SL_ENOTFOUND if there is none. */
enum sl_rc	sl_sale_get(struct sl_db *db, int64_t sale, json_t **doc,
		    struct sl_err *e);

/* What one payment did: what the sale gained, the change given, what is
 * still due. */
struct sl_paid {
	int64_t	amount_cents;
	int64_t	change_cents;
	int64_t	due_cents;
};

/* Pays sale: one payment (cents < 0: what is due). */
enum sl_rc	sl_sale_pay(struct sl_db *db, int64_t sale, const char *method,
		    int64_t cents, struct sl_paid *out, struct sl_err *e);

/* Cancels every active seat of sale, refunding as above; *out the
 * cancelled bookings (free()). */
enum sl_rc	sl_sale_cancel(struct sl_db *db, int64_t sale,
		    const char *refund, const char *auth,
		    struct sl_booking **out, size_t *nout, int64_t *refunded,
		    struct sl_err *e);

/* Opens a shift of the login at this terminal with a float; *id (may be
 * NULL) its number.  SL_ECONFLICT when one is open. */
enum sl_rc	sl_shift_open(struct sl_db *db, int64_t float_cents,
		    int64_t *id, struct sl_err *e);

/* The report of shift (0: the login's open shift, an X report). */
enum sl_rc	sl_shift_report(struct sl_db *db, int64_t shift,
		    json_t **doc, struct sl_err *e);

/* Closes shift (0: the login's open one) with counted cash; the Z report.
 * SL_ECONFLICT: closed already, or none open. */
enum sl_rc	sl_shift_close(struct sl_db *db, int64_t shift,
		    int64_t counted_cents, json_t **doc, struct sl_err *e);

/* Adds voucher code: percent (1..100) or cents off (the other 0), uses
 * (>= 1), until (a time as PostgreSQL reads it, NULL: no end). */
enum sl_rc	sl_voucher_add(struct sl_db *db, const char *code, int percent,
		    int64_t cents, int uses, const char *until,
		    struct sl_err *e);

/* The vouchers, as an array of documents (code, percent, amount, uses,
 * uses_max, valid_until). */
enum sl_rc	sl_voucher_list(struct sl_db *db, json_t **arr,
		    struct sl_err *e);

/* A supervisor's one-time code for minutes (1..60): code holds
 * SL_AUTH_MAX + 1 bytes, expires 48. */
enum sl_rc	sl_auth_issue(struct sl_db *db, int minutes, char *code,
		    char *expires, struct sl_err *e);

/* Sets a venue setting (refund_limit_cents).  Supervisor. */
enum sl_rc	sl_setting_set(struct sl_db *db, const char *name,
		    int64_t value, struct sl_err *e);

/*
 * Reserves labels of show for holder (NULL: customer user's name; user 0:
 * none) until (a time as PostgreSQL reads it).  *hold the reservation's
 * number, expires (48 bytes, may be NULL) its end.
 */
enum sl_rc	sl_reserve(struct sl_db *db, int64_t show,
		    const char *const *labels, size_t nlabels, int64_t user,
		    const char *holder, const char *until, int64_t *hold,
		    char *expires, struct sl_err *e);

/* An active reservation. */
struct sl_reservation {
	int64_t	 hold;
	int64_t	 show;
	int64_t	 user;		/* 0: none */
	char	 starts_at[48];
	char	 expires_at[48];
	char	*title;		/* owned */
	char	*holder;	/* owned */
	char	*seats;		/* labels, space-separated; owned */
};

/* The active reservations whose name contains query or whose number it is
 * (NULL: all). */
enum sl_rc	sl_reservation_find(struct sl_db *db, const char *query,
		    struct sl_reservation **out, size_t *n, struct sl_err *e);
void		sl_reservation_free(struct sl_reservation *v, size_t n);

#endif
