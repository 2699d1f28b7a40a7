/*
 * bench_client.c - a booking client of the load generator: a thread with
 * a connection of its own (or the pool's), its customer and its share of
 * the shows made before the start gate; then the scenario's loop of
 * booking calls, each timed and counted.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_int.h"
#include "sl_book.h"
#include "sl_layout.h"
#include "sl_sell.h"
#include "sl_customer.h"

static void
bench_client_error(struct bench_client *c, const struct sl_err *e)
{
	atomic_fetch_add_explicit(&c->errors, 1, memory_order_relaxed);
	if (c->first_error[0] == '\0')
		snprintf(c->first_error, sizeof c->first_error, "%.480s%s%s",
		    e->msg, e->sqlstate[0] ? " SQLSTATE " : "", e->sqlstate);
}

/* Counts the outcome of one booking call; 1 when it booked. */
static int
bench_outcome(struct bench_client *c, enum sl_rc rc,
    const struct sl_err *e, int64_t t0, int64_t t1)
{
	bench_hist_add(&c->hist, (uint64_t)((t1 - t0) / 1000));
	switch (rc) {
	case SL_OK:
		atomic_fetch_add_explicit(&c->bookings, 1,
		    memory_order_relaxed);
		return 1;
	case SL_ECONFLICT:
		atomic_fetch_add_explicit(&c->conflicts, 1,
		    memory_order_relaxed);
		return 0;
	case SL_EBUSY:
		atomic_fetch_add_explicit(&c->busy, 1, memory_order_relaxed);
		return 0;
	case SL_ENOMEM:
	case SL_EINVAL:
	case SL_ENOTFOUND:
	case SL_ECONN:
	case SL_EDB:
	case SL_ECONFIG:
	case SL_ERETRY:
	case SL_EIO:
		break;
	}
	bench_client_error(c, e);
	return 0;
}

/*
 * With a rate, waits for this client's next turn: each client books every
 * clients / rate seconds, the clients staggered.  A client that falls
 * behind goes on at once, without bursts to catch up.
 */
static void
bench_pace(struct bench_client *c)
{
	int64_t now, gap = (int64_t)(1e9 * c->run->ncl / c->run->o->rate);
	struct timespec ts;

	now = bench_ns();
	if (c->next_ns == 0)
		c->next_ns = now + gap * c->idx / c->run->ncl;
	if (c->next_ns > now) {
		ts.tv_sec = (time_t)((c->next_ns - now) / 1000000000);
		ts.tv_nsec = (long)((c->next_ns - now) % 1000000000);
		nanosleep(&ts, NULL);
	} else if (now - c->next_ns > gap)
		c->next_ns = now;
	c->next_ns += gap;
}

/* Claims the next booking attempt; 0 when the run is over. */
static int
bench_more(struct bench_client *c, int64_t *slot)
{
	struct bench_ctx *run = c->run;
	int64_t i;

	if (run->o->rate > 0)
		bench_pace(c);
	if (atomic_load_explicit(&run->stop, memory_order_relaxed))
		return 0;
	i = atomic_fetch_add_explicit(&run->next, 1, memory_order_relaxed);
	if (run->limit > 0 && i >= run->limit)
		return 0;
	*slot = i;
	return 1;
}

/* The client's connection for one call: its own, or one of the pool's
 * (the wait counts in the call's latency).  NULL, with *e, if none. */
static struct sl_db *
bench_db(struct bench_client *c, struct sl_err *e)
{
	struct sl_db *db;

	if (c->run->pool == NULL)
		return c->db;
	if (sl_pool_get(c->run->pool, BENCH_POOL_WAIT_MS, &db, e) != SL_OK)
		return NULL;
	return db;
}

static void
bench_db_done(struct bench_client *c, struct sl_db *db)
{
	if (c->run->pool != NULL)
		sl_pool_put(c->run->pool, db);
}

static int
bench_book(struct bench_client *c, int64_t show, const char *const *l,
    size_t n, int64_t *booking)
{
	struct sl_booking *b = NULL;
	struct sl_db *db;
	struct sl_err e;
	size_t nb = 0;
	int64_t t0, t1;
	enum sl_rc rc;
	int ok;

	sl_err_clear(&e);
	t0 = bench_ns();
	if ((db = bench_db(c, &e)) == NULL)
		rc = e.rc;
	else
		rc = sl_book_seats(db, show, l, n, c->user, NULL, &b, &nb, &e);
	bench_db_done(c, db);
	t1 = bench_ns();
	ok = bench_outcome(c, rc, &e, t0, t1);
	if (ok) {
		c->seats_booked += (int64_t)nb;
		if (booking != NULL)
			*booking = nb > 0 ? b[0].id : 0;
		free(b);
	}
	return ok;
}

static void
bench_cancel(struct bench_client *c, int64_t booking)
{
	struct sl_db *db;
	struct sl_err e;

	sl_err_clear(&e);
	if ((db = bench_db(c, &e)) != NULL &&
	    sl_book_cancel(db, booking, NULL, NULL, &e) == SL_OK)
		c->cancels++;
	else
		bench_client_error(c, &e);
	bench_db_done(c, db);
}

/* Books seat number seat (0-based, in the bench venue's order) of show;
 * as bench_book. */
static int
bench_book_seat(struct bench_client *c, int64_t show, int64_t seat,
    int64_t *booking)
{
	char label[SL_LABEL_MAX + 1];
	const char *lp[1] = { label };

	sl_loadgen_label(seat, BENCH_PER_ROW, label, sizeof label);
	return bench_book(c, show, lp, 1, booking);
}

/* spread and listen: the slots of the permutation in turn, each seat once. */
static void
bench_loop_spread(struct bench_client *c)
{
	struct bench_ctx *run = c->run;
	int64_t i, p;

	while (bench_more(c, &i)) {
		if (i >= run->capacity) {
			run->r->exhausted = 1;
			break;
		}
		p = run->perm[i];
		if (bench_book_seat(c, run->shows[p / run->show_seats],
		    p % run->show_seats, NULL))
			run->commit_ns[p] = bench_ns();
	}
}

/* hot and toggle: a random seat of the pool; a winner cancels at once. */
static void
bench_loop_toggle(struct bench_client *c)
{
	struct bench_ctx *run = c->run;
	int64_t i, booking;

	while (bench_more(c, &i)) {
		if (bench_book_seat(c, run->shows[0], (int64_t)bench_below(
		    &c->rng, (uint64_t)run->capacity), &booking))
			bench_cancel(c, booking);
	}
}

static int
bench_is_known(struct bench_ctx *run, int64_t k)
{
	return atomic_load_explicit(&run->known[k], memory_order_relaxed);
}

static void
bench_set_known(struct bench_ctx *run, int64_t k)
{
	if (!atomic_exchange_explicit(&run->known[k], 1, memory_order_relaxed))
		atomic_fetch_add_explicit(&run->nknown, 1,
		    memory_order_relaxed);
}

/*
 * best: every client asks for the best 1 to 4 adjacent seats of one fresh
 * show, as a clerk pressing "b" would, until a single seat is refused:
 * the show is sold out (but for its wheelchair and companion places,
 * which best available never picks).
 */
static void
bench_loop_best(struct bench_client *c)
{
	struct bench_ctx *run = c->run;
	struct sl_booking *b;
	struct sl_db *db;
	struct sl_err e;
	int64_t i, t0, t1;
	size_t nb;
	enum sl_rc rc;
	int want;

	while (bench_more(c, &i)) {
		want = 1 + (int)bench_below(&c->rng, 4);
		sl_err_clear(&e);
		t0 = bench_ns();
		if ((db = bench_db(c, &e)) == NULL)
			rc = e.rc;
		else
			rc = sl_sell_best(db, run->shows[0], want, c->user,
			    NULL, NULL, &b, &nb, &e);
		bench_db_done(c, db);
		t1 = bench_ns();
		if (bench_outcome(c, rc, &e, t0, t1)) {
			c->seats_booked += (int64_t)nb;
			free(b);
		} else if (rc == SL_ECONFLICT && want == 1) {
			run->r->exhausted = 1;
			atomic_store(&run->stop, 1);
		}
	}
}

/* flash: seats not yet known to be sold, until none is left. */
static void
bench_loop_flash(struct bench_client *c)
{
	struct bench_ctx *run = c->run;
	char label[SL_LABEL_MAX + 1];
	const char *lp[1] = { label };
	struct sl_err e;
	struct sl_booking *b;
	struct sl_db *db;
	int64_t i, k, j, n = run->capacity, t0, t1;
	size_t nb;
	enum sl_rc rc;

	while (atomic_load_explicit(&run->nknown, memory_order_relaxed) < n &&
	    bench_more(c, &i)) {
		k = (int64_t)bench_below(&c->rng, (uint64_t)n);
		for (j = 0; j < n && bench_is_known(run, (k + j) % n); j++)
			;
		if (j == n)
			break;
		k = (k + j) % n;
		sl_loadgen_label(k, BENCH_PER_ROW, label, sizeof label);
		sl_err_clear(&e);
		t0 = bench_ns();
		if ((db = bench_db(c, &e)) == NULL)
			rc = e.rc;
		else
			rc = sl_book_seats(db, run->shows[0], lp, 1, c->user,
			    NULL, &b, &nb, &e);
		bench_db_done(c, db);
		t1 = bench_ns();
		if (bench_outcome(c, rc, &e, t0, t1)) {
			c->seats_booked += (int64_t)nb;
			free(b);
		}
		/* Sold, to us or to another: either way it is gone. */
		if (rc == SL_OK || rc == SL_ECONFLICT)
			bench_set_known(run, k);
	}
}

/* Marks the seats a conflict named (e->detail: labels, space-separated). */
static void
bench_mark_detail(struct bench_ctx *run, int64_t show_idx,
    const char *detail)
{
	char label[SL_LABEL_MAX + 1], row[SL_LABEL_MAX + 1];
	const char *p = detail;
	int64_t r;
	int number;
	size_t n;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		for (n = 0; p[n] != '\0' && p[n] != ' '; n++)
			;
		if (n == 0 || n > SL_LABEL_MAX)
			break;
		memcpy(label, p, n);
		label[n] = '\0';
		p += n;
		if (sl_label_split(label, row, &number) != 0 || number < 1 ||
		    number > BENCH_PER_ROW || row[0] == '\0' ||
		    row[1] != '\0')
			continue;
		r = row[0] - 'A';
		if (r < 0 || r >= run->show_seats / BENCH_PER_ROW)
			continue;
		bench_set_known(run, show_idx * run->show_seats +
		    r * BENCH_PER_ROW + number - 1);
	}
}

/* multi: 2..6 adjacent seats of a row, all or none. */
static void
bench_loop_multi(struct bench_client *c)
{
	struct bench_ctx *run = c->run;
	char labels[6][SL_LABEL_MAX + 1];
	const char *lp[6];
	struct sl_booking *b;
	struct sl_db *db;
	struct sl_err e;
	int64_t i, s, base, t0, t1;
	int z, col, tries, j, free_ok;
	size_t nb;
	enum sl_rc rc;

	for (j = 0; j < 6; j++)
		lp[j] = labels[j];
	while (bench_more(c, &i)) {
		for (tries = 0; tries < 64; tries++) {
			s = (int64_t)bench_below(&c->rng,
			    (uint64_t)run->nshows);
			z = 2 + (int)bench_below(&c->rng, 5);
			base = s * run->show_seats + (int64_t)bench_below(
			    &c->rng, (uint64_t)(run->show_seats /
			    BENCH_PER_ROW)) * BENCH_PER_ROW;
			col = (int)bench_below(&c->rng,
			    (uint64_t)(BENCH_PER_ROW - z + 1));
			free_ok = 1;
			for (j = 0; j < z && free_ok; j++)
				free_ok = !bench_is_known(run,
				    base + col + j);
			if (free_ok)
				break;
		}
		if (tries == 64) {
			run->r->exhausted = 1;
			break;
		}
		for (j = 0; j < z; j++)
			sl_loadgen_label(base - s * run->show_seats + col + j,
			    BENCH_PER_ROW, labels[j], sizeof labels[j]);
		sl_err_clear(&e);
		t0 = bench_ns();
		if ((db = bench_db(c, &e)) == NULL)
			rc = e.rc;
		else
			rc = sl_book_seats(db, run->shows[s], lp, (size_t)z,
			    c->user, NULL, &b, &nb, &e);
		bench_db_done(c, db);
		t1 = bench_ns();
		if (bench_outcome(c, rc, &e, t0, t1)) {
			c->seats_booked += (int64_t)nb;
			free(b);
			for (j = 0; j < z; j++)
				bench_set_known(run, base + col + j);
		} else if (rc == SL_ECONFLICT)
			bench_mark_detail(run, s, e.detail);
	}
}

/* The client's customer and its share of the shows, before the start. */
static enum sl_rc
bench_client_setup(struct bench_client *c, struct sl_err *e)
{
	struct bench_ctx *run = c->run;
	char name[128], email[160];
	enum sl_rc rc;
	int64_t j;

	/* Behind a pool the client's setup borrows a connection too. */
	if (run->pool == NULL)
		rc = sl_db_connect(&run->cfg, &c->db, e);
	else
		rc = sl_pool_get(run->pool, BENCH_POOL_WAIT_MS, &c->db, e);
	if (rc != SL_OK) {
		c->db = NULL;
		return rc;
	}
	snprintf(name, sizeof name, "Bench client %d", c->idx + 1);
	snprintf(email, sizeof email, "bench-%s-%d@bench.invalid", run->tag,
	    c->idx + 1);
	rc = sl_user_register(c->db, name, email, NULL, &c->user, e);
	if (rc != SL_OK)
		return rc;
	/* This client's share of the shows, in parallel with the others:
	 * making 100,000 inventory rows takes seconds. */
	for (j = c->idx; j < run->nshows; j += run->ncl) {
		rc = bench_show_add(run, c->db, j, NULL, e);
		if (rc != SL_OK)
			return rc;
		if (atomic_load(&run->stop))
			break;
	}
	return SL_OK;
}

/* Counts the client ready, waits at the gate; 1 when it says go. */
static int
bench_client_wait(struct bench_client *c)
{
	struct bench_ctx *run = c->run;
	int go;

	pthread_mutex_lock(&run->mu);
	run->nready++;
	pthread_cond_broadcast(&run->cv);
	while (run->gate == 0)
		pthread_cond_wait(&run->cv, &run->mu);
	go = run->gate == 1;
	if (!go)
		c->done = 1;
	pthread_mutex_unlock(&run->mu);
	return go;
}

void *
bench_client_main(void *arg)
{
	struct bench_client *c = arg;
	struct bench_ctx *run = c->run;

	bench_hist_init(&c->hist);
	c->setup_rc = bench_client_setup(c, &c->err);
	if (run->pool != NULL) {
		sl_pool_put(run->pool, c->db);
		c->db = NULL;
	}
	if (!bench_client_wait(c))
		return NULL;
	switch (run->o->scenario) {
	case BENCH_SPREAD:
	case BENCH_LISTEN:
	case BENCH_TERMINALS:
		bench_loop_spread(c);
		break;
	case BENCH_HOT:
	case BENCH_TOGGLE:
		bench_loop_toggle(c);
		break;
	case BENCH_FLASH:
		bench_loop_flash(c);
		break;
	case BENCH_BEST:
		bench_loop_best(c);
		break;
	case BENCH_MULTI:
		bench_loop_multi(c);
		break;
	case BENCH_STADIUM:
	case BENCH_EXPLAIN:
		break;
	}
	pthread_mutex_lock(&run->mu);
	c->done = 1;
	pthread_mutex_unlock(&run->mu);
	return NULL;
}
