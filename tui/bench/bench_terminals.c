/*
 * bench_terminals.c - --scenario terminals: N simulated box offices in
 * this process while the spread clients sell.  Each has its own open show
 * (terminal i: show i % shows), that show's map (core/sl_seatmap, the box
 * office's model) and its own listener (struct sl_notify), attached to the
 * relay the way a box office attaches, but never listening directly
 * (sl_config.relay_only): the relay or nothing.  As the box office does
 * (tui/boxoffice/show.c), a terminal reloads the states of its show on
 * READY, a reload or a gap, re-reads the seats a notification names
 * unless the relay's "seats" line that follows it gave their states, and
 * reads the notifier's beat once a second; every statement goes through a
 * small pool shared by all the terminals (box offices behind PgBouncer).
 * The reloads due at a thread's terminals after one poll() go to one
 * connection as one pipeline of transactions, as PgBouncer runs the
 * transactions of the box offices queued for one server connection back
 * to back (sl_show_states_many).
 *
 * The push latency of a seat at a terminal is the time from the booking's
 * commit (the client's clock after sl_book's answer) to the terminal's map
 * showing it taken (a re-read or a reload that read it); at the end, after
 * a settle time, every terminal's map is compared with show_seat.
 */
#include <sys/resource.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_int.h"
#include "sl_notifier.h"
#include "sl_seatmap.h"
#include "sl_seatstate.h"
#include "sl_show.h"

/* Seat seat_id shown in state at t, now: the first time it is shown
 * taken is its arrival. */
static void
bench_term_shown(struct bench_ctx *run, struct bench_term *t,
    int64_t seat_id, uint8_t state, int64_t now)
{
	int64_t k;

	if (state == SL_SEAT_AVAILABLE || (k = bench_seat_k(run, seat_id)) < 0)
		return;
	if (t->arrival[k] == 0) {
		t->arrival[k] = now;
		atomic_fetch_add_explicit(&t->heard, 1, memory_order_relaxed);
	}
}

/* The box office reads the notifier's beat once a second (tui_beat): from
 * the relay's beat line when the relay sent one (sl_notify_beat), else a
 * statement (sl_notifier_beat_age); so does each terminal.  The only place
 * the terminals read it. */
static void
bench_terminal_beat(struct bench_ctx *run, struct bench_term *t,
    int64_t now)
{
	struct sl_db *db;
	struct sl_err e;
	int64_t age;

	if (now < t->beat_at)
		return;
	t->beat_at = now + (int64_t)BENCH_BEAT_MS * 1000000;
	if (sl_notify_beat(t->nf, &age))
		return;
	sl_err_clear(&e);
	if (sl_pool_get(run->tpool, BENCH_POOL_WAIT_MS, &db, &e) != SL_OK) {
		t->errors++;
		return;
	}
	if (sl_notifier_beat_age(db, &age, &e) != SL_OK)
		t->errors++;
	sl_pool_put(run->tpool, db);
}

/* A reload that failed: again in a second, as the box office. */
static void
bench_term_unloaded(struct bench_term *t)
{
	t->errors++;
	t->reload_at = bench_ns() + BENCH_TERM_RETRY_NS;
}

/* The states of the whole show read (tui_reload_now), on READY, a reload
 * or a gap, applied; only a reload made while listening vouches for the
 * sequence.  meta and st freed. */
static void
bench_term_loaded(struct bench_ctx *run, struct bench_term *t,
    struct sl_seats *meta, struct sl_states *st)
{
	size_t lost[1], nlost, i;
	int64_t now;

	if (sl_seatmap_reload_states(t->map, st, meta->change_seq, lost, 1,
	    &nlost) == 0) {
		now = bench_ns();
		sl_notify_set_seq(t->nf, meta->change_seq);
		for (i = 0; i < st->n; i++)
			bench_term_shown(run, t, st->id[i], st->state[i], now);
		t->reload = 0;
		t->npending = 0;
		t->reloads++;
		if (t->relost && sl_notify_via_relay(t->nf)) {
			t->relost = 0;
			t->back_ns = now;
		}
		atomic_store(&t->loaded, 1);
	} else
		t->errors++;	/* not the map's seats: cannot be here */
	sl_states_free(st);
	sl_seats_free(meta);
}

/*
 * Reloads due[n], taken from the queue by a worker, through its connection
 * of the pool: their reads go in one pipeline (sl_show_states_many), as
 * PgBouncer runs the transactions of the box offices queued for one server
 * connection back to back; each is a transaction of its own.
 */
static void
bench_term_reloads(struct bench_ctx *run, struct bench_term **due, size_t n)
{
	struct sl_seats *metas[SL_SHOW_STATES_MANY];
	struct sl_states st[SL_SHOW_STATES_MANY];
	int64_t shows[SL_SHOW_STATES_MANY];
	struct sl_db *db;
	struct sl_err e;
	enum sl_rc rc;
	size_t i;

	sl_err_clear(&e);
	if (sl_pool_get(run->tpool, BENCH_POOL_WAIT_MS, &db, &e) != SL_OK) {
		for (i = 0; i < n; i++) {
			pthread_mutex_lock(&due[i]->mu);
			bench_term_unloaded(due[i]);
			due[i]->queued = 0;
			pthread_mutex_unlock(&due[i]->mu);
		}
		return;
	}
	for (i = 0; i < n; i++)
		shows[i] = run->shows[due[i]->show_idx];
	rc = sl_show_states_many(db, shows, n, metas, st, &e);
	sl_pool_put(run->tpool, db);
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&due[i]->mu);
		if (rc != SL_OK)
			bench_term_unloaded(due[i]);
		else
			bench_term_loaded(run, due[i], metas[i], &st[i]);
		due[i]->queued = 0;
		pthread_mutex_unlock(&due[i]->mu);
	}
}

/* A worker of the reload queue: takes what is queued (at most a
 * pipeline's worth), reads it through its connection of the pool. */
static void *
bench_term_worker(void *arg)
{
	struct bench_ctx *run = arg;
	struct bench_rqueue *q = &run->rq;
	struct bench_term *due[SL_SHOW_STATES_MANY];
	size_t n;

	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->n == 0 && !q->stop)
			pthread_cond_wait(&q->cv, &q->mu);
		for (n = 0; !q->stop && n < SL_SHOW_STATES_MANY && q->n > 0;
		    n++) {
			due[n] = q->t[q->head];
			q->head = (q->head + 1) % (size_t)run->ntm;
			q->n--;
		}
		pthread_mutex_unlock(&q->mu);
		if (n == 0)
			return NULL;	/* stopped */
		bench_term_reloads(run, due, n);
	}
}

/* Terminal t (its lock held) waits for a worker. */
static void
bench_term_queue(struct bench_ctx *run, struct bench_term *t)
{
	struct bench_rqueue *q = &run->rq;

	t->queued = 1;
	pthread_mutex_lock(&q->mu);
	q->t[(q->head + q->n) % (size_t)run->ntm] = t;
	q->n++;
	pthread_cond_signal(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* The states of n seats applied to the map (tui_apply_states): a seat
 * shown taken for the first time has arrived. */
static void
bench_term_apply(struct bench_ctx *run, struct bench_term *t,
    const int64_t *ids, const uint8_t *states, size_t n)
{
	size_t lost[1], nlost, i;
	int64_t now = bench_ns();

	if (sl_seatmap_apply(t->map, ids, states, n, lost, 1, &nlost) != 0) {
		t->reload = 1;	/* seats it does not know: reload */
		t->reload_at = 0;
	}
	for (i = 0; i < n; i++)
		bench_term_shown(run, t, ids[i], states[i], now);
}

/* The seats notifications named (tui_read_pending). */
static void
bench_term_reread(struct bench_ctx *run, struct bench_term *t,
    struct sl_db *db)
{
	int64_t ids[SL_NOTIFY_MAX_SEATS];
	uint8_t states[SL_NOTIFY_MAX_SEATS];
	size_t n = 0;
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_seatstate_read(db, run->shows[t->show_idx], t->pending,
	    t->npending, ids, states, &n, &e) != SL_OK) {
		t->errors++;
		t->npending = 0;
		t->reload = 1;
		t->reload_at = bench_ns() + BENCH_TERM_RETRY_NS;
		return;
	}
	t->npending = 0;
	bench_term_apply(run, t, ids, states, n);
	t->rereads++;
}

/* The relay's states of the seats of the change just before: those still
 * to re-read are applied and re-read no more (tui_relay_states). */
static void
bench_term_states(struct bench_ctx *run, struct bench_term *t,
    const struct sl_notify_event *ev)
{
	int64_t ids[SL_NOTIFY_MAX_SEATS];
	uint8_t states[SL_NOTIFY_MAX_SEATS];
	size_t n, keep = 0;

	n = sl_notify_take_states(ev, t->pending, t->npending, &keep, ids,
	    states);
	t->npending = keep;
	if (n == 0)
		return;
	bench_term_apply(run, t, ids, states, n);
	t->relay_states++;
}

/* The listener's events, as tui_live takes them. */
static void
bench_term_events(struct bench_ctx *run, struct bench_term *t,
    int64_t kill_ns)
{
	struct sl_notify_event ev;

	while (sl_notify_next(t->nf, &ev)) {
		switch (ev.kind) {
		case SL_NOTIFY_READY:
			t->reload = 1;
			t->reload_at = 0;
			break;
		case SL_NOTIFY_LOST:
			if (kill_ns != 0)
				t->relost = 1;
			break;
		case SL_NOTIFY_CHANGE:
			/* More seats than one re-read takes: the whole show. */
			if (ev.reload ||
			    ev.nseats > SL_NOTIFY_MAX_SEATS - t->npending) {
				t->reload = 1;
				t->reload_at = 0;
				break;
			}
			memcpy(t->pending + t->npending, ev.seats,
			    ev.nseats * sizeof *ev.seats);
			t->npending += ev.nseats;
			break;
		case SL_NOTIFY_STATES:
			bench_term_states(run, t, &ev);
			break;
		}
	}
}

/* One terminal's turn after poll() (its lock held): its events, then its
 * reload queued for the pool's workers, or its re-read. */
static void
bench_term_turn(struct bench_ctx *run, struct bench_term *t, short revents)
{
	struct sl_db *db;
	struct sl_err e;
	int64_t now = bench_ns();
	int up;

	sl_notify_handle(t->nf, revents);
	bench_term_events(run, t, atomic_load(&run->kill_ns));
	bench_terminal_beat(run, t, now);
	up = sl_notify_status(t->nf) == SL_NOTIFY_UP;
	if (t->reload && up && now >= t->reload_at) {
		bench_term_queue(run, t);
		return;
	}
	if (t->npending == 0)
		return;
	sl_err_clear(&e);
	if (sl_pool_get(run->tpool, BENCH_POOL_WAIT_MS, &db, &e) != SL_OK) {
		t->errors++;
		return;
	}
	bench_term_reread(run, t, db);
	sl_pool_put(run->tpool, db);
}

/* The poll() timeout with terminal t's statements due: 0 for seats to
 * re-read or a reload due, else until its reload's retry. */
static int
bench_term_wait(const struct bench_term *t, int tmo)
{
	int64_t left = (t->reload_at - bench_ns()) / 1000000;

	if (t->npending > 0 || left <= 0)
		return 0;
	return left < tmo ? (int)left : tmo;
}

static void *
bench_term_main(void *arg)
{
	struct bench_tthread *th = arg;
	struct bench_ctx *run = th->run;
	struct pollfd *pfd;
	int i, to, tmo;

	pfd = calloc((size_t)th->n, sizeof *pfd);
	if (pfd == NULL)
		return NULL;
	while (!atomic_load(&run->tm_stop)) {
		tmo = 20;
		for (i = 0; i < th->n; i++) {
			struct bench_term *t = &run->tm[th->first + i];

			pthread_mutex_lock(&t->mu);
			/* Reloading: what comes meanwhile waits in the
			 * socket, as while a box office reads (it is newer
			 * than the snapshot, or the sequence says not). */
			pfd[i].fd = t->queued ? -1 : sl_notify_fd(t->nf);
			pfd[i].events = sl_notify_events(t->nf);
			pfd[i].revents = 0;
			to = t->queued ? -1 : sl_notify_timeout(t->nf);
			if (to >= 0 && to < tmo)
				tmo = to;
			if (!t->queued && (t->npending > 0 || (t->reload &&
			    sl_notify_status(t->nf) == SL_NOTIFY_UP)))
				tmo = bench_term_wait(t, tmo);
			pthread_mutex_unlock(&t->mu);
		}
		if (poll(pfd, (nfds_t)th->n, tmo) < 0 && errno != EINTR)
			break;
		for (i = 0; i < th->n; i++) {
			struct bench_term *t = &run->tm[th->first + i];

			pthread_mutex_lock(&t->mu);
			if (!t->queued)
				bench_term_turn(run, t, pfd[i].fd >= 0 ?
				    pfd[i].revents : 0);
			pthread_mutex_unlock(&t->mu);
		}
	}
	free(pfd);
	return NULL;
}

/* Room for a descriptor per terminal: the soft limit up to the hard. */
static enum sl_rc
bench_term_nofile(struct bench_ctx *run, struct sl_err *e)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)run->ntm + (rlim_t)run->o->clients +
	    BENCH_TERM_POOL + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return SL_OK;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		return sl_err_set(e, SL_EINVAL, "%d terminals need %lu file "
		    "descriptors, and the limit is %lu (ulimit -n)", run->ntm,
		    (unsigned long)need, (unsigned long)rl.rlim_cur);
	return SL_OK;
}

/* The terminals of show j: a map each, from one read of its layout. */
static enum sl_rc
bench_term_maps(struct bench_ctx *run, int64_t j, struct sl_err *e)
{
	struct sl_seats *s;
	enum sl_rc rc;
	int i;

	rc = sl_show_seats(run->db, run->shows[j], &s, e);
	if (rc != SL_OK)
		return rc;
	for (i = (int)j; rc == SL_OK && i < run->ntm; i += (int)run->nshows) {
		struct bench_term *t = &run->tm[i];

		t->show_idx = j;
		t->arrival = calloc((size_t)run->show_seats,
		    sizeof *t->arrival);
		if (t->arrival == NULL)
			rc = sl_err_set(e, SL_ENOMEM, "out of memory");
		else
			rc = sl_seatmap_new(s, &t->map, e);
		if (rc == SL_OK)
			rc = sl_notify_new(&run->cfg, &t->nf, e);
	}
	sl_seats_free(s);
	return rc;
}

/* Waits until every terminal is attached and has loaded its show. */
static enum sl_rc
bench_term_attached(struct bench_ctx *run, struct sl_err *e)
{
	int64_t t0 = bench_ns(), end;
	int i, n;

	end = t0 + (int64_t)(BENCH_TERM_ATTACH_MS + BENCH_TERM_ATTACH_PER *
	    run->ntm) * 1000000;
	for (;;) {
		for (i = 0, n = 0; i < run->ntm; i++)
			n += atomic_load(&run->tm[i].loaded);
		if (n == run->ntm) {
			run->r->attach_ms = bench_ms_since(t0);
			return SL_OK;
		}
		if (bench_ns() >= end)
			break;
		bench_sleep_ms(20);
	}
	for (i = 0; i < run->ntm; i++)
		if (!atomic_load(&run->tm[i].loaded))
			break;
	return sl_err_set(e, SL_ECONN, "%d of %d terminals could not attach "
	    "to the relay at %s and load their show within %.1f s (terminal "
	    "%d: %s)", run->ntm - n, run->ntm, run->cfg.relay_socket,
	    bench_ms_since(t0) / 1000, i + 1,
	    i < run->ntm ? sl_notify_error(run->tm[i].nf) : "");
}

/* The reload queue and its workers, one a connection of the pool. */
static enum sl_rc
bench_term_workers(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_rqueue *q = &run->rq;
	int i;

	q->t = calloc((size_t)run->ntm, sizeof *q->t);
	q->worker = calloc(BENCH_TERM_POOL, sizeof *q->worker);
	if (q->t == NULL || q->worker == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < BENCH_TERM_POOL; i++) {
		if (pthread_create(&q->worker[i], NULL, bench_term_worker,
		    run) != 0)
			return sl_err_set(e, SL_ENOMEM, "no thread");
		q->nworker++;
	}
	return SL_OK;
}

/* The workers stopped (what is still queued is not read) and joined. */
static void
bench_term_workers_stop(struct bench_ctx *run)
{
	struct bench_rqueue *q = &run->rq;
	int i;

	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (i = 0; i < q->nworker; i++)
		pthread_join(q->worker[i], NULL);
	q->nworker = 0;
}

/* The threads, each with its share of the terminals. */
static enum sl_rc
bench_term_threads(struct bench_ctx *run, struct sl_err *e)
{
	int i, per = (run->ntm + BENCH_TERM_THREADS - 1) / BENCH_TERM_THREADS;
	enum sl_rc rc;

	if ((rc = bench_term_workers(run, e)) != SL_OK)
		return rc;

	run->tt = calloc(BENCH_TERM_THREADS, sizeof *run->tt);
	if (run->tt == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < BENCH_TERM_THREADS && i * per < run->ntm; i++) {
		struct bench_tthread *th = &run->tt[i];

		th->run = run;
		th->first = i * per;
		th->n = run->ntm - th->first < per ? run->ntm - th->first : per;
		if (pthread_create(&th->thread, NULL, bench_term_main, th) != 0)
			return sl_err_set(e, SL_ENOMEM, "no thread");
		run->ntt++;
	}
	return SL_OK;
}

enum sl_rc
bench_terminals_start(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_result *r = run->r;
	enum sl_rc rc;
	int64_t j;
	int i;

	run->ntm = run->o->terminals > 0 ? run->o->terminals :
	    BENCH_TERMINALS_DEFAULT;
	r->terminals = run->ntm;
	r->reconnect_max_ms = r->reconnect_p50_ms = -1;
	if ((rc = bench_term_nofile(run, e)) != SL_OK ||
	    (rc = bench_monitor_start(run, e)) != SL_OK ||
	    (rc = bench_relay_open(run, e)) != SL_OK ||
	    (rc = sl_pool_open(&run->cfg, BENCH_TERM_POOL, &run->tpool, e)) !=
	    SL_OK)
		return rc;
	if (run->o->kill_relay_at > 0 && !run->relay.started)
		return sl_err_set(e, SL_EINVAL, "--kill-relay-at kills only a "
		    "relay the bench started, and one answers at %s: use a "
		    "notify.relay_socket where none runs", run->cfg.relay_socket);
	run->tm = calloc((size_t)run->ntm, sizeof *run->tm);
	if (run->tm == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < run->ntm; i++)
		pthread_mutex_init(&run->tm[i].mu, NULL);
	for (j = 0; j < run->nshows && j < run->ntm; j++)
		if ((rc = bench_term_maps(run, j, e)) != SL_OK)
			return rc;
	/* Attached as box offices open their show; beats spread over a
	 * second. */
	for (i = 0; i < run->ntm; i++) {
		run->tm[i].beat_at = bench_ns() + (int64_t)(i % 1000) *
		    BENCH_BEAT_MS * 1000;
		sl_notify_listen(run->tm[i].nf, run->shows[run->tm[i].show_idx]);
	}
	if ((rc = bench_term_threads(run, e)) != SL_OK)
		return rc;
	return bench_term_attached(run, e);
}

void
bench_terminals_tick(struct bench_ctx *run, double t)
{
	struct sl_err e;

	if (run->o->kill_relay_at <= 0 || run->r->relay_killed ||
	    t < run->o->kill_relay_at)
		return;
	sl_err_clear(&e);
	if (bench_relay_restart(run, &e) != SL_OK) {
		pthread_mutex_lock(&run->mu);
		snprintf(run->ls_error, sizeof run->ls_error, "%s", e.msg);
		pthread_mutex_unlock(&run->mu);
		atomic_store(&run->ls_failed, 1);
	}
}

/* Booked seats of the terminals' shows their maps do not show yet. */
static int64_t
bench_term_unheard(struct bench_ctx *run, const int64_t *booked)
{
	int64_t left = 0;
	int i;

	for (i = 0; i < run->ntm; i++)
		left += booked[run->tm[i].show_idx] -
		    atomic_load_explicit(&run->tm[i].heard,
		    memory_order_relaxed);
	return left;
}

/* Up to BENCH_TERM_SETTLE_MS for the last bookings to reach the maps. */
static void
bench_term_settle(struct bench_ctx *run)
{
	int64_t *booked, end, k;

	booked = calloc((size_t)run->nshows, sizeof *booked);
	if (booked == NULL)
		return;
	for (k = 0; k < run->nshows * run->show_seats; k++)
		if (run->commit_ns[k] != 0)
			booked[k / run->show_seats]++;
	end = bench_ns() + (int64_t)BENCH_TERM_SETTLE_MS * 1000000;
	while (bench_term_unheard(run, booked) > 0 && bench_ns() < end)
		bench_sleep_ms(10);
	free(booked);
}

/* After --kill-relay-at: the time from the kill to each terminal's first
 * reload through the new relay; the slowest, and the median.  -1 when a
 * terminal never came back. */
static void
bench_term_reconnect(struct bench_ctx *run)
{
	struct bench_result *r = run->r;
	double *ms;
	int i;

	r->reconnect_max_ms = r->reconnect_p50_ms = -1;
	if (!r->relay_killed ||
	    (ms = calloc((size_t)run->ntm, sizeof *ms)) == NULL)
		return;
	for (i = 0; i < run->ntm; i++) {
		if (run->tm[i].back_ns == 0)
			break;
		ms[i] = (double)(run->tm[i].back_ns - run->kill_ns) / 1e6;
	}
	if (i == run->ntm) {
		qsort(ms, (size_t)run->ntm, sizeof *ms, bench_cmp_double);
		r->reconnect_max_ms = ms[run->ntm - 1];
		r->reconnect_p50_ms = ms[(run->ntm - 1) / 2];
	}
	free(ms);
}

/* The push latency of every (terminal, booked seat of its show). */
static void
bench_term_latency(struct bench_ctx *run)
{
	struct bench_result *r = run->r;
	struct bench_hist *h;
	int i;

	if ((h = malloc(sizeof *h)) == NULL)
		return;
	bench_hist_init(h);
	for (i = 0; i < run->ntm; i++) {
		struct bench_term *t = &run->tm[i];

		r->term_reloads += t->reloads;
		r->term_rereads += t->rereads;
		r->term_relay_states += t->relay_states;
		r->term_errors += t->errors;
		r->push_missed += bench_arrivals(run, t->show_idx, t->arrival,
		    h);
	}
	bench_term_reconnect(run);
	r->push_samples = (int64_t)h->count;
	r->push_p50_ms = (double)bench_hist_quantile(h, 0.50) / 1000;
	r->push_p99_ms = (double)bench_hist_quantile(h, 0.99) / 1000;
	r->push_max_ms = (double)bench_hist_quantile(h, 1) / 1000;
	free(h);
}

/* 1 when terminal t's map differs from the states st (of its show). */
static int
bench_term_differs(const struct bench_ctx *run, const struct bench_term *t,
    const uint8_t *by_k)
{
	size_t i;
	int64_t k;

	for (i = 0; i < sl_seatmap_nseats(t->map); i++) {
		const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);

		k = bench_seat_k(run, s->id);
		if (k < 0 || s->state != by_k[k])
			return 1;
	}
	return 0;
}

/* stale_terminals: maps that differ from show_seat, seat by seat. */
static enum sl_rc
bench_term_stale(struct bench_ctx *run, struct sl_err *e)
{
	uint8_t *by_k = calloc((size_t)run->show_seats, 1);
	struct sl_seats *meta;
	struct sl_states st;
	enum sl_rc rc = SL_OK;
	int64_t j, k;
	size_t i;
	int n;

	if (by_k == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (j = 0; rc == SL_OK && j < run->nshows && j < run->ntm; j++) {
		rc = sl_show_states(run->db, run->shows[j], &meta, &st, e);
		if (rc != SL_OK)
			break;
		memset(by_k, 0xff, (size_t)run->show_seats);
		for (i = 0; i < st.n; i++)
			if ((k = bench_seat_k(run, st.id[i])) >= 0)
				by_k[k] = st.state[i];
		for (n = (int)j; n < run->ntm; n += (int)run->nshows)
			run->r->stale_terminals += bench_term_differs(run,
			    &run->tm[n], by_k);
		sl_states_free(&st);
		sl_seats_free(meta);
	}
	free(by_k);
	return rc;
}

enum sl_rc
bench_terminals_finish(struct bench_ctx *run, struct sl_err *e)
{
	int i;

	bench_term_settle(run);
	atomic_store(&run->tm_stop, 1);
	for (i = 0; i < run->ntt; i++)
		pthread_join(run->tt[i].thread, NULL);
	run->ntt = 0;
	bench_term_workers_stop(run);
	bench_monitor_stop(run);
	bench_term_latency(run);
	return bench_term_stale(run, e);
}

void
bench_terminals_close(struct bench_ctx *run)
{
	int i;

	atomic_store(&run->tm_stop, 1);
	for (i = 0; i < run->ntt; i++)
		pthread_join(run->tt[i].thread, NULL);
	run->ntt = 0;
	free(run->tt);
	run->tt = NULL;
	bench_term_workers_stop(run);
	free(run->rq.t);
	free(run->rq.worker);
	run->rq.t = NULL;
	run->rq.worker = NULL;
	for (i = 0; run->tm != NULL && i < run->ntm; i++) {
		sl_notify_free(run->tm[i].nf);
		sl_seatmap_free(run->tm[i].map);
		free(run->tm[i].arrival);
		pthread_mutex_destroy(&run->tm[i].mu);
	}
	free(run->tm);
	run->tm = NULL;
	sl_pool_close(run->tpool);
	run->tpool = NULL;
	if (run->mon.running || run->mon.db != NULL)
		bench_monitor_stop(run);
	bench_relay_close(run);
}
