/*
 * guard.c - deadlines for the HTTP server's connections, so that no
 * client keeps a connection slot by being slow (issue 17, finding 2).
 *
 * libmicrohttpd's own timeout (api.request_timeout_s) is an inactivity
 * timer: a client sending one header byte every few seconds never trips
 * it.  Here every open connection has an entry with its socket and, while
 * the server waits for the client, a deadline:
 *
 * - opened, or its previous response done (keep-alive): the next request's
 *   header must be complete within api.header_timeout_s (within
 *   api.keepalive_idle_s, if that is shorter, after a response);
 * - header complete (the access handler's first call): its body, if any,
 *   within api.header_timeout_s;
 * - request complete (the handler runs, the reply is sent, an event
 *   stream streams): no deadline here (the reply has its own limits).
 *
 * One client's address (IPv4, or an IPv6 /64) holds at most
 * api.max_connections_per_address of the connections: one more is shut
 * down as it opens.
 *
 * A watchdog thread shuts down (shutdown(2), both ways) the socket of a
 * connection past its deadline; libmicrohttpd's thread of that connection
 * then sees the end of the stream and closes it as it would any other.
 * The socket is only touched under the table's lock, and an entry leaves
 * the table (MHD_CONNECTION_NOTIFY_CLOSED) before libmicrohttpd closes its
 * socket, so the watchdog never shuts down a descriptor that was closed
 * and reused.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"

#define SERVE_GUARD_TICK_MS	200	/* how often the watchdog looks */

struct serve_conn {
	int			 fd;
	struct timespec		 deadline;	/* tv_sec 0: none */
	unsigned char		 net[8];	/* the client's address: IPv4,
						 * or an IPv6 /64 */
	struct serve_conn	*prev, *next;
};

/*
 * Whom a connection counts against: its IPv4 address, or the /64 of an
 * IPv6 one (one client's network: a client holding a /64 has addresses
 * without end), or of an IPv4-mapped one its IPv4 address.
 */
static void
serve_guard_net(struct MHD_Connection *conn, unsigned char net[8])
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff };
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	memset(net, 0, 8);
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sa = ci != NULL ? ci->client_addr : NULL;
	if (sa != NULL && sa->sa_family == AF_INET) {
		net[0] = 4;
		memcpy(net + 4, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, 4);
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		const unsigned char *a = ((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr.s6_addr;

		if (memcmp(a, mapped, 12) == 0) {
			net[0] = 4;
			memcpy(net + 4, a + 12, 4);
		} else
			memcpy(net, a, 8);
	}
}

/* How many connections of the table count against net. */
static unsigned
serve_guard_count(const struct serve_guard *g, const unsigned char net[8])
{
	const struct serve_conn *k;
	unsigned n = 0;

	for (k = g->head; k != NULL; k = k->next)
		if (memcmp(k->net, net, 8) == 0)
			n++;
	return n;
}

static void
serve_guard_after(struct timespec *t, int seconds)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += seconds;
}

static int
serve_guard_passed(const struct timespec *t, const struct timespec *now)
{
	return t->tv_sec != 0 && (now->tv_sec > t->tv_sec ||
	    (now->tv_sec == t->tv_sec && now->tv_nsec >= t->tv_nsec));
}

/* One look at the table: shuts down the connections past their
 * deadline; returns how many. */
static int
serve_guard_sweep(struct serve_guard *g)
{
	struct serve_conn *k;
	struct timespec now;
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (k = g->head; k != NULL; k = k->next)
		if (serve_guard_passed(&k->deadline, &now)) {
			shutdown(k->fd, SHUT_RDWR);
			k->deadline.tv_sec = 0;
			n++;
		}
	return n;
}

/* The watchdog's lines: what it did since the last, one a second at
 * most, so that no client can fill the log. */
static void
serve_guard_report(struct serve *srv, long *cut, long *over)
{
	const struct serve_guard *g = &srv->guard;

	if (*cut > 0)
		serve_log(srv, "closed %ld connection(s) that sent no complete "
		    "request in time (api.header_timeout_s %d, "
		    "api.keepalive_idle_s %d)", *cut, g->header_s, g->idle_s);
	if (*over > 0)
		serve_log(srv, "refused %ld connection(s) over one address's "
		    "share (api.max_connections_per_address %u)", *over,
		    g->per_addr);
	*cut = *over = 0;
}

static void *
serve_guard_main(void *arg)
{
	struct serve *srv = arg;
	struct serve_guard *g = &srv->guard;
	struct timespec until;
	time_t last = 0;
	long cut = 0, over = 0;

	pthread_mutex_lock(&g->lock);
	while (!g->stop) {
		int n = serve_guard_sweep(g);

		g->closed += n;
		cut += n;
		over += g->over;
		g->over = 0;
		clock_gettime(CLOCK_MONOTONIC, &until);
		if ((cut > 0 || over > 0) && until.tv_sec != last) {
			last = until.tv_sec;
			pthread_mutex_unlock(&g->lock);
			serve_guard_report(srv, &cut, &over);
			pthread_mutex_lock(&g->lock);
		}
		until.tv_nsec += SERVE_GUARD_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
	}
	pthread_mutex_unlock(&g->lock);
	serve_guard_report(srv, &cut, &over);
	return NULL;
}

int
serve_guard_start(struct serve *srv, unsigned per_addr)
{
	struct serve_guard *g = &srv->guard;
	pthread_condattr_t ca;

	g->per_addr = per_addr;
	g->header_s = (int)srv->cfg->api_header_timeout_s;
	g->idle_s = (int)srv->cfg->api_keepalive_idle_s;
	if (g->idle_s > g->header_s)
		g->idle_s = g->header_s;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	g->inited = 1;
	if (pthread_create(&g->thread, NULL, serve_guard_main, srv) != 0)
		return -1;
	g->running = 1;
	return 0;
}

void
serve_guard_stop(struct serve *srv)
{
	struct serve_guard *g = &srv->guard;

	if (!g->inited)
		return;
	if (g->running) {
		pthread_mutex_lock(&g->lock);
		g->stop = 1;
		pthread_cond_signal(&g->wake);
		pthread_mutex_unlock(&g->lock);
		pthread_join(g->thread, NULL);
		g->running = 0;
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	g->inited = 0;
}

void
serve_guard_notify(void *cls, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode toe)
{
	struct serve *srv = cls;
	struct serve_guard *g = &srv->guard;
	struct serve_conn *k = *socket_context;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		    conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		if (ci == NULL || (k = calloc(1, sizeof *k)) == NULL) {
			serve_log(srv, "a connection without a deadline (no "
			    "memory)");
			return;
		}
		k->fd = ci->connect_fd;
		serve_guard_after(&k->deadline, g->header_s);
		serve_guard_net(conn, k->net);
		pthread_mutex_lock(&g->lock);
		/* Over its address's share: closed at once (it stays in the
		 * table until libmicrohttpd closes it, and counts). */
		if (serve_guard_count(g, k->net) >= g->per_addr) {
			shutdown(k->fd, SHUT_RDWR);
			k->deadline.tv_sec = 0;
			g->over++;
		}
		k->next = g->head;
		if (g->head != NULL)
			g->head->prev = k;
		g->head = k;
		pthread_mutex_unlock(&g->lock);
		*socket_context = k;
		return;
	}
	if (k == NULL)
		return;
	/* Out of the table before libmicrohttpd closes the socket. */
	pthread_mutex_lock(&g->lock);
	if (k->prev != NULL)
		k->prev->next = k->next;
	else
		g->head = k->next;
	if (k->next != NULL)
		k->next->prev = k->prev;
	pthread_mutex_unlock(&g->lock);
	*socket_context = NULL;
	free(k);
}

void
serve_guard_arm(struct serve *srv, struct MHD_Connection *conn,
    enum serve_guard_what what)
{
	struct serve_guard *g = &srv->guard;
	const union MHD_ConnectionInfo *ci;
	struct serve_conn *k;
	struct timespec t = { 0, 0 };

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (k = ci->socket_context) == NULL)
		return;
	if (what == SERVE_GUARD_BODY)
		serve_guard_after(&t, g->header_s);
	else if (what == SERVE_GUARD_NEXT)
		serve_guard_after(&t, g->idle_s);
	pthread_mutex_lock(&g->lock);
	k->deadline = t;
	pthread_mutex_unlock(&g->lock);
}
