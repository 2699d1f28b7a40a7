/*
 * unit_listen_dsn.c - which connection string the listener uses:
 * $SEATLOCK_LISTEN_DSN, else $SEATLOCK_DSN (the environment moves the
 * listener with the bookings), else database.listen_dsn, else
 * database.dsn; and database.listen_dsn read from a file.
 */
#include <sys/stat.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_config.h"

static void
clear_env(void)
{
	unsetenv("SEATLOCK_DSN");
	unsetenv("SEATLOCK_LISTEN_DSN");
}

static void
test_precedence(void **state)
{
	struct sl_config c;

	(void)state;
	clear_env();
	sl_config_defaults(&c);
	/* Nothing set: libpq defaults for both. */
	assert_string_equal(sl_config_dsn(&c), "");
	assert_string_equal(sl_config_listen_dsn(&c), "");
	/* database.dsn alone: the listener follows it. */
	snprintf(c.dsn, sizeof c.dsn, "host=pool");
	assert_string_equal(sl_config_listen_dsn(&c), "host=pool");
	/* database.listen_dsn: the listener goes there, bookings do not. */
	snprintf(c.listen_dsn, sizeof c.listen_dsn, "host=db");
	assert_string_equal(sl_config_dsn(&c), "host=pool");
	assert_string_equal(sl_config_listen_dsn(&c), "host=db");
	/* $SEATLOCK_DSN moves both: the file's listen DSN belongs to the
	 * file's database. */
	setenv("SEATLOCK_DSN", "host=elsewhere", 1);
	assert_string_equal(sl_config_dsn(&c), "host=elsewhere");
	assert_string_equal(sl_config_listen_dsn(&c), "host=elsewhere");
	/* $SEATLOCK_LISTEN_DSN beats everything for the listener only. */
	setenv("SEATLOCK_LISTEN_DSN", "host=direct", 1);
	assert_string_equal(sl_config_dsn(&c), "host=elsewhere");
	assert_string_equal(sl_config_listen_dsn(&c), "host=direct");
	/* Empty variables count as unset. */
	setenv("SEATLOCK_DSN", "", 1);
	setenv("SEATLOCK_LISTEN_DSN", "", 1);
	assert_string_equal(sl_config_dsn(&c), "host=pool");
	assert_string_equal(sl_config_listen_dsn(&c), "host=db");
	clear_env();
}

static void
test_from_file(void **state)
{
	char dir[] = "/tmp/sl-listen-dsn.XXXXXX", path[PATH_MAX];
	struct sl_config c;
	struct sl_err e;
	FILE *f;

	(void)state;
	clear_env();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/seatlock.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("database = {\n"
	    "  dsn = \"host=pgbouncer port=6432 dbname=seatlock\";\n"
	    "  listen_dsn = \"host=db port=5432 dbname=seatlock\";\n"
	    "};\n", f);
	fclose(f);
	chmod(path, 0600);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_OK);
	assert_string_equal(sl_config_dsn(&c),
	    "host=pgbouncer port=6432 dbname=seatlock");
	assert_string_equal(sl_config_listen_dsn(&c),
	    "host=db port=5432 dbname=seatlock");
	/* A string like every DSN: a number is refused with the line. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("database = {\n  listen_dsn = 5432;\n};\n", f);
	fclose(f);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, ":2:"));
	assert_non_null(strstr(e.msg, "database.listen_dsn"));
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_from_file),
	};

	return cmocka_run_group_tests_name("listen_dsn", tests, NULL, NULL);
}
