/*
 * bench_report.c - the result of a bench run on stdout: one line of JSON
 * (tests/bench/run.sh and table.awk read its fields) or text.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli/cli.h"

static void
bench_json_terminals(const struct bench_result *r)
{
	printf(", \"terminals\": %d, \"relay\": ", r->terminals);
	cli_json_str(stdout, r->relay);
	printf(", \"push_samples\": %" PRId64 ", \"push_missed\": %" PRId64
	    ", \"push_p50_ms\": %.3f, \"push_p99_ms\": %.3f"
	    ", \"push_max_ms\": %.3f, \"reloads\": %" PRId64
	    ", \"rereads\": %" PRId64 ", \"relay_states\": %" PRId64
	    ", \"terminal_errors\": %" PRId64
	    ", \"stale_terminals\": %" PRId64
	    ", \"backends\": %" PRId64 ", \"server_rss_mb\": %.1f"
	    ", \"relay_killed\": %s, \"reconnect_max_ms\": %.1f"
	    ", \"reconnect_p50_ms\": %.1f, \"attach_ms\": %.1f",
	    r->push_samples, r->push_missed, r->push_p50_ms, r->push_p99_ms,
	    r->push_max_ms, r->term_reloads, r->term_rereads,
	    r->term_relay_states, r->term_errors, r->stale_terminals, r->backends, r->server_rss_mb,
	    r->relay_killed ? "true" : "false", r->reconnect_max_ms,
	    r->reconnect_p50_ms, r->attach_ms);
}

static void
bench_text_terminals(const struct bench_result *r)
{
	char rss[32];

	if (r->server_rss_mb < 0)
		snprintf(rss, sizeof rss, "not measured");
	else
		snprintf(rss, sizeof rss, "%.1f MB", r->server_rss_mb);
	printf("terminals       %d, relay %s, all attached and loaded in "
	    "%.0f ms; %" PRId64 " full reloads, %" PRId64 " re-reads of "
	    "named seats, %" PRId64 " states taken from the relay, %" PRId64
	    " statements failed\n", r->terminals, r->relay, r->attach_ms,
	    r->term_reloads, r->term_rereads, r->term_relay_states,
	    r->term_errors);
	printf("push ms         p50 %.2f  p99 %.2f  max %.2f  (commit to a "
	    "terminal's map, %" PRId64 " samples, %" PRId64 " never shown)\n",
	    r->push_p50_ms, r->push_p99_ms, r->push_max_ms, r->push_samples,
	    r->push_missed);
	printf("stale terminals %" PRId64 "  (maps that differ from show_seat "
	    "at the end)\n", r->stale_terminals);
	printf("backends        %" PRId64 " at the peak (client backends of "
	    "the database); server memory %s (Pss)\n", r->backends, rss);
	if (r->relay_killed)
		printf("relay killed    %s: every terminal attached to the "
		    "new relay and reloaded within %.0f ms (median %.0f ms)"
		    "\n", r->reconnect_max_ms < 0 ? "NOT ALL CAME BACK" :
		    "and started again", r->reconnect_max_ms,
		    r->reconnect_p50_ms);
}

void
bench_print_json(const struct bench_opts *o, const struct bench_result *r)
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
	if (strcmp(r->scenario, "terminals") == 0)
		bench_json_terminals(r);
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

void
bench_print_text(const struct bench_opts *o, const struct bench_result *r)
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
	if (strcmp(r->scenario, "terminals") == 0)
		bench_text_terminals(r);
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
