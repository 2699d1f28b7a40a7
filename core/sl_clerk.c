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
	if (role == NULL || (strcmp(role, "clerk") != 0 &&
	    strcmp(role, "supervisor") != 0 && strcmp(role, "door") != 0))
		return sl_err_set(e, SL_EINVAL,
		    "the role is clerk, supervisor or door");
	params[0] = name;
	params[1] = role;
	rc = sl_db_params(db, "SELECT sl_clerk_add($1, $2)", 2, params,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	PQclear(res);
	return SL_OK;
}
