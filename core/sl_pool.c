/*
 * sl_pool.c - a fixed set of database connections shared by threads: a
 * stack of idle connections under one mutex, and a queue of the threads
 * that wait for one.  A connection given back goes straight to the first
 * waiter, so waiters are served in turn: a thread that gives one back and
 * asks again at once (a busy API worker, a bench client) does not take it
 * from under a thread that has waited longer.
 *
 * Fairness between clients (issue 17, finding 15): a borrower may name
 * itself with a key (the API's token, or a client's address).  A
 * connection given back goes to the waiting key that holds the fewest
 * connections (first come first among equals), and no key ever holds all
 * the connections of a pool of two or more: one is kept for the others.
 * So one client flooding the pool costs another at most the end of one
 * call, never the whole queue.  Key 0 is no client in particular: it is
 * never limited and waits in turn, as before.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "sl_db_int.h"
#include "sl_pool.h"

/* A thread waiting in sl_pool_get, on its own stack. */
struct sl_pool_waiter {
	pthread_cond_t		 handed;	/* db was set */
	uint64_t		 key;		/* the client, 0 = none */
	struct sl_db		*db;
	struct sl_pool_waiter	*next;
};

struct sl_pool {
	pthread_mutex_t	  lock;
	struct sl_pool_waiter *head, *tail;	/* the queue, first come first */
	int		  size;
	int		  nidle;
	int		  waiting;
	long		  timeouts;
	struct sl_db	**all;		/* every connection, for close */
	uint64_t	 *owner;	/* all[i]'s borrower's key, 0 = none */
	struct sl_db	**idle;		/* stack of nidle idle connections */
};

enum sl_rc
sl_pool_open(const struct sl_config *c, int size, struct sl_pool **out,
    struct sl_err *e)
{
	struct sl_pool *p;
	enum sl_rc rc;
	int i;

	if (size < 1)
		return sl_err_set(e, SL_EINVAL, "a pool needs a connection");
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	p->all = calloc((size_t)size, sizeof *p->all);
	p->idle = calloc((size_t)size, sizeof *p->idle);
	p->owner = calloc((size_t)size, sizeof *p->owner);
	if (p->all == NULL || p->idle == NULL || p->owner == NULL) {
		free(p->all);
		free(p->idle);
		free(p->owner);
		free(p);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&p->lock, NULL);
	for (i = 0; i < size; i++) {
		rc = sl_db_connect(c, &p->all[i], e);
		if (rc != SL_OK) {
			p->size = i;
			sl_pool_close(p);
			return rc;
		}
		p->idle[i] = p->all[i];
	}
	p->size = p->nidle = size;
	*out = p;
	return SL_OK;
}

void
sl_pool_close(struct sl_pool *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->size; i++)
		sl_db_close(p->all[i]);
	pthread_mutex_destroy(&p->lock);
	free(p->all);
	free(p->idle);
	free(p->owner);
	free(p);
}

/* The index of db in p->all. */
static int
sl_pool_index(const struct sl_pool *p, const struct sl_db *db)
{
	int i;

	for (i = 0; i < p->size; i++)
		if (p->all[i] == db)
			return i;
	assert(!"a connection not of this pool");
	return 0;
}

/* How many connections key holds now (0 for key 0: not counted). */
static int
sl_pool_held(const struct sl_pool *p, uint64_t key)
{
	int i, n = 0;

	if (key == 0)
		return 0;
	for (i = 0; i < p->size; i++)
		if (p->owner[i] == key)
			n++;
	return n;
}

/* Whether key may take one more connection: all but one of a pool of two
 * or more, so another client always finds one. */
static int
sl_pool_may_take(const struct sl_pool *p, uint64_t key)
{
	return key == 0 || p->size < 2 || sl_pool_held(p, key) < p->size - 1;
}

/* The waiter the next connection goes to: of those whose key may take one
 * more, the one whose key holds the fewest, first come among equals; or
 * NULL. */
static struct sl_pool_waiter *
sl_pool_next(const struct sl_pool *p)
{
	struct sl_pool_waiter *w, *best = NULL;
	int best_held = 0;

	for (w = p->head; w != NULL; w = w->next) {
		int h;

		if (!sl_pool_may_take(p, w->key))
			continue;
		h = sl_pool_held(p, w->key);
		if (best == NULL || h < best_held) {
			best = w;
			best_held = h;
		}
	}
	return best;
}

/* Takes w out of the queue (it gave up). */
static void
sl_pool_unqueue(struct sl_pool *p, struct sl_pool_waiter *w)
{
	struct sl_pool_waiter **pp, *prev = NULL;

	for (pp = &p->head; *pp != NULL; prev = *pp, pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			if (p->tail == w)
				p->tail = prev;
			return;
		}
}

enum sl_rc
sl_pool_get(struct sl_pool *p, int wait_ms, struct sl_db **out,
    struct sl_err *e)
{
	return sl_pool_get_for(p, 0, wait_ms, out, e);
}

enum sl_rc
sl_pool_get_for(struct sl_pool *p, uint64_t key, int wait_ms,
    struct sl_db **out, struct sl_err *e)
{
	struct sl_pool_waiter w;
	pthread_condattr_t ca;
	struct timespec until;
	struct sl_db *db;
	enum sl_rc rc;
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (p->nidle > 0 && sl_pool_may_take(p, key)) {
		/* Idle connections mean nobody waits who may take one: put
		 * hands over. */
		db = p->idle[--p->nidle];
		p->owner[sl_pool_index(p, db)] = key;
		pthread_mutex_unlock(&p->lock);
	} else {
		sl_db_deadline(&until, wait_ms);
		/* Timed waits on the monotonic clock: a clock step must not
		 * stretch or cut them. */
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&w.handed, &ca);
		pthread_condattr_destroy(&ca);
		w.db = NULL;
		w.key = key;
		w.next = NULL;
		if (p->tail != NULL)
			p->tail->next = &w;
		else
			p->head = &w;
		p->tail = &w;
		p->waiting++;
		while (w.db == NULL && err != ETIMEDOUT)
			err = pthread_cond_timedwait(&w.handed, &p->lock,
			    &until);
		p->waiting--;
		db = w.db;
		if (db == NULL) {
			sl_pool_unqueue(p, &w);
			p->timeouts++;
		}
		pthread_mutex_unlock(&p->lock);
		pthread_cond_destroy(&w.handed);
		if (db == NULL)
			return sl_err_set(e, SL_EBUSY, "all %d database "
			    "connections are busy", p->size);
	}

	/* Reconnect outside the lock: it can take connect_timeout_s. */
	if (!sl_db_alive(db) && (rc = sl_db_reset(db, e)) != SL_OK) {
		sl_pool_put(p, db);
		return rc;
	}
	*out = db;
	return SL_OK;
}

void
sl_pool_put(struct sl_pool *p, struct sl_db *db)
{
	struct sl_pool_waiter *w;
	int i;

	if (db == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	i = sl_pool_index(p, db);
	p->owner[i] = 0;
	if ((w = sl_pool_next(p)) != NULL) {
		/* Straight to the waiter whose turn it is. */
		sl_pool_unqueue(p, w);
		p->owner[i] = w->key;
		w->db = db;
		pthread_cond_signal(&w->handed);
	} else {
		assert(p->nidle < p->size);	/* given back twice */
		p->idle[p->nidle++] = db;
	}
	pthread_mutex_unlock(&p->lock);
}

void
sl_pool_stats(struct sl_pool *p, struct sl_pool_stats *st)
{
	pthread_mutex_lock(&p->lock);
	st->size = p->size;
	st->idle = p->nidle;
	st->waiting = p->waiting;
	st->timeouts = p->timeouts;
	pthread_mutex_unlock(&p->lock);
}
