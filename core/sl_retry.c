/*
 * sl_retry.c - bounded retries with jittered back-off.
 */
#include <stdlib.h>

#include "sl_retry.h"

int
sl_retry_jitter(unsigned int *seed, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)((unsigned int)rand_r(seed) %
	    (unsigned int)(hi - lo + 1));
}

int
sl_retry_pause_ms(unsigned int *seed, int attempt)
{
	int span = 5 << (attempt > 6 ? 6 : attempt);

	return sl_retry_jitter(seed, 5, 4 + span);
}

enum sl_rc
sl_retry_run(const struct sl_retry *r, sl_retry_fn *fn, sl_retry_lost_fn *lost,
    void *arg)
{
	enum sl_rc rc;
	int attempt;

	for (attempt = 0;; attempt++) {
		rc = fn(arg, attempt);
		if (rc == SL_ECONN && lost != NULL) {
			if (!lost(arg, attempt, &rc))
				return rc;
			continue;
		}
		if (rc != SL_ERETRY || attempt >= r->retries)
			return rc;
		if (r->pause(r->ctx, attempt) != 0)
			return rc;
	}
}
