/*
 * unit_err.c - the one SQLSTATE classifier and the exit codes of the
 * command line (DESIGN.md: 0 done, 1 database or internal error, 2 bad
 * usage or input, 3 conflict, 4 not found).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sl_err.h"

struct state_case {
	const char	*sqlstate;
	enum sl_rc	 rc;
};

static const struct state_case cases[] = {
	/* retry: serialization failure, deadlock */
	{ "40001", SL_ERETRY },
	{ "40P01", SL_ERETRY },
	/* busy: lock_not_available (lock_timeout), query_canceled
	 * (statement_timeout) */
	{ "55P03", SL_EBUSY },
	{ "57014", SL_EBUSY },
	/* conflict: unique violation, our "seat not available" */
	{ "23505", SL_ECONFLICT },
	{ "SL409", SL_ECONFLICT },
	/* ours */
	{ "SL404", SL_ENOTFOUND },
	{ "SL400", SL_EINVAL },
	/* class 22, data exceptions: the input did not fit */
	{ "22000", SL_EINVAL },
	{ "22001", SL_EINVAL },	/* string_data_right_truncation */
	{ "22003", SL_EINVAL },	/* numeric_value_out_of_range */
	{ "22007", SL_EINVAL },	/* invalid_datetime_format */
	{ "22008", SL_EINVAL },	/* datetime_field_overflow */
	{ "22021", SL_EINVAL },	/* character_not_in_repertoire */
	{ "22P02", SL_EINVAL },	/* invalid_text_representation */
	/* class 23 other than unique: constraint violations */
	{ "23000", SL_EINVAL },
	{ "23502", SL_EINVAL },	/* not_null_violation */
	{ "23503", SL_EINVAL },	/* foreign_key_violation */
	{ "23514", SL_EINVAL },	/* check_violation */
	{ "23P01", SL_EINVAL },	/* exclusion_violation */
	/* class 08 and shutdowns: connection lost */
	{ "08000", SL_ECONN },
	{ "08001", SL_ECONN },
	{ "08003", SL_ECONN },
	{ "08006", SL_ECONN },
	{ "08P01", SL_ECONN },
	{ "57P01", SL_ECONN },	/* admin_shutdown */
	{ "57P02", SL_ECONN },	/* crash_shutdown */
	{ "57P03", SL_ECONN },	/* cannot_connect_now */
	/* everything else is a database error */
	{ "57P04", SL_EDB },	/* database_dropped */
	{ "42P01", SL_EDB },	/* undefined_table */
	{ "42883", SL_EDB },	/* undefined_function */
	{ "42501", SL_EDB },	/* insufficient_privilege */
	{ "53300", SL_EDB },	/* too_many_connections */
	{ "XX000", SL_EDB },	/* internal_error */
	{ "XX001", SL_EDB },	/* data_corrupted */
	{ "P0001", SL_EDB },	/* raise_exception */
	{ "40002", SL_EDB },	/* transaction_integrity_constraint_violation */
	{ "55000", SL_EDB },	/* object_not_in_prerequisite_state */
	{ "55006", SL_EDB },	/* object_in_use */
	{ "SL000", SL_EDB },	/* ours, but not one we use */
	{ "00000", SL_EDB },
	/* malformed */
	{ "", SL_EDB },
	{ "4000", SL_EDB },
	{ "400010", SL_EDB },
	{ "40P0", SL_EDB },
	{ "23", SL_EDB },
	{ "2350", SL_EDB },
};

static void
test_sqlstates(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum sl_rc rc = sl_rc_from_sqlstate(cases[i].sqlstate);

		if (rc != cases[i].rc)
			fail_msg("SQLSTATE \"%s\" is %s, not %s",
			    cases[i].sqlstate, sl_rc_name(rc),
			    sl_rc_name(cases[i].rc));
	}
	assert_int_equal(sl_rc_from_sqlstate(NULL), SL_EDB);
}

static void
test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(sl_rc_exit_code(SL_OK), 0);
	assert_int_equal(sl_rc_exit_code(SL_ENOMEM), 1);
	assert_int_equal(sl_rc_exit_code(SL_ECONN), 1);
	assert_int_equal(sl_rc_exit_code(SL_EDB), 1);
	assert_int_equal(sl_rc_exit_code(SL_EIO), 1);
	/* a retry that ran out of attempts is an error, not a conflict */
	assert_int_equal(sl_rc_exit_code(SL_ERETRY), 1);
	assert_int_equal(sl_rc_exit_code(SL_EINVAL), 2);
	assert_int_equal(sl_rc_exit_code(SL_ECONFIG), 2);
	assert_int_equal(sl_rc_exit_code(SL_ECONFLICT), 3);
	/* a seat busy at another terminal is "not available now" */
	assert_int_equal(sl_rc_exit_code(SL_EBUSY), 3);
	assert_int_equal(sl_rc_exit_code(SL_ENOTFOUND), 4);
	/* a value outside the enum (memory damage) is an internal error */
	assert_int_equal(sl_rc_exit_code((enum sl_rc)99), 1);
}

static void
test_names(void **state)
{
	int rc;

	(void)state;
	for (rc = SL_OK; rc <= SL_EIO; rc++) {
		const char *n = sl_rc_name((enum sl_rc)rc);

		assert_non_null(n);
		if (strcmp(n, "unknown") == 0)
			fail_msg("rc %d has no name", rc);
	}
	assert_string_equal(sl_rc_name(SL_ECONFLICT), "conflict");
	assert_string_equal(sl_rc_name(SL_ENOTFOUND), "not found");
	assert_string_equal(sl_rc_name((enum sl_rc)99), "unknown");
}

static void
test_err_set(void **state)
{
	struct sl_err e;

	(void)state;
	memset(&e, 'x', sizeof e);
	assert_int_equal(sl_err_set(&e, SL_ENOTFOUND, "show %d not found", 7),
	    SL_ENOTFOUND);
	assert_int_equal(e.rc, SL_ENOTFOUND);
	assert_string_equal(e.msg, "show 7 not found");
	assert_string_equal(e.sqlstate, "");
	assert_string_equal(e.detail, "");
	/* NULL is allowed and still returns the code */
	assert_int_equal(sl_err_set(NULL, SL_EBUSY, "x"), SL_EBUSY);
	sl_err_clear(&e);
	assert_int_equal(e.rc, SL_OK);
	assert_string_equal(e.msg, "");
	sl_err_clear(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlstates),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_err_set),
	};

	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
