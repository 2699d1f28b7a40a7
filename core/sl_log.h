/*
 * sl_log.h - a log file for the box office and the core, never the terminal.
 *
 * While curses owns the screen nothing may be printed, so libpq notices,
 * connection changes and errors go to the file named by log.file.  Lines are
 * timestamped and control characters are escaped, so a hostile string from
 * the database cannot put escape sequences into a terminal that later shows
 * the log.  With no file open, sl_log() does nothing.
 *
 * A log is an object the program opens and hands to the connections that
 * should write into it (sl_db_set_log, sl_notify_set_log): the library
 * keeps no log of its own.  A NULL log is no log: writing to it does
 * nothing.
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include <stdint.h>

#include "sl_err.h"

struct sl_log;

/*
 * Opens path for appending (created with mode 0600) into *out, which the
 * caller closes with sl_log_close.  "" or NULL means no log: *out is NULL.
 * Errors: SL_EIO or SL_ENOMEM with the reason; *out is then unchanged.
 */
enum sl_rc	sl_log_open(const char *path, struct sl_log **out,
		    struct sl_err *e);

/* Closes the log and frees it.  NULL-safe. */
void		sl_log_close(struct sl_log *log);

/* Appends one line (a newline is added) to log, timestamped, with control
 * characters escaped.  Safe from several threads; nothing when log is
 * NULL. */
void		sl_log(struct sl_log *log, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * A line budget for messages that a stranger can trigger at will (a NOTIFY
 * flood): at most max (default SL_LOG_LIMIT_PER_SEC) lines a second, the
 * rest counted and summarised in one line ("N more ... not logged") when
 * the next second starts.  Zero-initialise one per source of such lines.
 */
#define SL_LOG_LIMIT_PER_SEC	5

struct sl_log_limit {
	int		 max;	/* lines a second; 0: SL_LOG_LIMIT_PER_SEC */
	int64_t		 sec;	/* CLOCK_MONOTONIC second of the budget */
	int		 lines;	/* written in that second */
	long		 held;	/* not written since the last summary */
};

/* 1 when one more line of what ("unexpected notifications") may be
 * written now, else 0 (counted).  Writes the summary line itself. */
int		sl_log_limit(struct sl_log *log, struct sl_log_limit *lim,
		    const char *what);

/* Writes the summary line now if lines were held back and their second
 * is over (call when the source goes quiet, so the count is not left
 * waiting for the next line of its kind). */
void		sl_log_limit_flush(struct sl_log *log, struct sl_log_limit *lim,
		    const char *what);

/*
 * Copies src to dst (dstsz bytes, always terminated) with C0 and C1
 * controls, DEL and bidirectional overrides written as \xNN or \uNNNN.
 * Returns dst.
 */
char		*sl_log_escape(char *dst, size_t dstsz, const char *src);

#endif
