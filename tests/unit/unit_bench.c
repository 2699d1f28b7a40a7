/*
 * unit_bench.c - the parts of the load generator that need no database: the
 * latency histogram and the scenario names (tui/bench), the generated venue
 * layouts and their labels (sl_loadgen), and the notify settings of the
 * configuration file.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bench/bench.h"
#include "bench/bench_hist.h"
#include "sl_config.h"
#include "sl_layout.h"
#include "sl_loadgen.h"

static void
hist_empty(void **state)
{
	struct bench_hist h;

	(void)state;
	bench_hist_init(&h);
	assert_int_equal(bench_hist_quantile(&h, 0.5), 0);
	assert_int_equal(bench_hist_quantile(&h, 1), 0);
	assert_true(bench_hist_mean(&h) == 0);
}

/* Small values are exact; every quantile is the nearest rank. */
static void
hist_exact(void **state)
{
	struct bench_hist h;
	uint64_t v;

	(void)state;
	bench_hist_init(&h);
	for (v = 1; v <= 100; v++)
		bench_hist_add(&h, v);
	assert_int_equal(h.count, 100);
	assert_int_equal(bench_hist_quantile(&h, 0.5), 50);
	assert_int_equal(bench_hist_quantile(&h, 0.95), 95);
	assert_int_equal(bench_hist_quantile(&h, 0.99), 99);
	assert_int_equal(bench_hist_quantile(&h, 0.001), 1);
	assert_int_equal(bench_hist_quantile(&h, 0), 1);
	assert_int_equal(bench_hist_quantile(&h, 1), 100);
	assert_true(bench_hist_mean(&h) > 50.49 && bench_hist_mean(&h) < 50.51);
}

/* Large values: within 1/64 above the truth, never below, never above
 * the maximum. */
static void
hist_relative_error(void **state)
{
	struct bench_hist h;
	uint64_t v, q, truth;
	double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	size_t i;

	(void)state;
	bench_hist_init(&h);
	for (v = 1; v <= 1000000; v++)
		bench_hist_add(&h, v * 37);
	for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		truth = (uint64_t)(qs[i] * 1000000) * 37;
		q = bench_hist_quantile(&h, qs[i]);
		assert_true(q >= truth);
		assert_true(q <= truth + truth / 64 + 1);
	}
	assert_int_equal(bench_hist_quantile(&h, 1), 37000000);
	/* The top bucket's bound is clamped to the maximum seen. */
	bench_hist_init(&h);
	bench_hist_add(&h, 1000001);
	assert_int_equal(bench_hist_quantile(&h, 0.5), 1000001);
	bench_hist_add(&h, UINT64_MAX);
	assert_true(bench_hist_quantile(&h, 1) == UINT64_MAX);
}

static void
hist_merge(void **state)
{
	struct bench_hist a, b;
	uint64_t v;

	(void)state;
	bench_hist_init(&a);
	bench_hist_init(&b);
	for (v = 1; v <= 50; v++)
		bench_hist_add(&a, v);
	for (v = 51; v <= 100; v++)
		bench_hist_add(&b, v);
	bench_hist_merge(&a, &b);
	assert_int_equal(a.count, 100);
	assert_int_equal(a.min, 1);
	assert_int_equal(a.max, 100);
	assert_int_equal(bench_hist_quantile(&a, 0.5), 50);
	bench_hist_init(&b);
	bench_hist_merge(&a, &b);
	assert_int_equal(a.count, 100);
}

static void
labels(void **state)
{
	char buf[40];

	(void)state;
	sl_loadgen_label(0, 50, buf, sizeof buf);
	assert_string_equal(buf, "A1");
	sl_loadgen_label(49, 50, buf, sizeof buf);
	assert_string_equal(buf, "A50");
	sl_loadgen_label(50, 50, buf, sizeof buf);
	assert_string_equal(buf, "B1");
	sl_loadgen_label(999, 50, buf, sizeof buf);
	assert_string_equal(buf, "T50");
	sl_loadgen_label(26 * 50, 50, buf, sizeof buf);
	assert_string_equal(buf, "AA1");
	sl_loadgen_label(702 * 50, 50, buf, sizeof buf);
	assert_string_equal(buf, "AAA1");
	sl_loadgen_label(703 * 50 + 49, 50, buf, sizeof buf);
	assert_string_equal(buf, "AAB50");
}

/* The standard bench venue: one section, rows A..T, labels in the order
 * of sl_loadgen_label. */
static void
layout_standard(void **state)
{
	struct sl_layout *l;
	struct sl_err e;
	char *text, buf[40];
	size_t k;

	(void)state;
	text = sl_loadgen_layout("bench unit", 1000, 50, 0);
	assert_non_null(text);
	assert_int_equal(sl_layout_parse(text, "unit", &l, &e), SL_OK);
	free(text);
	assert_int_equal(l->n, 1000);
	assert_int_equal(l->nsections, 1);
	for (k = 0; k < l->n; k++) {
		sl_loadgen_label((int64_t)k, 50, buf, sizeof buf);
		assert_string_equal(l->seat[k].label, buf);
	}
	sl_layout_free(l);

	/* A partial last row (flash shows of any size). */
	text = sl_loadgen_layout("bench unit 2", 2021, 50, 0);
	assert_int_equal(sl_layout_parse(text, "unit", &l, &e), SL_OK);
	free(text);
	assert_int_equal(l->n, 2021);
	assert_string_equal(l->seat[2020].label, "AO21");
	sl_layout_free(l);
}

/* The stadium: 100,000 seats in sections with their own prefixes. */
static void
layout_stadium(void **state)
{
	struct sl_layout *l;
	struct sl_err e;
	char *text;

	(void)state;
	text = sl_loadgen_layout("bench stadium", 100000, 50, 50);
	assert_non_null(text);
	assert_int_equal(sl_layout_parse(text, "unit", &l, &e), SL_OK);
	free(text);
	assert_int_equal(l->n, 100000);
	assert_int_equal(l->nsections, 40);
	assert_string_equal(l->seat[0].label, "S1-A1");
	assert_string_equal(l->seat[99999].label, "S40-AX50");
	sl_layout_free(l);
}

static enum sl_rc
load(const char *text, struct sl_config *c, struct sl_err *e)
{
	char path[] = "/tmp/unit_bench.XXXXXX";
	enum sl_rc rc;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, 0600);
	rc = sl_config_load_file(c, path, e);
	unlink(path);
	return rc;
}

static void
config_notify(void **state)
{
	struct sl_config c;
	struct sl_err e;

	(void)state;
	sl_config_defaults(&c);
	assert_string_equal(c.notify_mode, "");
	assert_int_equal(c.notify_interval_ms, 5);
	assert_int_equal(load("notify = { mode = \"batched\"; "
	    "interval_ms = 20; };\n", &c, &e), SL_OK);
	assert_string_equal(c.notify_mode, "batched");
	assert_int_equal(c.notify_interval_ms, 20);
	assert_int_equal(load("notify = { mode = \"per-commit\"; };\n", &c,
	    &e), SL_OK);
	assert_string_equal(c.notify_mode, "per-commit");
	assert_int_equal(load("notify = { mode = \"off\"; };\n", &c, &e),
	    SL_OK);
	assert_int_equal(load("\nnotify = { mode = \"sometimes\"; };\n", &c,
	    &e), SL_ECONFIG);
	assert_non_null(strstr(e.msg, ":2: notify.mode must be"));
	assert_int_equal(load("notify = { interval_ms = 0; };\n", &c, &e),
	    SL_ECONFIG);
	assert_int_equal(load("notify = { interval_ms = 4294967301; };\n",
	    &c, &e), SL_ECONFIG);
	assert_int_equal(load("notify = { mode = 5; };\n", &c, &e),
	    SL_ECONFIG);
}

static void
scenarios(void **state)
{
	enum bench_scenario s;

	(void)state;
	assert_int_equal(bench_scenario_parse("flash", &s), 0);
	assert_int_equal(s, BENCH_FLASH);
	assert_string_equal(bench_scenario_name(s), "flash");
	assert_int_equal(bench_scenario_parse("Flash", &s), -1);
	assert_int_equal(bench_scenario_parse("", &s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hist_empty),
		cmocka_unit_test(hist_exact),
		cmocka_unit_test(hist_relative_error),
		cmocka_unit_test(hist_merge),
		cmocka_unit_test(labels),
		cmocka_unit_test(layout_standard),
		cmocka_unit_test(layout_stadium),
		cmocka_unit_test(config_notify),
		cmocka_unit_test(scenarios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
