/*
 * bench_int.h - the inside of one bench run, shared by the files of
 * tui/bench: the run's state, its client threads and its listeners.
 *
 * Shape of a run (bench_run.c): the calling thread connects, makes the
 * venue, then starts the client threads (bench_client.c), which connect,
 * make their share of the shows and a customer each, and wait at the start
 * gate; the calling thread meanwhile connects the listeners
 * (bench_listen.c) and starts a notifier (batched mode), releases the
 * clients, reports progress once a second, stops them, waits for the
 * notifications still under way, checks the invariant in SQL, optionally
 * runs pgbench (bench_pgbench.c), and cleans up.  The scenarios without
 * load are in bench_noload.c.
 */
#ifndef BENCH_INT_H
#define BENCH_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "bench.h"
#include "bench_hist.h"
#include "sl_config.h"
#include "sl_db.h"
#include "sl_err.h"
#include "sl_loadgen.h"
#include "sl_notify.h"
#include "sl_pool.h"

#define BENCH_PER_ROW		SL_LOADGEN_PER_ROW
#define BENCH_SHOW_SEATS	1000	/* the standard venue: rows A..T */
#define BENCH_MAX_CLIENTS	500
#define BENCH_MAX_LISTENERS	1000
#define BENCH_POOL_WAIT_MS	60000	/* --pool: then it is an error */
#define BENCH_LISTEN_PER_THREAD	16
#define BENCH_DRAIN_MS		5000	/* wait for late notifications */
#define BENCH_SPREAD_RATE	3000	/* default seats per second of run */
#define BENCH_PGBENCH_WARMUP	4	/* seconds of pgbench not counted */
#define BENCH_MAX_TERMINALS	5000
#define BENCH_TERMINALS_DEFAULT	1000
#define BENCH_TERM_POOL		20	/* the terminals' shared connections */
#define BENCH_TERM_THREADS	20	/* threads serving the terminals */
#define BENCH_TERM_ATTACH_MS	5000	/* every terminal loaded within */
#define BENCH_TERM_ATTACH_PER	5	/* ms, and this much per terminal */
#define BENCH_TERM_SETTLE_MS	2000	/* after the clients stop */
#define BENCH_BEAT_MS		1000	/* a terminal's beat, as tui_beat */
#define BENCH_TERM_RETRY_NS	1000000000 /* a failed read again after */

struct bench_ctx;
struct sl_seatmap;

struct bench_client {
	struct bench_ctx	*run;
	int			 idx;
	pthread_t		 thread;
	struct sl_db		*db;
	int64_t			 user;
	uint64_t		 rng;
	struct bench_hist	 hist;
	_Atomic int64_t		 bookings;
	_Atomic int64_t		 conflicts;
	_Atomic int64_t		 busy;
	_Atomic int64_t		 errors;
	int64_t			 cancels;
	int64_t			 seats_booked;
	int64_t			 next_ns;	/* paced: the next turn */
	enum sl_rc		 setup_rc;
	struct sl_err		 err;		/* setup failure */
	char			 first_error[SL_ERR_MSG];
	int			 done;
};

struct bench_listener {
	struct sl_db		*db;
	int64_t			 show_idx;
	int64_t			*arrival;	/* ns, per seat k of the show */
	int64_t			 last_seq;
	int64_t			 gaps;
	int64_t			 notifications;
	int64_t			 reloads;
	_Atomic int64_t		 heard;		/* distinct seats heard */
};

/* A thread serving up to BENCH_LISTEN_PER_THREAD listeners. */
struct bench_lthread {
	struct bench_ctx	*run;
	int			 first, n;
	pthread_t		 thread;
};

struct bench_seatid {
	int64_t	id;
	int64_t	k;
};

/* One simulated box office (bench_terminals.c): its show's map, its own
 * listener on the relay, what its notifications asked for. */
struct bench_term {
	struct sl_notify	*nf;
	struct sl_seatmap	*map;
	int64_t			 show_idx;
	int64_t			*arrival;	/* ns, per seat k: first shown
						 * taken */
	int64_t			 pending[SL_NOTIFY_MAX_SEATS];
	size_t			 npending;
	int			 reload;	/* a full reload is due */
	int64_t			 reload_at;	/* ns: not before (a retry) */
	int			 relost;	/* lost its relay after a kill */
	int64_t			 beat_at;	/* ns */
	int64_t			 back_ns;	/* reloaded after the kill */
	int64_t			 reloads, rereads, errors;
	int64_t			 relay_states;	/* the relay's states applied */
	_Atomic int		 loaded;	/* reloaded once while up */
	_Atomic int64_t		 heard;		/* seats with an arrival */
	int			 queued;	/* its reload waits for the pool */
	pthread_mutex_t		 mu;	/* all of it: its thread, a worker */
};

/* The reloads due, first come first served by BENCH_TERM_POOL workers, a
 * connection of the pool each: PgBouncer's queue of box offices waiting
 * for a server connection (bench_terminals.c). */
struct bench_rqueue {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct bench_term	**t;		/* a ring of ntm */
	size_t			 head, n;
	pthread_t		*worker;
	int			 nworker;	/* started */
	int			 stop;
};

/* A thread serving terminals first .. first + n - 1. */
struct bench_tthread {
	struct bench_ctx	*run;
	int			 first, n;
	pthread_t		 thread;
};

/* The relay the terminals attach to: the host's, or one of the bench's
 * own (bench_relay.c). */
struct bench_relay {
	int			 started;	/* ours: stop it at the end */
	int			 pid;
	char			 dir[64];	/* our private directory */
	char			 socket[108];
	char			 log[96];
};

/* The monitor (bench_relay.c): backends every 100 ms, the server's
 * memory (Pss) at the peak. */
struct bench_monitor {
	struct sl_db		*db;
	pthread_t		 thread;
	int			 running;
	_Atomic int		 stop;
	int			 postmaster;	/* pid, 0: unknown */
	int64_t			 peak;
	double			 rss_mb;	/* -1: not readable */
};

struct bench_ctx {
	const struct bench_opts		*o;
	struct sl_config		 cfg;
	struct bench_result		*r;
	char				 tag[96];
	struct sl_db			*db;	/* the calling thread's */
	struct sl_pool			*pool;	/* --pool: the clients' */

	int64_t				 venue;
	int64_t				 show_seats;	/* seats per show */
	int64_t				*shows;	/* ours, then pgbench's */
	int64_t				 nshows;
	int64_t				 npgshows;
	int64_t				 capacity;	/* slots of our shows */
	struct bench_seatid		*seatids;	/* sorted by id */

	/* spread/listen: slot p is seat p % show_seats of show p / show_seats,
	 * taken in the order of a random permutation. */
	uint32_t			*perm;
	int64_t				*commit_ns;
	_Atomic int64_t			 next;
	_Atomic int			 stop;
	int64_t				 limit;	/* attempts, 0 = none */

	/* flash and multi: seats known to be sold */
	_Atomic unsigned char		*known;
	void				*known_mem;
	_Atomic int64_t			 nknown;

	/* The start gate: clients count themselves ready, then wait for
	 * gate to be 1 (go) or 2 (abort). */
	pthread_cond_t			 cv;
	int				 nready;
	int				 gate;
	struct bench_client		*cl;
	int				 ncl;
	int				 nthreads;	/* clients started */

	struct bench_listener		*ls;
	int				 nls;
	struct bench_lthread		*lt;
	int				 nlt;		/* threads started */
	_Atomic int			 ls_stop;
	_Atomic int			 ls_failed;
	char				 ls_error[SL_ERR_MSG];

	/* terminals */
	struct bench_term		*tm;
	int				 ntm;
	struct bench_tthread		*tt;
	int				 ntt;		/* threads started */
	struct sl_pool			*tpool;
	struct bench_rqueue		 rq;
	_Atomic int			 tm_stop;
	_Atomic int64_t			 kill_ns;	/* the relay killed */
	struct bench_relay		 relay;
	struct bench_monitor		 mon;

	pthread_mutex_t			 mu;
};

/* bench_util.c: clocks, random numbers, show names. */
int64_t		bench_ns(void);
void		bench_sleep_ms(int ms);
double		bench_ms_since(int64_t t0);
uint64_t	bench_mix(uint64_t x);
uint64_t	bench_below(uint64_t *s, uint64_t n);
int		bench_cmp_double(const void *a, const void *b);
/* Adds show j of the run (in the year 2100, an hour after show j - 1) on
 * db into run->shows[j], named "bench TAG #j" or "bench TAG what #j". */
enum sl_rc	bench_show_add(struct bench_ctx *run, struct sl_db *db,
		    int64_t j, const char *what, struct sl_err *e);

/* The seat number k (0-based, the venue's label order) of seat_id, or
 * -1 (run->seatids). */
int64_t		bench_seat_k(const struct bench_ctx *run, int64_t seat_id);
/* The delay from commit to arrival of every booked seat of show show_idx
 * into h (arrival: ns per seat k, 0 = never); returns those never heard. */
int64_t		bench_arrivals(const struct bench_ctx *run, int64_t show_idx,
		    const int64_t *arrival, struct bench_hist *h);

/* bench_opts.c: the options' checks and the run's size. */
enum sl_rc	bench_check_opts(const struct bench_opts *o, struct sl_err *e);
void		bench_size(struct bench_ctx *run);

/* bench_client.c: a client thread, from its setup to its last call. */
void		*bench_client_main(void *arg);

/* bench_listen.c: the listeners, connected and served by threads of
 * their own until bench_listen_stop(). */
enum sl_rc	bench_listen_start(struct bench_ctx *run, struct sl_err *e);
int64_t		bench_listen_unheard(struct bench_ctx *run);
void		bench_listen_stop(struct bench_ctx *run);
void		bench_listen_report(struct bench_ctx *run);
void		bench_listen_close(struct bench_ctx *run);

/* bench_terminals.c: the terminals of --scenario terminals, attached and
 * loaded before the clients start; settled, checked and measured after. */
enum sl_rc	bench_terminals_start(struct bench_ctx *run, struct sl_err *e);
/* Once every 50 ms while the clients run (t: seconds since the start). */
void		bench_terminals_tick(struct bench_ctx *run, double t);
/* After the clients: settles, stops the terminals, measures, checks. */
enum sl_rc	bench_terminals_finish(struct bench_ctx *run,
		    struct sl_err *e);
void		bench_terminals_close(struct bench_ctx *run);

/* bench_relay.c: the relay (found, or started: fork and exec of our own
 * binary on a private socket) and the monitor of the server. */
enum sl_rc	bench_relay_open(struct bench_ctx *run, struct sl_err *e);
enum sl_rc	bench_relay_restart(struct bench_ctx *run, struct sl_err *e);
void		bench_relay_close(struct bench_ctx *run);
enum sl_rc	bench_monitor_start(struct bench_ctx *run, struct sl_err *e);
void		bench_monitor_stop(struct bench_ctx *run);

/* bench_pgbench.c: pgbench, for seconds after its warm-up, at the
 * clients' concurrency, in shows of its own. */
enum sl_rc	bench_pgbench(struct bench_ctx *run, int seconds,
		    struct sl_err *e);

/* bench_noload.c: the venue of a run; the stadium and explain
 * scenarios. */
enum sl_rc	bench_venue(struct bench_ctx *run, int64_t nseats,
		    int rows_per_section, struct sl_err *e);
enum sl_rc	bench_stadium(struct bench_ctx *run, struct sl_err *e);
enum sl_rc	bench_explain(struct bench_ctx *run, struct sl_err *e);

#endif
