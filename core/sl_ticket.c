/*
 * sl_ticket.c - ticket codes as people read them, the tickets of a sale,
 * check-in at the door.  The codes' secret part is the database's
 * (sql/functions/tickets.sql); here they are only written and read.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_db_int.h"
#include "sl_ticket.h"

/* Crockford's base32: no I, L, O, U. */
static const char sl_b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define SL_TICKET_SYMS	24	/* symbols of the 15 bytes */

/* The value of symbol c (O read as 0, I and L as 1), or -1. */
static int
sl_ticket_sym(int c)
{
	const char *p;

	c = toupper((unsigned char)c);
	if (c == 'O')
		c = '0';
	else if (c == 'I' || c == 'L')
		c = '1';
	if (c == '\0' || (p = strchr(sl_b32, c)) == NULL)
		return -1;
	return (int)(p - sl_b32);
}

/* The check symbol's value of v[0..SL_TICKET_SYMS-1]: the sum weighted by
 * position, modulo 31 (a prime: one wrong symbol or two swapped
 * neighbours change it). */
static int
sl_ticket_check(const int *v)
{
	int i, sum = 0;

	for (i = 0; i < SL_TICKET_SYMS; i++)
		sum += (i + 1) * v[i];
	return sum % 31;
}

void
sl_ticket_code_format(const unsigned char *raw, char *out)
{
	int v[SL_TICKET_SYMS], i, k = 0, bit;
	char syms[SL_TICKET_SYMS + 1];

	for (i = 0; i < SL_TICKET_SYMS; i++) {
		v[i] = 0;
		for (bit = 0; bit < 5; bit++, k++)
			v[i] = v[i] << 1 |
			    ((raw[k / 8] >> (7 - k % 8)) & 1);
		syms[i] = sl_b32[v[i]];
	}
	k = 0;
	for (i = 0; i < SL_TICKET_SYMS; i++) {
		if (i > 0 && i % 5 == 0)
			out[k++] = '-';
		out[k++] = syms[i];
	}
	out[k++] = sl_b32[sl_ticket_check(v)];
	out[k] = '\0';
}

enum sl_rc
sl_ticket_code_parse(const char *s, unsigned char *raw, struct sl_err *e)
{
	int v[SL_TICKET_SYMS + 1], n = 0, i, k, bit, c;

	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '-' || *s == ' ')
			continue;
		if ((c = sl_ticket_sym(*s)) < 0)
			return sl_err_set(e, SL_EINVAL, "not a ticket code: "
			    "'%c' is not in one (0-9, A-Z)",
			    isprint((unsigned char)*s) ? *s : '?');
		if (n == SL_TICKET_SYMS + 1)
			return sl_err_set(e, SL_EINVAL, "not a ticket code: "
			    "too long (25 symbols)");
		v[n++] = c;
	}
	if (n == 0)
		return sl_err_set(e, SL_EINVAL, "no ticket code (an empty scan)");
	if (n != SL_TICKET_SYMS + 1)
		return sl_err_set(e, SL_EINVAL, "not a ticket code: %d symbols, "
		    "a code has 25", n);
	if (sl_ticket_check(v) != v[SL_TICKET_SYMS])
		return sl_err_set(e, SL_EINVAL, "not a ticket code: the check "
		    "symbol is wrong (a typo?)");
	memset(raw, 0, SL_TICKET_RAW);
	for (i = 0, k = 0; i < SL_TICKET_SYMS; i++)
		for (bit = 4; bit >= 0; bit--, k++)
			if (v[i] >> bit & 1)
				raw[k / 8] |= (unsigned char)(1 << (7 - k % 8));
	return SL_OK;
}

/* bytea from the server (hex output, "\x0123...") into a code. */
static int
sl_ticket_from_hex(const char *hex, char *code)
{
	unsigned char raw[SL_TICKET_RAW];
	unsigned int b;
	int i;

	if (strncmp(hex, "\\x", 2) != 0 || strlen(hex) != 2 + 2 * SL_TICKET_RAW)
		return -1;
	for (i = 0; i < SL_TICKET_RAW; i++) {
		if (sscanf(hex + 2 + 2 * i, "%2x", &b) != 1)
			return -1;
		raw[i] = (unsigned char)b;
	}
	sl_ticket_code_format(raw, code);
	return 0;
}

static void
sl_ticket_clear(void *p)
{
	struct sl_ticket *t = p;

	free(t->section);
	free(t->type_name);
	free(t->title);
	free(t->venue);
}

void
sl_ticket_free(struct sl_ticket *v, size_t n)
{
	sl_db_free_list(v, n, sizeof *v, sl_ticket_clear);
}

#define SL_TCOPY(f, c) snprintf(t->f, sizeof t->f, "%s", PQgetvalue(res, i, c))

static enum sl_rc
sl_ticket_fill(void *p, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_ticket *t = p;

	(void)ctx;
	if (sl_db_int64(PQgetvalue(res, i, 0), &t->booking) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 1), &t->sale) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 2), &t->show) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 10), &t->price_cents) != 0 ||
	    sl_ticket_from_hex(PQgetvalue(res, i, 4), t->code) != 0)
		return sl_err_set(e, SL_EDB, "bad ticket from server");
	t->active = PQgetvalue(res, i, 3)[0] == 't';
	t->reprint = PQgetvalue(res, i, 16)[0] == 't';
	SL_TCOPY(label, 5);
	SL_TCOPY(row, 7);
	SL_TCOPY(type, 8);
	SL_TCOPY(starts_at, 11);
	SL_TCOPY(admitted_at, 14);
	SL_TCOPY(door, 15);
	t->section = strdup(PQgetvalue(res, i, 6));
	t->type_name = strdup(PQgetvalue(res, i, 9));
	t->title = strdup(PQgetvalue(res, i, 12));
	t->venue = strdup(PQgetvalue(res, i, 13));
	if (t->section == NULL || t->type_name == NULL || t->title == NULL ||
	    t->venue == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	return SL_OK;
}

static void
sl_ticket_set(void *out, void *v)
{
	*(struct sl_ticket **)out = v;
}

static const struct sl_db_map sl_ticket_map = {
	"SELECT * FROM sl_tickets($1, $2, $3, $4)",
	sizeof(struct sl_ticket), sl_ticket_fill, sl_ticket_clear,
	sl_ticket_set
};

enum sl_rc
sl_ticket_list(struct sl_db *db, int64_t sale, int64_t booking,
    const char *print_how, struct sl_ticket **out, size_t *n,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	if ((sale > 0) == (booking > 0))
		return sl_err_set(e, SL_EINVAL, "name a sale or a booking");
	sl_db_args(&a, db, "ppst", sale, booking, print_how);
	return sl_db_list(db, &sl_ticket_map, a.n, a.v, out, n, e);
}

/* One row of sl_checkin into out. */
static enum sl_rc
sl_checkin_row(PGresult *res, struct sl_checkin *out, struct sl_err *e)
{
	const char *r;

	memset(out, 0, sizeof *out);
	if (PQntuples(res) != 1)
		return sl_err_set(e, SL_EDB, "bad check-in from server");
	r = PQgetvalue(res, 0, 0);
	out->result = strcmp(r, "admitted") == 0 ? SL_CHECKIN_ADMITTED :
	    strcmp(r, "already") == 0 ? SL_CHECKIN_ALREADY :
	    SL_CHECKIN_REFUSED;
	snprintf(out->reason, sizeof out->reason, "%s", PQgetvalue(res, 0, 1));
	if (!PQgetisnull(res, 0, 2) &&
	    sl_db_int64(PQgetvalue(res, 0, 2), &out->show) != 0)
		return sl_err_set(e, SL_EDB, "bad show from server");
	snprintf(out->title, sizeof out->title, "%s", PQgetvalue(res, 0, 3));
	snprintf(out->starts_at, sizeof out->starts_at, "%s",
	    PQgetvalue(res, 0, 4));
	snprintf(out->label, sizeof out->label, "%s", PQgetvalue(res, 0, 5));
	snprintf(out->first_at, sizeof out->first_at, "%s",
	    PQgetvalue(res, 0, 6));
	snprintf(out->first_door, sizeof out->first_door, "%s",
	    PQgetvalue(res, 0, 7));
	if (sl_db_int64(PQgetvalue(res, 0, 8), &out->admitted) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 9), &out->sold) != 0)
		return sl_err_set(e, SL_EDB, "bad counts from server");
	return SL_OK;
}

/* raw as a bytea literal ("\x..."), 2 + 30 + 1 bytes. */
static void
sl_ticket_hex(const unsigned char *raw, char *hex)
{
	int i;

	memcpy(hex, "\\x", 2);
	for (i = 0; i < SL_TICKET_RAW; i++)
		snprintf(hex + 2 + 2 * i, 3, "%02x", raw[i]);
}

enum sl_rc
sl_checkin_at(struct sl_db *db, const unsigned char *raw, int64_t show,
    const char *door, const char *at, struct sl_checkin *out,
    struct sl_err *e)
{
	char hex[2 + 2 * SL_TICKET_RAW + 1];
	struct sl_db_args a = { 0 };
	const char *why;
	PGresult *res;
	enum sl_rc rc;

	if (door == NULL || sl_text_valid(door, SL_DOOR_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the door's name %s",
		    door == NULL ? "is missing" : why);
	sl_ticket_hex(raw, hex);
	sl_db_args(&a, db, "spss", hex, show, door, at);
	rc = sl_db_params(db, "SELECT * FROM sl_checkin($1::bytea, $2, $3, "
	    "$4::timestamptz, $4 IS NOT NULL)", a.n, a.v, PGRES_TUPLES_OK, &res,
	    e);
	if (rc != SL_OK)
		return rc;
	rc = sl_checkin_row(res, out, e);
	PQclear(res);
	return rc;
}

enum sl_rc
sl_checkin(struct sl_db *db, const char *code, int64_t show, const char *door,
    struct sl_checkin *out, struct sl_err *e)
{
	unsigned char raw[SL_TICKET_RAW];

	if (sl_ticket_code_parse(code, raw, e) != SL_OK)
		return SL_EINVAL;
	return sl_checkin_at(db, raw, show, door, NULL, out, e);
}

enum sl_rc
sl_sale_ref(struct sl_db *db, int64_t sale, char *ref, struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	sl_db_args(&a, db, "i", sale);
	rc = sl_db_params(db, "SELECT sl_sale_ref($1)", a.n, a.v,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	snprintf(ref, 47, "%s", PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) :
	    "");
	PQclear(res);
	return SL_OK;
}

enum sl_rc
sl_sale_by_ref(struct sl_db *db, const char *ref, int64_t *sale,
    struct sl_err *e)
{
	struct sl_db_args a = { 0 };
	PGresult *res;
	enum sl_rc rc;

	*sale = 0;
	sl_db_args(&a, db, "s", ref);
	rc = sl_db_params(db, "SELECT sl_sale_by_ref($1)", a.n, a.v,
	    PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK)
		return rc;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) &&
	    sl_db_int64(PQgetvalue(res, 0, 0), sale) != 0)
		rc = sl_err_set(e, SL_EDB, "bad sale from server");
	PQclear(res);
	return rc;
}

static enum sl_rc
sl_door_fill(void *p, PGresult *res, int i, const void *ctx,
    struct sl_err *e)
{
	struct sl_door_ticket *t = p;

	(void)ctx;
	if (sl_ticket_from_hex(PQgetvalue(res, i, 0), t->code) != 0 ||
	    sl_db_int64(PQgetvalue(res, i, 1), &t->booking) != 0)
		return sl_err_set(e, SL_EDB, "bad ticket from server");
	snprintf(t->label, sizeof t->label, "%s", PQgetvalue(res, i, 2));
	t->admitted = PQgetvalue(res, i, 5)[0] == 't';
	return SL_OK;
}

static void
sl_door_set(void *out, void *v)
{
	*(struct sl_door_ticket **)out = v;
}

static const struct sl_db_map sl_door_map = {
	"SELECT * FROM sl_door_tickets($1)",
	sizeof(struct sl_door_ticket), sl_door_fill, NULL, sl_door_set
};

enum sl_rc
sl_door_tickets(struct sl_db *db, int64_t show, struct sl_door_ticket **out,
    size_t *n, struct sl_err *e)
{
	struct sl_db_args a = { 0 };

	sl_db_args(&a, db, "i", show);
	return sl_db_list(db, &sl_door_map, a.n, a.v, out, n, e);
}
