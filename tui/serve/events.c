/*
 * events.c - GET /shows/{id}/events: a Server-Sent Events stream of
 * a show's seat changes, fed by LISTEN/NOTIFY.
 *
 * Where the changes come from is one small "feed" (serve_feed_*): today a
 * dedicated LISTEN connection per stream, which never runs a transaction;
 * core/sl_notify can take its place without touching the rest.  As the
 * design asks, the feed LISTENs first and only then reads the show's
 * sequence, so no change falls between the two.
 *
 * The stream, one event per change:
 *   retry: 3000
 *   event: open         data: {"show":1,"seq":41}
 *   id: 42 / event: seats   data: {"show":1,"seq":42,"state":"booked",
 *                                  "seats":[17,18]}
 *   : ping              (a comment now and then, so proxies keep it open)
 * The payload is a hint, re-encoded here from what the database sent, and
 * only its known fields, and only once the tables confirm it (the seats are
 * in that state, the show's sequence has reached seq): any login may
 * NOTIFY, so anything else becomes "event: reload".  A page re-reads
 * /shows/{id}/seats when seq is not the last one plus one, or seats is
 * null.  The stream ends when the
 * server drains or the database connection is lost; EventSource clients
 * reconnect by themselves.
 *
 * libmicrohttpd gives each connection its own thread, so the content
 * reader may block: it waits in poll() on the feed and on the client's
 * socket (to notice a client that went away) with a short timeout, so a
 * draining server ends every stream within a second.
 */
#define _GNU_SOURCE	/* POLLRDHUP */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"
#include "sl_db.h"
#include "sl_show.h"

/* ---- the feed: the one place that knows where changes come from --------- */

struct serve_feed {
	struct sl_db	*db;
};

/*
 * Opens the feed of show's changes as role, and reads the show's current
 * sequence into *seq (after listening).  Errors: SL_ENOTFOUND (no such
 * show), SL_ECONN, SL_EDB...
 */
static enum sl_rc
serve_feed_open(const struct sl_config *cfg, int64_t show, const char *role,
    struct serve_feed **out, int64_t *seq, struct sl_err *e)
{
	struct serve_feed *f;
	struct sl_seats *s;
	char channel[64];
	enum sl_rc rc;

	f = calloc(1, sizeof *f);
	if (f == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	if ((rc = sl_db_connect(cfg, &f->db, e)) != SL_OK) {
		free(f);
		return rc;
	}
	snprintf(channel, sizeof channel, "seatlock_show_%" PRId64, show);
	if ((rc = sl_db_set_role(f->db, role, e)) != SL_OK ||
	    (rc = sl_db_listen(f->db, channel, e)) != SL_OK ||
	    (rc = sl_show_seats(f->db, show, &s, e)) != SL_OK) {
		sl_db_close(f->db);
		free(f);
		return rc;
	}
	*seq = s->change_seq;
	sl_seats_free(s);
	*out = f;
	return SL_OK;
}

/* The descriptor to poll() for reading. */
static int
serve_feed_fd(struct serve_feed *f)
{
	return sl_db_socket(f->db);
}

/* One pending payload (caller frees) or NULL; SL_ECONN when lost. */
static enum sl_rc
serve_feed_next(struct serve_feed *f, char **payload, struct sl_err *e)
{
	return sl_db_notify_next(f->db, payload, e);
}

static void
serve_feed_close(struct serve_feed *f)
{
	if (f == NULL)
		return;
	sl_db_close(f->db);
	free(f);
}

/* ---- the stream ---------------------------------------------------------- */

struct serve_stream {
	struct serve		*srv;
	struct serve_feed	*feed;
	int64_t			 show;
	int			 client_fd;
	int			 ping_s;	/* seconds between pings */
	struct timespec		 last;		/* last write */
	char			 buf[16384];	/* what is to send */
	size_t			 len, pos;
	int			 end;		/* end after buf */
};

static double
serve_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void
serve_stream_put(struct serve_stream *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
serve_stream_put(struct serve_stream *st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (st->pos == st->len)
		st->pos = st->len = 0;
	va_start(ap, fmt);
	n = vsnprintf(st->buf + st->len, sizeof st->buf - st->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof st->buf - st->len) {
		/* Cannot happen: the reader leaves room for the largest
		 * event; drop it rather than send half of one. */
		st->buf[st->len] = '\0';
		return;
	}
	st->len += (size_t)n;
}

/*
 * Whether the database says what a payload says: the show's sequence has
 * reached seq, and each seat of seats (a JSON array of ids, or null) is in
 * state now.  Any login can NOTIFY a show's channel, so a payload is only
 * passed on once the tables agree (issue 17, finding 6); else, or when
 * they cannot be read, the page gets a reload hint and re-reads the seats.
 */
static int
serve_stream_true(struct serve_stream *st, const char *state, json_int_t seq,
    json_t *seats)
{
	enum sl_seat_state want;
	struct sl_err e;
	int64_t *ids;
	size_t n = json_is_array(seats) ? json_array_size(seats) : 0, i;
	int yes = 0;

	if (strcmp(state, "released") == 0 || strcmp(state, "expired") == 0)
		state = "available";
	if (sl_seat_state_parse(state, &want) != 0)
		return 0;
	ids = calloc(n > 0 ? n : 1, sizeof *ids);
	if (ids == NULL)
		return 0;
	for (i = 0; i < n; i++)
		ids[i] = (int64_t)json_integer_value(json_array_get(seats, i));
	sl_err_clear(&e);
	if (sl_show_seats_are(st->feed->db, st->show, ids, n, want,
	    (int64_t)seq, &yes, &e) != SL_OK)
		yes = 0;
	free(ids);
	return yes;
}

/* Re-encodes one payload as an event; a payload that is not ours (any
 * database user can NOTIFY) or that the tables do not confirm becomes a
 * reload hint. */
static void
serve_stream_event(struct serve_stream *st, const char *payload)
{
	static const char *const states[] = { "available", "held", "booked",
	    "blocked", "released", "expired", NULL };
	json_t *in, *out = NULL, *seats, *v;
	json_int_t seq = 0;
	const char *state = NULL;
	char *text;
	size_t i;

	in = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(in) &&
	    json_is_integer(json_object_get(in, "show")) &&
	    json_integer_value(json_object_get(in, "show")) == st->show &&
	    json_is_integer(json_object_get(in, "seq")) &&
	    json_is_string(json_object_get(in, "state"))) {
		seq = json_integer_value(json_object_get(in, "seq"));
		state = json_string_value(json_object_get(in, "state"));
		for (i = 0; states[i] != NULL; i++)
			if (strcmp(states[i], state) == 0)
				break;
		if (states[i] == NULL)
			state = NULL;
	}
	if (state != NULL) {
		seats = json_object_get(in, "seats");
		out = json_pack("{s:I, s:I, s:s, s:n}", "show",
		    (json_int_t)st->show, "seq", seq, "state", state, "seats");
		if (out != NULL && json_is_array(seats)) {
			json_t *a = json_array();

			json_array_foreach(seats, i, v) {
				if (!json_is_integer(v)) {
					json_decref(a);
					a = NULL;
					break;
				}
				json_array_append_new(a, json_integer(
				    json_integer_value(v)));
			}
			if (a != NULL)
				json_object_set_new(out, "seats", a);
		}
	}
	if (out != NULL && !serve_stream_true(st, state, seq,
	    json_object_get(out, "seats"))) {
		json_decref(out);
		out = NULL;
	}
	json_decref(in);
	if (out == NULL) {
		serve_stream_put(st, "event: reload\ndata: {\"show\":%" PRId64
		    "}\n\n", st->show);
		return;
	}
	text = json_dumps(out, JSON_COMPACT);
	json_decref(out);
	if (text == NULL || strlen(text) > 12000)
		serve_stream_put(st, "event: reload\ndata: {\"show\":%" PRId64
		    "}\n\n", st->show);
	else
		serve_stream_put(st, "id: %lld\nevent: seats\ndata: %s\n\n",
		    (long long)seq, text);
	free(text);
}

static ssize_t
serve_stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct serve_stream *st = cls;
	struct sl_err e;

	(void)pos;
	while (st->pos == st->len) {
		struct pollfd pfd[2];
		char *payload;
		int n;

		if (st->end || atomic_load(&st->srv->draining))
			return MHD_CONTENT_READER_END_OF_STREAM;
		pfd[0].fd = serve_feed_fd(st->feed);
		pfd[0].events = POLLIN;
		pfd[1].fd = st->client_fd;
		pfd[1].events = POLLRDHUP;
		n = poll(pfd, st->client_fd >= 0 ? 2 : 1, 500);
		if (n < 0 && errno != EINTR)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (n > 0 && st->client_fd >= 0 &&
		    (pfd[1].revents & (POLLRDHUP | POLLHUP | POLLERR)))
			return MHD_CONTENT_READER_END_WITH_ERROR;
		for (;;) {
			sl_err_clear(&e);
			if (serve_feed_next(st->feed, &payload, &e) != SL_OK) {
				/* Changes may be lost from here: end, and the
				 * page reconnects and reloads. */
				st->end = 1;
				break;
			}
			if (payload == NULL)
				break;
			serve_stream_event(st, payload);
			free(payload);
			if (sizeof st->buf - st->len < 13000)
				break;	/* the rest on the next call */
		}
		if (st->pos == st->len && serve_since(&st->last) >= st->ping_s)
			serve_stream_put(st, ": ping\n\n");
	}
	if (max > st->len - st->pos)
		max = st->len - st->pos;
	memcpy(out, st->buf + st->pos, max);
	st->pos += max;
	clock_gettime(CLOCK_MONOTONIC, &st->last);
	return (ssize_t)max;
}

static void
serve_stream_free(void *cls)
{
	struct serve_stream *st = cls;

	serve_feed_close(st->feed);
	atomic_fetch_sub(&st->srv->streams, 1);
	free(st);
}

void
serve_events(struct serve_call *c)
{
	struct serve *srv = c->srv;
	const union MHD_ConnectionInfo *ci;
	struct serve_stream *st;
	struct sl_err e;
	int64_t seq = 0;

	if (atomic_fetch_add(&srv->streams, 1) >= srv->cfg->api_max_streams) {
		atomic_fetch_sub(&srv->streams, 1);
		c->retry_after = 5;
		serve_error(c, 503, "too_many_streams", "too many event "
		    "streams open; try again later");
		return;
	}
	st = calloc(1, sizeof *st);
	if (st == NULL) {
		atomic_fetch_sub(&srv->streams, 1);
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	st->srv = srv;
	st->show = c->id;
	st->client_fd = -1;
	ci = MHD_get_connection_info(c->conn,
	    MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL)
		st->client_fd = ci->connect_fd;
	/* Ping well inside the idle timeout of the connection. */
	st->ping_s = (int)(srv->cfg->api_request_timeout_s / 2);
	if (st->ping_s > 15)
		st->ping_s = 15;
	if (st->ping_s < 1)
		st->ping_s = 1;
	sl_err_clear(&e);
	if (serve_feed_open(srv->cfg, c->id, c->role, &st->feed, &seq, &e) !=
	    SL_OK) {
		atomic_fetch_sub(&srv->streams, 1);
		free(st);
		serve_fail(c, &e);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &st->last);
	serve_stream_put(st, "retry: 3000\n\nevent: open\ndata: {\"show\":%"
	    PRId64 ",\"seq\":%" PRId64 "}\n\n", c->id, seq);
	c->resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
	    serve_stream_read, st, serve_stream_free);
	if (c->resp == NULL) {
		serve_stream_free(st);
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	MHD_add_response_header(c->resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(c->resp, "X-Accel-Buffering", "no");
	c->status = 200;
}
