/*
 * serve.h - `seatlock serve`, the HTTP API, in layers: serve.c (the
 * daemon: options, socket, signals, drain) over http.c (one request's
 * life: routing, auth, body), over routes.c (the endpoints and their
 * table), over events.c (the Server-Sent Events stream) and stream.c
 * (large answers, streamed under a memory budget), over reply.c (error
 * replies, fields, headers, the access log).
 *
 * HTTP is libmicrohttpd's, one thread per client connection; JSON is
 * jansson's.  All database work goes through core/ (no SQL here).
 */
#ifndef SERVE_H
#define SERVE_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>

#include <jansson.h>
#include <microhttpd.h>

#include "sl_config.h"
#include "sl_err.h"
#include "sl_pool.h"

#define SERVE_HOSTS_MAX	8	/* --host NAME, besides the loopback names */

struct serve_conn;

/* The open connections and their deadlines (guard.c). */
struct serve_guard {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	struct serve_conn	*head;		/* the table */
	pthread_t		 thread;	/* the watchdog */
	int			 inited, running, stop;
	int			 header_s;	/* api.header_timeout_s */
	int			 idle_s;	/* api.keepalive_idle_s, at
						 * most header_s */
	long			 closed;	/* connections cut off */
	unsigned		 per_addr;	/* api.max_connections_per_
						 * address, resolved */
	long			 over;		/* refused over it, to log */
};

struct serve {
	const struct sl_config	*cfg;
	struct sl_pool		*pool;
	struct MHD_Daemon	*mhd;
	FILE			*log;		/* access log */
	pthread_mutex_t		 log_lock;
	atomic_int		 draining;	/* SIGTERM: finish, then stop */
	atomic_int		 inflight;	/* requests begun, not ended */
	atomic_int		 streams;	/* open event streams */
	_Atomic uint64_t	 resp_bytes;	/* memory of the streamed answers
					 * being sent (stream.c) */
	pthread_mutex_t		 large_lock;	/* SERVE_LARGE calls at the */
	pthread_cond_t		 large_cv;	/* database, and their wait */
	int			 large;		/* (stream.c) */
	unsigned char		 door[SL_API_MAX_TOKENS]; /* token i's role is a
					 * door's: SERVE_DOOR routes only */
	int			 port;		/* the bound port, for the
					 * Host and Origin checks */
	const char		*hosts[SERVE_HOSTS_MAX]; /* --host names */
	int			 nhosts;
	const char		*openapi;	/* the document, built in */
	size_t			 openapi_len;
	struct serve_guard	 guard;		/* the connections' deadlines */
	atomic_llong		 mhd_logged;	/* second of libmicrohttpd's
						 * last line */
	atomic_long		 mhd_skipped;	/* its lines left out since */
};

#define SERVE_REF_MAX	64	/* bytes of a path's {ref}, with its NUL */

/* Route flags. */
#define SERVE_DB	0x1	/* borrows a pooled connection for the call */
#define SERVE_BODY	0x2	/* takes a JSON object body */
#define SERVE_PUBLIC	0x4	/* no token needed */
#define SERVE_STREAM	0x8	/* a long response (no HEAD) */
#define SERVE_DOOR	0x10	/* a door's token may call it (no other) */
#define SERVE_LARGE	0x20	/* a large answer: at most half the pool at
				 * once, none while the memory budget is
				 * spent (stream.c) */

struct serve_call;

struct serve_route {
	const char	*method;
	const char	*path;		/* segments; "{id}" is a positive id */
	int		 flags;
	const char	*query;		/* the query arguments allowed,
					 * space-separated (at most 8) */
	void		(*fn)(struct serve_call *);
};

/* The route table (routes.c), also printed by `serve --routes`. */
extern const struct serve_route serve_routes[];
extern const size_t serve_nroutes;

/*
 * What a handler gets and fills.  A handler never borrows or returns a
 * pooled connection itself: the dispatcher gets db before the call and
 * puts it back after it, on every path.
 */
struct serve_call {
	struct serve		*srv;
	struct MHD_Connection	*conn;
	const struct serve_route *route;
	int64_t			 id;	/* the path's {id} */
	const char		*ref;	/* the path's {ref}, or "" */
	json_t			*body;	/* SERVE_BODY: a JSON object */
	struct sl_db		*db;	/* SERVE_DB: borrowed */
	const char		*role;	/* the token's role, or NULL */

	int			 status;	/* the reply */
	json_t			*json;		/* owned; NULL = no body */
	struct MHD_Response	*resp;		/* prebuilt, wins over json */
	int			 retry_after;	/* seconds, 0 = none */
	char			 note[80];	/* for the access log */
};

/* ---- reply.c: answers and the access log ---------------------------- */

/* Sets an error reply {"error": code, "message": msg}. */
void	serve_set_error(struct serve_call *c, int status, const char *code,
	    const char *msg);

/* Sets an error reply {"error": code, "message": ...}. */
void	serve_error(struct serve_call *c, int status, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Sets the error reply for a core error (status from e->rc). */
void	serve_fail(struct serve_call *c, const struct sl_err *e);

/*
 * Checks that the body has only the fields in allowed (NULL-terminated).
 * Returns 0, or -1 with a 400 reply set.
 */
int	serve_fields(struct serve_call *c, const char *const *allowed);

/* A string field of the body, required or not: 0 (*out NULL when it is
 * absent), or -1 with a 400 reply set (not a string, holds a NUL). */
int	serve_str(struct serve_call *c, const char *name, int required,
	    const char **out);

/* A required id field of the body (a JSON integer from 1 up): 0, or -1
 * with a 400 reply set. */
int	serve_id(struct serve_call *c, const char *name, int64_t *out);

#define SERVE_KEY_MAX	128	/* Idempotency-Key: printable ASCII */
#define SERVE_KEY_BUF	(SERVE_KEY_MAX + SL_ROLE_MAX + 8)

/*
 * The request key of the Idempotency-Key header, in the API's namespace
 * per token role, into key (SERVE_KEY_BUF bytes): 0 with *kp = key, or
 * *kp NULL when there is no header; -1 with a 400 reply set.
 */
int	serve_key(struct serve_call *c, char *key, size_t keysz,
	    const char **kp);

/*
 * The reply for a sale or booking that failed: 409 seat_busy (with
 * Retry-After) for a lock timeout, else serve_fail's, with "seats" when
 * the database named seats.  sale: the codes of a sale (api.md): 403
 * supervisor_required, 409 not_paid_in_full, no_open_shift,
 * voucher_used_up, voucher_expired, paid_in_full, refund_method_needed,
 * seat_taken; else the 409s stay "conflict" as POST /bookings has them.
 */
void	serve_book_fail(struct serve_call *c, const struct sl_err *e,
	    int sale);

/* The value of request header name, or NULL (borrowed). */
const char *serve_header(struct serve_call *c, const char *name);

/* Writes one access log line (control characters escaped). */
void	serve_log(struct serve *srv, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* ---- sales.c: sales, payments, holds ------------------------------------ */

void	serve_sale_new(struct serve_call *c);
void	serve_sale_get(struct serve_call *c);
void	serve_sale_pay(struct serve_call *c);
void	serve_sale_cancel(struct serve_call *c);
void	serve_hold_new(struct serve_call *c);
void	serve_hold_release(struct serve_call *c);

/* ---- checkins.c: the door --------------------------------------------- */

void	serve_checkin(struct serve_call *c);

/* ---- tickets.c: GET /sales/{ref}/tickets.pdf ---------------------------- */

void	serve_tickets_pdf(struct serve_call *c);

/* ---- stream.c: large answers under api.max_response_memory ------------ */

struct sl_seats;

/* GET /shows/{id}/seats's answer for s (the available seats only with
 * only_free), streamed as the client reads it and charged to the budget
 * until it is freed; or 503 busy when it does not fit. */
void	serve_seats_reply(struct serve_call *c, const struct sl_seats *s,
	    int only_free);

/* Before a SERVE_LARGE route borrows a connection: 0 (then call
 * serve_large_end after it), or -1 with a 503 reply set (the budget is
 * spent, or half the pool has been busy with large answers for
 * api.pool_wait_ms). */
int	serve_large_begin(struct serve_call *c);
void	serve_large_end(struct serve *srv);

/* Once, before the server starts: the large answers' gate, and the
 * allocator hands a large answer's memory back to the system when it
 * ends.  serve_stream_fini when it stopped. */
void	serve_stream_init(struct serve *srv);
void	serve_stream_fini(struct serve *srv);

/* ---- events.c ------------------------------------------------------- */

/* The Server-Sent Events endpoint. */
void	serve_events(struct serve_call *c);

/* ---- guard.c: the connections' deadlines (issue 17, finding 2) ------- */

/* Starts the watchdog, with per_addr connections at most from one
 * address (IPv4, or IPv6 /64): 0, or -1 (no thread). */
int	serve_guard_start(struct serve *srv, unsigned per_addr);

/* Stops it, after libmicrohttpd has stopped (no connection left). */
void	serve_guard_stop(struct serve *srv);

/* MHD_OPTION_NOTIFY_CONNECTION: a connection opens (deadline: its first
 * request's header) or closes (out of the table). */
void	serve_guard_notify(void *cls, struct MHD_Connection *conn,
	    void **socket_context, enum MHD_ConnectionNotificationCode toe);

enum serve_guard_what {
	SERVE_GUARD_BODY,	/* the header is in: the body within
				 * api.header_timeout_s */
	SERVE_GUARD_NONE,	/* the request is in: no deadline */
	SERVE_GUARD_NEXT	/* a response is done: the next header within
				 * api.keepalive_idle_s */
};

/* Sets conn's deadline for what it waits for now. */
void	serve_guard_arm(struct serve *srv, struct MHD_Connection *conn,
	    enum serve_guard_what what);

/* ---- http.c: one request's life -------------------------------------- */

/* The access handler and completion callback given to libmicrohttpd. */
enum MHD_Result serve_access(void *cls, struct MHD_Connection *conn,
	    const char *url, const char *method, const char *version,
	    const char *upload, size_t *upload_size, void **con_cls);
void	serve_completed(void *cls, struct MHD_Connection *conn,
	    void **con_cls, enum MHD_RequestTerminationCode toe);


#endif
