/*
 * http.c - one request's life in `seatlock serve`: routing, the
 * token, the body, the call with a pooled connection, the reply, and the
 * access log line when libmicrohttpd says the request is over.
 *
 * Everything that can be refused without reading the body (unknown path,
 * wrong method, bad id, unknown query argument, missing token, body too
 * large by its Content-Length, not JSON) is refused on the first call,
 * before any body is read.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"
#include "sl_parse.h"

#define SERVE_PATH_LOG	200	/* bytes of the path kept for the log */
#define SERVE_BAD_ID	"the id in the path is not a number from 1 to " \
			"9223372036854775807"
#define SERVE_SKIP_MAX	(1024 * 1024) /* refused body read before hanging up */

struct serve_req {
	struct timespec		 start;
	char			 method[16];
	char			 path[SERVE_PATH_LOG + 1];
	const struct serve_route *route;
	int64_t			 id;
	char			 ref[SERVE_REF_MAX];
	const char		*role;		/* borrowed from the config */
	uint64_t		 key;		/* the client, for the pool */
	char			*body;
	size_t			 len, cap;
	int			 done;		/* a reply is queued */
	int			 refused;	/* status to send after the body */
	size_t			 skipped;	/* body bytes skipped since */
	int			 status;
	char			 note[80];
};

/* Queues c's reply on the connection and records its status. */
static enum MHD_Result
serve_queue(struct serve *srv, struct serve_req *r, struct serve_call *c,
    const char *allow)
{
	struct MHD_Response *resp = c->resp;
	enum MHD_Result ret;
	char num[16];

	if (resp == NULL) {
		char *text = NULL;
		size_t n = 0;

		if (c->json == NULL && c->status >= 400)
			serve_set_error(c, c->status, "internal", "no memory");
		if (c->json != NULL) {
			text = json_dumps(c->json, JSON_COMPACT);
			if (text == NULL) {
				c->status = 500;
				return MHD_NO;
			}
			n = strlen(text);
		}
		resp = MHD_create_response_from_buffer(n, text,
		    MHD_RESPMEM_MUST_FREE);
		if (resp == NULL) {
			free(text);
			return MHD_NO;
		}
		if (c->json != NULL)
			MHD_add_response_header(resp, "Content-Type",
			    "application/json");
	}
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (c->retry_after > 0) {
		snprintf(num, sizeof num, "%d", c->retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	if (c->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate",
		    "Bearer realm=\"seatlock\"");
	if (allow != NULL)
		MHD_add_response_header(resp, "Allow", allow);
	/* Draining: every answer ends its connection. */
	if (atomic_load(&srv->draining))
		MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(c->conn, (unsigned int)c->status, resp);
	MHD_destroy_response(resp);
	c->resp = NULL;
	r->status = c->status;
	r->done = 1;
	memcpy(r->note, c->note, sizeof r->note);
	json_decref(c->json);
	c->json = NULL;
	return ret;
}

/* ---- routing ------------------------------------------------------------- */

/* Matches url against pattern segment by segment; "{id}" or "{ref}"
 * matches one non-empty segment, returned in *seg / *seglen. */
static int
serve_match(const char *pattern, const char *url, const char **seg,
    size_t *seglen)
{
	const char *p = pattern, *u = url;

	while (*p != '\0' && *u != '\0') {
		if (strncmp(p, "{id}", 4) == 0 || strncmp(p, "{ref}", 5) == 0) {
			size_t n = strcspn(u, "/");

			if (n == 0)
				return 0;
			*seg = u;
			*seglen = n;
			p += p[1] == 'i' ? 4 : 5;
			u += n;
			continue;
		}
		if (*p != *u)
			return 0;
		p++;
		u++;
	}
	return *p == '\0' && *u == '\0';
}

struct serve_query_check {
	const char	*allowed;	/* space-separated names */
	int		 bad;
	unsigned	 seen;		/* a bit per allowed name */
	char		 key[64];
};

/* Which word of the space-separated list is key: its index, or -1. */
static int
serve_query_index(const char *list, const char *key)
{
	size_t n = strlen(key), len;
	const char *p;
	int i = 0;

	for (p = list; p != NULL && *p != '\0'; p += len, i++) {
		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (len > 0 && len == n && strncmp(p, key, n) == 0)
			return i;
	}
	return -1;
}

static enum MHD_Result
serve_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct serve_query_check *q = cls;
	int i = serve_query_index(q->allowed, key);

	(void)kind;
	(void)value;
	if (i < 0 || i > 7 || (q->seen & (1u << i))) {
		q->bad = 1;
		snprintf(q->key, sizeof q->key, "%s", key);
		return MHD_NO;
	}
	q->seen |= 1u << i;
	return MHD_YES;
}

/* Whether authority ("name" or "name:port") is name with no port or the
 * bound one. */
static int
serve_is_authority(const struct serve *srv, const char *a, size_t n,
    const char *name)
{
	size_t k = strlen(name), pl;
	char port[16];

	pl = (size_t)snprintf(port, sizeof port, ":%d", srv->port);
	return n >= k && strncasecmp(a, name, k) == 0 &&
	    (n == k || (n == k + pl && strncmp(a + k, port, pl) == 0));
}

/* Whether authority names this server: a loopback name or a --host name,
 * with no port or the bound one (issue 17, finding 10). */
static int
serve_own_authority(const struct serve *srv, const char *a, size_t n)
{
	static const char *const names[] = { "127.0.0.1", "localhost",
	    "[::1]" };
	size_t i;
	int h;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (serve_is_authority(srv, a, n, names[i]))
			return 1;
	for (h = 0; h < srv->nhosts; h++)
		if (serve_is_authority(srv, a, n, srv->hosts[h]))
			return 1;
	return 0;
}

/*
 * No tokens: anyone on this machine may call, but not a web page a browser
 * was made to load from another name that resolves to loopback (DNS
 * rebinding).  0, or 1 with a 421 (Host) or 403 (Origin) reply set.
 */
static int
serve_origin_check(struct serve *srv, struct serve_call *c)
{
	const char *h = serve_header(c, MHD_HTTP_HEADER_HOST);
	const char *o = serve_header(c, "Origin");

	if (h != NULL && !serve_own_authority(srv, h, strlen(h))) {
		serve_error(c, 421, "misdirected_request", "this server "
		    "answers only to 127.0.0.1, localhost, [::1] or its "
		    "--host names (Host)");
		return 1;
	}
	if (o != NULL && (strncmp(o, "http://", 7) != 0 ||
	    !serve_own_authority(srv, o + 7, strlen(o + 7)))) {
		serve_error(c, 403, "forbidden", "requests from web pages of "
		    "another origin are refused without api.tokens");
		return 1;
	}
	return 0;
}

/* Constant time in the token's bytes: no early exit on a mismatch. */
static int
serve_token_eq(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i;
	unsigned char d = (unsigned char)(na != nb);

	for (i = 0; i < na; i++)
		d |= (unsigned char)(a[i] ^ b[i % (nb > 0 ? nb : 1)]);
	return d == 0;
}

/* The index in api.tokens of the request's bearer token, or -1 if it has
 * none that is configured. */
static int
serve_auth(struct serve *srv, struct MHD_Connection *conn)
{
	const struct sl_config *cfg = srv->cfg;
	const char *h;
	size_t i;
	int found = -1;

	h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return -1;
	h += 7;
	while (*h == ' ')
		h++;
	/* Compare with every token, so the time says nothing of which. */
	for (i = 0; i < cfg->api_ntokens; i++)
		if (serve_token_eq(h, cfg->api_tokens[i].token))
			found = (int)i;
	return found;
}

/*
 * Who the client is, for the pool's fairness (issue 17, finding 15): a
 * token's index plus 1, or, for a request without a token, its address,
 * IPv4 or IPv6 /64 as guard.c counts them (FNV-1a of the bytes, top bit
 * set so it never equals a token's).
 */
static uint64_t
serve_client_key(struct MHD_Connection *conn, int token)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const unsigned char *b = NULL;
	uint64_t h = 14695981039346656037ULL;
	size_t n = 0, i;

	if (token >= 0)
		return (uint64_t)token + 1;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sa = ci != NULL ? ci->client_addr : NULL;
	if (sa != NULL && sa->sa_family == AF_INET) {
		b = (const unsigned char *)
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		n = 4;
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		b = (const unsigned char *)
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		n = 8;		/* the /64: one client's network */
	}
	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h | (1ULL << 63);
}

/* The path's {id}, or its {ref} (a secret: the log gets the pattern).
 * 0, or 1 with an error reply set in c. */
static int
serve_segment(struct serve_req *r, struct serve_call *c, const char *seg,
    size_t seglen)
{
	char buf[24];

	if (strstr(r->route->path, "{ref}") != NULL) {
		snprintf(r->path, sizeof r->path, "%s", r->route->path);
		if (seglen >= sizeof r->ref) {
			serve_error(c, 404, "not_found", "no such sale");
			return 1;
		}
		memcpy(r->ref, seg, seglen);
		r->ref[seglen] = '\0';
		return 0;
	}
	if (seglen >= sizeof buf) {
		serve_error(c, 400, "bad_id", SERVE_BAD_ID);
		return 1;
	}
	memcpy(buf, seg, seglen);
	buf[seglen] = '\0';
	if (sl_parse_id(buf, &r->id) != 0) {
		serve_error(c, 400, "bad_id", SERVE_BAD_ID);
		return 1;
	}
	return 0;
}

/*
 * The checks of the first call.  Returns 0 to go on reading the request,
 * or 1 with an error reply set in c.
 */
static int
serve_route(struct serve *srv, struct serve_req *r, struct serve_call *c,
    const char *url, const char *method, char *allow, size_t allowsz)
{
	const struct serve_route *rt = NULL;
	struct serve_query_check q;
	const char *seg = NULL, *h;
	size_t seglen = 0, i;
	int head = strcmp(method, "HEAD") == 0;

	allow[0] = '\0';
	/* A method is a token of letters (RFC 9110): any other byte is a
	 * bad request, whatever the path. */
	if (method[0] == '\0' || method[strspn(method,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")] != '\0') {
		serve_error(c, 400, "bad_method", "the method is not a word "
		    "of letters");
		return 1;
	}
	for (i = 0; i < serve_nroutes; i++) {
		const struct serve_route *x = &serve_routes[i];

		if (!serve_match(x->path, url, &seg, &seglen))
			continue;
		if (strcmp(x->method, method) == 0 || (head &&
		    strcmp(x->method, "GET") == 0 &&
		    !(x->flags & SERVE_STREAM))) {
			rt = x;
			break;
		}
		if (strlen(allow) + strlen(x->method) + 3 < allowsz)
			snprintf(allow + strlen(allow), allowsz - strlen(allow),
			    "%s%s", allow[0] != '\0' ? ", " : "", x->method);
	}
	if (rt == NULL && allow[0] != '\0') {
		serve_error(c, 405, "method_not_allowed", "%s is not allowed "
		    "here (allowed: %s)", method, allow);
		return 1;
	}
	allow[0] = '\0';
	if (rt == NULL) {
		serve_error(c, 404, "not_found", "no such endpoint (see "
		    "/openapi.json)");
		return 1;
	}
	r->route = c->route = rt;
	r->key = serve_client_key(c->conn, -1);
	if (seg != NULL && serve_segment(r, c, seg, seglen) != 0)
		return 1;
	memset(&q, 0, sizeof q);
	q.allowed = rt->query;
	MHD_get_connection_values(c->conn, MHD_GET_ARGUMENT_KIND,
	    serve_query_arg, &q);
	if (q.bad) {
		serve_error(c, 400, "bad_query", "unknown or repeated query "
		    "argument \"%s\"", q.key);
		return 1;
	}
	if (srv->cfg->api_ntokens == 0 && serve_origin_check(srv, c) != 0)
		return 1;
	if (srv->cfg->api_ntokens > 0 && !(rt->flags & SERVE_PUBLIC)) {
		int t = serve_auth(srv, c->conn);

		if (t < 0) {
			serve_error(c, 401, "unauthorized", "a valid bearer "
			    "token is required (Authorization: Bearer TOKEN)");
			return 1;
		}
		r->role = srv->cfg->api_tokens[t].role;
		r->key = serve_client_key(c->conn, t);
		/* A door's token checks tickets in, and does nothing else
		 * (the database would refuse the rest too). */
		if (srv->door[t] && !(rt->flags & SERVE_DOOR)) {
			serve_error(c, 403, "forbidden", "a door's token may "
			    "only check tickets in (POST /checkins)");
			return 1;
		}
	}
	h = serve_header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (h != NULL &&
	    strtoull(h, NULL, 10) > (uint64_t)srv->cfg->api_max_body) {
		serve_error(c, 413, "body_too_large", "the body is larger than "
		    "%" PRId64 " bytes", srv->cfg->api_max_body);
		return 1;
	}
	if (rt->flags & SERVE_BODY) {
		h = serve_header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (h == NULL || strncasecmp(h, "application/json", 16) != 0 ||
		    (h[16] != '\0' && h[16] != ';' && h[16] != ' ')) {
			serve_error(c, 415, "unsupported_media_type",
			    "the body must be JSON (Content-Type: "
			    "application/json)");
			return 1;
		}
	}
	return 0;
}

/* ---- the call ------------------------------------------------------------ */

/* Parses the body, borrows a connection if the route needs one, calls the
 * handler, and gives the connection back - on every path. */
static void
serve_call_route(struct serve *srv, struct serve_req *r, struct serve_call *c)
{
	const struct serve_route *rt = r->route;
	struct sl_err e;

	c->id = r->id;
	c->ref = r->ref;
	c->role = r->role;
	if (rt->flags & SERVE_BODY) {
		json_error_t je;

		c->body = json_loadb(r->body != NULL ? r->body : "", r->len,
		    JSON_REJECT_DUPLICATES, &je);
		if (c->body == NULL) {
			serve_error(c, 400, "invalid_json", "the body is not "
			    "JSON: %.200s (at byte %d)", je.text, je.position);
			return;
		}
		if (!json_is_object(c->body)) {
			serve_error(c, 400, "invalid_json", "the body must "
			    "be a JSON object");
			return;
		}
	} else if (r->len > 0) {
		serve_error(c, 400, "unexpected_body", "this endpoint takes no "
		    "body");
		return;
	}
	if (!(rt->flags & SERVE_DB)) {
		rt->fn(c);
		return;
	}
	/* A large answer takes at most half the pool (stream.c). */
	if ((rt->flags & SERVE_LARGE) && serve_large_begin(c) != 0)
		return;
	sl_err_clear(&e);
	if (sl_pool_get_for(srv->pool, r->key,
	    (int)srv->cfg->api_pool_wait_ms, &c->db, &e) != SL_OK) {
		if (rt->flags & SERVE_LARGE)
			serve_large_end(srv);
		c->retry_after = 1;
		serve_error(c, 503, "unavailable", "the server is busy; try "
		    "again");
		snprintf(c->note, sizeof c->note, " pool: %s",
		    sl_rc_name(e.rc));
		return;
	}
	if (sl_db_set_role(c->db, c->role, &e) != SL_OK)
		serve_fail(c, &e);
	else
		rt->fn(c);
	sl_pool_put(srv->pool, c->db);
	c->db = NULL;
	if (rt->flags & SERVE_LARGE)
		serve_large_end(srv);
}

enum MHD_Result
serve_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct serve *srv = cls;
	struct serve_req *r = *con_cls;
	struct serve_call c;
	char allow[64];
	enum MHD_Result ret;

	(void)version;
	memset(&c, 0, sizeof c);
	c.srv = srv;
	c.conn = conn;
	if (r == NULL) {
		r = calloc(1, sizeof *r);
		if (r == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		snprintf(r->method, sizeof r->method, "%s", method);
		snprintf(r->path, sizeof r->path, "%s", url);
		*con_cls = r;
		atomic_fetch_add(&srv->inflight, 1);
		/* The header is in; its body, if any, has as long. */
		serve_guard_arm(srv, conn, SERVE_GUARD_BODY);
		if (serve_route(srv, r, &c, url, method, allow, sizeof allow))
			return serve_queue(srv, r, &c, allow[0] ? allow : NULL);
		return MHD_YES;
	}
	if (r->done) {
		*upload_size = 0;	/* the rest of a refused body */
		return MHD_YES;
	}
	if (*upload_size > 0) {
		size_t n = *upload_size;

		*upload_size = 0;
		/* libmicrohttpd takes no reply while the body comes in: note
		 * the refusal, skip the rest, answer at the end - or hang up
		 * on a sender that does not stop. */
		if (r->refused != 0) {
			r->skipped += n;
			return r->skipped > SERVE_SKIP_MAX ? MHD_NO : MHD_YES;
		}
		if (!(r->route->flags & SERVE_BODY)) {
			r->refused = 400;
			return MHD_YES;
		}
		if (r->len + n > (size_t)srv->cfg->api_max_body) {
			r->refused = 413;
			return MHD_YES;
		}
		if (r->len + n > r->cap) {
			size_t cap = r->cap ? r->cap : 1024;
			char *nb;

			while (cap < r->len + n)
				cap *= 2;
			nb = realloc(r->body, cap);
			if (nb == NULL)
				return MHD_NO;
			r->body = nb;
			r->cap = cap;
		}
		memcpy(r->body + r->len, upload, n);
		r->len += n;
		return MHD_YES;
	}
	serve_guard_arm(srv, conn, SERVE_GUARD_NONE);	/* all in */
	if (r->refused == 413) {
		serve_error(&c, 413, "body_too_large", "the body is larger "
		    "than %" PRId64 " bytes", srv->cfg->api_max_body);
		return serve_queue(srv, r, &c, NULL);
	}
	if (r->refused != 0) {
		serve_error(&c, 400, "unexpected_body", "this endpoint takes "
		    "no body");
		return serve_queue(srv, r, &c, NULL);
	}
	c.route = r->route;
	serve_call_route(srv, r, &c);
	if (c.status == 0 && c.resp == NULL)
		serve_error(&c, 500, "internal", "no reply");
	ret = serve_queue(srv, r, &c, NULL);
	json_decref(c.body);
	return ret;
}

void
serve_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct serve *srv = cls;
	struct serve_req *r = *con_cls;
	struct timespec now;
	const char *how = "";
	double ms;

	/* Kept alive: the next request's header in time, or closed. */
	serve_guard_arm(srv, conn, SERVE_GUARD_NEXT);
	if (r == NULL)
		return;
	*con_cls = NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		break;
	case MHD_REQUEST_TERMINATED_WITH_ERROR:
		how = " (ended with an error)";
		break;
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		how = " (timed out)";
		break;
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		how = " (shut down)";
		break;
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		how = " (read error)";
		break;
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
		how = " (client went away)";
		break;
	}
	/* Method, path (ids only), status, time, role: no personal data. */
	if (r->status > 0)
		serve_log(srv, "%s %s %d %.1fms%s%s%s%s", r->method, r->path,
		    r->status, ms, r->role != NULL ? " role=" : "",
		    r->role != NULL ? r->role : "", r->note, how);
	else
		serve_log(srv, "%s %s - %.1fms%s", r->method, r->path, ms, how);
	free(r->body);
	free(r);
	atomic_fetch_sub(&srv->inflight, 1);
}
