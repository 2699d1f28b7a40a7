/*
 * unit_sbuf.c - the library's one string builder: growth past its first
 * allocation, formatted text, PostgreSQL array literals, and handing the
 * string over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sl_sbuf.h"

static void
test_grows(void **state)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 3000; i++)
		sl_sbuf_printf(&b, "%04d;", i);
	assert_false(sl_sbuf_failed(&b));
	assert_int_equal(b.len, 3000 * 5);
	assert_int_equal(strlen(b.s), b.len);
	assert_memory_equal(b.s, "0000;0001;", 10);
	assert_string_equal(b.s + b.len - 5, "2999;");
	s = sl_sbuf_take(&b);
	assert_non_null(s);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	free(s);
}

static void
test_bytes_and_strings(void **state)
{
	struct sl_sbuf b = SL_SBUF_INIT;

	(void)state;
	sl_sbuf_add(&b, "abcdef", 3);
	sl_sbuf_puts(&b, "-xyz");
	assert_string_equal(b.s, "abc-xyz");
	sl_sbuf_free(&b);
	assert_null(b.s);
	sl_sbuf_free(NULL);
}

static void
test_array_literal(void **state)
{
	struct sl_sbuf b = SL_SBUF_INIT;

	(void)state;
	sl_sbuf_add(&b, "{", 1);
	sl_sbuf_array_elem(&b, "A1");
	sl_sbuf_array_null(&b);
	sl_sbuf_array_elem(&b, "say \"hi\" \\ there");
	sl_sbuf_add(&b, "}", 1);
	assert_string_equal(b.s, "{\"A1\",NULL,\"say \\\"hi\\\" \\\\ there\"}");
	sl_sbuf_free(&b);

	sl_sbuf_add(&b, "{", 1);
	sl_sbuf_array_null(&b);
	sl_sbuf_add(&b, "}", 1);
	assert_string_equal(b.s, "{NULL}");
	sl_sbuf_free(&b);
}

/* sl_sbuf_ids: plain ids, ids inside structs, none. */
static void
test_ids(void **state)
{
	static const int64_t ids[] = { 1, 42, INT64_MAX };
	static const struct { int64_t id; char pad[5]; } rows[] = {
		{ 7, "" }, { 8, "" } };
	char *s;

	(void)state;
	s = sl_sbuf_ids(ids, 3, sizeof ids[0]);
	assert_string_equal(s, "{1,42,9223372036854775807}");
	free(s);
	s = sl_sbuf_ids(&rows[0].id, 2, sizeof rows[0]);
	assert_string_equal(s, "{7,8}");
	free(s);
	s = sl_sbuf_ids(ids, 0, sizeof ids[0]);
	assert_string_equal(s, "{}");
	free(s);
}

static void
test_take_empty(void **state)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	char *s;

	(void)state;
	s = sl_sbuf_take(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_bytes_and_strings),
		cmocka_unit_test(test_array_literal),
		cmocka_unit_test(test_take_empty),
		cmocka_unit_test(test_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
