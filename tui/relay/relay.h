/*
 * relay.h - `seatlock relay`: one LISTEN connection for every box office
 * of a host, which attach over a unix socket (the protocol: sl_relay.h).
 * relay.c (the command, the socket, who may attach, the poll loop) over
 * hub.c (the clients' requests and queues, the shows listened to, the
 * database connection lost and found again, the notifier's beat) over
 * seats.c (the states of the seats a read's notifications name).
 */
#ifndef RELAY_H
#define RELAY_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "sl_config.h"
#include "sl_relay.h"

#define RELAY_QUEUE	65536	/* a client's queue at most (bytes) */
#define RELAY_MAX_CLIENTS 4096
#define RELAY_MAX_WATCH	16	/* shows one client may watch */
#define RELAY_IN_MAX	128	/* a client's request line at most */
#define RELAY_COALESCE	64	/* one show's lines a read, then reload:
				 * a busy show gets one a notifier's round
				 * (5 ms), so 64 is a third of a second
				 * behind */
#define RELAY_FLOOD_MS	100	/* a flood: one reload a show this often */
#define RELAY_BEAT_MS	1000	/* the notifier's beat read this often */
#define RELAY_STATES_OFF_MS 60000 /* a failed states read: not tried again
				 * for this long (the box offices read) */

struct relay_client {
	int		 fd;
	uid_t		 uid;
	pid_t		 pid;
	char		*out;		/* queue: outlen of outcap bytes */
	size_t		 outlen, outcap;
	int		 mid;		/* out starts inside a line */
	int		 closing;	/* close once the queue is sent */
	int		 told;		/* its overflow was logged */
	size_t		 inlen;
	char		 in[RELAY_IN_MAX];
	int		 nwatch;
	int64_t		 watch[RELAY_MAX_WATCH];
	unsigned char	 acked[RELAY_MAX_WATCH];
};

struct relay_show {
	int64_t		 show;
	int		 refs;		/* clients watching */
	int		 listening;	/* LISTEN in effect (hub_listen_new) */
	int		 batch;		/* lines of this read */
	int		 dirty;		/* a reload is due (a flood) */
	int64_t		 flood_until;	/* ms: coalesce until then */
	int64_t		 reload_at;	/* ms: the next reload line */
};

/* A notification of this read, forwarded once its seats' states are read
 * (seats.c). */
struct relay_note {
	int64_t		 show;
	char		*payload;	/* a copy; NULL: "show SHOW reload" */
	size_t		 first, n;	/* its seats in the pool, sorted */
	int		 read;		/* its show's read was tried */
	int		 ok;		/* its show's states were read */
};

struct relay_seats {
	struct relay_note	*note;
	size_t			 nnote, capnote;
	int64_t			*ids;		/* the notes' seats */
	uint8_t			*st;		/* their states as read */
	size_t			 nids, capids;
	int64_t			*u;		/* scratch: a line's seats */
	uint8_t			*ust;		/* a line's states */
	size_t			 capu;
	struct sl_relay_seat	*pairs;		/* scratch: the union of a
						 * read's seats, then the
						 * states read back */
	size_t			 cappairs;
};

struct relay {
	struct sl_config	 cfg;
	struct sl_relay_db	*db;		/* NULL: down */
	int64_t			 retry_at;	/* ms: next connect */
	int			 backoff;	/* ms */
	int			 down_said;
	struct relay_client	**cl;
	size_t			 ncl;
	struct relay_show	*shows;
	size_t			 nshows, capshows;
	long			 coalesced, overflows, forwarded;
	long			 said_coalesced, said_overflows;
	int64_t			 said_at;
	int64_t			 beat_at;	/* ms: the next read of the beat */
	int64_t			 beat_age;	/* ms as read; -1: none */
	int64_t			 beat_read;	/* ms: when read; 0: not */
	int			 beat_said;	/* its failure was logged */
	struct relay_seats	 seats;		/* the notifications of a read */
	int64_t			 states_off;	/* ms: no states read until */
	int			 states_said;	/* its failure was logged */
	long			 states_reads;	/* statements, in all */
	long			 said_reads;
	long			 seated;	/* seats lines fanned out */
};

/* hub.c */
void	hub_send(struct relay *r, struct relay_client *c, const char *line,
	    size_t len);
void	hub_flush(struct relay_client *c);
void	hub_client_input(struct relay *r, struct relay_client *c);
void	hub_client_drop(struct relay *r, size_t i);
void	hub_db_connect(struct relay *r);
void	hub_listen_new(struct relay *r);
void	hub_db_input(struct relay *r);
/* 1 while notifications wait for their states' read (the next turn). */
int	hub_pending(const struct relay *r);
void	hub_beat(struct relay *r);
void	hub_beat_greet(struct relay *r, struct relay_client *c);
void	hub_summary(struct relay *r, int now);
int	hub_reloads(struct relay *r);

/* seats.c */
/* Queues a notification; -1 when out of memory (not queued). */
int	seats_add(struct relay_seats *q, int64_t show, const char *payload);
/* 1 while some queued notification names seats not read yet. */
int	seats_wanted(const struct relay_seats *q);
enum sl_rc seats_read(struct relay_seats *q, struct sl_relay_db *db,
	    long *reads, struct sl_err *e);
size_t	seats_line(struct relay_seats *q, size_t i, char *buf, size_t bufsz);
void	seats_clear(struct relay_seats *q);
void	seats_free(struct relay_seats *q);

#endif
