/*
 * integ_relay.c - the box office's listener (core/sl_notify.c) on a relay
 * that the test plays itself (a unix socket of its own): attached, it opens
 * no connection of its own (the same show opened again is watched again,
 * never unwatched) and turns the relay's lines into the same
 * events as NOTIFYs, trusting none (a gap, another show, a forged payload,
 * "show N reload"); "lost" and "reload" are LOST and READY; a relay gone
 * mid-stream is LOST, and the listener listens directly at once; a relay
 * that refuses ("error not allowed") or never answers is replaced by a
 * direct LISTEN (within connect_timeout_s).  Needs the test database for
 * the direct connections.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "integ/notify_wait.h"
#include "sl_config.h"
#include "sl_notify.h"
#include "unit/relay_sock.h"

#define SHOW	424242

static void
say(int fd, const char *text)
{
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

/* A listener whose relay socket is path. */
static struct sl_notify *
listener(const char *path, int connect_timeout_s)
{
	struct sl_config c;
	struct sl_notify *n;
	struct sl_err e;

	sl_config_defaults(&c);
	snprintf(c.relay_socket, sizeof c.relay_socket, "%s", path);
	c.connect_timeout_s = connect_timeout_s;
	assert_int_equal(sl_notify_new(&c, &n, &e), SL_OK);
	return n;
}

static void
test_attached(void **state)
{
	struct sl_notify_event ev;
	struct sl_notify *n;
	char path[108], req[64];
	int lfd, cfd;
	ssize_t r;

	(void)state;
	lfd = relay_sock_listen("integ_relay", path, sizeof path);
	n = listener(path, 5);
	sl_notify_listen(n, SHOW);
	cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	r = read(cfd, req, sizeof req - 1);
	assert_true(r > 0);
	req[r] = '\0';
	assert_string_equal(req, "watch 424242\n");
	/* No READY before the relay says its LISTEN is in effect. */
	say(cfd, "hello seatlock-relay 1\n");
	assert_false(wait_event(n, SL_NOTIFY_READY, &ev, 200));
	say(cfd, "watching 424242\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	assert_int_equal(sl_notify_status(n), SL_NOTIFY_UP);
	assert_int_equal(sl_notify_via_relay(n), 1);
	assert_int_equal(sl_notify_backend_pid(n), 0);	/* no connection */
	/* The same show again: watched again, never unwatched (an UNLISTEN
	 * would leave a moment unheard). */
	sl_notify_listen(n, SHOW);
	r = read(cfd, req, sizeof req - 1);
	assert_true(r > 0);
	req[r] = '\0';
	assert_string_equal(req, "watch 424242\n");
	say(cfd, "watching 424242\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	sl_notify_set_seq(n, 5);

	say(cfd, "show 424242 {\"show\":424242,\"seq\":6,\"state\":\"booked\","
	    "\"seats\":[3]}\n");
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 2000));
	assert_int_equal(ev.reload, 0);
	assert_int_equal(ev.nseats, 1);
	assert_int_equal(ev.seats[0], 3);
	/* Trusted no more than a NOTIFY: a gap, another show, a forgery. */
	say(cfd, "show 424242 {\"show\":424242,\"seq\":9,\"state\":\"booked\","
	    "\"seats\":[4]}\n");
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 2000));
	assert_int_equal(ev.gap, 1);
	assert_int_equal(ev.reload, 1);
	say(cfd, "show 424243 {\"show\":424243,\"seq\":10,\"state\":\"booked\","
	    "\"seats\":[5]}\nshow 424242 \x1b]0;pwned\x07\n");
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 2000));
	assert_int_equal(ev.reload, 1);
	assert_int_equal(ev.nseats, 0);
	say(cfd, "show 424242 {\"show\":1,\"seq\":11,\"state\":\"booked\","
	    "\"seats\":[5]}\nshow 424242 reload\n");
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 2000));
	assert_int_equal(ev.reload, 1);	/* another show's payload */
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 2000));
	assert_int_equal(ev.reload, 1);

	/* The relay's database went away and came back. */
	say(cfd, "lost\n");
	assert_true(wait_event(n, SL_NOTIFY_LOST, &ev, 2000));
	assert_int_not_equal(sl_notify_status(n), SL_NOTIFY_UP);
	say(cfd, "reload\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	assert_int_equal(sl_notify_status(n), SL_NOTIFY_UP);

	/* The relay dies: LOST, and at once a LISTEN of its own. */
	close(lfd);
	unlink(path);
	close(cfd);
	assert_true(wait_event(n, SL_NOTIFY_LOST, &ev, 2000));
	assert_int_equal(sl_notify_relay_lost(n), 1);
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	assert_int_equal(sl_notify_via_relay(n), 0);
	assert_true(sl_notify_backend_pid(n) > 0);
	assert_int_equal(sl_notify_relay_lost(n), 0);
	sl_notify_free(n);
}

/* A relay that refuses, or says nothing: a LISTEN of its own instead. */
static void
test_refused_silent(void **state)
{
	struct sl_notify_event ev;
	struct sl_notify *n;
	char path[108];
	int lfd, cfd;
	int64_t t0;

	(void)state;
	lfd = relay_sock_listen("integ_relay", path, sizeof path);
	n = listener(path, 1);
	sl_notify_listen(n, SHOW);
	cfd = accept(lfd, NULL, NULL);
	say(cfd, "error not allowed\n");
	close(cfd);
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 3000));
	assert_int_equal(sl_notify_via_relay(n), 0);
	assert_true(sl_notify_backend_pid(n) > 0);
	sl_notify_free(n);

	n = listener(path, 1);
	t0 = now_ms();
	sl_notify_listen(n, SHOW);
	cfd = accept(lfd, NULL, NULL);	/* and never a word */
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 4000));
	assert_int_equal(sl_notify_via_relay(n), 0);
	assert_true(sl_notify_backend_pid(n) > 0);
	assert_true(now_ms() - t0 < 3000);
	sl_notify_free(n);
	close(cfd);
	close(lfd);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attached),
		cmocka_unit_test(test_refused_silent),
	};

	return cmocka_run_group_tests_name("relay", tests, NULL, NULL);
}
