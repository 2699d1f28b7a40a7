/*
 * book.c - seatlock book (seats by label, --hold, --best), cancel,
 * exchange.
 *
 * Each command parses its arguments completely before it connects (bad
 * usage never touches the database), then calls one core function.  Data
 * goes to stdout (one id a line, or JSON with --json), messages to stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_book.h"
#include "sl_hold.h"
#include "sl_sell.h"
#include "sl_zone.h"
#include "cli/saleargs.h"
#include "sl_money.h"
#include "sl_sale.h"

/* Prints the sale (saleargs.c: ids or JSON, the sale's sums on stderr)
 * and the seats' total; with seats, the seats too. */
static void
cli_print_bookings(struct sl_db *db, const struct sl_booking *b, size_t n,
    int json, int seats, const char *what)
{
	char total[SL_MONEY_BUF];
	size_t i;

	cli_sale_print(db, b, n, json);
	sl_money_format(sl_booking_total(b, n), sl_db_currency(db), total,
	    sizeof total);
	cli_msg("%s %zu seat%s, total %s", what, n, n == 1 ? "" : "s", total);
	if (seats && !json && n > 0) {
		char line[SL_LABEL_MAX * 20 + 64];
		size_t len = 0;

		for (i = 0; i < n && len + SL_LABEL_MAX + 2 < sizeof line; i++)
			len += (size_t)snprintf(line + len, sizeof line - len,
			    "%s%s", i ? " " : "", b[i].label);
		cli_msg("seats: %s", line);
	}
}

/* Checks a request key (NULL: none).  0 or an exit code. */
static int
cli_key_check(const char *key)
{
	if (key != NULL && (strlen(key) == 0 || strlen(key) > 200)) {
		cli_msg("the request key must be 1 to 200 characters");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* ---- book ------------------------------------------------------------ */

/* book's arguments.  Plain is the first form (seats by label): the seats
 * are not repeated on stderr. */
struct cli_book_args {
	int		 plain;
	const char	*user, *key, *hold, *best, *zone;
	int		 json, override;
	int64_t		 show, uid, hid, n;
	char		 zbuf[SL_ZONE_MAX + 1];
	struct cli_labels l;
	struct cli_sale_args s;
};

/* Reads book's options.  0 or an exit code. */
static int
cli_book_options(struct cli_book_args *a, int argc, char **argv)
{
	struct cli_opt o[CLI_OPTS_MAX + 1] = {
		{ "hold", required_argument, &a->hold, NULL },
		{ "best", required_argument, &a->best, NULL },
		{ "zone", required_argument, &a->zone, NULL },
		{ "json", no_argument, NULL, &a->json },
		{ "user", required_argument, &a->user, NULL },
		{ "key", required_argument, &a->key, NULL },
		{ "override", no_argument, NULL, &a->override },
	};
	size_t n = 7;

	cli_sale_opt_rows(&a->s, CLI_SALE_PAY | CLI_SALE_REDUCE |
	    CLI_SALE_AUTH | CLI_SALE_TYPE, o, &n);
	return cli_options("book", argc, argv, o);
}

/* Checks book's arguments after the options.  0 or an exit code. */
static int
cli_book_check(struct cli_book_args *a, int argc, char **argv)
{
	int nlab, modes, code;

	/* Exactly one way of choosing: seats by label, a hold, or best. */
	nlab = argc - optind - 1;
	modes = (a->hold != NULL) + (a->best != NULL) + (nlab > 0);
	a->plain = a->hold == NULL && a->best == NULL;
	if (argc - optind < 1 || modes != 1 ||
	    (a->zone != NULL && a->best == NULL)) {
		if (modes > 1)
			cli_msg("book: name seats, or --hold, or --best, "
			        "not two of them");
		return cli_usage("book");
	}
	if ((code = cli_id("show", argv[optind], &a->show)) != 0 ||
	    (a->user != NULL &&
	    (code = cli_id("user", a->user, &a->uid)) != 0) ||
	    (a->hold != NULL &&
	    (code = cli_id("hold", a->hold, &a->hid)) != 0))
		return code;
	if (a->best != NULL &&
	    (sl_parse_id(a->best, &a->n) != 0 || a->n > 50)) {
		cli_msg("--best takes a number of seats from 1 to 50, not "
		        "\"%s\"",
		    a->best);
		return CLI_EXIT_USAGE;
	}
	if (a->zone != NULL && (code = cli_zone_code(a->zone, a->zbuf)) != 0)
		return code;
	if ((code = cli_key_check(a->key)) != 0)
		return code;
	if (nlab > 0 && a->s.type[0] != NULL) {
		cli_msg("book: seats by label take their types as LABEL:TYPE");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_sale_check(&a->s, argv + optind + 1,
	         nlab > 0 ? (size_t)nlab : 0, (int)a->n)) != 0)
		return code;
	if (nlab > 0)
		return cli_labels_parse(&a->l, argv + optind + 1, (size_t)nlab);
	return 0;
}

/* Sells as a's form says. */
static enum sl_rc
cli_book_sell(struct sl_db *db, struct cli_book_args *a,
    struct sl_booking **b, size_t *nb, struct sl_err *e)
{
	if (a->hold != NULL)
		return sl_sale_hold(db, a->show, a->hid, a->uid, a->key,
		    &a->s.opts, b, nb, e);
	if (a->best != NULL)
		return sl_sale_best(db, a->show, (int)a->n, a->uid,
		    a->zone != NULL ? a->zbuf : NULL, a->key, &a->s.opts, b,
		    nb, e);
	return sl_sale_book(db, a->show, a->l.p, a->l.n, a->uid, a->key,
	    &a->s.opts, b, nb, e);
}

static int
cli_book(struct cli *cli, int argc, char **argv)
{
	struct cli_book_args a;
	struct sl_booking *b = NULL;
	struct sl_db *db;
	struct sl_err e;
	size_t nb;
	int code;

	memset(&a, 0, sizeof a);
	if ((code = cli_book_options(&a, argc, argv)) != 0 ||
	    (code = cli_book_check(&a, argc, argv)) != 0 ||
	    (code = cli_connect(cli, &db)) != 0) {
		cli_labels_free(&a.l);
		cli_sale_free(&a.s);
		return code;
	}
	sl_err_clear(&e);
	sl_db_set_override(db, a.override);
	if (cli_book_sell(db, &a, &b, &nb, &e) != SL_OK)
		code = cli_fail(&e);
	else
		cli_print_bookings(db, b, nb, a.json, !a.plain, "booked");
	cli_labels_free(&a.l);
	cli_sale_free(&a.s);
	free(b);
	sl_db_close(db);
	return code;
}

/* ---- cancel ---------------------------------------------------------- */

/* Says what a cancel refunded. */
static void
cli_refunded(struct sl_db *db, int64_t refunded, const char *method)
{
	char m[SL_MONEY_BUF];

	sl_money_format(refunded, sl_db_currency(db), m, sizeof m);
	if (refunded > 0)
		cli_msg("refunded %s by %s", m, method);
	else
		cli_msg("refunded %s (nothing was paid for it)", m);
}

/* cancel --sale SALE: every active seat of the sale; prints their ids. */
static int
cli_cancel_sale(struct sl_db *db, int64_t sale, const struct cli_sale_args *s)
{
	struct sl_booking *b = NULL;
	struct sl_err e;
	int64_t refunded = 0;
	size_t n, i;

	sl_err_clear(&e);
	if (sl_sale_cancel(db, sale, s->refund, s->auth, &b, &n, &refunded,
	        &e) != SL_OK)
		return cli_db_fail(db, &e);
	for (i = 0; i < n; i++)
		printf("%" PRId64 "\n", b[i].id);
	cli_msg("cancelled sale %" PRId64 ": %zu seat%s", sale, n,
	    n == 1 ? "" : "s");
	cli_refunded(db, refunded, s->refund);
	free(b);
	sl_db_close(db);
	return 0;
}

static int
cli_cancel(struct cli *cli, int argc, char **argv)
{
	struct cli_sale_args s;
	const char *sale = NULL, *key = NULL;
	struct cli_opt o[CLI_OPTS_MAX + 1] = {
		{ "sale", required_argument, &sale, NULL },
		{ "key", required_argument, &key, NULL },
	};
	struct sl_db *db;
	struct sl_err e;
	char label[SL_LABEL_MAX + 1];
	int64_t id, show, refunded = 0;
	size_t no = 2;
	int code;

	memset(&s, 0, sizeof s);
	cli_sale_opt_rows(&s, CLI_SALE_AUTH | CLI_SALE_REFUND, o, &no);
	if ((code = cli_options("cancel", argc, argv, o)) != 0)
		return code;
	if (argc - optind != (sale != NULL ? 0 : 1) ||
	    (sale != NULL && key != NULL))
		return cli_usage("cancel");
	if ((code = cli_id(sale != NULL ? "sale" : "booking",
	         sale != NULL ? sale : argv[optind], &id)) != 0 ||
	    (code = cli_key_check(key)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	if (sale != NULL)
		return cli_cancel_sale(db, id, &s);
	sl_err_clear(&e);
	if (sl_sale_cancel_booking(db, id, key, s.refund, s.auth, &show, label,
	        &refunded, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_msg("cancelled booking %" PRId64 " (seat %s of show %" PRId64 ")",
	    id, label, show);
	if (refunded > 0 || s.refund != NULL)
		cli_refunded(db, refunded, s.refund);
	sl_db_close(db);
	return 0;
}

/* ---- exchange -------------------------------------------------------- */

/* Parses "12" or "12,13,14" into a fresh array.  0 or an exit code. */
static int
cli_booking_ids(const char *s, int64_t **out, size_t *n)
{
	char buf[32];
	const char *p = s;
	size_t k;

	*n = 0;
	*out = calloc(strlen(s) / 2 + 1, sizeof **out);
	if (*out == NULL) {
		cli_msg("out of memory");
		return CLI_EXIT_ERROR;
	}
	for (;;) {
		k = strcspn(p, ",");
		if (k == 0 || k >= sizeof buf)
			break;
		memcpy(buf, p, k);
		buf[k] = '\0';
		if (sl_parse_id(buf, &(*out)[*n]) != 0)
			break;
		(*n)++;
		if (p[k] == '\0')
			return 0;
		p += k + 1;
	}
	cli_msg("booking \"%s\" is not an id or a list of ids (12,13,14)", s);
	free(*out);
	*out = NULL;
	return CLI_EXIT_USAGE;
}

/* exchange's arguments. */
struct cli_exchange_args {
	const char	*to, *reason, *key;
	int		 json, override;
	int64_t		*ids, show;
	size_t		 nids;
	struct cli_labels l;
	struct cli_sale_args s;
};

/* Reads and checks exchange's arguments.  0 or an exit code. */
static int
cli_exchange_args(struct cli_exchange_args *a, int argc, char **argv)
{
	const char *why;
	struct cli_opt o[CLI_OPTS_MAX + 1] = {
		{ "show", required_argument, &a->to, NULL },
		{ "reason", required_argument, &a->reason, NULL },
		{ "key", required_argument, &a->key, NULL },
		{ "json", no_argument, NULL, &a->json },
		{ "override", no_argument, NULL, &a->override },
	};
	size_t no = 5;
	int code;

	cli_sale_opt_rows(&a->s, CLI_SALE_PAY | CLI_SALE_AUTH |
	    CLI_SALE_REFUND, o, &no);
	if ((code = cli_options("exchange", argc, argv, o)) != 0)
		return code;
	if (argc - optind < 2)
		return cli_usage("exchange");
	if (a->to != NULL && (code = cli_id("show", a->to, &a->show)) != 0)
		return code;
	if (a->reason != NULL &&
	    sl_text_valid(a->reason, SL_REASON_MAX, &why) != 0) {
		cli_msg("the reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_key_check(a->key)) != 0 ||
	    (code = cli_sale_check(&a->s, argv + optind + 1,
	        (size_t)(argc - optind - 1), 0)) != 0 ||
	    (code = cli_booking_ids(argv[optind], &a->ids, &a->nids)) != 0 ||
	    (code = cli_labels_parse(&a->l, argv + optind + 1,
	        (size_t)(argc - optind - 1))) != 0)
		return code;
	if (a->l.n != a->nids) {
		cli_msg("an exchange names one new seat for each booking "
		        "(%zu bookings, %zu seats)",
		    a->nids, a->l.n);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* Says what an exchange cost: the totals, and the difference paid,
 * refunded or due. */
static void
cli_exchange_sums(struct sl_db *db, const struct sl_booking *b, size_t nb,
    int64_t old_total, int64_t refund, const char *method)
{
	const char *cur = sl_db_currency(db);
	char m1[SL_MONEY_BUF], m2[SL_MONEY_BUF], m3[SL_MONEY_BUF];
	int64_t diff = sl_booking_total(b, nb) - old_total;

	sl_money_format(old_total, cur, m1, sizeof m1);
	sl_money_format(sl_booking_total(b, nb), cur, m2, sizeof m2);
	sl_money_format(diff, cur, m3, sizeof m3);
	cli_msg("old total %s, new total %s, difference %s", m1, m2, m3);
	if (refund > 0) {
		sl_money_format(refund, cur, m1, sizeof m1);
		cli_msg("refunded %s by %s", m1, method);
	}
}

static int
cli_exchange(struct cli *cli, int argc, char **argv)
{
	struct cli_exchange_args a;
	struct sl_booking *b = NULL;
	struct sl_db *db = NULL;
	struct sl_err e;
	int64_t old_total = 0, refund = 0;
	size_t nb;
	int code;

	memset(&a, 0, sizeof a);
	if ((code = cli_exchange_args(&a, argc, argv)) != 0 ||
	    (code = cli_connect(cli, &db)) != 0)
		goto out;
	sl_err_clear(&e);
	sl_db_set_override(db, a.override);
	if (sl_sale_exchange(db, a.ids, a.nids, a.show, a.l.p, a.l.n,
	        a.reason, a.key, &a.s.opts, &b, &nb, &old_total, &refund,
	        &e) != SL_OK)
		code = cli_fail(&e);
	else {
		cli_print_bookings(db, b, nb, a.json, 1, "exchanged to");
		cli_exchange_sums(db, b, nb, old_total, refund, a.s.refund);
	}
	free(b);
	sl_db_close(db);
out:
	cli_labels_free(&a.l);
	cli_sale_free(&a.s);
	free(a.ids);
	return code;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_book_entry = {
	"book", cli_book,
	"book SHOW LABEL[:TYPE]... [--user ID] [--pay METHOD[:AMOUNT]]... "
	"[--comp REASON | --discount AMOUNT --reason TEXT | --voucher CODE] "
	"[--auth CODE] [--key KEY] [--override] [--json]",
	"sell the seats as one sale, all or none (no --user: a walk-up); "
	"prints the booking ids"
};

const struct cli_cmd cli_book_hold_entry = {
	"book", cli_book,
	"book SHOW --hold HOLD [--user ID] [--type TYPE]... [sale options] "
	"[--key KEY] [--override] [--json]",
	"sell a hold or a reservation, all or none"
};

const struct cli_cmd cli_book_best_entry = {
	"book", cli_book,
	"book SHOW --best N [--user ID] [--zone Z] [--type TYPE]... "
	"[sale options] [--key KEY] [--override] [--json]",
	"sell the N best adjacent seats"
};

const struct cli_cmd cli_cancel_entry = {
	"cancel", cli_cancel,
	"cancel BOOKING [--refund METHOD] [--auth CODE] [--key KEY]",
	"cancel a booking, refunding what was paid for it"
};

const struct cli_cmd cli_cancel_sale_entry = {
	"cancel", cli_cancel,
	"cancel --sale SALE [--refund METHOD] [--auth CODE]",
	"cancel every seat of a sale; prints their booking ids"
};

const struct cli_cmd cli_exchange_entry = {
	"exchange", cli_exchange,
	"exchange BOOKING[,BOOKING...] LABEL[:TYPE]... [--show SHOW] "
	"[--reason R] [--pay METHOD[:AMOUNT]]... [--refund METHOD] "
	"[--auth CODE] [--key KEY] [--override] [--json]",
	"move bookings to other seats as a new sale, the difference paid "
	"or refunded"
};
