/*
 * sl_relay.c - the relay's line protocol and its client.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_relay.h"

#define SL_RELAY_IN	(2 * SL_RELAY_LINE_MAX)
#define SL_RELAY_OUT	512

struct sl_relay {
	int	 fd;
	size_t	 inlen;		/* bytes in in[] */
	size_t	 inoff;		/* start of the next line */
	size_t	 outlen;
	char	 in[SL_RELAY_IN + 1];
	char	 out[SL_RELAY_OUT];
	char	 err[SL_ERR_MSG];
};

/* A positive decimal show id ending at a space or the end: the position
 * after it, or NULL. */
static const char *
sl_relay_id(const char *p, int64_t *out)
{
	int64_t v = 0;
	const char *s = p;

	while (*p >= '0' && *p <= '9') {
		if (v > (INT64_MAX - 9) / 10 || p - s >= 18)
			return NULL;
		v = v * 10 + (*p++ - '0');
	}
	if (p == s || v <= 0 || (*p != '\0' && *p != ' '))
		return NULL;
	*out = v;
	return p;
}

/* "none", "-DIGITS" or DIGITS over a day: -1 (not live); DIGITS: their
 * value.  0, or -1 on anything else ("+5", a space, nothing, "0x10"). */
static int
sl_relay_beat(const char *p, int64_t *out)
{
	int64_t v = 0;
	int neg = *p == '-';
	const char *s;

	*out = -1;
	if (strcmp(p, "none") == 0)
		return 0;
	p += neg;
	for (s = p; *p >= '0' && *p <= '9'; p++)
		if (v <= SL_RELAY_BEAT_MAX)	/* no overflow: stays small */
			v = v * 10 + (*p - '0');
	if (p == s || *p != '\0')
		return -1;
	if (!neg && v <= SL_RELAY_BEAT_MAX)
		*out = v;
	return 0;
}

enum sl_relay_kind
sl_relay_parse(const char *line, struct sl_relay_line *l)
{
	static const struct {
		const char		*word;
		enum sl_relay_kind	 kind;
	} words[] = {
		{ "watch ", SL_RELAY_WATCH },
		{ "unwatch ", SL_RELAY_UNWATCH },
		{ "watching ", SL_RELAY_WATCHING },
		{ "show ", SL_RELAY_SHOW },
		{ "seats ", SL_RELAY_SEATS },
	};
	const char *p;
	size_t i;

	memset(l, 0, sizeof *l);
	l->kind = SL_RELAY_BAD;
	if (strcmp(line, SL_RELAY_HELLO) == 0)
		return l->kind = SL_RELAY_HELLO_LINE;
	if (strcmp(line, "lost") == 0)
		return l->kind = SL_RELAY_LOST;
	if (strcmp(line, "reload") == 0)
		return l->kind = SL_RELAY_RELOAD;
	if (strncmp(line, "error ", 6) == 0) {
		l->payload = line + 6;
		return l->kind = SL_RELAY_ERROR;
	}
	if (strncmp(line, "beat ", 5) == 0)
		return sl_relay_beat(line + 5, &l->beat) == 0 ?
		    (l->kind = SL_RELAY_BEAT) : SL_RELAY_BAD;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i].word);

		if (strncmp(line, words[i].word, n) != 0)
			continue;
		p = sl_relay_id(line + n, &l->show);
		if (p == NULL)
			return SL_RELAY_BAD;
		if (words[i].kind == SL_RELAY_SHOW) {
			/* "show N reload" or "show N PAYLOAD" */
			if (*p++ != ' ')
				return SL_RELAY_BAD;
			l->payload = strcmp(p, "reload") == 0 ? NULL : p;
		} else if (words[i].kind == SL_RELAY_SEATS) {
			/* "seats N LIST": the list is checked by
			 * sl_relay_parse_seats */
			if (*p++ != ' ' || *p == '\0')
				return SL_RELAY_BAD;
			l->payload = p;
		} else if (*p != '\0')
			return SL_RELAY_BAD;
		return l->kind = words[i].kind;
	}
	return SL_RELAY_BAD;
}

size_t
sl_relay_format_show(char *buf, int64_t show, const char *payload)
{
	int n;

	if (payload == NULL || strlen(payload) > SL_RELAY_PAYLOAD_MAX ||
	    strchr(payload, '\n') != NULL || strchr(payload, '\r') != NULL ||
	    strcmp(payload, "reload") == 0)
		n = snprintf(buf, SL_RELAY_LINE_MAX, "show %" PRId64
		    " reload\n", show);
	else
		n = snprintf(buf, SL_RELAY_LINE_MAX, "show %" PRId64 " %s\n",
		    show, payload);
	return n < 0 ? 0 : (size_t)n;
}

/* The one-letter codes of enum sl_seat_state, in its order. */
static const char sl_relay_state_code[] = "ahbx";

int
sl_relay_parse_seats(const char *list, int64_t *ids, uint8_t *states,
    size_t max, size_t *n)
{
	const char *p = list, *c;
	int64_t id, prev = 0;
	size_t k = 0;

	*n = 0;
	while (*p != '\0') {
		if (k == max || (k > 0 && *p++ != ' '))
			return -1;
		/* sl_relay_id wants a space or the end after the id */
		for (c = p; *c >= '0' && *c <= '9'; c++)
			;
		if (*c != ':' || c == p || c - p > 18)
			return -1;
		id = 0;
		for (; p < c; p++)
			id = id * 10 + (*p - '0');
		p++;
		if (id <= prev || *p == '\0' ||
		    strchr(sl_relay_state_code, *p) == NULL ||
		    (p[1] != ' ' && p[1] != '\0'))
			return -1;
		ids[k] = id;
		states[k++] = (uint8_t)(strchr(sl_relay_state_code, *p) -
		    sl_relay_state_code);
		prev = id;
		p++;
	}
	if (k == 0)
		return -1;
	*n = k;
	return 0;
}

size_t
sl_relay_format_seats(char *buf, size_t bufsz, int64_t show,
    const int64_t *ids, const uint8_t *states, size_t n)
{
	size_t len, i, lim = bufsz < SL_RELAY_LINE_MAX ? bufsz :
	    SL_RELAY_LINE_MAX;
	int w;

	w = snprintf(buf, lim, "seats %" PRId64, show);
	if (n == 0 || w < 0 || (size_t)w >= lim)
		return 0;
	len = (size_t)w;
	for (i = 0; i < n; i++) {
		if (ids[i] <= 0 || (i > 0 && ids[i] <= ids[i - 1]) ||
		    states[i] >= sizeof sl_relay_state_code - 1)
			return 0;
		w = snprintf(buf + len, lim - len, " %" PRId64 ":%c", ids[i],
		    sl_relay_state_code[states[i]]);
		if (w < 0 || (size_t)w >= lim - len)
			return 0;
		len += (size_t)w;
	}
	if (len + 1 >= lim)
		return 0;
	buf[len++] = '\n';
	buf[len] = '\0';
	return len;
}

size_t
sl_relay_format_beat(char *buf, size_t bufsz, int64_t age_ms)
{
	int n;

	if (age_ms < 0 || age_ms > SL_RELAY_BEAT_MAX)
		n = snprintf(buf, bufsz, "beat none\n");
	else
		n = snprintf(buf, bufsz, "beat %" PRId64 "\n", age_ms);
	return n < 0 || (size_t)n >= bufsz ? 0 : (size_t)n;
}

enum sl_rc
sl_relay_connect(const char *path, struct sl_relay **out, struct sl_err *e)
{
	struct sockaddr_un sa;
	struct sl_relay *r;
	int fd, err;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path)
		return sl_err_set(e, SL_EIO, "relay socket path too long: %s",
		    path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return sl_err_set(e, SL_EIO, "socket: %s", strerror(errno));
	/* A unix socket connects at once or not at all (EAGAIN: the
	 * relay's backlog is full: as good as no relay). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		err = errno;
		close(fd);
		if (err == ENOENT || err == ECONNREFUSED || err == EAGAIN)
			return sl_err_set(e, SL_ENOTFOUND, "no relay at %s",
			    path);
		return sl_err_set(e, SL_EIO, "cannot open the relay's socket "
		    "%s: %s", path, strerror(err));
	}
	r = calloc(1, sizeof *r);
	if (r == NULL) {
		close(fd);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	r->fd = fd;
	*out = r;
	return SL_OK;
}

void
sl_relay_close(struct sl_relay *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	free(r);
}

int
sl_relay_fd(const struct sl_relay *r)
{
	return r->fd;
}

short
sl_relay_events(const struct sl_relay *r)
{
	return (short)(POLLIN | (r->outlen > 0 ? POLLOUT : 0));
}

static int
sl_relay_flush(struct sl_relay *r)
{
	ssize_t n;

	while (r->outlen > 0) {
		n = send(r->fd, r->out, r->outlen, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			snprintf(r->err, sizeof r->err, "relay gone: %s",
			    strerror(errno));
			return -1;
		}
		memmove(r->out, r->out + n, r->outlen - (size_t)n);
		r->outlen -= (size_t)n;
	}
	return 0;
}

int
sl_relay_watch(struct sl_relay *r, int64_t show, int on)
{
	int n;

	n = snprintf(r->out + r->outlen, sizeof r->out - r->outlen,
	    "%s %" PRId64 "\n", on ? "watch" : "unwatch", show);
	if (n < 0 || (size_t)n >= sizeof r->out - r->outlen) {
		snprintf(r->err, sizeof r->err, "too many requests queued");
		return -1;
	}
	r->outlen += (size_t)n;
	return sl_relay_flush(r);
}

int
sl_relay_handle(struct sl_relay *r, short revents)
{
	ssize_t n;

	if ((revents & POLLOUT) && sl_relay_flush(r) != 0)
		return -1;
	if (!(revents & (POLLIN | POLLERR | POLLHUP)))
		return 0;
	if (r->inoff > 0) {
		memmove(r->in, r->in + r->inoff, r->inlen - r->inoff);
		r->inlen -= r->inoff;
		r->inoff = 0;
	}
	if (r->inlen >= SL_RELAY_IN) {
		snprintf(r->err, sizeof r->err, "relay line too long");
		return -1;
	}
	n = recv(r->fd, r->in + r->inlen, SL_RELAY_IN - r->inlen, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return 0;
	if (n <= 0) {
		snprintf(r->err, sizeof r->err, "%s", n == 0 ?
		    "relay closed the connection" : strerror(errno));
		return -1;
	}
	r->inlen += (size_t)n;
	return 0;
}

int
sl_relay_next(struct sl_relay *r, struct sl_relay_line *l)
{
	char *line = r->in + r->inoff, *nl;

	nl = memchr(line, '\n', r->inlen - r->inoff);
	if (nl == NULL)
		return 0;
	*nl = '\0';
	r->inoff += (size_t)(nl - line) + 1;
	/* A NUL inside: not a line of ours. */
	sl_relay_parse(memchr(line, '\0', (size_t)(nl - line)) != NULL ?
	    "" : line, l);
	return 1;
}

const char *
sl_relay_error(const struct sl_relay *r)
{
	return r->err;
}
