/*
 * sl_zone.c - price zones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_book_int.h"
#include "sl_db_int.h"
#include "sl_parse.h"
#include "sl_zone.h"

enum sl_rc
sl_zone_code_check(const char *code, char *zone, struct sl_err *e)
{
	if (sl_zone_code_normalize(code, zone) != 0)
		return sl_err_set(e, SL_EINVAL,
		    "zone \"%.40s\" is not 1 to 32 letters, digits, _ or -",
		    code);
	return SL_OK;
}

enum sl_rc
sl_zone_set(struct sl_db *db, int64_t show, const char *code, const char *name,
    int64_t price_cents, int32_t rank, int64_t *joined, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char zone[SL_ZONE_MAX + 1];
	const char *why;

	if (sl_zone_code_check(code, zone, e) != SL_OK)
		return SL_EINVAL;
	if (name != NULL && sl_text_valid(name, 100, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the zone name %s", why);
	if (price_cents < 0 || price_cents > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "a price is 0 to %lld cents",
		    (long long)SL_MONEY_MAX);
	if (rank < 0 || rank > 1000)
		return sl_err_set(e, SL_EINVAL, "a zone's rank is 1 to 1000");
	sl_db_args(&a, db, "issipt", show, zone, name, price_cents,
	    (int64_t)rank);
	return sl_db_query_int(db, "SELECT sl_zone_set($1, $2, $3, $4, $5, $6)",
	    &a, "count", joined, e);
}

enum sl_rc
sl_zone_assign(struct sl_db *db, int64_t show, const char *code,
    const char *section, const char *row, const char *const *labels,
    size_t nlabels, int64_t *n, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char zone[SL_ZONE_MAX + 1];
	char *arr = NULL;
	enum sl_rc rc;

	if (sl_zone_code_check(code, zone, e) != SL_OK)
		return SL_EINVAL;
	if ((nlabels > 0) == (section != NULL) ||
	    (row != NULL && section == NULL))
		return sl_err_set(e, SL_EINVAL,
		    "name seats, or a section (and a row)");
	if (nlabels > 0 && (arr = sl_book_array(labels, nlabels)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	sl_db_args(&a, db, "isssst", show, zone, section, row, arr);
	rc = sl_db_query_int(db,
	    "SELECT sl_zone_assign($1, $2, $3, $4, $5::text[], $6)", &a,
	    "count", n, e);
	free(arr);
	return rc;
}

/* Frees what one zone of a list points to. */
static void
sl_zone_clear(void *v)
{
	free(((struct sl_zone *)v)->name);
}

static void
sl_zone_set_list(void *out, void *v)
{
	*(struct sl_zone **)out = v;
}

void
sl_zone_list_free(struct sl_zone *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_zone_clear);
}

/* One row of sl_zone_list. */
static enum sl_rc
sl_zone_fill(void *v, PGresult *res, int i, const void *ctx, struct sl_err *e)
{
	struct sl_zone *z = v;

	(void)ctx;
	snprintf(z->code, sizeof z->code, "%s", PQgetvalue(res, i, 0));
	z->name = strdup(PQgetvalue(res, i, 1));
	z->rank = atoi(PQgetvalue(res, i, 3));
	if (z->name == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 2), &z->price_cents) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 4), &z->seats) != 0)
		return sl_err_set(e, SL_EDB, "bad zone row from server");
	return SL_OK;
}

static const struct sl_db_map sl_zone_map = {
	"SELECT z.zone, z.name, z.price_cents, z.rank, "
	"(SELECT count(*) FROM show_seat ss WHERE ss.show_id = z.show_id "
	"AND ss.zone = z.zone) "
	"FROM show sh LEFT JOIN price_zone z ON z.show_id = sh.show_id "
	"WHERE sh.show_id = $1 ORDER BY z.rank, z.zone",
	sizeof(struct sl_zone), sl_zone_fill, sl_zone_clear, sl_zone_set_list
};

enum sl_rc
sl_zone_list(struct sl_db *db, int64_t show, struct sl_zone **out, size_t *nout,
    struct sl_err *e)
{
	return sl_db_show_list(db, &sl_zone_map, show, out, nout, e);
}
