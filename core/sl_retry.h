/*
 * sl_retry.h - the one retry and back-off helper of core/: a bounded retry
 * of a callback on SL_ERETRY with a jittered pause, and the one jitter
 * formula, drawn from a seed the caller keeps (no hidden state, so any
 * thread may use it on its own seed).
 */
#ifndef SL_RETRY_H
#define SL_RETRY_H

#include "sl_err.h"

/*
 * A pseudo-random whole number from lo to hi (both included), drawn with
 * rand_r(seed): lo + rand_r(seed) % (hi - lo + 1).  lo when hi <= lo.
 */
int		sl_retry_jitter(unsigned int *seed, int lo, int hi);

/*
 * The pause before retry number attempt + 1 of a statement: a random 5 to
 * 4 + (5 << attempt) ms (attempt capped at 6), so clients that failed
 * together spread out.
 */
int		sl_retry_pause_ms(unsigned int *seed, int attempt);

/* One attempt (0 for the first).  Returns its result. */
typedef enum sl_rc sl_retry_fn(void *arg, int attempt);

/*
 * Called when attempt returned SL_ECONN: non-zero to run the next attempt
 * at once, zero to stop with *rc (which it may change).
 */
typedef int	sl_retry_lost_fn(void *arg, int attempt, enum sl_rc *rc);

struct sl_retry {
	int	  retries;	/* attempts after the first */
	/* Pauses before attempt + 1: 0, or -1 if interrupted. */
	int	(*pause)(void *ctx, int attempt);
	void	 *ctx;
};

/*
 * Runs fn(arg, 0), fn(arg, 1), ...: again after r->pause while it returns
 * SL_ERETRY and fewer than r->retries retries were made; SL_ECONN goes to
 * lost (when not NULL).  Returns the last result; SL_ERETRY as it stood if
 * a pause was interrupted.
 */
enum sl_rc	sl_retry_run(const struct sl_retry *r, sl_retry_fn *fn,
		    sl_retry_lost_fn *lost, void *arg);

#endif
