/*
 * holds.c - seatlock hold, release, holds, sweep: holds of seats
 * and supervisors' blocks.
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
#include "sl_hold.h"
#include "sl_sale.h"

/* The seat labels argv[0..n) into l, then a connection with override;
 * on an error nothing is left to free.  0 or an exit code. */
static int
cli_seats_open(struct cli *cli, struct cli_labels *l, char **argv, int n,
    int override, struct sl_db **db)
{
	int code;

	if ((code = cli_labels_parse(l, argv, (size_t)n)) != 0)
		return code;
	if ((code = cli_connect(cli, db)) != 0) {
		cli_labels_free(l);
		return code;
	}
	sl_db_set_override(*db, override);
	return 0;
}

static int
cli_hold(struct cli *cli, int argc, char **argv)
{
	const char *seconds = NULL, *reason = NULL, *why;
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	char expires[48];
	int64_t show, secs = 0, id;
	int code, override = 0;
	const struct cli_opt opts[] = {
		{ "seconds", required_argument, &seconds, NULL },
		{ "reason", required_argument, &reason, NULL },
		{ "override", no_argument, NULL, &override },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("hold", argc, argv, opts)) != 0)
		return code;
	if (argc - optind < 2)
		return cli_usage("hold");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if (seconds != NULL &&
	    (sl_parse_id(seconds, &secs) != 0 ||
	        secs > (reason != NULL ? 366 * 86400 : 86400))) {
		cli_msg("--seconds takes 1 to %d, not \"%s\"",
		    reason != NULL ? 366 * 86400 : 86400, seconds);
		return CLI_EXIT_USAGE;
	}
	if (reason != NULL && sl_text_valid(reason, SL_REASON_MAX, &why) != 0) {
		cli_msg("the reason %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_seats_open(cli, &l, argv + optind + 1,
	         argc - optind - 1, override, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_hold_seats(db, show, l.p, l.n, secs, reason, &id, expires, &e) !=
	    SL_OK)
		code = cli_fail(&e);
	else {
		printf("%" PRId64 "\n", id);
		cli_msg("%s %zu seat%s for %s%s%s",
		    reason != NULL ? "blocked" : "held", l.n,
		    l.n == 1 ? "" : "s", sl_db_terminal(db),
		    expires[0] != '\0' ? " until " : "", expires);
	}
	cli_labels_free(&l);
	sl_db_close(db);
	return code;
}

static int
cli_release(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	int64_t id, show, n;
	int code, expired;

	if (argc != 2)
		return cli_usage("release");
	if ((code = cli_id("hold", argv[1], &id)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_hold_release(db, id, &show, &n, &expired, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_msg("%s hold %" PRId64 " of show %" PRId64 ": %" PRId64
	        " seat%s free",
	    expired ? "ended the expired" : "released", id, show, n,
	    n == 1 ? "" : "s");
	sl_db_close(db);
	return 0;
}

static int
cli_holds(struct cli *cli, int argc, char **argv)
{
	struct cli_one o;
	struct sl_hold *v;
	size_t n, i, k;
	int code;

	if ((code = cli_one_open(cli, &o, "holds", "show", argc, argv)) != 0)
		return code;
	if (sl_hold_list(o.db, o.id, &v, &n, &o.e) != SL_OK)
		return cli_db_fail(o.db, &o.e);
	cli_list_start(o.json, n, "%-8s %-6s %-26s %-16s %s\n",
	    "HOLD", "KIND", "EXPIRES", "TERMINAL", "SEATS / REASON");
	for (i = 0; i < n; i++) {
		const struct sl_hold *h = &v[i];

		if (o.json) {
			printf("%s{\"id\":%" PRId64 ",\"show\":%" PRId64
			       ",\"kind\":\"%s\",\"held_by\":",
			    i ? "," : "", h->id, h->show,
			    h->block ? "block" : "hold");
			cli_json_str(stdout, h->terminal);
			cli_json_field(stdout, "actor", h->actor);
			cli_json_field_or_null(stdout, "reason", h->reason);
			cli_json_field(stdout, "created_at", h->created_at);
			cli_json_field_or_null(stdout, "expires_at",
			    h->expires_at[0] != '\0' ? h->expires_at : NULL);
			printf(",\"expired\":%s,\"seats\":[",
			    h->expired ? "true" : "false");
			for (k = 0; k < h->nseats; k++) {
				if (k > 0)
					putchar(',');
				cli_json_str(stdout, h->label[k]);
			}
			fputs("]}", stdout);
			continue;
		}
		printf("%-8" PRId64 " %-6s %-26s ", h->id,
		    h->block ? "block" : "hold",
		    h->expired                     ? "expired"
		        : h->expires_at[0] != '\0' ? h->expires_at
		                                   : "never");
		cli_safe_str(stdout, h->terminal);
		fputs("  ", stdout);
		for (k = 0; k < h->nseats; k++)
			printf("%s%s", k ? " " : "", h->label[k]);
		if (h->reason != NULL) {
			fputs(" / ", stdout);
			cli_safe_str(stdout, h->reason);
		}
		putchar('\n');
	}
	sl_hold_list_free(v, n);
	return cli_list_done(o.json, o.db);
}

static int
cli_sweep(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	int64_t show = 0, n;
	int code;

	if (argc > 2)
		return cli_usage("sweep");
	if (argc == 2 && (code = cli_id("show", argv[1], &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_hold_sweep(db, show, &n, &e) != SL_OK)
		return cli_db_fail(db, &e);
	printf("%" PRId64 "\n", n);
	sl_db_close(db);
	return 0;
}

/* ---- reservations ------------------------------------------------------ */

static int
cli_reserve(struct cli *cli, int argc, char **argv)
{
	const char *user = NULL, *name = NULL, *until = NULL, *why;
	struct cli_labels l;
	struct sl_db *db;
	struct sl_err e;
	char expires[48];
	int64_t show, uid = 0, id;
	int code, override = 0;
	const struct cli_opt opts[] = {
		{ "user", required_argument, &user, NULL },
		{ "name", required_argument, &name, NULL },
		{ "until", required_argument, &until, NULL },
		{ "override", no_argument, NULL, &override },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("reserve", argc, argv, opts)) != 0)
		return code;
	if (argc - optind < 2 || until == NULL ||
	    (user == NULL && name == NULL))
		return cli_usage("reserve");
	if ((code = cli_id("show", argv[optind], &show)) != 0 ||
	    (user != NULL && (code = cli_id("user", user, &uid)) != 0))
		return code;
	if (name != NULL && sl_text_valid(name, 200, &why) != 0) {
		cli_msg("the name %s", why);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_seats_open(cli, &l, argv + optind + 1,
	         argc - optind - 1, override, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_reserve(db, show, l.p, l.n, uid, name, until, &id, expires,
	        &e) != SL_OK)
		code = cli_fail(&e);
	else {
		printf("%" PRId64 "\n", id);
		cli_msg("reserved %zu seat%s until %s: sell with seatlock book "
		    "%" PRId64 " --hold %" PRId64, l.n, l.n == 1 ? "" : "s",
		    expires, show, id);
	}
	cli_labels_free(&l);
	sl_db_close(db);
	return code;
}

/* One reservation of `reservations --json`. */
static void
cli_reservation_json(const struct sl_reservation *r, int first)
{
	printf("%s{\"hold\":%" PRId64 ",\"show\":%" PRId64, first ? "" : ",",
	    r->hold, r->show);
	cli_json_field(stdout, "title", r->title);
	cli_json_field(stdout, "starts_at", r->starts_at);
	cli_json_field(stdout, "holder", r->holder);
	if (r->user > 0)
		printf(",\"user\":%" PRId64, r->user);
	else
		fputs(",\"user\":null", stdout);
	cli_json_field(stdout, "seats", r->seats);
	cli_json_field(stdout, "expires_at", r->expires_at);
	putchar('}');
}

static int
cli_reservations(struct cli *cli, int argc, char **argv)
{
	struct sl_reservation *v;
	struct sl_db *db;
	struct sl_err e;
	size_t n, i;
	int code, json = 0;
	const struct cli_opt opts[] = {
		{ "json", no_argument, NULL, &json },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("reservations", argc, argv, opts)) != 0)
		return code;
	if (argc - optind > 1)
		return cli_usage("reservations");
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_reservation_find(db, argc > optind ? argv[optind] : NULL, &v, &n,
	        &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_list_start(json, n, "%-8s %-6s %-26s %-24s %s\n", "HOLD", "SHOW",
	    "UNTIL", "NAME", "SEATS");
	for (i = 0; i < n; i++) {
		if (json) {
			cli_reservation_json(&v[i], i == 0);
			continue;
		}
		printf("%-8" PRId64 " %-6" PRId64 " %-26s ", v[i].hold,
		    v[i].show, v[i].expires_at);
		cli_safe_str(stdout, v[i].holder);
		printf("  %s\n", v[i].seats);
	}
	sl_reservation_free(v, n);
	return cli_list_done(json, db);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_hold_entry = {
	"hold", cli_hold,
	"hold SHOW LABEL... [--seconds N] [--reason R] [--override]",
	"hold seats (with a reason: a supervisor's block); prints the id"
};

const struct cli_cmd cli_release_entry = {
	"release", cli_release,
	"release HOLD",
	"release a hold (a block needs a supervisor)"
};

const struct cli_cmd cli_holds_entry = {
	"holds", cli_holds,
	"holds SHOW [--json]",
	"list a show's live holds and blocks"
};

const struct cli_cmd cli_sweep_entry = {
	"sweep", cli_sweep,
	"sweep [SHOW]",
	"end holds whose time ran out; prints how many"
};

const struct cli_cmd cli_reserve_entry = {
	"reserve", cli_reserve,
	"reserve SHOW LABEL... (--user ID | --name NAME) --until TIME "
	"[--override]",
	"hold seats for a customer until a time (a phone booking); prints "
	"its number"
};

const struct cli_cmd cli_reservations_entry = {
	"reservations", cli_reservations,
	"reservations [QUERY] [--json]",
	"find the live reservations by name or number"
};
