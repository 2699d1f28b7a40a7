/*
 * show.c - seatlock venue import, show add, shows, seats: venues, shows and
 * their seats.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_layout.h"
#include "sl_show.h"
#include "sl_venue.h"

static int
cli_venue_import(struct cli *cli, int argc, char **argv)
{
	struct sl_layout *l;
	struct sl_db *db;
	struct sl_err e;
	int64_t id;
	int code;

	if (argc != 2 || argv[1][0] == '-')
		return cli_usage("venue import");
	sl_err_clear(&e);
	/* Parse and check everything before connecting: a bad file writes
	 * nothing. */
	if (sl_layout_load(argv[1], &l, &e) != SL_OK)
		return cli_fail(&e);
	if ((code = cli_connect(cli, &db)) != 0) {
		sl_layout_free(l);
		return code;
	}
	if (sl_venue_import(db, l, 0, &id, NULL, &e) != SL_OK) {
		sl_layout_free(l);
		sl_db_close(db);
		return cli_fail(&e);
	}
	printf("%" PRId64 "\n", id);
	cli_msg("venue \"%s\" imported with %zu seats", l->name, l->n);
	sl_layout_free(l);
	sl_db_close(db);
	return 0;
}

static int
cli_show_add(struct cli *cli, int argc, char **argv)
{
	const char *venue = NULL, *title = NULL, *starts = NULL, *why;
	struct sl_db *db;
	struct sl_err e;
	int64_t vid, id;
	size_t i, n;
	int code;
	const struct cli_opt opts[] = {
		{ "venue", required_argument, &venue, NULL },
		{ "title", required_argument, &title, NULL },
		{ "starts", required_argument, &starts, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("show add", argc, argv, opts)) != 0)
		return code;
	if (optind != argc || venue == NULL || title == NULL || starts == NULL)
		return cli_usage("show add");
	if ((code = cli_id("venue", venue, &vid)) != 0)
		return code;
	if (sl_text_valid(title, 800, &why) != 0) {
		cli_msg("the title %s", why);
		return CLI_EXIT_USAGE;
	}
	/* show.title allows 200 characters (800 bytes is 200 of 4 bytes):
	 * say so here rather than print the constraint and failing row. */
	for (i = 0, n = 0; title[i] != '\0'; i++)
		if (((unsigned char)title[i] & 0xc0) != 0x80)
			n++;
	if (n > 200) {
		cli_msg("the title is too long (at most 200 characters)");
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_show_add(db, vid, title, starts, &id, &e) != SL_OK)
		return cli_db_fail(db, &e);
	printf("%" PRId64 "\n", id);
	sl_db_close(db);
	return 0;
}

/* A show's on-sale window in words ("on sale from ON until OFF") into buf
 * (128 bytes), or "" when it has none. */
static void
cli_window_text(char *buf, const char *on, const char *off)
{
	buf[0] = '\0';
	if (on[0] != '\0' || off[0] != '\0')
		snprintf(buf, 128, "on sale%s%s%s%s", on[0] ? " from " : "", on,
		    off[0] ? " until " : "", off);
}

/* A time of show set: "" and "none" clear it (""), NULL keeps it. */
static const char *
cli_window_time(const char *s)
{
	if (s != NULL && strcmp(s, "none") == 0)
		return "";
	return s;
}

static int
cli_show_set(struct cli *cli, int argc, char **argv)
{
	const char *on = NULL, *off = NULL;
	char on_out[48], off_out[48], w[128];
	struct sl_db *db;
	struct sl_err e;
	int64_t show;
	int code;
	const struct cli_opt opts[] = {
		{ "on-sale", required_argument, &on, NULL },
		{ "off-sale", required_argument, &off, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("show set", argc, argv, opts)) != 0)
		return code;
	if (argc - optind != 1 || (on == NULL && off == NULL))
		return cli_usage("show set");
	if ((code = cli_id("show", argv[optind], &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_show_set_window(db, show, cli_window_time(on),
	    cli_window_time(off), on_out, off_out, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_window_text(w, on_out, off_out);
	cli_msg("show %" PRId64 " is %s", show,
	    w[0] ? w : "on sale (no on-sale window)");
	sl_db_close(db);
	return 0;
}

/* Parses "[--json]" around the positional arguments; returns the number of
 * positionals moved to pos[], or -1 on an unknown option. */
static int
cli_json_flag(int argc, char **argv, int *json, char **pos, int max)
{
	int i, n = 0;

	*json = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			*json = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_msg("unknown option %s", argv[i]);
			return -1;
		} else if (n < max)
			pos[n++] = argv[i];
		else
			return -1;
	}
	return n;
}

static int
cli_shows(struct cli *cli, int argc, char **argv)
{
	struct sl_show *v;
	struct sl_db *db;
	struct sl_err e;
	char *pos[1], w[128];
	size_t n, i;
	int json, code;

	if (cli_json_flag(argc, argv, &json, pos, 0) != 0)
		return cli_usage("shows");
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_show_list(db, &v, &n, &e) != SL_OK)
		return cli_db_fail(db, &e);
	cli_list_start(json, n, "%-6s %-25s %9s  %s\n",
	    "ID", "STARTS", "AVAILABLE", "TITLE / VENUE");
	for (i = 0; i < n; i++) {
		if (json) {
			printf("%s{\"id\":%" PRId64 ",\"title\":", i ? "," : "",
			    v[i].id);
			cli_json_str(stdout, v[i].title);
			printf(",\"venue\":");
			cli_json_str(stdout, v[i].venue);
			printf(",\"venue_id\":%" PRId64 ",\"starts_at\":",
			    v[i].venue_id);
			cli_json_str(stdout, v[i].starts_at);
			printf(",\"available\":%" PRId64 ",\"capacity\":%" PRId64,
			    v[i].available, v[i].capacity);
			cli_json_field_or_null(stdout, "on_sale",
			    v[i].on_sale[0] != '\0' ? v[i].on_sale : NULL);
			cli_json_field_or_null(stdout, "off_sale",
			    v[i].off_sale[0] != '\0' ? v[i].off_sale : NULL);
			putchar('}');
			continue;
		}
		printf("%-6" PRId64 " %-25s %9" PRId64 "  ", v[i].id,
		    v[i].starts_at, v[i].available);
		cli_safe_str(stdout, v[i].title);
		fputs(" / ", stdout);
		cli_safe_str(stdout, v[i].venue);
		cli_window_text(w, v[i].on_sale, v[i].off_sale);
		if (w[0] != '\0')
			printf(" (%s)", w);
		putchar('\n');
	}
	sl_show_list_free(v, n);
	return cli_list_done(json, db);
}

/*
 * The hold and zone of a seat: "hold_id", "held_by" (the terminal),
 * "hold_expires_at" (null: never), "hold_reason" (a block's), "zone",
 * "price_cents"; null where the seat has none.
 */
static void
cli_seat_json_extra(const struct sl_seats *s, const struct sl_seat *st)
{
	const struct sl_seat_hold *h = st->hold >= 0 ? &s->hold[st->hold] :
	    NULL;

	if (h == NULL)
		fputs(",\"hold_id\":null,\"held_by\":null,"
		    "\"hold_expires_at\":null,\"hold_reason\":null", stdout);
	else {
		printf(",\"hold_id\":%" PRId64 ",\"held_by\":", h->id);
		cli_json_str(stdout, h->held_by);
		fputs(",\"hold_expires_at\":", stdout);
		if (h->expires_at[0] != '\0')
			cli_json_str(stdout, h->expires_at);
		else
			fputs("null", stdout);
		fputs(",\"hold_reason\":", stdout);
		if (h->reason != NULL)
			cli_json_str(stdout, h->reason);
		else
			fputs("null", stdout);
	}
	if (st->zone < 0)
		fputs(",\"zone\":null,\"price_cents\":null", stdout);
	else {
		cli_json_field(stdout, "zone", s->zone[st->zone].code);
		printf(",\"price_cents\":%" PRId64,
		    s->zone[st->zone].price_cents);
	}
}

static int
cli_seats(struct cli *cli, int argc, char **argv)
{
	struct sl_seats *s;
	struct sl_db *db;
	struct sl_err e;
	char *pos[1];
	int64_t show;
	size_t i;
	int json, code;

	if (cli_json_flag(argc, argv, &json, pos, 1) != 1)
		return cli_usage("seats");
	if ((code = cli_id("show", pos[0], &show)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_show_seats(db, show, &s, &e) != SL_OK)
		return cli_db_fail(db, &e);
	if (json)
		putchar('[');
	else
		printf("%-10s %-10s %s %-5s %6s  %s\n", "LABEL", "STATE",
		    "SECTION", "ROW", "NUMBER", "ATTRIBUTES");
	for (i = 0; i < s->n; i++) {
		const struct sl_seat *st = &s->seat[i];
		const char *state = sl_seat_state_name(st->state);

		if (json) {
			printf("%s{\"id\":%" PRId64 ",\"label\":", i ? "," : "",
			    st->id);
			cli_json_str(stdout, st->label);
			printf(",\"section\":");
			cli_json_str(stdout, s->section[st->section]);
			printf(",\"row\":");
			cli_json_str(stdout, st->row);
			printf(",\"number\":%d,\"state\":\"%s\","
			    "\"accessible\":%s,\"companion\":%s,"
			    "\"restricted_view\":%s", (int)st->number, state,
			    st->accessible ? "true" : "false",
			    st->companion ? "true" : "false",
			    st->restricted ? "true" : "false");
			cli_seat_json_extra(s, st);
			putchar('}');
			continue;
		}
		printf("%-10s %-10s ", st->label, state);
		cli_safe_str(stdout, s->section[st->section]);
		printf(" %-5s %6d  %s%s%s", st->row, (int)st->number,
		    st->accessible ? "accessible " : "",
		    st->companion ? "companion " : "",
		    st->restricted ? "restricted-view " : "");
		if (st->zone >= 0)
			printf("zone %s ", s->zone[st->zone].code);
		if (st->hold >= 0) {
			fputs("held by ", stdout);
			cli_safe_str(stdout, s->hold[st->hold].held_by);
			if (s->hold[st->hold].expires_at[0] != '\0')
				printf(" until %s",
				    s->hold[st->hold].expires_at);
		}
		putchar('\n');
	}
	sl_seats_free(s);
	return cli_list_done(json, db);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_venue_import_entry = {
	"venue import", cli_venue_import,
	"venue import FILE",
	"import a venue layout; prints the venue id"
};

const struct cli_cmd cli_show_add_entry = {
	"show add", cli_show_add,
	"show add --venue ID --title TITLE --starts TIME",
	"add a show; prints the show id"
};

const struct cli_cmd cli_show_set_entry = {
	"show set", cli_show_set,
	"show set SHOW [--on-sale TIME] [--off-sale TIME]",
	"set when a show is on sale (supervisor; none clears)"
};

const struct cli_cmd cli_shows_entry = {
	"shows", cli_shows,
	"shows [--json]",
	"list shows with venue, start and seats available"
};

const struct cli_cmd cli_seats_entry = {
	"seats", cli_seats,
	"seats SHOW [--json]",
	"list a show's seats and their states"
};
