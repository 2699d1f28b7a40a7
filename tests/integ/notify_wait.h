/*
 * notify_wait.h - for the integration tests of the listener
 * (core/sl_notify.c): the clock, and its poll() loop run until an event of
 * a given kind.  Header-only, like testdb.h.
 */
#ifndef NOTIFY_WAIT_H
#define NOTIFY_WAIT_H

#include <poll.h>
#include <stdint.h>
#include <time.h>

#include "sl_notify.h"

/* Milliseconds on CLOCK_MONOTONIC. */
static inline int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs the listener's loop until an event of kind arrives (other events
 * are skipped) or timeout_ms passes.  Returns 1 with ev filled, or 0. */
static inline int
wait_event(struct sl_notify *n, enum sl_notify_kind kind,
    struct sl_notify_event *ev, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	while (now_ms() < end) {
		struct pollfd pfd;
		int t = sl_notify_timeout(n), left = (int)(end - now_ms());

		while (sl_notify_next(n, ev))
			if (ev->kind == kind)
				return 1;
		pfd.fd = sl_notify_fd(n);
		pfd.events = sl_notify_events(n);
		pfd.revents = 0;
		if (t < 0 || t > left)
			t = left;
		if (t > 100)
			t = 100;
		if (poll(&pfd, pfd.fd >= 0 ? 1 : 0, t) < 0)
			continue;
		sl_notify_handle(n, pfd.fd >= 0 ? pfd.revents : 0);
	}
	return 0;
}

#endif
