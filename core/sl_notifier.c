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
 * The election is the lease notifier_lease (sql/migrations/0017), claimed
 * with sl_notifier_claim(), which only seatlock_notifier and the owner may
 * call: no advisory lock that any login could take.  The leader renews its
 * beat every SL_NOTIFIER_BEAT_MS; a follower takes over when the beat is
 * older than SL_NOTIFIER_STALE ms or the leader's backend is gone.
 */
#define SL_NOTIFIER_TRY_MS	250	/* a follower's election attempts */
#define SL_NOTIFIER_BEAT_MS	500	/* the leader's renewals */
#define SL_NOTIFIER_STALE	"3000"	/* ms: a beat older frees the lease */
#define SL_NOTIFIER_REAP_MS	1000	/* idle transactions checked */
#define SL_NOTIFIER_RETRY_MS	250	/* first reconnect back-off */
#define SL_NOTIFIER_RETRY_MAX	5000
#define SL_NOTIFIER_VACUUM_MS	1000	/* at most one vacuum in this time */
/* After this many rounds in a row that sent nothing, the leader's rounds
 * come every SL_NOTIFIER_IDLE_MS instead of every interval: an idle site
 * (a box office that leads, at night) costs a fifth of the round trips,
 * and the first sale after a quiet spell waits at most that long. */
#define SL_NOTIFIER_QUIET	50
#define SL_NOTIFIER_IDLE_MS	25

struct sl_notifier {
	struct sl_config	 cfg;
	struct sl_db		*db;
	int			 interval_ms;
	int			 leader;
	int			 quiet;		/* rounds in a row that sent 0 */
	int			 backoff_ms;
	int64_t			 retry_at;	/* ms: next connect attempt */
	int64_t			 try_at;	/* ms: next election attempt */
	int64_t			 round_at;	/* ms: next round */
	int64_t			 beat_at;	/* ms: next renewal (leader) */
	int64_t			 reap_at;	/* ms: next idle check */
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
	/* Its connections are not the program's: they write no "database:
	 * connected" lines into the program's log (which name the booking
	 * connection); failures are in the stats. */
	n->cfg.log = NULL;
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

/* Claims or renews the lease: n->leader says whether this one leads. */
static enum sl_rc
sl_notifier_elect(struct sl_notifier *n, int64_t now, struct sl_err *e)
{
	static const char *const p[] = { SL_NOTIFIER_STALE };
	char buf[8];
	enum sl_rc rc;
	int was = n->leader;

	rc = sl_db_query_value(n->db, "SELECT sl_notifier_claim($1)", 1, p,
	    buf, sizeof buf, e);
	if (rc != SL_OK && strcmp(e->sqlstate, "42501") == 0)
		return sl_err_set(e, rc, "this login may not run the notifier: "
		    "it needs the role seatlock_notifier (seatlock clerk add "
		    "NAME --role notifier)");
	if (rc != SL_OK)
		return rc;
	n->leader = buf[0] == 't';
	n->beat_at = now + SL_NOTIFIER_BEAT_MS;
	if (n->leader == was)
		return SL_OK;
	pthread_mutex_lock(&n->mu);
	n->stats.leader = n->leader;
	if (n->leader)
		n->stats.elections++;
	pthread_mutex_unlock(&n->mu);
	return SL_OK;
}

/*
 * The leader ends clerks' sessions idle in a transaction for longer than
 * the database's setting idle_tx_limit_s (sl_notifier_reap): counted, and
 * the last one kept in the stats for the caller to log.  A failure (an old
 * database) only skips it.
 */
static void
sl_notifier_reap(struct sl_notifier *n, int64_t now)
{
	struct sl_err e;
	PGresult *res;
	int i, rows;

	if (now < n->reap_at)
		return;
	n->reap_at = now + SL_NOTIFIER_REAP_MS;
	if (sl_db_params(n->db, "SELECT sl_notifier_reap()", 0, NULL,
	    PGRES_TUPLES_OK, &res, &e) != SL_OK)
		return;
	rows = PQntuples(res);
	pthread_mutex_lock(&n->mu);
	for (i = 0; i < rows; i++) {
		n->stats.reaped++;
		snprintf(n->stats.last_reaped, sizeof n->stats.last_reaped,
		    "%s", PQgetvalue(res, i, 0));
	}
	pthread_mutex_unlock(&n->mu);
	PQclear(res);
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
	n->quiet = sent > 0 ? 0 : n->quiet + (n->quiet < SL_NOTIFIER_QUIET);
	sl_notifier_vacuum(n, now);
	return SL_OK;
}

enum sl_rc
sl_notifier_turn(struct sl_notifier *n, int *next_ms, struct sl_err *e)
{
	int64_t now = sl_db_now(), wait;
	enum sl_rc rc;
	int was;

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
	if (!n->leader && now < n->try_at) {
		*next_ms = (int)(n->try_at - now);
		return SL_OK;
	}
	/* A follower's attempt, or the leader's beat: renewed, or lost to
	 * another after a stall. */
	if (!n->leader || now >= n->beat_at) {
		was = n->leader;
		rc = sl_notifier_elect(n, now, e);
		if (rc != SL_OK)
			goto fail;
		if (!n->leader) {
			n->try_at = now + SL_NOTIFIER_TRY_MS;
			*next_ms = SL_NOTIFIER_TRY_MS;
			return SL_OK;
		}
		if (!was)
			n->round_at = now;
		sl_notifier_reap(n, now);
	}
	if (now < n->round_at) {
		*next_ms = (int)(n->round_at - now);
		return SL_OK;
	}
	rc = sl_notifier_round(n, now, e);
	if (rc != SL_OK)
		goto fail;
	/* Rounds start every interval (SL_NOTIFIER_IDLE_MS when quiet); a
	 * slow round is followed at once. */
	n->round_at += n->quiet >= SL_NOTIFIER_QUIET &&
	    n->interval_ms < SL_NOTIFIER_IDLE_MS ? SL_NOTIFIER_IDLE_MS :
	    n->interval_ms;
	now = sl_db_now();
	if (n->round_at < now)
		n->round_at = now;
	wait = n->round_at - now;
	if (n->beat_at - now < wait)
		wait = n->beat_at > now ? n->beat_at - now : 0;
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

enum sl_rc
sl_notifier_beat_age(struct sl_db *db, int64_t *age_ms, struct sl_err *e)
{
	char buf[24];
	enum sl_rc rc;

	*age_ms = -1;
	rc = sl_db_query_value(db, "SELECT coalesce(sl_notifier_beat_age(), "
	    "-1)", 0, NULL, buf, sizeof buf, e);
	if (rc == SL_OK && sl_db_int64(buf, age_ms) != 0)
		*age_ms = -1;
	return rc;
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
	char may[8];
	enum sl_rc rc;

	*out = NULL;
	if (strcmp(c->notify_mode, "off") == 0)
		return SL_OK;
	rc = sl_db_query_value(db, "SELECT coalesce(has_function_privilege("
	    "to_regprocedure('sl_notifier_claim(integer)'), 'EXECUTE'), "
	    "false)", 0, NULL, may, sizeof may, e);
	if (rc != SL_OK || may[0] != 't')
		return rc;
	if ((rc = sl_notifier_open(c, out, e)) != SL_OK)
		return rc;
	if ((rc = sl_notifier_start(*out, e)) != SL_OK) {
		sl_notifier_close(*out);
		*out = NULL;
	}
	return rc;
}
