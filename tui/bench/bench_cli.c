/*
 * bench_cli.c - `seatlock bench`: the load generator's command line, its
 * options, help, progress on stderr and exit code.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli/cli.h"

/* What the command line asked for beyond the run's options. */
struct bench_cli {
	struct bench_opts	o;
	int			json;
	int			listeners_set;
	int			tty;	/* stderr is a terminal */
};

/* Parses a number above 0 and at most hi of option opt: 0 or an exit
 * code. */
static int
bench_cli_real(const char *opt, const char *s, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' ||
	    !(*out > 0 && *out <= hi)) {
		cli_msg("%s must be a number above 0 and at most %.0f", opt,
		    hi);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static void
bench_cli_progress(const struct bench_progress *p, void *arg)
{
	const struct bench_cli *bc = arg;

	if (strcmp(p->phase, "run") != 0) {
		fprintf(stderr, "bench: %s ...%s", p->phase,
		    bc->tty ? "\r" : "\n");
		return;
	}
	fprintf(stderr, "bench: %5.1f s  %8" PRId64 " bookings  %8.1f/s  "
	    "%6" PRId64 " conflicts  %3" PRId64 " errors%s", p->elapsed_s,
	    p->bookings, p->bookings_per_s, p->conflicts, p->errors,
	    bc->tty ? "\r" : "\n");
}

static void
bench_cli_help(void)
{
	printf("usage: seatlock bench [OPTION...]\n\n"
	    "Loads the configured database with bookings from threads, one "
	    "connection each,\nin a venue and shows of its own (named "
	    "\"bench ...\", starting in 2100), and\nchecks in SQL that no "
	    "seat was sold twice.\n\n"
	    "  --scenario NAME   spread (default): distinct random seats of "
	    "many shows\n"
	    "                    listen: spread with --listeners 50, measuring "
	    "commit to\n"
	    "                      notification\n"
	    "                    hot: all clients race for --seats (8) seats, "
	    "winners cancel\n"
	    "                    toggle: book and cancel random seats of a "
	    "pool of --seats (1000)\n"
	    "                    flash: sell out a fresh show of --seats "
	    "(2000) seats\n"
	    "                    multi: 2 to 6 adjacent seats per booking\n"
	    "                    best: best available, 1 to 4 seats, until "
	    "a fresh show of\n"
	    "                      --seats (1000) is sold out\n"
	    "                    stadium: map load time of a generated "
	    "venue of --seats\n"
	    "                      (100000) seats, and its query plan\n"
	    "                    explain: the plans of a booking, a cancel "
	    "and a map load\n"
	    "                      (needs a superuser for auto_explain)\n"
	    "                    terminals: spread while --terminals box "
	    "offices keep their\n"
	    "                      show's map through the relay (one is "
	    "started when none\n"
	    "                      answers) and a pool of 8: push latency, "
	    "stale maps,\n"
	    "                      backends, server memory\n"
	    "  --clients N       booking threads (16)\n"
	    "  --pool N          the clients share N connections (a box "
	    "office behind a\n"
	    "                    pool; the wait counts in the latency); "
	    "default: one each\n"
	    "  --seconds S       run time (10), or\n"
	    "  --count N         booking attempts in all\n"
	    "  --seed N          random seed (1)\n"
	    "  --notify MODE     per-commit, batched or off; every change is "
	    "announced through\n"
	    "                    the notifier whatever the mode; off starts "
	    "none for the run\n"
	    "                    (another must run for --listeners to hear)\n"
	    "  --listeners M     listening connections (spread, listen)\n"
	    "  --rate R          book at R bookings/s in all (paced clients) "
	    "instead of\n"
	    "                    as fast as possible: latency at a given "
	    "load\n"
	    "  --seats N         the scenario's size (see above; spread: "
	    "seats to make,\n"
	    "                    3000 per second of the run)\n"
	    "  --terminals N     simulated box offices (terminals; 1 to 5000, "
	    "default 1000)\n"
	    "  --kill-relay-at S kill the bench's relay S seconds into the "
	    "run and start\n"
	    "                    another: reconnect_max_ms (terminals)\n"
	    "  --compare-pgbench run pgbench with the same booking at the same "
	    "concurrency\n"
	    "                    and print the ratio\n"
	    "  --pgbench PATH    the pgbench to run (else the newest of "
	    "/usr/lib/postgresql)\n"
	    "  --cleanup         delete the run's shows, bookings and "
	    "customers afterwards\n"
	    "                    (slow on big runs: no index serves those "
	    "deletes)\n"
	    "  --json            one JSON object instead of the text\n\n"
	    "Exit: 0 done, 1 a database error, a failed booking or a seat "
	    "sold twice,\n2 bad usage.\n");
}

/* The option c of getopt_long with optarg: 0, an exit code, or -1 when c
 * is no option of bench. */
static int
bench_cli_opt(struct bench_cli *bc, int c)
{
	struct bench_opts *o = &bc->o;
	int64_t v = 0;
	int code = 0;

	switch (c) {
	case 's':
		if (bench_scenario_parse(optarg, &o->scenario) != 0) {
			cli_msg("unknown scenario \"%s\" (spread, listen, hot, "
			    "toggle, flash, multi, best, stadium, explain, "
			    "terminals)", optarg);
			return CLI_EXIT_USAGE;
		}
		break;
	case 'c':
		code = cli_num("--clients", optarg, 1, 500, &v);
		o->clients = (int)v;
		break;
	case 'o':
		code = cli_num("--pool", optarg, 1, 500, &v);
		o->pool = (int)v;
		break;
	case 't':
		return bench_cli_real("--seconds", optarg, 86400, &o->seconds);
	case 'n':
		return cli_num("--count", optarg, 1, 100000000,
		    &o->count);
	case 'r':
		code = cli_num("--seed", optarg, 0, INT64_MAX, &v);
		o->seed = (uint64_t)v;
		break;
	case 'j':
		bc->json = 1;
		break;
	case 'm':
		o->notify = optarg;
		break;
	case 'l':
		code = cli_num("--listeners", optarg, 0, 1000, &v);
		o->listeners = (int)v;
		bc->listeners_set = 1;
		break;
	case 'S':
		return cli_num("--seats", optarg, 1, 100000000,
		    &o->seats);
	case 'p':
		o->pgbench = 1;
		break;
	case 'P':
		o->pgbench_path = optarg;
		break;
	case 'k':
		o->cleanup = 1;
		break;
	case 'R':
		return bench_cli_real("--rate", optarg, 1e6, &o->rate);
	case 'T':
		code = cli_num("--terminals", optarg, 1, 5000, &v);
		o->terminals = (int)v;
		break;
	case 'K':
		return bench_cli_real("--kill-relay-at", optarg, 86400,
		    &o->kill_relay_at);
	default:
		return -1;
	}
	return code;
}

/* Parses the command line into bc: -1 to run, else an exit code. */
static int
bench_cli_parse(struct bench_cli *bc, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "clients", required_argument, NULL, 'c' },
		{ "pool", required_argument, NULL, 'o' },
		{ "seconds", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "notify", required_argument, NULL, 'm' },
		{ "listeners", required_argument, NULL, 'l' },
		{ "seats", required_argument, NULL, 'S' },
		{ "compare-pgbench", no_argument, NULL, 'p' },
		{ "pgbench", required_argument, NULL, 'P' },
		{ "cleanup", no_argument, NULL, 'k' },
		{ "rate", required_argument, NULL, 'R' },
		{ "terminals", required_argument, NULL, 'T' },
		{ "kill-relay-at", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, code;

	bench_opts_init(&bc->o);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h') {
			bench_cli_help();
			return 0;
		}
		if ((code = bench_cli_opt(bc, c)) < 0) {
			cli_msg("bench: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("bench");
		}
		if (code != 0)
			return code;
	}
	if (optind != argc)
		return cli_usage("bench");
	if (bc->o.scenario == BENCH_LISTEN && !bc->listeners_set)
		bc->o.listeners = 50;
	return -1;
}

static int
cli_bench(struct cli *cli, int argc, char **argv)
{
	struct bench_cli bc;
	struct bench_result r;
	struct sl_err e;
	int code;

	memset(&bc, 0, sizeof bc);
	if ((code = bench_cli_parse(&bc, argc, argv)) >= 0)
		return code;
	bc.tty = isatty(STDERR_FILENO);
	bc.o.progress = bench_cli_progress;
	bc.o.arg = &bc;
	sl_err_clear(&e);
	if (bench_run(&cli->cfg, &bc.o, &r, &e) != SL_OK) {
		if (bc.tty)
			fputc('\n', stderr);
		return cli_fail(&e);
	}
	if (bc.tty)
		fprintf(stderr, "%-78s\r", "");
	if (bc.json)
		bench_print_json(&bc.o, &r);
	else
		bench_print_text(&bc.o, &r);
	code = 0;
	if (r.double_bookings > 0 || r.state_mismatches > 0) {
		cli_msg("INVARIANT BROKEN: %" PRId64 " seats booked twice, %"
		    PRId64 " seat states disagree with the bookings",
		    r.double_bookings, r.state_mismatches);
		code = CLI_EXIT_ERROR;
	} else if (r.stale_terminals > 0) {
		cli_msg("STALE MAPS: %" PRId64 " terminals' maps differ from the "
		    "database after the settle time", r.stale_terminals);
		code = CLI_EXIT_ERROR;
	} else if (r.errors > 0) {
		cli_msg("%" PRId64 " bookings failed with errors; the first: "
		    "%s", r.errors, r.first_error);
		code = CLI_EXIT_ERROR;
	}
	bench_result_free(&r);
	return code;
}

const struct cli_cmd cli_bench_entry = {
	"bench", cli_bench, "bench [--scenario NAME] [OPTION...]",
	"the load generator (seatlock bench --help)"
};
