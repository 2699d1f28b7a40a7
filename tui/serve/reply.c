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

void
serve_set_error(struct serve_call *c, int status, const char *code,
    const char *msg)
{
	json_decref(c->json);
	c->status = status;
	c->json = json_pack("{s:s, s:s}", "error", code, "message", msg);
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
