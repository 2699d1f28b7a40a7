/*
 * unit_depth.c - the pure functions of the box-office depth work: zone
 * codes, dates, customer search patterns, the new configuration keys,
 * zones in layouts (money: unit_money.c).  No database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_config.h"
#include "sl_customer.h"
#include "sl_layout.h"
#include "sl_report.h"
#include "sl_zone.h"

static void
test_zone_code(void **state)
{
	char z[SL_ZONE_MAX + 1] = "x";

	(void)state;
	assert_int_equal(sl_zone_code_normalize("stalls_a-1", z), 0);
	assert_string_equal(z, "STALLS_A-1");
	assert_int_equal(sl_zone_code_normalize("A", z), 0);
	assert_int_equal(sl_zone_code_normalize("", z), -1);
	assert_int_equal(sl_zone_code_normalize("A B", z), -1);
	assert_int_equal(sl_zone_code_normalize("Zoné", z), -1);
	assert_int_equal(
	    sl_zone_code_normalize("123456789012345678901234567890123", z), -1);
	assert_string_equal(z, "A");
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(sl_report_date_valid("2026-12-05"), 0);
	assert_int_equal(sl_report_date_valid("2024-02-29"), 0);
	assert_int_equal(sl_report_date_valid("2000-02-29"), 0);
	assert_int_equal(sl_report_date_valid("1900-02-29"), -1);
	assert_int_equal(sl_report_date_valid("2026-02-29"), -1);
	assert_int_equal(sl_report_date_valid("2026-13-01"), -1);
	assert_int_equal(sl_report_date_valid("2026-04-31"), -1);
	assert_int_equal(sl_report_date_valid("2026-1-01"), -1);
	assert_int_equal(sl_report_date_valid("2026-01-01x"), -1);
	assert_int_equal(sl_report_date_valid("today"), -1);
	assert_int_equal(sl_report_date_valid(NULL), -1);
}

static void
test_search_patterns(void **state)
{
	char like[64], digits[64];

	(void)state;
	sl_customer_patterns("Lov", like, sizeof like, digits, sizeof digits);
	assert_string_equal(like, "Lov%");
	assert_string_equal(digits, "");
	/* LIKE's own characters are escaped: "%" finds a "%", not all. */
	sl_customer_patterns("50%_x\\", like, sizeof like, digits,
	    sizeof digits);
	assert_string_equal(like, "50\\%\\_x\\\\%");
	assert_string_equal(digits, "");
	sl_customer_patterns("+44 (0)20 79", like, sizeof like, digits,
	    sizeof digits);
	assert_string_equal(digits, "4402079%");
	sl_customer_patterns("ada@example", like, sizeof like, digits,
	    sizeof digits);
	assert_string_equal(like, "ada@example%");
	assert_string_equal(digits, "");
}

static const char *
write_conf(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/tmp/unit_depth_%d.conf", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);
	return path;
}

static void
test_config_keys(void **state)
{
	struct sl_config c;
	struct sl_err e;
	const char *p;

	(void)state;
	sl_config_defaults(&c);
	assert_string_equal(c.currency, "EUR");
	assert_int_equal(c.hold_minutes, 10);
	p = write_conf(
	    "booking = { currency = \"USD\"; hold_minutes = 5; };\n");
	assert_int_equal(sl_config_load_file(&c, p, &e), SL_OK);
	assert_string_equal(c.currency, "USD");
	assert_int_equal(c.hold_minutes, 5);
	p = write_conf("booking = {\n currency = \"usd\";\n};\n");
	assert_int_equal(sl_config_load_file(&c, p, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, ":2:"));
	p = write_conf("booking = { currency = \"EURO\"; };\n");
	assert_int_equal(sl_config_load_file(&c, p, &e), SL_ECONFIG);
	p = write_conf("booking = { hold_minutes = 0; };\n");
	assert_int_equal(sl_config_load_file(&c, p, &e), SL_ECONFIG);
	p = write_conf("booking = { hold_minutes = 4294967306; };\n");
	assert_int_equal(sl_config_load_file(&c, p, &e), SL_ECONFIG);
	assert_string_equal(c.currency, "USD");
	unlink(p);
}

static void
test_layout_zones(void **state)
{
	struct sl_layout *l;
	struct sl_err e;
	size_t i;

	(void)state;
	assert_int_equal(
	    sl_layout_parse("venue = { name = \"Z\"; sections = ("
	                    "{ name = \"S\"; zone = \"b\"; rows = (\n"
	                    "{ row = \"A\"; seats = \"1-2\"; zone = \"A\"; },\n"
	                    "{ row = \"B\"; seats = \"1-2\"; } ); },\n"
	                    "{ name = \"T\"; prefix = \"T\"; y = 5; rows = (\n"
	                    "{ row = \"A\"; seats = \"1\"; } ); } ); };",
	        "z", &l, &e),
	    SL_OK);
	assert_int_equal(l->n, 5);
	assert_int_equal(l->nzones, 2);
	for (i = 0; i < l->n; i++) {
		const char *want = strcmp(l->seat[i].label, "TA1") == 0 ? NULL
		    : l->seat[i].row[0] == 'A'                          ? "A"
		                                                        : "B";

		if (want == NULL)
			assert_int_equal(l->seat[i].zone, 0);
		else
			assert_string_equal(l->zone[l->seat[i].zone - 1], want);
	}
	sl_layout_free(l);
	assert_int_equal(
	    sl_layout_parse(
	        "venue = { name = \"Z\"; sections = ("
	        "{ name = \"S\"; rows = (\n"
	        "{ row = \"A\"; seats = \"1-2\"; zone = \"A B\"; } ); } ); };",
	        "bad.venue", &l, &e),
	    SL_EINVAL);
	assert_non_null(strstr(e.msg, "bad.venue:2:"));
	assert_int_equal(
	    sl_layout_parse("venue = { name = \"Z\"; sections = ("
	                    "{ name = \"S\"; zone = 7; rows = (\n"
	                    "{ row = \"A\"; seats = \"1-2\"; } ); } ); };",
	        "bad.venue", &l, &e),
	    SL_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_code),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_search_patterns),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test(test_layout_zones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
