/*
 * sl_notify.h - the listener: live changes of one show's seats through
 * LISTEN/NOTIFY, on a connection of its own.
 *
 * The listening connection never runs a transaction (a listener inside one
 * stalls the server's notification queue for every session) and is driven
 * without blocking from the caller's poll() loop:
 *
 *	pfd.fd = sl_notify_fd(n); pfd.events = sl_notify_events(n);
 *	poll(..., sl_notify_timeout(n));
 *	sl_notify_handle(n, pfd.revents);	(also when poll timed out)
 *	while (sl_notify_next(n, &ev))
 *		... SL_NOTIFY_READY: reload the show in full, then
 *		    sl_notify_set_seq(n, the change_seq read);
 *		... SL_NOTIFY_CHANGE: re-read ev.seats from the tables (or
 *		    everything when ev.reload);
 *		... SL_NOTIFY_STATES: (through the relay only) the states
 *		    of the seats of the CHANGE just before, as the relay
 *		    read them after it: apply those still to re-read;
 *		... SL_NOTIFY_LOST: the map may be stale.
 *
 * When the host's relay runs (`seatlock relay`, notify.relay_socket), the
 * listener attaches to it instead of opening a connection (sl_relay.h): the
 * same events, its lines parsed as NOTIFYs are.  A relay that goes away
 * is LOST and tried again at once; one that is gone (or refuses, or never
 * answers) is replaced by a connection of its own, and the relay is tried
 * again at the next reconnect.
 *
 * Connections are made with PQconnectStartParams/PQconnectPoll, so a dead
 * server never freezes the caller (a host name is still resolved while
 * connecting: use an address or a unix socket where that matters).  After
 * every (re)connect the listener LISTENs first and only then reports
 * READY, so a change committed after the caller's reload is always
 * notified.  A lost connection is retried with exponential back-off and
 * jitter.  Payloads are hints that any database user could forge: they only
 * say which seats to re-read; a malformed payload, one without seats or a
 * gap in the show's change sequence asks for a full reload.
 */
#ifndef SL_NOTIFY_H
#define SL_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "sl_config.h"
#include "sl_err.h"

struct sl_notify;

enum sl_notify_status {
	SL_NOTIFY_OFF,		/* no show to listen to */
	SL_NOTIFY_CONNECTING,	/* connecting or sending LISTEN */
	SL_NOTIFY_UP,		/* listening */
	SL_NOTIFY_RETRY,	/* connection lost or refused; waiting */
};

enum sl_notify_kind {
	SL_NOTIFY_READY,	/* listening (again): reload everything */
	SL_NOTIFY_LOST,		/* connection lost: state may be stale */
	SL_NOTIFY_CHANGE,	/* seats of the show changed */
	SL_NOTIFY_STATES,	/* the relay's "seats" line: the states of
				 * nseats seats (ids ascending), read after
				 * the CHANGE just reported */
};

#define SL_NOTIFY_MAX_SEATS	1000	/* more in one payload: reload */

struct sl_notify_event {
	enum sl_notify_kind	 kind;
	int64_t			 show;
	int64_t			 seq;	/* from the payload; -1 if none */
	int			 reload; /* re-read the whole show */
	int			 gap;	/* the sequence skipped (reload set) */
	char			 state[16]; /* "booked", ...; "" if none */
	size_t			 nseats;
	const int64_t		*seats;	/* borrowed until the next call */
	const uint8_t		*states; /* STATES: enum sl_seat_state of
					  * each seat; borrowed as seats */
};

/*
 * A listener using the connection settings of c and the DSN of
 * sl_config_listen_dsn(): sl_db_connect's unless a listen DSN is set
 * (bookings through PgBouncer, the listener direct).  It does not connect
 * until sl_notify_listen().  *out is the caller's (sl_notify_free).
 * Errors: SL_ENOMEM.
 */
enum sl_rc	sl_notify_new(const struct sl_config *c, struct sl_notify **out,
		    struct sl_err *e);

/* Closes the connection and frees n; NULL is allowed. */
void		sl_notify_free(struct sl_notify *n);

/*
 * Listens to show (0: stop listening).  Connects first if needed; READY is
 * reported once the LISTEN is in effect.  The change sequence is unknown
 * until sl_notify_set_seq().
 */
void		sl_notify_listen(struct sl_notify *n, int64_t show);

/* The show's change_seq as of the state the caller has just loaded; a
 * notification later than seq + 1 is a gap. */
void		sl_notify_set_seq(struct sl_notify *n, int64_t seq);

/* The socket to poll, or -1 when there is none (retry wait, off). */
int		sl_notify_fd(const struct sl_notify *n);

/* The poll() events the socket waits for (POLLIN and/or POLLOUT). */
short		sl_notify_events(const struct sl_notify *n);

/* Milliseconds until sl_notify_handle() must run even without input
 * (next retry, connect deadline), or -1 for no timer. */
int		sl_notify_timeout(const struct sl_notify *n);

/* Advances the connection: call after poll() with the socket's revents
 * (0 when it timed out or the socket was not polled). */
void		sl_notify_handle(struct sl_notify *n, short revents);

/*
 * The next event, if any: returns 1 and fills ev, or 0.  Reads what the
 * server sent without blocking; ev->seats stays valid until the next call.
 */
int		sl_notify_next(struct sl_notify *n, struct sl_notify_event *ev);

enum sl_notify_status sl_notify_status(const struct sl_notify *n);

/* Why the last attempt failed, or "" (borrowed). */
const char	*sl_notify_error(const struct sl_notify *n);

/* The server process id of the listening connection, 0 if none (tests). */
int		sl_notify_backend_pid(const struct sl_notify *n);

/* 1 while attached to the host's relay (notify.relay_socket) instead of a
 * LISTEN connection of its own. */
int		sl_notify_via_relay(const struct sl_notify *n);

/*
 * The notifier's beat as the host's relay last told it (it reads it once
 * a second for every box office): 1 and *age_ms (the age it told plus the
 * time since, CLOCK_MONOTONIC; -1 when no notifier ever beat, or the relay
 * said something absurd) while attached to a relay that told it within
 * the last SL_NOTIFY_BEAT_FRESH_MS; 0 otherwise (n NULL too): read it from
 * the database (sl_notifier_beat_age).
 */
#define SL_NOTIFY_BEAT_FRESH_MS	2000
int		sl_notify_beat(const struct sl_notify *n, int64_t *age_ms);

/* 1 while the relay went away and a new attempt (the relay again, or
 * directly) is not listening yet. */
int		sl_notify_relay_lost(const struct sl_notify *n);

/*
 * The seats of a STATES event that are among pending[0..npending): takes
 * every one out of pending (the rest moved up, *nkeep of them left) and
 * writes their ids and states (ascending, at most ev->nseats) to ids and
 * states.  Returns how many; the event's other seats are ignored.
 */
size_t		sl_notify_take_states(const struct sl_notify_event *ev,
		    int64_t *pending, size_t npending, size_t *nkeep,
		    int64_t *ids, uint8_t *states);

/*
 * Parses a payload {"show":N,"seq":N,"state":"...","seats":[N,...]|null}.
 * Returns 0 and fills ev (show, seq, state, nseats, seats pointing into
 * buf of bufn entries; reload set when seats is null), or -1 if the text is
 * not exactly such an object.  Exposed for tests.
 */
int		sl_notify_parse(const char *payload, struct sl_notify_event *ev,
		    int64_t *buf, size_t bufn);

#endif
