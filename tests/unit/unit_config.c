/*
 * unit_config.c - the configuration file: defaults, every key, refusals
 * with file:line, the libconfig 1.5 traps (32-bit wrap-around, @include),
 * file permissions, the lookup order and the integer literal parser.
 *
 * Every file is written to a directory made with mkdtemp and removed again.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
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

static char tmpdir[PATH_MAX];
static char origdir[PATH_MAX];

/* Removes path and everything below it (no symbolic links followed). */
static int
rm_tree(const char *path)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	char sub[PATH_MAX];
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, d->d_name);
		if (rm_tree(sub) != 0)
			rc = -1;
	}
	closedir(dir);
	return rmdir(path) != 0 ? -1 : rc;
}

static int
group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/slconf.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	if (getcwd(origdir, sizeof origdir) == NULL)
		return -1;
	/* No developer's settings may leak into these tests. */
	unsetenv("SEATLOCK_CONFIG");
	unsetenv("SEATLOCK_DSN");
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (chdir(origdir) != 0)
		return -1;
	return rm_tree(tmpdir);
}

/* Writes body to tmpdir/name with mode; returns the path (static). */
static const char *
write_file(const char *name, const char *body, mode_t mode)
{
	static char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(body, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	/* chmod, not the umask: the mode is what is under test. */
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static const char *
conf(const char *body)
{
	return write_file("t.conf", body, 0600);
}

/* A config whose fields are all set to garbage, to see that a refused
 * file leaves it alone. */
static void
poison(struct sl_config *c)
{
	memset(c, 0x5a, sizeof *c);
	c->dsn[0] = 'Z';
	c->dsn[1] = '\0';
}

static void
assert_poisoned(const struct sl_config *c)
{
	struct sl_config p;

	poison(&p);
	assert_memory_equal(c, &p, sizeof p);
}

/*
 * Loads body and expects SL_ECONFIG with "path:line:" and fragment in the
 * message, and the config untouched.
 */
static void
refused_at(const char *body, int line, const char *fragment)
{
	struct sl_config c;
	struct sl_err e;
	const char *path = conf(body);
	char where[PATH_MAX + 80];

	poison(&c);
	sl_err_clear(&e);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);
	assert_int_equal(e.rc, SL_ECONFIG);
	snprintf(where, sizeof where, "%s:%d:", path, line);
	if (strstr(e.msg, where) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", where, e.msg);
	if (fragment != NULL && strstr(e.msg, fragment) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", fragment, e.msg);
	assert_poisoned(&c);
}

static void
loads(const char *body, struct sl_config *c)
{
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_config_load_file(c, conf(body), &e) != SL_OK)
		fail_msg("refused: %s", e.msg);
}

static void
test_defaults(void **state)
{
	struct sl_config c;

	(void)state;
	poison(&c);
	sl_config_defaults(&c);
	assert_int_equal(c.lock_timeout_ms, 2000);
	assert_int_equal(c.statement_timeout_ms, 10000);
	assert_int_equal(c.connect_timeout_s, 5);
	assert_int_equal(c.retries, 5);
	assert_string_equal(c.dsn, "");
	assert_string_equal(c.terminal, "");
	assert_string_equal(c.log_file, "");
	assert_string_equal(c.path, "");

	/* An empty file and a file of comments are the defaults too. */
	poison(&c);
	loads("", &c);
	assert_int_equal(c.lock_timeout_ms, 2000);
	assert_int_equal(c.retries, 5);
	assert_string_equal(c.dsn, "");
	loads("# nothing\n// nothing\n/* nothing */\n", &c);
	assert_int_equal(c.statement_timeout_ms, 10000);
}

/* The connection keys of issue 5: reconnecting and TCP keepalives. */
static void
test_resilience_keys(void **state)
{
	struct sl_config c;

	(void)state;
	sl_config_defaults(&c);
	assert_int_equal(c.reconnect_timeout_s, 10);
	assert_int_equal(c.keepalives_idle_s, 5);
	assert_int_equal(c.keepalives_interval_s, 2);
	assert_int_equal(c.keepalives_count, 3);
	assert_int_equal(c.tcp_user_timeout_ms, 10000);
	loads("database = { reconnect_timeout_s = 0; keepalives_idle_s = 1;\n"
	    "  keepalives_interval_s = 600; keepalives_count = 100;\n"
	    "  tcp_user_timeout_ms = 0; };\n", &c);
	assert_int_equal(c.reconnect_timeout_s, 0);
	assert_int_equal(c.keepalives_idle_s, 1);
	assert_int_equal(c.keepalives_interval_s, 600);
	assert_int_equal(c.keepalives_count, 100);
	assert_int_equal(c.tcp_user_timeout_ms, 0);
	refused_at("database = { reconnect_timeout_s = 601; };\n", 1,
	    "out of range");
	refused_at("database = { keepalives_idle_s = 0; };\n", 1,
	    "out of range");
	refused_at("database = { keepalives_count = 0; };\n", 1,
	    "out of range");
	refused_at("database = {\n tcp_user_timeout_ms = -1;\n};\n", 2,
	    "out of range");
	refused_at("database = { tcp_user_timeout_ms = 4294977296; };\n", 1,
	    "");
}

static void
test_every_key(void **state)
{
	struct sl_config c;
	const char *path;
	struct sl_err e;

	(void)state;
	path = conf("# every setting\n"
	    "database = {\n"
	    "  dsn = \"host=/run/pg dbname=box\";\n"
	    "  lock_timeout_ms = 1500;\n"
	    "  statement_timeout_ms = 30000;\n"
	    "  connect_timeout_s = 7;\n"
	    "};\n"
	    "booking: { retries = 9; };\n"
	    "terminal = { name = \"Kiosk 3 \xc3\xa9\"; };\n"
	    "log = { file = \"/var/log/seatlock.log\"; };\n");
	sl_err_clear(&e);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_OK);
	assert_string_equal(c.dsn, "host=/run/pg dbname=box");
	assert_int_equal(c.lock_timeout_ms, 1500);
	assert_int_equal(c.statement_timeout_ms, 30000);
	assert_int_equal(c.connect_timeout_s, 7);
	assert_int_equal(c.retries, 9);
	assert_string_equal(c.terminal, "Kiosk 3 \xc3\xa9");
	assert_string_equal(c.log_file, "/var/log/seatlock.log");
	assert_string_equal(c.path, path);

	/* One key alone: the others keep their defaults. */
	loads("booking = { retries = 0; };\n", &c);
	assert_int_equal(c.retries, 0);
	assert_int_equal(c.lock_timeout_ms, 2000);
	assert_string_equal(c.dsn, "");

	/* Range edges are allowed. */
	loads("database = { lock_timeout_ms = 1; statement_timeout_ms = "
	    "3600000; connect_timeout_s = 600; };\n"
	    "booking = { retries = 100; };\n", &c);
	assert_int_equal(c.lock_timeout_ms, 1);
	assert_int_equal(c.statement_timeout_ms, 3600000);
	assert_int_equal(c.connect_timeout_s, 600);
	assert_int_equal(c.retries, 100);
	loads("database = { lock_timeout_ms = 600000; connect_timeout_s = 1;"
	    " statement_timeout_ms = 1; };\n", &c);
	assert_int_equal(c.lock_timeout_ms, 600000);
	assert_int_equal(c.connect_timeout_s, 1);

	/* The literal forms libconfig reads faithfully. */
	loads("database = { lock_timeout_ms = 5000L; };\n", &c);
	assert_int_equal(c.lock_timeout_ms, 5000);
	loads("database = { lock_timeout_ms = 0x1F4; };\n", &c);
	assert_int_equal(c.lock_timeout_ms, 500);
	loads("database = { lock_timeout_ms = +250; };\n", &c);
	assert_int_equal(c.lock_timeout_ms, 250);
}

static void
test_wrong_types(void **state)
{
	(void)state;
	refused_at("database = {\n  lock_timeout_ms = \"2000\";\n};\n", 2,
	    "must be an integer");
	refused_at("database = {\n\n  lock_timeout_ms = 2.5;\n};\n", 3,
	    "must be an integer");
	refused_at("booking = { retries = true; };\n", 1,
	    "must be an integer");
	refused_at("booking = { retries = [1, 2]; };\n", 1,
	    "must be an integer");
	refused_at("\ndatabase = { dsn = 5; };\n", 2, "must be a string");
	refused_at("terminal = {\n name = ( \"a\" );\n};\n", 2,
	    "must be a string");
	refused_at("log = { file = false; };\n", 1, "must be a string");
	/* A known group name that is not a group. */
	refused_at("\n\ndatabase = 5;\n", 3, "unknown setting");
	refused_at("database = ( 1, 2 );\n", 1, "unknown setting");
}

static void
test_unknown(void **state)
{
	(void)state;
	refused_at("database = { lock_timeout_ms = 100; };\n"
	    "colours = { background = \"blue\"; };\n", 2,
	    "unknown setting \"colours\"");
	refused_at("database = {\n  lock_timeout_ms = 100;\n  port = 5432;\n"
	    "};\n", 3, "unknown setting \"database.port\"");
	/* A key of another group is unknown in this one. */
	refused_at("booking = {\n  lock_timeout_ms = 100;\n};\n", 2,
	    "booking.lock_timeout_ms");
	/* A bare setting at the top. */
	refused_at("# top\nlock_timeout_ms = 100;\n", 2, "unknown setting");
}

static void
test_wrap_around(void **state)
{
	(void)state;
	/* libconfig 1.5 reads each of these as a small in-range number. */
	refused_at("database = {\n  lock_timeout_ms = 4294967297;\n};\n", 2,
	    "lock_timeout_ms");
	refused_at("# the DESIGN.md example\n"
	    "database = { connect_timeout_s = 5; };\n"
	    "booking = {\n"
	    "  retries = 4294967301;\n"
	    "};\n", 4, "retries");
	refused_at("database = {\n\n\n  statement_timeout_ms = 4294972728;\n"
	    "};\n", 4, "statement_timeout_ms");
	refused_at("database = { lock_timeout_ms = 0x100000001; };\n", 1,
	    "lock_timeout_ms");
	refused_at("database = { lock_timeout_ms = 0x1000007D0; };\n", 1,
	    "lock_timeout_ms");
	/* 2^31 reads as -2^31, 0xffffffff as -1: refused, not "negative". */
	refused_at("database = { lock_timeout_ms = 2147483648; };\n", 1,
	    "lock_timeout_ms");
	refused_at("booking = { retries = 0xffffffff; };\n", 1, "retries");
	/* Beyond 64 bits as well. */
	refused_at("booking = { retries = 18446744073709551621; };\n", 1,
	    "retries");
	refused_at("booking = { retries = 99999999999999999999L; };\n", 1,
	    "retries");
	/* A negative wrap: -4294967291 reads as 5. */
	refused_at("booking = { retries = -4294967291; };\n", 1, "retries");
}

/*
 * The wrap check compares libconfig's value with the literal in the source
 * line.  Text that only looks like the setting - inside a string or a
 * comment on the same line - must not stand in for the literal.
 */
static void
test_wrap_around_decoys(void **state)
{
	(void)state;
	refused_at("database = {\n"
	    "  dsn = \"lock_timeout_ms = 1\"; lock_timeout_ms = 4294967297;\n"
	    "};\n", 2, "lock_timeout_ms");
	refused_at("database = {\n"
	    "  /* lock_timeout_ms = 1 */ lock_timeout_ms = 4294967297;\n"
	    "};\n", 2, "lock_timeout_ms");
	refused_at("database = {\n"
	    "  /* a comment\n"
	    "     lock_timeout_ms = 1 */ lock_timeout_ms = 4294967297;\n"
	    "};\n", 3, "lock_timeout_ms");
}

static void
test_out_of_range(void **state)
{
	(void)state;
	refused_at("database = { lock_timeout_ms = 0; };\n", 1,
	    "out of range (1 to 600000)");
	refused_at("database = {\n lock_timeout_ms = 600001;\n};\n", 2,
	    "out of range");
	refused_at("database = { statement_timeout_ms = 3600001; };\n", 1,
	    "out of range");
	refused_at("database = { connect_timeout_s = 601; };\n", 1,
	    "out of range");
	refused_at("database = { connect_timeout_s = 0; };\n", 1,
	    "out of range");
	refused_at("booking = { retries = 101; };\n", 1, "out of range");
	refused_at("booking = { retries = 9223372036854775807L; };\n", 1,
	    "out of range");
	/* With L, libconfig reads 64 bits faithfully: plain out of range. */
	refused_at("database = { lock_timeout_ms = 0x100000001L; };\n", 1,
	    "out of range");
}

static void
test_negative(void **state)
{
	(void)state;
	refused_at("booking = { retries = -1; };\n", 1, "out of range");
	refused_at("database = {\n  lock_timeout_ms = -5;\n};\n", 2,
	    "out of range");
	refused_at("database = { connect_timeout_s = -2147483648; };\n", 1,
	    "out of range");
	refused_at("database = { statement_timeout_ms = -9223372036854775808L;"
	    " };\n", 1, "out of range");
}

static void
test_strings(void **state)
{
	char *big;
	size_t n = 2000;

	(void)state;
	big = malloc(n + 64);
	assert_non_null(big);
	snprintf(big, n + 64, "database = {\n  dsn = \"%0*d\";\n};\n",
	    (int)n, 0);
	refused_at(big, 2, "too long");
	free(big);
	refused_at("terminal = {\n  name = \"a\\nb\";\n};\n", 2,
	    "control character");
	refused_at("log = { file = \"x\\x1by\"; };\n", 1, "control character");
}

static void
test_include_refused(void **state)
{
	const char *inc;

	(void)state;
	inc = write_file("inc.conf", "booking = { retries = 3; };\n", 0600);
	(void)inc;
	refused_at("# includes another file\n\n@include \"inc.conf\"\n", 3,
	    "@include");
	refused_at("database = { lock_timeout_ms = 10; };\n"
	    "   @include \"/etc/passwd\"\n", 2, "@include");
}

static void
test_permissions(void **state)
{
	struct sl_config c;
	struct sl_err e;
	const char *path;
	const char *body = "booking = { retries = 3; };\n";

	(void)state;
	path = write_file("w.conf", body, 0602);
	poison(&c);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "writable"));
	assert_poisoned(&c);

	path = write_file("w.conf", body, 0620);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, "writable"));

	path = write_file("w.conf", body, 0666);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);

	/* Readable by all is fine; only writing matters. */
	path = write_file("w.conf", body, 0644);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_OK);
	assert_int_equal(c.retries, 3);
	path = write_file("w.conf", body, 0400);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_OK);
}

static void
test_syntax_error(void **state)
{
	(void)state;
	refused_at("database = {\n  lock_timeout_ms = ;\n};\n", 2, NULL);
	refused_at("# one\n# two\ndatabase = {\n  lock_timeout_ms = 5;\n"
	    "  retries = = 3;\n};\n", 5, NULL);
	refused_at("database = {\n  lock_timeout_ms = 5;\n", 3, NULL);
	refused_at("database = { lock_timeout_ms = 5 6; };\n", 1, NULL);
}

static void
test_not_a_file(void **state)
{
	struct sl_config c;
	struct sl_err e;
	char path[PATH_MAX + 32];

	(void)state;
	snprintf(path, sizeof path, "%s/does-not-exist.conf", tmpdir);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, path));
	assert_int_equal(sl_config_load_file(&c, tmpdir, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, "not a regular file"));
	/* An explicit path that does not exist is an error, not defaults. */
	assert_int_equal(sl_config_load(&c, path, &e), SL_ECONFIG);
}

static void
test_nul_byte(void **state)
{
	struct sl_config c;
	struct sl_err e;
	char path[PATH_MAX + 32];
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/nul.conf", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite("booking = { retries = 3; };\n\0x = 1;\n", 1, 37, f);
	fclose(f);
	chmod(path, 0600);
	assert_int_equal(sl_config_load_file(&c, path, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, "NUL"));
}

static void
test_lookup_order(void **state)
{
	struct sl_config c;
	struct sl_err e;
	char xdg[PATH_MAX + 32], path[PATH_MAX + 64], env[PATH_MAX + 64];
	char work[PATH_MAX + 32];

	(void)state;
	snprintf(work, sizeof work, "%s/work", tmpdir);
	assert_int_equal(mkdir(work, 0700), 0);
	assert_int_equal(chdir(work), 0);
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	assert_int_equal(mkdir(xdg, 0700), 0);
	snprintf(path, sizeof path, "%s/seatlock", xdg);
	assert_int_equal(mkdir(path, 0700), 0);
	setenv("XDG_CONFIG_HOME", xdg, 1);

	/* Nothing anywhere: the defaults (unless this machine has an
	 * /etc/seatlock/seatlock.conf, which the test cannot control). */
	if (access("/etc/seatlock/seatlock.conf", F_OK) != 0) {
		poison(&c);
		assert_int_equal(sl_config_load(&c, NULL, &e), SL_OK);
		assert_int_equal(c.retries, 5);
		assert_string_equal(c.path, "");
	}

	write_file("xdg/seatlock/seatlock.conf",
	    "booking = { retries = 11; };\n", 0600);
	assert_int_equal(sl_config_load(&c, NULL, &e), SL_OK);
	assert_int_equal(c.retries, 11);

	write_file("work/seatlock.conf", "booking = { retries = 12; };\n",
	    0600);
	assert_int_equal(sl_config_load(&c, NULL, &e), SL_OK);
	assert_int_equal(c.retries, 12);

	snprintf(env, sizeof env, "%s",
	    write_file("env.conf", "booking = { retries = 13; };\n", 0600));
	setenv("SEATLOCK_CONFIG", env, 1);
	assert_int_equal(sl_config_load(&c, NULL, &e), SL_OK);
	assert_int_equal(c.retries, 13);

	snprintf(path, sizeof path, "%s",
	    write_file("explicit.conf", "booking = { retries = 14; };\n",
	    0600));
	assert_int_equal(sl_config_load(&c, path, &e), SL_OK);
	assert_int_equal(c.retries, 14);
	assert_string_equal(c.path, path);

	/* A bad file in the lookup is refused, not skipped. */
	write_file("env.conf", "booking = { retries = 4294967297; };\n", 0600);
	assert_int_equal(sl_config_load(&c, NULL, &e), SL_ECONFIG);

	unsetenv("SEATLOCK_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(chdir(origdir), 0);
}

static void
test_dsn(void **state)
{
	struct sl_config c;

	(void)state;
	sl_config_defaults(&c);
	unsetenv("SEATLOCK_DSN");
	assert_string_equal(sl_config_dsn(&c), "");
	snprintf(c.dsn, sizeof c.dsn, "dbname=fromfile");
	assert_string_equal(sl_config_dsn(&c), "dbname=fromfile");
	setenv("SEATLOCK_DSN", "host=/tmp dbname=fromenv", 1);
	assert_string_equal(sl_config_dsn(&c), "host=/tmp dbname=fromenv");
	/* An empty variable counts as unset. */
	setenv("SEATLOCK_DSN", "", 1);
	assert_string_equal(sl_config_dsn(&c), "dbname=fromfile");
	unsetenv("SEATLOCK_DSN");
	assert_string_equal(sl_config_dsn(&c), "dbname=fromfile");
}

static void
ok_int(const char *s, int64_t want)
{
	int64_t v = 12345;

	if (sl_config_parse_int(s, &v) != 0)
		fail_msg("\"%s\" refused", s);
	if (v != want)
		fail_msg("\"%s\" read as %lld, not %lld", s, (long long)v,
		    (long long)want);
}

static void
bad_int(const char *s)
{
	int64_t v = 12345;

	if (sl_config_parse_int(s, &v) == 0)
		fail_msg("\"%s\" accepted as %lld", s, (long long)v);
	assert_int_equal(v, 12345);
}

static void
test_parse_int(void **state)
{
	(void)state;
	ok_int("0", 0);
	ok_int("1", 1);
	ok_int("-1", -1);
	ok_int("+7", 7);
	ok_int("007", 7);
	ok_int("9223372036854775807", INT64_MAX);
	ok_int("-9223372036854775808", INT64_MIN);
	ok_int("9223372036854775807L", INT64_MAX);
	ok_int("9223372036854775807LL", INT64_MAX);
	ok_int("4294967297", 4294967297LL);
	ok_int("5000L", 5000);
	ok_int("0x10", 16);
	ok_int("0XfF", 255);
	ok_int("0x100000001", 4294967297LL);
	ok_int("0x7fffffffffffffff", INT64_MAX);
	ok_int("-0x8000000000000000", INT64_MIN);
	ok_int("0x1fL", 31);

	bad_int("9223372036854775808");
	bad_int("-9223372036854775809");
	bad_int("99999999999999999999");
	bad_int("18446744073709551616");
	bad_int("0x8000000000000000");
	bad_int("0x10000000000000000");
	bad_int("");
	bad_int("-");
	bad_int("+");
	bad_int("L");
	bad_int("0x");
	bad_int("0xL");
	bad_int("abc");
	bad_int("12abc");
	bad_int("12LLL");
	bad_int("12l");
	bad_int("12 ");
	bad_int(" 12");
	bad_int("1.5");
	bad_int("1e3");
	bad_int("0x1g");
	bad_int("--1");
	bad_int("+-1");
	bad_int("1L2");
}

static void
test_int_literal(void **state)
{
	const char *text = "database = {\n"
	    "  lock_timeout_ms = 4294967297;\n"
	    "  xlock_timeout_ms = 3; statement_timeout_ms: 0x10\n"
	    "};\n";
	int64_t v;

	(void)state;
	assert_int_equal(sl_config_int_literal(text, 2, "lock_timeout_ms",
	    &v), 0);
	assert_int_equal(v, 4294967297LL);
	assert_int_equal(sl_config_int_literal(text, 3,
	    "statement_timeout_ms", &v), 0);
	assert_int_equal(v, 16);
	/* A longer name that ends in the name is not the name. */
	assert_int_equal(sl_config_int_literal(text, 3, "lock_timeout_ms",
	    &v), -1);
	assert_int_equal(sl_config_int_literal(text, 1, "lock_timeout_ms",
	    &v), -1);
	assert_int_equal(sl_config_int_literal(text, 99, "lock_timeout_ms",
	    &v), -1);
	/* Not inside a string or a comment. */
	assert_int_equal(sl_config_int_literal("a = \"retries = 5\";\n", 1,
	    "retries", &v), -1);
	assert_int_equal(sl_config_int_literal("# retries = 5\n", 1,
	    "retries", &v), -1);
	assert_int_equal(sl_config_int_literal("a = 1; // retries = 5\n", 1,
	    "retries", &v), -1);
	/* strings and comments may span lines */
	assert_int_equal(sl_config_int_literal("a = \"x\nretries = 5\"; "
	    "retries = 4294967297;\n", 2, "retries", &v), 0);
	assert_int_equal(v, 4294967297LL);
	assert_int_equal(sl_config_int_literal("/* x\nretries = 5 */ "
	    "retries = 6;\n", 2, "retries", &v), 0);
	assert_int_equal(v, 6);
	assert_int_equal(sl_config_int_literal("a = \"x\\\"\nretries = 5\";"
	    "\n", 2, "retries", &v), -1);
	/* blanks and newlines around "=" */
	assert_int_equal(sl_config_int_literal("retries\n  =\n  7;\n", 1,
	    "retries", &v), 0);
	assert_int_equal(v, 7);
	/* a number is not a name: "0x" does not start the name "x" */
	assert_int_equal(sl_config_int_literal("y = 0x = 5;\n", 1, "x", &v),
	    -1);
}

static void
test_int_verify(void **state)
{
	(void)state;
	assert_int_equal(sl_config_int_verify("x = 5;\n", 1, "x", 5), 0);
	assert_int_equal(sl_config_int_verify("x = 5;\n", 1, "x", 6), -1);
	assert_int_equal(sl_config_int_verify("x = 5;\n", 2, "x", 5), -1);
	assert_int_equal(sl_config_int_verify("x = 5L;\n", 1, "x", 5), 0);
	/* what libconfig 1.5 reads for 4294967297 */
	assert_int_equal(sl_config_int_verify("x = 4294967297;\n", 1, "x", 1),
	    -1);
	assert_int_equal(sl_config_int_verify("x = 4294967297;\n", 1, "x",
	    4294967297LL), -1);
	assert_int_equal(sl_config_int_verify("x = 4294967297L;\n", 1, "x",
	    4294967297LL), 0);
	assert_int_equal(sl_config_int_verify("x = 2147483647;\n", 1, "x",
	    2147483647), 0);
	assert_int_equal(sl_config_int_verify("x = -2147483648;\n", 1, "x",
	    INT32_MIN), 0);
	assert_int_equal(sl_config_int_verify("x = 0x7fffffff;\n", 1, "x",
	    INT32_MAX), 0);
	assert_int_equal(sl_config_int_verify("x = 0x80000000;\n", 1, "x",
	    INT32_MIN), -1);
	/* two settings of one name on one line */
	assert_int_equal(sl_config_int_verify("{ x = 1; { x = 3; } }\n", 1,
	    "x", 1), 0);
	assert_int_equal(sl_config_int_verify("{ x = 1; { x = 3; } }\n", 1,
	    "x", 3), 0);
	assert_int_equal(sl_config_int_verify("{ x = 1; { x = 3; } }\n", 1,
	    "x", 2), -1);
	assert_int_equal(sl_config_int_verify("{ x = 1; { x = 4294967297; } }"
	    "\n", 1, "x", 1), -1);
	assert_int_equal(sl_config_int_verify("{ x = 1; { x = 1z; } }\n", 1,
	    "x", 1), -1);
}

/* ticket.page: the named sizes, ticket stock in mm and in, the bounds. */
static void
test_page(void **state)
{
	const char *why = NULL;
	double w = 0, h = 0;

	(void)state;
	assert_int_equal(sl_config_page("a4", &w, &h, &why), 0);
	assert_true(w > 595 && w < 596 && h > 841 && h < 842);
	assert_int_equal(sl_config_page("Letter", &w, &h, &why), 0);
	assert_true(w == 612 && h == 792);
	assert_int_equal(sl_config_page("2x5.5in", &w, &h, &why), 0);
	assert_true(w == 144 && h == 396);
	assert_int_equal(sl_config_page("80x200mm", &w, &h, &why), 0);
	assert_true(w > 226.7 && w < 226.8 && h > 566.9 && h < 567);
	assert_int_equal(sl_config_page("25x600mm", &w, &h, &why), 0);
	assert_int_equal(sl_config_page("24x100mm", &w, &h, &why), -1);
	assert_non_null(strstr(why, "25 to 600 mm"));
	assert_int_equal(sl_config_page("100x601mm", &w, &h, &why), -1);
	why = NULL;
	assert_int_equal(sl_config_page("", &w, &h, &why), -1);
	assert_non_null(why);
	assert_int_equal(sl_config_page("2x5.5", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("2x5.5cm", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("x5in", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("2x5inx", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("1.2345x4in", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("99999x4in", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("-2x5in", &w, &h, &why), -1);
	assert_int_equal(sl_config_page("a4 ", &w, &h, &why), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_resilience_keys),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_wrap_around),
		cmocka_unit_test(test_wrap_around_decoys),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_include_refused),
		cmocka_unit_test(test_permissions),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_not_a_file),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_lookup_order),
		cmocka_unit_test(test_dsn),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_int_literal),
		cmocka_unit_test(test_int_verify),
		cmocka_unit_test(test_page),
	};

	return cmocka_run_group_tests_name("config", tests, group_setup,
	    group_teardown);
}
