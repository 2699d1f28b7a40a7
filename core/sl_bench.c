/*
 * sl_bench.c - the load generator (see sl_bench.h).
 *
 * Shape of a run: the calling thread connects, makes the venue, then starts
 * the client threads, which connect, make their share of the shows and a
 * customer each, and wait at the start gate; the calling thread meanwhile
 * connects the listeners and starts a notifier (batched mode), releases the
 * clients, reports progress once a second, stops them, waits for the
 * notifications still under way, checks the invariant in SQL, optionally
 * runs pgbench, and cleans up.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_bench.h"
#include "sl_book.h"
#include "sl_db_int.h"
#include "sl_hist.h"
#include "sl_layout.h"
#include "sl_notifier.h"
#include "sl_pool.h"
#include "sl_sell.h"
#include "sl_show.h"
#include "sl_user.h"
#include "sl_venue.h"

extern char **environ;

#define SL_BENCH_PER_ROW	50
#define SL_BENCH_SHOW_SEATS	1000	/* the standard venue: rows A..T */
#define SL_BENCH_MAX_CLIENTS	500
#define SL_BENCH_MAX_LISTENERS	1000
#define SL_BENCH_POOL_WAIT_MS	60000	/* --pool: then it is an error */
#define SL_BENCH_LISTEN_PER_THREAD 16
#define SL_BENCH_DRAIN_MS	5000	/* wait for late notifications */
#define SL_BENCH_SPREAD_RATE	3000	/* default seats per second of run */
#define SL_BENCH_PGBENCH_WARMUP	4	/* seconds of pgbench not counted */

static const char *const sl_bench_names[] = {
	[SL_BENCH_SPREAD] = "spread",
	[SL_BENCH_LISTEN] = "listen",
	[SL_BENCH_HOT] = "hot",
	[SL_BENCH_TOGGLE] = "toggle",
	[SL_BENCH_FLASH] = "flash",
	[SL_BENCH_MULTI] = "multi",
	[SL_BENCH_BEST] = "best",
	[SL_BENCH_STADIUM] = "stadium",
	[SL_BENCH_EXPLAIN] = "explain",
};
#define SL_BENCH_NSCEN (sizeof sl_bench_names / sizeof sl_bench_names[0])

int
sl_bench_scenario_parse(const char *s, enum sl_bench_scenario *out)
{
	size_t i;

	for (i = 0; i < SL_BENCH_NSCEN; i++)
		if (strcmp(s, sl_bench_names[i]) == 0) {
			*out = (enum sl_bench_scenario)i;
			return 0;
		}
	return -1;
}

const char *
sl_bench_scenario_name(enum sl_bench_scenario s)
{
	if ((size_t)s >= SL_BENCH_NSCEN)
		return "unknown";
	return sl_bench_names[s];
}

void
sl_bench_opts_init(struct sl_bench_opts *o)
{
	memset(o, 0, sizeof *o);
	o->scenario = SL_BENCH_SPREAD;
	o->clients = 16;
	o->seconds = 10;
	o->seed = 1;
}

/* ---- small tools ------------------------------------------------------ */

static int64_t
sl_bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
sl_bench_sleep_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* splitmix64: seeds one generator per thread from the run's seed. */
static uint64_t
sl_bench_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64*: fast, good enough to pick seats. */
static uint64_t
sl_bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint64_t
sl_bench_below(uint64_t *s, uint64_t n)
{
	return n ? sl_bench_rand(s) % n : 0;
}

/* Row name of row index r: A..Z, AA..AZ, BA.. (bijective base 26). */
static void
sl_bench_row(int64_t r, char *buf, size_t bufsz)
{
	char tmp[16];
	size_t n = 0, i;

	r++;
	while (r > 0 && n < sizeof tmp) {
		r--;
		tmp[n++] = (char)('A' + r % 26);
		r /= 26;
	}
	for (i = 0; i < n && i + 1 < bufsz; i++)
		buf[i] = tmp[n - 1 - i];
	buf[i < bufsz ? i : bufsz - 1] = '\0';
}

void
sl_bench_label(int64_t k, int per_row, char *buf, size_t bufsz)
{
	char row[16];

	sl_bench_row(k / per_row, row, sizeof row);
	snprintf(buf, bufsz, "%s%" PRId64, row, k % per_row + 1);
}

/* A growing string. */
struct sl_bench_buf {
	char	*s;
	size_t	 len, cap;
	int	 oom;
};

static void
sl_bench_printf(struct sl_bench_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
sl_bench_printf(struct sl_bench_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s != NULL ? b->s + b->len : NULL, room, fmt,
		    ap);
		va_end(ap);
		if (n < 0) {
			b->oom = 1;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t ncap = b->cap ? b->cap * 2 : 4096;
			char *ns;

			while (ncap - b->len <= (size_t)n)
				ncap *= 2;
			ns = realloc(b->s, ncap);
			if (ns == NULL) {
				b->oom = 1;
				return;
			}
			b->s = ns;
			b->cap = ncap;
		}
	}
}

char *
sl_bench_layout(const char *name, int64_t nseats, int per_row,
    int rows_per_section)
{
	struct sl_bench_buf b = { NULL, 0, 0, 0 };
	int64_t rows = (nseats + per_row - 1) / per_row, r, nsec, s;
	int64_t grid;
	char row[16];

	if (rows_per_section <= 0 || rows <= rows_per_section)
		rows_per_section = (int)(rows > 0 ? rows : 1);
	nsec = (rows + rows_per_section - 1) / rows_per_section;
	/* Sections on a square-ish grid, an aisle between them. */
	for (grid = 1; grid * grid < nsec; grid++)
		;
	sl_bench_printf(&b, "venue = {\n  name = \"%s\";\n  sections = (\n",
	    name);
	for (s = 0; s < nsec; s++) {
		char prefix[32] = "";

		/* One section: labels are row and number, "A1". */
		if (nsec > 1)
			snprintf(prefix, sizeof prefix, "S%" PRId64 "-", s + 1);
		sl_bench_printf(&b, "%s    { name = \"Section %" PRId64 "\"; "
		    "prefix = \"%s\"; x = %" PRId64 "; y = %" PRId64
		    "; rows = (\n", s ? ",\n" : "", s + 1, prefix,
		    (s % grid) * (per_row + 2),
		    (s / grid) * (rows_per_section + 1));
		for (r = s * rows_per_section;
		    r < rows && r < (s + 1) * rows_per_section; r++) {
			int64_t n = nseats - r * per_row;

			if (n > per_row)
				n = per_row;
			sl_bench_row(r - s * rows_per_section, row, sizeof row);
			sl_bench_printf(&b, "%s      { row = \"%s\"; seats = "
			    "\"1-%" PRId64 "\"; }", r > s * rows_per_section ?
			    ",\n" : "", row, n);
		}
		sl_bench_printf(&b, "\n    ); }");
	}
	sl_bench_printf(&b, "\n  );\n};\n");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* ---- the run ------------------------------------------------------------ */

struct sl_bench_run;

struct sl_bench_client {
	struct sl_bench_run	*run;
	int			 idx;
	pthread_t		 thread;
	struct sl_db		*db;
	int64_t			 user;
	uint64_t		 rng;
	struct sl_hist		 hist;
	_Atomic int64_t		 bookings;
	_Atomic int64_t		 conflicts;
	_Atomic int64_t		 busy;
	_Atomic int64_t		 errors;
	int64_t			 cancels;
	int64_t			 seats_booked;
	int64_t			 next_ns;	/* paced: the next turn */
	enum sl_rc		 setup_rc;
	struct sl_err		 err;		/* setup failure */
	char			 first_error[SL_ERR_MSG];
	int			 done;
};

struct sl_bench_listener {
	struct sl_db		*db;
	int64_t			 show_idx;
	int64_t			*arrival;	/* ns, per seat k of the show */
	int64_t			 last_seq;
	int64_t			 gaps;
	int64_t			 notifications;
	int64_t			 reloads;
	_Atomic int64_t		 heard;		/* distinct seats heard */
};

struct sl_bench_seatid {
	int64_t	id;
	int64_t	k;
};

struct sl_bench_run {
	const struct sl_bench_opts	*o;
	struct sl_config		 cfg;
	struct sl_bench_result		*r;
	char				 tag[96];
	struct sl_db			*db;	/* the calling thread's */
	struct sl_pool			*pool;	/* --pool: the clients' */

	int64_t				 venue;
	int64_t				 show_seats;	/* seats per show */
	int64_t				*shows;	/* ours, then pgbench's */
	int64_t				 nshows;
	int64_t				 npgshows;
	int64_t				 capacity;	/* slots of our shows */
	struct sl_bench_seatid		*seatids;	/* sorted by id */

	/* spread/listen: slot p is seat p % show_seats of show p / show_seats,
	 * taken in the order of a random permutation. */
	uint32_t			*perm;
	int64_t				*commit_ns;
	_Atomic int64_t			 next;
	_Atomic int			 stop;
	int64_t				 limit;	/* attempts, 0 = none */

	/* flash and multi: seats known to be sold */
	_Atomic unsigned char		*known;
	void				*known_mem;
	_Atomic int64_t			 nknown;

	/* The start gate: clients count themselves ready, then wait for
	 * gate to be 1 (go) or 2 (abort). */
	pthread_cond_t			 cv;
	int				 nready;
	int				 gate;
	struct sl_bench_client		*cl;
	int				 ncl;

	struct sl_bench_listener	*ls;
	int				 nls;
	_Atomic int			 ls_stop;
	_Atomic int			 ls_failed;
	char				 ls_error[SL_ERR_MSG];
	pthread_mutex_t			 mu;
};

/*
 * Brings the planner's statistics up to date after the run has made its
 * venue and shows.  Without it, a new venue's id is unknown to the
 * statistics (estimated at one seat), and sl_book's label lookup, planned
 * with that estimate, walks every seat of the venue through the position
 * index instead of probing the label index - the state of any venue in
 * the minute after its import, until autovacuum analyzes.  The bench
 * measures the steady state.  A role that does not own the tables gets a
 * warning and the statistics stay as they are.
 */
static enum sl_rc
sl_bench_analyze(struct sl_bench_run *run, struct sl_err *e)
{
	return sl_db_exec(run->db, "ANALYZE seat, show_seat, show", e);
}

static void
sl_bench_client_error(struct sl_bench_client *c, const struct sl_err *e)
{
	atomic_fetch_add_explicit(&c->errors, 1, memory_order_relaxed);
	if (c->first_error[0] == '\0')
		snprintf(c->first_error, sizeof c->first_error, "%.480s%s%s",
		    e->msg, e->sqlstate[0] ? " SQLSTATE " : "", e->sqlstate);
}

/* Counts the outcome of one booking call; 1 when it booked. */
static int
sl_bench_outcome(struct sl_bench_client *c, enum sl_rc rc,
    const struct sl_err *e, int64_t t0, int64_t t1)
{
	sl_hist_add(&c->hist, (uint64_t)((t1 - t0) / 1000));
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
	sl_bench_client_error(c, e);
	return 0;
}

/*
 * With a rate, waits for this client's next turn: each client books every
 * clients / rate seconds, the clients staggered.  A client that falls
 * behind goes on at once, without bursts to catch up.
 */
static void
sl_bench_pace(struct sl_bench_client *c)
{
	int64_t now, gap = (int64_t)(1e9 * c->run->ncl / c->run->o->rate);
	struct timespec ts;

	now = sl_bench_ns();
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
sl_bench_more(struct sl_bench_client *c, int64_t *slot)
{
	struct sl_bench_run *run = c->run;
	int64_t i;

	if (run->o->rate > 0)
		sl_bench_pace(c);
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
sl_bench_db(struct sl_bench_client *c, struct sl_err *e)
{
	struct sl_db *db;

	if (c->run->pool == NULL)
		return c->db;
	if (sl_pool_get(c->run->pool, SL_BENCH_POOL_WAIT_MS, &db, e) != SL_OK)
		return NULL;
	return db;
}

static void
sl_bench_db_done(struct sl_bench_client *c, struct sl_db *db)
{
	if (c->run->pool != NULL)
		sl_pool_put(c->run->pool, db);
}

static int
sl_bench_book(struct sl_bench_client *c, int64_t show, const char *const *l,
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
	t0 = sl_bench_ns();
	if ((db = sl_bench_db(c, &e)) == NULL)
		rc = e.rc;
	else
		rc = sl_book_seats(db, show, l, n, c->user, NULL, &b, &nb, &e);
	sl_bench_db_done(c, db);
	t1 = sl_bench_ns();
	ok = sl_bench_outcome(c, rc, &e, t0, t1);
	if (ok) {
		c->seats_booked += (int64_t)nb;
		if (booking != NULL)
			*booking = nb > 0 ? b[0].id : 0;
		free(b);
	}
	return ok;
}

static void
sl_bench_cancel(struct sl_bench_client *c, int64_t booking)
{
	struct sl_db *db;
	struct sl_err e;

	sl_err_clear(&e);
	if ((db = sl_bench_db(c, &e)) != NULL &&
	    sl_book_cancel(db, booking, NULL, NULL, &e) == SL_OK)
		c->cancels++;
	else
		sl_bench_client_error(c, &e);
	sl_bench_db_done(c, db);
}

static void
sl_bench_loop_spread(struct sl_bench_client *c)
{
	struct sl_bench_run *run = c->run;
	char label[SL_LABEL_MAX + 1];
	const char *lp[1] = { label };
	int64_t i, p;

	while (sl_bench_more(c, &i)) {
		if (i >= run->capacity) {
			run->r->exhausted = 1;
			break;
		}
		p = run->perm[i];
		sl_bench_label(p % run->show_seats, SL_BENCH_PER_ROW, label,
		    sizeof label);
		if (sl_bench_book(c, run->shows[p / run->show_seats], lp, 1,
		    NULL))
			run->commit_ns[p] = sl_bench_ns();
	}
}

/* hot and toggle: a random seat of the pool; a winner cancels at once. */
static void
sl_bench_loop_toggle(struct sl_bench_client *c)
{
	struct sl_bench_run *run = c->run;
	char label[SL_LABEL_MAX + 1];
	const char *lp[1] = { label };
	int64_t i, booking;

	while (sl_bench_more(c, &i)) {
		sl_bench_label((int64_t)sl_bench_below(&c->rng,
		    (uint64_t)run->capacity), SL_BENCH_PER_ROW, label,
		    sizeof label);
		if (sl_bench_book(c, run->shows[0], lp, 1, &booking))
			sl_bench_cancel(c, booking);
	}
}

static int
sl_bench_is_known(struct sl_bench_run *run, int64_t k)
{
	return atomic_load_explicit(&run->known[k], memory_order_relaxed);
}

static void
sl_bench_set_known(struct sl_bench_run *run, int64_t k)
{
	if (!atomic_exchange_explicit(&run->known[k], 1, memory_order_relaxed))
		atomic_fetch_add_explicit(&run->nknown, 1,
		    memory_order_relaxed);
}

/* flash: seats not yet known to be sold, until none is left. */
/*
 * best: every client asks for the best 1 to 4 adjacent seats of one fresh
 * show, as a clerk pressing "b" would, until a single seat is refused:
 * the show is sold out (but for its wheelchair and companion places,
 * which best available never picks).
 */
static void
sl_bench_loop_best(struct sl_bench_client *c)
{
	struct sl_bench_run *run = c->run;
	struct sl_booking *b;
	struct sl_db *db;
	struct sl_err e;
	int64_t i, t0, t1;
	size_t nb;
	enum sl_rc rc;
	int want;

	while (sl_bench_more(c, &i)) {
		want = 1 + (int)sl_bench_below(&c->rng, 4);
		sl_err_clear(&e);
		t0 = sl_bench_ns();
		if ((db = sl_bench_db(c, &e)) == NULL)
			rc = e.rc;
		else
			rc = sl_sell_best(db, run->shows[0], want, c->user,
			    NULL, NULL, &b, &nb, &e);
		sl_bench_db_done(c, db);
		t1 = sl_bench_ns();
		if (sl_bench_outcome(c, rc, &e, t0, t1)) {
			c->seats_booked += (int64_t)nb;
			free(b);
		} else if (rc == SL_ECONFLICT && want == 1) {
			run->r->exhausted = 1;
			atomic_store(&run->stop, 1);
		}
	}
}

static void
sl_bench_loop_flash(struct sl_bench_client *c)
{
	struct sl_bench_run *run = c->run;
	char label[SL_LABEL_MAX + 1];
	const char *lp[1] = { label };
	struct sl_err e;
	struct sl_booking *b;
	struct sl_db *db;
	int64_t i, k, j, n = run->capacity, t0, t1;
	size_t nb;
	enum sl_rc rc;

	while (atomic_load_explicit(&run->nknown, memory_order_relaxed) < n &&
	    sl_bench_more(c, &i)) {
		k = (int64_t)sl_bench_below(&c->rng, (uint64_t)n);
		for (j = 0; j < n && sl_bench_is_known(run, (k + j) % n); j++)
			;
		if (j == n)
			break;
		k = (k + j) % n;
		sl_bench_label(k, SL_BENCH_PER_ROW, label, sizeof label);
		sl_err_clear(&e);
		t0 = sl_bench_ns();
		if ((db = sl_bench_db(c, &e)) == NULL)
			rc = e.rc;
		else
			rc = sl_book_seats(db, run->shows[0], lp, 1, c->user,
			    NULL, &b, &nb, &e);
		sl_bench_db_done(c, db);
		t1 = sl_bench_ns();
		if (sl_bench_outcome(c, rc, &e, t0, t1)) {
			c->seats_booked += (int64_t)nb;
			free(b);
		}
		/* Sold, to us or to another: either way it is gone. */
		if (rc == SL_OK || rc == SL_ECONFLICT)
			sl_bench_set_known(run, k);
	}
}

/* Marks the seats a conflict named (e->detail: labels, space-separated). */
static void
sl_bench_mark_detail(struct sl_bench_run *run, int64_t show_idx,
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
		    number > SL_BENCH_PER_ROW || row[0] == '\0' ||
		    row[1] != '\0')
			continue;
		r = row[0] - 'A';
		if (r < 0 || r >= run->show_seats / SL_BENCH_PER_ROW)
			continue;
		sl_bench_set_known(run, show_idx * run->show_seats +
		    r * SL_BENCH_PER_ROW + number - 1);
	}
}

/* multi: 2..6 adjacent seats of a row, all or none. */
static void
sl_bench_loop_multi(struct sl_bench_client *c)
{
	struct sl_bench_run *run = c->run;
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
	while (sl_bench_more(c, &i)) {
		for (tries = 0; tries < 64; tries++) {
			s = (int64_t)sl_bench_below(&c->rng,
			    (uint64_t)run->nshows);
			z = 2 + (int)sl_bench_below(&c->rng, 5);
			base = s * run->show_seats + (int64_t)sl_bench_below(
			    &c->rng, (uint64_t)(run->show_seats /
			    SL_BENCH_PER_ROW)) * SL_BENCH_PER_ROW;
			col = (int)sl_bench_below(&c->rng,
			    (uint64_t)(SL_BENCH_PER_ROW - z + 1));
			free_ok = 1;
			for (j = 0; j < z && free_ok; j++)
				free_ok = !sl_bench_is_known(run,
				    base + col + j);
			if (free_ok)
				break;
		}
		if (tries == 64) {
			run->r->exhausted = 1;
			break;
		}
		for (j = 0; j < z; j++)
			sl_bench_label(base - s * run->show_seats + col + j,
			    SL_BENCH_PER_ROW, labels[j], sizeof labels[j]);
		sl_err_clear(&e);
		t0 = sl_bench_ns();
		if ((db = sl_bench_db(c, &e)) == NULL)
			rc = e.rc;
		else
			rc = sl_book_seats(db, run->shows[s], lp, (size_t)z,
			    c->user, NULL, &b, &nb, &e);
		sl_bench_db_done(c, db);
		t1 = sl_bench_ns();
		if (sl_bench_outcome(c, rc, &e, t0, t1)) {
			c->seats_booked += (int64_t)nb;
			free(b);
			for (j = 0; j < z; j++)
				sl_bench_set_known(run, base + col + j);
		} else if (rc == SL_ECONFLICT)
			sl_bench_mark_detail(run, s, e.detail);
	}
}

static void *
sl_bench_client_main(void *arg)
{
	struct sl_bench_client *c = arg;
	struct sl_bench_run *run = c->run;
	char name[128], email[160], starts[64];
	struct sl_err *e = &c->err;
	int64_t j;
	time_t t;
	struct tm tm;

	sl_hist_init(&c->hist);
	/* Behind a pool the client's setup borrows a connection too. */
	if (run->pool == NULL)
		c->setup_rc = sl_db_connect(&run->cfg, &c->db, e);
	else
		c->setup_rc = sl_pool_get(run->pool, SL_BENCH_POOL_WAIT_MS,
		    &c->db, e);
	if (c->setup_rc != SL_OK) {
		c->db = NULL;
		goto ready;
	}
	snprintf(name, sizeof name, "Bench client %d", c->idx + 1);
	snprintf(email, sizeof email, "bench-%s-%d@bench.invalid", run->tag,
	    c->idx + 1);
	c->setup_rc = sl_user_register(c->db, name, email, NULL, &c->user, e);
	if (c->setup_rc != SL_OK)
		goto ready;
	/* This client's share of the shows, in parallel with the others:
	 * making 100,000 inventory rows takes seconds. */
	for (j = c->idx; j < run->nshows; j += run->ncl) {
		t = (time_t)4102444800 + (time_t)j * 3600;	/* 2100-01-01 */
		gmtime_r(&t, &tm);
		strftime(starts, sizeof starts, "%Y-%m-%d %H:%M:%S+00", &tm);
		snprintf(name, sizeof name, "bench %s #%" PRId64, run->tag,
		    j + 1);
		c->setup_rc = sl_show_add(c->db, run->venue, name, starts,
		    &run->shows[j], e);
		if (c->setup_rc != SL_OK)
			goto ready;
		if (atomic_load(&run->stop))
			break;
	}
ready:
	if (run->pool != NULL) {
		sl_pool_put(run->pool, c->db);
		c->db = NULL;
	}
	pthread_mutex_lock(&run->mu);
	run->nready++;
	pthread_cond_broadcast(&run->cv);
	while (run->gate == 0)
		pthread_cond_wait(&run->cv, &run->mu);
	if (run->gate != 1) {
		c->done = 1;
		pthread_mutex_unlock(&run->mu);
		return NULL;
	}
	pthread_mutex_unlock(&run->mu);
	switch (run->o->scenario) {
	case SL_BENCH_SPREAD:
	case SL_BENCH_LISTEN:
		sl_bench_loop_spread(c);
		break;
	case SL_BENCH_HOT:
	case SL_BENCH_TOGGLE:
		sl_bench_loop_toggle(c);
		break;
	case SL_BENCH_FLASH:
		sl_bench_loop_flash(c);
		break;
	case SL_BENCH_BEST:
		sl_bench_loop_best(c);
		break;
	case SL_BENCH_MULTI:
		sl_bench_loop_multi(c);
		break;
	case SL_BENCH_STADIUM:
	case SL_BENCH_EXPLAIN:
		break;
	}
	pthread_mutex_lock(&run->mu);
	c->done = 1;
	pthread_mutex_unlock(&run->mu);
	return NULL;
}

/* ---- listeners ---------------------------------------------------------- */

/* Finds "key": in a JSON object and returns what follows the colon. */
static const char *
sl_bench_json_key(const char *p, const char *key)
{
	size_t n = strlen(key);

	while ((p = strchr(p, '"')) != NULL) {
		if (strncmp(p + 1, key, n) == 0 && p[n + 1] == '"') {
			p += n + 2;
			while (*p == ' ')
				p++;
			if (*p != ':')
				return NULL;
			p++;
			while (*p == ' ')
				p++;
			return p;
		}
		p++;
	}
	return NULL;
}

/*
 * Takes {"show":N,"seq":N,"state":"...","seats":[N,...]|null} apart, as
 * json_build_object writes it.  The bench wrote every payload it reads, so
 * this is no general JSON parser.  Calls fn for each seat; *reload when the
 * seats are null.  Returns 0, or -1 on anything unexpected.
 */
static int
sl_bench_payload(const char *payload, int64_t *show, int64_t *seq,
    int *reload, void (*fn)(void *, int64_t), void *arg)
{
	const char *p;
	char *end;

	if ((p = sl_bench_json_key(payload, "show")) == NULL)
		return -1;
	*show = strtoll(p, &end, 10);
	if (end == p || (p = sl_bench_json_key(payload, "seq")) == NULL)
		return -1;
	*seq = strtoll(p, &end, 10);
	if (end == p || (p = sl_bench_json_key(payload, "seats")) == NULL)
		return -1;
	*reload = 0;
	if (strncmp(p, "null", 4) == 0) {
		*reload = 1;
		return 0;
	}
	if (*p++ != '[')
		return -1;
	for (;;) {
		int64_t v;

		while (*p == ' ' || *p == ',')
			p++;
		if (*p == ']')
			return 0;
		v = strtoll(p, &end, 10);
		if (end == p)
			return -1;
		fn(arg, v);
		p = end;
	}
}

struct sl_bench_heard {
	struct sl_bench_run		*run;
	struct sl_bench_listener	*l;
	int64_t				 now;
};

static void
sl_bench_heard_seat(void *arg, int64_t seat_id)
{
	struct sl_bench_heard *h = arg;
	struct sl_bench_run *run = h->run;
	size_t lo = 0, hi = (size_t)run->show_seats;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (run->seatids[mid].id < seat_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= (size_t)run->show_seats || run->seatids[lo].id != seat_id)
		return;
	if (h->l->arrival[run->seatids[lo].k] == 0) {
		h->l->arrival[run->seatids[lo].k] = h->now;
		atomic_fetch_add_explicit(&h->l->heard, 1,
		    memory_order_relaxed);
	}
}

struct sl_bench_lthread {
	struct sl_bench_run	*run;
	int			 first, n;
	pthread_t		 thread;
};

static void
sl_bench_listen_one(struct sl_bench_run *run, struct sl_bench_listener *l)
{
	PGconn *pg = sl_db_pg(l->db);
	PGnotify *nt;
	struct sl_bench_heard h;
	int64_t show, seq;
	int reload;

	if (!PQconsumeInput(pg)) {
		pthread_mutex_lock(&run->mu);
		snprintf(run->ls_error, sizeof run->ls_error,
		    "listener lost its connection: %s", PQerrorMessage(pg));
		pthread_mutex_unlock(&run->mu);
		atomic_store(&run->ls_failed, 1);
		return;
	}
	h.run = run;
	h.l = l;
	h.now = sl_bench_ns();
	while ((nt = PQnotifies(pg)) != NULL) {
		l->notifications++;
		if (sl_bench_payload(nt->extra, &show, &seq, &reload,
		    sl_bench_heard_seat, &h) == 0 &&
		    show == run->shows[l->show_idx]) {
			if (seq != l->last_seq + 1)
				l->gaps++;
			l->last_seq = seq;
			l->reloads += reload;
		}
		PQfreemem(nt);
		PQconsumeInput(pg);
	}
}

static void *
sl_bench_listen_main(void *arg)
{
	struct sl_bench_lthread *t = arg;
	struct sl_bench_run *run = t->run;
	struct pollfd pfd[SL_BENCH_LISTEN_PER_THREAD];
	int i;

	for (i = 0; i < t->n; i++) {
		pfd[i].fd = PQsocket(sl_db_pg(run->ls[t->first + i].db));
		pfd[i].events = POLLIN;
	}
	while (!atomic_load(&run->ls_stop)) {
		if (poll(pfd, (nfds_t)t->n, 20) < 0 && errno != EINTR)
			break;
		for (i = 0; i < t->n; i++)
			if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
				sl_bench_listen_one(run,
				    &run->ls[t->first + i]);
	}
	return NULL;
}

/* Connects the listeners, each LISTENing to one show of the run. */
static enum sl_rc
sl_bench_listeners_open(struct sl_bench_run *run, struct sl_err *e)
{
	char sql[64];
	enum sl_rc rc;
	int i;

	run->ls = calloc((size_t)run->o->listeners, sizeof *run->ls);
	if (run->ls == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < run->o->listeners; i++) {
		struct sl_bench_listener *l = &run->ls[i];

		l->show_idx = i % run->nshows;
		l->arrival = calloc((size_t)run->show_seats,
		    sizeof *l->arrival);
		if (l->arrival == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		rc = sl_db_connect(&run->cfg, &l->db, e);
		if (rc != SL_OK)
			return rc;
		run->nls++;
		/* LISTEN takes no parameters; the name is made of a number
		 * of ours, never of input text. */
		snprintf(sql, sizeof sql, "LISTEN seatlock_show_%" PRId64,
		    run->shows[l->show_idx]);
		rc = sl_db_exec(l->db, sql, e);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

static void
sl_bench_listeners_close(struct sl_bench_run *run)
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
static void
sl_bench_listeners_report(struct sl_bench_run *run)
{
	struct sl_bench_result *r = run->r;
	struct sl_hist *h;
	int64_t k, c, a;
	int i;

	h = malloc(sizeof *h);
	if (h == NULL)
		return;
	sl_hist_init(h);
	for (i = 0; i < run->nls; i++) {
		struct sl_bench_listener *l = &run->ls[i];

		r->notifications += l->notifications;
		r->seq_gaps += l->gaps;
		r->reloads += l->reloads;
		for (k = 0; k < run->show_seats; k++) {
			c = run->commit_ns[l->show_idx * run->show_seats + k];
			a = l->arrival[k];
			if (c == 0)
				continue;
			if (a == 0) {
				r->missed++;
				continue;
			}
			r->notified++;
			/* A notification can beat the booking's own answer
			 * to the client: that is no delay at all. */
			sl_hist_add(h, a > c ? (uint64_t)(a - c) / 1000 : 0);
		}
	}
	r->notify_p50_ms = (double)sl_hist_quantile(h, 0.50) / 1000;
	r->notify_p95_ms = (double)sl_hist_quantile(h, 0.95) / 1000;
	r->notify_p99_ms = (double)sl_hist_quantile(h, 0.99) / 1000;
	r->notify_max_ms = (double)sl_hist_quantile(h, 1) / 1000;
	free(h);
}

/* Booked seats of listened shows not heard yet by their listeners. */
static int64_t
sl_bench_unheard(struct sl_bench_run *run)
{
	int64_t want = 0, got = 0, k;
	int i;

	for (i = 0; i < run->nls; i++) {
		struct sl_bench_listener *l = &run->ls[i];

		for (k = 0; k < run->show_seats; k++)
			if (run->commit_ns[l->show_idx * run->show_seats + k])
				want++;
		got += atomic_load_explicit(&l->heard, memory_order_relaxed);
	}
	return want - got;
}

/* ---- pgbench ------------------------------------------------------------ */

/* The pgbench of the newest PostgreSQL in the Debian layout
 * (/usr/lib/postgresql/VERSION/bin), else "pgbench" from PATH. */
static void
sl_bench_find_pgbench(char *buf, size_t bufsz)
{
	const char *pre = "/usr/lib/postgresql/";
	long best = -1, v;
	size_t i;
	glob_t g;

	snprintf(buf, bufsz, "pgbench");
	if (glob("/usr/lib/postgresql/*/bin/pgbench", 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		v = strtol(g.gl_pathv[i] + strlen(pre), NULL, 10);
		if (v > best && access(g.gl_pathv[i], X_OK) == 0) {
			best = v;
			snprintf(buf, bufsz, "%s", g.gl_pathv[i]);
		}
	}
	globfree(&g);
}

static int
sl_bench_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL)
		return -1;
	ok = fputs(text, f) >= 0;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/*
 * The same booking as the clients' (sl_book of one random seat that nobody
 * else books), from pgbench's own threads: pgbench client c books slots
 * c * per, c * per + 1, ... of a random permutation of the seats of the
 * pgbench shows, so no two transactions want one seat.  A client that used
 * up its range would fail (and pgbench stop): the shows have three times
 * the seats our clients booked in the same time.
 */
static char *
sl_bench_pgbench_script(struct sl_bench_run *run, int64_t per)
{
	struct sl_bench_buf b = { NULL, 0, 0, 0 };
	int64_t i;

	sl_bench_printf(&b,
	    "-- seatlock bench: the booking of the spread scenario\n"
	    "\\set idx :client_id * %" PRId64 " + :n\n"
	    "\\set n :n + 1\n"
	    "\\set p permute(:idx, %" PRId64 ", %" PRIu64 ")\n"
	    "SELECT booking_id, seat_label FROM sl_book(('{", per,
	    run->npgshows * run->show_seats, run->o->seed);
	for (i = 0; i < run->npgshows; i++)
		sl_bench_printf(&b, "%s%" PRId64, i ? "," : "",
		    run->shows[run->nshows + i]);
	sl_bench_printf(&b, "}'::bigint[])[1 + :p / %" PRId64 "], "
	    "ARRAY[chr(65 + :p %% %" PRId64 " / %d) || (1 + :p %% %d)], "
	    "('{", run->show_seats, run->show_seats, SL_BENCH_PER_ROW,
	    SL_BENCH_PER_ROW);
	for (i = 0; i < run->ncl; i++)
		sl_bench_printf(&b, "%s%" PRId64, i ? "," : "",
		    run->cl[i].user);
	/* The request key: 32 hex digits spread over the key index like
	 * ours (random); keys with a common prefix would all land on a few
	 * leaf pages of booking_request_key and queue there. */
	sl_bench_printf(&b, "}'::bigint[])[1 + :client_id %% %d], "
	    "md5('pgbench-%s-' || :idx), 'pgbench');\n", run->ncl, run->tag);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/*
 * Reads pgbench's output.  pgbench connects its clients while its clock
 * runs (64 connections took 2 s on the busy development machine), and the
 * first call in each session compiles and plans the booking function (64
 * at once: another second or two of next to nothing), so its overall tps
 * understates what it does once running; our clients connect before the
 * start.  pgbench runs SL_BENCH_PGBENCH_WARMUP seconds longer than ours,
 * and its steady rate is the mean of its last `seconds` per-second
 * progress lines; the overall figure is kept too.
 */
static void
sl_bench_parse_pgbench(struct sl_bench_result *r, const char *out,
    int seconds)
{
	const char *p;
	long long v;
	double d, t, tps[256], sum = 0;
	int n = 0, i;

	for (p = out; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (sscanf(p, "progress: %lf s, %lf tps", &t, &d) == 2) {
			if (n < (int)(sizeof tps / sizeof tps[0]))
				tps[n++] = d;
		} else if (sscanf(p, "tps = %lf (without initial connection "
		    "time)", &d) == 1)
			r->pgbench_tps_all = d;
		else if (sscanf(p, "number of transactions actually processed: "
		    "%lld", &v) == 1)
			r->pgbench_transactions = v;
		else if (sscanf(p, "number of failed transactions: %lld",
		    &v) == 1)
			r->pgbench_failed = v;
		else if (sscanf(p, "latency average = %lf ms", &d) == 1)
			r->pgbench_latency_ms = d;
	}
	for (i = n > seconds ? n - seconds : 0; i < n; i++)
		sum += tps[i];
	r->pgbench_tps = n > 0 ? sum / (n > seconds ? seconds : n) :
	    r->pgbench_tps_all;
}

static char *
sl_bench_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct sl_bench_buf b = { NULL, 0, 0, 0 };
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	sl_bench_printf(&b, "%s", "");
	while ((n = fread(chunk, 1, sizeof chunk - 1, f)) > 0) {
		chunk[n] = '\0';
		sl_bench_printf(&b, "%s", chunk);
	}
	fclose(f);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/*
 * Adds the shows pgbench books in, after our run: three times the seats
 * our clients booked in the same time, so that pgbench, running as long,
 * cannot run out of seats unless it is three times as fast.
 */
static enum sl_rc
sl_bench_pgbench_shows(struct sl_bench_run *run, int seconds,
    struct sl_err *e)
{
	char name[160], starts[64];
	int64_t want, n, j, *ns;
	struct tm tm;
	time_t t;
	enum sl_rc rc;

	want = (int64_t)(3 * run->r->bookings_per_s * seconds) + 10 * run->ncl;
	n = (want + run->show_seats - 1) / run->show_seats;
	ns = realloc(run->shows, (size_t)(run->nshows + n) * sizeof *ns);
	if (ns == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	run->shows = ns;
	for (j = run->nshows; j < run->nshows + n; j++) {
		t = (time_t)4102444800 + (time_t)j * 3600;	/* 2100-01-01 */
		gmtime_r(&t, &tm);
		strftime(starts, sizeof starts, "%Y-%m-%d %H:%M:%S+00", &tm);
		snprintf(name, sizeof name, "bench %s pgbench #%" PRId64,
		    run->tag, j + 1);
		rc = sl_show_add(run->db, run->venue, name, starts,
		    &run->shows[j], e);
		if (rc != SL_OK)
			return rc;
		run->npgshows++;
	}
	return sl_bench_analyze(run, e);
}

/* Runs pgbench for seconds (after its warm-up) at the clients'
 * concurrency. */
static enum sl_rc
sl_bench_pgbench(struct sl_bench_run *run, int seconds, struct sl_err *e)
{
	struct sl_bench_result *r = run->r;
	const char *tmp = getenv("TMPDIR");
	char dir[512], script[600], outpath[600], bin[512];
	char cs[16], js[16], ts[32], opts[1200];
	char *argv[20], *text = NULL, *out = NULL, **env = NULL;
	const char *dsn = sl_config_dsn(&run->cfg), *old;
	posix_spawn_file_actions_t fa;
	int64_t per;
	size_t nenv = 0, i, a = 0;
	enum sl_rc rc = SL_OK;
	pid_t pid;
	int st, fd = -1, jobs;

	/* Each pgbench client books its own range of the permutation. */
	rc = sl_bench_pgbench_shows(run, seconds + SL_BENCH_PGBENCH_WARMUP, e);
	if (rc != SL_OK)
		return rc;
	per = run->npgshows * run->show_seats / run->ncl;
	snprintf(dir, sizeof dir, "%s/seatlock-bench-XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return sl_err_set(e, SL_EIO, "%s: %s", dir, strerror(errno));
	snprintf(script, sizeof script, "%s/book.sql", dir);
	snprintf(outpath, sizeof outpath, "%s/pgbench.out", dir);
	text = sl_bench_pgbench_script(run, per);
	if (text == NULL || sl_bench_write_file(script, text) != 0) {
		rc = sl_err_set(e, SL_EIO, "cannot write %s", script);
		goto out;
	}
	if (run->o->pgbench_path != NULL)
		snprintf(bin, sizeof bin, "%s", run->o->pgbench_path);
	else
		sl_bench_find_pgbench(bin, sizeof bin);
	/* One pgbench thread per client, as ours: with fewer, pgbench's own
	 * threads become the bottleneck on a busy machine. */
	jobs = run->ncl;
	snprintf(cs, sizeof cs, "%d", run->ncl);
	snprintf(js, sizeof js, "%d", jobs);
	snprintf(ts, sizeof ts, "%d", seconds + SL_BENCH_PGBENCH_WARMUP);
	argv[a++] = bin;
	argv[a++] = (char *)(uintptr_t)"-n";
	argv[a++] = (char *)(uintptr_t)"-M";
	argv[a++] = (char *)(uintptr_t)"prepared";
	argv[a++] = (char *)(uintptr_t)"-c";
	argv[a++] = cs;
	argv[a++] = (char *)(uintptr_t)"-j";
	argv[a++] = js;
	argv[a++] = (char *)(uintptr_t)"-P";
	argv[a++] = (char *)(uintptr_t)"1";
	argv[a++] = (char *)(uintptr_t)"-T";
	argv[a++] = ts;
	argv[a++] = (char *)(uintptr_t)"-D";
	argv[a++] = (char *)(uintptr_t)"n=0";
	argv[a++] = (char *)(uintptr_t)"-f";
	argv[a++] = script;
	if (*dsn != '\0')
		argv[a++] = (char *)(uintptr_t)dsn;
	argv[a] = NULL;

	/* The sessions' notify mode travels in PGOPTIONS. */
	while (environ[nenv] != NULL)
		nenv++;
	env = calloc(nenv + 2, sizeof *env);
	if (env == NULL) {
		rc = sl_err_set(e, SL_ENOMEM, "out of memory");
		goto out;
	}
	old = getenv("PGOPTIONS");
	snprintf(opts, sizeof opts, "PGOPTIONS=%s%s-c seatlock.notify_mode=%s",
	    old != NULL ? old : "", old != NULL ? " " : "", r->notify);
	for (i = 0, a = 0; i < nenv; i++)
		if (strncmp(environ[i], "PGOPTIONS=", 10) != 0)
			env[a++] = environ[i];
	env[a++] = opts;
	env[a] = NULL;

	fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = sl_err_set(e, SL_EIO, "%s: %s", outpath, strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	st = posix_spawnp(&pid, bin, &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	if (st != 0) {
		rc = sl_err_set(e, SL_EIO, "cannot run %s: %s", bin,
		    strerror(st));
		goto out;
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	out = sl_bench_slurp(outpath);
	if (out != NULL)
		sl_bench_parse_pgbench(r, out, seconds);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    r->pgbench_tps_all <= 0) {
		const char *last = out != NULL ? out : "";
		size_t n = strlen(last);

		/* The end of its output says why. */
		if (n > 300)
			last += n - 300;
		rc = sl_err_set(e, SL_EIO, "pgbench failed (%s): %s", bin,
		    last);
		goto out;
	}
	r->pgbench_ran = 1;
out:
	free(text);
	free(out);
	free(env);
	unlink(script);
	unlink(outpath);
	rmdir(dir);
	return rc;
}

/* ---- checks, clean-up, plans ------------------------------------------- */

/* "{1,2,3}": an array literal of ids, for a bigint[] parameter. */
static char *
sl_bench_ids(const int64_t *ids, int64_t n)
{
	struct sl_bench_buf b = { NULL, 0, 0, 0 };
	int64_t i;

	sl_bench_printf(&b, "{");
	for (i = 0; i < n; i++)
		sl_bench_printf(&b, "%s%" PRId64, i ? "," : "", ids[i]);
	sl_bench_printf(&b, "}");
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* The invariant, in SQL, over the run's shows. */
static enum sl_rc
sl_bench_check(struct sl_bench_run *run, const int64_t *shows, int64_t n,
    int64_t out[3], struct sl_err *e)
{
	const char *params[1];
	PGresult *res;
	enum sl_rc rc;
	char *ids;

	if ((ids = sl_bench_ids(shows, n)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	params[0] = ids;
	rc = sl_db_params(run->db,
	    "SELECT (SELECT count(*) FROM (SELECT 1 FROM booking "
	    "  WHERE show_id = ANY ($1::bigint[]) AND status = 'active' "
	    "  GROUP BY show_id, seat_id HAVING count(*) > 1) d), "
	    " (SELECT count(*) FROM show_seat ss "
	    "  WHERE ss.show_id = ANY ($1::bigint[]) "
	    "  AND (ss.state = 'booked') <> EXISTS (SELECT 1 FROM booking b "
	    "   WHERE b.show_id = ss.show_id AND b.seat_id = ss.seat_id "
	    "   AND b.status = 'active')), "
	    " (SELECT count(*) FROM booking WHERE show_id = ANY ($1::bigint[]) "
	    "  AND status = 'active')",
	    1, params, PGRES_TUPLES_OK, &res, e);
	free(ids);
	if (rc != SL_OK)
		return rc;
	if (sl_db_int64(PQgetvalue(res, 0, 0), &out[0]) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 1), &out[1]) != 0 ||
	    sl_db_int64(PQgetvalue(res, 0, 2), &out[2]) != 0)
		rc = sl_err_set(e, SL_EDB, "bad count from server");
	PQclear(res);
	return rc;
}

/*
 * Deletes the run's shows and customers in one statement (foreign keys are
 * checked at its end, when all of it is gone).  The venue and its seats
 * stay: no index serves the foreign keys that point at seats from the
 * inventory and the bookings, so deleting seats costs a scan of those
 * tables per seat.  For the same reason each deleted inventory row scans
 * the bookings: clean-up is slow on big data, and opt-in.  The audit trail
 * keeps its rows: it is append-only.  A failure (another module's rows
 * pointing at a bench show) leaves everything in place.
 */
static enum sl_rc
sl_bench_cleanup(struct sl_bench_run *run, struct sl_err *e)
{
	const char *params[2];
	char *shows, *users;
	int64_t *uid;
	PGresult *res;
	enum sl_rc rc;
	int i;

	uid = calloc((size_t)run->ncl + 1, sizeof *uid);
	if (uid == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < run->ncl; i++)
		uid[i] = run->cl[i].user;
	shows = sl_bench_ids(run->shows, run->nshows + run->npgshows);
	users = sl_bench_ids(uid, run->ncl);
	free(uid);
	if (shows == NULL || users == NULL) {
		free(shows);
		free(users);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	params[0] = shows;
	params[1] = users;
	rc = sl_db_params(run->db,
	    "WITH s AS (SELECT unnest($1::bigint[]) AS show_id), "
	    "c AS (DELETE FROM show_change WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "b AS (DELETE FROM booking WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "q AS (DELETE FROM booking_request WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "i AS (DELETE FROM show_seat WHERE show_id IN "
	    " (SELECT show_id FROM s)), "
	    "h AS (DELETE FROM show WHERE show_id IN (SELECT show_id FROM s)), "
	    "u AS (DELETE FROM app_user WHERE user_id = ANY ($2::bigint[])) "
	    "SELECT 1", 2, params, PGRES_TUPLES_OK, &res, e);
	free(shows);
	free(users);
	if (rc == SL_OK)
		PQclear(res);
	return rc;
}

static void
sl_bench_notice(void *arg, const char *message)
{
	sl_bench_printf(arg, "%s", message);
}

/*
 * Turns on auto_explain for db's session, its plans (with ANALYZE and
 * BUFFERS, nested statements of the functions included) sent as notices
 * into b.  LOAD needs a superuser.
 */
static enum sl_rc
sl_bench_explain_on(struct sl_db *db, struct sl_bench_buf *b,
    struct sl_err *e)
{
	enum sl_rc rc;

	rc = sl_db_exec(db, "LOAD 'auto_explain'", e);
	if (rc != SL_OK)
		return rc;
	rc = sl_db_exec(db,
	    "SELECT set_config('auto_explain.log_min_duration', '0', false), "
	    "set_config('auto_explain.log_analyze', 'on', false), "
	    "set_config('auto_explain.log_buffers', 'on', false), "
	    "set_config('auto_explain.log_nested_statements', 'on', false), "
	    "set_config('auto_explain.log_level', 'notice', false)", e);
	if (rc != SL_OK)
		return rc;
	PQsetNoticeProcessor(sl_db_pg(db), sl_bench_notice, b);
	return SL_OK;
}

/* Counts "Seq Scan on" lines of plans, but the change log's: the notifier
 * reads all of it by design. */
static int
sl_bench_seq_scans(const char *plans)
{
	const char *p = plans;
	int n = 0;

	while (p != NULL && (p = strstr(p, "Seq Scan on ")) != NULL) {
		p += strlen("Seq Scan on ");
		if (strncmp(p, "show_change", strlen("show_change")) != 0)
			n++;
	}
	return n;
}

/* ---- no-load scenarios ------------------------------------------------- */


static double
sl_bench_ms_since(int64_t t0)
{
	return (double)(sl_bench_ns() - t0) / 1e6;
}

static int
sl_bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Makes the run's venue from a generated layout of nseats seats. */
static enum sl_rc
sl_bench_venue(struct sl_bench_run *run, int64_t nseats, int rows_per_section,
    struct sl_err *e)
{
	struct sl_bench_result *r = run->r;
	struct sl_layout *l = NULL;
	char name[160], *text;
	int64_t t0;
	enum sl_rc rc;

	snprintf(name, sizeof name, "bench %s", run->tag);
	t0 = sl_bench_ns();
	text = sl_bench_layout(name, nseats, SL_BENCH_PER_ROW,
	    rows_per_section);
	if (text == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	rc = sl_layout_parse(text, "bench venue", &l, e);
	free(text);
	if (rc != SL_OK)
		return rc;
	r->layout_ms = sl_bench_ms_since(t0);
	r->venue_seats = (int64_t)l->n;
	t0 = sl_bench_ns();
	rc = sl_venue_import(run->db, l, 0, &run->venue, NULL, e);
	r->import_ms = sl_bench_ms_since(t0);
	sl_layout_free(l);
	return rc;
}

/*
 * The states of a show's seats alone, without the layout: what a terminal
 * that keeps the map needs to reload after a notification or a reconnect.
 * Served by show_seat's primary key, in key order.
 */
static enum sl_rc
sl_bench_states(struct sl_db *db, int64_t show, int64_t *n, struct sl_err *e)
{
	const char *params[1];
	char ibuf[24];
	PGresult *res;
	enum sl_rc rc;

	snprintf(ibuf, sizeof ibuf, "%" PRId64, show);
	params[0] = ibuf;
	rc = sl_db_params(db, "SELECT seat_id, state FROM show_seat "
	    "WHERE show_id = $1 ORDER BY seat_id", 1, params, PGRES_TUPLES_OK,
	    &res, e);
	if (rc != SL_OK)
		return rc;
	*n = PQntuples(res);
	PQclear(res);
	return SL_OK;
}

/* Captures the plans of the seat map query and of the states query of
 * show on a connection of its own (auto_explain), into r->plans. */
static void
sl_bench_map_plan(struct sl_bench_run *run, int64_t show)
{
	struct sl_bench_buf b = { NULL, 0, 0, 0 };
	struct sl_seats *ss = NULL;
	struct sl_db *x = NULL;
	struct sl_err e;
	size_t at;
	int64_t n;

	sl_err_clear(&e);
	sl_bench_printf(&b, "%s", "");
	if (sl_db_connect(&run->cfg, &x, &e) == SL_OK &&
	    sl_bench_explain_on(x, &b, &e) == SL_OK &&
	    sl_show_seats(x, show, &ss, &e) == SL_OK) {
		run->r->seq_scan = sl_bench_seq_scans(b.s);
		at = b.len;
		if (sl_bench_states(x, show, &n, &e) == SL_OK && !b.oom)
			run->r->states_seq_scan = sl_bench_seq_scans(b.s + at);
	} else
		sl_bench_printf(&b, "no plans: %s\n", e.msg);
	sl_seats_free(ss);
	sl_db_close(x);
	run->r->plans = b.oom ? NULL : b.s;
}

static enum sl_rc
sl_bench_stadium(struct sl_bench_run *run, struct sl_err *e)
{
	struct sl_bench_result *r = run->r;
	struct sl_seats *ss;
	double ms[32];
	int64_t t0, states;
	enum sl_rc rc;
	int i, n, pass;

	rc = sl_bench_venue(run, run->o->seats > 0 ? run->o->seats : 100000,
	    50, e);
	if (rc != SL_OK)
		return rc;
	t0 = sl_bench_ns();
	rc = sl_show_add(run->db, run->venue, "bench stadium",
	    "2100-01-01 00:00:00+00", &run->shows[0], e);
	if (rc != SL_OK)
		return rc;
	run->nshows = 1;
	r->shows = 1;
	r->show_add_ms = sl_bench_ms_since(t0);
	n = run->o->count > 0 && run->o->count < 32 ? (int)run->o->count : 7;
	/* Loads right after the import, with the statistics not knowing the
	 * new venue yet, then in the steady state after ANALYZE. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && (rc = sl_bench_analyze(run, e)) != SL_OK)
			return rc;
		for (i = 0; i < n; i++) {
			t0 = sl_bench_ns();
			rc = sl_show_seats(run->db, run->shows[0], &ss, e);
			if (rc != SL_OK)
				return rc;
			ms[i] = sl_bench_ms_since(t0);
			if ((int64_t)ss->n != r->venue_seats) {
				sl_seats_free(ss);
				return sl_err_set(e, SL_EDB, "the map has %zu "
				    "seats, not %" PRId64, ss->n,
				    r->venue_seats);
			}
			sl_seats_free(ss);
		}
		qsort(ms, (size_t)n, sizeof ms[0], sl_bench_cmp_double);
		if (pass == 0) {
			r->load_fresh_p50_ms = ms[(n - 1) / 2];
			r->load_fresh_max_ms = ms[n - 1];
		} else {
			r->load_p50_ms = ms[(n - 1) / 2];
			r->load_max_ms = ms[n - 1];
		}
	}
	r->load_runs = n;
	for (i = 0; i < n; i++) {
		t0 = sl_bench_ns();
		rc = sl_bench_states(run->db, run->shows[0], &states, e);
		if (rc != SL_OK)
			return rc;
		ms[i] = sl_bench_ms_since(t0);
	}
	qsort(ms, (size_t)n, sizeof ms[0], sl_bench_cmp_double);
	r->states_p50_ms = ms[(n - 1) / 2];
	r->states_max_ms = ms[n - 1];
	sl_bench_map_plan(run, run->shows[0]);
	return SL_OK;
}

/*
 * The plans of one booking and one cancel (every statement inside the
 * functions), one seat map and one show list, after five bookings in the
 * same session so that PL/pgSQL has had the chance to switch to generic
 * plans, as a long-running terminal has.
 */
static enum sl_rc
sl_bench_explain(struct sl_bench_run *run, struct sl_err *e)
{
	struct sl_bench_buf b = { NULL, 0, 0, 0 };
	struct sl_booking *bk = NULL;
	struct sl_show *list = NULL;
	struct sl_seats *ss = NULL;
	struct sl_db *x = NULL;
	char label[SL_LABEL_MAX + 1], out[24];
	const char *lp[1] = { label };
	size_t nb, nlist = 0;
	enum sl_rc rc;
	int i;

	rc = sl_db_connect(&run->cfg, &x, e);
	if (rc != SL_OK)
		return rc;
	for (i = 0; i <= 5; i++) {
		if (i == 5) {
			sl_bench_printf(&b, "%s", "");
			rc = sl_bench_explain_on(x, &b, e);
			if (rc != SL_OK)
				goto out;
		}
		sl_bench_label(i, SL_BENCH_PER_ROW, label, sizeof label);
		rc = sl_book_seats(x, run->shows[0], lp, 1, run->cl[0].user,
		    NULL, &bk, &nb, e);
		if (rc != SL_OK)
			goto out;
		rc = sl_book_cancel(x, bk[0].id, NULL, NULL, e);
		free(bk);
		if (rc != SL_OK)
			goto out;
	}
	if ((rc = sl_show_seats(x, run->shows[0], &ss, e)) != SL_OK ||
	    (rc = sl_show_list(x, &list, &nlist, e)) != SL_OK)
		goto out;
	if (strcmp(run->r->notify, "batched") == 0)
		rc = sl_db_query_value(x, "SELECT sl_notify_flush()", 0, NULL,
		    out, sizeof out, e);
out:
	sl_seats_free(ss);
	sl_show_list_free(list, nlist);
	sl_db_close(x);
	if (b.oom) {
		free(b.s);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	run->r->plans = b.s;
	if (b.s != NULL)
		run->r->seq_scan = sl_bench_seq_scans(b.s);
	return rc;
}

/* ---- the main line ------------------------------------------------------ */

static int
sl_bench_cmp_seatid(const void *a, const void *b)
{
	const struct sl_bench_seatid *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Seat ids of the venue, to map the ids in notifications back to seats:
 * the map comes ordered by position, which is label order here. */
static enum sl_rc
sl_bench_seat_ids(struct sl_bench_run *run, struct sl_err *e)
{
	char label[SL_LABEL_MAX + 1];
	struct sl_seats *ss;
	enum sl_rc rc;
	size_t k;

	rc = sl_show_seats(run->db, run->shows[0], &ss, e);
	if (rc != SL_OK)
		return rc;
	run->seatids = calloc(ss->n, sizeof *run->seatids);
	if (run->seatids == NULL) {
		sl_seats_free(ss);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	for (k = 0; k < ss->n; k++) {
		sl_bench_label((int64_t)k, SL_BENCH_PER_ROW, label,
		    sizeof label);
		if ((int64_t)ss->n != run->show_seats ||
		    strcmp(ss->seat[k].label, label) != 0) {
			sl_seats_free(ss);
			return sl_err_set(e, SL_EDB, "the bench venue's seats "
			    "are not in label order");
		}
		run->seatids[k].id = ss->seat[k].id;
		run->seatids[k].k = (int64_t)k;
	}
	qsort(run->seatids, ss->n, sizeof *run->seatids, sl_bench_cmp_seatid);
	sl_seats_free(ss);
	return SL_OK;
}

static void
sl_bench_tally(struct sl_bench_run *run, int64_t *b, int64_t *c,
    int64_t *err)
{
	int i;

	*b = *c = *err = 0;
	for (i = 0; i < run->ncl; i++) {
		*b += atomic_load_explicit(&run->cl[i].bookings,
		    memory_order_relaxed);
		*c += atomic_load_explicit(&run->cl[i].conflicts,
		    memory_order_relaxed);
		*c += atomic_load_explicit(&run->cl[i].busy,
		    memory_order_relaxed);
		*err += atomic_load_explicit(&run->cl[i].errors,
		    memory_order_relaxed);
	}
}

static void
sl_bench_progress(struct sl_bench_run *run, const char *phase, double t,
    double rate)
{
	struct sl_bench_progress p;

	if (run->o->progress == NULL)
		return;
	memset(&p, 0, sizeof p);
	p.phase = phase;
	p.elapsed_s = t;
	p.bookings_per_s = rate;
	if (run->cl != NULL)
		sl_bench_tally(run, &p.bookings, &p.conflicts, &p.errors);
	run->o->progress(&p, run->o->arg);
}

/*
 * Runs the clients from the go signal to the end; t0 is the start.  Also
 * measures the steady rate: the bookings between the first second (the
 * sessions' first calls compile and plan the booking function) and the
 * stop, as pgbench's is measured after its warm-up.
 */
static void
sl_bench_drive(struct sl_bench_run *run, int64_t t0)
{
	int64_t last_t = t0, last_b = 0, b, c, err, now;
	int64_t warm_t = 0, warm_b = 0;
	int i, done;

	for (;;) {
		sl_bench_sleep_ms(50);
		now = sl_bench_ns();
		pthread_mutex_lock(&run->mu);
		for (i = 0, done = 0; i < run->ncl; i++)
			done += run->cl[i].done;
		pthread_mutex_unlock(&run->mu);
		if (done == run->ncl)
			break;
		if (run->o->count == 0 && !atomic_load(&run->stop) &&
		    now - t0 >= (int64_t)(run->o->seconds * 1e9)) {
			atomic_store(&run->stop, 1);
			sl_bench_tally(run, &b, &c, &err);
			if (warm_t > 0 && now - warm_t >= 1000000000)
				run->r->steady_per_s = (double)(b - warm_b) *
				    1e9 / (double)(now - warm_t);
		}
		if (atomic_load(&run->ls_failed))
			atomic_store(&run->stop, 1);
		if (now - last_t >= 1000000000) {
			sl_bench_tally(run, &b, &c, &err);
			sl_bench_progress(run, "run", (double)(now - t0) / 1e9,
			    (double)(b - last_b) * 1e9 /
			    (double)(now - last_t));
			last_t = now;
			last_b = b;
			if (warm_t == 0) {
				warm_t = now;
				warm_b = b;
			}
		}
	}
}

static void
sl_bench_results(struct sl_bench_run *run)
{
	struct sl_bench_result *r = run->r;
	struct sl_hist *h;
	int i;

	h = malloc(sizeof *h);
	if (h == NULL)
		return;
	sl_hist_init(h);
	for (i = 0; i < run->ncl; i++) {
		struct sl_bench_client *c = &run->cl[i];

		sl_hist_merge(h, &c->hist);
		r->bookings += c->bookings;
		r->conflicts += c->conflicts;
		r->busy += c->busy;
		r->errors += c->errors;
		r->cancels += c->cancels;
		r->seats_booked += c->seats_booked;
		if (r->first_error[0] == '\0' && c->first_error[0] != '\0')
			snprintf(r->first_error, sizeof r->first_error, "%s",
			    c->first_error);
	}
	if (r->elapsed_s > 0) {
		r->bookings_per_s = (double)r->bookings / r->elapsed_s;
		if (r->steady_per_s == 0)
			r->steady_per_s = r->bookings_per_s;
		r->conflicts_per_s = (double)(r->conflicts + r->busy) /
		    r->elapsed_s;
	}
	r->p50_ms = (double)sl_hist_quantile(h, 0.50) / 1000;
	r->p95_ms = (double)sl_hist_quantile(h, 0.95) / 1000;
	r->p99_ms = (double)sl_hist_quantile(h, 0.99) / 1000;
	r->max_ms = (double)sl_hist_quantile(h, 1) / 1000;
	r->mean_ms = sl_hist_mean(h) / 1000;
	free(h);
}

static enum sl_rc
sl_bench_check_opts(const struct sl_bench_opts *o, struct sl_err *e)
{
	int load = o->scenario != SL_BENCH_STADIUM &&
	    o->scenario != SL_BENCH_EXPLAIN;

	if (load && (o->clients < 1 || o->clients > SL_BENCH_MAX_CLIENTS))
		return sl_err_set(e, SL_EINVAL, "--clients must be 1 to %d",
		    SL_BENCH_MAX_CLIENTS);
	if (load && o->count == 0 && !(o->seconds > 0 && o->seconds <= 86400))
		return sl_err_set(e, SL_EINVAL, "--seconds must be more than 0 "
		    "and at most 86400");
	if (load && (o->pool < 0 || o->pool > o->clients))
		return sl_err_set(e, SL_EINVAL, "--pool must be 0 (a "
		    "connection per client) to the number of clients");
	if (!(o->rate >= 0 && o->rate <= 1e6))
		return sl_err_set(e, SL_EINVAL, "--rate must be 0 to 1000000");
	if (o->count < 0 || o->seats < 0)
		return sl_err_set(e, SL_EINVAL, "--count and --seats must not "
		    "be negative");
	if (o->listeners < 0 || o->listeners > SL_BENCH_MAX_LISTENERS)
		return sl_err_set(e, SL_EINVAL, "--listeners must be 0 to %d",
		    SL_BENCH_MAX_LISTENERS);
	if ((o->listeners > 0 || o->pgbench) &&
	    o->scenario != SL_BENCH_SPREAD && o->scenario != SL_BENCH_LISTEN)
		return sl_err_set(e, SL_EINVAL, "--listeners and "
		    "--compare-pgbench go with the spread and listen "
		    "scenarios");
	if (o->notify != NULL && strcmp(o->notify, "per-commit") != 0 &&
	    strcmp(o->notify, "batched") != 0 && strcmp(o->notify, "off") != 0)
		return sl_err_set(e, SL_EINVAL, "--notify must be per-commit, "
		    "batched or off");
	switch (o->scenario) {
	case SL_BENCH_HOT:
	case SL_BENCH_TOGGLE:
		if (o->seats > SL_BENCH_SHOW_SEATS)
			return sl_err_set(e, SL_EINVAL, "--seats of %s: at "
			    "most %d", sl_bench_scenario_name(o->scenario),
			    SL_BENCH_SHOW_SEATS);
		break;
	case SL_BENCH_FLASH:
	case SL_BENCH_BEST:
	case SL_BENCH_STADIUM:
		if (o->seats > SL_LAYOUT_MAX_SEATS)
			return sl_err_set(e, SL_EINVAL, "--seats: at most %d",
			    SL_LAYOUT_MAX_SEATS);
		break;
	case SL_BENCH_SPREAD:
	case SL_BENCH_LISTEN:
	case SL_BENCH_MULTI:
		if (o->seats > 100000000)
			return sl_err_set(e, SL_EINVAL, "--seats: at most "
			    "100000000");
		break;
	case SL_BENCH_EXPLAIN:
		break;
	}
	return SL_OK;
}

/* Sizes the run: seats per show, shows, the slots the clients use. */
static void
sl_bench_size(struct sl_bench_run *run)
{
	const struct sl_bench_opts *o = run->o;
	int64_t want;

	run->show_seats = SL_BENCH_SHOW_SEATS;
	run->nshows = 1;
	switch (o->scenario) {
	case SL_BENCH_SPREAD:
	case SL_BENCH_LISTEN:
	case SL_BENCH_MULTI:
		want = o->seats;
		if (want == 0 && o->count > 0)
			want = o->scenario == SL_BENCH_MULTI ? 6 * o->count :
			    o->count;
		if (want == 0)
			want = (int64_t)(o->seconds * SL_BENCH_SPREAD_RATE);
		run->nshows = (want + run->show_seats - 1) / run->show_seats;
		if (run->nshows < 1)
			run->nshows = 1;
		run->capacity = run->nshows * run->show_seats;
		break;
	case SL_BENCH_HOT:
		run->capacity = o->seats > 0 ? o->seats : 8;
		break;
	case SL_BENCH_TOGGLE:
		run->capacity = o->seats > 0 ? o->seats : SL_BENCH_SHOW_SEATS;
		break;
	case SL_BENCH_FLASH:
		run->show_seats = o->seats > 0 ? o->seats : 2000;
		run->capacity = run->show_seats;
		break;
	case SL_BENCH_BEST:
		run->show_seats = o->seats > 0 ? o->seats : SL_BENCH_SHOW_SEATS;
		run->capacity = run->show_seats;
		break;
	case SL_BENCH_STADIUM:
	case SL_BENCH_EXPLAIN:
		run->capacity = 0;
		break;
	}
}

static enum sl_rc
sl_bench_prepare(struct sl_bench_run *run, struct sl_err *e)
{
	uint64_t rng = sl_bench_mix(run->o->seed);
	int64_t i, j;
	uint32_t t;

	switch (run->o->scenario) {
	case SL_BENCH_SPREAD:
	case SL_BENCH_LISTEN:
		if (run->capacity > UINT32_MAX)
			return sl_err_set(e, SL_EINVAL, "too many seats");
		run->perm = malloc((size_t)run->capacity * sizeof *run->perm);
		run->commit_ns = calloc((size_t)run->capacity,
		    sizeof *run->commit_ns);
		if (run->perm == NULL || run->commit_ns == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		/* Fisher-Yates: distinct seats in a random order. */
		for (i = 0; i < run->capacity; i++)
			run->perm[i] = (uint32_t)i;
		for (i = run->capacity - 1; i > 0; i--) {
			j = (int64_t)sl_bench_below(&rng, (uint64_t)i + 1);
			t = run->perm[i];
			run->perm[i] = run->perm[j];
			run->perm[j] = t;
		}
		break;
	case SL_BENCH_FLASH:
	case SL_BENCH_MULTI:
		run->known_mem = calloc((size_t)run->capacity,
		    sizeof *run->known);
		run->known = run->known_mem;
		if (run->known == NULL)
			return sl_err_set(e, SL_ENOMEM, "out of memory");
		break;
	case SL_BENCH_HOT:
	case SL_BENCH_TOGGLE:
	case SL_BENCH_BEST:
	case SL_BENCH_STADIUM:
	case SL_BENCH_EXPLAIN:
		break;
	}
	return SL_OK;
}

/* The load scenarios, from the clients' start to the checks. */
static enum sl_rc
sl_bench_load(struct sl_bench_run *run, struct sl_notifier **notifier,
    struct sl_err *e)
{
	struct sl_bench_result *r = run->r;
	struct sl_bench_lthread *lt = NULL;
	struct sl_notifier_stats ns;
	int nlt = 0, i, started = 0, nthreads = 0;
	int64_t t0, t1, counts[3] = { 0, 0, 0 };
	enum sl_rc rc = SL_OK;

	run->ncl = run->o->clients;
	r->clients = run->ncl;
	r->pool = run->o->pool;
	if (run->o->pool > 0 &&
	    (rc = sl_pool_open(&run->cfg, run->o->pool, &run->pool, e)) !=
	    SL_OK)
		return rc;
	run->cl = calloc((size_t)run->ncl, sizeof *run->cl);
	if (run->cl == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	sl_bench_progress(run, "setup", 0, 0);
	for (i = 0; i < run->ncl; i++) {
		struct sl_bench_client *c = &run->cl[i];

		c->run = run;
		c->idx = i;
		c->rng = sl_bench_mix(run->o->seed * 1000003 + (uint64_t)i);
		if (c->rng == 0)
			c->rng = 1;
		if (pthread_create(&c->thread, NULL, sl_bench_client_main,
		    c) != 0) {
			rc = sl_err_set(e, SL_ENOMEM, "cannot start client "
			    "thread %d", i + 1);
			break;
		}
		nthreads++;
	}
	pthread_mutex_lock(&run->mu);
	while (run->nready < nthreads)
		pthread_cond_wait(&run->cv, &run->mu);
	pthread_mutex_unlock(&run->mu);
	for (i = 0; rc == SL_OK && i < run->ncl; i++)
		if (run->cl[i].setup_rc != SL_OK) {
			rc = run->cl[i].setup_rc;
			if (e != NULL)
				*e = run->cl[i].err;
		}
	if (rc == SL_OK)
		rc = sl_bench_analyze(run, e);
	if (rc == SL_OK)
		rc = sl_bench_seat_ids(run, e);
	if (rc == SL_OK && run->o->listeners > 0) {
		r->listeners = run->o->listeners;
		rc = sl_bench_listeners_open(run, e);
		nlt = (run->o->listeners + SL_BENCH_LISTEN_PER_THREAD - 1) /
		    SL_BENCH_LISTEN_PER_THREAD;
		lt = calloc((size_t)nlt, sizeof *lt);
		if (rc == SL_OK && lt == NULL)
			rc = sl_err_set(e, SL_ENOMEM, "out of memory");
		for (i = 0; rc == SL_OK && i < nlt; i++) {
			lt[i].run = run;
			lt[i].first = i * SL_BENCH_LISTEN_PER_THREAD;
			lt[i].n = run->o->listeners - lt[i].first;
			if (lt[i].n > SL_BENCH_LISTEN_PER_THREAD)
				lt[i].n = SL_BENCH_LISTEN_PER_THREAD;
			if (pthread_create(&lt[i].thread, NULL,
			    sl_bench_listen_main, &lt[i]) != 0)
				rc = sl_err_set(e, SL_ENOMEM, "no thread");
			else
				started++;
		}
	}
	if (rc == SL_OK && strcmp(r->notify, "batched") == 0) {
		rc = sl_notifier_open(&run->cfg, notifier, e);
		if (rc == SL_OK)
			rc = sl_notifier_start(*notifier, e);
	}
	t0 = sl_bench_ns();
	pthread_mutex_lock(&run->mu);
	run->gate = rc == SL_OK ? 1 : 2;
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	if (rc == SL_OK)
		sl_bench_drive(run, t0);
	for (i = 0; i < nthreads; i++)
		pthread_join(run->cl[i].thread, NULL);
	t1 = sl_bench_ns();
	r->elapsed_s = (double)(t1 - t0) / 1e9;
	/* Notifications of the last bookings are still on their way. */
	while (rc == SL_OK && run->nls > 0 && sl_bench_unheard(run) > 0 &&
	    sl_bench_ns() - t1 < (int64_t)SL_BENCH_DRAIN_MS * 1000000 &&
	    !atomic_load(&run->ls_failed))
		sl_bench_sleep_ms(10);
	atomic_store(&run->ls_stop, 1);
	for (i = 0; i < started; i++)
		pthread_join(lt[i].thread, NULL);
	free(lt);
	if (rc == SL_OK && atomic_load(&run->ls_failed))
		rc = sl_err_set(e, SL_ECONN, "%s", run->ls_error);
	if (*notifier != NULL) {
		sl_notifier_stats(*notifier, &ns);
		r->notifier_leader = ns.leader;
		r->notifier_rounds = ns.rounds;
		r->notifier_sent = ns.sent;
		r->notifier_round_ms = ns.rounds ? (double)ns.round_us_sum /
		    (double)ns.rounds / 1000 : 0;
		r->notifier_round_max_ms = (double)ns.round_us_max / 1000;
	}
	if (rc != SL_OK)
		return rc;
	sl_bench_results(run);
	if (run->nls > 0)
		sl_bench_listeners_report(run);
	sl_bench_listeners_close(run);
	r->shows = run->nshows;
	rc = sl_bench_check(run, run->shows, run->nshows, counts, e);
	r->double_bookings = counts[0];
	r->state_mismatches = counts[1];
	r->active_bookings = counts[2];
	return rc;
}

enum sl_rc
sl_bench_run(const struct sl_config *c, const struct sl_bench_opts *o,
    struct sl_bench_result *r, struct sl_err *e)
{
	struct sl_bench_run run;
	struct sl_notifier *notifier = NULL;
	int64_t counts[3];
	struct sl_err ce;
	char buf[32], email[160];
	enum sl_rc rc;
	int i, load, secs;

	memset(r, 0, sizeof *r);
	if ((rc = sl_bench_check_opts(o, e)) != SL_OK)
		return rc;
	memset(&run, 0, sizeof run);
	run.o = o;
	run.r = r;
	run.cfg = *c;
	run.limit = o->count;
	pthread_mutex_init(&run.mu, NULL);
	pthread_cond_init(&run.cv, NULL);
	if (o->notify != NULL)
		snprintf(run.cfg.notify_mode, sizeof run.cfg.notify_mode, "%s",
		    o->notify);
	snprintf(r->scenario, sizeof r->scenario, "%s",
	    sl_bench_scenario_name(o->scenario));
	snprintf(run.tag, sizeof run.tag, "%s-%ld-%ld-%" PRIu64,
	    r->scenario, (long)getpid(), (long)time(NULL),
	    sl_bench_mix((uint64_t)sl_bench_ns()) % 100000);
	load = o->scenario != SL_BENCH_STADIUM &&
	    o->scenario != SL_BENCH_EXPLAIN;

	rc = sl_db_connect(&run.cfg, &run.db, e);
	if (rc != SL_OK)
		goto out;
	rc = sl_db_query_value(run.db,
	    "SELECT coalesce(nullif(current_setting('seatlock.notify_mode', "
	    "true), ''), 'per-commit')", 0, NULL, buf, sizeof buf, e);
	if (rc != SL_OK)
		goto out;
	snprintf(r->notify, sizeof r->notify, "%.15s", buf);

	sl_bench_size(&run);
	r->capacity = run.capacity;
	run.shows = calloc((size_t)(run.nshows + run.npgshows), sizeof
	    *run.shows);
	if (run.shows == NULL) {
		rc = sl_err_set(e, SL_ENOMEM, "out of memory");
		goto out;
	}
	if (o->scenario == SL_BENCH_STADIUM) {
		rc = sl_bench_stadium(&run, e);
		goto cleanup;
	}
	rc = sl_bench_venue(&run, run.show_seats, 0, e);
	if (rc == SL_OK)
		rc = sl_bench_prepare(&run, e);
	if (rc != SL_OK)
		goto cleanup;
	if (!load) {
		/* explain: one show, one customer, no threads */
		run.cl = calloc(1, sizeof *run.cl);
		if (run.cl == NULL) {
			rc = sl_err_set(e, SL_ENOMEM, "out of memory");
			goto cleanup;
		}
		run.ncl = 1;
		snprintf(email, sizeof email, "bench-%s@bench.invalid",
		    run.tag);
		rc = sl_user_register(run.db, "Bench client", email, NULL,
		    &run.cl[0].user, e);
		if (rc == SL_OK)
			rc = sl_show_add(run.db, run.venue, "bench explain",
			    "2100-01-01 00:00:00+00", &run.shows[0], e);
		if (rc == SL_OK)
			rc = sl_bench_analyze(&run, e);
		if (rc == SL_OK)
			rc = sl_bench_explain(&run, e);
		goto cleanup;
	}
	rc = sl_bench_load(&run, &notifier, e);
	if (rc == SL_OK && o->pgbench && r->bookings > 0) {
		/* As long as our run, in whole seconds: pgbench -T. */
		secs = (int)(r->elapsed_s + 0.5);
		sl_bench_progress(&run, "pgbench", r->elapsed_s, 0);
		rc = sl_bench_pgbench(&run, secs < 1 ? 1 : secs, e);
		if (rc == SL_OK) {
			/* Like with like: both rates after the warm-up. */
			r->ratio = r->steady_per_s / r->pgbench_tps;
			rc = sl_bench_check(&run, run.shows + run.nshows,
			    run.npgshows, counts, e);
			/* pgbench's bookings obey the same invariant. */
			r->double_bookings += counts[0];
			r->state_mismatches += counts[1];
		}
	}
cleanup:
	sl_notifier_close(notifier);
	notifier = NULL;
	if (o->cleanup && run.db != NULL && run.venue != 0) {
		sl_err_clear(&ce);
		/* The figures stand even if the clean-up fails. */
		(void)sl_bench_cleanup(&run, &ce);
	}
out:
	sl_notifier_close(notifier);
	if (run.cl != NULL && load)
		for (i = 0; i < run.ncl; i++)
			sl_db_close(run.cl[i].db);
	sl_bench_listeners_close(&run);
	sl_pool_close(run.pool);
	free(run.cl);
	free(run.shows);
	free(run.seatids);
	free(run.perm);
	free(run.commit_ns);
	free(run.known_mem);
	sl_db_close(run.db);
	pthread_cond_destroy(&run.cv);
	pthread_mutex_destroy(&run.mu);
	return rc;
}

void
sl_bench_result_free(struct sl_bench_result *r)
{
	if (r == NULL)
		return;
	free(r->plans);
	r->plans = NULL;
}
