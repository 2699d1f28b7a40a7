/*
 * sl_clerk.h - box-office logins: each clerk is their own PostgreSQL
 * login, a member of the group seatlock_clerk or seatlock_supervisor; a
 * door's login is a member of seatlock_door (it may check tickets in and
 * do nothing else).
 */
#ifndef SL_CLERK_H
#define SL_CLERK_H

#include "sl_db.h"

#define SL_CLERK_NAME_MAX	63	/* PostgreSQL's NAMEDATALEN - 1 */

/*
 * Returns 0 if name is a valid clerk login name: 1 to 63 lower-case ASCII
 * letters, digits and _, not starting with a digit, "pg_" or "seatlock_".
 * Such a name needs no quoting and cannot name a group of ours.
 */
int		sl_clerk_name_valid(const char *name);

/*
 * Creates the login name (without a password: authentication is the
 * server's business) as a member of seatlock_clerk (role "clerk"),
 * seatlock_supervisor (role "supervisor"), seatlock_door (role "door": a
 * door's login, for `seatlock checkin` or an HTTP door token) or
 * seatlock_notifier (role "notifier": the login of `seatlock notifier`).  Only a
 * supervisor may.
 * Errors: SL_EINVAL (bad name or role), SL_ECONFLICT (a role of that name
 * exists; or the caller is not a supervisor, sqlstate SL403), SL_EDB
 * (42501: the caller may not call it at all), SL_ECONN.
 */
enum sl_rc	sl_clerk_add(struct sl_db *db, const char *name,
		    const char *role, struct sl_err *e);

/* Returns 0 if role is one sl_clerk_add takes: clerk, supervisor, door,
 * notifier. */
int		sl_clerk_role_valid(const char *role);

/*
 * *door = 1 when role (an existing role's name) is a door's: a member of
 * seatlock_door, directly or through other roles, and not a superuser
 * (who is a member of every role).  0 when it is not, or when there is no
 * such role or seatlock_door.  Errors: SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_clerk_is_door(struct sl_db *db, const char *role, int *door,
		    struct sl_err *e);

#endif
