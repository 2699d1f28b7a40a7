/*
 * sl_clerk.c - box-office logins.
 */
#include <string.h>

#include "sl_clerk.h"
#include "sl_db_int.h"

int
sl_clerk_name_valid(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0' ||
	    strlen(name) > SL_CLERK_NAME_MAX)
		return -1;
	if (*name >= '0' && *name <= '9')
		return -1;
	if (strncmp(name, "pg_", 3) == 0 || strncmp(name, "seatlock_", 9) == 0)
		return -1;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			return -1;
	}
	return 0;
}

int
sl_clerk_role_valid(const char *role)
{
	return role != NULL && (strcmp(role, "clerk") == 0 ||
	    strcmp(role, "supervisor") == 0 || strcmp(role, "door") == 0 ||
	    strcmp(role, "notifier") == 0) ?
	    0 : -1;
}

enum sl_rc
sl_clerk_add(struct sl_db *db, const char *name, const char *role,
    struct sl_err *e)
{
	const char *params[2];
	PGresult *res;
	enum sl_rc rc;

	/* The server checks again; checking here gives a clear message
	 * without a round trip and keeps odd bytes out of the statement. */
	if (sl_clerk_name_valid(name) != 0)
		return sl_err_set(e, SL_EINVAL, "a clerk name is 1 to 63 "
		    "lower-case letters, digits and _, not starting with a "
		    "digit, pg_ or seatlock_");
	if (sl_clerk_role_valid(role) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "the role is clerk, supervisor or door, or notifier");
	params[0] = name;
	params[1] = role;
	rc = sl_db_params(db, "SELECT sl_clerk_add($1, $2)", 2, params,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	PQclear(res);
	return SL_OK;
}

enum sl_rc
sl_clerk_is_door(struct sl_db *db, const char *role, int *door,
    struct sl_err *e)
{
	const char *params[1];
	char buf[8];
	enum sl_rc rc;

	*door = 0;
	params[0] = role;
	/* pg_has_role says yes to a superuser for every role: not a door. */
	rc = sl_db_query_value(db, "SELECT EXISTS (SELECT 1 FROM pg_roles r, "
	    "pg_roles g WHERE r.rolname = $1 AND g.rolname = 'seatlock_door' "
	    "AND NOT r.rolsuper AND pg_has_role(r.oid, g.oid, 'MEMBER'))", 1,
	    params, buf, sizeof buf, e);
	if (rc != SL_OK)
		return rc;
	*door = buf[0] == 't';
	return SL_OK;
}
