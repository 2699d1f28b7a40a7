/*
 * hub.c - the relay's clients and shows: requests, bounded queues, the
 * shows listened to (reference-counted), notifications fanned out and
 * coalesced, the database connection lost and found again, and the
 * notifier's beat read once a second for every client.
 */
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sl_db.h"
#include "relay/relay.h"

#define RELAY_BACKOFF_MIN	200	/* ms */
#define RELAY_BACKOFF_MAX	5000	/* ms */

/* Sends what the socket takes now; a client that is gone has its queue
 * dropped and is closed in the loop. */
void
hub_flush(struct relay_client *c)
{
	ssize_t n;

	while (c->outlen > 0) {
		n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			c->closing = 1;
			c->outlen = 0;
			return;
		}
		c->mid = c->out[n - 1] != '\n';
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

/* The queue is full: drop it (but the rest of a line half sent) and ask
 * the client to re-read everything.  Its memory stays RELAY_QUEUE. */
static void
hub_overflow(struct relay *r, struct relay_client *c)
{
	size_t keep = 0;
	char *nl;

	if (c->mid && (nl = memchr(c->out, '\n', c->outlen)) != NULL)
		keep = (size_t)(nl - c->out) + 1;
	c->outlen = keep;
	memcpy(c->out + c->outlen, "reload\n", 7);
	c->outlen += 7;
	r->overflows++;
	if (!c->told)
		cli_msg("relay: a client (uid %u, pid %d) does not read: its "
		    "queue of %d kB was dropped and it was asked to reload",
		    (unsigned)c->uid, (int)c->pid, RELAY_QUEUE / 1024);
	c->told = 1;
}

void
hub_send(struct relay *r, struct relay_client *c, const char *line,
    size_t len)
{
	size_t cap;
	char *p;

	if (c->closing)
		return;
	if (c->outlen + len > c->outcap && c->outcap < RELAY_QUEUE) {
		cap = c->outcap == 0 ? 1024 : c->outcap;
		while (cap < c->outlen + len && cap < RELAY_QUEUE)
			cap *= 2;
		if (cap > RELAY_QUEUE)
			cap = RELAY_QUEUE;
		p = realloc(c->out, cap);
		if (p != NULL) {
			c->out = p;
			c->outcap = cap;
		}
	}
	if (c->outlen + len > c->outcap) {
		if (c->outcap < SL_RELAY_LINE_MAX + 8) {
			c->closing = 1;	/* no memory: let it go */
			c->outlen = 0;
			return;
		}
		hub_overflow(r, c);
		if (c->outlen + len > c->outcap)
			return;
	}
	memcpy(c->out + c->outlen, line, len);
	c->outlen += len;
}

static void
hub_say(struct relay *r, struct relay_client *c, const char *word,
    int64_t show)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%s %" PRId64 "\n", word, show);

	if (n > 0)
		hub_send(r, c, line, (size_t)n);
}

static struct relay_show *
hub_show(struct relay *r, int64_t show)
{
	size_t i;

	for (i = 0; i < r->nshows; i++)
		if (r->shows[i].show == show)
			return &r->shows[i];
	return NULL;
}

/* The database connection is gone: every client hears "lost" and
 * "reload" once it is back. */
static void
hub_db_lost(struct relay *r, const char *why)
{
	size_t i;

	cli_msg("relay: %s; every client reloads once it is back", why);
	sl_relay_db_close(r->db);
	r->db = NULL;
	seats_clear(&r->seats);	/* every client reloads */
	for (i = 0; i < r->nshows; i++)
		r->shows[i].listening = 0;
	r->down_said = 1;
	r->beat_read = 0;
	r->retry_at = sl_db_now() + r->backoff;
	for (i = 0; i < r->ncl; i++)
		hub_send(r, r->cl[i], "lost\n", 5);
}

/* One more client watches show; the first one's LISTEN goes out with the
 * others of this turn (hub_listen_new). */
static int
hub_watch(struct relay *r, int64_t show)
{
	struct relay_show *s = hub_show(r, show), *n;

	if (s != NULL) {
		s->refs++;
		return 0;
	}
	if (r->nshows == r->capshows) {
		n = realloc(r->shows, (r->capshows * 2 + 16) * sizeof *n);
		if (n == NULL)
			return -1;
		r->shows = n;
		r->capshows = r->capshows * 2 + 16;
	}
	s = &r->shows[r->nshows++];
	memset(s, 0, sizeof *s);
	s->show = show;
	s->refs = 1;
	return 0;
}

/* Acknowledges ("watching") every watch of a show whose LISTEN is in
 * effect, sent at once as far as the sockets take it. */
static void
hub_ack(struct relay *r)
{
	struct relay_show *s;
	size_t i;
	int k;

	for (i = 0; i < r->ncl; i++) {
		struct relay_client *c = r->cl[i];

		for (k = 0; k < c->nwatch; k++) {
			if (c->acked[k] || (s = hub_show(r, c->watch[k])) ==
			    NULL || !s->listening)
				continue;
			c->acked[k] = 1;
			hub_say(r, c, "watching", c->watch[k]);
		}
		hub_flush(c);
	}
}

/*
 * LISTEN on the channels of the shows first watched in this turn (all
 * non-zero: of every show, a connection found again), in one statement:
 * a relay restarted sees 1,000 terminals of 30 shows attach within a few
 * turns, and 30 round trips one after the other kept them all waiting.
 * The shows are listening then, unless the connection was lost; a LISTEN
 * refused is said, and its watchers served as before.
 */
static enum sl_rc
hub_listen(struct relay *r, int all, struct sl_err *e)
{
	int64_t *shows;
	enum sl_rc rc;
	size_t i, n = 0;

	for (i = 0; i < r->nshows; i++)
		n += all || !r->shows[i].listening;
	if (n == 0)
		return SL_OK;
	if ((shows = malloc(n * sizeof *shows)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0, n = 0; i < r->nshows; i++)
		if (all || !r->shows[i].listening)
			shows[n++] = r->shows[i].show;
	rc = sl_relay_db_listen_all(r->db, shows, n, 1, e);
	free(shows);
	if (rc != SL_ECONN)
		for (i = 0; i < r->nshows; i++)
			r->shows[i].listening = 1;
	if (rc != SL_OK && rc != SL_ECONN)
		cli_msg("relay: %s", e->msg);
	return rc;
}

/* The new shows' LISTENs of this turn, then their watches acknowledged. */
void
hub_listen_new(struct relay *r)
{
	struct sl_err e;
	size_t i;

	i = 0;
	while (i < r->nshows && r->shows[i].listening)
		i++;
	if (r->db == NULL || i == r->nshows)
		return;	/* none new: every watch was answered at once */
	sl_err_clear(&e);
	if (hub_listen(r, 0, &e) == SL_ECONN) {
		hub_db_lost(r, e.msg);
		return;
	}
	hub_ack(r);
}

static void
hub_unwatch(struct relay *r, int64_t show)
{
	struct relay_show *s = hub_show(r, show);
	struct sl_err e;

	if (s == NULL || --s->refs > 0)
		return;
	*s = r->shows[--r->nshows];
	if (r->db != NULL && sl_relay_db_listen(r->db, show, 0, &e) != SL_OK &&
	    e.rc == SL_ECONN)
		hub_db_lost(r, e.msg);
}

/* One request line of a client. */
static void
hub_request(struct relay *r, struct relay_client *c, const char *line)
{
	struct sl_relay_line l;
	struct relay_show *s;
	int i;

	switch (sl_relay_parse(line, &l)) {
	case SL_RELAY_WATCH:
		for (i = 0; i < c->nwatch; i++)
			if (c->watch[i] == l.show)
				break;
		if (i == c->nwatch) {
			if (c->nwatch == RELAY_MAX_WATCH ||
			    hub_watch(r, l.show) != 0) {
				hub_send(r, c, "error too many shows\n", 21);
				c->closing = 1;
				return;
			}
			c->watch[c->nwatch] = l.show;
			c->acked[c->nwatch++] = 0;
		}
		s = hub_show(r, l.show);
		/* else hub_listen_new (a new show) or hub_db_connect says it */
		if (r->db != NULL && s != NULL && s->listening) {
			c->acked[i] = 1;
			hub_say(r, c, "watching", l.show);
		}
		return;
	case SL_RELAY_UNWATCH:
		for (i = 0; i < c->nwatch; i++)
			if (c->watch[i] == l.show) {
				hub_unwatch(r, l.show);
				c->watch[i] = c->watch[--c->nwatch];
				c->acked[i] = c->acked[c->nwatch];
				break;
			}
		return;
	default:
		hub_send(r, c, "error bad request\n", 18);
		c->closing = 1;
		return;
	}
}

void
hub_client_input(struct relay *r, struct relay_client *c)
{
	char *nl, *p;
	ssize_t n;

	n = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen,
	    MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		c->closing = 1;
		c->outlen = 0;
		return;
	}
	c->inlen += (size_t)n;
	p = c->in;
	while (!c->closing &&
	    (nl = memchr(p, '\n', c->inlen - (size_t)(p - c->in))) != NULL) {
		*nl = '\0';
		hub_request(r, c, memchr(p, '\0', (size_t)(nl - p)) != NULL ?
		    "" : p);
		p = nl + 1;
	}
	c->inlen -= (size_t)(p - c->in);
	memmove(c->in, p, c->inlen);
	if (c->inlen == sizeof c->in && !c->closing) {
		hub_send(r, c, "error line too long\n", 20);
		c->closing = 1;
	}
}

void
hub_client_drop(struct relay *r, size_t i)
{
	struct relay_client *c = r->cl[i];
	int k;

	for (k = 0; k < c->nwatch; k++)
		hub_unwatch(r, c->watch[k]);
	close(c->fd);
	free(c->out);
	free(c);
	r->cl[i] = r->cl[--r->ncl];
}

void
hub_db_connect(struct relay *r)
{
	struct sl_err e;
	size_t i;
	int k, had;

	if (r->db != NULL || sl_db_now() < r->retry_at)
		return;
	sl_err_clear(&e);
	if (sl_relay_db_open(&r->cfg, &r->db, &e) != SL_OK) {
		if (!r->down_said)
			cli_msg("relay: %s; retrying", e.msg);
		r->down_said = 1;
		r->retry_at = sl_db_now() + r->backoff;
		r->backoff = r->backoff * 2 > RELAY_BACKOFF_MAX ?
		    RELAY_BACKOFF_MAX : r->backoff * 2;
		return;
	}
	if (hub_listen(r, 1, &e) == SL_ECONN) {
		hub_db_lost(r, e.msg);
		return;
	}
	r->backoff = RELAY_BACKOFF_MIN;
	cli_msg("relay: listening (server pid %d) for %zu show(s) of %zu "
	    "client(s)", sl_relay_db_pid(r->db), r->nshows, r->ncl);
	r->down_said = 0;
	/* LISTEN is in effect: those waiting may load now, the others
	 * re-read what they may have missed. */
	for (i = 0; i < r->ncl; i++) {
		struct relay_client *c = r->cl[i];

		for (k = 0, had = 0; k < c->nwatch; k++) {
			if (c->acked[k])
				had = 1;
			else
				hub_say(r, c, "watching", c->watch[k]);
			c->acked[k] = 1;
		}
		if (had)
			hub_send(r, c, "reload\n", 7);
	}
}

/* line to the clients watching show (acknowledged). */
static void
hub_fanout(struct relay *r, int64_t show, const char *line, size_t len)
{
	size_t i;
	int k;

	for (i = 0; i < r->ncl; i++)
		for (k = 0; k < r->cl[i]->nwatch; k++)
			if (r->cl[i]->watch[k] == show && r->cl[i]->acked[k]) {
				hub_send(r, r->cl[i], line, len);
				break;
			}
}

/* One notification, queued until its seats' states are read (hub_seats).
 * A flood (more than RELAY_COALESCE of a show in one read, and whatever
 * follows within RELAY_FLOOD_MS of that read) becomes one "show SHOW reload" every
 * RELAY_FLOOD_MS at most (hub_reloads), and reads nothing. */
static void
hub_forward(struct relay *r, int64_t show, const char *payload, int64_t now)
{
	struct relay_show *s = hub_show(r, show);

	if (s == NULL)
		return;	/* left over from a show no longer watched */
	/* Only a read over the limit starts (or restarts) a flood's window:
	 * a show that merely keeps changing, a notification every round of
	 * the notifier, never stays in it (each one would have pushed the
	 * window on, and every terminal of the show reloaded for good). */
	if (++s->batch > RELAY_COALESCE)
		s->flood_until = now + RELAY_FLOOD_MS;
	if (s->batch > RELAY_COALESCE || now < s->flood_until) {
		s->dirty = 1;
		r->coalesced++;
		return;
	}
	if (seats_add(&r->seats, show, payload) != 0)
		s->dirty = 1;	/* no memory: a reload, not a loss */
}

/*
 * The queued notifications sent, each "show" line followed by its "seats"
 * line when the states were read: one statement a show (seats.c).  A read
 * refused (no grant, an old schema) is said once and not tried for
 * RELAY_STATES_OFF_MS: the box offices read the seats themselves, as
 * without a relay.  1 when a statement ran (notifications may have come
 * meanwhile).
 */
static int
hub_seats(struct relay *r, int64_t now)
{
	char line[SL_RELAY_LINE_MAX];
	struct sl_err e;
	enum sl_rc rc = SL_OK;
	size_t i, len;
	int ran = 0;

	sl_err_clear(&e);
	if (r->db != NULL && now >= r->states_off &&
	    seats_wanted(&r->seats)) {
		ran = 1;
		rc = seats_read(&r->seats, r->db, &r->states_reads, &e);
		if (rc == SL_OK)
			r->states_said = 0;
		else if (rc != SL_ECONN) {
			if (!r->states_said)
				cli_msg("relay: %s; the box offices read the "
				    "seats themselves", e.msg);
			r->states_said = 1;
			r->states_off = now + RELAY_STATES_OFF_MS;
		}
	}
	for (i = 0; i < r->seats.nnote; i++) {
		struct relay_note *nt = &r->seats.note[i];

		r->forwarded++;
		hub_fanout(r, nt->show, line, sl_relay_format_show(line,
		    nt->show, nt->payload));
		len = seats_line(&r->seats, i, line, sizeof line);
		if (len > 0) {
			r->seated++;
			hub_fanout(r, nt->show, line, len);
		}
	}
	seats_clear(&r->seats);
	if (rc == SL_ECONN)
		hub_db_lost(r, e.msg);
	return ran && r->db != NULL;
}

/* The reloads a flood made due.  1 while some are still to come. */
int
hub_reloads(struct relay *r)
{
	char line[64];
	int64_t now = sl_db_now();
	size_t i;
	int more = 0;

	for (i = 0; i < r->nshows; i++) {
		struct relay_show *s = &r->shows[i];

		if (!s->dirty)
			continue;
		if (now < s->reload_at) {
			more = 1;
			continue;
		}
		s->dirty = 0;
		s->reload_at = now + RELAY_FLOOD_MS;
		r->forwarded++;
		hub_fanout(r, s->show, line, sl_relay_format_show(line,
		    s->show, NULL));
	}
	return more;
}

/* The notifications libpq holds, queued (hub_forward). */
static void
hub_db_take(struct relay *r, int64_t now)
{
	const char *payload;
	int64_t show;

	while (r->db != NULL && sl_relay_db_next(r->db, &show, &payload))
		hub_forward(r, show, payload, now);
}

int
hub_pending(const struct relay *r)
{
	return r->db != NULL && r->seats.nnote > 0;
}

/*
 * The notifications libpq has read, forwarded with one read of their
 * seats' states, and the queues flushed.  Those that came during the read
 * are queued, counted in the same batch (a flood reads nothing more), and
 * read in the next turn, after the clients' requests and new clients
 * (hub_pending): under a steady stream a read always finds more, and
 * reading on and on kept every line and every attaching terminal waiting.
 */
static void
hub_db_drain(struct relay *r)
{
	int64_t now = sl_db_now();
	size_t i;

	for (i = 0; i < r->nshows; i++)
		r->shows[i].batch = 0;
	hub_db_take(r, now);
	if (hub_seats(r, now))
		hub_db_take(r, now);
	(void)hub_reloads(r);
	for (i = 0; i < r->ncl; i++)
		hub_flush(r->cl[i]);
}

void
hub_db_input(struct relay *r)
{
	struct sl_err e;

	if (r->db == NULL)
		return;
	if (sl_relay_db_read(r->db, &e) != SL_OK) {
		hub_db_lost(r, e.msg);
		return;
	}
	hub_db_drain(r);
}

/* The beat as it is now (read age + time since), to one client. */
static void
hub_beat_send(struct relay *r, struct relay_client *c, int64_t now)
{
	char line[32];
	int64_t age = r->beat_age < 0 ? -1 : r->beat_age + (now - r->beat_read);

	hub_send(r, c, line, sl_relay_format_beat(line, sizeof line, age));
}

/* Once a second while clients are attached: the notifier's beat read on
 * the LISTEN connection and sent to every client, so no box office of
 * the host reads it itself.  Not read: nothing sent (the clients read it
 * themselves after 2 s); the connection lost: "lost" as always. */
void
hub_beat(struct relay *r)
{
	struct sl_err e;
	int64_t now = sl_db_now();
	size_t i;

	if (r->db == NULL || r->ncl == 0 || now < r->beat_at)
		return;
	r->beat_at = now + RELAY_BEAT_MS;
	r->beat_read = 0;
	if (sl_relay_db_beat(r->db, &r->beat_age, &e) != SL_OK) {
		if (e.rc == SL_ECONN) {
			hub_db_lost(r, e.msg);
			return;
		}
		if (!r->beat_said)
			cli_msg("relay: %s; the box offices read it themselves",
			    e.msg);
		r->beat_said = 1;
	} else {
		r->beat_said = 0;
		r->beat_read = sl_db_now();
		for (i = 0; i < r->ncl; i++)
			hub_beat_send(r, r->cl[i], r->beat_read);
	}
	/* NOTIFYs that came during the query are in libpq's queue now,
	 * and the socket may never wake poll() for them. */
	hub_db_drain(r);
}

/* A client just attached: the beat at once if it was read within a
 * second, else it is read in this round. */
void
hub_beat_greet(struct relay *r, struct relay_client *c)
{
	int64_t now = sl_db_now();

	if (r->db != NULL && r->beat_read > 0 &&
	    now - r->beat_read < RELAY_BEAT_MS)
		hub_beat_send(r, c, now);
	else
		r->beat_at = now;
}

/* At most one line every 10 s about floods and clients that do not read:
 * a flood of NOTIFYs never floods the log.  With the seats' states read
 * and the statements that read them; at the end (now) also when only
 * those changed. */
void
hub_summary(struct relay *r, int now)
{
	int64_t t = sl_db_now();

	if (!now && t < r->said_at + 10000)
		return;
	if (r->coalesced == r->said_coalesced &&
	    r->overflows == r->said_overflows &&
	    (!now || r->states_reads == r->said_reads))
		return;
	r->said_at = t;
	cli_msg("relay: %ld notification(s) forwarded, %ld with the seats' "
	    "states (%ld statement(s)), %ld coalesced into reloads, %ld queue "
	    "overflow(s)", r->forwarded, r->seated, r->states_reads,
	    r->coalesced, r->overflows);
	r->said_coalesced = r->coalesced;
	r->said_overflows = r->overflows;
	r->said_reads = r->states_reads;
}
