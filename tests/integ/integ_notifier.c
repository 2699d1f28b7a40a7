/*
 * integ_notifier.c - batched live push (sql/functions/notify.sql, core/sl_notifier.c)
 * against the real PostgreSQL: a listener hears every booked seat exactly
 * once with a gapless per-show sequence; a second notifier neither leads
 * nor sends while the first holds the lock, and takes over when the first
 * goes; merged payloads; per-commit and batched sessions side by side.
 */
#include <pthread.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "integ/testdb.h"
#include "sl_notifier.h"

#define NSHOWS		2
#define ROWS		4
#define PER_ROW		10
#define NSEATS		(ROWS * PER_ROW)
#define WAIT_MS		20000	/* bounded, generous for a loaded machine */

static struct sl_config
cfg_mode(const char *mode)
{
	struct sl_config c;

	sl_config_defaults(&c);
	snprintf(c.notify_mode, sizeof c.notify_mode, "%s", mode);
	c.notify_interval_ms = 5;
	return c;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* What a listener has heard about the test's shows. */
struct heard {
	int64_t	show[NSHOWS];
	int64_t	seat_id[NSHOWS][NSEATS];	/* the venue's seat ids */
	int	count[NSHOWS][NSEATS];		/* times each seat was named */
	int64_t	last_seq[NSHOWS];
	int	gaps;
	int	foreign;	/* seats or shows not of the test */
	int	reloads;
	int	notifications;
	char	last_state[32];
};

static int
show_index(const struct heard *h, int64_t show)
{
	int i;

	for (i = 0; i < NSHOWS; i++)
		if (h->show[i] == show)
			return i;
	return -1;
}

/* Reads a number after "key": in a json_build_object payload. */
static const char *
json_after(const char *p, const char *key)
{
	char k[32];

	snprintf(k, sizeof k, "\"%s\"", key);
	p = strstr(p, k);
	if (p == NULL)
		return NULL;
	p += strlen(k);
	while (*p == ' ' || *p == ':')
		p++;
	return p;
}

static void
take(struct heard *h, const char *payload)
{
	const char *p;
	char *end;
	int64_t show, seq, id;
	int si, k;
	size_t n;

	h->notifications++;
	assert_non_null(p = json_after(payload, "show"));
	show = strtoll(p, NULL, 10);
	assert_non_null(p = json_after(payload, "seq"));
	seq = strtoll(p, NULL, 10);
	assert_non_null(p = json_after(payload, "state"));
	if (*p == '"') {
		for (n = 0; p[n + 1] != '"' && n + 1 < sizeof h->last_state;
		    n++)
			h->last_state[n] = p[n + 1];
		h->last_state[n] = '\0';
	}
	si = show_index(h, show);
	if (si < 0) {
		h->foreign++;
		return;
	}
	if (seq != h->last_seq[si] + 1)
		h->gaps++;
	h->last_seq[si] = seq;
	assert_non_null(p = json_after(payload, "seats"));
	if (strncmp(p, "null", 4) == 0) {
		h->reloads++;
		return;
	}
	assert_int_equal(*p, '[');
	p++;
	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == ']')
			break;
		id = strtoll(p, &end, 10);
		assert_true(end != p);
		p = end;
		for (k = 0; k < NSEATS; k++)
			if (h->seat_id[si][k] == id)
				break;
		if (k == NSEATS)
			h->foreign++;
		else
			h->count[si][k]++;
	}
}

/* Reads notifications for up to ms, or until done(h) holds. */
static void
listen_for(PGconn *pg, struct heard *h, int ms, int (*done)(struct heard *,
    void *), void *arg)
{
	int64_t end = now_ms() + ms;
	struct pollfd pfd;
	PGnotify *nt;

	pfd.fd = PQsocket(pg);
	pfd.events = POLLIN;
	while (now_ms() < end) {
		if (done != NULL && done(h, arg))
			return;
		poll(&pfd, 1, 50);
		assert_true(PQconsumeInput(pg));
		while ((nt = PQnotifies(pg)) != NULL) {
			take(h, nt->extra);
			PQfreemem(nt);
			PQconsumeInput(pg);
		}
	}
}

/* Heard every seat marked in want (a [NSHOWS][NSEATS] array of 0/1). */
static int
heard_all(struct heard *h, void *arg)
{
	const int (*want)[NSEATS] = arg;
	int s, k;

	for (s = 0; s < NSHOWS; s++)
		for (k = 0; k < NSEATS; k++)
			if (want[s][k] && h->count[s][k] == 0)
				return 0;
	return 1;
}

static void
setup_heard(struct sl_db *db, PGconn *pg, struct heard *h, int64_t *shows)
{
	struct sl_seats *ss;
	struct sl_err e;
	char sql[96];
	int s;
	size_t k;

	memset(h, 0, sizeof *h);
	for (s = 0; s < NSHOWS; s++) {
		h->show[s] = shows[s];
		assert_int_equal(sl_show_seats(db, shows[s], &ss, &e), SL_OK);
		assert_int_equal(ss->n, NSEATS);
		/* ordered by position: A1..A10, B1.. */
		for (k = 0; k < ss->n; k++)
			h->seat_id[s][k] = ss->seat[k].id;
		h->last_seq[s] = ss->change_seq;
		sl_seats_free(ss);
		snprintf(sql, sizeof sql, "LISTEN seatlock_show_%" PRId64,
		    shows[s]);
		PQclear(PQexec(pg, sql));
	}
}

static void
label_of(int k, char *buf, size_t n)
{
	snprintf(buf, n, "%c%d", 'A' + k / PER_ROW, k % PER_ROW + 1);
}

struct booker {
	struct sl_config	*cfg;
	int64_t			 show;
	int64_t			 user;
	int			 first, n;	/* seats first .. first+n-1 */
	int			 ok;
};

static void *
booker_main(void *arg)
{
	struct booker *b = arg;
	struct sl_booking *bk;
	struct sl_db *db = NULL;
	struct sl_err e;
	char label[8];
	const char *lp[1] = { label };
	size_t nb;
	int i;

	if (sl_db_connect(b->cfg, &db, &e) != SL_OK)
		return NULL;
	for (i = 0; i < b->n; i++) {
		label_of(b->first + i, label, sizeof label);
		if (sl_book_seats(db, b->show, lp, 1, b->user, NULL, &bk, &nb,
		    &e) == SL_OK) {
			b->ok++;
			free(bk);
		}
	}
	sl_db_close(db);
	return NULL;
}

static void
wait_leader(struct sl_notifier *n)
{
	struct sl_notifier_stats st;
	int64_t end = now_ms() + WAIT_MS;

	do {
		sl_notifier_stats(n, &st);
		if (st.leader)
			return;
		sleep_ms(20);
	} while (now_ms() < end);
	fail_msg("the notifier did not become the leader: %s", st.last_error);
}

static int64_t
change_seq(PGconn *pg, int64_t show)
{
	return tdb_int(pg, "SELECT change_seq FROM show WHERE show_id = %"
	    PRId64, show);
}

/* Two fresh shows listened to on pg, a customer, nothing wanted yet. */
static void
two_shows(struct sl_db *db, PGconn *pg, struct heard *h, int64_t *shows,
    int64_t *user, int want[NSHOWS][NSEATS])
{
	int s;

	for (s = 0; s < NSHOWS; s++)
		shows[s] = tdb_show(db, ROWS, PER_ROW);
	*user = tdb_user(db);
	setup_heard(db, pg, h, shows);
	memset(want, 0, sizeof(int) * NSHOWS * NSEATS);
}

/* Every wanted seat heard exactly once (anything sent twice would come
 * within a few rounds more), no gap, nothing foreign, and each show's
 * last sequence heard is its change_seq. */
static void
heard_once(PGconn *pg, struct heard *h, const int64_t *shows,
    int want[NSHOWS][NSEATS])
{
	int s, k;

	listen_for(pg, h, WAIT_MS, heard_all, want);
	listen_for(pg, h, 300, NULL, NULL);
	for (s = 0; s < NSHOWS; s++)
		for (k = 0; k < NSEATS; k++)
			assert_int_equal(h->count[s][k], want[s][k]);
	assert_int_equal(h->gaps, 0);
	assert_int_equal(h->foreign, 0);
	for (s = 0; s < NSHOWS; s++)
		assert_int_equal(change_seq(pg, shows[s]), h->last_seq[s]);
}

/* Eight threads book seats 0..19 of each show, five each, and are
 * joined; want marks the seats. */
static void
book_eight(struct sl_config *cfg, const int64_t *shows, int64_t user,
    int want[NSHOWS][NSEATS])
{
	struct booker bk[8];
	pthread_t th[8];
	int i, k;

	for (i = 0; i < 8; i++) {
		bk[i].cfg = cfg;
		bk[i].show = shows[i % NSHOWS];
		bk[i].user = user;
		bk[i].first = (i / NSHOWS) * 5;
		bk[i].n = 5;
		bk[i].ok = 0;
		for (k = bk[i].first; k < bk[i].first + 5; k++)
			want[i % NSHOWS][k] = 1;
		assert_int_equal(pthread_create(&th[i], NULL, booker_main,
		    &bk[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(bk[i].ok, 5);
	}
}

/*
 * Eight threads book 40 seats of two shows in batched mode while two
 * notifiers run; the listener hears each seat exactly once, in a gapless
 * sequence per show; the follower sends nothing.  Then the leader goes,
 * the follower takes over, and ten more bookings are heard the same way.
 */
static void
batched_failover(void **state)
{
	struct sl_config cb = cfg_mode("batched");
	struct sl_notifier *a, *b;
	struct sl_notifier_stats sa, sb;
	struct sl_db *db = tdb_connect();
	struct booker bk[NSHOWS];
	struct heard h;
	struct sl_err e;
	PGconn *pg = tdb_pg();
	int64_t shows[NSHOWS], user;
	int want[NSHOWS][NSEATS], i, s, k;

	(void)state;
	two_shows(db, pg, &h, shows, &user, want);

	assert_int_equal(sl_notifier_open(&cb, &a, &e), SL_OK);
	assert_int_equal(sl_notifier_start(a, &e), SL_OK);
	wait_leader(a);
	assert_int_equal(sl_notifier_open(&cb, &b, &e), SL_OK);
	assert_int_equal(sl_notifier_start(b, &e), SL_OK);

	/* seats 0..19 of each show, five per thread */
	book_eight(&cb, shows, user, want);
	heard_once(pg, &h, shows, want);
	assert_int_equal(h.reloads, 0);

	sl_notifier_stats(a, &sa);
	sl_notifier_stats(b, &sb);
	assert_int_equal(sa.leader, 1);
	assert_int_equal(sb.leader, 0);
	assert_int_equal(sb.rounds, 0);
	assert_int_equal(sb.sent, 0);
	assert_true(sa.sent >= 2);

	/* The leader goes (its connection closes): the follower takes
	 * over within its election interval. */
	sl_notifier_close(a);
	wait_leader(b);
	for (i = 0; i < NSHOWS; i++) {
		bk[i].cfg = &cb;
		bk[i].user = user;
		bk[i].show = shows[i];
		bk[i].first = 20;
		bk[i].n = 5;
		bk[i].ok = 0;
		for (k = 20; k < 25; k++)
			want[i][k] = 1;
		booker_main(&bk[i]);
		assert_int_equal(bk[i].ok, 5);
	}
	listen_for(pg, &h, WAIT_MS, heard_all, want);
	listen_for(pg, &h, 300, NULL, NULL);
	for (s = 0; s < NSHOWS; s++)
		for (k = 0; k < NSEATS; k++)
			assert_int_equal(h.count[s][k], want[s][k]);
	assert_int_equal(h.gaps, 0);
	assert_int_equal(h.foreign, 0);
	sl_notifier_stats(b, &sb);
	assert_true(sb.sent >= 2);
	assert_int_equal(sb.elections, 1);
	sl_notifier_close(b);

	/* Nothing is left behind in the change log; the invariant holds. */
	for (s = 0; s < NSHOWS; s++) {
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_change "
		    "WHERE show_id = %" PRId64, shows[s]), 0);
		assert_int_equal(tdb_double_bookings(pg, shows[s]), 0);
		assert_int_equal(tdb_state_mismatches(pg, shows[s]), 0);
	}
	PQfinish(pg);
	sl_db_close(db);
}

/*
 * One round merges a show's changes: sorted distinct seats, the common
 * state or "changed"; a change without seats makes the payload say
 * "reload"; one sequence number per show and round.
 */
static void
flush_merges(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct heard h;
	int64_t shows[NSHOWS], a, b;
	int s;

	(void)state;
	for (s = 0; s < NSHOWS; s++)
		shows[s] = tdb_show(db, ROWS, PER_ROW);
	setup_heard(db, pg, &h, shows);
	a = h.seat_id[0][3];
	b = h.seat_id[0][1];
	/* Straight into the log, as sl_publish does in batched mode. */
	tdb_int(pg, "WITH i AS (INSERT INTO show_change (show_id, state, "
	    "seats) VALUES (%" PRId64 ", 'booked', ARRAY[%" PRId64 ", %"
	    PRId64 "]), (%" PRId64 ", 'available', ARRAY[%" PRId64 "]), "
	    "(%" PRId64 ", 'booked', ARRAY[%" PRId64 "]) RETURNING 1) "
	    "SELECT count(*) FROM i", shows[0], a, b, shows[0], a, shows[1],
	    h.seat_id[1][0]);
	assert_int_equal(tdb_int(pg, "SELECT sl_notify_flush()"), 2);
	listen_for(pg, &h, 2000, NULL, NULL);
	assert_int_equal(h.notifications, 2);
	assert_int_equal(h.count[0][3], 1);
	assert_int_equal(h.count[0][1], 1);
	assert_int_equal(h.count[1][0], 1);
	assert_int_equal(h.gaps, 0);
	assert_int_equal(change_seq(pg, shows[0]), 1);

	/* Mixed states are "changed"; seats of both notified once. */
	tdb_int(pg, "WITH i AS (INSERT INTO show_change (show_id, state, "
	    "seats) VALUES (%" PRId64 ", 'booked', ARRAY[%" PRId64 "]), "
	    "(%" PRId64 ", 'available', ARRAY[%" PRId64 "]) RETURNING 1) "
	    "SELECT count(*) FROM i", shows[1], h.seat_id[1][5], shows[1],
	    h.seat_id[1][6]);
	assert_int_equal(tdb_int(pg, "SELECT sl_notify_flush()"), 1);
	listen_for(pg, &h, 2000, NULL, NULL);
	assert_string_equal(h.last_state, "changed");
	assert_int_equal(h.count[1][5], 1);
	assert_int_equal(h.count[1][6], 1);

	/* A change without seats: reload. */
	tdb_int(pg, "WITH i AS (INSERT INTO show_change (show_id, state) "
	    "VALUES (%" PRId64 ", 'blocked') RETURNING 1) SELECT count(*) "
	    "FROM i", shows[0]);
	assert_int_equal(tdb_int(pg, "SELECT sl_notify_flush()"), 1);
	listen_for(pg, &h, 2000, NULL, NULL);
	assert_int_equal(h.reloads, 1);
	assert_int_equal(h.gaps, 0);
	assert_int_equal(h.foreign, 0);
	assert_int_equal(tdb_int(pg, "SELECT sl_notify_flush()"), 0);
	PQfinish(pg);
	sl_db_close(db);
}

/*
 * Every mode a session may set (per-commit, batched, off) is announced the
 * same way (issue 17, finding 4: never the seller's choice): with no
 * notifier running nothing is heard and no sequence moves, the changes
 * wait in the log; once a notifier leads, every seat is heard once, the
 * sequence has no gap, the interleaved modes too.
 */
static void
modes_side_by_side(void **state)
{
	struct sl_config cp = cfg_mode("per-commit"), cb = cfg_mode("batched");
	struct sl_config co = cfg_mode("off");
	struct sl_db *db = tdb_connect();
	struct sl_notifier *n;
	struct booker bk;
	struct heard h;
	struct sl_err e;
	PGconn *pg = tdb_pg();
	int64_t shows[NSHOWS], user;
	int want[NSHOWS][NSEATS], k, i;

	(void)state;
	shows[0] = tdb_show(db, ROWS, PER_ROW);
	shows[1] = tdb_show(db, ROWS, PER_ROW);
	user = tdb_user(db);
	setup_heard(db, pg, &h, shows);
	memset(want, 0, sizeof want);

	/* per-commit and off, no notifier running: logged, not yet sent */
	bk.cfg = &cp;
	bk.show = shows[0];
	bk.user = user;
	bk.first = 0;
	bk.n = 2;
	bk.ok = 0;
	booker_main(&bk);
	bk.cfg = &co;
	bk.first = 2;
	bk.n = 1;
	booker_main(&bk);
	assert_int_equal(bk.ok, 3);
	want[0][0] = want[0][1] = want[0][2] = 1;
	listen_for(pg, &h, 200, NULL, NULL);
	assert_int_equal(h.count[0][0] + h.count[0][2], 0);
	assert_int_equal(change_seq(pg, shows[0]), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_change "
	    "WHERE show_id = %" PRId64, shows[0]), 3);

	/* both modes interleaved, with a notifier */
	assert_int_equal(sl_notifier_open(&cb, &n, &e), SL_OK);
	assert_int_equal(sl_notifier_start(n, &e), SL_OK);
	wait_leader(n);
	for (i = 0; i < 6; i++) {
		bk.cfg = i % 2 ? &cp : &cb;
		bk.first = 10 + i;
		bk.n = 1;
		booker_main(&bk);
		want[0][10 + i] = 1;
	}
	listen_for(pg, &h, WAIT_MS, heard_all, want);
	listen_for(pg, &h, 200, NULL, NULL);
	for (k = 0; k < NSEATS; k++)
		assert_int_equal(h.count[0][k], want[0][k]);
	assert_int_equal(h.gaps, 0);
	assert_int_equal(h.last_seq[0], change_seq(pg, shows[0]));
	sl_notifier_close(n);
	assert_int_equal(tdb_double_bookings(pg, shows[0]), 0);
	PQfinish(pg);
	sl_db_close(db);
}

struct flusher {
	volatile int	*stop;
	int		 rounds;
};

/* Flushes in a loop on a connection of its own until *stop, as a leader
 * would (bounded: at most 20 s). */
static void *
flusher_main(void *arg)
{
	struct flusher *f = arg;
	PGconn *pg = tdb_pg();
	int64_t end = now_ms() + WAIT_MS;

	while (!*f->stop && now_ms() < end) {
		tdb_flush(pg);
		f->rounds++;
	}
	PQfinish(pg);
	return NULL;
}

/*
 * Two leaders for a moment (a stalled leader whose lease another took over
 * still runs a round): two sessions flush at once, round after round,
 * while eight threads book.  Each change is still sent once, and every
 * show's sequence arrives in order without a gap (the flush's DELETE takes
 * each change once; change_seq is bumped under the show row's lock).
 */
static void
two_leaders_at_once(void **state)
{
	struct sl_config cb = cfg_mode("batched");
	struct sl_db *db = tdb_connect();
	struct flusher fl[2];
	pthread_t ft[2];
	volatile int stop = 0;
	struct heard h;
	PGconn *pg = tdb_pg();
	int64_t shows[NSHOWS], user;
	int want[NSHOWS][NSEATS], i;

	(void)state;
	two_shows(db, pg, &h, shows, &user, want);
	for (i = 0; i < 2; i++) {
		fl[i].stop = &stop;
		fl[i].rounds = 0;
		assert_int_equal(pthread_create(&ft[i], NULL, flusher_main,
		    &fl[i]), 0);
	}
	book_eight(&cb, shows, user, want);
	heard_once(pg, &h, shows, want);
	stop = 1;
	for (i = 0; i < 2; i++) {
		pthread_join(ft[i], NULL);
		assert_true(fl[i].rounds > 0);
	}
	PQfinish(pg);
	sl_db_close(db);
}

/*
 * The lease (0017): a second session's claim is refused while the holder
 * beats; the holder renews; once the holder's backend is gone another
 * takes it at once.
 */
static void
lease_claims(void **state)
{
	PGconn *a = tdb_pg(), *b = tdb_pg();

	(void)state;
	/* a takes it (after whatever held it before: a stale beat or a
	 * backend gone; wait out a live leader of another test, bounded) */
	for (int64_t end = now_ms() + WAIT_MS; now_ms() < end; sleep_ms(200))
		if (tdb_int(a, "SELECT sl_notifier_claim(3000)::int") == 1)
			break;
	assert_int_equal(tdb_int(a, "SELECT pid FROM notifier_lease"),
	    PQbackendPID(a));
	assert_int_equal(tdb_int(b, "SELECT sl_notifier_claim(3000)::int"), 0);
	assert_int_equal(tdb_int(a, "SELECT sl_notifier_claim(3000)::int"), 1);
	assert_true(tdb_int(b, "SELECT sl_notifier_beat_age()") < 3000);
	PQfinish(a);
	for (int64_t end = now_ms() + WAIT_MS; now_ms() < end; sleep_ms(50))
		if (tdb_int(b, "SELECT sl_notifier_claim(3000)::int") == 1)
			break;
	assert_int_equal(tdb_int(b, "SELECT pid FROM notifier_lease"),
	    PQbackendPID(b));
	PQfinish(b);
}

/* show_change's vacuums so far, as the statistics have them. */
static int
vacuums(PGconn *pg)
{
	PQclear(PQexec(pg, "SELECT pg_stat_clear_snapshot()"));
	return tdb_int(pg, "SELECT vacuum_count FROM pg_stat_user_tables "
	    "WHERE relname = 'show_change'");
}

/*
 * The leader vacuums the change log now and then, on a connection of its
 * own and without waiting for it: its rounds go on meanwhile, and the
 * vacuum is collected by a later round.
 */
static void
vacuum_on_the_side(void **state)
{
	struct sl_config cb = cfg_mode("batched");
	struct sl_db *db = tdb_connect();
	struct sl_notifier *n;
	struct sl_notifier_stats st;
	struct booker bk;
	struct sl_err e;
	PGconn *pg = tdb_pg();
	int64_t end;
	int v0, v1 = 0, vac_backends;

	(void)state;
	bk.cfg = &cb;
	bk.show = tdb_show(db, ROWS, PER_ROW);
	bk.user = tdb_user(db);
	bk.first = 0;
	bk.n = 4;
	bk.ok = 0;
	v0 = vacuums(pg);
	assert_int_equal(sl_notifier_open(&cb, &n, &e), SL_OK);
	assert_int_equal(sl_notifier_start(n, &e), SL_OK);
	wait_leader(n);
	booker_main(&bk);
	assert_int_equal(bk.ok, 4);
	/* A vacuum at most once a second, after something was sent. */
	for (end = now_ms() + WAIT_MS; now_ms() < end; sleep_ms(100))
		if ((v1 = vacuums(pg)) > v0)
			break;
	assert_true(v1 > v0);
	/* Two connections of the notifier's: rounds and vacuums. */
	vac_backends = tdb_int(pg, "SELECT count(*) FROM pg_stat_activity "
	    "WHERE pid <> pg_backend_pid() AND (query LIKE 'VACUUM "
	    "show_change%%' OR pid = %d)", sl_notifier_backend_pid(n));
	assert_int_equal(vac_backends, 2);
	sl_notifier_stats(n, &st);
	assert_int_equal(st.failures, 0);
	assert_true(st.rounds > 0);
	sl_notifier_close(n);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batched_failover),
		cmocka_unit_test(two_leaders_at_once),
		cmocka_unit_test(lease_claims),
		cmocka_unit_test(flush_merges),
		cmocka_unit_test(modes_side_by_side),
		cmocka_unit_test(vacuum_on_the_side),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
