/*
 * customers.c - seatlock user register, user find, user show: the
 * customers and their booking history.
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
#include "sl_customer.h"

static int
cli_user_register(struct cli *cli, int argc, char **argv)
{
	const char *name = NULL, *email = NULL, *phone = NULL;
	struct sl_db *db;
	struct sl_err e;
	int64_t id;
	int code;
	const struct cli_opt opts[] = {
		{ "name", required_argument, &name, NULL },
		{ "email", required_argument, &email, NULL },
		{ "phone", required_argument, &phone, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("user register", argc, argv, opts)) != 0)
		return code;
	if (optind != argc || name == NULL || email == NULL)
		return cli_usage("user register");
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_user_register(db, name, email, phone, &id, &e) != SL_OK)
		return cli_db_fail(db, &e);
	printf("%" PRId64 "\n", id);
	sl_db_close(db);
	return 0;
}

static void
cli_customer_json(const struct sl_customer *c)
{
	printf("{\"id\":%" PRId64 ",\"name\":", c->id);
	cli_json_str(stdout, c->name);
	cli_json_field(stdout, "email", c->email);
	cli_json_field_or_null(stdout, "phone", c->phone);
	cli_json_field(stdout, "created_at", c->created_at);
}

static int
cli_user_find(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "limit", required_argument,
		                                  NULL, 'l' },
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 } };
	const char *why;
	struct sl_customer *v;
	struct sl_db *db;
	struct sl_err e;
	int64_t limit = 50;
	size_t n, i;
	int c, code, json = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (sl_parse_id(optarg, &limit) != 0 || limit > 1000) {
				cli_msg("--limit takes 1 to 1000, not \"%s\"",
				    optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'j':
			json = 1;
			break;
		default:
			return cli_bad_option("user find", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage("user find");
	if (sl_text_valid(argv[optind], SL_FIND_MAX, &why) != 0) {
		cli_msg("the search text %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_customer_find(db, argv[optind], (size_t)limit, &v, &n, &e) !=
	    SL_OK)
		return cli_db_fail(db, &e);
	cli_list_start(json, n, "%-8s %-30s %-32s %s\n",
	    "ID", "NAME", "EMAIL", "PHONE");
	for (i = 0; i < n; i++) {
		if (json) {
			if (i > 0)
				putchar(',');
			cli_customer_json(&v[i]);
			putchar('}');
			continue;
		}
		printf("%-8" PRId64 " ", v[i].id);
		cli_safe_str(stdout, v[i].name);
		fputs("  ", stdout);
		cli_safe_str(stdout, v[i].email);
		fputs("  ", stdout);
		cli_safe_str(stdout, v[i].phone != NULL ? v[i].phone : "");
		putchar('\n');
	}
	if (json)
		puts("]");
	else if (n == 0)
		cli_msg("no customer found");
	sl_customer_list_free(v, n);
	sl_db_close(db);
	return 0;
}

static int
cli_user_show(struct cli *cli, int argc, char **argv)
{
	struct cli_one o;
	struct sl_history *h;
	char money[64];
	size_t i;
	int code;

	if ((code = cli_one_open(cli, &o, "user show", "user", argc,
	    argv)) != 0)
		return code;
	if (sl_customer_history(o.db, o.id, &h, &o.e) != SL_OK)
		return cli_db_fail(o.db, &o.e);
	if (o.json) {
		cli_customer_json(&h->customer);
		printf(",\"active\":%" PRId64 ",\"spent_cents\":%" PRId64
		       ",\"currency\":",
		    h->active, h->spent_cents);
		cli_json_str(stdout, sl_db_currency(o.db));
		fputs(",\"bookings\":[", stdout);
		for (i = 0; i < h->n; i++) {
			const struct sl_customer_booking *b = &h->booking[i];

			printf("%s{\"id\":%" PRId64 ",\"show\":%" PRId64
			       ",\"title\":",
			    i ? "," : "", b->id, b->show);
			cli_json_str(stdout, b->title);
			cli_json_field(stdout, "starts_at", b->starts_at);
			cli_json_field(stdout, "label", b->label);
			cli_json_field_or_null(stdout, "zone",
			    b->zone[0] != '\0' ? b->zone : NULL);
			printf(",\"status\":\"%s\",\"price_cents\":%" PRId64
			       ",\"booked_at\":",
			    b->active ? "active" : "cancelled", b->price_cents);
			cli_json_str(stdout, b->booked_at);
			cli_json_field_or_null(stdout, "cancelled_at",
			    b->cancelled_at[0] != '\0' ? b->cancelled_at :
			    NULL);
			putchar('}');
		}
		puts("]}");
	} else {
		printf("customer %" PRId64 ": ", h->customer.id);
		cli_safe_str(stdout, h->customer.name);
		fputs(" <", stdout);
		cli_safe_str(stdout, h->customer.email);
		putchar('>');
		if (h->customer.phone != NULL) {
			putchar(' ');
			cli_safe_str(stdout, h->customer.phone);
		}
		sl_money_format(h->spent_cents, sl_db_currency(o.db), money,
		    sizeof money);
		printf("\n%" PRId64 " active booking%s, %s\n", h->active,
		    h->active == 1 ? "" : "s", money);
		if (h->n > 0)
			printf("%-8s %-9s %-25s %-8s %16s  %s\n", "BOOKING",
			    "STATUS", "STARTS", "SEAT", "PRICE", "SHOW");
		for (i = 0; i < h->n; i++) {
			const struct sl_customer_booking *b = &h->booking[i];

			sl_money_format(b->price_cents, sl_db_currency(o.db),
			    money, sizeof money);
			printf("%-8" PRId64 " %-9s %-25s %-8s %16s  %" PRId64
			       " ",
			    b->id, b->active ? "active" : "cancelled",
			    b->starts_at, b->label, money, b->show);
			cli_safe_str(stdout, b->title);
			putchar('\n');
		}
	}
	sl_history_free(h);
	sl_db_close(o.db);
	return 0;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_user_register_entry = {
	"user register", cli_user_register,
	"user register --name NAME --email EMAIL [--phone PHONE]",
	"register a customer; prints the user id"
};

const struct cli_cmd cli_user_find_entry = {
	"user find", cli_user_find,
	"user find TEXT [--limit N] [--json]",
	"customers by the start of name, surname, email or phone"
};

const struct cli_cmd cli_user_show_entry = {
	"user show", cli_user_show,
	"user show ID [--json]",
	"a customer and their booking history"
};
