/*
 * sl_pool.c - a fixed set of database connections shared by threads: a
 * stack of idle connections under one mutex, and a queue of the threads
 * that wait for one.  A connection given back goes straight to the first
 * waiter, so waiters are served in turn: a thread that gives one back and
 * asks again at once (a busy API worker, a bench client) does not take it
 * from under a thread that has waited longer.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "sl_db_int.h"
#include "sl_pool.h"

/* A thread waiting in sl_pool_get, on its own stack. */
struct sl_pool_waiter {
	pthread_cond_t		 handed;	/* db was set */
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
	if (p->all == NULL || p->idle == NULL) {
		free(p->all);
		free(p->idle);
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
	free(p);
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
	struct sl_pool_waiter w;
	pthread_condattr_t ca;
	struct timespec until;
	struct sl_db *db;
	enum sl_rc rc;
	int err = 0;

	pthread_mutex_lock(&p->lock);
	if (p->nidle > 0) {
		/* Idle connections mean nobody waits: put hands over. */
		db = p->idle[--p->nidle];
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

	if (db == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	if ((w = p->head) != NULL) {
		/* Straight to the first in the queue. */
		p->head = w->next;
		if (p->head == NULL)
			p->tail = NULL;
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
