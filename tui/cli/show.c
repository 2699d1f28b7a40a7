/*
 * show.c - seatlock shows, seatlock seats.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_show.h"

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

int
cli_shows(struct cli *cli, int argc, char **argv)
{
	struct sl_show *v;
	struct sl_db *db;
	struct sl_err e;
	char *pos[1];
	size_t n, i;
	int json, code;

	if (cli_json_flag(argc, argv, &json, pos, 0) != 0)
		return cli_usage("shows");
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_show_list(db, &v, &n, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	if (json)
		putchar('[');
	else if (n > 0)
		printf("%-6s %-25s %9s  %s\n", "ID", "STARTS", "AVAILABLE",
		    "TITLE / VENUE");
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
			printf(",\"available\":%" PRId64 ",\"capacity\":%" PRId64
			    "}", v[i].available, v[i].capacity);
			continue;
		}
		printf("%-6" PRId64 " %-25s %9" PRId64 "  ", v[i].id,
		    v[i].starts_at, v[i].available);
		cli_safe_str(stdout, v[i].title);
		fputs(" / ", stdout);
		cli_safe_str(stdout, v[i].venue);
		putchar('\n');
	}
	if (json)
		puts("]");
	sl_show_list_free(v, n);
	sl_db_close(db);
	return 0;
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
		fputs(",\"zone\":", stdout);
		cli_json_str(stdout, s->zone[st->zone].code);
		printf(",\"price_cents\":%" PRId64,
		    s->zone[st->zone].price_cents);
	}
}

int
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
	if (sl_show_seats(db, show, &s, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
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
	if (json)
		puts("]");
	sl_seats_free(s);
	sl_db_close(db);
	return 0;
}
