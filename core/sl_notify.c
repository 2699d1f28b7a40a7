/*
 * sl_notify.c - the LISTEN connection, driven without blocking.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_db_int.h"
#include "sl_log.h"
#include "sl_notify.h"
#include "sl_relay.h"
#include "sl_retry.h"

#define SL_NOTIFY_BACKOFF_MIN	200	/* ms */
#define SL_NOTIFY_BACKOFF_MAX	5000	/* ms */
/* A relay's socket is local: trying it again costs the database nothing,
 * so a terminal that waits for its relay alone tries it this often. */
#define SL_NOTIFY_RELAY_BACKOFF	250	/* ms */

#define SL_NOTIFY_PEND_READY	0x1
#define SL_NOTIFY_PEND_LOST	0x2

struct sl_notify {
	char			*dsn;
	struct sl_config	 cfg;	/* timeouts and keepalives */
	PGconn			*pg;
	enum sl_notify_status	 st;
	int			 want_read;	/* connecting: which way */
	int			 want_write;
	int			 in_flight;	/* LISTEN sent, results due */
	int			 relisten;	/* show changed meanwhile */
	int			 ready;		/* READY reported since up */
	unsigned int		 pending;
	int64_t			 show;
	int64_t			 last_seq;	/* -1: unknown */
	int64_t			 deadline;	/* ms, CLOCK_MONOTONIC */
	int			 backoff;	/* ms */
	unsigned int		 seed;
	char			 channel[64];
	int64_t			 seats[SL_NOTIFY_MAX_SEATS];
	uint8_t			 states[SL_NOTIFY_MAX_SEATS];
	int			 after_change;	/* the relay's last line was
						 * a show's change: its
						 * "seats" line may follow */
	struct sl_log_limit	 loglim;	/* forged payloads: a flood */
	struct sl_relay		*rl;	/* attached to the host's relay */
	int			 relay_hello;	/* its greeting came */
	int			 relay_dbdown;	/* it said "lost" */
	int			 relay_lost;	/* it went away: reconnecting */
	int			 relay_skip;	/* it failed: direct next time */
	int			 relay_refused;	/* not allowed: never again */
	int64_t			 beat_told;	/* the relay's beat, ms; -1 */
	int64_t			 beat_at;	/* ms when told; 0: not */
	char			 err[SL_ERR_MSG];
};

static void
sl_notify_notice(void *arg, const char *message)
{
	struct sl_notify *n = arg;

	/* Never printed: the screen belongs to curses. */
	sl_log(n->cfg.log, "listener notice: %s", message);
}

static void
sl_notify_seterr(struct sl_notify *n, const char *what, const char *why)
{
	size_t len;

	snprintf(n->err, sizeof n->err, "%s%s%s", what, *why ? ": " : "",
	    why);
	len = strlen(n->err);
	while (len > 0 && (n->err[len - 1] == '\n' || n->err[len - 1] == ' '))
		n->err[--len] = '\0';
}

/* Drops the connection and schedules the next attempt. */
static void
sl_notify_fail(struct sl_notify *n, const char *what)
{
	const char *why = n->pg != NULL ? PQerrorMessage(n->pg) : "";
	int jitter;

	sl_notify_seterr(n, what, why);
	sl_log(n->cfg.log, "listener: %s; retrying in about %d ms", n->err,
	    n->backoff);
	if (n->pg != NULL)
		PQfinish(n->pg);
	n->pg = NULL;
	n->relay_skip = 0;	/* a relay that came back is used again */
	n->in_flight = 0;
	n->want_read = n->want_write = 0;
	if (n->ready)
		n->pending |= SL_NOTIFY_PEND_LOST;
	n->ready = 0;
	n->pending &= ~(unsigned int)SL_NOTIFY_PEND_READY;
	n->st = SL_NOTIFY_RETRY;
	/* +-25% jitter, so terminals that lost the server together do not
	 * all come back in the same millisecond. */
	jitter = n->backoff / 4 > 0 ? sl_retry_jitter(&n->seed,
	    -(n->backoff / 4), n->backoff / 2 - n->backoff / 4) : 0;
	n->deadline = sl_db_now() + n->backoff + jitter;
	n->backoff *= 2;
	if (n->backoff > SL_NOTIFY_BACKOFF_MAX)
		n->backoff = SL_NOTIFY_BACKOFF_MAX;
}

/* Sends UNLISTEN and LISTEN for the current show. */
static void
sl_notify_send_listen(struct sl_notify *n)
{
	char name[48], sql[160], *ident;
	int r;

	n->relisten = 0;
	if (n->show <= 0) {
		snprintf(sql, sizeof sql, "UNLISTEN *");
		n->channel[0] = '\0';
	} else {
		/* Built from an integer only, and quoted as an identifier
		 * all the same. */
		snprintf(name, sizeof name, "seatlock_show_%" PRId64, n->show);
		ident = PQescapeIdentifier(n->pg, name, strlen(name));
		if (ident == NULL) {
			sl_notify_fail(n, "cannot quote the channel name");
			return;
		}
		snprintf(sql, sizeof sql, "UNLISTEN *; LISTEN %s", ident);
		PQfreemem(ident);
		snprintf(n->channel, sizeof n->channel, "%s", name);
	}
	if (!PQsendQuery(n->pg, sql)) {
		sl_notify_fail(n, "cannot send LISTEN");
		return;
	}
	n->in_flight = 1;
	n->ready = 0;
	n->pending &= ~(unsigned int)SL_NOTIFY_PEND_READY;
	r = PQflush(n->pg);
	if (r < 0) {
		sl_notify_fail(n, "cannot send LISTEN");
		return;
	}
	n->want_write = r == 1;
	n->st = SL_NOTIFY_CONNECTING;
}

/* The relay is gone or refused us: LOST if it was serving, and at once
 * a new attempt (the relay again, or directly). */
static void
sl_notify_relay_fail(struct sl_notify *n, const char *why)
{
	int was_up = n->ready || n->relay_dbdown;

	sl_notify_seterr(n, "relay lost", why);
	sl_log(n->cfg.log, "listener: %s", n->err);
	sl_relay_close(n->rl);
	n->rl = NULL;
	n->beat_at = 0;
	if (n->ready || n->relay_dbdown)
		n->pending |= SL_NOTIFY_PEND_LOST;
	n->ready = 0;
	n->relay_dbdown = 0;
	n->pending &= ~(unsigned int)SL_NOTIFY_PEND_READY;
	n->relay_lost = 1;
	/* One that failed before serving is skipped once: no loop. */
	n->relay_skip = !was_up;
	n->backoff = SL_NOTIFY_BACKOFF_MIN;
	n->st = SL_NOTIFY_RETRY;
	n->deadline = sl_db_now();
}

/* Sends "watch SHOW" (and "unwatch" of the show before): READY comes with
 * the relay's "watching". */
static void
sl_notify_relay_watch(struct sl_notify *n, int64_t old)
{
	/* The same show again: no unwatch, whose UNLISTEN would leave a
	 * moment unheard; the relay answers "watching" at once. */
	if ((old > 0 && old != n->show &&
	    sl_relay_watch(n->rl, old, 0) != 0) ||
	    sl_relay_watch(n->rl, n->show, 1) != 0) {
		sl_notify_relay_fail(n, sl_relay_error(n->rl));
		return;
	}
	n->st = SL_NOTIFY_CONNECTING;
	n->ready = 0;
	n->relay_dbdown = 0;
	n->pending &= ~(unsigned int)SL_NOTIFY_PEND_READY;
	n->deadline = sl_db_now() + n->cfg.connect_timeout_s * 1000;
}

/* Attaches to the host's relay if one runs.  0, or -1: listen directly. */
static int
sl_notify_relay_start(struct sl_notify *n)
{
	struct sl_err e;

	if (n->cfg.relay_socket[0] == '\0' || n->relay_refused ||
	    (n->relay_skip && !n->cfg.relay_only) || n->show <= 0) {
		n->relay_skip = 0;
		return -1;
	}
	sl_err_clear(&e);
	if (sl_relay_connect(n->cfg.relay_socket, &n->rl, &e) != SL_OK) {
		if (e.rc != SL_ENOTFOUND)
			sl_log(n->cfg.log, "listener: %s; listening directly",
			    e.msg);
		return -1;
	}
	n->relay_hello = 0;
	n->after_change = 0;
	n->beat_at = 0;
	sl_notify_relay_watch(n, 0);
	return 0;
}

static void
sl_notify_start(struct sl_notify *n)
{
	struct sl_db_conninfo ci;

	if (sl_notify_relay_start(n) == 0)
		return;
	if (n->cfg.relay_only) {
		/* Never a LISTEN of its own: the relay again, soon (a relay
		 * restarted comes back within a second). */
		if (n->backoff > SL_NOTIFY_RELAY_BACKOFF)
			n->backoff = SL_NOTIFY_RELAY_BACKOFF;
		sl_notify_fail(n, "no relay answers at notify.relay_socket");
		return;
	}

	/* The same keepalives and user timeout as the booking connection:
	 * an idle listener would otherwise never notice a server that
	 * vanished behind a dead network path. */
	sl_db_conninfo(&ci, n->dsn, &n->cfg, "seatlock-listen");
	n->pg = PQconnectStartParams(ci.keys, ci.vals, 1);
	if (n->pg == NULL || PQstatus(n->pg) == CONNECTION_BAD) {
		sl_notify_fail(n, "cannot connect to the database");
		return;
	}
	PQsetNoticeProcessor(n->pg, sl_notify_notice, n);
	n->st = SL_NOTIFY_CONNECTING;
	n->in_flight = 0;
	/* As the libpq manual says: act as if PQconnectPoll had last
	 * returned PGRES_POLLING_WRITING. */
	n->want_read = 0;
	n->want_write = 1;
	n->deadline = sl_db_now() + n->cfg.connect_timeout_s * 1000;
}

enum sl_rc
sl_notify_new(const struct sl_config *c, struct sl_notify **out,
    struct sl_err *e)
{
	struct sl_notify *n;

	n = calloc(1, sizeof *n);
	if (n == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	n->dsn = strdup(sl_config_listen_dsn(c));
	if (n->dsn == NULL) {
		free(n);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	n->cfg = *c;
	n->st = SL_NOTIFY_OFF;
	n->last_seq = -1;
	n->backoff = SL_NOTIFY_BACKOFF_MIN;
	n->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	*out = n;
	return SL_OK;
}

void
sl_notify_free(struct sl_notify *n)
{
	if (n == NULL)
		return;
	if (n->pg != NULL)
		PQfinish(n->pg);
	sl_relay_close(n->rl);
	free(n->dsn);
	free(n);
}

void
sl_notify_listen(struct sl_notify *n, int64_t show)
{
	int64_t old = n->show;

	n->show = show > 0 ? show : 0;
	n->last_seq = -1;
	n->ready = 0;
	n->pending &= ~(unsigned int)SL_NOTIFY_PEND_READY;
	if (n->rl != NULL) {
		if (n->show > 0) {
			sl_notify_relay_watch(n, old);
			return;
		}
		/* No show: nothing to hear; the relay serves others. */
		sl_relay_close(n->rl);
		n->rl = NULL;
		n->beat_at = 0;
		n->st = SL_NOTIFY_OFF;
		return;
	}
	switch (n->st) {
	case SL_NOTIFY_OFF:
	case SL_NOTIFY_RETRY:
		if (n->show == 0) {
			n->st = SL_NOTIFY_OFF;
			return;
		}
		/* A new show is worth an immediate attempt. */
		n->backoff = SL_NOTIFY_BACKOFF_MIN;
		sl_notify_start(n);
		return;
	case SL_NOTIFY_CONNECTING:
		if (n->in_flight)
			n->relisten = 1;
		/* else: LISTEN goes out once connected */
		return;
	case SL_NOTIFY_UP:
		sl_notify_send_listen(n);
		return;
	}
}

void
sl_notify_set_seq(struct sl_notify *n, int64_t seq)
{
	n->last_seq = seq;
}

int
sl_notify_fd(const struct sl_notify *n)
{
	if (n->rl != NULL)
		return sl_relay_fd(n->rl);
	if (n->pg == NULL)
		return -1;
	return PQsocket(n->pg);
}

short
sl_notify_events(const struct sl_notify *n)
{
	short ev = 0;

	if (n->rl != NULL)
		return sl_relay_events(n->rl);
	if (n->pg == NULL)
		return 0;
	if (n->st == SL_NOTIFY_CONNECTING && !n->in_flight &&
	    PQstatus(n->pg) != CONNECTION_OK)
		return n->want_write ? POLLOUT : POLLIN;
	ev = POLLIN;
	if (n->want_write)
		ev |= POLLOUT;
	return ev;
}

int
sl_notify_timeout(const struct sl_notify *n)
{
	int64_t left;

	if (n->pending != 0)
		return 0;
	if (n->st == SL_NOTIFY_RETRY ||
	    (n->st == SL_NOTIFY_CONNECTING && (!n->in_flight ||
	    n->rl != NULL) && !n->relay_dbdown)) {
		left = n->deadline - sl_db_now();
		if (left < 0)
			return 0;
		return left > 60000 ? 60000 : (int)left;
	}
	return -1;
}

/* Collects the results of LISTEN once they are all in. */
static void
sl_notify_listen_results(struct sl_notify *n)
{
	PGresult *res;

	while (n->in_flight && !PQisBusy(n->pg)) {
		res = PQgetResult(n->pg);
		if (res == NULL) {
			n->in_flight = 0;
			break;
		}
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			char why[256];

			snprintf(why, sizeof why, "LISTEN failed: %s",
			    PQresultErrorMessage(res));
			PQclear(res);
			sl_notify_fail(n, why);
			return;
		}
		PQclear(res);
	}
	if (n->in_flight)
		return;
	if (n->relisten) {
		sl_notify_send_listen(n);
		return;
	}
	n->st = SL_NOTIFY_UP;
	n->backoff = SL_NOTIFY_BACKOFF_MIN;
	n->err[0] = '\0';
	if (n->show > 0) {
		n->ready = 1;
		n->pending |= SL_NOTIFY_PEND_READY;
		sl_log(n->cfg.log, "listener: listening on %s (server pid %d)",
		    n->channel, PQbackendPID(n->pg));
	}
}

static void
sl_notify_poll_connect(struct sl_notify *n)
{
	switch (PQconnectPoll(n->pg)) {
	case PGRES_POLLING_READING:
		n->want_read = 1;
		n->want_write = 0;
		return;
	case PGRES_POLLING_WRITING:
		n->want_read = 0;
		n->want_write = 1;
		return;
	case PGRES_POLLING_OK:
		n->want_read = n->want_write = 0;
		if (PQsetnonblocking(n->pg, 1) != 0) {
			sl_notify_fail(n, "cannot make the connection "
			    "non-blocking");
			return;
		}
		if (n->show > 0)
			sl_notify_send_listen(n);
		else {
			n->st = SL_NOTIFY_UP;
			n->backoff = SL_NOTIFY_BACKOFF_MIN;
		}
		return;
	case PGRES_POLLING_FAILED:
	case PGRES_POLLING_ACTIVE:	/* unused by libpq since 7.4 */
		sl_notify_fail(n, "cannot connect to the database");
		return;
	}
}

void
sl_notify_handle(struct sl_notify *n, short revents)
{
	if (n->rl != NULL) {
		if (n->st == SL_NOTIFY_CONNECTING && !n->relay_dbdown &&
		    sl_db_now() >= n->deadline)
			sl_notify_relay_fail(n, "no answer from the relay");
		else if (sl_relay_handle(n->rl, revents) != 0)
			sl_notify_relay_fail(n, sl_relay_error(n->rl));
		return;
	}
	switch (n->st) {
	case SL_NOTIFY_OFF:
		return;
	case SL_NOTIFY_RETRY:
		if (sl_db_now() >= n->deadline && n->show > 0)
			sl_notify_start(n);
		return;
	case SL_NOTIFY_CONNECTING:
		if (!n->in_flight) {
			if (revents != 0)
				sl_notify_poll_connect(n);
			if (n->st == SL_NOTIFY_CONNECTING && !n->in_flight &&
			    sl_db_now() >= n->deadline) {
				PQfinish(n->pg);
				n->pg = NULL;
				sl_notify_fail(n, "timed out connecting to "
				    "the database");
			}
			return;
		}
		break;
	case SL_NOTIFY_UP:
		break;
	}
	if (n->pg == NULL || revents == 0)
		return;
	if (revents & POLLOUT) {
		int r = PQflush(n->pg);

		if (r < 0) {
			sl_notify_fail(n, "connection to the database lost");
			return;
		}
		n->want_write = r == 1;
	}
	if (revents & (POLLIN | POLLERR | POLLHUP)) {
		if (!PQconsumeInput(n->pg)) {
			sl_notify_fail(n, "connection to the database lost");
			return;
		}
		if (n->in_flight)
			sl_notify_listen_results(n);
	}
	/* Notifications stay in libpq's queue until sl_notify_next. */
}

/* Skips white space. */
static const char *
sl_json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* A plain JSON string without escapes, into buf.  NULL on anything else. */
static const char *
sl_json_str(const char *p, char *buf, size_t bufsz)
{
	size_t n = 0;

	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if (*p == '\0' || *p == '\\' || (unsigned char)*p < 0x20 ||
		    n + 1 >= bufsz)
			return NULL;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return p + 1;
}

/* A JSON integer that fits int64.  NULL on anything else. */
static const char *
sl_json_int(const char *p, int64_t *out)
{
	char *end;
	long long v;

	if (!(isdigit((unsigned char)*p) || (*p == '-' &&
	    isdigit((unsigned char)p[1]))))
		return NULL;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0 || *end == '.' || *end == 'e' || *end == 'E')
		return NULL;
	*out = v;
	return end;
}

int
sl_notify_parse(const char *payload, struct sl_notify_event *ev,
    int64_t *buf, size_t bufn)
{
	const char *p = sl_json_ws(payload);
	char key[16];
	int have_show = 0, have_seq = 0, have_seats = 0;

	ev->show = 0;
	ev->seq = -1;
	ev->state[0] = '\0';
	ev->nseats = 0;
	ev->seats = buf;
	ev->reload = 0;
	if (*p++ != '{')
		return -1;
	p = sl_json_ws(p);
	if (*p == '}')
		return -1;
	for (;;) {
		p = sl_json_str(sl_json_ws(p), key, sizeof key);
		if (p == NULL)
			return -1;
		p = sl_json_ws(p);
		if (*p++ != ':')
			return -1;
		p = sl_json_ws(p);
		if (strcmp(key, "show") == 0 && !have_show) {
			if ((p = sl_json_int(p, &ev->show)) == NULL)
				return -1;
			have_show = 1;
		} else if (strcmp(key, "seq") == 0 && !have_seq) {
			if ((p = sl_json_int(p, &ev->seq)) == NULL)
				return -1;
			have_seq = 1;
		} else if (strcmp(key, "state") == 0 && ev->state[0] == '\0') {
			if ((p = sl_json_str(p, ev->state,
			    sizeof ev->state)) == NULL)
				return -1;
		} else if (strcmp(key, "seats") == 0 && !have_seats) {
			have_seats = 1;
			if (strncmp(p, "null", 4) == 0) {
				ev->reload = 1;
				p += 4;
			} else {
				if (*p++ != '[')
					return -1;
				p = sl_json_ws(p);
				while (*p != ']') {
					int64_t v;

					if (ev->nseats >= bufn)
						return -1;
					p = sl_json_int(p, &v);
					if (p == NULL)
						return -1;
					buf[ev->nseats++] = v;
					p = sl_json_ws(p);
					if (*p == ',')
						p = sl_json_ws(p + 1);
					else if (*p != ']')
						return -1;
				}
				p++;
			}
		} else
			return -1;
		p = sl_json_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != '}')
			return -1;
		break;
	}
	if (*sl_json_ws(p) != '\0' || !have_show || !have_seq || !have_seats)
		return -1;
	/* The change sequence counts from 0 and never reaches INT64_MAX: a
	 * forged seq outside that must not reach the gap arithmetic. */
	if (ev->seq < 0 || ev->seq == INT64_MAX || ev->show <= 0)
		return -1;
	if (ev->nseats == 0)
		ev->reload = 1;
	return 0;
}

/* The index of id among the n ascending ids, or -1. */
static long
sl_notify_find(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return (long)mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

size_t
sl_notify_take_states(const struct sl_notify_event *ev, int64_t *pending,
    size_t npending, size_t *nkeep, int64_t *ids, uint8_t *states)
{
	unsigned char used[SL_NOTIFY_MAX_SEATS];
	size_t i, keep = 0, n = 0, ns;
	long k;

	ns = ev->nseats < SL_NOTIFY_MAX_SEATS ? ev->nseats :
	    SL_NOTIFY_MAX_SEATS;
	memset(used, 0, ns);
	for (i = 0; i < npending; i++) {
		k = sl_notify_find(ev->seats, ns, pending[i]);
		if (k >= 0)
			used[k] = 1;
		else
			pending[keep++] = pending[i];
	}
	for (i = 0; i < ns; i++)
		if (used[i]) {
			ids[n] = ev->seats[i];
			states[n++] = ev->states[i];
		}
	*nkeep = keep;
	return n;
}

/* A notification's payload (from the server, or the relay: pid 0) into
 * ev: the seats to re-read, or a reload on anything unexpected or a gap. */
static void
sl_notify_payload(struct sl_notify *n, struct sl_notify_event *ev,
    const char *payload, int pid)
{
	ev->kind = SL_NOTIFY_CHANGE;
	if (payload == NULL || sl_notify_parse(payload, ev, n->seats,
	    SL_NOTIFY_MAX_SEATS) != 0 || ev->show != n->show) {
		char safe[256];

		if (payload != NULL && sl_log_limit(n->cfg.log, &n->loglim,
		    "unexpected notifications"))
			sl_log(n->cfg.log, "listener: unexpected payload on %s "
			    "from pid %d: %s", n->channel, pid,
			    sl_log_escape(safe, sizeof safe, payload));
		memset(ev, 0, sizeof *ev);
		ev->kind = SL_NOTIFY_CHANGE;
		ev->show = n->show;
		ev->seq = -1;
		ev->reload = 1;
		ev->seats = n->seats;
	} else if (n->last_seq >= 0 && ev->seq - n->last_seq > 1) {
		/* Both are in [0, INT64_MAX): the difference cannot overflow,
		 * where last_seq + 1 did for a forged INT64_MAX. */
		ev->gap = 1;
		ev->reload = 1;
	}
	if (ev->seq > n->last_seq)
		n->last_seq = ev->seq;
}

/* LOST or READY if one is due: 1 and ev filled, or 0. */
static int
sl_notify_pending_event(struct sl_notify *n, struct sl_notify_event *ev)
{
	if (n->pending & SL_NOTIFY_PEND_LOST) {
		n->pending &= ~(unsigned int)SL_NOTIFY_PEND_LOST;
		ev->kind = SL_NOTIFY_LOST;
		return 1;
	}
	if (n->pending & SL_NOTIFY_PEND_READY) {
		n->pending &= ~(unsigned int)SL_NOTIFY_PEND_READY;
		ev->kind = SL_NOTIFY_READY;
		return 1;
	}
	return 0;
}

/* The relay's greeting, or why it is not one: 0, or -1 (dropped). */
static int
sl_notify_relay_hello(struct sl_notify *n, const struct sl_relay_line *l)
{
	if (l->kind == SL_RELAY_HELLO_LINE) {
		n->relay_hello = 1;
		return 0;
	}
	if (l->kind == SL_RELAY_ERROR && strcmp(l->payload, "not allowed")
	    == 0) {
		n->relay_refused = 1;
		sl_log(n->cfg.log, "listener: the relay at %s does not allow "
		    "this user (not in its group); listening directly",
		    n->cfg.relay_socket);
	}
	sl_notify_relay_fail(n, l->kind == SL_RELAY_ERROR ? l->payload :
	    "not a seatlock relay (no greeting)");
	if (n->relay_refused)
		n->relay_lost = 0;	/* nothing was lost: never had it */
	return -1;
}

/* Serving (again) through the relay: reload everything. */
static void
sl_notify_relay_up(struct sl_notify *n, struct sl_notify_event *ev)
{
	n->st = SL_NOTIFY_UP;
	n->ready = 1;
	n->relay_dbdown = 0;
	n->relay_lost = 0;
	n->err[0] = '\0';
	snprintf(n->channel, sizeof n->channel, "seatlock_show_%" PRId64,
	    n->show);
	sl_log(n->cfg.log, "listener: listening on %s through the relay",
	    n->channel);
	ev->kind = SL_NOTIFY_READY;
}

/* A "seats" line of the relay that follows the change of this show just
 * reported: STATES (1, ev filled), else 0 (ignored; a list the parser
 * refuses is logged, rate-limited).  Never from a direct listener. */
static int
sl_notify_relay_states(struct sl_notify *n, const struct sl_relay_line *l,
    struct sl_notify_event *ev)
{
	size_t ns = 0;
	char safe[256];

	if (l->show != n->show || n->st != SL_NOTIFY_UP)
		return 0;
	if (sl_relay_parse_seats(l->payload, n->seats, n->states,
	    SL_NOTIFY_MAX_SEATS, &ns) != 0) {
		if (sl_log_limit(n->cfg.log, &n->loglim,
		    "unexpected notifications"))
			sl_log(n->cfg.log, "listener: unexpected seats line "
			    "from the relay: %s", sl_log_escape(safe,
			    sizeof safe, l->payload));
		return 0;
	}
	ev->kind = SL_NOTIFY_STATES;
	ev->show = n->show;
	ev->nseats = ns;
	ev->seats = n->seats;
	ev->states = n->states;
	return 1;
}

/* The relay's next line as an event: 1 and ev filled, or 0. */
static int
sl_notify_relay_next(struct sl_notify *n, struct sl_notify_event *ev)
{
	struct sl_relay_line l;
	int follows;

	while (n->rl != NULL && sl_relay_next(n->rl, &l)) {
		if (!n->relay_hello) {
			if (sl_notify_relay_hello(n, &l) != 0)
				return sl_notify_pending_event(n, ev);
			continue;
		}
		/* A "seats" line counts only right after its "show" line. */
		follows = n->after_change;
		n->after_change = 0;
		switch (l.kind) {
		case SL_RELAY_WATCHING:
			if (l.show != n->show || n->st != SL_NOTIFY_CONNECTING)
				continue;
			sl_notify_relay_up(n, ev);
			return 1;
		case SL_RELAY_RELOAD:
			if (n->st != SL_NOTIFY_UP && !n->relay_dbdown)
				continue;	/* "watching" comes */
			sl_notify_relay_up(n, ev);
			return 1;
		case SL_RELAY_BEAT:
			/* Checked by the parser: 0..a day, or -1. */
			n->beat_told = l.beat;
			n->beat_at = sl_db_now();
			continue;
		case SL_RELAY_LOST:
			/* Its database connection is down: stale until its
			 * "reload"; its beats stop meanwhile. */
			n->relay_dbdown = 1;
			n->beat_at = 0;
			n->st = SL_NOTIFY_CONNECTING;
			if (!n->ready)
				continue;
			n->ready = 0;
			sl_notify_seterr(n, "the relay lost the database", "");
			ev->kind = SL_NOTIFY_LOST;
			return 1;
		case SL_RELAY_SHOW:
			if (l.show != n->show || n->st != SL_NOTIFY_UP)
				continue;
			sl_notify_payload(n, ev, l.payload, 0);
			n->after_change = !ev->reload;
			return 1;
		case SL_RELAY_SEATS:
			if (follows && sl_notify_relay_states(n, &l, ev))
				return 1;
			continue;
		case SL_RELAY_ERROR:
			sl_notify_relay_fail(n, l.payload);
			return sl_notify_pending_event(n, ev);
		default:
			if (sl_log_limit(n->cfg.log, &n->loglim,
			    "unexpected notifications"))
				sl_log(n->cfg.log, "listener: unexpected line "
				    "from the relay");
			continue;
		}
	}
	return 0;
}

int
sl_notify_next(struct sl_notify *n, struct sl_notify_event *ev)
{
	PGnotify *nf;

	memset(ev, 0, sizeof *ev);
	ev->seq = -1;
	ev->show = n->show;
	if (sl_notify_pending_event(n, ev))
		return 1;
	if (n->rl != NULL)
		return sl_notify_relay_next(n, ev);
	if (n->pg == NULL || n->st != SL_NOTIFY_UP)
		return 0;
	for (;;) {
		/* As psql does: consume input before each PQnotifies. */
		if (!PQconsumeInput(n->pg)) {
			sl_notify_fail(n, "connection to the database lost");
			return sl_notify_pending_event(n, ev);
		}
		nf = PQnotifies(n->pg);
		if (nf == NULL) {
			sl_log_limit_flush(n->cfg.log, &n->loglim,
			    "unexpected notifications");
			return 0;
		}
		if (n->show <= 0 || strcmp(nf->relname, n->channel) != 0) {
			/* Left over from the show listened to before. */
			PQfreemem(nf);
			continue;
		}
		break;
	}
	sl_notify_payload(n, ev, nf->extra, nf->be_pid);
	PQfreemem(nf);
	return 1;
}

enum sl_notify_status
sl_notify_status(const struct sl_notify *n)
{
	return n->st;
}

const char *
sl_notify_error(const struct sl_notify *n)
{
	return n->err;
}

int
sl_notify_backend_pid(const struct sl_notify *n)
{
	if (n->pg == NULL || n->st != SL_NOTIFY_UP)
		return 0;
	return PQbackendPID(n->pg);
}

int
sl_notify_via_relay(const struct sl_notify *n)
{
	return n->rl != NULL;
}

int
sl_notify_beat(const struct sl_notify *n, int64_t *age_ms)
{
	int64_t since;

	if (n == NULL || n->rl == NULL || !n->relay_hello || n->beat_at == 0)
		return 0;
	since = sl_db_now() - n->beat_at;
	if (since < 0 || since > SL_NOTIFY_BEAT_FRESH_MS)
		return 0;
	*age_ms = n->beat_told < 0 || n->beat_told > SL_RELAY_BEAT_MAX ? -1 :
	    n->beat_told + since;
	return 1;
}

int
sl_notify_relay_lost(const struct sl_notify *n)
{
	return n->relay_lost && n->st != SL_NOTIFY_UP;
}
