/*
 * reply.c - what every endpoint of `seatlock serve` uses to answer: error
 * replies (from a core error too), the body's allowed fields, request
 * headers, and the access log.  Calls nothing above it.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"

/* ---- the access log ------------------------------------------------------ */

/* Formats, escapes every byte outside printable ASCII (and the backslash),
 * and writes one timestamped line under the lock. */
static void
serve_vlog(struct serve *srv, const char *fmt, va_list ap)
{
	char raw[1024], line[4200], *o = line;
	struct timespec ts;
	struct tm tm;
	const unsigned char *p;

	vsnprintf(raw, sizeof raw, fmt, ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	o += strftime(o, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	o += sprintf(o, ".%03ldZ ", ts.tv_nsec / 1000000L);
	for (p = (const unsigned char *)raw; *p != '\0'; p++) {
		if (*p == '\n' && p[1] == '\0')
			break;	/* libmicrohttpd ends its messages so */
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			o += sprintf(o, "\\x%02x", *p);
		else
			*o++ = (char)*p;
	}
	*o++ = '\n';
	*o = '\0';
	pthread_mutex_lock(&srv->log_lock);
	fputs(line, srv->log);
	fflush(srv->log);
	pthread_mutex_unlock(&srv->log_lock);
}

void
serve_log(struct serve *srv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	serve_vlog(srv, fmt, ap);
	va_end(ap);
}

/* ---- replies ------------------------------------------------------------- */

/* msg with every byte outside printable ASCII made '?': what a message
 * that quotes a request's bytes (not UTF-8, or cut mid-character) says. */
static json_t *
serve_ascii(const char *msg)
{
	char buf[SL_ERR_MSG + 64];
	size_t i;

	for (i = 0; msg[i] != '\0' && i + 1 < sizeof buf; i++)
		buf[i] = (msg[i] >= 0x20 && msg[i] < 0x7f) ? msg[i] : '?';
	buf[i] = '\0';
	return json_string(buf);
}

void
serve_set_error(struct serve_call *c, int status, const char *code,
    const char *msg)
{
	json_t *m = json_string(msg);

	json_decref(c->json);
	c->status = status;
	if (m == NULL)
		m = serve_ascii(msg);
	c->json = json_pack("{s:s, s:o}", "error", code, "message", m);
}

void
serve_error(struct serve_call *c, int status, const char *code,
    const char *fmt, ...)
{
	char msg[SL_ERR_MSG + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	serve_set_error(c, status, code, msg);
}

/* A core message is text from the database; jansson wants UTF-8. */
static const char *
serve_utf8_or(const char *s, const char *fallback)
{
	json_t *j = json_string(s);

	if (j == NULL)
		return fallback;
	json_decref(j);
	return s;
}

void
serve_fail(struct serve_call *c, const struct sl_err *e)
{
	const char *msg = serve_utf8_or(e->msg, "error");

	/* Permission denied: the token's role may not do this. */
	if (strcmp(e->sqlstate, "42501") == 0) {
		serve_error(c, 403, "forbidden", "this token may not do that");
		return;
	}
	switch (e->rc) {
	case SL_OK:
		break;
	case SL_EINVAL:
		/* A table's own check (class 23: CHECK, NOT NULL, unique,
		 * foreign key): its words name tables and constraints. */
		if (strncmp(e->sqlstate, "23", 2) == 0) {
			serve_set_error(c, 400, "invalid", "a field has a "
			    "value the database does not accept (see the "
			    "field formats in api.md)");
			snprintf(c->note, sizeof c->note, " invalid "
			    "sqlstate=%s", e->sqlstate);
			return;
		}
		serve_set_error(c, 400, "invalid", msg);
		return;
	case SL_ECONFLICT:
		/* Outside the show's on-sale window: the message says when. */
		serve_set_error(c, 409, strcmp(e->sqlstate,
		    SL_SQLSTATE_OFF_SALE) == 0 ? "not_on_sale" : "conflict", msg);
		return;
	case SL_ENOTFOUND:
		serve_set_error(c, 404, "not_found", msg);
		return;
	case SL_EBUSY:
		c->retry_after = 1;
		serve_set_error(c, 503, "busy", msg);
		return;
	case SL_ERETRY:
		c->retry_after = 1;
		serve_set_error(c, 503, "retry", msg);
		return;
	case SL_ECONN:
		c->retry_after = 1;
		serve_error(c, 503, "unavailable",
		    "the database is not reachable");
		break;
	case SL_ENOMEM:
	case SL_EDB:
	case SL_ECONFIG:
	case SL_EIO:
		/* The server's words may hold internals: log, do not show. */
		serve_error(c, 500, "internal", "internal error");
		break;
	}
	snprintf(c->note, sizeof c->note, " %s sqlstate=%s",
	    sl_rc_name(e->rc), e->sqlstate[0] != '\0' ? e->sqlstate : "-");
}

int
serve_fields(struct serve_call *c, const char *const *allowed)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(c->body, key, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			serve_error(c, 400, "unknown_field",
			    "unknown field \"%.64s\"", key);
			return -1;
		}
	}
	(void)v;
	return 0;
}

const char *
serve_header(struct serve_call *c, const char *name)
{
	return MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, name);
}

/* ---- the body's fields --------------------------------------------------- */

int
serve_str(struct serve_call *c, const char *name, int required,
    const char **out)
{
	json_t *v = json_object_get(c->body, name);

	*out = NULL;
	if (v == NULL && !required)
		return 0;
	if (v == NULL) {
		serve_error(c, 400, "invalid", "\"%s\" is required", name);
		return -1;
	}
	if (!json_is_string(v)) {
		serve_error(c, 400, "invalid", "\"%s\" must be a string", name);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		serve_error(c, 400, "invalid", "\"%s\" holds a NUL", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int
serve_id(struct serve_call *c, const char *name, int64_t *out)
{
	json_t *v = json_object_get(c->body, name);

	if (v == NULL) {
		serve_error(c, 400, "invalid", "\"%s\" is required", name);
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		serve_error(c, 400, "invalid", "\"%s\" must be an integer id "
		    "(1 or more)", name);
		return -1;
	}
	*out = (int64_t)json_integer_value(v);
	return 0;
}

int
serve_key(struct serve_call *c, char *key, size_t keysz, const char **kp)
{
	const char *ik = serve_header(c, "Idempotency-Key");
	size_t kl, i;

	*kp = NULL;
	if (ik == NULL)
		return 0;
	kl = strlen(ik);
	for (i = 0; i < kl; i++)
		if (ik[i] < 0x21 || ik[i] > 0x7e)
			break;
	if (kl == 0 || kl > SERVE_KEY_MAX || i < kl) {
		serve_error(c, 400, "invalid", "Idempotency-Key must be 1 to "
		    "%d printable ASCII characters", SERVE_KEY_MAX);
		return -1;
	}
	/* Our own namespace, per role: an API key never replays a
	 * terminal's booking or another partner's. */
	snprintf(key, keysz, "http:%s:%s", c->role != NULL ? c->role : "", ik);
	*kp = key;
	return 0;
}

/* ---- a sale refused ------------------------------------------------------ */

/* The seat labels of e->detail ("A1 A2") as a JSON array. */
static json_t *
serve_detail_seats(const struct sl_err *e)
{
	char buf[SL_ERR_DETAIL], *p, *save = NULL;
	json_t *a = json_array();

	snprintf(buf, sizeof buf, "%s", e->detail);
	for (p = strtok_r(buf, " ", &save); p != NULL && a != NULL;
	    p = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(p));
	return a;
}

/*
 * The conflicts of a sale (SQLSTATE SL409) by the database's words: a
 * stable code for each (assets/doc/api.md).  The words are the SQL
 * functions' own (sql/functions/money.sql, sales.sql, booking.sql).
 */
static const struct {
	const char	*words;
	const char	*code;
} serve_conflicts[] = {
	{ "not paid in full", "not_paid_in_full" },
	{ "no open shift", "no_open_shift" },
	{ "is used up", "voucher_used_up" },
	{ "expired at", "voucher_expired" },
	{ "is paid in full", "paid_in_full" },
	{ "say how", "refund_method_needed" },
	{ "not available", "seat_taken" },
};

void
serve_book_fail(struct serve_call *c, const struct sl_err *e, int sale)
{
	size_t i;

	if (e->rc == SL_EBUSY) {
		/* Another sale holds the seat's lock right now. */
		c->retry_after = 1;
		serve_error(c, 409, "seat_busy", "a seat is being sold "
		    "elsewhere right now; try again");
	} else if (sale && strcmp(e->sqlstate, "SL403") == 0) {
		serve_set_error(c, 403, "supervisor_required",
		    serve_utf8_or(e->msg, "a supervisor is needed"));
		snprintf(c->note, sizeof c->note, " conflict sqlstate=SL403");
	} else
		serve_fail(c, e);
	for (i = 0; sale && c->status == 409 && i < sizeof serve_conflicts /
	    sizeof serve_conflicts[0]; i++)
		if (strcmp(e->sqlstate, "SL409") == 0 &&
		    strstr(e->msg, serve_conflicts[i].words) != NULL) {
			json_object_set_new(c->json, "error",
			    json_string(serve_conflicts[i].code));
			break;
		}
	/* Our own errors name the seats in the detail. */
	if (strncmp(e->sqlstate, "SL", 2) == 0 && e->detail[0] != '\0' &&
	    c->json != NULL)
		json_object_set_new(c->json, "seats", serve_detail_seats(e));
}
