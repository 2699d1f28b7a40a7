/*
 * sl_notifier.c - the elected notifier of batched live push.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sl_db_int.h"
#include "sl_notifier.h"

/*
 * The election lock, a session advisory lock with two int keys ("SL", 8):
 * the two-key form never collides with the bigint keys of the migration
 * lock.  Advisory locks are per database, so is the election.
 */
#define SL_NOTIFIER_LOCK	"21324, 8"

#define SL_NOTIFIER_TRY_MS	250	/* a follower's election attempts */
#define SL_NOTIFIER_RETRY_MS	250	/* first reconnect back-off */
#define SL_NOTIFIER_RETRY_MAX	5000
#define SL_NOTIFIER_VACUUM_MS	1000	/* at most one vacuum in this time */

struct sl_notifier {
	struct sl_config	 cfg;
	struct sl_db		*db;
	int			 interval_ms;
	int			 leader;
	int			 backoff_ms;
	int64_t			 retry_at;	/* ms: next connect attempt */
	int64_t			 try_at;	/* ms: next election attempt */
	int64_t			 round_at;	/* ms: next round */
	int64_t			 vacuum_at;	/* ms: next vacuum, if dirty */
	int64_t			 unvacuumed;	/* sent since the last vacuum */
	struct sl_db		*vac;	/* runs the vacuums, unwaited for */
	int			 vac_busy;	/* one is running on vac */

	pthread_mutex_t		 mu;	/* guards stats, stop, pid */
	pthread_cond_t		 cv;
	struct sl_notifier_stats stats;
	int			 pid;
	int			 stop;
	int			 running;
	pthread_t		 thread;
};

enum sl_rc
sl_notifier_open(const struct sl_config *c, struct sl_notifier **out,
    struct sl_err *e)
{
	struct sl_notifier *n;
	pthread_condattr_t ca;

	n = calloc(1, sizeof *n);
	if (n == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	n->cfg = *c;
	n->interval_ms = (int)c->notify_interval_ms;
	if (n->interval_ms < 1)
		n->interval_ms = 1;
	n->backoff_ms = SL_NOTIFIER_RETRY_MS;
	pthread_mutex_init(&n->mu, NULL);
	/* A monotonic clock for the thread's waits: a clock step must not
	 * stall the push. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&n->cv, &ca);
	pthread_condattr_destroy(&ca);
	*out = n;
	return SL_OK;
}

static void
sl_notifier_fail(struct sl_notifier *n, const struct sl_err *e)
{
	pthread_mutex_lock(&n->mu);
	n->stats.failures++;
	snprintf(n->stats.last_error, sizeof n->stats.last_error, "%s",
	    e->msg);
	pthread_mutex_unlock(&n->mu);
}

static void
sl_notifier_vac_close(struct sl_notifier *n)
{
	sl_db_close(n->vac);
	n->vac = NULL;
	n->vac_busy = 0;
}

/* Drops the connection (and with it the leadership) and schedules a
 * reconnect with exponential back-off. */
static void
sl_notifier_drop(struct sl_notifier *n, int64_t now)
{
	sl_notifier_vac_close(n);
	sl_db_close(n->db);
	n->db = NULL;
	n->leader = 0;
	n->retry_at = now + n->backoff_ms;
	n->backoff_ms *= 2;
	if (n->backoff_ms > SL_NOTIFIER_RETRY_MAX)
		n->backoff_ms = SL_NOTIFIER_RETRY_MAX;
	pthread_mutex_lock(&n->mu);
	n->stats.leader = 0;
	n->pid = 0;
	pthread_mutex_unlock(&n->mu);
}

static enum sl_rc
sl_notifier_connect(struct sl_notifier *n, struct sl_err *e)
{
	PGresult *res;
	enum sl_rc rc;

	rc = sl_db_connect(&n->cfg, &n->db, e);
	if (rc != SL_OK)
		return rc;
	/* Asynchronous commits: see sl_notifier.h.  The name shows the
	 * notifier in pg_stat_activity. */
	rc = sl_db_params(n->db,
	    "SELECT set_config('synchronous_commit', 'off', false), "
	    "set_config('application_name', 'seatlock notifier', false)",
	    0, NULL, PGRES_TUPLES_OK, &res, e);
	if (rc != SL_OK) {
		sl_db_close(n->db);
		n->db = NULL;
		return rc;
	}
	PQclear(res);
	pthread_mutex_lock(&n->mu);
	n->pid = sl_db_backend_pid(n->db);
	pthread_mutex_unlock(&n->mu);
	return SL_OK;
}

static enum sl_rc
sl_notifier_elect(struct sl_notifier *n, struct sl_err *e)
{
	char buf[8];
	enum sl_rc rc;

	rc = sl_db_query_value(n->db,
	    "SELECT pg_try_advisory_lock(" SL_NOTIFIER_LOCK ")", 0, NULL,
	    buf, sizeof buf, e);
	if (rc != SL_OK)
		return rc;
	if (buf[0] == 't') {
		n->leader = 1;
		pthread_mutex_lock(&n->mu);
		n->stats.leader = 1;
		n->stats.elections++;
		pthread_mutex_unlock(&n->mu);
	}
	return SL_OK;
}

/*
 * Every row sent leaves a dead tuple, and the next DELETE scans them all
 * until a vacuum: vacuum the small table now and then instead of waiting
 * for autovacuum's minute.  On a connection of its own, sent and not
 * waited for: a vacuum that takes a CPU's while on a busy machine must not
 * hold up the next round (it made the notifications' slowest percent
 * late).  It is collected on a later round; a failure only skips it.  (A
 * role that does not own the table gets a warning, and autovacuum does
 * it.)
 */
static void
sl_notifier_vacuum(struct sl_notifier *n, int64_t now)
{
	struct sl_err e;
	PGresult *r;
	PGconn *pg;

	if (n->vac_busy) {
		pg = sl_db_pg(n->vac);
		if (!PQconsumeInput(pg)) {
			sl_notifier_vac_close(n);
			return;
		}
		if (PQisBusy(pg))
			return;
		while ((r = PQgetResult(pg)) != NULL)
			PQclear(r);
		n->vac_busy = 0;
	}
	if (n->unvacuumed == 0 || now < n->vacuum_at)
		return;
	n->vacuum_at = now + SL_NOTIFIER_VACUUM_MS;
	if (n->vac == NULL && sl_db_connect(&n->cfg, &n->vac, &e) != SL_OK) {
		n->vac = NULL;
		return;
	}
	if (!PQsendQuery(sl_db_pg(n->vac), "VACUUM show_change")) {
		sl_notifier_vac_close(n);
		return;
	}
	n->vac_busy = 1;
	n->unvacuumed = 0;
}

static enum sl_rc
sl_notifier_round(struct sl_notifier *n, int64_t now, struct sl_err *e)
{
	struct timespec t0, t1;
	char buf[24];
	int64_t sent, us;
	enum sl_rc rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = sl_db_query_value(n->db, "SELECT sl_notify_flush()", 0, NULL,
	    buf, sizeof buf, e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
	if (rc != SL_OK)
		return rc;
	if (sl_db_int64(buf, &sent) != 0)
		return sl_err_set(e, SL_EDB, "sl_notify_flush returned \"%s\"",
		    buf);
	pthread_mutex_lock(&n->mu);
	n->stats.rounds++;
	n->stats.sent += sent;
	n->stats.round_us_sum += us;
	if (us > n->stats.round_us_max)
		n->stats.round_us_max = us;
	pthread_mutex_unlock(&n->mu);
	n->unvacuumed += sent;
	sl_notifier_vacuum(n, now);
	return SL_OK;
}

enum sl_rc
sl_notifier_turn(struct sl_notifier *n, int *next_ms, struct sl_err *e)
{
	int64_t now = sl_db_now(), wait;
	enum sl_rc rc;

	*next_ms = n->interval_ms;
	if (n->db == NULL || !sl_db_alive(n->db)) {
		if (n->db != NULL)
			sl_notifier_drop(n, now);
		if (now < n->retry_at) {
			*next_ms = (int)(n->retry_at - now);
			return SL_OK;
		}
		rc = sl_notifier_connect(n, e);
		if (rc != SL_OK) {
			sl_notifier_drop(n, now);
			*next_ms = (int)(n->retry_at - now);
			return rc;
		}
		n->backoff_ms = SL_NOTIFIER_RETRY_MS;
		n->try_at = now;
	}
	if (!n->leader) {
		if (now < n->try_at) {
			*next_ms = (int)(n->try_at - now);
			return SL_OK;
		}
		rc = sl_notifier_elect(n, e);
		if (rc != SL_OK)
			goto fail;
		if (!n->leader) {
			n->try_at = now + SL_NOTIFIER_TRY_MS;
			*next_ms = SL_NOTIFIER_TRY_MS;
			return SL_OK;
		}
		n->round_at = now;
	}
	if (now < n->round_at) {
		*next_ms = (int)(n->round_at - now);
		return SL_OK;
	}
	rc = sl_notifier_round(n, now, e);
	if (rc != SL_OK)
		goto fail;
	/* Rounds start every interval; a slow round is followed at once. */
	n->round_at += n->interval_ms;
	now = sl_db_now();
	if (n->round_at < now)
		n->round_at = now;
	wait = n->round_at - now;
	*next_ms = (int)wait;
	return SL_OK;
fail:
	if (rc == SL_ECONN || !sl_db_alive(n->db))
		sl_notifier_drop(n, now);
	else {
		/* A failed round (a deadlock with a per-commit session, a
		 * missing migration) is tried again, without hammering. */
		n->round_at = now + 100 * n->interval_ms;
		*next_ms = 100 * n->interval_ms;
		return rc;
	}
	*next_ms = (int)(n->retry_at - now);
	return rc;
}

static void *
sl_notifier_main(void *arg)
{
	struct sl_notifier *n = arg;
	struct timespec ts;
	struct sl_err e;
	int next_ms;

	for (;;) {
		pthread_mutex_lock(&n->mu);
		if (n->stop) {
			pthread_mutex_unlock(&n->mu);
			break;
		}
		pthread_mutex_unlock(&n->mu);
		sl_err_clear(&e);
		if (sl_notifier_turn(n, &next_ms, &e) != SL_OK)
			sl_notifier_fail(n, &e);
		if (next_ms <= 0)
			continue;
		sl_db_deadline(&ts, next_ms);
		pthread_mutex_lock(&n->mu);
		while (!n->stop &&
		    pthread_cond_timedwait(&n->cv, &n->mu, &ts) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&n->mu);
	}
	return NULL;
}

enum sl_rc
sl_notifier_start(struct sl_notifier *n, struct sl_err *e)
{
	if (n->running)
		return sl_err_set(e, SL_EINVAL, "the notifier runs already");
	n->stop = 0;
	if (pthread_create(&n->thread, NULL, sl_notifier_main, n) != 0)
		return sl_err_set(e, SL_ENOMEM, "cannot start a thread");
	n->running = 1;
	return SL_OK;
}

void
sl_notifier_stop(struct sl_notifier *n)
{
	if (n == NULL || !n->running)
		return;
	pthread_mutex_lock(&n->mu);
	n->stop = 1;
	pthread_cond_signal(&n->cv);
	pthread_mutex_unlock(&n->mu);
	pthread_join(n->thread, NULL);
	n->running = 0;
}

void
sl_notifier_close(struct sl_notifier *n)
{
	if (n == NULL)
		return;
	sl_notifier_stop(n);
	sl_notifier_vac_close(n);
	sl_db_close(n->db);
	pthread_cond_destroy(&n->cv);
	pthread_mutex_destroy(&n->mu);
	free(n);
}

void
sl_notifier_stats(struct sl_notifier *n, struct sl_notifier_stats *s)
{
	pthread_mutex_lock(&n->mu);
	*s = n->stats;
	pthread_mutex_unlock(&n->mu);
}

int
sl_notifier_backend_pid(struct sl_notifier *n)
{
	int pid;

	pthread_mutex_lock(&n->mu);
	pid = n->pid;
	pthread_mutex_unlock(&n->mu);
	return pid;
}

enum sl_rc
sl_notifier_auto(const struct sl_config *c, struct sl_db *db,
    struct sl_notifier **out, struct sl_err *e)
{
	char mode[32];
	enum sl_rc rc;

	*out = NULL;
	rc = sl_db_query_value(db, "SELECT coalesce(nullif(current_setting("
	    "'seatlock.notify_mode', true), ''), 'per-commit')", 0, NULL,
	    mode, sizeof mode, e);
	if (rc != SL_OK || strcmp(mode, "batched") != 0)
		return rc;
	if ((rc = sl_notifier_open(c, out, e)) != SL_OK)
		return rc;
	if ((rc = sl_notifier_start(*out, e)) != SL_OK) {
		sl_notifier_close(*out);
		*out = NULL;
	}
	return rc;
}
