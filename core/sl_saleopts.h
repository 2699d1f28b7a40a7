/*
 * sl_saleopts.h - what a sale carries beyond its seats (sl_sale.h): price
 * types, a comp, discount or voucher, payments, a refund method, the
 * channel; and how it travels to the selling functions (a jsonb argument).
 */
#ifndef SL_SALEOPTS_H
#define SL_SALEOPTS_H

#include <stddef.h>
#include <stdint.h>

#include "sl_err.h"

#define SL_METHOD_MAX	32	/* a payment method: [a-z][a-z0-9_-]{0,31} */

/* One payment of a sale: cents < 0 means what is due (for cash: exactly
 * that tendered). */
struct sl_pay {
	const char	*method;
	int64_t		 cents;
};

/*
 * The rest of a sale, beyond its seats; every field may be left 0/NULL.
 * types: a price type code (or NULL: the zone's default) per seat: in the
 * order of the labels for a sale by label and an exchange, in seat order
 * for a hold and best available.  At most one of comp (a reason: every
 * seat at 0), discount_cents (> 0, with reason) and voucher.  comp and
 * discount need a supervisor's login or auth (a supervisor's code).
 * pay: when given, the sale must be paid in full by them.  refund: the
 * method of what an exchange gives back.  channel: NULL "box office".
 */
struct sl_sale_opts {
	const char *const	*types;
	size_t			 ntypes;
	const char		*comp;
	int64_t			 discount_cents;
	const char		*reason;
	const char		*voucher;
	const char		*auth;
	const struct sl_pay	*pay;
	size_t			 npay;
	const char		*refund;
	const char		*channel;
};

/*
 * Checks a payment method: its form, and that it is one of methods (the
 * configured ones, space-separated: sl_db_methods; NULL: any).  SL_EINVAL
 * naming it and the methods taken otherwise.
 */
enum sl_rc	sl_sale_method_check(const char *method, const char *methods,
		    struct sl_err *e);

/*
 * The opts as the selling functions' p_opts (JSON text; free()), or NULL
 * for opts NULL or empty; every method one of methods (as above).  SL_EINVAL for a bad method, reason or amount;
 * SL_ENOMEM.
 */
enum sl_rc	sl_sale_opts_json(const struct sl_sale_opts *opts,
		    const char *methods, char **json, struct sl_err *e);

#endif
