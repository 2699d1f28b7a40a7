/*
 * sl_saleopts.c - the rest of a sale as the selling functions' p_opts: a
 * JSON object built with jansson (which escapes what a person typed), so no
 * hand-made quoting reaches SQL.  The database checks everything again;
 * this only refuses early, with the clerk's words, what cannot be right.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sl_money.h"
#include "sl_parse.h"
#include "sl_saleopts.h"

#define SL_SALE_REASON_MAX	200

/* Is the word m one of the space-separated words of list? */
static int
sl_sale_word_in(const char *m, const char *list)
{
	size_t n = strlen(m), len;
	const char *p;

	for (p = list; *p != '\0'; p += len) {
		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (len == n && strncmp(p, m, n) == 0)
			return 1;
	}
	return 0;
}

enum sl_rc
sl_sale_method_check(const char *m, const char *methods, struct sl_err *e)
{
	size_t n;

	n = m != NULL ? strlen(m) : 0;
	if (n == 0 || n > SL_METHOD_MAX || m[0] < 'a' || m[0] > 'z' ||
	    strspn(m, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n ||
	    strcmp(m, "exchange") == 0 ||
	    (methods != NULL && !sl_sale_word_in(m, methods)))
		return sl_err_set(e, SL_EINVAL, "unknown payment method %.40s "
		    "(this terminal takes: %s)", n > 0 ? m : "(none)",
		    methods != NULL ? methods : "lower-case names");
	return SL_OK;
}

/* Checks a reason (comp, discount): SL_EINVAL saying what is wrong. */
static enum sl_rc
sl_sale_reason_check(const char *what, const char *s, struct sl_err *e)
{
	const char *why;

	if (sl_text_valid(s, SL_SALE_REASON_MAX, &why) != 0)
		return sl_err_set(e, SL_EINVAL, "the %s's reason %s", what, why);
	return SL_OK;
}

static int
sl_sale_set_str(json_t *o, const char *k, const char *v)
{
	return v == NULL ? 0 : json_object_set_new(o, k, json_string(v));
}

/* The "types" array: a code or null per seat. */
static json_t *
sl_sale_types_json(const struct sl_sale_opts *o, struct sl_err *e)
{
	char code[SL_PRICE_CODE_MAX + 1];
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < o->ntypes; i++) {
		if (o->types[i] == NULL || o->types[i][0] == '\0') {
			json_array_append_new(a, json_null());
			continue;
		}
		if (sl_price_code_normalize(o->types[i], code) != 0) {
			sl_err_set(e, SL_EINVAL, "no price type %.40s (a code is "
			    "1 to 32 of a-z, 0-9, '_', '-')", o->types[i]);
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, json_string(code));
	}
	if (a == NULL)
		sl_err_set(e, SL_ENOMEM, "out of memory");
	return a;
}

/* The "pay" array: {"method", "cents"} each, cents null for "what is
 * due". */
static json_t *
sl_sale_pay_json(const struct sl_sale_opts *o, const char *methods,
    struct sl_err *e)
{
	json_t *a = json_array(), *p;
	size_t i;

	for (i = 0; a != NULL && i < o->npay; i++) {
		if (sl_sale_method_check(o->pay[i].method, methods, e) != SL_OK ||
		    o->pay[i].cents == 0 || o->pay[i].cents > SL_MONEY_MAX) {
			if (e->rc == SL_OK)
				sl_err_set(e, SL_EINVAL, "a payment is 0.01 to "
				    "100000000.00");
			json_decref(a);
			return NULL;
		}
		p = json_pack("{s:s, s:o}", "method", o->pay[i].method, "cents",
		    o->pay[i].cents < 0 ? json_null() :
		    json_integer((json_int_t)o->pay[i].cents));
		json_array_append_new(a, p);
	}
	if (a == NULL)
		sl_err_set(e, SL_ENOMEM, "out of memory");
	return a;
}

/* Checks what is not an array: the reasons, the discount, the methods. */
static enum sl_rc
sl_sale_opts_check(const struct sl_sale_opts *o, const char *methods,
    struct sl_err *e)
{
	if (o->comp != NULL && sl_sale_reason_check("comp", o->comp, e))
		return SL_EINVAL;
	if (o->reason != NULL && sl_sale_reason_check("discount", o->reason, e))
		return SL_EINVAL;
	if (o->discount_cents < 0 || o->discount_cents > SL_MONEY_MAX)
		return sl_err_set(e, SL_EINVAL, "a discount is 0.01 to "
		    "100000000.00");
	if (o->discount_cents > 0 && o->reason == NULL)
		return sl_err_set(e, SL_EINVAL, "a discount needs a reason");
	if ((o->comp != NULL) + (o->discount_cents > 0) + (o->voucher != NULL)
	    > 1)
		return sl_err_set(e, SL_EINVAL, "a sale takes one of a comp, a "
		    "discount or a voucher");
	if (o->refund != NULL &&
	    sl_sale_method_check(o->refund, methods, e) != SL_OK)
		return SL_EINVAL;
	return SL_OK;
}

/* Builds the object of opts into o. */
static enum sl_rc
sl_sale_opts_fill(json_t *o, const struct sl_sale_opts *opts,
    const char *methods, struct sl_err *e)
{
	json_t *a;

	if (opts->ntypes > 0) {
		if ((a = sl_sale_types_json(opts, e)) == NULL)
			return e->rc;
		json_object_set_new(o, "types", a);
	}
	if (opts->npay > 0) {
		if ((a = sl_sale_pay_json(opts, methods, e)) == NULL)
			return e->rc;
		json_object_set_new(o, "pay", a);
	}
	if (opts->discount_cents > 0)
		json_object_set_new(o, "discount_cents",
		    json_integer((json_int_t)opts->discount_cents));
	if (sl_sale_set_str(o, "comp", opts->comp) != 0 ||
	    sl_sale_set_str(o, "reason", opts->reason) != 0 ||
	    sl_sale_set_str(o, "voucher", opts->voucher) != 0 ||
	    sl_sale_set_str(o, "auth", opts->auth) != 0 ||
	    sl_sale_set_str(o, "refund", opts->refund) != 0 ||
	    sl_sale_set_str(o, "channel", opts->channel) != 0)
		return sl_err_set(e, SL_EINVAL, "a sale's text is not valid "
		    "UTF-8");
	return SL_OK;
}

enum sl_rc
sl_sale_opts_json(const struct sl_sale_opts *opts, const char *methods,
    char **json, struct sl_err *e)
{
	json_t *o;
	enum sl_rc rc;

	*json = NULL;
	if (opts == NULL)
		return SL_OK;
	if ((rc = sl_sale_opts_check(opts, methods, e)) != SL_OK)
		return rc;
	if ((o = json_object()) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	rc = sl_sale_opts_fill(o, opts, methods, e);
	if (rc == SL_OK && json_object_size(o) > 0 &&
	    (*json = json_dumps(o, JSON_COMPACT)) == NULL)
		rc = sl_err_set(e, SL_ENOMEM, "out of memory");
	json_decref(o);
	return rc;
}
