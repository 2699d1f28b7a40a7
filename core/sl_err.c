/*
 * sl_err.c - result codes, error details and SQLSTATE classification.
 */
#include <stdio.h>
#include <string.h>

#include "sl_err.h"

enum sl_rc
sl_err_set(struct sl_err *e, enum sl_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return rc;
	e->rc = rc;
	e->sqlstate[0] = '\0';
	e->detail[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return rc;
}

void
sl_err_clear(struct sl_err *e)
{
	if (e != NULL)
		memset(e, 0, sizeof *e);
}

const char *
sl_rc_name(enum sl_rc rc)
{
	switch (rc) {
	case SL_OK:
		return "ok";
	case SL_ENOMEM:
		return "out of memory";
	case SL_EINVAL:
		return "invalid input";
	case SL_ECONFLICT:
		return "conflict";
	case SL_ENOTFOUND:
		return "not found";
	case SL_ECONN:
		return "connection lost";
	case SL_EDB:
		return "database error";
	case SL_ECONFIG:
		return "configuration error";
	case SL_ERETRY:
		return "retry";
	case SL_EBUSY:
		return "busy";
	case SL_EIO:
		return "i/o error";
	}
	return "unknown";
}

enum sl_rc
sl_rc_from_sqlstate(const char *s)
{
	if (s == NULL || strlen(s) != 5)
		return SL_EDB;
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0)
		return SL_ERETRY;
	/* lock_not_available, query_canceled (statement_timeout) */
	if (strcmp(s, "55P03") == 0 || strcmp(s, "57014") == 0)
		return SL_EBUSY;
	if (strcmp(s, "23505") == 0 || strcmp(s, "SL409") == 0)
		return SL_ECONFLICT;
	/* A supervisor is needed: the seats are blocked to this user.  The
	 * SQLSTATE stays in the error for callers that tell them apart. */
	if (strcmp(s, "SL403") == 0)
		return SL_ECONFLICT;
	/* Outside the show's on-sale window (SL_SQLSTATE_OFF_SALE). */
	if (strcmp(s, SL_SQLSTATE_OFF_SALE) == 0)
		return SL_ECONFLICT;
	if (strcmp(s, "SL404") == 0)
		return SL_ENOTFOUND;
	if (strcmp(s, "SL400") == 0)
		return SL_EINVAL;
	/* 22xxx data exceptions, 23xxx constraint violations other than
	 * unique: the input did not fit the schema. */
	if (strncmp(s, "22", 2) == 0 || strncmp(s, "23", 2) == 0)
		return SL_EINVAL;
	/* connection exceptions, admin/crash shutdown, cannot connect now */
	if (strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 ||
	    strcmp(s, "57P02") == 0 || strcmp(s, "57P03") == 0)
		return SL_ECONN;
	return SL_EDB;
}

int
sl_rc_exit_code(enum sl_rc rc)
{
	switch (rc) {
	case SL_OK:
		return 0;
	case SL_EINVAL:
	case SL_ECONFIG:
		return 2;
	case SL_ECONFLICT:
	case SL_EBUSY:
		return 3;
	case SL_ENOTFOUND:
		return 4;
	case SL_ENOMEM:
	case SL_ECONN:
	case SL_EDB:
	case SL_ERETRY:
	case SL_EIO:
		return 1;
	}
	return 1;
}
