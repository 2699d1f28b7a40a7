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

struct bench_ctx;

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
