/*
 * sl_relay.h - the relay's line protocol, the client a box office uses to
 * take its notifications from `seatlock relay`, and the relay's own
 * listening connection (many shows on one LISTEN connection).
 *
 * The protocol (one line each, "\n"-terminated, ASCII):
 *
 *	relay -> client	"hello seatlock-relay 1"	first, once
 *	client -> relay	"watch SHOW" / "unwatch SHOW"
 *	relay -> client	"watching SHOW"	the LISTEN is in effect: reload now
 *	relay -> client	"show SHOW PAYLOAD"	a notification (a hint)
 *	relay -> client	"show SHOW reload"	re-read the show (payload too
 *				long or with a newline, or a flood coalesced)
 *	relay -> client	"lost"		the relay's database connection is down
 *	relay -> client	"reload"	it is back, or this client's queue
 *				overflowed: re-read everything
 *	relay -> client	"error WHY"	then the relay closes ("not allowed")
 *	relay -> client	"seats SHOW ID:S ID:S ..."	right after the "show"
 *				line of a change: the states of the seats it
 *				names, read by the relay from show_seat after
 *				the notification (S: a available, h held,
 *				b booked, x blocked; ids ascending); not sent
 *				when the read failed or the line would be
 *				too long: then the terminal reads them itself
 *	relay -> client	"beat AGE_MS" / "beat none"	the notifier's beat
 *				(sl_notifier_beat_age), read once a second
 *				and on attach; "none": no notifier ever beat
 *
 * No payload a relay passes on is trusted: payloads are parsed as NOTIFY
 * payloads are (sl_notify_parse), and a gap or a reload reads the tables.
 * The states of a "seats" line the relay read from the tables; a terminal
 * shows them as far as it trusts its host's relay (the socket's owner,
 * mode and peer check), and the database decides every sale.  A beat
 * is parsed strictly (digits only); a negative one or one over a day is
 * "none" (not live).  A client that does not know a line ignores it.
 */
#ifndef SL_RELAY_H
#define SL_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "sl_config.h"
#include "sl_err.h"

#define SL_RELAY_HELLO		"hello seatlock-relay 1"
#define SL_RELAY_PAYLOAD_MAX	8000	/* longer: "show SHOW reload" */
#define SL_RELAY_LINE_MAX	(SL_RELAY_PAYLOAD_MAX + 64)
#define SL_RELAY_BEAT_MAX	86400000 /* ms (a day): older is "none" */

enum sl_relay_kind {
	SL_RELAY_BAD,		/* not a line of the protocol */
	SL_RELAY_HELLO_LINE,
	SL_RELAY_WATCH,
	SL_RELAY_UNWATCH,
	SL_RELAY_WATCHING,
	SL_RELAY_SHOW,		/* payload: the text, or NULL for reload */
	SL_RELAY_LOST,
	SL_RELAY_RELOAD,
	SL_RELAY_ERROR,		/* payload: why */
	SL_RELAY_BEAT,		/* beat: the age in ms, or -1 for none */
	SL_RELAY_SEATS,		/* show, payload: the "ID:S ..." list
				 * (sl_relay_parse_seats) */
};

struct sl_relay_line {
	enum sl_relay_kind	 kind;
	int64_t			 show;	/* > 0 for WATCH..SHOW */
	const char		*payload; /* points into the parsed line */
	int64_t			 beat;	/* BEAT: 0..SL_RELAY_BEAT_MAX, or -1 */
};

/* Parses one line (without its newline).  Returns the kind (also in l);
 * SL_RELAY_BAD for anything else, a show id <= 0 included. */
enum sl_relay_kind sl_relay_parse(const char *line, struct sl_relay_line *l);

/* Writes "show SHOW PAYLOAD\n" to buf (SL_RELAY_LINE_MAX bytes), or "show
 * SHOW reload\n" when payload is NULL, has a newline or is longer than
 * SL_RELAY_PAYLOAD_MAX.  Returns the length. */
size_t		sl_relay_format_show(char *buf, int64_t show,
		    const char *payload);

/*
 * Parses the list of a "seats" line (l.payload): at most max seats, ids
 * positive and strictly ascending, each state one of a h b x.  0 with *n,
 * ids and states filled, or -1 (nothing of it is to be used).
 */
int		sl_relay_parse_seats(const char *list, int64_t *ids,
		    uint8_t *states, size_t max, size_t *n);

/* Writes "seats SHOW ID:S ...\n" of n seats (ids ascending, states enum
 * sl_seat_state) to buf.  Returns the length, or 0 when it does not fit in
 * bufsz or in SL_RELAY_LINE_MAX, or a seat is out of order or unknown. */
size_t		sl_relay_format_seats(char *buf, size_t bufsz, int64_t show,
		    const int64_t *ids, const uint8_t *states, size_t n);

/* Writes "beat AGE_MS\n", or "beat none\n" when age_ms is negative or
 * over SL_RELAY_BEAT_MAX, to buf (bufsz >= 32).  Returns the length. */
size_t		sl_relay_format_beat(char *buf, size_t bufsz, int64_t age_ms);

/* The client: one connection to a relay's socket, driven without
 * blocking from the caller's poll() loop.  Any number in one process. */
struct sl_relay;

/*
 * Connects to the relay's socket at path.  SL_ENOTFOUND when no relay runs
 * there (no socket, or nobody accepts); SL_EIO on anything else (too long a
 * path, no permission); SL_ENOMEM.
 */
enum sl_rc	sl_relay_connect(const char *path, struct sl_relay **out,
		    struct sl_err *e);

void		sl_relay_close(struct sl_relay *r);	/* NULL-safe */

int		sl_relay_fd(const struct sl_relay *r);
short		sl_relay_events(const struct sl_relay *r);

/* Queues "watch SHOW" (on != 0) or "unwatch SHOW".  0, or -1. */
int		sl_relay_watch(struct sl_relay *r, int64_t show, int on);

/* Reads and writes what poll() allows.  0, or -1 when the relay is gone
 * (end of file, error, a line too long): close it. */
int		sl_relay_handle(struct sl_relay *r, short revents);

/* The next complete line read: 1 and l filled (borrowed until the next
 * call), or 0. */
int		sl_relay_next(struct sl_relay *r, struct sl_relay_line *l);

/* Why the relay was lost, or "" (borrowed). */
const char	*sl_relay_error(const struct sl_relay *r);

/* The relay's own listening connection: LISTEN on many shows' channels. */
struct sl_relay_db;

/* Connects (blocking, up to database.connect_timeout_s) to
 * sl_config_listen_dsn(c).  Errors: SL_ECONN, SL_ENOMEM. */
enum sl_rc	sl_relay_db_open(const struct sl_config *c,
		    struct sl_relay_db **out, struct sl_err *e);
void		sl_relay_db_close(struct sl_relay_db *db);	/* NULL-safe */
int		sl_relay_db_fd(const struct sl_relay_db *db);

/* LISTEN (on != 0) or UNLISTEN the channel of show; in effect on SL_OK.
 * SL_ECONN when the connection is lost. */
enum sl_rc	sl_relay_db_listen(struct sl_relay_db *db, int64_t show,
		    int on, struct sl_err *e);

/* The same for the channels of shows[n] at once: one statement, one round
 * trip (a relay restarted while 1,000 terminals of 30 shows come back). */
enum sl_rc	sl_relay_db_listen_all(struct sl_relay_db *db,
		    const int64_t *shows, size_t n, int on, struct sl_err *e);

/* The notifier's beat (as sl_notifier_beat_age: -1 when none ever beat)
 * read on this connection; notifications that come meanwhile wait for
 * sl_relay_db_next.  SL_ECONN when the connection is lost; SL_EDB (no
 * grant, an old schema) otherwise. */
enum sl_rc	sl_relay_db_beat(struct sl_relay_db *db, int64_t *age_ms,
		    struct sl_err *e);

#define SL_RELAY_STATES_MAX	1000	/* seats of one sl_relay_db_states */

/* A seat of a show and its state (enum sl_seat_state), as the relay reads
 * them. */
struct sl_relay_seat {
	int64_t		show;
	int64_t		seat;
	uint8_t		state;
};

/*
 * The states of the seats in[n] (1..SL_RELAY_STATES_MAX, any shows; their
 * state is not read), read with one statement (sl_relay_states) on this
 * connection: out (n entries) gets the *nout of them the shows have, in
 * show and seat order, with their states.  Notifications that come
 * meanwhile wait for sl_relay_db_next.  SL_ECONN when the connection is
 * lost; SL_EDB otherwise (no grant, a bad row), with the server's SQLSTATE
 * in sqlstate (6 bytes) when it sent one.
 */
enum sl_rc	sl_relay_db_states(struct sl_relay_db *db,
		    const struct sl_relay_seat *in, size_t n,
		    struct sl_relay_seat *out, size_t *nout, struct sl_err *e);

/* Reads what the server sent.  SL_ECONN when the connection is lost. */
enum sl_rc	sl_relay_db_read(struct sl_relay_db *db, struct sl_err *e);

/* The next notification read: 1 with its show and payload (borrowed until
 * the next call), or 0.  Channels that are not a show's are skipped. */
int		sl_relay_db_next(struct sl_relay_db *db, int64_t *show,
		    const char **payload);

/* The server process id of the connection (tests, logs). */
int		sl_relay_db_pid(const struct sl_relay_db *db);

#endif
