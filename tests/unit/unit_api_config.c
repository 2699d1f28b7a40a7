/*
 * unit_api_config.c - the api group of the configuration: the listening
 * address parser and the tokens list, with their file:line errors.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sl_config.h"

static void
test_listen(void **state)
{
	char host[64];
	const char *why;
	int port;

	(void)state;
	assert_int_equal(sl_config_parse_listen("127.0.0.1:8080", host,
	    sizeof host, &port, &why), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8080);
	assert_int_equal(sl_config_parse_listen("[::1]:0", host, sizeof host,
	    &port, &why), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 0);
	assert_int_equal(sl_config_parse_listen("0.0.0.0:65535", host,
	    sizeof host, &port, &why), 0);
	assert_int_equal(port, 65535);
	assert_int_equal(sl_config_parse_listen("127.0.0.1:65536", host,
	    sizeof host, &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("127.0.0.1:", host,
	    sizeof host, &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("127.0.0.1:-1", host,
	    sizeof host, &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("127.0.0.1:80x", host,
	    sizeof host, &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("127.0.0.1:000000080", host,
	    sizeof host, &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("localhost:80", host,
	    sizeof host, &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("::1:80", host, sizeof host,
	    &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("[::1]80", host, sizeof host,
	    &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("8080", host, sizeof host,
	    &port, &why), -1);
	assert_int_equal(sl_config_parse_listen(":8080", host, sizeof host,
	    &port, &why), -1);
	assert_int_equal(sl_config_parse_listen("1.2.3.4.5:1", host,
	    sizeof host, &port, &why), -1);
}

/* Writes text to a private file and loads it. */
static enum sl_rc
load(const char *text, mode_t mode, struct sl_config *c, struct sl_err *e)
{
	char path[] = "/tmp/sl-unit-api-XXXXXX";
	enum sl_rc rc;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
	sl_err_clear(e);
	rc = sl_config_load_file(c, path, e);
	unlink(path);
	return rc;
}

static void
test_defaults(void **state)
{
	struct sl_config c;

	(void)state;
	sl_config_defaults(&c);
	assert_string_equal(c.api_listen, "127.0.0.1:8080");
	assert_int_equal(c.api_pool_size, 4);
	assert_int_equal(c.api_max_response_memory, 67108864);
	assert_int_equal(c.api_ntokens, 0);
	/* Issue 17, finding 2: deadlines and the per-address share (0:
	 * half of max_connections). */
	assert_int_equal(c.api_header_timeout_s, 10);
	assert_int_equal(c.api_keepalive_idle_s, 5);
	assert_int_equal(c.api_max_connections_per_address, 0);
}

static void
test_api_group(void **state)
{
	struct sl_config c;
	struct sl_err e;

	(void)state;
	assert_int_equal(load("api = {\n"
	    "  listen = \"[::1]:9000\";\n"
	    "  pool_size = 8;\n"
	    "  max_body_bytes = 1024;\n"
	    "  header_timeout_s = 3;\n"
	    "  keepalive_idle_s = 2;\n"
	    "  max_connections_per_address = 7;\n"
	    "  max_response_memory = 2147483647;\n"
	    "  tokens = (\n"
	    "    { token = \"abcdefghijklmnop\"; role = \"web_sales\"; },\n"
	    "    { role = \"reader\"; token = \"Zm9vYmFyYmF6cXV4MTIzNA==\"; }\n"
	    "  );\n"
	    "};\n", 0600, &c, &e), SL_OK);
	assert_string_equal(c.api_listen, "[::1]:9000");
	assert_int_equal(c.api_pool_size, 8);
	assert_int_equal(c.api_max_body, 1024);
	assert_int_equal(c.api_header_timeout_s, 3);
	assert_int_equal(c.api_keepalive_idle_s, 2);
	assert_int_equal(c.api_max_connections_per_address, 7);
	assert_int_equal(c.api_max_response_memory, 2147483647);
	assert_int_equal(c.api_ntokens, 2);
	assert_string_equal(c.api_tokens[0].token, "abcdefghijklmnop");
	assert_string_equal(c.api_tokens[0].role, "web_sales");
	assert_string_equal(c.api_tokens[1].role, "reader");
}

static void
test_api_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*msg;	/* in e.msg, after the path */
	} bad[] = {
		{ "api = {\n listen = \"127.0.0.1\";\n};\n", ":2: api.listen" },
		{ "api = {\n listen = 8080;\n};\n", ":2: api.listen must be" },
		{ "api = {\n pool_size = 0;\n};\n",
		    ":2: api.pool_size is out" },
		{ "api = {\n pool_size = 4294967300;\n};\n",
		    ":2: api.pool_size is out" },
		{ "api = {\n max_body_bytes = 100000000;\n};\n",
		    ":2: api.max_body_bytes is out" },
		{ "api = {\n header_timeout_s = 0;\n};\n",
		    ":2: api.header_timeout_s is out" },
		{ "api = {\n keepalive_idle_s = 3601;\n};\n",
		    ":2: api.keepalive_idle_s is out" },
		{ "api = {\n max_connections_per_address = -1;\n};\n",
		    ":2: api.max_connections_per_address is out" },
		{ "api = {\n max_response_memory = 1000;\n};\n",
		    ":2: api.max_response_memory is out" },
		{ "api = {\n tokens = \"abcdefghijklmnopq\";\n};\n",
		    ":2: api.tokens must be a list" },
		{ "api = {\n tokens = ( \"abcdefghijklmnopq\" );\n};\n",
		    ":2: each entry of api.tokens" },
		{ "api = {\n tokens = (\n { token = \"abcdefghijklmnopq\"; }\n"
		    " );\n};\n", ":3: an entry of api.tokens needs both" },
		{ "api = {\n tokens = (\n { token = \"abc\"; role = \"r\"; }\n"
		    " );\n};\n", ":3: an api token is" },
		{ "api = {\n tokens = (\n { token = \"abcdefghijklmnop q\"; "
		    "role = \"r\"; }\n );\n};\n", ":3: an api token is" },
		{ "api = {\n tokens = (\n { token = \"abcdefghijklmnopq\"; "
		    "role = \"Web\"; }\n );\n};\n", ":3: role \"Web\"" },
		{ "api = {\n tokens = (\n { token = \"abcdefghijklmnopq\"; "
		    "role = \"r\"; admin = 1; }\n );\n};\n",
		    ":3: unknown setting \"admin\"" },
		{ "api = {\n tokens = (\n { token = \"abcdefghijklmnopq\"; "
		    "role = \"r\"; },\n { token = \"abcdefghijklmnopq\"; "
		    "role = \"s\"; }\n );\n};\n", ":4: the same token" },
		{ "api = {\n color = \"red\";\n};\n",
		    ":2: unknown setting \"api.color\"" },
	};
	struct sl_config c;
	struct sl_err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (load(bad[i].text, 0600, &c, &e) != SL_ECONFIG ||
		    strstr(e.msg, bad[i].msg) == NULL)
			fail_msg("case %zu: \"%s\" not in \"%s\"", i,
			    bad[i].msg, e.msg);
	}
}

static void
test_tokens_file_mode(void **state)
{
	static const char text[] = "api = {\n"
	    " tokens = ( { token = \"abcdefghijklmnop\"; role = \"r\"; } );\n"
	    "};\n";
	struct sl_config c;
	struct sl_err e;

	(void)state;
	assert_int_equal(load(text, 0644, &c, &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, ":2: api.tokens in a file readable"));
	assert_int_equal(load(text, 0640, &c, &e), SL_ECONFIG);
	assert_int_equal(load(text, 0600, &c, &e), SL_OK);
	/* Without tokens a readable file is fine, as before. */
	assert_int_equal(load("api = { pool_size = 2; };\n", 0644, &c, &e),
	    SL_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_api_group),
		cmocka_unit_test(test_api_errors),
		cmocka_unit_test(test_tokens_file_mode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
