/*
 * integ_relay.c - the box office's listener (core/sl_notify.c) on a relay
 * that the test plays itself (a unix socket of its own): attached, it opens
 * no connection of its own (the same show opened again is watched again,
 * never unwatched) and turns the relay's lines into the same
 * events as NOTIFYs, trusting none (a gap, another show, a forged payload,
 * "show N reload"); "lost" and "reload" are LOST and READY; a relay gone
 * mid-stream is LOST, and the listener listens directly at once; a relay
 * that refuses ("error not allowed") or never answers is replaced by a
 * direct LISTEN (within connect_timeout_s); one that may use the relay
 * alone tries it again every 250 ms or so, never the database.  The notifier's beat the relay
 * tells (sl_notify_beat): its age grows with the time since it was told,
 * a hostile one ("beat -5", a huge one) is "none", garbage is ignored,
 * and a beat older than 2 s, a "lost" or a relay gone count for nothing
 * (the box office reads it itself).  The relay's "seats" line right after
 * its "show" line is STATES; a hostile one, or one anywhere else, is
 * nothing.  Needs the test database for the
 * direct connections.
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

/* Runs the listener's loop for ms (the lines read are handled). */
static void
pump(struct sl_notify *n, int ms)
{
	struct sl_notify_event ev;

	(void)wait_event(n, SL_NOTIFY_CHANGE, &ev, ms);
}

static void
test_beat(void **state)
{
	static const char *const none[] = {
		"beat none\n", "beat -5\n", "beat 999999999999999999999\n",
		"beat 86400001\n",
	};
	struct sl_notify_event ev;
	struct sl_notify *n;
	char path[108], req[64];
	int64_t age = 12345;
	int lfd, cfd;
	size_t i;

	(void)state;
	lfd = relay_sock_listen("integ_relay", path, sizeof path);
	n = listener(path, 5);
	assert_int_equal(sl_notify_beat(n, &age), 0);	/* not attached */
	sl_notify_listen(n, SHOW);
	cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	assert_true(read(cfd, req, sizeof req) > 0);
	say(cfd, "hello seatlock-relay 1\nwatching 424242\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	assert_int_equal(sl_notify_beat(n, &age), 0);	/* none told yet */

	/* Told 500 ms: older by the time since. */
	say(cfd, "beat 500\n");
	pump(n, 300);
	assert_int_equal(sl_notify_beat(n, &age), 1);
	assert_true(age >= 750 && age < 1500);
	/* "none", and hostile beats: "none" too (not live), never live. */
	for (i = 0; i < sizeof none / sizeof none[0]; i++) {
		say(cfd, "beat 0\n");
		say(cfd, none[i]);
		pump(n, 100);
		assert_int_equal(sl_notify_beat(n, &age), 1);
		assert_int_equal(age, -1);
	}
	/* Garbage is no beat: the one before stands, ageing. */
	say(cfd, "beat 20\nbeat x\nbeat +1\nbeat 1 \n");
	pump(n, 100);
	assert_int_equal(sl_notify_beat(n, &age), 1);
	assert_true(age >= 100 && age < 1000);
	/* The listener still works: garbage broke nothing. */
	sl_notify_set_seq(n, 1);
	say(cfd, "show 424242 {\"show\":424242,\"seq\":2,\"state\":\"booked\","
	    "\"seats\":[3]}\n");
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 2000));
	assert_int_equal(ev.reload, 0);
	/* Nothing told for over 2 s: the box office reads it itself. */
	pump(n, SL_NOTIFY_BEAT_FRESH_MS + 300);
	assert_int_equal(sl_notify_beat(n, &age), 0);
	/* "lost": the relay's database is down, its beat counts no more. */
	say(cfd, "beat 10\n");
	pump(n, 100);
	assert_int_equal(sl_notify_beat(n, &age), 1);
	say(cfd, "lost\n");
	assert_true(wait_event(n, SL_NOTIFY_LOST, &ev, 2000));
	assert_int_equal(sl_notify_beat(n, &age), 0);
	say(cfd, "reload\nbeat 10\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	pump(n, 100);
	assert_int_equal(sl_notify_beat(n, &age), 1);
	/* The relay gone: nothing, at once. */
	close(cfd);
	close(lfd);
	unlink(path);
	assert_true(wait_event(n, SL_NOTIFY_LOST, &ev, 2000));
	assert_int_equal(sl_notify_beat(n, &age), 0);
	sl_notify_free(n);
}

/* The relay's "seats" line right after its "show" line: STATES with the
 * seats and states; sl_notify_take_states takes the pending ones. */
static void
test_states(void **state)
{
	struct sl_notify_event ev;
	struct sl_notify *n;
	char path[108];
	int lfd, cfd;
	int64_t pending[] = { 7, 9, 3, 7 }, ids[4];
	uint8_t st[4];
	size_t keep = 0;

	(void)state;
	lfd = relay_sock_listen("integ_relay", path, sizeof path);
	n = listener(path, 5);
	sl_notify_listen(n, SHOW);
	cfd = accept(lfd, NULL, NULL);
	say(cfd, "hello seatlock-relay 1\nwatching 424242\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	sl_notify_set_seq(n, 5);
	say(cfd, "show 424242 {\"show\":424242,\"seq\":6,\"state\":\"booked\","
	    "\"seats\":[3,7]}\nseats 424242 3:b 7:h\n");
	assert_true(wait_event(n, SL_NOTIFY_STATES, &ev, 2000));
	assert_int_equal(ev.nseats, 2);
	assert_int_equal(ev.seats[0], 3);
	assert_int_equal(ev.states[1], 1);	/* h: SL_SEAT_HELD */
	assert_int_equal(sl_notify_take_states(&ev, pending, 4, &keep, ids,
	    st), 2);
	assert_int_equal(keep, 1);
	assert_int_equal(pending[0], 9);
	assert_int_equal(ids[0], 3);
	assert_int_equal(ids[1], 7);
	assert_int_equal(st[0], 2);	/* b: SL_SEAT_BOOKED */

	/* None of these is a STATES: a bad code, out of order, another
	 * show's, one not right after its "show" line, one after a gap;
	 * the first STATES is that of seat 11. */
	say(cfd, "show 424242 {\"show\":424242,\"seq\":7,\"state\":\"booked\","
	    "\"seats\":[4]}\nseats 424242 4:q\n"
	    "show 424242 {\"show\":424242,\"seq\":7,\"state\":\"booked\","
	    "\"seats\":[4,5]}\nseats 424242 5:b 4:b\n"
	    "show 424242 {\"show\":424242,\"seq\":7,\"state\":\"booked\","
	    "\"seats\":[4]}\nseats 424243 4:b\nbeat 5\nseats 424242 4:b\n"
	    "show 424242 {\"show\":424242,\"seq\":9,\"state\":\"booked\","
	    "\"seats\":[4]}\nseats 424242 4:b\n"
	    "show 424242 {\"show\":424242,\"seq\":10,\"state\":\"booked\","
	    "\"seats\":[11]}\nseats 424242 11:x\n");
	assert_true(wait_event(n, SL_NOTIFY_STATES, &ev, 2000));
	assert_int_equal(ev.nseats, 1);
	assert_int_equal(ev.seats[0], 11);
	assert_int_equal(ev.states[0], 3);	/* x: SL_SEAT_BLOCKED */
	sl_notify_free(n);
	close(cfd);
	close(lfd);
	unlink(path);
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

/*
 * A terminal that may only use its relay (sl_config.relay_only: the
 * terminals of `seatlock bench --scenario terminals`) tries the relay's
 * socket again at least every 250 ms (+25 %), however long it was gone:
 * a relay restarted after 1.6 s is found within 0.4 s, not after a
 * back-off that doubled to 1.6 s (the database never sees the attempts).
 * Never a connection of its own meanwhile.
 */
static void
test_relay_only_retries(void **state)
{
	struct sl_notify_event ev;
	struct sl_notify *n;
	struct pollfd pfd;
	struct sl_config c;
	struct sl_err e;
	char path[108];
	int lfd, cfd;
	int64_t t0;

	(void)state;
	lfd = relay_sock_listen("integ_relay", path, sizeof path);
	close(lfd);
	unlink(path);	/* no relay yet */
	sl_config_defaults(&c);
	snprintf(c.relay_socket, sizeof c.relay_socket, "%s", path);
	c.relay_only = 1;
	assert_int_equal(sl_notify_new(&c, &n, &e), SL_OK);
	sl_notify_listen(n, SHOW);
	pump(n, 1600);
	assert_int_not_equal(sl_notify_status(n), SL_NOTIFY_UP);
	assert_int_equal(sl_notify_backend_pid(n), 0);
	lfd = relay_sock_listen("integ_relay", path, sizeof path);
	t0 = now_ms();
	pfd.fd = lfd;
	pfd.events = POLLIN;
	while (now_ms() - t0 < 3000 && poll(&pfd, 1, 0) == 0)
		pump(n, 10);
	assert_true(pfd.revents & POLLIN);
	assert_true(now_ms() - t0 < 400);
	cfd = accept(lfd, NULL, NULL);
	say(cfd, "hello seatlock-relay 1\nwatching 424242\n");
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 2000));
	assert_int_equal(sl_notify_via_relay(n), 1);
	assert_int_equal(sl_notify_backend_pid(n), 0);
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
		cmocka_unit_test(test_beat),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_refused_silent),
		cmocka_unit_test(test_relay_only_retries),
	};

	return cmocka_run_group_tests_name("relay", tests, NULL, NULL);
}
