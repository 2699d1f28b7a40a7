/*
 * integ_resil.c - the booking core under real connection faults: a booking
 * or cancel whose answer is lost after it committed, a backend terminated
 * while the booking waits on a seat lock, the server stopped under a
 * booking, and a booking interrupted by the program that made it.  Each
 * checks in SQL that the caller got its booking exactly once.
 *
 * The "answer lost after commit" fault needs a cut at an exact moment, so
 * those tests reach the server through a small TCP proxy in this program
 * (127.0.0.1 to the cluster's unix socket) that can swallow the answer to a
 * chosen statement - up to and including ReadyForQuery, which the server
 * sends only after the commit - and then cut both sides.  The proxy also
 * counts the statements it forwards, which shows that a lost booking was
 * looked up by its key rather than sent again.
 *
 * Runs from the repository top (tests/run.sh does): one test stops and
 * starts the private cluster with .ci/pgcluster.sh.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "integ/testdb.h"
#include "sl_log.h"

/* ---- the proxy ---------------------------------------------------------- */

#define PX_PAIRS	32
#define PX_WATCH	4

/* Statements the proxy counts, by a text that only they contain. */
static const char *const px_watch[PX_WATCH] = {
	"FROM sl_book(", "FROM sl_book_lookup(", "FROM sl_cancel_keyed(",
	"FROM sl_cancel_lookup(",
};
enum { W_BOOK, W_BOOK_LOOKUP, W_CANCEL, W_CANCEL_LOOKUP };

struct px_pair {
	int		cfd, sfd;	/* client, server side; -1 closed */
	int		armed;		/* swallow the answer, then cut */
	unsigned char	hdr[5];		/* server message framing */
	int		hdrn;
	uint32_t	body;		/* bytes left of the current message */
};

struct px {
	int		lfd;
	int		port;
	int		wake[2];
	pthread_t	thread;
	pthread_mutex_t	mu;
	char		cut[64];	/* arm the next statement with this */
	int		counts[PX_WATCH];
	int		cuts;		/* answers swallowed */
	int		stop;
	struct px_pair	p[PX_PAIRS];
	char		upstream[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static struct px PX;

static int
px_connect_upstream(void)
{
	struct sockaddr_un sa;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", PX.upstream);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
px_close(struct px_pair *pp)
{
	if (pp->cfd >= 0)
		close(pp->cfd);
	if (pp->sfd >= 0)
		close(pp->sfd);
	pp->cfd = pp->sfd = -1;
}

static int
px_write_all(int fd, const unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Client to server: counts the watched statements, arms a cut. */
static int
px_from_client(struct px_pair *pp)
{
	unsigned char buf[65536];
	ssize_t n = read(pp->cfd, buf, sizeof buf - 1);
	int i;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	pthread_mutex_lock(&PX.mu);
	/* A statement is one write of libpq's, so one read here: its text
	 * is not split.  NULs inside the protocol stop strstr, so look
	 * from every NUL on. */
	for (i = 0; i < PX_WATCH; i++) {
		ssize_t off;

		for (off = 0; off < n; off += (ssize_t)strlen((char *)buf +
		    off) + 1)
			if (strstr((char *)buf + off, px_watch[i]) != NULL) {
				PX.counts[i]++;
				break;
			}
	}
	if (PX.cut[0] != '\0') {
		ssize_t off;

		for (off = 0; off < n; off += (ssize_t)strlen((char *)buf +
		    off) + 1)
			if (strstr((char *)buf + off, PX.cut) != NULL) {
				pp->armed = 1;
				PX.cut[0] = '\0';
				break;
			}
	}
	pthread_mutex_unlock(&PX.mu);
	return px_write_all(pp->sfd, buf, (size_t)n);
}

/* Server to client: follows the message framing; an armed pair swallows
 * everything up to the end of the next ReadyForQuery, then is cut. */
static int
px_from_server(struct px_pair *pp)
{
	unsigned char buf[65536];
	ssize_t n = read(pp->sfd, buf, sizeof buf);
	ssize_t i = 0;

	if (n <= 0)
		return -1;
	while (i < n) {
		if (pp->hdrn < 5) {
			pp->hdr[pp->hdrn++] = buf[i++];
			if (pp->hdrn == 5)
				pp->body = ((uint32_t)pp->hdr[1] << 24 |
				    (uint32_t)pp->hdr[2] << 16 |
				    (uint32_t)pp->hdr[3] << 8 | pp->hdr[4]) - 4;
		} else {
			uint32_t take = (uint32_t)(n - i) < pp->body ?
			    (uint32_t)(n - i) : pp->body;

			i += take;
			pp->body -= take;
		}
		if (pp->hdrn == 5 && pp->body == 0) {
			int z = pp->hdr[0] == 'Z';

			pp->hdrn = 0;
			if (z && pp->armed) {
				/* Committed, and the client heard nothing. */
				pthread_mutex_lock(&PX.mu);
				PX.cuts++;
				pthread_mutex_unlock(&PX.mu);
				return -1;
			}
		}
	}
	if (pp->armed)
		return 0;
	return px_write_all(pp->cfd, buf, (size_t)n);
}

static void *
px_main(void *arg)
{
	struct pollfd pfd[2 + 2 * PX_PAIRS];
	int map[2 + 2 * PX_PAIRS];
	int i, n;

	(void)arg;
	for (;;) {
		n = 0;
		pfd[n].fd = PX.lfd;
		pfd[n].events = POLLIN;
		map[n++] = -1;
		pfd[n].fd = PX.wake[0];
		pfd[n].events = POLLIN;
		map[n++] = -2;
		for (i = 0; i < PX_PAIRS; i++) {
			if (PX.p[i].cfd < 0)
				continue;
			pfd[n].fd = PX.p[i].cfd;
			pfd[n].events = POLLIN;
			map[n++] = 2 * i;
			pfd[n].fd = PX.p[i].sfd;
			pfd[n].events = POLLIN;
			map[n++] = 2 * i + 1;
		}
		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			break;
		if (pfd[0].revents & POLLIN) {
			int c = accept(PX.lfd, NULL, NULL);

			for (i = 0; c >= 0 && i < PX_PAIRS; i++)
				if (PX.p[i].cfd < 0)
					break;
			if (c >= 0 && i < PX_PAIRS &&
			    (PX.p[i].sfd = px_connect_upstream()) >= 0) {
				memset(&PX.p[i].hdr, 0, sizeof PX.p[i].hdr);
				PX.p[i].cfd = c;
				PX.p[i].armed = 0;
				PX.p[i].hdrn = 0;
				PX.p[i].body = 0;
			} else if (c >= 0)
				close(c);
		}
		for (i = 2; i < n; i++) {
			struct px_pair *pp = &PX.p[map[i] / 2];
			int r;

			if (pfd[i].revents == 0 || pp->cfd < 0)
				continue;
			r = map[i] % 2 == 0 ? px_from_client(pp) :
			    px_from_server(pp);
			if (r != 0)
				px_close(pp);
		}
	}
	for (i = 0; i < PX_PAIRS; i++)
		px_close(&PX.p[i]);
	return NULL;
}

static void
px_start(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	const char *host = getenv("PGHOST"), *port = getenv("PGPORT");
	int i;

	memset(&PX, 0, sizeof PX);
	pthread_mutex_init(&PX.mu, NULL);
	for (i = 0; i < PX_PAIRS; i++)
		PX.p[i].cfd = PX.p[i].sfd = -1;
	assert_non_null(host);
	assert_true(host[0] == '/');
	snprintf(PX.upstream, sizeof PX.upstream, "%s/.s.PGSQL.%s", host,
	    port != NULL ? port : "5432");
	PX.lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(PX.lfd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	assert_int_equal(bind(PX.lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(PX.lfd, 16), 0);
	assert_int_equal(getsockname(PX.lfd, (struct sockaddr *)&sa, &len), 0);
	PX.port = ntohs(sa.sin_port);
	assert_int_equal(pipe(PX.wake), 0);
	assert_int_equal(pthread_create(&PX.thread, NULL, px_main, NULL), 0);
}

static void
px_stop(void)
{
	if (write(PX.wake[1], "x", 1) != 1)
		fail_msg("cannot wake the proxy");
	pthread_join(PX.thread, NULL);
	close(PX.lfd);
	close(PX.wake[0]);
	close(PX.wake[1]);
}

/* Arms the cut: the answer to the next statement containing text is
 * swallowed and the connection cut once the server is done with it. */
static void
px_cut_next(const char *text)
{
	pthread_mutex_lock(&PX.mu);
	snprintf(PX.cut, sizeof PX.cut, "%s", text);
	pthread_mutex_unlock(&PX.mu);
}

static int
px_count(int w)
{
	int n;

	pthread_mutex_lock(&PX.mu);
	n = PX.counts[w];
	pthread_mutex_unlock(&PX.mu);
	return n;
}

/* A core connection through the proxy. */
static struct sl_db *
px_db(struct sl_config *c)
{
	snprintf(c->dsn, sizeof c->dsn, "host=127.0.0.1 port=%d dbname=%s "
	    "user=%s sslmode=disable gssencmode=disable", PX.port,
	    getenv("PGDATABASE") != NULL ? getenv("PGDATABASE") : "seatlock",
	    getenv("PGUSER") != NULL ? getenv("PGUSER") : "postgres");
	return tdb_connect_with(c);
}

/* ---- helpers ------------------------------------------------------------ */

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for a query's integer answer to be want. */
static int
wait_int(PGconn *pg, int64_t want, int ms, const char *fmt, ...)
{
	char sql[2048];
	int64_t end = now_ms() + ms;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	while (now_ms() < end) {
		if (tdb_int(pg, "%s", sql) == want)
			return 1;
		sleep_ms(20);
	}
	return 0;
}

/* Locks one seat's inventory row in an open transaction of pg. */
static void
lock_seat(PGconn *pg, int64_t show, const char *label)
{
	char sql[512];
	PGresult *r;

	PQclear(PQexec(pg, "BEGIN"));
	snprintf(sql, sizeof sql, "SELECT 1 FROM show_seat WHERE show_id = %"
	    PRId64 " AND seat_id = %" PRId64 " FOR UPDATE", show,
	    tdb_seat_id(pg, show, label));
	r = PQexec(pg, sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
}

/* The number of lines of the log file that contain text. */
static int
log_count(const char *path, const char *text)
{
	char line[2048];
	FILE *f = fopen(path, "r");
	int n = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, text) != NULL)
			n++;
	fclose(f);
	return n;
}

static char log_path[256];
/* The log every connection of these tests writes to (c.log). */
static struct sl_log *test_log;

static int
setup(void **state)
{
	struct sl_err e;

	(void)state;
	snprintf(log_path, sizeof log_path, "%s/integ_resil.%d.log",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp",
	    (int)getpid());
	unlink(log_path);
	if (sl_log_open(log_path, &test_log, &e) != SL_OK) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	sl_log_close(test_log);
	test_log = NULL;
	unlink(log_path);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* The answer to a booking is lost after it committed: the core reconnects,
 * finds the booking by its key and returns it, without booking again. */
static void
test_book_answer_lost(void **state)
{
	struct sl_config c;
	struct sl_db *db, *dd = tdb_connect();
	struct sl_booking *b = NULL;
	struct sl_err e;
	const char *labels[] = { "A2", "A3" };
	char key[64];
	PGconn *pg = tdb_pg();
	int64_t show, user;
	size_t nb = 0;

	(void)state;
	show = tdb_show(dd, 1, 6);
	user = tdb_user(dd);
	px_start();
	sl_config_defaults(&c);
	c.log = test_log;
	db = px_db(&c);
	sl_db_request_key(key, sizeof key);

	px_cut_next("FROM sl_book(");
	assert_int_equal(sl_book_seats(db, show, labels, 2, user, key, &b, &nb,
	    &e), SL_OK);
	assert_int_equal(PX.cuts, 1);
	assert_int_equal(nb, 2);
	assert_string_equal(b[0].label, "A2");
	assert_string_equal(b[1].label, "A3");
	/* Sent once, then looked up - not sent again. */
	assert_int_equal(px_count(W_BOOK), 1);
	assert_int_equal(px_count(W_BOOK_LOOKUP), 1);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = '%s'", key), 1);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking b JOIN "
	    "booking_request r USING (request_id) WHERE r.request_key = '%s' "
	    "AND b.status = 'active' AND b.booking_id IN (%" PRId64 ", %"
	    PRId64 ")", key, b[0].id, b[1].id), 2);
	assert_int_equal(tdb_active(pg, show), 2);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'book' AND show_id = %" PRId64, show), 1);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_true(log_count(log_path, key) >= 1);
	printf("booking %s: answer lost after commit, found by key, booked "
	    "once\n", key);
	free(b);

	/* The same key again, by hand: the same bookings, still once. */
	assert_int_equal(sl_book_seats(db, show, labels, 2, user, key, &b, &nb,
	    &e), SL_OK);
	assert_int_equal(nb, 2);
	free(b);
	assert_int_equal(tdb_active(pg, show), 2);

	sl_db_close(db);
	px_stop();
	sl_db_close(dd);
	PQfinish(pg);
}

/* The answer to a cancel is lost after it committed: the core finds the
 * cancel by its key and says it was done, not "not active". */
static void
test_cancel_answer_lost(void **state)
{
	struct sl_config c;
	struct sl_db *db, *dd = tdb_connect();
	struct sl_booking *b = NULL;
	struct sl_err e;
	const char *labels[] = { "A1" };
	char key[64], label[SL_LABEL_MAX + 1] = "";
	PGconn *pg = tdb_pg();
	int64_t show, user, cshow = 0;
	size_t nb = 0;

	(void)state;
	show = tdb_show(dd, 1, 4);
	user = tdb_user(dd);
	assert_int_equal(sl_book_seats(dd, show, labels, 1, user, NULL, &b, &nb,
	    &e), SL_OK);
	px_start();
	sl_config_defaults(&c);
	c.log = test_log;
	db = px_db(&c);
	sl_db_request_key(key, sizeof key);

	px_cut_next("FROM sl_cancel_keyed(");
	assert_int_equal(sl_book_cancel_key(db, b[0].id, key, &cshow, label,
	    &e), SL_OK);
	assert_int_equal(PX.cuts, 1);
	assert_int_equal(cshow, show);
	assert_string_equal(label, "A1");
	assert_int_equal(px_count(W_CANCEL), 1);
	assert_int_equal(px_count(W_CANCEL_LOOKUP), 1);
	assert_int_equal(tdb_active(pg, show), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM cancel_request "
	    "WHERE request_key = '%s' AND booking_id = %" PRId64, key,
	    b[0].id), 1);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'cancel' AND show_id = %" PRId64, show), 1);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);

	/* Sent again by hand with the same key: done, not "not active";
	 * with a fresh key it is no longer active. */
	assert_int_equal(sl_book_cancel_key(db, b[0].id, key, &cshow, label,
	    &e), SL_OK);
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e),
	    SL_ENOTFOUND);
	/* A key is for one booking only. */
	assert_int_equal(sl_book_cancel_key(db, b[0].id + 1000000, key, NULL,
	    NULL, &e), SL_ENOTFOUND);
	free(b);
	assert_int_equal(sl_book_seats(dd, show, labels, 1, user, NULL, &b, &nb,
	    &e), SL_OK);
	assert_int_equal(sl_book_cancel_key(db, b[0].id, key, NULL, NULL, &e),
	    SL_EINVAL);
	assert_int_equal(tdb_active(pg, show), 1);
	printf("cancel %s: answer lost after commit, found by key\n", key);
	free(b);

	sl_db_close(db);
	px_stop();
	sl_db_close(dd);
	PQfinish(pg);
}

/* The lookups themselves. */
static void
test_lookup(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_booking *b = NULL, *f = NULL;
	struct sl_err e;
	const char *labels[] = { "B2", "A1" }, *other[] = { "A1" };
	char key[64];
	int64_t show, user, user2;
	size_t nb = 0, nf = 0;

	(void)state;
	show = tdb_show(db, 2, 3);
	user = tdb_user(db);
	user2 = tdb_user(db);
	sl_db_request_key(key, sizeof key);
	assert_int_equal(sl_book_lookup(db, key, show, user, labels, 2, &f, &nf,
	    &e), SL_ENOTFOUND);
	assert_int_equal(sl_book_seats(db, show, labels, 2, user, key, &b, &nb,
	    &e), SL_OK);
	assert_int_equal(sl_book_lookup(db, key, show, user, labels, 2, &f, &nf,
	    &e), SL_OK);
	assert_int_equal(nf, 2);
	assert_int_equal(f[0].id, b[0].id);
	assert_int_equal(f[1].id, b[1].id);
	free(f);
	assert_int_equal(sl_book_lookup(db, key, show, user, NULL, 0, &f, &nf,
	    &e), SL_OK);
	free(f);
	/* Cancelled since: the booking still happened. */
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e), SL_OK);
	assert_int_equal(sl_book_lookup(db, key, show, user, labels, 2, &f, &nf,
	    &e), SL_OK);
	assert_int_equal(nf, 2);
	free(f);
	/* Another customer, show or set of seats: not this key's. */
	assert_int_equal(sl_book_lookup(db, key, show, user2, labels, 2, &f,
	    &nf, &e), SL_EINVAL);
	assert_int_equal(sl_book_lookup(db, key, show + 1, user, labels, 2, &f,
	    &nf, &e), SL_EINVAL);
	assert_int_equal(sl_book_lookup(db, key, show, user, other, 1, &f, &nf,
	    &e), SL_EINVAL);
	free(b);
	sl_db_close(db);
}

struct job {
	struct sl_db		*db;
	int64_t			 show, user, booking;
	const char		*const *labels;
	size_t			 nlabels;
	char			 key[64];
	enum sl_rc		 rc;
	struct sl_booking	*b;
	size_t			 nb;
	struct sl_err		 e;
	int64_t			 ms;	/* how long the call took */
};

static void *
book_thread(void *p)
{
	struct job *j = p;
	int64_t t0 = now_ms();

	j->rc = sl_book_seats(j->db, j->show, j->labels, j->nlabels, j->user,
	    j->key, &j->b, &j->nb, &j->e);
	j->ms = now_ms() - t0;
	return NULL;
}

static void *
cancel_thread(void *p)
{
	struct job *j = p;
	int64_t t0 = now_ms();

	j->rc = sl_book_cancel_key(j->db, j->booking, j->key, NULL, NULL,
	    &j->e);
	j->ms = now_ms() - t0;
	return NULL;
}

/* A lock-waiting statement of the core's on a backend other than pid. */
#define WAITING_SQL \
	"SELECT count(*) FROM pg_stat_activity WHERE application_name = " \
	"'seatlock' AND wait_event_type = 'Lock' AND pid <> %d AND query " \
	"LIKE '%%%s%%'"

/* The booking's backend is terminated while it waits on a seat lock that
 * the test holds: the core reconnects, finds by key that nothing was
 * booked, books again with the same key (waiting on the lock again), and
 * books once the test lets go. */
static void
test_book_terminated_in_lock_wait(void **state)
{
	struct sl_config c;
	struct sl_db *dd = tdb_connect();
	const char *labels[] = { "A1", "A2" };
	struct job j;
	PGconn *pg = tdb_pg(), *locker = tdb_pg();
	pthread_t t;
	int pid;

	(void)state;
	memset(&j, 0, sizeof j);
	j.show = tdb_show(dd, 1, 4);
	j.user = tdb_user(dd);
	j.labels = labels;
	j.nlabels = 2;
	sl_db_request_key(j.key, sizeof j.key);
	sl_config_defaults(&c);
	c.log = test_log;
	c.lock_timeout_ms = 30000;
	c.statement_timeout_ms = 60000;
	j.db = tdb_connect_with(&c);
	pid = sl_db_backend_pid(j.db);

	lock_seat(locker, j.show, "A2");
	assert_int_equal(pthread_create(&t, NULL, book_thread, &j), 0);
	assert_true(wait_int(pg, 1, 10000, "SELECT count(*) FROM "
	    "pg_stat_activity WHERE pid = %d AND wait_event_type = 'Lock'",
	    pid));
	assert_int_equal(tdb_int(pg, "SELECT pg_terminate_backend(%d)::int",
	    pid), 1);
	/* Sent again, on a new backend, waiting on the same lock. */
	assert_true(wait_int(pg, 1, 15000, WAITING_SQL, pid, "sl_book("));
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = '%s'", j.key), 0);
	PQclear(PQexec(locker, "ROLLBACK"));
	pthread_join(t, NULL);
	assert_int_equal(j.rc, SL_OK);
	assert_int_equal(j.nb, 2);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = '%s'", j.key), 1);
	assert_int_equal(tdb_active(pg, j.show), 2);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'book' AND show_id = %" PRId64, j.show), 1);
	assert_int_equal(tdb_double_bookings(pg, j.show), 0);
	assert_int_equal(tdb_state_mismatches(pg, j.show), 0);
	assert_true(sl_db_backend_pid(j.db) != pid);
	/* The log says it was looked up before it was sent again. */
	assert_int_equal(log_count(log_path, "not committed before the "
	    "connection was lost; sending it again"), 1);
	printf("booking terminated in a lock wait: looked up, sent again, "
	    "booked once\n");
	free(j.b);
	sl_db_close(j.db);
	sl_db_close(dd);
	PQfinish(locker);
	PQfinish(pg);
}

/* The same for a cancel. */
static void
test_cancel_terminated_in_lock_wait(void **state)
{
	struct sl_config c;
	struct sl_db *dd = tdb_connect();
	struct sl_booking *b;
	struct sl_err e;
	const char *labels[] = { "A3" };
	struct job j;
	PGconn *pg = tdb_pg(), *locker = tdb_pg();
	pthread_t t;
	size_t nb;
	int pid;

	(void)state;
	memset(&j, 0, sizeof j);
	j.show = tdb_show(dd, 1, 4);
	j.user = tdb_user(dd);
	assert_int_equal(sl_book_seats(dd, j.show, labels, 1, j.user, NULL, &b,
	    &nb, &e), SL_OK);
	j.booking = b[0].id;
	free(b);
	sl_db_request_key(j.key, sizeof j.key);
	sl_config_defaults(&c);
	c.log = test_log;
	c.lock_timeout_ms = 30000;
	c.statement_timeout_ms = 60000;
	j.db = tdb_connect_with(&c);
	pid = sl_db_backend_pid(j.db);

	lock_seat(locker, j.show, "A3");
	assert_int_equal(pthread_create(&t, NULL, cancel_thread, &j), 0);
	assert_true(wait_int(pg, 1, 10000, "SELECT count(*) FROM "
	    "pg_stat_activity WHERE pid = %d AND wait_event_type = 'Lock'",
	    pid));
	assert_int_equal(tdb_int(pg, "SELECT pg_terminate_backend(%d)::int",
	    pid), 1);
	assert_true(wait_int(pg, 1, 15000, WAITING_SQL, pid,
	    "sl_cancel_keyed("));
	PQclear(PQexec(locker, "ROLLBACK"));
	pthread_join(t, NULL);
	assert_int_equal(j.rc, SL_OK);
	assert_int_equal(tdb_active(pg, j.show), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM cancel_request "
	    "WHERE request_key = '%s'", j.key), 1);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'cancel' AND show_id = %" PRId64, j.show), 1);
	assert_int_equal(tdb_state_mismatches(pg, j.show), 0);
	printf("cancel terminated in a lock wait: looked up, sent again, "
	    "cancelled once\n");
	sl_db_close(j.db);
	sl_db_close(dd);
	PQfinish(locker);
	PQfinish(pg);
}

/* The server stops while a booking is on its way and comes back 1.5 s
 * later: the core reconnects with back-off and books, once. */
static void
test_server_stopped(void **state)
{
	struct sl_config c;
	struct sl_db *dd = tdb_connect();
	const char *labels[] = { "A4" };
	struct job j;
	PGconn *pg;
	pthread_t t;

	(void)state;
	memset(&j, 0, sizeof j);
	j.show = tdb_show(dd, 1, 4);
	j.user = tdb_user(dd);
	sl_db_close(dd);
	j.labels = labels;
	j.nlabels = 1;
	sl_db_request_key(j.key, sizeof j.key);
	sl_config_defaults(&c);
	c.log = test_log;
	c.reconnect_timeout_s = 60;
	j.db = tdb_connect_with(&c);

	assert_int_equal(system(".ci/pgcluster.sh stop test"), 0);
	assert_int_equal(pthread_create(&t, NULL, book_thread, &j), 0);
	sleep_ms(1500);
	assert_int_equal(system(".ci/pgcluster.sh start test >/dev/null"), 0);
	pthread_join(t, NULL);
	assert_int_equal(j.rc, SL_OK);
	assert_true(j.ms >= 1000);
	pg = tdb_pg();
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = '%s'", j.key), 1);
	assert_int_equal(tdb_active(pg, j.show), 1);
	printf("server stopped for 1.5 s: booked once after %" PRId64
	    " ms\n", j.ms);
	free(j.b);
	sl_db_close(j.db);
	PQfinish(pg);
}

/* A booking waiting on a lock is interrupted through the interrupt
 * descriptor (as SIGTERM does in the box office): the call returns within
 * a moment, and the server lets go of its backend within 2 s. */
static void
test_interrupt(void **state)
{
	struct sl_config c;
	struct sl_db *dd = tdb_connect();
	const char *labels[] = { "A1" };
	struct job j;
	PGconn *pg = tdb_pg(), *locker = tdb_pg();
	pthread_t t;
	int64_t t0;
	int pid, fd[2];

	(void)state;
	memset(&j, 0, sizeof j);
	j.show = tdb_show(dd, 1, 2);
	j.user = tdb_user(dd);
	j.labels = labels;
	j.nlabels = 1;
	sl_db_request_key(j.key, sizeof j.key);
	sl_config_defaults(&c);
	c.log = test_log;
	c.lock_timeout_ms = 60000;
	c.statement_timeout_ms = 60000;
	j.db = tdb_connect_with(&c);
	pid = sl_db_backend_pid(j.db);
	assert_int_equal(pipe(fd), 0);
	sl_db_set_interrupt(j.db, fd[0]);

	lock_seat(locker, j.show, "A1");
	assert_int_equal(pthread_create(&t, NULL, book_thread, &j), 0);
	assert_true(wait_int(pg, 1, 10000, "SELECT count(*) FROM "
	    "pg_stat_activity WHERE pid = %d AND wait_event_type = 'Lock'",
	    pid));
	t0 = now_ms();
	assert_int_equal(write(fd[1], "x", 1), 1);
	pthread_join(t, NULL);
	assert_int_equal(j.rc, SL_ECONN);
	assert_true(sl_db_interrupted(j.db));
	assert_true(now_ms() - t0 < 1000);
	/* client_connection_check_interval: the backend notices soon. */
	assert_true(wait_int(pg, 0, 2000, "SELECT count(*) FROM "
	    "pg_stat_activity WHERE pid = %d", pid));
	printf("interrupted booking returned in %" PRId64 " ms; its backend "
	    "gone after %" PRId64 " ms\n", j.ms, now_ms() - t0);
	PQclear(PQexec(locker, "ROLLBACK"));
	assert_int_equal(tdb_active(pg, j.show), 0);
	/* Everything after fails at once, without touching the network. */
	t0 = now_ms();
	assert_int_equal(sl_db_reconnect(j.db, NULL), SL_ECONN);
	assert_true(now_ms() - t0 < 500);
	sl_db_set_interrupt(j.db, -1);
	assert_int_equal(sl_db_reconnect(j.db, NULL), SL_OK);
	close(fd[0]);
	close(fd[1]);
	sl_db_close(j.db);
	sl_db_close(dd);
	PQfinish(locker);
	PQfinish(pg);
}

/* Reconnecting to a server that is not there gives up after about
 * database.reconnect_timeout_s, having tried with pauses in between. */
static void
test_reconnect_gives_up(void **state)
{
	struct sl_config c;
	struct sl_db *db;
	struct sl_err e;
	int64_t t0, ms;

	(void)state;
	px_start();
	sl_config_defaults(&c);
	c.log = test_log;
	c.reconnect_timeout_s = 2;
	db = px_db(&c);
	px_stop();	/* nobody listens on that port any more */
	t0 = now_ms();
	assert_int_equal(sl_db_reconnect(db, &e), SL_ECONN);
	ms = now_ms() - t0;
	assert_true(ms >= 1900);
	assert_true(ms < 10000);
	assert_false(sl_db_alive(db));
	printf("gave up reconnecting after %" PRId64 " ms: %s\n", ms, e.msg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_book_answer_lost),
		cmocka_unit_test(test_cancel_answer_lost),
		cmocka_unit_test(test_book_terminated_in_lock_wait),
		cmocka_unit_test(test_cancel_terminated_in_lock_wait),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_reconnect_gives_up),
		cmocka_unit_test(test_server_stopped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
