/*
 * bench.h - the load generator behind `seatlock bench`: its options, its
 * run and its result.
 *
 * Every run makes its own venue, shows and customers in the configured
 * database, all named "bench ..." (the demo and other data are left
 * alone; the shows start in the year 2100, so they sort last), and leaves
 * them there unless asked to clean up.  Booking clients are threads with
 * a connection each, booking through sl_book_seats() and sl_book_cancel(),
 * exactly as the box office does.  Afterwards the run
 * checks in SQL (sl_loadgen_check) that no seat has two active bookings and
 * that every seat's state agrees with its bookings.
 *
 * Scenarios (struct bench_opts.seats sizes each one):
 *   spread   single-seat bookings of distinct random seats of many shows of
 *            a 1,000-seat venue (seats: how many seats to make, default 3,000
 *            per second of the run); no conflicts by construction
 *   listen   spread, with listeners (default 50) measuring the time from a
 *            booking's commit to its notification
 *   hot      every client races for the same few seats (seats: default 8);
 *            a winner cancels at once, so the race goes on
 *   toggle   book a random seat of one show, then cancel it (seats: the
 *            pool, default 1,000)
 *   flash    a fresh show (seats: default 2,000) sold out by all clients:
 *            each picks seats not yet known to be sold until none is left
 *   multi    2 to 6 adjacent seats in one booking, all or none
 *   best     best available (sl_sell_best), 1 to 4 seats, until a fresh
 *            show (seats: default 1,000) is sold out
 *   stadium  no load: a generated venue (seats: default 100,000), its map
 *            load time through sl_show_seats() and the plan of that query
 *   explain  no load: the plans of every statement of one booking, one
 *            cancel, the seat map and the show list (needs a superuser, for
 *            auto_explain)
 *   terminals spread, while N simulated box offices (default 1,000) each
 *            keep one show's map in memory, attached to the host's relay
 *            (one started by the bench when none answers), and load and
 *            re-read through a shared pool: push latency to the maps,
 *            stale maps, backends and server memory (bench_terminals.c)
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "sl_config.h"
#include "sl_err.h"

enum bench_scenario {
	BENCH_SPREAD,
	BENCH_LISTEN,
	BENCH_HOT,
	BENCH_TOGGLE,
	BENCH_FLASH,
	BENCH_MULTI,
	BENCH_BEST,
	BENCH_STADIUM,
	BENCH_EXPLAIN,
	BENCH_TERMINALS,
};

struct cli;

/* Parses a scenario name (bench_opts.c); 0 and *out, or -1. */
int		bench_scenario_parse(const char *s,
		    enum bench_scenario *out);
const char	*bench_scenario_name(enum bench_scenario s);

/* What the progress callback sees, about once a second. */
struct bench_progress {
	double		elapsed_s;
	int64_t		bookings;
	int64_t		conflicts;
	int64_t		errors;
	double		bookings_per_s;	/* over the last interval */
	const char	*phase;		/* "setup", "run", "pgbench", ... */
};

struct bench_opts {
	enum bench_scenario	 scenario;
	int			 clients;	/* 1 .. 500 */
	/* 0: a connection per client; else the clients share this many
	 * (a box office behind a pool: the latency counts the wait) */
	int			 pool;
	double			 seconds;	/* used when count == 0 */
	int64_t			 count;		/* attempts; 0: by time */
	uint64_t		 seed;
	/* "per-commit", "batched", "off"; NULL: as configured */
	const char		*notify;
	int			 listeners;	/* spread and listen only */
	double			 rate;		/* bookings/s in all, 0: max */
	int64_t			 seats;		/* 0: the scenario's default */
	int			 pgbench;	/* compare with pgbench */
	const char		*pgbench_path;	/* NULL: search for it */
	int			 cleanup;	/* delete the run's shows */
	int			 terminals;	/* terminals: 0 = 1000 */
	double			 kill_relay_at;	/* s; 0 = never (terminals) */
	void			(*progress)(const struct bench_progress *,
				    void *);
	void			*arg;
};

/* Sets the defaults: spread, 16 clients, 10 s, seed 1, no listeners. */
void		bench_opts_init(struct bench_opts *o);

struct bench_result {
	char		scenario[16];
	char		notify[16];	/* the mode the sessions used */
	int		clients;
	int		pool;		/* as asked; 0: none */
	double		elapsed_s;
	int		exhausted;	/* ran out of seats before the time */

	int64_t		bookings;	/* successful booking calls */
	int64_t		seats_booked;
	int64_t		conflicts;	/* seat taken */
	int64_t		busy;		/* lock timeout: seat busy */
	int64_t		errors;		/* anything else */
	int64_t		cancels;
	double		bookings_per_s;
	double		steady_per_s;	/* after the first second */
	double		conflicts_per_s;
	double		p50_ms, p95_ms, p99_ms, max_ms, mean_ms;
	char		first_error[SL_ERR_MSG];

	int64_t		shows;
	int64_t		double_bookings;
	int64_t		state_mismatches;
	int64_t		active_bookings; /* in the run's shows, after it */
	int64_t		capacity;	/* seats the scenario could sell */

	/* listeners */
	int		listeners;
	int64_t		notifications;
	int64_t		notified;	/* (listener, seat) pairs heard */
	int64_t		missed;		/* booked seats never heard */
	int64_t		seq_gaps;
	int64_t		reloads;	/* payloads without seats */
	double		notify_p50_ms, notify_p95_ms, notify_p99_ms;
	double		notify_max_ms;

	/* the notifier this run started (batched mode) */
	int		notifier_leader;
	int64_t		notifier_rounds;
	int64_t		notifier_sent;
	double		notifier_round_ms;	/* mean */
	double		notifier_round_max_ms;

	/* pgbench */
	int		pgbench_ran;
	double		pgbench_tps;	/* steady: after its warm-up */
	double		pgbench_tps_all; /* pgbench's own overall figure */
	int64_t		pgbench_transactions;
	int64_t		pgbench_failed;
	double		pgbench_latency_ms;
	double		ratio;		/* bookings_per_s / pgbench_tps */

	/* stadium */
	int64_t		venue_seats;
	double		layout_ms, import_ms, show_add_ms;
	double		load_p50_ms, load_max_ms;	/* analyzed */
	double		load_fresh_p50_ms, load_fresh_max_ms;
	int		load_runs;
	int		seq_scan;	/* Seq Scans in the plans */
	double		states_p50_ms, states_max_ms;	/* states alone */
	int		states_seq_scan; /* Seq Scans in that plan */

	/* terminals */
	int		terminals;
	char		relay[8];	/* "started" or "found" */
	int64_t		push_samples;	/* (terminal, booked seat) applied */
	int64_t		push_missed;	/* booked seats a map never showed */
	double		push_p50_ms, push_p99_ms, push_max_ms;
	int64_t		term_reloads;	/* full reloads of a map */
	int64_t		term_rereads;	/* re-reads of named seats */
	int64_t		term_relay_states; /* the relay's states applied
					    * instead of a re-read */
	int64_t		term_errors;	/* their statements that failed */
	int64_t		stale_terminals;
	double		attach_ms;	/* all attached and loaded, at start */
	int64_t		backends;	/* peak, pg_stat_activity */
	double		server_rss_mb;	/* at the peak; -1: not measured */
	double		reconnect_max_ms; /* -1: not asked or not all back */
	double		reconnect_p50_ms;
	int		relay_killed;

	char		*plans;		/* EXPLAIN text, or NULL; owned */
};

/*
 * Runs one scenario with o against the database of c (bench_run.c).
 * Progress goes to o->progress (if set) from the calling thread.  On SL_OK
 * r is filled (free its parts with bench_result_free); failures of single
 * bookings are counted in r, not returned.  Errors: SL_EINVAL (options),
 * SL_ECONN, SL_EDB (setup or checks failed), SL_ENOMEM, SL_EIO (pgbench
 * could not be run).
 */
enum sl_rc	bench_run(const struct sl_config *c,
		    const struct bench_opts *o, struct bench_result *r,
		    struct sl_err *e);

void		bench_result_free(struct bench_result *r);

/* The result as one line of JSON, or as text, on stdout (bench_report.c). */
void		bench_print_json(const struct bench_opts *o,
		    const struct bench_result *r);
void		bench_print_text(const struct bench_opts *o,
		    const struct bench_result *r);

/* The command line (bench_cli.c): `seatlock bench`, its descriptor
 * cli_bench_entry in the command table (cli/cli.h). */

#endif
