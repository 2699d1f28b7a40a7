/*
 * sl_user.h - customers.
 */
#ifndef SL_USER_H
#define SL_USER_H

#include <stdint.h>

#include "sl_db.h"

#define SL_NAME_MAX	800	/* bytes: 200 characters of up to 4 bytes */

/*
 * Registers a customer.  name is any Unicode text without control
 * characters (stored as given); email must look like one; phone may be
 * NULL.  *id is the new user.  Errors: SL_EINVAL (with the reason),
 * SL_ECONFLICT (the email is registered already, whatever its case).
 */
enum sl_rc	sl_user_register(struct sl_db *db, const char *name,
		    const char *email, const char *phone, int64_t *id,
		    struct sl_err *e);

/* A customer as found by sl_user_search. */
struct sl_user {
	int64_t	 id;
	char	*name;		/* owned by the struct */
	char	*email;		/* owned by the struct */
	char	*phone;		/* owned by the struct; "" if none */
};

/*
 * Customers whose name or email starts with q, whatever the case, and the
 * customer whose id is q if q is a number; ordered by name, at most limit
 * (1..100).  On SL_OK *out (sl_user_list_free) holds *n customers, maybe
 * none.  Errors: SL_EINVAL (q empty, too long or with control characters),
 * SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_user_search(struct sl_db *db, const char *q, size_t limit,
		    struct sl_user **out, size_t *n, struct sl_err *e);
void		sl_user_list_free(struct sl_user *v, size_t n);

#endif
