/*
 * bench_listen.c - the listeners of a bench run: connections that LISTEN
 * to one show each, served by threads of BENCH_LISTEN_PER_THREAD, noting
 * when each booked seat of their show was first heard of; afterwards, the
 * time from each booking's commit to its notification.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_int.h"
#include "sl_notify.h"

/* Seats one payload can name: its text stays under 7,000 bytes. */
#define BENCH_PAYLOAD_SEATS	4096

/* Notes the arrival (now) of seat_id at l, once per seat. */
static void
bench_heard_seat(struct bench_ctx *run, struct bench_listener *l,
    int64_t seat_id, int64_t now)
{
	int64_t k = bench_seat_k(run, seat_id);

	if (k >= 0 && l->arrival[k] == 0) {
		l->arrival[k] = now;
		atomic_fetch_add_explicit(&l->heard, 1, memory_order_relaxed);
	}
}

/* One notification, heard at now.  seats: BENCH_PAYLOAD_SEATS. */
static void
bench_heard(struct bench_ctx *run, struct bench_listener *l,
    const char *payload, int64_t now, int64_t *seats)
{
	struct sl_notify_event ev;
	size_t i;

	l->notifications++;
	if (sl_notify_parse(payload, &ev, seats, BENCH_PAYLOAD_SEATS) != 0)
		return;
	for (i = 0; i < ev.nseats; i++)
		bench_heard_seat(run, l, ev.seats[i], now);
	if (ev.show == run->shows[l->show_idx]) {
		if (ev.seq != l->last_seq + 1)
			l->gaps++;
		l->last_seq = ev.seq;
		l->reloads += ev.reload;
	}
}

/* Reads what arrived at l. */
static void
bench_listen_one(struct bench_ctx *run, struct bench_listener *l,
    int64_t *seats)
{
	int64_t now = bench_ns();
	char *payload;
	struct sl_err e;

	for (;;) {
		sl_err_clear(&e);
		if (sl_db_notify_next(l->db, &payload, &e) != SL_OK) {
			pthread_mutex_lock(&run->mu);
			snprintf(run->ls_error, sizeof run->ls_error,
			    "listener lost its connection: %.400s", e.msg);
			pthread_mutex_unlock(&run->mu);
			atomic_store(&run->ls_failed, 1);
			return;
		}
		if (payload == NULL)
			return;
		bench_heard(run, l, payload, now, seats);
		free(payload);
	}
}

static void *
bench_listen_main(void *arg)
{
	struct bench_lthread *t = arg;
	struct bench_ctx *run = t->run;
	struct pollfd pfd[BENCH_LISTEN_PER_THREAD];
	int64_t seats[BENCH_PAYLOAD_SEATS];
	int i;

	for (i = 0; i < t->n; i++) {
		pfd[i].fd = sl_db_socket(run->ls[t->first + i].db);
		pfd[i].events = POLLIN;
	}
	while (!atomic_load(&run->ls_stop)) {
		if (poll(pfd, (nfds_t)t->n, 20) < 0 && errno != EINTR)
			break;
		for (i = 0; i < t->n; i++)
			if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
				bench_listen_one(run, &run->ls[t->first + i],
				    seats);
	}
	return NULL;
}

/* Connects the listeners, each LISTENing to one show of the run. */
static enum sl_rc
bench_listen_open(struct bench_ctx *run, struct sl_err *e)
{
	enum sl_rc rc;
	int i;

	run->ls = calloc((size_t)run->o->listeners, sizeof *run->ls);
	if (run->ls == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < run->o->listeners; i++) {
		struct bench_listener *l = &run->ls[i];

		l->show_idx = i % run->nshows;
		l->arrival = calloc((size_t)run->show_seats,
		    sizeof *l->arrival);
		if (l->arrival == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		rc = sl_db_connect(&run->cfg, &l->db, e);
		if (rc != SL_OK)
			return rc;
		run->nls++;
		rc = sl_loadgen_listen(l->db, run->shows[l->show_idx], e);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

enum sl_rc
bench_listen_start(struct bench_ctx *run, struct sl_err *e)
{
	size_t i, n;
	enum sl_rc rc;

	run->r->listeners = run->o->listeners;
	if ((rc = bench_listen_open(run, e)) != SL_OK)
		return rc;
	n = ((size_t)run->o->listeners + BENCH_LISTEN_PER_THREAD - 1) /
	    BENCH_LISTEN_PER_THREAD;
	if ((run->lt = calloc(n, sizeof *run->lt)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; rc == SL_OK && i < n; i++) {
		struct bench_lthread *t = &run->lt[i];

		t->run = run;
		t->first = (int)i * BENCH_LISTEN_PER_THREAD;
		t->n = run->o->listeners - t->first;
		if (t->n > BENCH_LISTEN_PER_THREAD)
			t->n = BENCH_LISTEN_PER_THREAD;
		if (pthread_create(&t->thread, NULL, bench_listen_main, t) != 0)
			rc = sl_err_set(e, SL_ENOMEM, "no thread");
		else
			run->nlt++;
	}
	return rc;
}

void
bench_listen_stop(struct bench_ctx *run)
{
	int i;

	atomic_store(&run->ls_stop, 1);
	for (i = 0; i < run->nlt; i++)
		pthread_join(run->lt[i].thread, NULL);
	free(run->lt);
	run->lt = NULL;
	run->nlt = 0;
}

void
bench_listen_close(struct bench_ctx *run)
{
	int i;

	for (i = 0; i < run->nls; i++)
		sl_db_close(run->ls[i].db);
	if (run->ls != NULL)
		for (i = 0; i < run->o->listeners; i++)
			free(run->ls[i].arrival);
	free(run->ls);
	run->ls = NULL;
	run->nls = 0;
}

/* Latency of every (listener, booked seat of its show) pair. */
void
bench_listen_report(struct bench_ctx *run)
{
	struct bench_result *r = run->r;
	struct bench_hist *h;
	int64_t counted = 0;
	int i;

	h = malloc(sizeof *h);
	if (h == NULL)
		return;
	bench_hist_init(h);
	for (i = 0; i < run->nls; i++) {
		struct bench_listener *l = &run->ls[i];

		r->notifications += l->notifications;
		r->seq_gaps += l->gaps;
		r->reloads += l->reloads;
		r->missed += bench_arrivals(run, l->show_idx, l->arrival, h);
		r->notified += (int64_t)h->count - counted;
		counted = (int64_t)h->count;
	}
	r->notify_p50_ms = (double)bench_hist_quantile(h, 0.50) / 1000;
	r->notify_p95_ms = (double)bench_hist_quantile(h, 0.95) / 1000;
	r->notify_p99_ms = (double)bench_hist_quantile(h, 0.99) / 1000;
	r->notify_max_ms = (double)bench_hist_quantile(h, 1) / 1000;
	free(h);
}

/* Booked seats of listened shows not heard yet by their listeners. */
int64_t
bench_listen_unheard(struct bench_ctx *run)
{
	int64_t want = 0, got = 0, k;
	int i;

	for (i = 0; i < run->nls; i++) {
		struct bench_listener *l = &run->ls[i];

		for (k = 0; k < run->show_seats; k++)
			if (run->commit_ns[l->show_idx * run->show_seats + k])
				want++;
		got += atomic_load_explicit(&l->heard, memory_order_relaxed);
	}
	return want - got;
}
