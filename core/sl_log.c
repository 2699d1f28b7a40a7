/*
 * sl_log.c - the log file.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_log.h"

struct sl_log {
	pthread_mutex_t	 mtx;	/* the server's and the bench's threads */
	FILE		*f;
};

enum sl_rc
sl_log_open(const char *path, struct sl_log **out, struct sl_err *e)
{
	struct sl_log *log;
	FILE *f;
	int fd;

	if (path == NULL || *path == '\0') {
		*out = NULL;
		return SL_OK;
	}
	if ((log = calloc(1, sizeof *log)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	/* O_NOFOLLOW: a symbolic link planted where the log goes must not
	 * make seatlock (perhaps run as root) append to its target. */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY |
	    O_NOFOLLOW, 0600);
	if (fd < 0 || (f = fdopen(fd, "a")) == NULL) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		free(log);
		if (saved == ELOOP)
			return sl_err_set(e, SL_EIO, "log file %s is a symbolic "
			    "link; refusing it (name the real file)", path);
		return sl_err_set(e, SL_EIO, "cannot open log file %s: %s",
		    path, strerror(saved));
	}
	/* Line buffered: a crash loses at most the line being written. */
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_init(&log->mtx, NULL);
	log->f = f;
	*out = log;
	return SL_OK;
}

void
sl_log_close(struct sl_log *log)
{
	if (log == NULL)
		return;
	fclose(log->f);
	pthread_mutex_destroy(&log->mtx);
	free(log);
}

char *
sl_log_escape(char *dst, size_t dstsz, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t n = 0;
	char tmp[8];

	if (dstsz == 0)
		return dst;
	for (; *p != '\0'; p++) {
		const char *add = NULL;
		size_t len;

		if (*p < 0x20 || *p == 0x7f) {
			snprintf(tmp, sizeof tmp, "\\x%02x", *p);
			add = tmp;
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			snprintf(tmp, sizeof tmp, "\\u%04x", p[1]);
			add = tmp;
			p++;
		} else if (*p == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa &&
		    p[2] <= 0xae) {
			snprintf(tmp, sizeof tmp, "\\u%04x", 0x2000 + p[2] - 0x80);
			add = tmp;
			p += 2;
		} else if (*p == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 &&
		    p[2] <= 0xa9) {
			snprintf(tmp, sizeof tmp, "\\u%04x", 0x2040 + p[2] - 0x80);
			add = tmp;
			p += 2;
		}
		if (add == NULL) {
			if (n + 1 >= dstsz)
				break;
			dst[n++] = (char)*p;
			continue;
		}
		len = strlen(add);
		if (n + len >= dstsz)
			break;
		memcpy(dst + n, add, len);
		n += len;
	}
	dst[n] = '\0';
	return dst;
}

void
sl_log(struct sl_log *log, const char *fmt, ...)
{
	char msg[2048], safe[4096], stamp[64];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	sl_log_escape(safe, sizeof safe, msg);
	pthread_mutex_lock(&log->mtx);
	fprintf(log->f, "%s.%03ld [%ld] %s\n", stamp,
	    ts.tv_nsec / 1000000L, (long)getpid(), safe);
	pthread_mutex_unlock(&log->mtx);
}

/* The CLOCK_MONOTONIC second now. */
static int64_t
sl_log_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

void
sl_log_limit_flush(struct sl_log *log, struct sl_log_limit *lim,
    const char *what)
{
	int64_t sec;

	if (lim->held == 0 || (sec = sl_log_sec()) == lim->sec)
		return;
	sl_log(log, "%ld more %s not logged (at most %d lines a second)",
	    lim->held, what, lim->max > 0 ? lim->max : SL_LOG_LIMIT_PER_SEC);
	lim->sec = sec;
	lim->lines = 0;
	lim->held = 0;
}

int
sl_log_limit(struct sl_log *log, struct sl_log_limit *lim, const char *what)
{
	int max = lim->max > 0 ? lim->max : SL_LOG_LIMIT_PER_SEC;
	int64_t sec = sl_log_sec();

	if (sec != lim->sec) {
		sl_log_limit_flush(log, lim, what);
		lim->sec = sec;
		lim->lines = 0;
	}
	if (lim->lines >= max) {
		lim->held++;
		return 0;
	}
	lim->lines++;
	return 1;
}
