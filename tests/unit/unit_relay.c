/*
 * unit_relay.c - the relay's line protocol (core/sl_relay.c): every line
 * parsed, hostile ones refused (ids out of range, trailing text, a NUL),
 * "show" lines formatted with the reload rule (newline, too long), "beat"
 * lines parsed strictly and clamped (negative, over a day, huge: none) and
 * formatted, and the
 * client against a socket of the test's own: no relay there is
 * SL_ENOTFOUND, lines split across reads come out whole, a line longer
 * than the client's buffer and the relay's end of file drop it.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_relay.h"
#include "unit/relay_sock.h"

static void
test_parse(void **state)
{
	struct sl_relay_line l;

	(void)state;
	assert_int_equal(sl_relay_parse(SL_RELAY_HELLO, &l),
	    SL_RELAY_HELLO_LINE);
	assert_int_equal(sl_relay_parse("watch 12", &l), SL_RELAY_WATCH);
	assert_int_equal(l.show, 12);
	assert_int_equal(sl_relay_parse("unwatch 12", &l), SL_RELAY_UNWATCH);
	assert_int_equal(sl_relay_parse("watching 7", &l), SL_RELAY_WATCHING);
	assert_int_equal(sl_relay_parse("show 7 {\"a\":1}", &l), SL_RELAY_SHOW);
	assert_int_equal(l.show, 7);
	assert_string_equal(l.payload, "{\"a\":1}");
	assert_int_equal(sl_relay_parse("show 7 reload", &l), SL_RELAY_SHOW);
	assert_null(l.payload);
	assert_int_equal(sl_relay_parse("lost", &l), SL_RELAY_LOST);
	assert_int_equal(sl_relay_parse("reload", &l), SL_RELAY_RELOAD);
	assert_int_equal(sl_relay_parse("error not allowed", &l),
	    SL_RELAY_ERROR);
	assert_string_equal(l.payload, "not allowed");
	/* Hostile or malformed. */
	assert_int_equal(sl_relay_parse("", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("watch", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("watch 0", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("watch -3", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("watch 12 13", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("watch 12x", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("watch 99999999999999999999", &l),
	    SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("show 7", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("hello seatlock-relay 2", &l),
	    SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("WATCH 1", &l), SL_RELAY_BAD);
}

/* The notifier's beat: strict digits, anything absurd is "none" (-1),
 * anything else no line at all. */
static void
test_beat(void **state)
{
	static const char *const none[] = {
		"beat none", "beat -5", "beat -0", "beat 86400001",
		"beat 999999999999999999999",
		"beat 99999999999999999999999999999999999999999999999999999",
		"beat -99999999999999999999",
	};
	static const char *const bad[] = {
		"beat", "beat ", "beat x", "beat -", "beat +5", "beat 5 ",
		"beat  5", "beat 5x", "beat 0x10", "beat 1e3", "beat 1.5",
		"beat None", "beat none ", "beat --5", "beat 5\t", "BEAT 5",
		"beat\t5", "beats 5",
	};
	struct sl_relay_line l;
	char buf[32];
	size_t i;

	(void)state;
	assert_int_equal(sl_relay_parse("beat 0", &l), SL_RELAY_BEAT);
	assert_int_equal(l.beat, 0);
	assert_int_equal(sl_relay_parse("beat 1234", &l), SL_RELAY_BEAT);
	assert_int_equal(l.beat, 1234);
	assert_int_equal(sl_relay_parse("beat 0007", &l), SL_RELAY_BEAT);
	assert_int_equal(l.beat, 7);
	assert_int_equal(sl_relay_parse("beat 86400000", &l), SL_RELAY_BEAT);
	assert_int_equal(l.beat, SL_RELAY_BEAT_MAX);
	for (i = 0; i < sizeof none / sizeof none[0]; i++) {
		l.beat = 42;
		assert_int_equal(sl_relay_parse(none[i], &l), SL_RELAY_BEAT);
		assert_int_equal(l.beat, -1);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sl_relay_parse(bad[i], &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_format_beat(buf, sizeof buf, 250), 9);
	assert_string_equal(buf, "beat 250\n");
	sl_relay_format_beat(buf, sizeof buf, 0);
	assert_string_equal(buf, "beat 0\n");
	sl_relay_format_beat(buf, sizeof buf, -1);
	assert_string_equal(buf, "beat none\n");
	sl_relay_format_beat(buf, sizeof buf, SL_RELAY_BEAT_MAX + 1);
	assert_string_equal(buf, "beat none\n");
	sl_relay_format_beat(buf, sizeof buf, INT64_MAX);
	assert_string_equal(buf, "beat none\n");
	/* What the relay writes, the client reads back. */
	sl_relay_format_beat(buf, sizeof buf, SL_RELAY_BEAT_MAX);
	buf[strlen(buf) - 1] = '\0';
	assert_int_equal(sl_relay_parse(buf, &l), SL_RELAY_BEAT);
	assert_int_equal(l.beat, SL_RELAY_BEAT_MAX);
}

static void
test_format(void **state)
{
	char buf[SL_RELAY_LINE_MAX], *big;

	(void)state;
	assert_int_equal(sl_relay_format_show(buf, 5, "{}"), 10);
	assert_string_equal(buf, "show 5 {}\n");
	sl_relay_format_show(buf, 5, "a\nb");
	assert_string_equal(buf, "show 5 reload\n");
	sl_relay_format_show(buf, 5, NULL);
	assert_string_equal(buf, "show 5 reload\n");
	big = malloc(SL_RELAY_PAYLOAD_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', SL_RELAY_PAYLOAD_MAX + 1);
	big[SL_RELAY_PAYLOAD_MAX + 1] = '\0';
	sl_relay_format_show(buf, 5, big);
	assert_string_equal(buf, "show 5 reload\n");
	big[SL_RELAY_PAYLOAD_MAX] = '\0';	/* exactly the limit: passes */
	assert_int_equal(sl_relay_format_show(buf, 5, big),
	    strlen("show 5 \n") + SL_RELAY_PAYLOAD_MAX);
	free(big);
}

static void
test_client(void **state)
{
	struct sl_relay *r;
	struct sl_relay_line l;
	struct sl_err e;
	char path[108], req[64], *junk;
	int lfd, cfd;
	ssize_t n;

	(void)state;
	assert_int_equal(sl_relay_connect("/nonexistent/relay.sock", &r, &e),
	    SL_ENOTFOUND);
	lfd = relay_sock_listen("unit_relay", path, sizeof path);
	assert_int_equal(sl_relay_connect(path, &r, &e), SL_OK);
	cfd = accept(lfd, NULL, NULL);
	assert_true(cfd >= 0);
	assert_int_equal(sl_relay_watch(r, 42, 1), 0);
	n = read(cfd, req, sizeof req - 1);
	assert_int_equal(n, 9);
	req[n] = '\0';
	assert_string_equal(req, "watch 42\n");
	/* A line in two pieces comes out whole, once. */
	assert_int_equal(write(cfd, "hello seatlock-relay 1\nwatch", 28), 28);
	assert_int_equal(sl_relay_handle(r, POLLIN), 0);
	assert_int_equal(sl_relay_next(r, &l), 1);
	assert_int_equal(l.kind, SL_RELAY_HELLO_LINE);
	assert_int_equal(sl_relay_next(r, &l), 0);
	assert_int_equal(write(cfd, "ing 42\n", 7), 7);
	assert_int_equal(sl_relay_handle(r, POLLIN), 0);
	assert_int_equal(sl_relay_next(r, &l), 1);
	assert_int_equal(l.kind, SL_RELAY_WATCHING);
	assert_int_equal(l.show, 42);
	/* A line with a NUL inside is no line of ours. */
	assert_int_equal(write(cfd, "lo\0st\n", 6), 6);
	assert_int_equal(sl_relay_handle(r, POLLIN), 0);
	assert_int_equal(sl_relay_next(r, &l), 1);
	assert_int_equal(l.kind, SL_RELAY_BAD);
	/* A line longer than anything a relay sends drops the relay. */
	junk = malloc(3 * SL_RELAY_LINE_MAX);
	assert_non_null(junk);
	memset(junk, 'x', 3 * SL_RELAY_LINE_MAX);
	assert_int_equal(write(cfd, junk, 3 * SL_RELAY_LINE_MAX),
	    3 * SL_RELAY_LINE_MAX);
	free(junk);
	n = 0;
	while (sl_relay_handle(r, POLLIN) == 0 && n++ < 10)
		;
	assert_string_equal(sl_relay_error(r), "relay line too long");
	sl_relay_close(r);
	close(cfd);
	/* End of file. */
	assert_int_equal(sl_relay_connect(path, &r, &e), SL_OK);
	cfd = accept(lfd, NULL, NULL);
	close(cfd);
	assert_int_equal(sl_relay_handle(r, POLLIN), -1);
	assert_string_equal(sl_relay_error(r), "relay closed the connection");
	sl_relay_close(r);
	close(lfd);
	unlink(path);
	/* Nobody accepts there any more: as good as no relay. */
	assert_int_equal(sl_relay_connect(path, &r, &e), SL_ENOTFOUND);
}

/* The states a relay read: strict ids and codes, ascending, or nothing. */
static void
test_seats(void **state)
{
	static const char *const bad[] = {
		"", " ", "5", "5:", "5:q", "5:A", ":a", "0:a", "-5:a", "5:ab",
		"5:a ", " 5:a", "5:a  6:b", "6:a 5:b", "5:a 5:b", "5:a,6:b",
		"5:a\t6:b", "+5:a", "0x5:a", "5 :a", "5: a",
		"9999999999999999999:a", "1234567890123456789:a",
	};
	int64_t ids[4], big[4] = { 10, 20, 30, 40 };
	uint8_t st[4], bst[4] = { 0, 1, 2, 3 };
	struct sl_relay_line l;
	static int64_t mid[2000];
	static uint8_t mst[2000];
	static char huge[4 * SL_RELAY_LINE_MAX];
	char buf[SL_RELAY_LINE_MAX];
	size_t n, i;

	(void)state;
	assert_int_equal(sl_relay_parse("seats 7 3:b 12:a", &l),
	    SL_RELAY_SEATS);
	assert_int_equal(l.show, 7);
	assert_int_equal(sl_relay_parse_seats(l.payload, ids, st, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], 3);
	assert_int_equal(st[0], 2);	/* SL_SEAT_BOOKED */
	assert_int_equal(ids[1], 12);
	assert_int_equal(st[1], 0);	/* SL_SEAT_AVAILABLE */
	assert_int_equal(sl_relay_parse_seats("1:a 2:h 3:b 4:x", ids, st, 4,
	    &n), 0);
	assert_int_equal(st[1], 1);
	assert_int_equal(st[3], 3);
	/* more than the caller has room for */
	assert_int_equal(sl_relay_parse_seats("1:a 2:h 3:b 4:x", ids, st, 3,
	    &n), -1);
	assert_int_equal(n, 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (sl_relay_parse_seats(bad[i], ids, st, 4, &n) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(sl_relay_parse("seats 7", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("seats 7 ", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("seats 0 1:a", &l), SL_RELAY_BAD);
	assert_int_equal(sl_relay_parse("seats x 1:a", &l), SL_RELAY_BAD);

	assert_int_equal(sl_relay_format_seats(buf, sizeof buf, 9, big, bst,
	    4), strlen("seats 9 10:a 20:h 30:b 40:x\n"));
	assert_string_equal(buf, "seats 9 10:a 20:h 30:b 40:x\n");
	/* what it formats, it parses back */
	buf[strlen(buf) - 1] = '\0';
	assert_int_equal(sl_relay_parse(buf, &l), SL_RELAY_SEATS);
	assert_int_equal(sl_relay_parse_seats(l.payload, ids, st, 4, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(ids, big, sizeof big);
	assert_memory_equal(st, bst, sizeof bst);
	/* out of order, unknown state, none, too small a buffer */
	big[1] = 10;
	assert_int_equal(sl_relay_format_seats(buf, sizeof buf, 9, big, bst,
	    4), 0);
	big[1] = 20;
	bst[2] = 4;
	assert_int_equal(sl_relay_format_seats(buf, sizeof buf, 9, big, bst,
	    4), 0);
	bst[2] = 2;
	assert_int_equal(sl_relay_format_seats(buf, sizeof buf, 9, big, bst,
	    0), 0);
	assert_int_equal(sl_relay_format_seats(buf, 16, 9, big, bst, 4), 0);
	/* a line longer than the protocol allows is never made */
	for (i = 0; i < 2000; i++)
		mid[i] = 1000000000 + (int64_t)i;
	assert_int_equal(sl_relay_format_seats(huge, sizeof huge, 9, mid, mst,
	    2000), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_beat),
		cmocka_unit_test(test_seats),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_client),
	};

	return cmocka_run_group_tests_name("relay", tests, NULL, NULL);
}
