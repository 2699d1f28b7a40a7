/*
 * integ_ledger.c - the ledger test: many clients book and cancel on a small
 * hot show while a fault injector kills their backends, restarts the server
 * (fast and immediate) and freezes a client holding a seat lock.  Every
 * operation is recorded as ok, failed or unknown (the connection died before
 * the answer); afterwards a checker asserts in SQL that nothing was sold
 * twice and nothing was lost.
 *
 * SEATLOCK_LEDGER_SECONDS sets the length (default 30); `make ledger` runs
 * a long one.  Runs from the repository top (tests/run.sh does), since it
 * restarts the private cluster with .ci/pgcluster.sh.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integ/testdb.h"

#define LEDGER_CLIENTS	12
#define LEDGER_SEATS	20
#define LEDGER_MAX_OPS	1000000

enum op_kind { OP_BOOK, OP_CANCEL };
enum op_outcome { OUT_OK, OUT_FAILED, OUT_UNKNOWN };

struct op {
	enum op_kind	kind;
	enum op_outcome	outcome;
	char		key[48];	/* OP_BOOK: the request key */
	int		nseats;
	int64_t		booking[3];	/* OP_BOOK ok; OP_CANCEL: [0] */
};

struct ledger {
	int64_t		show, user;
	int		seconds;
	volatile int	stop;
	pthread_mutex_t	mu;
	struct op	*ops;
	size_t		nops;
	/* counters */
	long		faults_terminate, faults_restart_fast;
	long		faults_restart_immediate, faults_sigstop;
};

static struct ledger L;

static void
ledger_record(const struct op *op)
{
	pthread_mutex_lock(&L.mu);
	if (L.nops < LEDGER_MAX_OPS)
		L.ops[L.nops++] = *op;
	pthread_mutex_unlock(&L.mu);
}

static void
ledger_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Reconnects until it works or the test is over. */
static void
ledger_reconnect(struct sl_db *db)
{
	for (;;) {
		if (sl_db_reset(db, NULL) == SL_OK || L.stop)
			return;
		ledger_sleep_ms(100);
	}
}

struct client {
	int		id;
	unsigned int	seed;
	int64_t		active[64];	/* bookings this client holds */
	int		nactive;
};

static void *
ledger_client(void *arg)
{
	struct client *c = arg;
	struct sl_config cfg;
	struct sl_db *db = NULL;
	long n = 0;

	sl_config_defaults(&cfg);
	cfg.retries = 0;	/* record unknown outcomes instead */
	cfg.lock_timeout_ms = 1000;
	cfg.statement_timeout_ms = 5000;
	while (sl_db_connect(&cfg, &db, NULL) != SL_OK) {
		if (L.stop)
			return NULL;
		ledger_sleep_ms(100);
	}
	while (!L.stop) {
		struct op op;
		struct sl_err e;
		enum sl_rc rc;

		memset(&op, 0, sizeof op);
		/* The more seats a client holds, the likelier it cancels,
		 * so the hot show keeps turning over. */
		if (c->nactive > 0 && ((int)(rand_r(&c->seed) % 100) <
		    30 + 15 * c->nactive || c->nactive == 64)) {
			int k = (int)(rand_r(&c->seed) % (unsigned)c->nactive);

			op.kind = OP_CANCEL;
			op.booking[0] = c->active[k];
			rc = sl_book_cancel(db, op.booking[0], NULL, NULL, &e);
			if (rc == SL_OK)
				op.outcome = OUT_OK;
			else if (rc == SL_ECONN)
				op.outcome = OUT_UNKNOWN;
			else
				op.outcome = OUT_FAILED;
			/* ok or unknown: no longer ours to cancel; failed
			 * (busy, timeout): still ours. */
			if (op.outcome != OUT_FAILED)
				c->active[k] = c->active[--c->nactive];
		} else {
			char labels[3][16];
			const char *lp[3];
			struct sl_booking *b;
			size_t nb;
			int i, first;

			op.kind = OP_BOOK;
			op.nseats = 1 + (int)(rand_r(&c->seed) % 3);
			first = 1 + (int)(rand_r(&c->seed) %
			    (unsigned)(LEDGER_SEATS - op.nseats + 1));
			for (i = 0; i < op.nseats; i++) {
				snprintf(labels[i], sizeof labels[i], "A%d",
				    first + i);
				lp[i] = labels[i];
			}
			snprintf(op.key, sizeof op.key, "ledger-%d-%d-%ld",
			    (int)getpid(), c->id, n++);
			rc = sl_book_seats(db, L.show, lp, (size_t)op.nseats,
			    L.user, op.key, &b, &nb, &e);
			if (rc == SL_OK) {
				op.outcome = OUT_OK;
				for (i = 0; i < (int)nb && i < 3; i++) {
					op.booking[i] = b[i].id;
					if (c->nactive < 64)
						c->active[c->nactive++] =
						    b[i].id;
				}
				free(b);
			} else if (rc == SL_ECONN)
				op.outcome = OUT_UNKNOWN;
			else
				op.outcome = OUT_FAILED;
		}
		ledger_record(&op);
		/* A clerk told "taken" picks again, not within a microsecond:
		 * keeps the mix from being all conflicts. */
		if (op.outcome == OUT_FAILED)
			ledger_sleep_ms(1 + (int)(rand_r(&c->seed) % 3));
		if (op.outcome == OUT_UNKNOWN || !sl_db_alive(db))
			ledger_reconnect(db);
	}
	sl_db_close(db);
	return NULL;
}

/* A psql client that locks a hot seat inside an open transaction and is
 * then frozen with SIGSTOP, as a client stuck while holding a lock would be;
 * clients meanwhile get "seat busy" within their lock_timeout.  After a while
 * it is killed, and the server must let go of the lock. */
static void
ledger_fault_sigstop(void)
{
	char sql[256];
	int fd[2], status;
	pid_t pid;

	if (pipe(fd) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		/* Only exec after fork in a threaded process. */
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execlp("psql", "psql", "-X", "-q", "-o", "/dev/null",
		    (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	if (pid < 0) {
		close(fd[1]);
		return;
	}
	snprintf(sql, sizeof sql, "BEGIN;\nSELECT 1 FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND seat_id = (SELECT min(seat_id) FROM "
	    "show_seat WHERE show_id = %" PRId64 ") FOR UPDATE;\n", L.show,
	    L.show);
	if (write(fd[1], sql, strlen(sql)) < 0)
		perror("ledger: write to psql");
	ledger_sleep_ms(500);
	kill(pid, SIGSTOP);
	ledger_sleep_ms(3000);
	kill(pid, SIGKILL);
	close(fd[1]);
	waitpid(pid, &status, 0);
	L.faults_sigstop++;
}

static void
ledger_fault_terminate(void)
{
	PGconn *pg = PQconnectdb("");
	PGresult *r;

	if (PQstatus(pg) == CONNECTION_OK) {
		r = PQexec(pg, "SELECT pg_terminate_backend(pid) FROM "
		    "pg_stat_activity WHERE application_name = 'seatlock' "
		    "AND pid <> pg_backend_pid() ORDER BY random() LIMIT 3");
		if (PQresultStatus(r) == PGRES_TUPLES_OK)
			L.faults_terminate += PQntuples(r);
		PQclear(r);
	}
	PQfinish(pg);
}

static void
ledger_fault_restart(const char *mode)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, ".ci/pgcluster.sh restart test %s", mode);
	if (system(cmd) == 0) {
		if (strcmp(mode, "fast") == 0)
			L.faults_restart_fast++;
		else
			L.faults_restart_immediate++;
	}
}

static void *
ledger_injector(void *arg)
{
	time_t end = time(NULL) + L.seconds;
	int round = 0;

	(void)arg;
	ledger_sleep_ms(1500);
	while (time(NULL) < end - 2) {
		switch (round++ % 6) {
		case 0:
		case 3:
			ledger_fault_terminate();
			break;
		case 1:
			ledger_fault_restart("fast");
			break;
		case 2:
			ledger_fault_sigstop();
			break;
		case 4:
			ledger_fault_restart("immediate");
			break;
		case 5:
			ledger_fault_terminate();
			break;
		}
		ledger_sleep_ms(2000);
	}
	return NULL;
}

static int
ledger_has_request(PGconn *pg, const char *key)
{
	const char *params[1] = { key };
	PGresult *r;
	int n;

	r = PQexecParams(pg, "SELECT 1 FROM booking_request WHERE "
	    "request_key = $1", 1, NULL, params, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	n = PQntuples(r);
	PQclear(r);
	return n;
}

static const char *
ledger_status(PGconn *pg, int64_t booking)
{
	static char buf[16];
	char id[24];
	const char *params[1] = { id };
	PGresult *r;

	snprintf(id, sizeof id, "%" PRId64, booking);
	r = PQexecParams(pg, "SELECT status FROM booking WHERE booking_id = $1",
	    1, NULL, params, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	snprintf(buf, sizeof buf, "%s", PQntuples(r) ? PQgetvalue(r, 0, 0) :
	    "missing");
	PQclear(r);
	return buf;
}

static void
test_ledger(void **state)
{
	pthread_t th[LEDGER_CLIENTS], inj;
	struct client cl[LEDGER_CLIENTS];
	struct sl_db *db;
	PGconn *pg;
	const char *env = getenv("SEATLOCK_LEDGER_SECONDS");
	long counts[2][3] = { { 0 } }, unknown_committed = 0;
	size_t i;
	int k, j;

	(void)state;
	memset(&L, 0, sizeof L);
	L.seconds = env != NULL ? atoi(env) : 30;
	if (L.seconds < 5)
		L.seconds = 5;
	pthread_mutex_init(&L.mu, NULL);
	L.ops = calloc(LEDGER_MAX_OPS, sizeof *L.ops);
	assert_non_null(L.ops);
	db = tdb_connect();
	L.show = tdb_show(db, 1, LEDGER_SEATS);
	L.user = tdb_user(db);
	sl_db_close(db);

	for (k = 0; k < LEDGER_CLIENTS; k++) {
		memset(&cl[k], 0, sizeof cl[k]);
		cl[k].id = k;
		cl[k].seed = (unsigned int)(k * 7919 + time(NULL));
		assert_int_equal(pthread_create(&th[k], NULL, ledger_client,
		    &cl[k]), 0);
	}
	assert_int_equal(pthread_create(&inj, NULL, ledger_injector, NULL), 0);
	ledger_sleep_ms(L.seconds * 1000);
	L.stop = 1;
	pthread_join(inj, NULL);
	for (k = 0; k < LEDGER_CLIENTS; k++)
		pthread_join(th[k], NULL);

	/* The checker. */
	pg = tdb_pg();
	assert_int_equal(tdb_double_bookings(pg, L.show), 0);
	assert_int_equal(tdb_state_mismatches(pg, L.show), 0);
	/* sold + held + free = capacity */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND state IN ('available', 'held', "
	    "'booked', 'blocked')", L.show), LEDGER_SEATS);
	for (i = 0; i < L.nops; i++) {
		struct op *op = &L.ops[i];

		counts[op->kind][op->outcome]++;
		if (op->kind == OP_BOOK && op->outcome == OUT_OK) {
			/* It exists, whatever happened to it later. */
			assert_int_equal(ledger_has_request(pg, op->key), 1);
			for (j = 0; j < op->nseats; j++)
				assert_string_not_equal(ledger_status(pg,
				    op->booking[j]), "missing");
		} else if (op->kind == OP_BOOK && op->outcome == OUT_FAILED) {
			assert_int_equal(ledger_has_request(pg, op->key), 0);
		} else if (op->kind == OP_BOOK) {
			/* Unknown: resolved by its key, at most once, and
			 * whole when it happened. */
			if (ledger_has_request(pg, op->key)) {
				char sql[256];

				unknown_committed++;
				snprintf(sql, sizeof sql, "SELECT count(*) FROM "
				    "booking b JOIN booking_request r ON "
				    "r.request_id = b.request_id WHERE "
				    "r.request_key = '%s'", op->key);
				assert_int_equal(tdb_int(pg, "%s", sql),
				    op->nseats);
			}
		} else if (op->outcome == OUT_OK) {
			assert_string_equal(ledger_status(pg, op->booking[0]),
			    "cancelled");
		}
	}
	/* Every booking told ok and never cancelled (by an ok or unknown
	 * cancel) is still active: nothing sold was lost. */
	for (k = 0; k < LEDGER_CLIENTS; k++)
		for (j = 0; j < cl[k].nactive; j++)
			assert_string_equal(ledger_status(pg, cl[k].active[j]),
			    "active");
	PQfinish(pg);

	printf("ledger: %d s, %d clients, %zu operations%s\n", L.seconds,
	    LEDGER_CLIENTS, L.nops, L.nops == LEDGER_MAX_OPS ?
	    " (the record is full: later ones were not checked)" : "");
	printf("ledger: book ok %ld, failed %ld, unknown %ld (%ld of them "
	    "committed); cancel ok %ld, failed %ld, unknown %ld\n",
	    counts[OP_BOOK][OUT_OK], counts[OP_BOOK][OUT_FAILED],
	    counts[OP_BOOK][OUT_UNKNOWN], unknown_committed,
	    counts[OP_CANCEL][OUT_OK], counts[OP_CANCEL][OUT_FAILED],
	    counts[OP_CANCEL][OUT_UNKNOWN]);
	printf("ledger: faults: %ld backends terminated, %ld fast restarts, "
	    "%ld immediate restarts, %ld clients frozen holding a lock\n",
	    L.faults_terminate, L.faults_restart_fast,
	    L.faults_restart_immediate, L.faults_sigstop);
	printf("ledger: double bookings found: 0\n");
	assert_true(counts[OP_BOOK][OUT_OK] > 0);
	assert_true(L.faults_restart_fast + L.faults_restart_immediate > 0);
	free(L.ops);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ledger),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
