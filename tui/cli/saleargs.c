/*
 * saleargs.c - the sale's options and operands as the selling commands
 * read them, and the sale as they print it (saleargs.h).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/saleargs.h"
#include "sl_hold.h"
#include "sl_money.h"
#include "sl_sale.h"

void
cli_sale_opt_rows(struct cli_sale_args *s, int which, struct cli_opt *o,
    size_t *n)
{
	const struct cli_opt rows[] = {
		{ "pay", CLI_REPEAT, s->pay, NULL },
		{ "comp", required_argument, &s->comp, NULL },
		{ "discount", required_argument, &s->discount, NULL },
		{ "reason", required_argument, &s->reason, NULL },
		{ "voucher", required_argument, &s->voucher, NULL },
		{ "auth", required_argument, &s->auth, NULL },
		{ "refund", required_argument, &s->refund, NULL },
		{ "type", CLI_REPEAT, s->type, NULL },
	};
	const int of[] = { CLI_SALE_PAY, CLI_SALE_REDUCE, CLI_SALE_REDUCE,
		CLI_SALE_REDUCE, CLI_SALE_REDUCE, CLI_SALE_AUTH,
		CLI_SALE_REFUND, CLI_SALE_TYPE };
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if ((which & of[i]) != 0 && *n < CLI_OPTS_MAX)
			o[(*n)++] = rows[i];
	memset(&o[*n], 0, sizeof o[*n]);
}

int
cli_amount(const char *what, const char *s, int64_t *cents)
{
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_money_parse(s, what, cents, &e) != SL_OK)
		return cli_fail(&e);
	return 0;
}

int
cli_pay_parse(char *s, const char **method, int64_t *cents)
{
	char *colon = strchr(s, ':');
	int code;

	*cents = -1;
	if (colon != NULL) {
		*colon = '\0';
		if ((code = cli_amount("payment", colon + 1, cents)) != 0)
			return code;
		if (*cents == 0) {
			cli_msg("a payment of 0.00 takes nothing: leave the "
			    "amount out to pay what is due");
			return CLI_EXIT_USAGE;
		}
	}
	if (s[0] == '\0' || strlen(s) > SL_METHOD_MAX) {
		cli_msg("\"%s\" is not a payment method (METHOD[:AMOUNT], "
		    "e.g. cash:50.00 or card)", s);
		return CLI_EXIT_USAGE;
	}
	*method = s;
	return 0;
}

/* Splits LABEL:TYPE operands: s->types gets a type (or NULL) per label
 * when any has one. */
static int
cli_sale_types(struct cli_sale_args *s, char **argv, size_t n)
{
	size_t i, k = 0;
	char *colon;

	for (i = 0; i < n; i++)
		k += strchr(argv[i], ':') != NULL;
	if (k == 0)
		return 0;
	if ((s->types = calloc(n, sizeof *s->types)) == NULL) {
		cli_msg("out of memory");
		return CLI_EXIT_ERROR;
	}
	for (i = 0; i < n; i++) {
		if ((colon = strchr(argv[i], ':')) == NULL)
			continue;
		*colon = '\0';
		if (colon[1] == '\0') {
			cli_msg("seat %s: no price type after ':' "
			    "(LABEL:TYPE, e.g. A1:child)", argv[i]);
			return CLI_EXIT_USAGE;
		}
		s->types[i] = colon + 1;
	}
	s->opts.types = s->types;
	s->opts.ntypes = n;
	return 0;
}

/* --type (for a hold or best available): one per seat, or one for all
 * nbest seats. */
static int
cli_sale_type_opts(struct cli_sale_args *s, int nbest)
{
	size_t k = 0, i;

	while (s->type[k] != NULL)
		k++;
	if (k == 0)
		return 0;
	if (s->types != NULL) {
		cli_msg("give price types as LABEL:TYPE or with --type, not "
		    "both");
		return CLI_EXIT_USAGE;
	}
	if (k == 1 && nbest > 1) {
		if ((s->types = calloc((size_t)nbest, sizeof *s->types)) ==
		    NULL) {
			cli_msg("out of memory");
			return CLI_EXIT_ERROR;
		}
		for (i = 0; i < (size_t)nbest; i++)
			s->types[i] = s->type[0];
		s->opts.types = s->types;
		s->opts.ntypes = (size_t)nbest;
		return 0;
	}
	s->opts.types = s->type;
	s->opts.ntypes = k;
	return 0;
}

/* --comp, --discount with --reason, --voucher: at most one. */
static int
cli_sale_reductions(struct cli_sale_args *s)
{
	const char *why;
	int code;

	if ((s->comp != NULL) + (s->discount != NULL) + (s->voucher != NULL) >
	    1) {
		cli_msg("a sale takes one of --comp, --discount and --voucher");
		return CLI_EXIT_USAGE;
	}
	if (s->comp != NULL && sl_text_valid(s->comp, SL_REASON_MAX, &why)) {
		cli_msg("the comp's reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((s->discount != NULL) != (s->reason != NULL)) {
		cli_msg("a discount needs a reason: --discount AMOUNT "
		    "--reason TEXT");
		return CLI_EXIT_USAGE;
	}
	if (s->reason != NULL &&
	    sl_text_valid(s->reason, SL_REASON_MAX, &why) != 0) {
		cli_msg("the reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if (s->discount != NULL &&
	    ((code = cli_amount("discount", s->discount,
	        &s->opts.discount_cents)) != 0))
		return code;
	if (s->discount != NULL && s->opts.discount_cents == 0) {
		cli_msg("a discount of 0.00 is no discount");
		return CLI_EXIT_USAGE;
	}
	s->opts.comp = s->comp;
	s->opts.reason = s->reason;
	s->opts.voucher = s->voucher;
	return 0;
}

int
cli_sale_check(struct cli_sale_args *s, char **argv, size_t n, int nbest)
{
	size_t i;
	int code;

	if ((code = cli_sale_types(s, argv, n)) != 0 ||
	    (code = cli_sale_type_opts(s, nbest)) != 0 ||
	    (code = cli_sale_reductions(s)) != 0)
		return code;
	for (i = 0; s->pay[i] != NULL; i++) {
		if (strlen(s->pay[i]) >= sizeof s->methods[i]) {
			cli_msg("\"%.40s...\" is not a payment "
			    "(METHOD[:AMOUNT])",
			    s->pay[i]);
			return CLI_EXIT_USAGE;
		}
		snprintf(s->methods[i], sizeof s->methods[i], "%s", s->pay[i]);
		if ((code = cli_pay_parse(s->methods[i], &s->pays[i].method,
		         &s->pays[i].cents)) != 0)
			return code;
	}
	s->opts.pay = s->pays;
	s->opts.npay = i;
	s->opts.auth = s->auth;
	s->opts.refund = s->refund;
	return 0;
}

void
cli_sale_free(struct cli_sale_args *s)
{
	free(s->types);
	s->types = NULL;
}

const char *
cli_doc_money(json_t *doc, const char *key, const char *currency, char *buf,
    size_t bufsz)
{
	char k[64];
	json_t *v;

	snprintf(k, sizeof k, "%s_cents", key);
	v = json_object_get(doc, k);
	if (!json_is_integer(v))
		return "?";
	sl_money_format((int64_t)json_integer_value(v), currency, buf, bufsz);
	return buf;
}

/* Copies the keys (NULL-ended) of src to dst (null where missing). */
static void
cli_json_copy(json_t *dst, json_t *src, const char *const *keys)
{
	json_t *v;

	for (; *keys != NULL; keys++) {
		v = json_object_get(src, *keys);
		json_object_set(dst, *keys, v != NULL ? v : json_null());
	}
}

/* Is booking id among b[0..n)? */
static int
cli_has_booking(const struct sl_booking *b, size_t n, json_int_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i].id == (int64_t)id)
			return 1;
	return 0;
}

/* The JSON of `book --json`: the sale's document cut to its shape, with
 * the bookings and total_cents as book printed them before sales. */
static json_t *
cli_sale_json(json_t *doc, const struct sl_booking *b, size_t n,
    const char *currency)
{
	static const char *const seat_keys[] = { "label", "type", "zone",
		"price", "price_cents", "booking", NULL };
	static const char *const keys[] = { "sale", "show", "total",
		"total_cents", "paid", "paid_cents", "due", "due_cents",
		"change", "change_cents", NULL };
	json_t *out = json_object(), *seats = json_array(), *bk = json_array();
	json_t *st, *o;
	size_t i;

	json_array_foreach(json_object_get(doc, "seats"), i, st) {
		if (!cli_has_booking(b, n,
		        json_integer_value(json_object_get(st, "booking"))))
			continue;
		o = json_object();
		cli_json_copy(o, st, seat_keys);
		json_array_append_new(seats, o);
	}
	for (i = 0; i < n; i++)
		json_array_append_new(bk, json_pack("{s:I,s:s,s:I}", "id",
		    (json_int_t)b[i].id, "label", b[i].label, "price_cents",
		    (json_int_t)b[i].price_cents));
	json_object_set_new(out, "sale", json_integer(0));
	json_object_set_new(out, "seats", seats);
	cli_json_copy(out, doc, keys);
	json_object_set_new(out, "currency", json_string(currency));
	json_object_set_new(out, "bookings", bk);
	return out;
}

int
cli_sale_print(struct sl_db *db, const struct sl_booking *b, size_t n,
    int json)
{
	const char *cur = sl_db_currency(db);
	char t[SL_MONEY_BUF], p[SL_MONEY_BUF], c[SL_MONEY_BUF], d[SL_MONEY_BUF];
	json_t *doc = NULL, *out;
	struct sl_err e;
	size_t i;

	sl_err_clear(&e);
	if (n == 0 || b[0].sale == 0 ||
	    sl_sale_get(db, b[0].sale, &doc, &e) != SL_OK) {
		cli_msg("sold, but the sale could not be read back: %s",
		    e.msg[0] != '\0' ? e.msg : "no sale number");
		for (i = 0; i < n; i++)
			printf("%" PRId64 "\n", b[i].id);
		return 0;
	}
	if (json) {
		out = cli_sale_json(doc, b, n, cur);
		json_dumpf(out, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(out);
	} else
		for (i = 0; i < n; i++)
			printf("%" PRId64 "\n", b[i].id);
	cli_msg("sale %" PRId64 ": total %s, paid %s, change %s, due %s",
	    b[0].sale, cli_doc_money(doc, "total", cur, t, sizeof t),
	    cli_doc_money(doc, "paid", cur, p, sizeof p),
	    cli_doc_money(doc, "change", cur, c, sizeof c),
	    cli_doc_money(doc, "due", cur, d, sizeof d));
	json_decref(doc);
	return 0;
}

const char *
cli_str(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : dflt;
}

/* The receipt's seats. */
static void
cli_receipt_seats(FILE *f, json_t *doc, const char *currency)
{
	char m[SL_MONEY_BUF];
	json_t *st;
	size_t i;

	fprintf(f, "  %-10s %-12s %16s  %-10s %s\n", "SEAT", "TYPE", "PRICE",
	    "BOOKING", "STATUS");
	json_array_foreach(json_object_get(doc, "seats"), i, st) {
		fprintf(f, "  %-10s %-12s %16s  %-10" JSON_INTEGER_FORMAT
		    " %s\n", cli_str(st, "label", "?"),
		    cli_str(st, "type", "-"),
		    cli_doc_money(st, "price", currency, m, sizeof m),
		    json_integer_value(json_object_get(st, "booking")),
		    cli_str(st, "status", "?"));
	}
}

/* The receipt's payments and refunds. */
static void
cli_receipt_payments(FILE *f, json_t *doc, const char *currency)
{
	char m[SL_MONEY_BUF], c[SL_MONEY_BUF];
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(doc, "payments"), i, p) {
		fprintf(f, "  %-8s %-10s %16s", cli_str(p, "kind", "?"),
		    cli_str(p, "method", "?"),
		    cli_doc_money(p, "amount", currency, m, sizeof m));
		if (json_integer_value(json_object_get(p, "change_cents")) > 0)
			fprintf(f, "  (tendered %s %s, change %s)",
			    cli_str(p, "tendered", "?"), currency,
			    cli_doc_money(p, "change", currency, c, sizeof c));
		fputc('\n', f);
	}
}

void
cli_receipt(FILE *f, json_t *doc, const char *currency)
{
	json_t *cust = json_object_get(doc, "customer");
	char m[SL_MONEY_BUF];
	size_t i;
	static const char *const sums[] = { "total", "paid", "change", "due" };

	fprintf(f, "Sale %" JSON_INTEGER_FORMAT "  show %" JSON_INTEGER_FORMAT
	    " ", json_integer_value(json_object_get(doc, "sale")),
	    json_integer_value(json_object_get(doc, "show")));
	cli_safe_str(f, cli_str(doc, "title", ""));
	fprintf(f, ", %s\nCustomer: ", cli_str(doc, "starts_at", ""));
	if (json_is_object(cust)) {
		cli_safe_str(f, cli_str(cust, "name", ""));
		fprintf(f, " (%" JSON_INTEGER_FORMAT ")\n",
		    json_integer_value(json_object_get(cust, "id")));
	} else
		fputs("walk-up\n", f);
	fputs("Clerk: ", f);
	cli_safe_str(f, cli_str(doc, "clerk", "?"));
	fputs(" at ", f);
	cli_safe_str(f, cli_str(doc, "terminal", "?"));
	fprintf(f, ", %s\n", cli_str(doc, "created_at", ""));
	cli_receipt_seats(f, doc, currency);
	if (json_string_value(json_object_get(doc, "comp")) != NULL) {
		fputs("Comp: ", f);
		cli_safe_str(f, cli_str(doc, "comp", ""));
		fputc('\n', f);
	}
	if (json_string_value(json_object_get(doc, "discount_reason")) !=
	    NULL) {
		fputs("Discount: ", f);
		cli_safe_str(f, cli_str(doc, "discount_reason", ""));
		fputc('\n', f);
	}
	if (json_string_value(json_object_get(doc, "voucher")) != NULL)
		fprintf(f, "Voucher: %s\n", cli_str(doc, "voucher", ""));
	if (json_string_value(json_object_get(doc, "authorised_by")) != NULL)
		fprintf(f, "Authorised by: %s\n",
		    cli_str(doc, "authorised_by", ""));
	if (json_array_size(json_object_get(doc, "payments")) > 0) {
		fputs("Payments:\n", f);
		cli_receipt_payments(f, doc, currency);
	}
	for (i = 0; i < sizeof sums / sizeof sums[0]; i++)
		fprintf(f, "%-8s %16s\n", sums[i],
		    cli_doc_money(doc, sums[i], currency, m, sizeof m));
}
