/*
 * sl_user.c - customers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_parse.h"
#include "sl_user.h"

/* Characters (code points) of valid UTF-8 text. */
static size_t
sl_user_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

enum sl_rc
sl_user_register(struct sl_db *db, const char *name, const char *email,
    const char *phone, int64_t *id, struct sl_err *e)
{
	const char *params[3], *why;
	char out[24];
	enum sl_rc rc;

	if (sl_text_valid(name, SL_NAME_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the name %s", why);
	/* app_user.name allows 200 characters: say so here, rather than
	 * show the clerk a constraint name and the failing row. */
	if (sl_user_chars(name) > 200)
		return sl_err_set(e, SL_EINVAL,
		    "the name is too long (at most 200 characters)");
	if (sl_email_valid(email) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "\"%.100s\" is not an email address", email);
	if (phone != NULL && sl_phone_valid(phone) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "the phone number may hold only digits, spaces and + ( ) . / -");
	params[0] = name;
	params[1] = email;
	params[2] = phone;
	rc = sl_db_query_value(db,
	    "SELECT sl_user_add($1, $2, $3)", 3, params, out, sizeof out, e);
	if (rc == SL_ECONFLICT)
		return sl_err_set(e, SL_ECONFLICT,
		    "a customer with email %.254s is registered already", email);
	if (rc != SL_OK)
		return rc;
	if (sl_db_int64(out, id) != 0)
		return sl_err_set(e, SL_EDB, "bad user id from server");
	return SL_OK;
}
