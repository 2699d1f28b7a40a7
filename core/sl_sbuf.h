/*
 * sl_sbuf.h - a growing string.  The one string builder of the library:
 * appends bytes or formatted text; an allocation failure is sticky, so a
 * caller appends freely and checks sl_sbuf_failed() once at the end.
 */
#ifndef SL_SBUF_H
#define SL_SBUF_H

#include <stddef.h>
#include <stdint.h>

struct sl_sbuf {
	char	*s;	/* NUL-terminated once anything was appended */
	size_t	 len;	/* bytes in s, the NUL not counted */
	size_t	 cap;
	int	 oom;	/* an allocation failed: s holds what fitted */
};

#define SL_SBUF_INIT { NULL, 0, 0, 0 }

/* Appends n bytes of s. */
void	sl_sbuf_add(struct sl_sbuf *b, const char *s, size_t n);

/* Appends a NUL-terminated string. */
void	sl_sbuf_puts(struct sl_sbuf *b, const char *s);

/* Appends formatted text. */
void	sl_sbuf_printf(struct sl_sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends one element of a PostgreSQL array literal ("{...}"): quoted and
 * escaped, preceded by a comma unless it is the first after the "{". */
void	sl_sbuf_array_elem(struct sl_sbuf *b, const char *v);

/* Appends a NULL element of a PostgreSQL array literal. */
void	sl_sbuf_array_null(struct sl_sbuf *b);

/* "{1,2,3}": an array literal of n ids for a bigint[] parameter, the
 * first at *first and each stride bytes after the one before (sizeof an
 * int64_t, or of a struct holding one).  The caller frees it; NULL when
 * out of memory. */
char	*sl_sbuf_ids(const int64_t *first, size_t n, size_t stride);

/* Nonzero when an allocation failed (the text is incomplete). */
int	sl_sbuf_failed(const struct sl_sbuf *b);

/* Returns the string and leaves b empty; the caller frees it with free().
 * NULL when an allocation failed (b's memory is then freed). */
char	*sl_sbuf_take(struct sl_sbuf *b);

/* Frees the string; b is empty afterwards.  NULL-safe. */
void	sl_sbuf_free(struct sl_sbuf *b);

#endif
