/*
 * cli_bench.c - seatlock bench (the load generator) and seatlock notifier
 * (the batched-push daemon).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sl_bench.h"
#include "sl_notifier.h"

/* Parses a number of an option; 0 or an exit code. */
static int
cli_bench_num(const char *opt, const char *s, int64_t lo, int64_t hi,
    int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		cli_msg("%s must be a whole number from %" PRId64 " to %"
		    PRId64, opt, lo, hi);
		return CLI_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static int	cli_bench_tty;

static void
cli_bench_progress(const struct sl_bench_progress *p, void *arg)
{
	(void)arg;
	if (strcmp(p->phase, "run") != 0) {
		fprintf(stderr, "bench: %s ...%s", p->phase,
		    cli_bench_tty ? "\r" : "\n");
		return;
	}
	fprintf(stderr, "bench: %5.1f s  %8" PRId64 " bookings  %8.1f/s  "
	    "%6" PRId64 " conflicts  %3" PRId64 " errors%s", p->elapsed_s,
	    p->bookings, p->bookings_per_s, p->conflicts, p->errors,
	    cli_bench_tty ? "\r" : "\n");
}

static void
cli_bench_json(const struct sl_bench_opts *o, const struct sl_bench_result *r)
{
	printf("{\"scenario\": ");
	cli_json_str(stdout, r->scenario);
	printf(", \"notify\": ");
	cli_json_str(stdout, r->notify);
	printf(", \"rate\": %.1f", o->rate);
	printf(", \"pool\": %d", r->pool);
	printf(", \"clients\": %d, \"seconds\": %.3f, \"seed\": %" PRIu64
	    ", \"bookings\": %" PRId64 ", \"seats_booked\": %" PRId64
	    ", \"conflicts\": %" PRId64 ", \"busy\": %" PRId64
	    ", \"errors\": %" PRId64 ", \"cancels\": %" PRId64
	    ", \"bookings_per_s\": %.1f, \"steady_per_s\": %.1f"
	    ", \"conflicts_per_s\": %.1f"
	    ", \"p50_ms\": %.3f, \"p95_ms\": %.3f, \"p99_ms\": %.3f"
	    ", \"max_ms\": %.3f, \"mean_ms\": %.3f"
	    ", \"double_bookings\": %" PRId64 ", \"state_mismatches\": %" PRId64
	    ", \"active_bookings\": %" PRId64 ", \"capacity\": %" PRId64
	    ", \"shows\": %" PRId64 ", \"exhausted\": %s",
	    r->clients, r->elapsed_s, o->seed, r->bookings, r->seats_booked,
	    r->conflicts, r->busy, r->errors, r->cancels, r->bookings_per_s,
	    r->steady_per_s, r->conflicts_per_s, r->p50_ms, r->p95_ms,
	    r->p99_ms, r->max_ms,
	    r->mean_ms, r->double_bookings, r->state_mismatches,
	    r->active_bookings, r->capacity, r->shows,
	    r->exhausted ? "true" : "false");
	printf(", \"first_error\": ");
	cli_json_str(stdout, r->first_error);
	if (r->listeners > 0)
		printf(", \"listeners\": %d, \"notifications\": %" PRId64
		    ", \"notified\": %" PRId64 ", \"missed\": %" PRId64
		    ", \"seq_gaps\": %" PRId64 ", \"reloads\": %" PRId64
		    ", \"notify_p50_ms\": %.3f, \"notify_p95_ms\": %.3f"
		    ", \"notify_p99_ms\": %.3f, \"notify_max_ms\": %.3f",
		    r->listeners, r->notifications, r->notified, r->missed,
		    r->seq_gaps, r->reloads, r->notify_p50_ms,
		    r->notify_p95_ms, r->notify_p99_ms, r->notify_max_ms);
	if (strcmp(r->notify, "batched") == 0)
		printf(", \"notifier_leader\": %s, \"notifier_rounds\": %"
		    PRId64 ", \"notifier_sent\": %" PRId64
		    ", \"notifier_round_ms\": %.3f"
		    ", \"notifier_round_max_ms\": %.3f",
		    r->notifier_leader ? "true" : "false", r->notifier_rounds,
		    r->notifier_sent, r->notifier_round_ms,
		    r->notifier_round_max_ms);
	if (r->pgbench_ran)
		printf(", \"pgbench_tps\": %.1f, \"pgbench_tps_all\": %.1f"
		    ", \"pgbench_transactions\": %" PRId64
		    ", \"pgbench_failed\": %" PRId64
		    ", \"pgbench_latency_ms\": %.3f, \"ratio\": %.3f",
		    r->pgbench_tps, r->pgbench_tps_all, r->pgbench_transactions,
		    r->pgbench_failed, r->pgbench_latency_ms, r->ratio);
	if (strcmp(r->scenario, "stadium") == 0) {
		printf(", \"venue_seats\": %" PRId64 ", \"layout_ms\": %.1f"
		    ", \"import_ms\": %.1f, \"show_add_ms\": %.1f"
		    ", \"load_runs\": %d, \"load_p50_ms\": %.1f"
		    ", \"load_max_ms\": %.1f, \"load_fresh_p50_ms\": %.1f"
		    ", \"load_fresh_max_ms\": %.1f", r->venue_seats,
		    r->layout_ms, r->import_ms, r->show_add_ms, r->load_runs,
		    r->load_p50_ms, r->load_max_ms, r->load_fresh_p50_ms,
		    r->load_fresh_max_ms);
		printf(", \"states_p50_ms\": %.1f, \"states_max_ms\": %.1f"
		    ", \"states_seq_scans\": %d", r->states_p50_ms,
		    r->states_max_ms, r->states_seq_scan);
	}
	if (r->plans != NULL) {
		printf(", \"seq_scans\": %d, \"plans\": ", r->seq_scan);
		cli_json_str(stdout, r->plans);
	}
	printf("}\n");
}

static void
cli_bench_text(const struct sl_bench_opts *o, const struct sl_bench_result *r)
{
	if (strcmp(r->scenario, "stadium") == 0) {
		printf("venue           %" PRId64 " seats: layout parsed in "
		    "%.0f ms, imported in %.0f ms, show added in %.0f ms\n",
		    r->venue_seats, r->layout_ms, r->import_ms,
		    r->show_add_ms);
		printf("map load        p50 %.1f ms  max %.1f ms  (%d loads "
		    "through sl_show_seats, statistics analyzed)\n",
		    r->load_p50_ms, r->load_max_ms, r->load_runs);
		printf("                p50 %.1f ms  max %.1f ms  (right after "
		    "the import)\n", r->load_fresh_p50_ms,
		    r->load_fresh_max_ms);
		printf("states only     p50 %.1f ms  max %.1f ms  (seat_id and "
		    "state of every seat)\n", r->states_p50_ms,
		    r->states_max_ms);
		printf("plans           map query: %s; states query: %s\n",
		    r->seq_scan ? "has a Seq Scan" : "index scans only",
		    r->states_seq_scan ? "has a Seq Scan" :
		    "index scans only");
		if (r->plans != NULL)
			fputs(r->plans, stdout);
		return;
	}
	if (strcmp(r->scenario, "explain") == 0) {
		if (r->plans != NULL)
			fputs(r->plans, stdout);
		printf("seq scans       %d (the change log's not counted)\n",
		    r->seq_scan);
		return;
	}
	printf("scenario        %s, %d clients, %.2f s, notify %s\n",
	    r->scenario, r->clients, r->elapsed_s, r->notify);
	if (r->pool > 0)
		printf("pool            the clients share %d connections\n",
		    r->pool);
	if (o->rate > 0)
		printf("paced           %.1f bookings/s asked\n", o->rate);
	printf("bookings/s      %.1f  (%" PRId64 " bookings, %" PRId64
	    " seats; %.1f/s after the first second)\n", r->bookings_per_s,
	    r->bookings, r->seats_booked, r->steady_per_s);
	printf("conflicts/s     %.1f  (%" PRId64 " taken, %" PRId64
	    " busy)\n", r->conflicts_per_s, r->conflicts, r->busy);
	if (r->cancels > 0)
		printf("cancels         %" PRId64 "\n", r->cancels);
	printf("errors          %" PRId64 "%s%s\n", r->errors,
	    r->first_error[0] ? "  first: " : "", r->first_error);
	printf("latency ms      p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
	    r->p50_ms, r->p95_ms, r->p99_ms, r->max_ms);
	if (r->listeners > 0) {
		printf("notify ms       p50 %.2f  p95 %.2f  p99 %.2f  max %.2f"
		    "  (%d listeners, commit to notification)\n",
		    r->notify_p50_ms, r->notify_p95_ms, r->notify_p99_ms,
		    r->notify_max_ms, r->listeners);
		printf("notifications   %" PRId64 " received, %" PRId64
		    " seats heard, %" PRId64 " missed, %" PRId64
		    " sequence gaps\n", r->notifications, r->notified,
		    r->missed, r->seq_gaps);
	}
	if (strcmp(r->notify, "batched") == 0)
		printf("notifier        %s, %" PRId64 " rounds (mean %.2f ms, "
		    "max %.1f ms), %" PRId64 " notifications sent\n",
		    r->notifier_leader ? "this run's led" :
		    "another session led", r->notifier_rounds,
		    r->notifier_round_ms, r->notifier_round_max_ms,
		    r->notifier_sent);
	if (r->pgbench_ran)
		printf("pgbench         %.1f tps once running (%.1f over its "
		    "whole run; %" PRId64 " transactions, %" PRId64
		    " failed)  ratio %.3f\n", r->pgbench_tps,
		    r->pgbench_tps_all, r->pgbench_transactions,
		    r->pgbench_failed, r->ratio);
	if (r->exhausted)
		printf("note            the run used up its seats before the "
		    "time was over (more with --seats)\n");
	printf("double bookings %" PRId64 "  (checked in SQL over %" PRId64
	    " shows; %" PRId64 " seat states disagree with the bookings)\n",
	    r->double_bookings, r->shows, r->state_mismatches);
}

static void
cli_bench_help(void)
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
	    "  --clients N       booking threads (16)\n"
	    "  --pool N          the clients share N connections (a box "
	    "office behind a\n"
	    "                    pool; the wait counts in the latency); "
	    "default: one each\n"
	    "  --seconds S       run time (10), or\n"
	    "  --count N         booking attempts in all\n"
	    "  --seed N          random seed (1)\n"
	    "  --notify MODE     per-commit, batched (starts a notifier) or "
	    "off; default: as\n"
	    "                    configured (notify.mode) or the database's "
	    "setting\n"
	    "  --listeners M     listening connections (spread, listen)\n"
	    "  --rate R          book at R bookings/s in all (paced clients) "
	    "instead of\n"
	    "                    as fast as possible: latency at a given "
	    "load\n"
	    "  --seats N         the scenario's size (see above; spread: "
	    "seats to make,\n"
	    "                    3000 per second of the run)\n"
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

int
cli_bench(struct cli *cli, int argc, char **argv)
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sl_bench_opts o;
	struct sl_bench_result r;
	struct sl_err e;
	int64_t v = 0;
	char *end;
	int c, code, json = 0, listeners_set = 0;

	sl_bench_opts_init(&o);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		code = 0;
		switch (c) {
		case 's':
			if (sl_bench_scenario_parse(optarg, &o.scenario) != 0) {
				cli_msg("unknown scenario \"%s\" (spread, "
				    "listen, hot, toggle, flash, multi, best, "
				    "stadium, explain)", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'c':
			code = cli_bench_num("--clients", optarg, 1, 500, &v);
			o.clients = (int)v;
			break;
		case 'o':
			code = cli_bench_num("--pool", optarg, 1, 500, &v);
			o.pool = (int)v;
			break;
		case 't':
			errno = 0;
			o.seconds = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(o.seconds > 0 && o.seconds <= 86400)) {
				cli_msg("--seconds must be a number above 0 "
				    "and at most 86400");
				return CLI_EXIT_USAGE;
			}
			break;
		case 'n':
			code = cli_bench_num("--count", optarg, 1,
			    100000000, &o.count);
			break;
		case 'r':
			code = cli_bench_num("--seed", optarg, 0, INT64_MAX,
			    &v);
			o.seed = (uint64_t)v;
			break;
		case 'j':
			json = 1;
			break;
		case 'm':
			o.notify = optarg;
			break;
		case 'l':
			code = cli_bench_num("--listeners", optarg, 0, 1000,
			    &v);
			o.listeners = (int)v;
			listeners_set = 1;
			break;
		case 'S':
			code = cli_bench_num("--seats", optarg, 1, 100000000,
			    &o.seats);
			break;
		case 'p':
			o.pgbench = 1;
			break;
		case 'P':
			o.pgbench_path = optarg;
			break;
		case 'k':
			o.cleanup = 1;
			break;
		case 'R':
			errno = 0;
			o.rate = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(o.rate > 0 && o.rate <= 1e6)) {
				cli_msg("--rate must be a number above 0 "
				    "and at most 1000000");
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h':
			cli_bench_help();
			return 0;
		default:
			cli_msg("bench: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("bench");
		}
		if (code != 0)
			return code;
	}
	if (optind != argc)
		return cli_usage("bench");
	if (o.scenario == SL_BENCH_LISTEN && !listeners_set)
		o.listeners = 50;
	cli_bench_tty = isatty(STDERR_FILENO);
	o.progress = cli_bench_progress;
	sl_err_clear(&e);
	if (sl_bench_run(&cli->cfg, &o, &r, &e) != SL_OK) {
		if (cli_bench_tty)
			fputc('\n', stderr);
		return cli_fail(&e);
	}
	if (cli_bench_tty)
		fprintf(stderr, "%-78s\r", "");
	if (json)
		cli_bench_json(&o, &r);
	else
		cli_bench_text(&o, &r);
	code = 0;
	if (r.double_bookings > 0 || r.state_mismatches > 0) {
		cli_msg("INVARIANT BROKEN: %" PRId64 " seats booked twice, %"
		    PRId64 " seat states disagree with the bookings",
		    r.double_bookings, r.state_mismatches);
		code = CLI_EXIT_ERROR;
	} else if (r.errors > 0) {
		cli_msg("%" PRId64 " bookings failed with errors; the first: "
		    "%s", r.errors, r.first_error);
		code = CLI_EXIT_ERROR;
	}
	sl_bench_result_free(&r);
	return code;
}

int
cli_notifier(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct sl_notifier_stats st;
	struct sl_notifier *n;
	struct sl_config cfg = cli->cfg;
	struct timespec ts;
	struct sl_err e;
	sigset_t set;
	int64_t v = 0;
	int c, code, next, leader = 0, sig;
	char last[SL_ERR_MSG] = "";

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			code = cli_bench_num("--interval", optarg, 1, 1000, &v);
			if (code != 0)
				return code;
			cfg.notify_interval_ms = v;
			break;
		default:
			cli_msg("notifier: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("notifier");
		}
	}
	if (optind != argc)
		return cli_usage("notifier");
	/* Signals become a return of sigtimedwait(): no handler runs. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sl_err_clear(&e);
	if (sl_notifier_open(&cfg, &n, &e) != SL_OK)
		return cli_fail(&e);
	cli_msg("notifier: started (one round every %" PRId64 " ms while "
	    "leading)", cfg.notify_interval_ms);
	for (;;) {
		sl_err_clear(&e);
		if (sl_notifier_turn(n, &next, &e) != SL_OK) {
			/* Say it once, not at every retry. */
			if (strcmp(e.msg, last) != 0)
				cli_msg("notifier: %s", e.msg);
			snprintf(last, sizeof last, "%s", e.msg);
		} else
			last[0] = '\0';
		sl_notifier_stats(n, &st);
		if (st.leader != leader) {
			cli_msg("notifier: %s", st.leader ? "leading now" :
			    "no longer leading");
			leader = st.leader;
		}
		ts.tv_sec = next / 1000;
		ts.tv_nsec = (long)(next % 1000) * 1000000L;
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			break;
	}
	sl_notifier_stats(n, &st);
	sl_notifier_close(n);
	cli_msg("notifier: stopped after %" PRId64 " rounds, %" PRId64
	    " notifications", st.rounds, st.sent);
	return 0;
}
