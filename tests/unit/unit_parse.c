/*
 * unit_parse.c - checks of input from people: ids, seat labels, free text
 * (names, titles), emails and phone numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sl_parse.h"

static void
id_ok(const char *s, int64_t want)
{
	int64_t v = -7;

	if (sl_parse_id(s, &v) != 0)
		fail_msg("id \"%s\" refused", s);
	if (v != want)
		fail_msg("id \"%s\" read as %lld", s, (long long)v);
}

static void
id_bad(const char *s)
{
	int64_t v = -7;

	if (sl_parse_id(s, &v) == 0)
		fail_msg("id \"%s\" accepted as %lld", s, (long long)v);
	/* out-parameters are written only on success */
	assert_int_equal(v, -7);
}

static void
test_parse_id(void **state)
{
	(void)state;
	id_ok("1", 1);
	id_ok("42", 42);
	id_ok("10", 10);
	id_ok("9223372036854775807", INT64_MAX);
	id_ok("9223372036854775806", INT64_MAX - 1);

	id_bad("9223372036854775808");
	id_bad("9223372036854775810");
	id_bad("18446744073709551616");
	id_bad("99999999999999999999999");
	id_bad("0");
	id_bad("00");
	id_bad("-1");
	id_bad("+1");
	id_bad("");
	id_bad(" 1");
	id_bad("1 ");
	id_bad("1x");
	id_bad("x1");
	id_bad("01");
	id_bad("0x10");
	id_bad("1.0");
	id_bad("1e3");
	id_bad("\xd9\xa1");	/* ARABIC-INDIC DIGIT ONE */
	id_bad(NULL);
}

static void
label_ok(const char *s, const char *want)
{
	char out[SL_LABEL_MAX + 1];

	memset(out, 'Q', sizeof out);
	if (sl_label_normalize(s, out) != 0)
		fail_msg("label \"%s\" refused", s);
	assert_string_equal(out, want);
}

static void
label_bad(const char *s)
{
	char out[SL_LABEL_MAX + 1];

	memset(out, 'Q', sizeof out);
	if (sl_label_normalize(s, out) == 0)
		fail_msg("label \"%s\" accepted as \"%s\"", s, out);
	/* untouched */
	assert_int_equal(out[0], 'Q');
	assert_int_equal(out[SL_LABEL_MAX], 'Q');
}

static void
test_label_normalize(void **state)
{
	char max[SL_LABEL_MAX + 2];

	(void)state;
	label_ok("A1", "A1");
	label_ok("f12", "F12");
	label_ok("box-a2", "BOX-A2");
	label_ok("CcC7", "CCC7");
	label_ok("12", "12");
	label_ok("-", "-");
	memset(max, 'z', SL_LABEL_MAX);
	max[SL_LABEL_MAX] = '\0';
	label_ok(max, "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ");

	max[SL_LABEL_MAX] = 'z';
	max[SL_LABEL_MAX + 1] = '\0';
	label_bad(max);
	label_bad("");
	label_bad(NULL);
	label_bad("A 1");
	label_bad(" A1");
	label_bad("A1 ");
	label_bad("A_1");
	label_bad("A1;");
	label_bad("A1'");
	label_bad("A\"1");
	label_bad("A\\1");
	label_bad("A1\n");
	label_bad("A1\t");
	label_bad("\xc3\x84" "1");	/* Ä1 */
	label_bad("A\xef\xbc\x91");	/* fullwidth digit one */
	label_bad("{A1}");
	label_bad("A1,A2");
}

static void
split_ok(const char *label, const char *row, int number)
{
	char r[SL_LABEL_MAX + 1];
	int n = -1;

	if (sl_label_split(label, r, &n) != 0)
		fail_msg("\"%s\" not split", label);
	assert_string_equal(r, row);
	assert_int_equal(n, number);
}

static void
test_label_split(void **state)
{
	char r[SL_LABEL_MAX + 1];
	int n;

	(void)state;
	split_ok("A1", "A", 1);
	split_ok("AA12", "AA", 12);
	split_ok("BOXA2", "BOXA", 2);
	split_ok("CA22", "CA", 22);
	split_ok("B-07", "B-", 7);
	split_ok("R2D2", "R2D", 2);
	split_ok("7", "", 7);
	split_ok("A100000", "A", 100000);
	split_ok("A999999", "A", 999999);

	assert_int_equal(sl_label_split("A", r, &n), -1);
	assert_int_equal(sl_label_split("", r, &n), -1);
	assert_int_equal(sl_label_split("A1B", r, &n), -1);
	assert_int_equal(sl_label_split("A-", r, &n), -1);
	/* more than 6 digits is not a seat number */
	assert_int_equal(sl_label_split("A1234567", r, &n), -1);
	assert_int_equal(sl_label_split("99999999999", r, &n), -1);
}

static void
range_ok(const char *s, const char *row, int from, int to, const char *last)
{
	struct sl_label_range r;
	char lab[SL_LABEL_MAX + 1];
	const char *why = NULL;

	if (sl_label_range(s, &r, &why) != 0)
		fail_msg("\"%s\" not a range: %s", s, why);
	assert_string_equal(r.row, row);
	assert_int_equal(r.from, from);
	assert_int_equal(r.to, to);
	assert_int_equal(sl_label_range_label(&r, to, lab), 0);
	assert_string_equal(lab, last);
}

static void
range_bad(const char *s, const char *says)
{
	struct sl_label_range r;
	const char *why = NULL;

	if (sl_label_range(s, &r, &why) == 0)
		fail_msg("\"%s\" taken as a range", s);
	assert_non_null(why);
	if (strstr(why, says) == NULL)
		fail_msg("\"%s\": \"%s\" does not say \"%s\"", s, why, says);
}

static void
test_label_range(void **state)
{
	struct sl_label_range r;
	char lab[SL_LABEL_MAX + 1];

	(void)state;
	range_ok("A12-15", "A", 12, 15, "A15");
	range_ok("a12-15", "A", 12, 15, "A15");
	range_ok("CA1-4", "CA", 1, 4, "CA4");
	range_ok("A7-7", "A", 7, 7, "A7");
	range_ok("A1-20", "A", 1, 20, "A20");
	range_ok("A01-04", "A", 1, 4, "A04");
	range_ok("B-1-3", "B-", 1, 3, "B-3");
	range_ok("12-14", "", 12, 14, "14");

	range_bad("A15-12", "lower seat number to the higher");
	range_bad("A1-21", "at most 20 seats");
	range_bad("A1-999999", "at most 20 seats");
	range_bad("A12", "a row and two seat numbers");
	range_bad("A12-", "a row and two seat numbers");
	range_bad("A-15", "a row and two seat numbers");
	range_bad("A12-B15", "a row and two seat numbers");
	range_bad("A12-1234567", "a row and two seat numbers");
	range_bad("", "a row and two seat numbers");
	range_bad("A12 - 15", "a row and two seat numbers");
	range_bad("A12\xe2\x80\x93" "15", "a row and two seat numbers");
	assert_int_equal(sl_label_range("A12-15", &r, NULL), 0);

	/* A label too long for a seat is not made. */
	assert_int_equal(sl_label_range("ABCDEFGHIJKLMNOPQRSTUVWXYZAB1-12",
	    &r, NULL), 0);
	assert_int_equal(sl_label_range_label(&r, 12, lab), 0);
	assert_string_equal(lab, "ABCDEFGHIJKLMNOPQRSTUVWXYZAB12");
	assert_int_equal(sl_label_range_label(&r, 100000, lab), -1);
	/* A text longer than any label is no range. */
	range_bad("ABCDEFGHIJKLMNOPQRSTUVWXYZABCD1-2", "two seat numbers");
}

static void
text_ok(const char *s, size_t max)
{
	const char *why = NULL;

	if (sl_text_valid(s, max, &why) != 0)
		fail_msg("text \"%s\" refused: %s", s, why);
}

static void
text_bad(const char *s, size_t max, const char *reason)
{
	const char *why = NULL;

	if (sl_text_valid(s, max, &why) == 0)
		fail_msg("text \"%s\" accepted", s);
	assert_non_null(why);
	if (reason != NULL && strstr(why, reason) == NULL)
		fail_msg("text refused for \"%s\", not \"%s\"", why, reason);
}

static void
test_text_valid(void **state)
{
	char c0[4] = { 'a', 0, 'b', 0 };
	char buf[64];
	int i;

	(void)state;
	/* Zoë Ångström */
	text_ok("Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m", 200);
	text_ok("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e", 200);	/* 王小明 */
	text_ok("\xce\xa9mega", 200);				/* Ωmega */
	text_ok("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", 200);	/* محمد */
	text_ok("\xf0\x9f\x8e\xad Theatre", 200);		/* U+1F3AD */
	text_ok("Zoe\xcc\x88", 200);				/* combining */
	text_ok("O'Brien-Smith, Jr.", 200);
	text_ok("\xc2\xa0nbsp\xc2\xa0", 200);			/* U+00A0 */
	text_ok("\xc2\xa0", 200);
	text_ok("\xef\xbf\xbd", 200);				/* U+FFFD */
	text_ok("\xf4\x8f\xbf\xbf", 200);			/* U+10FFFF */
	text_ok("\xe2\x80\x8f", 200);		/* RLM is a mark, allowed */
	text_ok("\xe2\x80\xa9", 200);		/* U+2029, allowed */
	text_ok("abc", 3);

	text_bad("", 200, "empty");
	text_bad(NULL, 200, "empty");
	text_bad("abcd", 3, "too long");
	/* the limit counts bytes: 王小明 is 9 */
	text_bad("\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e", 8, "too long");

	/* every C0 control and DEL */
	for (i = 1; i < 0x20; i++) {
		snprintf(buf, sizeof buf, "ab%cc", i);
		text_bad(buf, 200, "control");
	}
	text_bad("a\x7f" "b", 200, "control");
	text_bad("a\nb", 200, "control");
	text_ok(c0, 200);	/* a C string ends at NUL: "a" */
	/* C1 controls: U+0080, U+0085 (NEL), U+009B (CSI), U+009F */
	text_bad("a\xc2\x80" "b", 200, "control");
	text_bad("a\xc2\x85" "b", 200, "control");
	text_bad("a\xc2\x9b" "31m", 200, "control");
	text_bad("a\xc2\x9f", 200, "control");
	/* bidirectional overrides and isolates */
	text_bad("abc\xe2\x80\xaa", 200, "bidirectional");	/* U+202A */
	/* U+202E */
	text_bad("gpj.\xe2\x80\xae" "exe", 200, "bidirectional");
	text_bad("\xe2\x81\xa6x", 200, "bidirectional");	/* U+2066 */
	text_bad("\xe2\x81\xa9x", 200, "bidirectional");	/* U+2069 */
	/* invalid UTF-8 */
	text_bad("\x80", 200, "UTF-8");			/* lone continuation */
	text_bad("a\xc3", 200, "UTF-8");		/* truncated */
	text_bad("\xe7\x8e", 200, "UTF-8");		/* truncated */
	text_bad("\xe7\x8e" "a", 200, "UTF-8");
	text_bad("\xff", 200, "UTF-8");
	text_bad("\xfe\xff", 200, "UTF-8");
	text_bad("\xf5\x80\x80\x80", 200, "UTF-8");	/* > U+10FFFF */
	text_bad("\xf4\x90\x80\x80", 200, "UTF-8");	/* U+110000 */
	text_bad("Latin-1 Zo\xeb", 200, "UTF-8");
	/* overlong forms */
	text_bad("\xc0\xaf", 200, "UTF-8");		/* '/' */
	text_bad("\xc1\xbf", 200, "UTF-8");
	text_bad("\xc0\x80", 200, "UTF-8");		/* NUL, "modified" */
	text_bad("\xe0\x80\xaf", 200, "UTF-8");
	text_bad("\xe0\x9f\xbf", 200, "UTF-8");
	text_bad("\xf0\x80\x80\xaf", 200, "UTF-8");
	text_bad("\xf0\x8f\xbf\xbf", 200, "UTF-8");
	/* surrogates (CESU-8) */
	text_bad("\xed\xa0\x80", 200, "UTF-8");		/* U+D800 */
	text_bad("\xed\xbf\xbf", 200, "UTF-8");		/* U+DFFF */
	text_bad("\xed\xa0\xbd\xed\xb8\x80", 200, "UTF-8");
}

static void
test_email(void **state)
{
	char big[300];

	(void)state;
	assert_int_equal(sl_email_valid("a@b.co"), 0);
	assert_int_equal(sl_email_valid("Zoe.Angstrom+box@example.com"), 0);
	assert_int_equal(sl_email_valid("x@sub.example.org"), 0);
	assert_int_equal(sl_email_valid("zo\xc3\xab@b\xc3\xbc.de"), 0);

	assert_int_equal(sl_email_valid(NULL), -1);
	assert_int_equal(sl_email_valid(""), -1);
	assert_int_equal(sl_email_valid("a@"), -1);
	assert_int_equal(sl_email_valid("plain"), -1);
	assert_int_equal(sl_email_valid("@example.com"), -1);
	assert_int_equal(sl_email_valid("a@example"), -1);
	assert_int_equal(sl_email_valid("a@.com"), -1);
	assert_int_equal(sl_email_valid("a@example."), -1);
	assert_int_equal(sl_email_valid("a@@example.com"), -1);
	assert_int_equal(sl_email_valid("a@b@example.com"), -1);
	assert_int_equal(sl_email_valid("a b@example.com"), -1);
	assert_int_equal(sl_email_valid("ab@exa mple.com"), -1);
	assert_int_equal(sl_email_valid(" a@example.com"), -1);
	assert_int_equal(sl_email_valid("a@example.com\n"), -1);
	assert_int_equal(sl_email_valid("a\t@example.com"), -1);
	assert_int_equal(sl_email_valid("a\x7f@example.com"), -1);

	/* 254 bytes is the limit */
	memset(big, 'a', sizeof big);
	memcpy(big + 254 - 12, "@example.com", 13);
	assert_int_equal(strlen(big), 254);
	assert_int_equal(sl_email_valid(big), 0);
	memset(big, 'a', sizeof big);
	memcpy(big + 255 - 12, "@example.com", 13);
	assert_int_equal(sl_email_valid(big), -1);
}

static void
test_phone(void **state)
{
	(void)state;
	assert_int_equal(sl_phone_valid("123"), 0);
	assert_int_equal(sl_phone_valid("+44 20 7946 0958"), 0);
	assert_int_equal(sl_phone_valid("(555) 123-4567"), 0);
	assert_int_equal(sl_phone_valid("030/1234.56"), 0);
	assert_int_equal(sl_phone_valid("+123"), 0);
	assert_int_equal(sl_phone_valid("12345678901234567890123456789012"),
	    0);

	assert_int_equal(sl_phone_valid(NULL), -1);
	assert_int_equal(sl_phone_valid(""), -1);
	assert_int_equal(sl_phone_valid("12"), -1);
	assert_int_equal(sl_phone_valid("+12"), -1);	/* 2 digits */
	assert_int_equal(sl_phone_valid("(-)"), -1);	/* no digits */
	assert_int_equal(sl_phone_valid("123456789012345678901234567890123"),
	    -1);
	assert_int_equal(sl_phone_valid("1+23"), -1);	/* + only first */
	assert_int_equal(sl_phone_valid("++123"), -1);
	assert_int_equal(sl_phone_valid("123 ext 4"), -1);
	assert_int_equal(sl_phone_valid("123\n"), -1);
	assert_int_equal(sl_phone_valid("12#3"), -1);
	assert_int_equal(sl_phone_valid("\xd9\xa1\xd9\xa2\xd9\xa3"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_id),
		cmocka_unit_test(test_label_normalize),
		cmocka_unit_test(test_label_split),
		cmocka_unit_test(test_label_range),
		cmocka_unit_test(test_text_valid),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_phone),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
