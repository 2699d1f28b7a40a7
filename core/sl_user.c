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

void
sl_user_list_free(struct sl_user *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].email);
		free(v[i].phone);
	}
	free(v);
}

enum sl_rc
sl_user_search(struct sl_db *db, const char *q, size_t limit,
    struct sl_user **out, size_t *nout, struct sl_err *e)
{
	const char *params[3], *why;
	char ibuf[24], lbuf[24];
	struct sl_user *v;
	PGresult *res;
	enum sl_rc rc;
	int64_t id;
	int i, n;

	if (sl_text_valid(q, 200, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the search text %s", why);
	if (limit < 1 || limit > 100)
		return sl_err_set(e, SL_EINVAL, "limit must be 1 to 100");
	params[0] = q;
	params[1] = NULL;
	if (sl_parse_id(q, &id) == 0) {
		snprintf(ibuf, sizeof ibuf, "%" PRId64, id);
		params[1] = ibuf;
	}
	snprintf(lbuf, sizeof lbuf, "%zu", limit);
	params[2] = lbuf;
	/* Three index scans OR-ed: the two prefix indexes of 0004 and the
	 * primary key. */
	rc = sl_db_params(db,
	    "SELECT user_id, name, email, coalesce(phone, '') FROM app_user "
	    "WHERE lower(name) LIKE sl_prefix_pattern($1) "
	    "OR lower(email) LIKE sl_prefix_pattern($1) "
	    "OR user_id = $2::bigint "
	    "ORDER BY lower(name), user_id LIMIT $3::integer", 3, params,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	n = PQntuples(res);
	v = calloc(n > 0 ? (size_t)n : 1, sizeof *v);
	if (v == NULL) {
		PQclear(res);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		v[i].name = strdup(PQgetvalue(res, i, 1));
		v[i].email = strdup(PQgetvalue(res, i, 2));
		v[i].phone = strdup(PQgetvalue(res, i, 3));
		if (v[i].name == NULL || v[i].email == NULL ||
		    v[i].phone == NULL) {
			sl_user_list_free(v, (size_t)i + 1);
			PQclear(res);
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		}
		if (sl_db_int64(PQgetvalue(res, i, 0), &v[i].id) != 0) {
			sl_user_list_free(v, (size_t)i + 1);
			PQclear(res);
			return sl_err_set(e, SL_EDB, "bad user id from server");
		}
	}
	PQclear(res);
	*out = v;
	*nout = (size_t)n;
	return SL_OK;
}
