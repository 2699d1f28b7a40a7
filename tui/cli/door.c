/*
 * door.c - seatlock checkin and seatlock door: a ticket checked in at a
 * door (sl_ticket.h), the door terminal's full-screen mode (door/door.h),
 * and the offline door's file: export, offline scanning, sync (sl_door.h).
 *
 * checkin's exit code is its answer: 0 admitted, 3 already admitted, 4
 * refused (unknown, voided, ended, another show), 2 not a code.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "door/door.h"
#include "sl_door.h"
#include "sl_show.h"
#include "sl_ticket.h"

static const char *const cli_checkin_result[] = { "admitted", "already",
	"refused" };

static void
cli_checkin_json(const struct sl_checkin *c)
{
	printf("{\"result\":");
	cli_json_str(stdout, cli_checkin_result[c->result]);
	cli_json_field_or_null(stdout, "reason", c->reason[0] != '\0' ?
	    c->reason : NULL);
	if (c->show != 0)
		printf(",\"show\":%" PRId64, c->show);
	else
		printf(",\"show\":null");
	cli_json_field_or_null(stdout, "title", c->show != 0 ? c->title :
	    NULL);
	cli_json_field_or_null(stdout, "starts_at", c->show != 0 ?
	    c->starts_at : NULL);
	cli_json_field_or_null(stdout, "label", c->label[0] != '\0' ?
	    c->label : NULL);
	cli_json_field_or_null(stdout, "first_at", c->first_at[0] != '\0' ?
	    c->first_at : NULL);
	cli_json_field_or_null(stdout, "first_door",
	    c->first_door[0] != '\0' ? c->first_door : NULL);
	printf(",\"admitted\":%" PRId64 ",\"sold\":%" PRId64 "}\n",
	    c->admitted, c->sold);
}

/* The answer of a check-in in words; its exit code. */
static int
cli_checkin_say(const struct sl_checkin *c)
{
	switch (c->result) {
	case SL_CHECKIN_ADMITTED:
		printf("admitted: %s, %s, seat %s (%" PRId64 " of %" PRId64
		    " in)\n", c->title, c->starts_at, c->label, c->admitted,
		    c->sold);
		return 0;
	case SL_CHECKIN_ALREADY:
		cli_msg("already admitted: seat %s of %s, at %s at door %s",
		    c->label, c->title, c->first_at, c->first_door);
		return CLI_EXIT_CONFLICT;
	default:
		cli_msg("refused: %s", sl_checkin_why(c->reason));
		return CLI_EXIT_NOTFOUND;
	}
}

static int
cli_checkin(struct cli *cli, int argc, char **argv)
{
	const char *show_s = NULL, *door = NULL;
	struct sl_checkin c;
	struct sl_db *db;
	struct sl_err e;
	int64_t show = 0;
	int json = 0, code;
	const struct cli_opt opts[] = {
		{ "show", required_argument, &show_s, NULL },
		{ "door", required_argument, &door, NULL },
		{ "json", no_argument, NULL, &json },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("checkin", argc, argv, opts)) != 0)
		return code;
	if (argc != optind + 1)
		return cli_usage("checkin");
	if (show_s != NULL && (code = cli_id("show", show_s, &show)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_ticket_code_parse(argv[optind], (unsigned char[SL_TICKET_RAW])
	    { 0 }, &e) != SL_OK) {
		cli_msg("%s", e.msg);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	if (sl_checkin(db, argv[optind], show, door != NULL ? door :
	    sl_db_terminal(db), &c, &e) != SL_OK)
		return cli_db_fail(db, &e);
	sl_db_close(db);
	if (json) {
		cli_checkin_json(&c);
		return c.result == SL_CHECKIN_ADMITTED ? 0 :
		    c.result == SL_CHECKIN_ALREADY ? CLI_EXIT_CONFLICT :
		    CLI_EXIT_NOTFOUND;
	}
	return cli_checkin_say(&c);
}

/* The options of seatlock door. */
struct cli_door {
	const char	*show_s, *door, *export_s, *offline, *sync;
	int64_t		 show;
	char		 host[SL_DOOR_MAX + 1];
};

static int
cli_door_export(struct cli *cli, struct cli_door *o, const char *path)
{
	struct sl_door_info info;
	struct sl_db *db;
	struct sl_err e;
	int64_t show;
	int code;

	if ((code = cli_id("show", o->export_s, &show)) != 0 ||
	    (code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_door_export(db, show, path, &info, &e) != SL_OK)
		return cli_db_fail(db, &e);
	sl_db_close(db);
	printf("%" PRId64 " valid tickets of show %" PRId64 " (", info.tickets,
	    info.show);
	cli_safe_str(stdout, info.title);
	printf(", %s) exported at %s into ", info.starts_at, info.exported_at);
	cli_safe_str(stdout, path);
	printf("\n");
	return 0;
}

/* Prints one admission sent back unless the database agreed. */
static void
cli_door_synced(void *ctx, const struct sl_door_synced *s)
{
	size_t *conflicts = ctx;

	if (s->c.result == SL_CHECKIN_ADMITTED)
		return;
	(*conflicts)++;
	printf("%s scanned %s at %s: ", s->code, s->at, s->door);
	if (s->c.result == SL_CHECKIN_ALREADY)
		printf("admitted at two doors: seat %s was already in at %s "
		    "at %s\n", s->c.label, s->c.first_at, s->c.first_door);
	else
		printf("refused by the database: %s\n",
		    sl_checkin_why(s->c.reason));
}

static int
cli_door_sync(struct cli *cli, const char *path)
{
	struct sl_door_file *f;
	struct sl_door_info info;
	struct sl_db *db;
	struct sl_err e;
	size_t n = 0, conflicts = 0;
	int code;

	sl_err_clear(&e);
	if (sl_door_open(path, &f, &info, &e) != SL_OK)
		return cli_fail(&e);
	if ((code = cli_connect(cli, &db)) != 0) {
		sl_door_close(f);
		return code;
	}
	if (sl_door_sync(db, f, cli_door_synced, &conflicts, &n, &e) !=
	    SL_OK) {
		sl_door_close(f);
		cli_msg("%zu scans sent before the error; sync again to send "
		    "the rest", n);
		return cli_db_fail(db, &e);
	}
	sl_door_close(f);
	sl_db_close(db);
	printf("%zu offline admissions sent for show %" PRId64 ": %zu "
	    "admitted, %zu conflicts\n", n, info.show, n - conflicts,
	    conflicts);
	return conflicts > 0 ? CLI_EXIT_CONFLICT : 0;
}

/* 0 if the door screen has a terminal, else reports it. */
static int
cli_door_tty(void)
{
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return 0;
	cli_msg("the door needs a terminal (seatlock checkin CODE checks one "
	    "code in without one)");
	return CLI_EXIT_USAGE;
}

/* The door screen, offline against the file at path. */
static int
cli_door_offline(struct cli_door *o, struct door_opts *d)
{
	struct sl_door_info info;
	struct sl_err e;
	int code;

	sl_err_clear(&e);
	if (sl_door_open(o->offline, &d->file, &info, &e) != SL_OK)
		return cli_fail(&e);
	if (o->show != 0 && o->show != info.show) {
		cli_msg("%s is the list of show %" PRId64 " (%s), not of show "
		    "%" PRId64, o->offline, info.show, info.title, o->show);
		sl_door_close(d->file);
		return CLI_EXIT_USAGE;
	}
	if ((code = cli_door_tty()) != 0) {
		sl_door_close(d->file);
		return code;
	}
	d->show = info.show;
	snprintf(d->title, sizeof d->title, "%s, %s (list of %s)", info.title,
	    info.starts_at, info.exported_at);
	code = door_run(d);
	sl_door_close(d->file);
	return code;
}

/* The door screen, online. */
static int
cli_door_online(struct cli *cli, struct cli_door *o, struct door_opts *d)
{
	struct sl_show *sh;
	struct sl_err e;
	int code;

	if ((code = cli_door_tty()) != 0 ||
	    (code = cli_connect(cli, &d->db)) != 0)
		return code;
	if (o->door == NULL)
		d->door = sl_db_terminal(d->db);
	d->show = o->show;
	sl_err_clear(&e);
	if (o->show != 0 && sl_show_get(d->db, o->show, &sh, &e) == SL_OK) {
		snprintf(d->title, sizeof d->title, "%s, %s", sh->title,
		    sh->starts_at);
		sl_show_list_free(sh, 1);
	} else if (e.rc == SL_ENOTFOUND) {
		return cli_db_fail(d->db, &e);
	} else if (o->show != 0) {	/* a door login reads no shows */
		snprintf(d->title, sizeof d->title, "show %" PRId64, o->show);
	}
	code = door_run(d);
	sl_db_close(d->db);
	return code;
}

static int
cli_door(struct cli *cli, int argc, char **argv)
{
	struct cli_door o = { 0 };
	struct door_opts d = { 0 };
	int code, modes;
	const struct cli_opt opts[] = {
		{ "show", required_argument, &o.show_s, NULL },
		{ "door", required_argument, &o.door, NULL },
		{ "export", required_argument, &o.export_s, NULL },
		{ "offline", required_argument, &o.offline, NULL },
		{ "sync", required_argument, &o.sync, NULL },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("door", argc, argv, opts)) != 0)
		return code;
	modes = (o.export_s != NULL) + (o.offline != NULL) + (o.sync != NULL);
	if (modes > 1 || argc != optind + (o.export_s != NULL))
		return cli_usage("door");
	if (o.show_s != NULL && (code = cli_id("show", o.show_s, &o.show)) != 0)
		return code;
	if (o.export_s != NULL)
		return cli_door_export(cli, &o, argv[optind]);
	if (o.sync != NULL)
		return cli_door_sync(cli, o.sync);
	d.door = o.door;
	if (o.door == NULL && cli->cfg.terminal[0] != '\0')
		d.door = cli->cfg.terminal;
	if (o.door == NULL && d.door == NULL) {
		if (gethostname(o.host, sizeof o.host - 1) != 0)
			snprintf(o.host, sizeof o.host, "door");
		d.door = o.host;
	}
	if (o.offline != NULL)
		return cli_door_offline(&o, &d);
	return cli_door_online(cli, &o, &d);
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_checkin_entry = {
	"checkin", cli_checkin,
	"checkin CODE [--show ID] [--door NAME] [--json]",
	"check a ticket in: 0 admitted, 3 already in, 4 refused"
};

const struct cli_cmd cli_door_entry = {
	"door", cli_door,
	"door [--show ID] [--door NAME] [--offline FILE]",
	"the door's check-in screen (scanner), online or offline"
};

const struct cli_cmd cli_door_export_entry = {
	"door", cli_door,
	"door --export SHOW FILE",
	"write the show's valid tickets into FILE for an offline door"
};

const struct cli_cmd cli_door_sync_entry = {
	"door", cli_door,
	"door --sync FILE",
	"send an offline door's scans back; report conflicts"
};
