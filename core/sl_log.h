/*
 * sl_log.h - a log file for the box office and the core, never the terminal.
 *
 * While curses owns the screen nothing may be printed, so libpq notices,
 * connection changes and errors go to the file named by log.file.  Lines are
 * timestamped and control characters are escaped, so a hostile string from
 * the database cannot put escape sequences into a terminal that later shows
 * the log.  With no file open, sl_log() does nothing.
 *
 * The log is process-wide (one file, one mutex): the documented exception
 * to "no mutable static state in core/" (see sl_log.c).
 */
#ifndef SL_LOG_H
#define SL_LOG_H

#include "sl_err.h"

/*
 * Opens path for appending (created with mode 0600).  "" or NULL means no
 * log.  A log already open is closed first.  Errors: SL_EIO with the reason.
 */
enum sl_rc	sl_log_open(const char *path, struct sl_err *e);

/* Closes the log; safe to call when none is open. */
void		sl_log_close(void);

/* Appends one line (a newline is added).  Safe from several threads. */
void		sl_log(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

/*
 * Copies src to dst (dstsz bytes, always terminated) with C0 and C1
 * controls, DEL and bidirectional overrides written as \xNN or \uNNNN.
 * Returns dst.
 */
char		*sl_log_escape(char *dst, size_t dstsz, const char *src);

#endif
