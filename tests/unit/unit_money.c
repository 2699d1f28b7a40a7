/*
 * unit_money.c - amounts of money (core/sl_money.c): what a person may
 * type, what is refused and why, and how cents are written.  No database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sl_money.h"
#include "sl_parse.h"

static void
money_ok(const char *s, int64_t want)
{
	struct sl_err e;
	int64_t c = -1;

	sl_err_clear(&e);
	if (sl_money_parse(s, "price", &c, &e) != SL_OK)
		fail_msg("\"%s\" refused: %s", s, e.msg);
	if (c != want)
		fail_msg("\"%s\" read as %lld", s, (long long)c);
}

/* s is refused, leaves the amount alone and says why (the message holds
 * because). */
static void
money_bad(const char *s, const char *because)
{
	struct sl_err e;
	int64_t c = 7;

	sl_err_clear(&e);
	if (sl_money_parse(s, "price", &c, &e) != SL_EINVAL)
		fail_msg("\"%s\" accepted as %lld", s ? s : "NULL",
		    (long long)c);
	assert_int_equal(c, 7);
	assert_int_equal(e.rc, SL_EINVAL);
	if (strstr(e.msg, because) == NULL)
		fail_msg("\"%s\": message \"%s\" does not say \"%s\"",
		    s ? s : "NULL", e.msg, because);
}

static void
test_accepted(void **state)
{
	(void)state;
	money_ok("12.50", 1250);
	money_ok("12", 1200);
	money_ok("12.5", 1250);
	money_ok("0.5", 50);
	money_ok("0.10", 10);
	money_ok("0.01", 1);
	money_ok("0", 0);
	money_ok("0.00", 0);
	money_ok("007", 700);
	money_ok("10000.00", 1000000);
	money_ok("99999999.99", 9999999999LL);
	money_ok("100000000", SL_MONEY_MAX);
	money_ok("100000000.00", SL_MONEY_MAX);
}

static void
test_refused(void **state)
{
	(void)state;
	money_bad(NULL, "missing");
	money_bad("", "missing");
	money_bad("-5.00", "negative");
	money_bad("-5", "negative");
	money_bad("-0", "negative");
	money_bad("1.234", "more than 2 decimals");
	money_bad("0.001", "more than 2 decimals");
	money_bad("100000000.01", "more than 100000000.00");
	money_bad("100000001", "more than 100000000.00");
	money_bad("99999999999999999999", "more than 100000000.00");
	money_bad("99999999999999999999999999999999.99", "more than");
	money_bad("1.", "not an amount");
	money_bad(".5", "not an amount");
	money_bad("1,50", "not an amount");
	money_bad(" 1", "not an amount");
	money_bad("1 ", "not an amount");
	money_bad("+1", "not an amount");
	money_bad("1e3", "not an amount");
	money_bad("12.50 EUR", "not an amount");
	money_bad("0x10", "not an amount");
	money_bad("1.2.3", "not an amount");
	money_bad("-", "not an amount");
	money_bad("--5", "not an amount");
	money_bad("nan", "not an amount");
	money_bad("\xe2\x82\xac" "5", "not an amount");
}

static void
test_message_names_the_amount(void **state)
{
	struct sl_err e;
	int64_t c;

	(void)state;
	sl_err_clear(&e);
	assert_int_equal(sl_money_parse("-1", "float", &c, &e), SL_EINVAL);
	assert_string_equal(e.msg,
	    "the float \"-1\" is negative: an amount is 0 or more");
	assert_int_equal(sl_money_parse("x", NULL, &c, &e), SL_EINVAL);
	assert_non_null(strstr(e.msg, "the amount \"x\""));
	/* No error structure: the answer alone. */
	assert_int_equal(sl_money_parse("x", NULL, &c, NULL), SL_EINVAL);
}

static void
test_format(void **state)
{
	char buf[SL_MONEY_BUF];

	(void)state;
	sl_money_format(1250, "EUR", buf, sizeof buf);
	assert_string_equal(buf, "12.50 EUR");
	sl_money_format(5, "USD", buf, sizeof buf);
	assert_string_equal(buf, "0.05 USD");
	sl_money_format(-250, "EUR", buf, sizeof buf);
	assert_string_equal(buf, "-2.50 EUR");
	sl_money_format(100, NULL, buf, sizeof buf);
	assert_string_equal(buf, "1.00");
	sl_money_format(0, NULL, buf, sizeof buf);
	assert_string_equal(buf, "0.00");
	sl_money_format(SL_MONEY_MAX, NULL, buf, sizeof buf);
	assert_string_equal(buf, "100000000.00");
	sl_money_format(INT64_MIN, "EUR", buf, sizeof buf);
	assert_string_equal(buf, "-92233720368547758.08 EUR");
	sl_money_format(INT64_MAX, "EUR", buf, sizeof buf);
	assert_string_equal(buf, "92233720368547758.07 EUR");
}

/* What is written reads back as the same cents. */
static void
test_round_trip(void **state)
{
	static const int64_t v[] = { 0, 1, 9, 10, 99, 100, 101, 1250, 4550,
		999999, 9999999999LL, SL_MONEY_MAX };
	char buf[SL_MONEY_BUF];
	struct sl_err e;
	int64_t c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		sl_money_format(v[i], NULL, buf, sizeof buf);
		assert_int_equal(sl_money_parse(buf, NULL, &c, &e), SL_OK);
		assert_int_equal(c, v[i]);
	}
}

static void
test_price_code(void **state)
{
	char c[SL_PRICE_CODE_MAX + 1] = "x";

	(void)state;
	assert_int_equal(sl_price_code_normalize("Adult", c), 0);
	assert_string_equal(c, "adult");
	assert_int_equal(sl_price_code_normalize("u18_half-price", c), 0);
	assert_string_equal(c, "u18_half-price");
	assert_int_equal(sl_price_code_normalize("", c), -1);
	assert_int_equal(sl_price_code_normalize("a b", c), -1);
	assert_int_equal(sl_price_code_normalize("adult:1", c), -1);
	assert_int_equal(sl_price_code_normalize(
	    "abcdefghijklmnopqrstuvwxyz0123456", c), -1);
	assert_int_equal(sl_price_code_normalize("\xc3\xa9t\xc3\xa9", c), -1);
	assert_int_equal(sl_price_code_normalize(NULL, c), -1);
	assert_string_equal(c, "u18_half-price");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_message_names_the_amount),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_price_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
