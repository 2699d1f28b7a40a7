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

/* Prints the booking ids one a line, or the bookings as JSON with the total
 * and currency, and the total on stderr; with seats, the seats too. */
static void
cli_print_bookings(struct sl_db *db, const struct sl_booking *b, size_t n,
    int json, int seats, const char *what)
{
	char total[64];
	size_t i;

	sl_money_format(sl_booking_total(b, n), sl_db_currency(db), total,
	    sizeof total);
	if (json) {
		fputs("{\"bookings\":[", stdout);
		for (i = 0; i < n; i++) {
			printf("%s{\"id\":%" PRId64 ",\"label\":", i ? "," : "",
			    b[i].id);
			cli_json_str(stdout, b[i].label);
			printf(",\"price_cents\":%" PRId64 "}",
			    b[i].price_cents);
		}
		printf("],\"total_cents\":%" PRId64 ",\"currency\":",
		    sl_booking_total(b, n));
		cli_json_str(stdout, sl_db_currency(db));
		puts("}");
	} else
		for (i = 0; i < n; i++)
			printf("%" PRId64 "\n", b[i].id);
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

/* ---- book ------------------------------------------------------------ */

/* book's arguments.  Plain is the first form (seats by label, --user,
 * --key and --override only): the other options are unknown there, and the
 * seats are not repeated on stderr. */
struct cli_book_args {
	int		 plain;
	const char	*user, *key, *hold, *best, *zone;
	int		 json, override;
	int64_t		 show, uid, hid, n;
	char		 zbuf[SL_ZONE_MAX + 1];
	struct cli_labels l;
};

/* Reads book's options.  0 or an exit code. */
static int
cli_book_options(struct cli_book_args *a, int argc, char **argv)
{
	const struct cli_opt all[] = {
		{ "hold", required_argument, &a->hold, NULL },
		{ "best", required_argument, &a->best, NULL },
		{ "zone", required_argument, &a->zone, NULL },
		{ "json", no_argument, NULL, &a->json },
		{ "user", required_argument, &a->user, NULL },
		{ "key", required_argument, &a->key, NULL },
		{ "override", no_argument, NULL, &a->override },
		{ NULL, 0, NULL, NULL }
	};

	/* The first form knows --user, --key and --override only: the end of
	 * all. */
	return cli_options("book", argc, argv, a->plain ? all + 4 : all);
}

/* Checks book's arguments after the options.  0 or an exit code. */
static int
cli_book_check(struct cli_book_args *a, int argc, char **argv)
{
	int nlab, modes, code;

	/* Exactly one way of choosing: seats by label, a hold, or best. */
	nlab = argc - optind - 1;
	modes = (a->hold != NULL) + (a->best != NULL) + (nlab > 0);
	if (argc - optind < 1 || a->user == NULL || modes != 1 ||
	    (a->zone != NULL && a->best == NULL)) {
		if (modes > 1)
			cli_msg("book: name seats, or --hold, or --best, "
			        "not two of them");
		return cli_usage("book");
	}
	if ((code = cli_id("show", argv[optind], &a->show)) != 0 ||
	    (code = cli_id("user", a->user, &a->uid)) != 0 ||
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
	if (a->key != NULL && (strlen(a->key) == 0 || strlen(a->key) > 200)) {
		cli_msg("the request key must be 1 to 200 characters");
		return CLI_EXIT_USAGE;
	}
	if (nlab > 0)
		return cli_labels_parse(&a->l, argv + optind + 1, (size_t)nlab);
	return 0;
}

static int
cli_book(struct cli *cli, int argc, char **argv)
{
	struct cli_book_args a;
	struct sl_booking *b = NULL;
	struct sl_db *db;
	struct sl_err e;
	size_t nb;
	int i, code;
	enum sl_rc rc;

	memset(&a, 0, sizeof a);
	a.plain = 1;
	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--hold", 6) == 0 ||
		    strncmp(argv[i], "--best", 6) == 0 ||
		    strcmp(argv[i], "--json") == 0)
			a.plain = 0;
	if ((code = cli_book_options(&a, argc, argv)) != 0 ||
	    (code = cli_book_check(&a, argc, argv)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0) {
		cli_labels_free(&a.l);
		return code;
	}
	sl_err_clear(&e);
	sl_db_set_override(db, a.override);
	if (a.hold != NULL)
		rc = sl_sell_hold(db, a.show, a.hid, a.uid, a.key, &b, &nb, &e);
	else if (a.best != NULL)
		rc = sl_sell_best(db, a.show, (int)a.n, a.uid,
		    a.zone != NULL ? a.zbuf : NULL, a.key, &b, &nb, &e);
	else
		rc = sl_book_seats(db, a.show, a.l.p, a.l.n, a.uid, a.key, &b,
		    &nb, &e);
	cli_labels_free(&a.l);
	if (rc != SL_OK)
		return cli_db_fail(db, &e);
	cli_print_bookings(db, b, nb, a.json, !a.plain, "booked");
	free(b);
	sl_db_close(db);
	return 0;
}

static int
cli_cancel(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	char label[SL_LABEL_MAX + 1];
	int64_t id, show;
	int code;

	if (argc != 2)
		return cli_usage("cancel");
	if ((code = cli_id("booking", argv[1], &id)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_book_cancel(db, id, &show, label, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_msg("cancelled booking %" PRId64 " (seat %s of show %" PRId64 ")",
	    id, label, show);
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

static int
cli_exchange(struct cli *cli, int argc, char **argv)
{
	const char *to = NULL, *reason = NULL, *key = NULL, *why;
	struct sl_booking *b = NULL;
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	int64_t *ids = NULL, show = 0, old_total;
	size_t nids, nb;
	char m1[64], m2[64], m3[64];
	int code, json = 0, override = 0;
	const struct cli_opt opts[] = {
		{ "show", required_argument, &to, NULL },
		{ "reason", required_argument, &reason, NULL },
		{ "key", required_argument, &key, NULL },
		{ "json", no_argument, NULL, &json },
		{ "override", no_argument, NULL, &override },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("exchange", argc, argv, opts)) != 0)
		return code;
	if (argc - optind < 2)
		return cli_usage("exchange");
	if (to != NULL && (code = cli_id("show", to, &show)) != 0)
		return code;
	if (reason != NULL && sl_text_valid(reason, SL_REASON_MAX, &why) != 0) {
		cli_msg("the reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if (key != NULL && (strlen(key) == 0 || strlen(key) > 200)) {
		cli_msg("the request key must be 1 to 200 characters");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_booking_ids(argv[optind], &ids, &nids)) != 0)
		return code;
	if ((code = cli_labels_parse(&l, argv + optind + 1,
	         (size_t)(argc - optind - 1))) != 0) {
		free(ids);
		return code;
	}
	if (l.n != nids) {
		cli_msg("an exchange names one new seat for each booking "
		        "(%zu bookings, %zu seats)",
		    nids, l.n);
		code = CLI_EXIT_USAGE;
		goto out;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		goto out;
	sl_err_clear(&e);
	sl_db_set_override(db, override);
	if (sl_sell_exchange(db, ids, nids, show, l.p, l.n, reason, key, &b,
	        &nb, &old_total, &e) != SL_OK)
		code = cli_fail(&e);
	else {
		cli_print_bookings(db, b, nb, json, 1, "exchanged to");
		sl_money_format(old_total, sl_db_currency(db), m1, sizeof m1);
		sl_money_format(sl_booking_total(b, nb), sl_db_currency(db), m2,
		    sizeof m2);
		sl_money_format(sl_booking_total(b, nb) - old_total,
		    sl_db_currency(db), m3, sizeof m3);
		cli_msg("old total %s, new total %s, difference %s", m1, m2,
		    m3);
	}
	free(b);
	sl_db_close(db);
out:
	cli_labels_free(&l);
	free(ids);
	return code;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_book_entry = {
	"book", cli_book,
	"book SHOW LABEL... --user ID [--key KEY] [--override]",
	"book all the seats or none; prints the booking ids"
};

const struct cli_cmd cli_book_hold_entry = {
	"book", cli_book,
	"book SHOW --hold HOLD --user ID [--key KEY] [--override] [--json]",
	"turn a hold into bookings, all or none"
};

const struct cli_cmd cli_book_best_entry = {
	"book", cli_book,
	"book SHOW --best N --user ID [--zone Z] [--key KEY] [--override] "
	"[--json]",
	"book the N best adjacent seats"
};

const struct cli_cmd cli_cancel_entry = {
	"cancel", cli_cancel,
	"cancel BOOKING",
	"cancel an active booking"
};

const struct cli_cmd cli_exchange_entry = {
	"exchange", cli_exchange,
	"exchange BOOKING[,BOOKING...] LABEL... [--show SHOW] [--reason R] "
	"[--override]",
	"move bookings to other seats; prints the new booking ids"
};
