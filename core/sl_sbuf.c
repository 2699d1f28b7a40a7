/*
 * sl_sbuf.c - a growing string.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sl_sbuf.h"

/* Makes room for n more bytes and the NUL; 0 or -1 (b->oom set). */
static int
sl_sbuf_room(struct sl_sbuf *b, size_t n)
{
	size_t ncap;
	char *ns;

	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 4096;
	while (b->len + n + 1 > ncap) {
		if (ncap > ((size_t)-1) / 2) {
			b->oom = 1;
			return -1;
		}
		ncap *= 2;
	}
	ns = realloc(b->s, ncap);
	if (ns == NULL) {
		b->oom = 1;
		return -1;
	}
	b->s = ns;
	b->cap = ncap;
	return 0;
}

void
sl_sbuf_add(struct sl_sbuf *b, const char *s, size_t n)
{
	if (sl_sbuf_room(b, n) != 0)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sl_sbuf_puts(struct sl_sbuf *b, const char *s)
{
	sl_sbuf_add(b, s, strlen(s));
}

void
sl_sbuf_printf(struct sl_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if (sl_sbuf_room(b, (size_t)n) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sl_sbuf_array_elem(struct sl_sbuf *b, const char *v)
{
	const char *p;

	sl_sbuf_add(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			sl_sbuf_add(b, "\\", 1);
		sl_sbuf_add(b, p, 1);
	}
	sl_sbuf_add(b, "\"", 1);
}

void
sl_sbuf_array_null(struct sl_sbuf *b)
{
	sl_sbuf_add(b, b->len > 1 ? ",NULL" : "NULL", b->len > 1 ? 5 : 4);
}

int
sl_sbuf_failed(const struct sl_sbuf *b)
{
	return b->oom;
}

char *
sl_sbuf_take(struct sl_sbuf *b)
{
	char *s;

	if (b->oom) {
		sl_sbuf_free(b);
		return NULL;
	}
	s = b->s != NULL ? b->s : strdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
sl_sbuf_free(struct sl_sbuf *b)
{
	if (b == NULL)
		return;
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

char *
sl_sbuf_ids(const int64_t *first, size_t n, size_t stride)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	const char *p = (const char *)first;
	int64_t id;
	size_t i;

	sl_sbuf_puts(&b, "{");
	for (i = 0; i < n; i++) {
		memcpy(&id, p + i * stride, sizeof id);
		sl_sbuf_printf(&b, "%s%" PRId64, i > 0 ? "," : "", id);
	}
	sl_sbuf_puts(&b, "}");
	return sl_sbuf_take(&b);
}
