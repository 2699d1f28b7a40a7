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

#endif
