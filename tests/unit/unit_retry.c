/*
 * unit_retry.c - the one retry and back-off helper of core/: the jitter's
 * ranges, and how many times a callback runs on SL_ERETRY and SL_ECONN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sl_retry.h"

struct run {
	enum sl_rc	 result[8];	/* what attempt i returns */
	int		 calls;
	int		 pauses[8];	/* attempts paused after */
	int		 npauses;
	int		 interrupt;	/* pauses fail from this one on */
	int		 lost;		/* lost hook calls */
};

static enum sl_rc
run_fn(void *arg, int attempt)
{
	struct run *r = arg;

	assert_int_equal(attempt, r->calls);
	return r->result[r->calls++];
}

static int
run_pause(void *ctx, int attempt)
{
	struct run *r = ctx;

	r->pauses[r->npauses++] = attempt;
	return r->interrupt > 0 && r->npauses >= r->interrupt ? -1 : 0;
}

static int
run_lost(void *arg, int attempt, enum sl_rc *rc)
{
	struct run *r = arg;

	(void)attempt;
	r->lost++;
	if (r->lost > 1) {
		*rc = SL_ENOTFOUND;
		return 0;
	}
	return 1;
}

static void
test_jitter(void **state)
{
	unsigned int seed = 42;
	int i, v, lo5 = 0, hi5 = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		v = sl_retry_jitter(&seed, 50, 100);
		assert_true(v >= 50 && v <= 100);
		v = sl_retry_jitter(&seed, -50, 50);
		assert_true(v >= -50 && v <= 50);
		v = sl_retry_pause_ms(&seed, 0);
		assert_true(v >= 5 && v <= 9);
		lo5 += v == 5;
		hi5 += v == 9;
		v = sl_retry_pause_ms(&seed, 20);
		assert_true(v >= 5 && v <= 4 + (5 << 6));
	}
	assert_true(lo5 > 0 && hi5 > 0);
	assert_int_equal(sl_retry_jitter(&seed, 7, 7), 7);
	assert_int_equal(sl_retry_jitter(&seed, 7, 3), 7);
}

static void
test_bounded(void **state)
{
	struct run r = { .result = { SL_ERETRY, SL_ERETRY, SL_ERETRY,
	    SL_ERETRY, SL_ERETRY } };
	struct sl_retry rt = { 3, run_pause, &r };

	(void)state;
	assert_int_equal(sl_retry_run(&rt, run_fn, NULL, &r), SL_ERETRY);
	assert_int_equal(r.calls, 4);
	assert_int_equal(r.npauses, 3);
	assert_int_equal(r.pauses[0], 0);
	assert_int_equal(r.pauses[2], 2);
}

static void
test_success_and_other(void **state)
{
	struct run r = { .result = { SL_ERETRY, SL_OK } };
	struct run c = { .result = { SL_ECONFLICT } };
	struct run l = { .result = { SL_ECONN } };
	struct sl_retry rt = { 3, run_pause, &r };

	(void)state;
	assert_int_equal(sl_retry_run(&rt, run_fn, NULL, &r), SL_OK);
	assert_int_equal(r.calls, 2);
	rt.ctx = &c;
	assert_int_equal(sl_retry_run(&rt, run_fn, NULL, &c), SL_ECONFLICT);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.npauses, 0);
	rt.ctx = &l;
	/* No lost hook: a lost connection is final. */
	assert_int_equal(sl_retry_run(&rt, run_fn, NULL, &l), SL_ECONN);
	assert_int_equal(l.calls, 1);
}

static void
test_interrupted_and_lost(void **state)
{
	struct run r = { .result = { SL_ERETRY, SL_ERETRY, SL_OK },
	    .interrupt = 1 };
	struct run l = { .result = { SL_ECONN, SL_ECONN, SL_OK } };
	struct sl_retry rt = { 3, run_pause, &r };

	(void)state;
	assert_int_equal(sl_retry_run(&rt, run_fn, NULL, &r), SL_ERETRY);
	assert_int_equal(r.calls, 1);
	rt.ctx = &l;
	/* Sent again at once after the first loss; the second stops. */
	assert_int_equal(sl_retry_run(&rt, run_fn, run_lost, &l),
	    SL_ENOTFOUND);
	assert_int_equal(l.calls, 2);
	assert_int_equal(l.lost, 2);
	assert_int_equal(l.npauses, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_success_and_other),
		cmocka_unit_test(test_interrupted_and_lost),
	};

	return cmocka_run_group_tests_name("retry", tests, NULL, NULL);
}
