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

struct sl_booking {
	int64_t	id;
	char	label[SL_LABEL_MAX + 1];
	int64_t	price_cents;	/* the seat's zone price at sale, 0 if none */
};

/* The sum of the prices of n bookings, in cents. */
int64_t		sl_booking_total(const struct sl_booking *b, size_t n);

/*
 * Books all of labels (normalized, see sl_label_normalize) for user at
 * show, or none.  key is the request key; NULL makes a fresh one.  The same
 * key sent again returns the first answer, so this function retries by
 * itself: a deadlock or serialization failure up to sl_db_retries() times
 * with jitter, and a connection lost before the answer by reconnecting and
 * asking again with the same key (never booking twice).
 * On SL_OK *out (caller frees with free()) holds *nout bookings in seat
 * order.  Errors: SL_ECONFLICT (e->detail lists the seats not available),
 * SL_EBUSY (lock timeout: seat busy), SL_ENOTFOUND (show, user or seats,
 * listed in e->detail), SL_EINVAL, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_book_seats(struct sl_db *db, int64_t show,
		    const char *const *labels, size_t nlabels, int64_t user,
		    const char *key, struct sl_booking **out, size_t *nout,
		    struct sl_err *e);

/*
 * Cancels an active booking.  On SL_OK writes the show (if show != NULL)
 * and the seat label (if label != NULL, SL_LABEL_MAX + 1 bytes).
 * Errors: SL_ENOTFOUND (unknown or no longer active), SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_book_cancel(struct sl_db *db, int64_t booking,
		    int64_t *show, char *label, struct sl_err *e);

/* A booking as the cancel screen lists it. */
struct sl_booking_info {
	int64_t	 id;
	int64_t	 show;
	int64_t	 user;
	int	 active;		/* 0: cancelled */
	char	 label[SL_LABEL_MAX + 1];
	char	 starts_at[48];		/* the show's, ISO 8601 */
	char	*title;			/* the show's; owned by the struct */
	char	*name;			/* the customer's; owned */
	char	*email;			/* the customer's; owned */
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
