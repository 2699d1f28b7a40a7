/*
 * sl_book.h - the booking core: book and cancel through the SQL functions
 * of sql/0002_booking.sql, one round trip each.
 */
#ifndef SL_BOOK_H
#define SL_BOOK_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_parse.h"
#include "sl_saleopts.h"

struct sl_booking {
	int64_t	id;
	char	label[SL_LABEL_MAX + 1];
	int64_t	price_cents;	/* the seat's price at sale, 0 if none */
	char	type[SL_PRICE_CODE_MAX + 1];	/* its price type, "" none */
	int64_t	sale;		/* the sale's number, 0 if not known */
};

/* The sum of the prices of n bookings, in cents. */
int64_t		sl_booking_total(const struct sl_booking *b, size_t n);

/*
 * Books all of labels (normalized, see sl_label_normalize) for user at
 * show, or none.  key is the request key (1 to 200 characters); NULL makes
 * a fresh one.  Pass the same key again to retry a booking whose outcome is
 * unknown: it is never booked twice.  This function retries by itself: a
 * deadlock or serialization failure up to sl_db_retries() times with
 * jitter; and when the connection is lost before the answer, it reconnects
 * with back-off (sl_db_reconnect) and first looks the key up
 * (sl_book_lookup): a booking that committed is answered from there and
 * never sent again; one that did not is sent again with the same key (up to
 * sl_db_retries() times).
 * On SL_OK *out (caller frees with free()) holds *nout bookings in seat
 * order.  Errors: SL_ECONFLICT (e->detail lists the seats not available),
 * SL_EBUSY (lock timeout: seat busy), SL_ENOTFOUND (show, user or seats,
 * listed in e->detail), SL_EINVAL (also: the key was used for another
 * booking), SL_ECONN (the server could not be reached: the outcome is
 * unknown, retry with the same key), SL_EDB.
 */
enum sl_rc	sl_book_seats(struct sl_db *db, int64_t show,
		    const char *const *labels, size_t nlabels, int64_t user,
		    const char *key, struct sl_booking **out, size_t *nout,
		    struct sl_err *e);

/*
 * Whether any of the n bookings b (a keyed request's answer) is no longer
 * active: *cancelled 1 or 0.  Errors: SL_ENOMEM, SL_EDB, SL_ECONN.
 */
enum sl_rc	sl_book_any_cancelled(struct sl_db *db,
		    const struct sl_booking *b, size_t n, int *cancelled,
		    struct sl_err *e);

/*
 * Sells labels as one sale, like sl_book_seats (which is this with opts
 * NULL), with the rest of the sale in opts (sl_saleopts.h): price types,
 * a comp, discount or voucher, payments.  user 0 is a walk-up (no
 * customer record).  On SL_OK each booking carries its price type and the
 * sale number.  Also SL_ECONFLICT: not paid in full, no open shift for
 * cash, a voucher used up; a comp or discount without a supervisor
 * (e->sqlstate "SL403").
 */
enum sl_rc	sl_sale_book(struct sl_db *db, int64_t show,
		    const char *const *labels, size_t nlabels, int64_t user,
		    const char *key, const struct sl_sale_opts *opts,
		    struct sl_booking **out, size_t *nout, struct sl_err *e);

/*
 * Did the booking with request key happen?  Reads committed rows only and
 * takes no lock.  On SL_OK *out (free()) holds its *nout bookings in seat
 * order (cancelled ones too: the booking did happen).  SL_ENOTFOUND: no
 * booking with that key committed.  SL_EINVAL: the key was used for another
 * show, user or seats (labels NULL: any seats).  SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_book_lookup(struct sl_db *db, const char *key, int64_t show,
		    int64_t user, const char *const *labels, size_t nlabels,
		    struct sl_booking **out, size_t *nout, struct sl_err *e);

/*
 * Cancels an active booking, once per request key (1 to 200 characters):
 * the same key sent again answers as the first call did instead of "not
 * active".  Retries like sl_book_seats, and after a lost connection looks
 * the key up (sl_book_cancel_lookup) before sending the cancel again.  On
 * SL_OK writes the show (if show != NULL) and the seat label (if label !=
 * NULL, SL_LABEL_MAX + 1 bytes).  Errors: SL_ENOTFOUND (unknown, or no
 * longer active and not cancelled with this key), SL_EINVAL, SL_ECONN (the
 * outcome is unknown: retry with the same key), SL_EDB.
 */
enum sl_rc	sl_book_cancel_key(struct sl_db *db, int64_t booking,
		    const char *key, int64_t *show, char *label,
		    struct sl_err *e);

/* sl_book_cancel_key with a fresh key: a caller that may retry after
 * SL_ECONN should keep a key and use sl_book_cancel_key. */
enum sl_rc	sl_book_cancel(struct sl_db *db, int64_t booking,
		    int64_t *show, char *label, struct sl_err *e);

/*
 * Cancels one booking, once per request key (key NULL: a fresh one), and
 * refunds what its sale was paid beyond the seats it keeps by method
 * refund (NULL when there is something to refund: SL_ECONFLICT), auth for
 * a refund above the venue's limit.  *refunded (may be NULL) is the amount.
 */
enum sl_rc	sl_sale_cancel_booking(struct sl_db *db, int64_t booking,
		    const char *key, const char *refund, const char *auth,
		    int64_t *show, char *label, int64_t *refunded,
		    struct sl_err *e);

/*
 * Did the cancel with request key happen?  SL_OK (and show and label as
 * above) if it committed, SL_ENOTFOUND if not, SL_EINVAL if the key was
 * used to cancel another booking.  SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_book_cancel_lookup(struct sl_db *db, int64_t booking,
		    const char *key, int64_t *show, char *label,
		    struct sl_err *e);

/* A booking as the cancel screen lists it. */
struct sl_booking_info {
	int64_t	 id;
	int64_t	 show;
	int64_t	 user;			/* 0: a walk-up */
	int	 active;		/* 0: cancelled */
	char	 label[SL_LABEL_MAX + 1];
	char	 starts_at[48];		/* the show's, ISO 8601 */
	char	*title;			/* the show's; owned by the struct */
	char	*name;			/* the customer's ("" walk-up); owned */
	char	*email;			/* the customer's ("" walk-up); owned */
	int64_t	 sale;			/* its sale's number */
	int64_t	 price_cents;		/* its price at sale */
};

/*
 * Finds bookings by what a clerk typed: a booking number (that booking,
 * active or not), else the active bookings of the customers whose name or
 * email starts with q, whatever the case (by show time, customer, seat), at
 * most limit (1..500).  On SL_OK *out (sl_booking_info_free) holds *n
 * bookings, maybe none.  Errors: SL_EINVAL, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_book_search(struct sl_db *db, const char *q, size_t limit,
		    struct sl_booking_info **out, size_t *n, struct sl_err *e);
void		sl_booking_info_free(struct sl_booking_info *v, size_t n);

#endif
