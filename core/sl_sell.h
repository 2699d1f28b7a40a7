/*
 * sl_sell.h - selling faster: a hold turned into bookings, best available,
 * exchanges.  Each is one SQL function, one round trip, one transaction,
 * with a request key: like sl_book_seats, a call retries deadlocks and
 * serialization failures, and after a connection lost before the answer it
 * reconnects and asks again with the same key, which returns the first
 * answer instead of selling twice.
 *
 * On SL_OK *out (caller frees with free()) holds *nout bookings in seat
 * order, each with its price (sl_booking_total sums them); the currency is
 * sl_db_currency().
 */
#ifndef SL_SELL_H
#define SL_SELL_H

#include <stddef.h>
#include <stdint.h>

#include "sl_book.h"
#include "sl_db.h"

/*
 * Turns hold (of show) into bookings for user: every seat of it, or none.
 * key NULL makes a fresh one.  Errors: SL_ENOTFOUND (show, user, hold; a
 * hold that has ended or expired), SL_ECONFLICT (a block and not a
 * supervisor), SL_EINVAL (a companion seat without an accessible seat),
 * SL_EBUSY, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_sell_hold(struct sl_db *db, int64_t show, int64_t hold,
		    int64_t user, const char *key, struct sl_booking **out,
		    size_t *nout, struct sl_err *e);

/*
 * Best available: books the n (1..50) best adjacent free seats of show for
 * user, in zone (a code; NULL: the best zone that has n together).  Best:
 * the zone of the lowest rank, then no single empty seat left beside the
 * block where another choice exists, then no restricted view, then nearest
 * the stage (lowest map y), then nearest the centre of the row.  Accessible
 * and companion seats are never picked.  Concurrent calls never wait for
 * each other's seats (SKIP LOCKED) and never get the same seat.
 * Errors: SL_ECONFLICT (no n adjacent seats free), SL_ENOTFOUND (show,
 * user, zone), SL_EINVAL, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_sell_best(struct sl_db *db, int64_t show, int n,
		    int64_t user, const char *zone, const char *key,
		    struct sl_booking **out, size_t *nout, struct sl_err *e);

/*
 * Exchange: moves the active bookings (one show, one customer) to the
 * seats labels of to_show (0: the same show), one new seat for each, in
 * one transaction: the old bookings are cancelled and new ones made at the
 * new seats' prices.  The new seats may include old ones.  reason (may be
 * NULL) goes to the audit trail.  On SL_OK *out holds the new bookings and
 * *old_total (may be NULL) what the old ones cost.
 * Errors: SL_ENOTFOUND (a booking, or not active; show; seats),
 * SL_ECONFLICT (a new seat not available, listed in e->detail), SL_EINVAL
 * (counts differ, mixed shows or customers, a companion seat left without
 * or given without an accessible seat), SL_EBUSY, SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_sell_exchange(struct sl_db *db, const int64_t *bookings,
		    size_t nbookings, int64_t to_show,
		    const char *const *labels, size_t nlabels,
		    const char *reason, const char *key,
		    struct sl_booking **out, size_t *nout, int64_t *old_total,
		    struct sl_err *e);

/* sl_sell_hold with the rest of the sale in opts (sl_sale_book; types in
 * the hold's seat order); user 0: the reservation's customer, or none. */
enum sl_rc	sl_sale_hold(struct sl_db *db, int64_t show, int64_t hold,
		    int64_t user, const char *key,
		    const struct sl_sale_opts *opts, struct sl_booking **out,
		    size_t *nout, struct sl_err *e);

/* sl_sell_best with opts (types in the order of the seats chosen). */
enum sl_rc	sl_sale_best(struct sl_db *db, int64_t show, int n,
		    int64_t user, const char *zone, const char *key,
		    const struct sl_sale_opts *opts, struct sl_booking **out,
		    size_t *nout, struct sl_err *e);

/*
 * sl_sell_exchange with opts: the new seats are a new sale that takes over
 * what the old sales were paid for the seats given up; the new costing
 * more, the rest is due (or paid by opts->pay), costing less, the rest is
 * refunded by opts->refund (none given: SL_ECONFLICT), and *refund (may be
 * NULL) is that amount.
 */
enum sl_rc	sl_sale_exchange(struct sl_db *db, const int64_t *bookings,
		    size_t nbookings, int64_t to_show,
		    const char *const *labels, size_t nlabels,
		    const char *reason, const char *key,
		    const struct sl_sale_opts *opts, struct sl_booking **out,
		    size_t *nout, int64_t *old_total, int64_t *refund,
		    struct sl_err *e);

#endif
