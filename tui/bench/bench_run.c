/*
 * bench_run.c - the main line of a bench run (see bench_int.h for its
 * shape): its set-up, the start gate, progress once a second, the figures,
 * the checks and the clean-up.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_int.h"
#include "sl_layout.h"
#include "sl_notifier.h"
#include "sl_show.h"

static int
bench_cmp_seatid(const void *a, const void *b)
{
	const struct bench_seatid *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Seat ids of the venue, to map the ids in notifications back to seats:
 * the map comes ordered by position, which is label order here. */
static enum sl_rc
bench_seat_ids(struct bench_ctx *run, struct sl_err *e)
{
	char label[SL_LABEL_MAX + 1];
	struct sl_seats *ss;
	enum sl_rc rc;
	size_t k;

	rc = sl_show_seats(run->db, run->shows[0], &ss, e);
	if (rc != SL_OK)
		return rc;
	run->seatids = calloc(ss->n, sizeof *run->seatids);
	if (run->seatids == NULL) {
		sl_seats_free(ss);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	for (k = 0; k < ss->n; k++) {
		sl_loadgen_label((int64_t)k, BENCH_PER_ROW, label,
		    sizeof label);
		if ((int64_t)ss->n != run->show_seats ||
		    strcmp(ss->seat[k].label, label) != 0) {
			sl_seats_free(ss);
			return sl_err_set(e, SL_EDB, "the bench venue's seats "
			    "are not in label order");
		}
		run->seatids[k].id = ss->seat[k].id;
		run->seatids[k].k = (int64_t)k;
	}
	qsort(run->seatids, ss->n, sizeof *run->seatids, bench_cmp_seatid);
	sl_seats_free(ss);
	return SL_OK;
}

static void
bench_tally(struct bench_ctx *run, int64_t *b, int64_t *c, int64_t *err)
{
	int i;

	*b = *c = *err = 0;
	for (i = 0; i < run->ncl; i++) {
		*b += atomic_load_explicit(&run->cl[i].bookings,
		    memory_order_relaxed);
		*c += atomic_load_explicit(&run->cl[i].conflicts,
		    memory_order_relaxed);
		*c += atomic_load_explicit(&run->cl[i].busy,
		    memory_order_relaxed);
		*err += atomic_load_explicit(&run->cl[i].errors,
		    memory_order_relaxed);
	}
}

static void
bench_progress(struct bench_ctx *run, const char *phase, double t,
    double rate)
{
	struct bench_progress p;

	if (run->o->progress == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.phase = phase;
	p.elapsed_s = t;
	p.bookings_per_s = rate;
	if (run->cl != NULL)
		bench_tally(run, &p.bookings, &p.conflicts, &p.errors);
	run->o->progress(&p, run->o->arg);
}

/* Nonzero once every client has finished. */
static int
bench_all_done(struct bench_ctx *run)
{
	int i, done;

	pthread_mutex_lock(&run->mu);
	for (i = 0, done = 0; i < run->ncl; i++)
		done += run->cl[i].done;
	pthread_mutex_unlock(&run->mu);
	return done == run->ncl;
}

/*
 * Runs the clients from the go signal to the end; t0 is the start.  Also
 * measures the steady rate: the bookings between the first second (the
 * sessions' first calls compile and plan the booking function) and the
 * stop, as pgbench's is measured after its warm-up.
 */
static void
bench_drive(struct bench_ctx *run, int64_t t0)
{
	int64_t last_t = t0, last_b = 0, b, c, err, now;
	int64_t warm_t = 0, warm_b = 0;

	for (;;) {
		bench_sleep_ms(50);
		now = bench_ns();
		if (bench_all_done(run))
			break;
		if (run->o->count == 0 && !atomic_load(&run->stop) &&
		    now - t0 >= (int64_t)(run->o->seconds * 1e9)) {
			atomic_store(&run->stop, 1);
			bench_tally(run, &b, &c, &err);
			if (warm_t > 0 && now - warm_t >= 1000000000)
				run->r->steady_per_s = (double)(b - warm_b) *
				    1e9 / (double)(now - warm_t);
		}
		if (run->tm != NULL)
			bench_terminals_tick(run, (double)(now - t0) / 1e9);
		if (atomic_load(&run->ls_failed))
			atomic_store(&run->stop, 1);
		if (now - last_t >= 1000000000) {
			bench_tally(run, &b, &c, &err);
			bench_progress(run, "run", (double)(now - t0) / 1e9,
			    (double)(b - last_b) * 1e9 /
			    (double)(now - last_t));
			last_t = now;
			last_b = b;
			if (warm_t == 0) {
				warm_t = now;
				warm_b = b;
			}
		}
	}
}

/* The clients' figures, added up, and the latency histogram's. */
static void
bench_results(struct bench_ctx *run)
{
	struct bench_result *r = run->r;
	struct bench_hist *h;
	int i;

	h = malloc(sizeof *h);
	if (h == NULL)
		return;
	bench_hist_init(h);
	for (i = 0; i < run->ncl; i++) {
		struct bench_client *c = &run->cl[i];

		bench_hist_merge(h, &c->hist);
		r->bookings += c->bookings;
		r->conflicts += c->conflicts;
		r->busy += c->busy;
		r->errors += c->errors;
		r->cancels += c->cancels;
		r->seats_booked += c->seats_booked;
		if (r->first_error[0] == '\0' && c->first_error[0] != '\0')
			snprintf(r->first_error, sizeof r->first_error, "%s",
			    c->first_error);
	}
	if (r->elapsed_s > 0) {
		r->bookings_per_s = (double)r->bookings / r->elapsed_s;
		if (r->steady_per_s == 0)
			r->steady_per_s = r->bookings_per_s;
		r->conflicts_per_s = (double)(r->conflicts + r->busy) /
		    r->elapsed_s;
	}
	r->p50_ms = (double)bench_hist_quantile(h, 0.50) / 1000;
	r->p95_ms = (double)bench_hist_quantile(h, 0.95) / 1000;
	r->p99_ms = (double)bench_hist_quantile(h, 0.99) / 1000;
	r->max_ms = (double)bench_hist_quantile(h, 1) / 1000;
	r->mean_ms = bench_hist_mean(h) / 1000;
	free(h);
}

/* The memory of the scenario: spread's permutation of the slots, flash's
 * and multi's seats known to be sold. */
static enum sl_rc
bench_prepare(struct bench_ctx *run, struct sl_err *e)
{
	uint64_t rng = bench_mix(run->o->seed);
	int64_t i, j;
	uint32_t t;

	switch (run->o->scenario) {
	case BENCH_SPREAD:
	case BENCH_LISTEN:
	case BENCH_TERMINALS:
		if (run->capacity > UINT32_MAX)
			return sl_err_set(e, SL_EINVAL, "too many seats");
		run->perm = malloc((size_t)run->capacity * sizeof *run->perm);
		run->commit_ns = calloc((size_t)run->capacity,
		    sizeof *run->commit_ns);
		if (run->perm == NULL || run->commit_ns == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		/* Fisher-Yates: distinct seats in a random order. */
		for (i = 0; i < run->capacity; i++)
			run->perm[i] = (uint32_t)i;
		for (i = run->capacity - 1; i > 0; i--) {
			j = (int64_t)bench_below(&rng, (uint64_t)i + 1);
			t = run->perm[i];
			run->perm[i] = run->perm[j];
			run->perm[j] = t;
		}
		break;
	case BENCH_FLASH:
	case BENCH_MULTI:
		run->known_mem = calloc((size_t)run->capacity,
		    sizeof *run->known);
		run->known = run->known_mem;
		if (run->known == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		break;
	case BENCH_HOT:
	case BENCH_TOGGLE:
	case BENCH_BEST:
	case BENCH_STADIUM:
	case BENCH_EXPLAIN:
		break;
	}
	return SL_OK;
}

/* Starts the client threads and waits until each is ready (or failed). */
static enum sl_rc
bench_clients_start(struct bench_ctx *run, struct sl_err *e)
{
	enum sl_rc rc = SL_OK;
	int i;

	run->cl = calloc((size_t)run->ncl, sizeof *run->cl);
	if (run->cl == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	bench_progress(run, "setup", 0, 0);
	for (i = 0; i < run->ncl; i++) {
		struct bench_client *c = &run->cl[i];

		c->run = run;
		c->idx = i;
		c->rng = bench_mix(run->o->seed * 1000003 + (uint64_t)i);
		if (c->rng == 0)
			c->rng = 1;
		if (pthread_create(&c->thread, NULL, bench_client_main,
		    c) != 0) {
			rc = sl_err_set(e, SL_ENOMEM, "cannot start client "
			    "thread %d", i + 1);
			break;
		}
		run->nthreads++;
	}
	pthread_mutex_lock(&run->mu);
	while (run->nready < run->nthreads)
		pthread_cond_wait(&run->cv, &run->mu);
	pthread_mutex_unlock(&run->mu);
	for (i = 0; rc == SL_OK && i < run->ncl; i++)
		if (run->cl[i].setup_rc != SL_OK) {
			rc = run->cl[i].setup_rc;
			if (e != NULL)
				*e = run->cl[i].err;
		}
	return rc;
}

/* The notifier's figures (the one this run started, batched mode). */
static void
bench_notifier_figures(struct bench_ctx *run, struct sl_notifier *n)
{
	struct bench_result *r = run->r;
	struct sl_notifier_stats ns;

	sl_notifier_stats(n, &ns);
	r->notifier_leader = ns.leader;
	r->notifier_rounds = ns.rounds;
	r->notifier_sent = ns.sent;
	r->notifier_round_ms = ns.rounds ? (double)ns.round_us_sum /
	    (double)ns.rounds / 1000 : 0;
	r->notifier_round_max_ms = (double)ns.round_us_max / 1000;
}

/* Opens the gate (go if rc is SL_OK, else abort), drives the run, joins
 * the clients and waits for the notifications still on their way. */
static enum sl_rc
bench_go(struct bench_ctx *run, enum sl_rc rc, struct sl_err *e)
{
	int64_t t0, t1;
	int i;

	t0 = bench_ns();
	pthread_mutex_lock(&run->mu);
	run->gate = rc == SL_OK ? 1 : 2;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	if (rc == SL_OK)
		bench_drive(run, t0);
	for (i = 0; i < run->nthreads; i++)
		pthread_join(run->cl[i].thread, NULL);
	t1 = bench_ns();
	run->r->elapsed_s = (double)(t1 - t0) / 1e9;
	/* Notifications of the last bookings are still on their way. */
	while (rc == SL_OK && run->nls > 0 && bench_listen_unheard(run) > 0 &&
	    bench_ns() - t1 < (int64_t)BENCH_DRAIN_MS * 1000000 &&
	    !atomic_load(&run->ls_failed))
		bench_sleep_ms(10);
	bench_listen_stop(run);
	if (rc == SL_OK && atomic_load(&run->ls_failed))
		rc = sl_err_set(e, SL_ECONN, "%s", run->ls_error);
	return rc;
}

/* The load scenarios, from the clients' start to the checks. */
static enum sl_rc
bench_load(struct bench_ctx *run, struct sl_notifier **notifier,
    struct sl_err *e)
{
	struct bench_result *r = run->r;
	struct sl_loadgen_check ck;
	enum sl_rc rc;

	run->ncl = run->o->clients;
	r->clients = run->ncl;
	r->pool = run->o->pool;
	if (run->o->pool > 0 &&
	    (rc = sl_pool_open(&run->cfg, run->o->pool, &run->pool, e)) !=
	    SL_OK)
		return rc;
	rc = bench_clients_start(run, e);
	if (rc == SL_OK)
		rc = sl_loadgen_analyze(run->db, e);
	if (rc == SL_OK)
		rc = bench_seat_ids(run, e);
	if (rc == SL_OK && run->o->listeners > 0)
		rc = bench_listen_start(run, e);
	if (rc == SL_OK && run->o->scenario == BENCH_TERMINALS)
		rc = bench_terminals_start(run, e);
	/* Every change is announced through the notifier: one runs unless
	 * --notify off (then another must, for the listeners to hear). */
	if (rc == SL_OK && strcmp(r->notify, "off") != 0) {
		rc = sl_notifier_open(&run->cfg, notifier, e);
		if (rc == SL_OK)
			rc = sl_notifier_start(*notifier, e);
	}
	rc = bench_go(run, rc, e);
	if (*notifier != NULL)
		bench_notifier_figures(run, *notifier);
	if (rc == SL_OK && run->tm != NULL)
		rc = bench_terminals_finish(run, e);
	if (rc != SL_OK)
		return rc;
	bench_results(run);
	if (run->nls > 0)
		bench_listen_report(run);
	bench_listen_close(run);
	r->shows = run->nshows;
	rc = sl_loadgen_check(run->db, run->shows, run->nshows, &ck, e);
	r->double_bookings = ck.double_bookings;
	r->state_mismatches = ck.state_mismatches;
	r->active_bookings = ck.active_bookings;
	return rc;
}

/* pgbench after the load, as long as it in whole seconds (pgbench -T). */
static enum sl_rc
bench_compare(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_result *r = run->r;
	struct sl_loadgen_check ck;
	enum sl_rc rc;
	int secs = (int)(r->elapsed_s + 0.5);

	bench_progress(run, "pgbench", r->elapsed_s, 0);
	rc = bench_pgbench(run, secs < 1 ? 1 : secs, e);
	if (rc != SL_OK)
		return rc;
	/* Like with like: both rates after the warm-up. */
	r->ratio = r->steady_per_s / r->pgbench_tps;
	rc = sl_loadgen_check(run->db, run->shows + run->nshows,
	    run->npgshows, &ck, e);
	/* pgbench's bookings obey the same invariant. */
	r->double_bookings += ck.double_bookings;
	r->state_mismatches += ck.state_mismatches;
	return rc;
}

/* Deletes the run's shows and customers (--cleanup).  The figures stand
 * even if the clean-up fails. */
static void
bench_cleanup(struct bench_ctx *run)
{
	struct sl_err e;
	int64_t *uid;
	int i;

	sl_err_clear(&e);
	uid = calloc((size_t)run->ncl + 1, sizeof *uid);
	if (uid == NULL)
		return;
	for (i = 0; i < run->ncl; i++)
		uid[i] = run->cl[i].user;
	(void)sl_loadgen_cleanup(run->db, run->shows,
	    run->nshows + run->npgshows, uid, run->ncl, &e);
	free(uid);
}

/* The scenario, from the venue on: with a load or without. */
static enum sl_rc
bench_run_scenario(struct bench_ctx *run, struct sl_notifier **notifier,
    struct sl_err *e)
{
	const struct bench_opts *o = run->o;
	enum sl_rc rc;

	if (o->scenario == BENCH_STADIUM)
		return bench_stadium(run, e);
	rc = bench_venue(run, run->show_seats, 0, e);
	if (rc == SL_OK)
		rc = bench_prepare(run, e);
	if (rc != SL_OK)
		return rc;
	if (o->scenario == BENCH_EXPLAIN)
		return bench_explain(run, e);
	rc = bench_load(run, notifier, e);
	if (rc == SL_OK && o->pgbench && run->r->bookings > 0)
		rc = bench_compare(run, e);
	return rc;
}

/* Connects, reads the notify mode and sizes the run. */
static enum sl_rc
bench_open(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_result *r = run->r;
	char buf[32];
	enum sl_rc rc;

	rc = sl_db_connect(&run->cfg, &run->db, e);
	if (rc != SL_OK)
		return rc;
	rc = sl_loadgen_notify_mode(run->db, buf, sizeof buf, e);
	if (rc != SL_OK)
		return rc;
	snprintf(r->notify, sizeof r->notify, "%.15s", buf);
	bench_size(run);
	r->capacity = run->capacity;
	run->shows = calloc((size_t)(run->nshows + run->npgshows),
	    sizeof *run->shows);
	if (run->shows == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	return SL_OK;
}

static void
bench_close(struct bench_ctx *run)
{
	int i;

	if (run->cl != NULL && run->o->scenario != BENCH_EXPLAIN)
		for (i = 0; i < run->ncl; i++)
			sl_db_close(run->cl[i].db);
	bench_listen_stop(run);
	bench_listen_close(run);
	bench_terminals_close(run);
	sl_pool_close(run->pool);
	free(run->cl);
	free(run->shows);
	free(run->seatids);
	free(run->perm);
	free(run->commit_ns);
	free(run->known_mem);
	sl_db_close(run->db);
	pthread_cond_destroy(&run->cv);
	pthread_mutex_destroy(&run->mu);
	pthread_cond_destroy(&run->rq.cv);
	pthread_mutex_destroy(&run->rq.mu);
}

enum sl_rc
bench_run(const struct sl_config *c, const struct bench_opts *o,
    struct bench_result *r, struct sl_err *e)
{
	struct bench_ctx run;
	struct sl_notifier *notifier = NULL;
	enum sl_rc rc;

	memset(r, 0, sizeof *r);
	if ((rc = bench_check_opts(o, e)) != SL_OK)
		return rc;
	memset(&run, 0, sizeof run);
	run.o = o;
	run.r = r;
	run.cfg = *c;
	run.limit = o->count;
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	pthread_mutex_init(&run.rq.mu, NULL);
	pthread_cond_init(&run.rq.cv, NULL);
	if (o->notify != NULL)
		snprintf(run.cfg.notify_mode, sizeof run.cfg.notify_mode, "%s",
		    o->notify);
	else if (o->scenario == BENCH_TERMINALS)	/* as the box offices */
		snprintf(run.cfg.notify_mode, sizeof run.cfg.notify_mode,
		    "batched");
	snprintf(r->scenario, sizeof r->scenario, "%s",
	    bench_scenario_name(o->scenario));
	snprintf(run.tag, sizeof run.tag, "%s-%ld-%ld-%" PRIu64,
	    r->scenario, (long)getpid(), (long)time(NULL),
	    bench_mix((uint64_t)bench_ns()) % 100000);
	rc = bench_open(&run, e);
	if (rc == SL_OK) {
		rc = bench_run_scenario(&run, &notifier, e);
		sl_notifier_close(notifier);
		if (o->cleanup && run.venue != 0)
			bench_cleanup(&run);
	}
	bench_close(&run);
	return rc;
}

void
bench_result_free(struct bench_result *r)
{
	if (r == NULL)
		return;
	free(r->plans);
	r->plans = NULL;
}
