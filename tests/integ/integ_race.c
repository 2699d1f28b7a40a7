/*
 * integ_race.c - real threads, each with its own connection, started
 * together at a barrier, against the real PostgreSQL:
 *  - 64 threads book one seat: exactly one wins, 63 are told "taken";
 *  - 32 pairs book {A,B} and {B,A}: one of each pair wins, no deadlock;
 *  - a storm of bookings and cancels over 50 seats from 16 threads, after
 *    which the database must agree, in SQL, with what the threads were told.
 *
 * No timing is asserted: the outcomes are.  A lock timeout (SL_EBUSY) in
 * the first two would mean the booking transaction holds its locks far too
 * long, and fails the test.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#define MAXT	64

struct racer {
	pthread_t		 tid;
	pthread_barrier_t	*barrier;
	struct sl_db		*db;
	int64_t			 show, user;
	const char		*labels[3];
	size_t			 nlabels;
	enum sl_rc		 rc;
	struct sl_err		 e;
	struct sl_booking	*b;
	size_t			 n;
};

static void *
racer_run(void *p)
{
	struct racer *r = p;

	pthread_barrier_wait(r->barrier);
	r->rc = sl_book_seats(r->db, r->show, r->labels, r->nlabels, r->user,
	    NULL, &r->b, &r->n, &r->e);
	return NULL;
}

/* Starts n racers together and waits for all of them. */
static void
race(struct racer *r, int n)
{
	pthread_barrier_t barrier;
	int i;

	pthread_barrier_init(&barrier, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		r[i].barrier = &barrier;
		r[i].b = NULL;
		r[i].n = 0;
		sl_err_clear(&r[i].e);
		if (pthread_create(&r[i].tid, NULL, racer_run, &r[i]) != 0)
			fail_msg("pthread_create");
	}
	for (i = 0; i < n; i++)
		pthread_join(r[i].tid, NULL);
	pthread_barrier_destroy(&barrier);
}

static void
test_one_seat_64(void **state)
{
	static const char *const seats[] = { "A1", "A2", "B3" };
	struct racer r[MAXT];
	struct sl_db *db = tdb_connect(), *conns[MAXT];
	PGconn *pg = tdb_pg();
	struct sl_config c;
	int64_t show, winner, user[4];
	int i, round, ok, conflict;

	(void)state;
	show = tdb_show(db, 2, 4);
	for (i = 0; i < 4; i++)
		user[i] = tdb_user(db);
	/* no retries inside the core: every outcome is seen */
	sl_config_defaults(&c);
	c.retries = 0;
	tdb_connect_many(&c, conns, MAXT);
	for (i = 0; i < MAXT; i++) {
		r[i].db = conns[i];
		r[i].show = show;
		r[i].user = user[i % 4];
		r[i].nlabels = 1;
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < MAXT; i++)
			r[i].labels[0] = seats[round];
		race(r, MAXT);
		ok = conflict = 0;
		winner = 0;
		for (i = 0; i < MAXT; i++) {
			switch (r[i].rc) {
			case SL_OK:
				ok++;
				assert_int_equal(r[i].n, 1);
				assert_string_equal(r[i].b[0].label,
				    seats[round]);
				winner = r[i].b[0].id;
				free(r[i].b);
				break;
			case SL_ECONFLICT:
				conflict++;
				assert_string_equal(r[i].e.detail,
				    seats[round]);
				break;
			default:
				fail_msg("round %d thread %d: %s: %s", round,
				    i, sl_rc_name(r[i].rc), r[i].e.msg);
			}
		}
		print_message("one seat, 64 threads, round %d: %d booked, %d "
		    "taken\n", round + 1, ok, conflict);
		assert_int_equal(ok, 1);
		assert_int_equal(conflict, MAXT - 1);
		/* the winner's booking is the seat's only booking */
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking b "
		    "JOIN seat s ON s.seat_id = b.seat_id WHERE b.show_id = %"
		    PRId64 " AND s.label = '%s'", show, seats[round]), 1);
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking "
		    "WHERE booking_id = %" PRId64 " AND status = 'active'",
		    winner), 1);
	}
	assert_int_equal(tdb_active(pg, show), 3);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	for (i = 0; i < MAXT; i++)
		sl_db_close(r[i].db);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_pairs_32(void **state)
{
	struct racer r[MAXT];
	struct sl_db *db = tdb_connect(), *conns[MAXT];
	PGconn *pg = tdb_pg();
	struct sl_config c;
	char lab[MAXT][16], both[40];
	int64_t show, user;
	int i, round, p;

	(void)state;
	user = tdb_user(db);
	/* no retries: a deadlock would reach us as SL_ERETRY */
	sl_config_defaults(&c);
	c.retries = 0;
	tdb_connect_many(&c, conns, MAXT);
	for (i = 0; i < MAXT; i++) {
		/* seats of 4 rows of 16: A1..A16, B1..B16, ... */
		snprintf(lab[i], sizeof lab[i], "%c%d", 'A' + i / 16,
		    i % 16 + 1);
		r[i].db = conns[i];
		r[i].user = user;
		r[i].nlabels = 2;
	}
	for (round = 0; round < 3; round++) {
		show = tdb_show(db, 4, 16);
		for (i = 0; i < MAXT; i++) {
			p = i / 2;
			r[i].show = show;
			/* pair p: seats 2p and 2p+1, asked in both orders */
			r[i].labels[0] = lab[2 * p + i % 2];
			r[i].labels[1] = lab[2 * p + 1 - i % 2];
		}
		race(r, MAXT);
		for (p = 0; p < MAXT / 2; p++) {
			struct racer *x = &r[2 * p], *y = &r[2 * p + 1];
			struct racer *w = x->rc == SL_OK ? x : y;
			struct racer *l = w == x ? y : x;

			if ((x->rc != SL_OK && x->rc != SL_ECONFLICT) ||
			    (y->rc != SL_OK && y->rc != SL_ECONFLICT))
				fail_msg("round %d pair %d: %s (%s) / %s (%s)",
				    round, p, sl_rc_name(x->rc), x->e.msg,
				    sl_rc_name(y->rc), y->e.msg);
			if (w->rc != SL_OK || l->rc != SL_ECONFLICT)
				fail_msg("round %d pair %d: %s / %s", round, p,
				    sl_rc_name(x->rc), sl_rc_name(y->rc));
			assert_int_equal(w->n, 2);
			/* seat order, whichever order was asked */
			assert_string_equal(w->b[0].label, lab[2 * p]);
			assert_string_equal(w->b[1].label, lab[2 * p + 1]);
			free(w->b);
			/* the loser is told both seats are taken */
			snprintf(both, sizeof both, "%.16s %.16s", lab[2 * p],
			    lab[2 * p + 1]);
			assert_string_equal(l->e.detail, both);
		}
		assert_int_equal(tdb_active(pg, show), MAXT);
		/* each pair's two seats went to one request */
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM (SELECT "
		    "request_id FROM booking WHERE show_id = %" PRId64 " GROUP "
		    "BY request_id HAVING count(*) = 2) d", show), MAXT / 2);
		assert_int_equal(tdb_double_bookings(pg, show), 0);
		assert_int_equal(tdb_state_mismatches(pg, show), 0);
		print_message("pairs, round %d: 32 pairs, 32 winners, no "
		    "deadlock\n", round + 1);
	}
	for (i = 0; i < MAXT; i++)
		sl_db_close(r[i].db);
	PQfinish(pg);
	sl_db_close(db);
}

/* ---- the storm ------------------------------------------------------- */

#define STORM_THREADS	16
#define STORM_SEATS	50	/* 5 rows of 10 */

/* The storm runs its time, and longer (up to 3 times) on a machine so
 * loaded that it has not done this many operations by then. */
#define STORM_MIN_OPS	400

static long storm_ops;	/* operations done by all threads (atomic) */

struct stormer {
	pthread_t		 tid;
	pthread_barrier_t	*barrier;
	int64_t			 show, user;
	struct timespec		 until, hard;
	unsigned int		 seed;
	/* what this thread was told */
	int64_t			*held;
	size_t			 nheld, cap;
	long			 booked, conflicts, busy, cancels, replays;
	long			 cancel_busy;
	/* the first unexpected outcome, if any */
	char			 failure[SL_ERR_MSG + 128];
};

static int
ts_passed(const struct timespec *now, const struct timespec *t)
{
	return now->tv_sec > t->tv_sec || (now->tv_sec == t->tv_sec &&
	    now->tv_nsec >= t->tv_nsec);
}

static int
storm_over(const struct stormer *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ts_passed(&now, &s->hard))
		return 1;
	return ts_passed(&now, &s->until) &&
	    __atomic_load_n(&storm_ops, __ATOMIC_RELAXED) >= STORM_MIN_OPS;
}

static void
storm_hold(struct stormer *s, int64_t id)
{
	if (s->nheld == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->held = realloc(s->held, s->cap * sizeof *s->held);
		if (s->held == NULL)
			abort();
	}
	s->held[s->nheld++] = id;
}

/* One booking of 1 to 3 random seats; 1 in 10 is sent twice. */
static void
storm_book(struct stormer *s, struct sl_db *db)
{
	char lab[3][16], key[64];
	const char *labels[3];
	struct sl_booking *b, *b2;
	struct sl_err e;
	size_t n, n2, k, i, j;
	enum sl_rc rc;

	k = 1 + (size_t)rand_r(&s->seed) % 3;
	for (i = 0; i < k; i++) {
		do {
			int seat = rand_r(&s->seed) % STORM_SEATS;

			snprintf(lab[i], sizeof lab[i], "%c%d",
			    'A' + seat / 10, seat % 10 + 1);
			for (j = 0; j < i; j++)
				if (strcmp(lab[i], lab[j]) == 0)
					break;
		} while (j < i);
		labels[i] = lab[i];
	}
	sl_db_request_key(key, sizeof key);
	sl_err_clear(&e);
	rc = sl_book_seats(db, s->show, labels, k, s->user, key, &b, &n, &e);
	switch (rc) {
	case SL_OK:
		if (n != k) {
			snprintf(s->failure, sizeof s->failure,
			    "booked %zu seats of %zu", n, k);
			free(b);
			return;
		}
		for (i = 0; i < n; i++)
			storm_hold(s, b[i].id);
		s->booked += (long)n;
		if (rand_r(&s->seed) % 10 == 0) {
			/* the client did not hear the answer: asks again */
			rc = sl_book_seats(db, s->show, labels, k, s->user, key,
			    &b2, &n2, &e);
			if (rc != SL_OK || n2 != n)
				snprintf(s->failure, sizeof s->failure,
				    "replay of %s: %s: %s", key, sl_rc_name(rc),
				    e.msg);
			for (i = 0; rc == SL_OK && i < n && i < n2; i++)
				if (b2[i].id != b[i].id ||
				    strcmp(b2[i].label, b[i].label) != 0)
					snprintf(s->failure,
					    sizeof s->failure, "replay of %s: "
					    "other bookings", key);
			if (rc == SL_OK)
				free(b2);
			s->replays++;
		}
		free(b);
		break;
	case SL_ECONFLICT:
		s->conflicts++;
		break;
	case SL_EBUSY:
		/* rolled back: nothing booked */
		s->busy++;
		break;
	default:
		snprintf(s->failure, sizeof s->failure, "book: %s: %s",
		    sl_rc_name(rc), e.msg);
	}
}

/* Cancels one of the bookings this thread holds. */
static void
storm_cancel(struct stormer *s, struct sl_db *db)
{
	size_t i = (size_t)rand_r(&s->seed) % s->nheld;
	struct sl_err e;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_book_cancel(db, s->held[i], NULL, NULL, &e);
	switch (rc) {
	case SL_OK:
		s->held[i] = s->held[--s->nheld];
		s->cancels++;
		break;
	case SL_EBUSY:
		s->cancel_busy++;
		break;
	default:
		/* a booking we were told we hold must be cancellable */
		snprintf(s->failure, sizeof s->failure, "cancel %" PRId64
		    ": %s: %s", s->held[i], sl_rc_name(rc), e.msg);
	}
}

static void *
storm_run(void *p)
{
	struct stormer *s = p;
	struct sl_db *db = tdb_connect();

	pthread_barrier_wait(s->barrier);
	while (!storm_over(s) && s->failure[0] == '\0') {
		if (s->nheld > 0 && rand_r(&s->seed) % 100 < 45)
			storm_cancel(s, db);
		else
			storm_book(s, db);
		__atomic_fetch_add(&storm_ops, 1, __ATOMIC_RELAXED);
	}
	sl_db_close(db);
	return NULL;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_storm(void **state)
{
	struct stormer s[STORM_THREADS];
	pthread_barrier_t barrier;
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct timespec t0, t1;
	const char *env = getenv("SL_STORM_SECONDS");
	long secs = env != NULL ? atol(env) : 10, booked = 0, cancels = 0;
	long conflicts = 0, busy = 0, replays = 0, cbusy = 0;
	int64_t show, *held = NULL;
	size_t nheld = 0, i;
	char sql[256];
	PGresult *r;
	int t;

	(void)state;
	if (secs < 1 || secs > 60)
		secs = 10;
	show = tdb_show(db, 5, 10);
	pthread_barrier_init(&barrier, NULL, STORM_THREADS + 1);
	for (t = 0; t < STORM_THREADS; t++) {
		memset(&s[t], 0, sizeof s[t]);
		s[t].barrier = &barrier;
		s[t].show = show;
		s[t].user = t < 4 ? tdb_user(db) : s[t % 4].user;
		s[t].seed = (unsigned int)(t * 7919 + getpid());
		pthread_create(&s[t].tid, NULL, storm_run, &s[t]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t = 0; t < STORM_THREADS; t++) {
		s[t].until = s[t].hard = t0;
		s[t].until.tv_sec += secs;
		s[t].hard.tv_sec += 3 * secs;
	}
	/* the deadline is set before anyone passes the barrier */
	pthread_barrier_wait(&barrier);
	for (t = 0; t < STORM_THREADS; t++)
		pthread_join(s[t].tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_barrier_destroy(&barrier);

	for (t = 0; t < STORM_THREADS; t++) {
		if (s[t].failure[0] != '\0')
			fail_msg("thread %d: %s", t, s[t].failure);
		booked += s[t].booked;
		cancels += s[t].cancels;
		conflicts += s[t].conflicts;
		busy += s[t].busy;
		cbusy += s[t].cancel_busy;
		replays += s[t].replays;
		held = realloc(held, (nheld + s[t].nheld + 1) * sizeof *held);
		assert_non_null(held);
		memcpy(held + nheld, s[t].held, s[t].nheld * sizeof *held);
		nheld += s[t].nheld;
		free(s[t].held);
	}
	print_message("storm: %d threads, %d seats, %.1f s: %ld seats booked, "
	    "%ld cancelled, %ld conflicts, %ld busy (book), %ld busy (cancel),"
	    " %ld replays; %zu held at the end\n", STORM_THREADS, STORM_SEATS,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	    booked, cancels, conflicts, busy, cbusy, replays, nheld);
	assert_true(booked > 0);
	assert_true(cancels > 0);
	assert_true(conflicts > 0);

	/* No seat has two active bookings. */
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	/* The active bookings are exactly the ones the threads hold. */
	qsort(held, nheld, sizeof *held, cmp_id);
	snprintf(sql, sizeof sql, "SELECT booking_id FROM booking WHERE "
	    "show_id = %" PRId64 " AND status = 'active' ORDER BY booking_id",
	    show);
	r = PQexec(pg, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal((size_t)PQntuples(r), nheld);
	for (i = 0; i < nheld; i++)
		if (strtoll(PQgetvalue(r, (int)i, 0), NULL, 10) != held[i])
			fail_msg("active booking %s, but the threads hold %"
			    PRId64, PQgetvalue(r, (int)i, 0), held[i]);
	PQclear(r);
	for (i = 1; i < nheld; i++)
		if (held[i] == held[i - 1])
			fail_msg("booking %" PRId64 " held twice", held[i]);
	/* Every booking the threads were told of exists; every cancel. */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking WHERE "
	    "show_id = %" PRId64, show), booked);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking WHERE "
	    "show_id = %" PRId64 " AND status = 'cancelled'", show), cancels);
	/* The inventory agrees with the bookings. */
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND state = 'booked'", show),
	    (int64_t)nheld);
	free(held);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_seat_64),
		cmocka_unit_test(test_pairs_32),
		cmocka_unit_test(test_storm),
	};

	return cmocka_run_group_tests_name("race", tests, NULL, NULL);
}
