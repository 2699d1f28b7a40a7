/*
 * stream.c - the large answers of `seatlock serve`, streamed under a
 * memory budget (issue 17, finding 8).
 *
 * GET /shows/{id}/seats of a 100,000-seat show is 16 MB of JSON.  Built as
 * a jansson tree and dumped whole, each slow reader held about 30 MB; here
 * the seats are kept in a compact form (24 bytes a seat and its label, the
 * rows and sections once each, already as JSON strings: about 3 MB for
 * the stadium) and libmicrohttpd asks for the text a block at a time, as
 * the client reads it.  The bytes are the ones jansson wrote (JSON_COMPACT,
 * keys in insertion order, its escapes: tests/cli/sec_slow_reader.sh and
 * the api_*.sh tests compare them).
 *
 * Every such answer is charged to one server-wide budget
 * (api.max_response_memory) from when it is built until libmicrohttpd
 * frees it (sent, or the client went away); one that does not fit is
 * answered 503 with Retry-After, never cut short.  A connection sends one
 * answer at a time, so it holds at most one charge.
 */
#include <inttypes.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"
#include "sl_sbuf.h"
#include "sl_show.h"

#define SERVE_BLOCK	(32 * 1024)	/* bytes libmicrohttpd asks for */
#define SERVE_NULL	UINT32_MAX	/* a section that is JSON null */

/* One seat: offsets into the string block, whose strings are JSON. */
struct serve_map_seat {
	int64_t		id;
	uint32_t	label, row;	/* offsets of quoted strings */
	int32_t		number;
	uint16_t	section;	/* index into serve_map.section */
	uint8_t		state;		/* enum sl_seat_state */
	uint8_t		flags;		/* 1 accessible, 2 companion,
					 * 4 restricted view */
};

struct serve_map {
	struct serve		*srv;
	size_t			 charge;	/* bytes of the budget held */
	int64_t			 show, seq;
	size_t			 n;
	struct serve_map_seat	*seat;
	uint32_t		*section;	/* offsets, or SERVE_NULL */
	char			*str;		/* the string block */
	size_t			 nstr;		/* its bytes */
	/* The reader's place: the piece being copied out of carry. */
	size_t			 next;		/* pieces made so far */
	uint64_t		 pos;		/* bytes handed out */
	char			*carry;		/* one piece (cap: the longest) */
	size_t			 clen, coff, ccap;
};

/* ---- the budget ---------------------------------------------------------- */

/* The 503 of a spent budget: the client may try again in a second. */
static void
serve_busy(struct serve_call *c)
{
	c->retry_after = 1;
	serve_error(c, 503, "busy", "the server is sending as many large "
	    "answers as it may at once; try again");
	snprintf(c->note, sizeof c->note, " response memory full");
}

/* Takes bytes from the budget: 1, or 0 when they do not fit.  An answer
 * larger than the whole budget still goes out when it is the only one. */
static int
serve_budget_take(struct serve *srv, size_t bytes)
{
	uint64_t max = (uint64_t)srv->cfg->api_max_response_memory;
	uint64_t used = atomic_load(&srv->resp_bytes);

	for (;;) {
		if (used > 0 && used + bytes > max)
			return 0;
		if (atomic_compare_exchange_weak(&srv->resp_bytes, &used,
		    used + bytes))
			return 1;
	}
}

/* Before a large answer's database work: 0, or 1 with 503 busy set when
 * the budget is spent already. */
static int
serve_budget_full(struct serve_call *c)
{
	uint64_t max = (uint64_t)c->srv->cfg->api_max_response_memory;

	if (atomic_load(&c->srv->resp_bytes) < max)
		return 0;
	serve_busy(c);
	return 1;
}


/* ---- the large answers' share of the pool -------------------------------- */

/* How many large answers may read the database at once: half the pool,
 * so the other requests always find a connection. */
static int
serve_large_max(const struct serve *srv)
{
	int n = (int)srv->cfg->api_pool_size / 2;

	return n > 0 ? n : 1;
}

int
serve_large_begin(struct serve_call *c)
{
	struct serve *srv = c->srv;
	struct timespec until;
	int64_t ms = srv->cfg->api_pool_wait_ms;
	int rc = 0;

	if (serve_budget_full(c))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)(ms / 1000);
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&srv->large_lock);
	while (srv->large >= serve_large_max(srv) && rc == 0)
		rc = pthread_cond_timedwait(&srv->large_cv, &srv->large_lock,
		    &until);
	if (srv->large < serve_large_max(srv)) {
		srv->large++;
		rc = 0;
	}
	pthread_mutex_unlock(&srv->large_lock);
	if (rc == 0)
		return 0;
	c->retry_after = 1;
	serve_error(c, 503, "unavailable", "the server is busy; try again");
	snprintf(c->note, sizeof c->note, " large answers: busy");
	return -1;
}

void
serve_large_end(struct serve *srv)
{
	pthread_mutex_lock(&srv->large_lock);
	srv->large--;
	pthread_cond_signal(&srv->large_cv);
	pthread_mutex_unlock(&srv->large_lock);
}

void
serve_stream_init(struct serve *srv)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&srv->large_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&srv->large_cv, &ca);
	pthread_condattr_destroy(&ca);
	/* A fixed threshold (glibc raises it after each large free): every
	 * block of a large answer is its own mapping, handed back to the
	 * system when the answer ends, not kept in a thread's arena. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}

void
serve_stream_fini(struct serve *srv)
{
	pthread_cond_destroy(&srv->large_cv);
	pthread_mutex_destroy(&srv->large_lock);
}

/* ---- the compact form ---------------------------------------------------- */

/* Appends s as a JSON string as jansson writes it, NUL-terminated; its
 * offset in *off.  0, or -1 when s is not UTF-8 (jansson would refuse it:
 * the seat is left out, as the tree left it out). */
static int
serve_map_str(struct sl_sbuf *b, const char *s, uint32_t *off)
{
	const unsigned char *p;
	char *q = NULL;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\' || *p >= 0x80)
			break;
	if (*p != '\0') {
		json_t *j = json_string(s);

		if (j == NULL)
			return -1;
		q = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		json_decref(j);
		if (q == NULL) {
			b->oom = 1;
			return 0;
		}
	}
	*off = (uint32_t)b->len;
	if (q != NULL) {
		sl_sbuf_puts(b, q);
		free(q);
	} else
		sl_sbuf_printf(b, "\"%s\"", s);
	sl_sbuf_add(b, "", 1);
	return 0;
}

/* Renders piece i of m into m->carry (at least cap bytes): the head, the
 * seats, the tail.  Its length, or 0 past the end. */
static size_t
serve_map_piece(const struct serve_map *m, size_t i, char *out, size_t cap)
{
	const struct serve_map_seat *st;
	const char *sec;
	int k;

	if (i == 0)
		k = snprintf(out, cap, "{\"show\":%" PRId64 ",\"seq\":%" PRId64
		    ",\"seats\":[", m->show, m->seq);
	else if (i == m->n + 1)
		k = snprintf(out, cap, "]}");
	else if (i > m->n + 1)
		return 0;
	else {
		st = &m->seat[i - 1];
		sec = m->section[st->section] == SERVE_NULL ? "null" :
		    m->str + m->section[st->section];
		k = snprintf(out, cap, "%s{\"id\":%" PRId64 ",\"label\":%s,"
		    "\"section\":%s,\"row\":%s,\"number\":%d,\"state\":\"%s\","
		    "\"accessible\":%s,\"companion\":%s,\"restricted_view\":%s}",
		    i > 1 ? "," : "", st->id, m->str + st->label, sec,
		    m->str + st->row, (int)st->number,
		    sl_seat_state_name((enum sl_seat_state)st->state),
		    st->flags & 1 ? "true" : "false",
		    st->flags & 2 ? "true" : "false",
		    st->flags & 4 ? "true" : "false");
	}
	return k < 0 ? 0 : (size_t)k;
}

/* The seats of s (only the available ones with only_free) into m's
 * compact form.  0, or -1 when out of memory. */
static int
serve_map_fill(struct serve_map *m, const struct sl_seats *s, int only_free)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	const char *prev_row = NULL;
	uint32_t row = 0;
	size_t i;

	m->seat = malloc((s->n > 0 ? s->n : 1) * sizeof *m->seat);
	m->section = malloc((s->nsections > 0 ? s->nsections : 1) *
	    sizeof *m->section);
	if (m->seat == NULL || m->section == NULL)
		return -1;
	for (i = 0; i < s->nsections; i++) {
		m->section[i] = SERVE_NULL;
		if (s->section[i] != NULL &&
		    serve_map_str(&b, s->section[i], &m->section[i]) != 0)
			m->section[i] = UINT32_MAX - 1;	/* not UTF-8 */
	}
	for (i = 0; i < s->n; i++) {
		const struct sl_seat *st = &s->seat[i];
		struct serve_map_seat *o = &m->seat[m->n];

		if ((only_free && st->state != SL_SEAT_AVAILABLE) ||
		    m->section[st->section] == UINT32_MAX - 1)
			continue;
		if (serve_map_str(&b, st->label, &o->label) != 0)
			continue;
		/* A row's seats come together: its name is kept once. */
		if (prev_row == NULL || strcmp(prev_row, st->row) != 0) {
			if (serve_map_str(&b, st->row, &row) != 0)
				continue;
			prev_row = st->row;
		}
		o->row = row;
		o->id = st->id;
		o->number = st->number;
		o->section = st->section;
		o->state = st->state;
		o->flags = (uint8_t)((st->accessible ? 1 : 0) |
		    (st->companion ? 2 : 0) | (st->restricted ? 4 : 0));
		m->n++;
	}
	if (sl_sbuf_failed(&b) || b.len >= UINT32_MAX - 1) {
		sl_sbuf_free(&b);
		return -1;
	}
	m->nstr = b.len;
	m->str = sl_sbuf_take(&b);
	return m->str == NULL ? -1 : 0;
}

/* The longest piece and the whole length, into m->ccap and *total; the
 * carry allocated.  0, or -1 when out of memory. */
static int
serve_map_measure(struct serve_map *m, uint64_t *total)
{
	char tmp[1024];
	size_t i, k;

	*total = 0;
	m->ccap = sizeof tmp;
	for (i = 0; i <= m->n + 1; i++) {
		k = serve_map_piece(m, i, tmp, sizeof tmp);
		*total += k;
		if (k + 1 > m->ccap)
			m->ccap = k + 1;
	}
	m->carry = malloc(m->ccap);
	return m->carry == NULL ? -1 : 0;
}

static void
serve_map_free(void *cls)
{
	struct serve_map *m = cls;

	if (m == NULL)
		return;
	if (m->charge > 0)
		atomic_fetch_sub(&m->srv->resp_bytes, m->charge);
	free(m->seat);
	free(m->section);
	free(m->str);
	free(m->carry);
	free(m);
}

/* libmicrohttpd's reader: the next bytes at pos, up to max. */
static ssize_t
serve_map_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct serve_map *m = cls;
	size_t w = 0, k;

	if (pos != m->pos)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	while (w < max) {
		if (m->coff == m->clen) {
			m->clen = serve_map_piece(m, m->next, m->carry,
			    m->ccap);
			m->coff = 0;
			if (m->clen == 0)
				break;
			m->next++;
		}
		k = m->clen - m->coff;
		if (k > max - w)
			k = max - w;
		memcpy(buf + w, m->carry + m->coff, k);
		m->coff += k;
		w += k;
	}
	m->pos += w;
	return w > 0 ? (ssize_t)w : MHD_CONTENT_READER_END_WITH_ERROR;
}

void
serve_seats_reply(struct serve_call *c, const struct sl_seats *s,
    int only_free)
{
	struct serve_map *m = calloc(1, sizeof *m);
	uint64_t total;
	size_t charge;

	if (m == NULL) {
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	m->srv = c->srv;
	m->show = c->id;	/* before measuring: the head's digits */
	m->seq = s->change_seq;
	if (serve_map_fill(m, s, only_free) != 0 ||
	    serve_map_measure(m, &total) != 0) {
		serve_map_free(m);
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	/* What it holds until it is freed: the compact form, the carry and
	 * libmicrohttpd's block. */
	charge = sizeof *m + s->n * sizeof *m->seat + m->nstr +
	    s->nsections * sizeof *m->section + m->ccap + SERVE_BLOCK;
	if (!serve_budget_take(c->srv, charge)) {
		serve_map_free(m);
		serve_busy(c);
		return;
	}
	m->charge = charge;
	c->resp = MHD_create_response_from_callback(total, SERVE_BLOCK,
	    serve_map_read, m, serve_map_free);
	if (c->resp == NULL) {
		serve_map_free(m);
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	MHD_add_response_header(c->resp, "Content-Type", "application/json");
	c->status = 200;
}
