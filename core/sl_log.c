/*
 * sl_log.c - the log file.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sl_log.h"

/*
 * The one mutable static state of core/ (DESIGN: the library keeps none
 * other).  The log is process-wide on purpose: every module and thread
 * logs through sl_log() without a handle, so that a lost connection deep
 * in sl_db or sl_notify can be told without threading a log object through
 * every call.  The mutex makes it safe from the server's and the load
 * generator's threads; sl_log_open and sl_log_close are called once, by
 * the program's main thread.
 */
static pthread_mutex_t	 sl_log_mtx = PTHREAD_MUTEX_INITIALIZER;
static FILE		*sl_log_file;

enum sl_rc
sl_log_open(const char *path, struct sl_err *e)
{
	FILE *f;
	int fd;

	sl_log_close();
	if (path == NULL || *path == '\0')
		return SL_OK;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
	    0600);
	if (fd < 0)
		return sl_err_set(e, SL_EIO, "cannot open log file %s: %s",
		    path, strerror(errno));
	f = fdopen(fd, "a");
	if (f == NULL) {
		close(fd);
		return sl_err_set(e, SL_EIO, "cannot open log file %s: %s",
		    path, strerror(errno));
	}
	/* Line buffered: a crash loses at most the line being written. */
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&sl_log_mtx);
	sl_log_file = f;
	pthread_mutex_unlock(&sl_log_mtx);
	return SL_OK;
}

void
sl_log_close(void)
{
	pthread_mutex_lock(&sl_log_mtx);
	if (sl_log_file != NULL)
		fclose(sl_log_file);
	sl_log_file = NULL;
	pthread_mutex_unlock(&sl_log_mtx);
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
sl_log(const char *fmt, ...)
{
	char msg[2048], safe[4096], stamp[64];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	pthread_mutex_lock(&sl_log_mtx);
	if (sl_log_file == NULL) {
		pthread_mutex_unlock(&sl_log_mtx);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(sl_log_file, "%s.%03ld [%ld] %s\n", stamp,
	    ts.tv_nsec / 1000000L, (long)getpid(),
	    sl_log_escape(safe, sizeof safe, msg));
	pthread_mutex_unlock(&sl_log_mtx);
}
