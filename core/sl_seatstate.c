/*
 * sl_seatstate.c - re-reading some seats' states.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sl_db_int.h"
#include "sl_seatstate.h"
#include "sl_show.h"

/* The rows (seat_id, state) of res into ids and states (room for max). */
static enum sl_rc
sl_seatstate_rows(const PGresult *res, size_t max, int64_t *ids,
    uint8_t *states, size_t *nout, struct sl_err *e)
{
	enum sl_seat_state st;
	int k, rows = PQntuples(res);

	if (PQnfields(res) != 2 || (size_t)rows > max)
		return sl_err_set(e, SL_EDB, "more rows than seats asked for");
	for (k = 0; k < rows; k++) {
		if (sl_db_int64(PQgetvalue(res, k, 0), &ids[k]) != 0 ||
		    sl_seat_state_parse(PQgetvalue(res, k, 1), &st) != 0)
			return sl_err_set(e, SL_EDB, "bad seat row from server");
		states[k] = (uint8_t)st;
	}
	*nout = (size_t)rows;
	return SL_OK;
}

enum sl_rc
sl_seatstate_read(struct sl_db *db, int64_t show, const int64_t *ids,
    size_t n, int64_t *out_ids, uint8_t *out_states, size_t *nout,
    struct sl_err *e)
{
	const char *params[2];
	char sbuf[24], *arr;
	size_t i, len = 0, cap;
	PGresult *res;
	enum sl_rc rc;

	if (n == 0 || n > SL_SEATSTATE_MAX)
		return sl_err_set(e, SL_EINVAL, "1 to %d seats per read",
		    SL_SEATSTATE_MAX);
	/* A bigint[] literal made of numbers only. */
	cap = n * 21 + 3;
	arr = malloc(cap);
	if (arr == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	arr[len++] = '{';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(arr + len, cap - len, "%s%" PRId64,
		    i ? "," : "", ids[i]);
	snprintf(arr + len, cap - len, "}");
	snprintf(sbuf, sizeof sbuf, "%" PRId64, show);
	params[0] = sbuf;
	params[1] = arr;
	/* The primary key (show_id, seat_id) serves this. */
	rc = sl_db_params(db,
	    "SELECT seat_id, state FROM show_seat WHERE show_id = $1 "
	    "AND seat_id = ANY ($2::bigint[]) ORDER BY seat_id", 2, params,
	    PGRES_TUPLES_OK, &res, e);
	free(arr);
	if (rc != SL_OK)
		return rc;
	rc = sl_seatstate_rows(res, n, out_ids, out_states, nout, e);
	PQclear(res);
	return rc;
}
