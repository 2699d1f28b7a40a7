/*
 * sl_price.c - price types of a show's zones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_price.h"
#include "sl_zone.h"

enum sl_rc
sl_price_code_check(const char *code, char *out, struct sl_err *e)
{
	if (sl_price_code_normalize(code, out) != 0)
		return sl_err_set(e, SL_EINVAL, "price type \"%.40s\" is not 1 "
		    "to 32 letters, digits, _ or - (like adult or child)",
		    code);
	return SL_OK;
}

enum sl_rc
sl_price_set(struct sl_db *db, int64_t show, const char *zone,
    const char *code, const char *name, int64_t price_cents, int is_default,
    int *created, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	char z[SL_ZONE_MAX + 1], c[SL_PRICE_CODE_MAX + 1];
	const char *why;
	int64_t isnew;
	enum sl_rc rc;

	if (sl_zone_code_check(zone, z, e) != SL_OK ||
	    sl_price_code_check(code, c, e) != SL_OK)
		return SL_EINVAL;
	if (name != NULL && sl_text_valid(name, 100, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the price type's name %s", why);
	if (price_cents < 0 || price_cents > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "a price is 0 to %lld cents",
		    (long long)SL_MONEY_MAX);
	sl_db_args(&a, db, "isssist", show, z, c, name, price_cents,
	    is_default ? "true" : "false");
	rc = sl_db_query_int(db,
	    "SELECT sl_price_set($1, $2, $3, $4, $5, $6::boolean, $7)", &a,
	    "price type", &isnew, e);
	if (rc == SL_OK && created != NULL)
		*created = isnew == 1;
	return rc;
}

/* Frees what one price type of a list points to. */
static void
sl_price_clear(void *v)
{
	free(((struct sl_price *)v)->name);
}

static void
sl_price_set_list(void *out, void *v)
{
	*(struct sl_price **)out = v;
}

void
sl_price_list_free(struct sl_price *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_price_clear);
}

/* One row of sl_price_list. */
static enum sl_rc
sl_price_fill(void *v, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_price *p = v;

	(void)ctx;
	snprintf(p->zone, sizeof p->zone, "%s", PQgetvalue(res, i, 0));
	snprintf(p->code, sizeof p->code, "%s", PQgetvalue(res, i, 1));
	if ((p->name = strdup(PQgetvalue(res, i, 2))) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if (sl_db_int64(PQgetvalue(res, i, 3), &p->price_cents) != 0)
		return sl_err_set(e, SL_EDB, "bad price type row from server");
	p->is_default = strcmp(PQgetvalue(res, i, 4), "t") == 0;
	return SL_OK;
}

static const struct sl_db_map sl_price_map = {
	"SELECT zone, code, name, price_cents, is_default "
	"FROM sl_price_list($1)",
	sizeof(struct sl_price), sl_price_fill, sl_price_clear,
	sl_price_set_list
};

enum sl_rc
sl_price_list(struct sl_db *db, int64_t show, struct sl_price **out,
    size_t *nout, struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	sl_db_args(&a, db, "i", show);
	return sl_db_list(db, &sl_price_map, a.n, a.v, out, nout, e);
}
