/*
 * bench_hist.h - a latency histogram for the load generator: constant memory,
 * cheap to add to and to merge, quantiles within 1/64 of the true value.
 *
 * Values are unsigned integers (the bench records microseconds).  Below 128
 * every value has a bucket of its own; above, a bucket spans 1/64 of its
 * power of two.  No allocation, no locking: one histogram per thread, merged
 * at the end.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>

#define BENCH_HIST_SUB	64
#define BENCH_HIST_EXACT	(2 * BENCH_HIST_SUB)
#define BENCH_HIST_BUCKETS	(BENCH_HIST_EXACT + (64 - 7) * BENCH_HIST_SUB)

struct bench_hist {
	uint64_t	count;
	uint64_t	min;
	uint64_t	max;
	uint64_t	sum;
	uint64_t	bucket[BENCH_HIST_BUCKETS];
};

/* Empties h. */
void		bench_hist_init(struct bench_hist *h);

/* Records one value. */
void		bench_hist_add(struct bench_hist *h, uint64_t v);

/* Adds every value of src to dst. */
void		bench_hist_merge(struct bench_hist *dst, const struct bench_hist *src);

/*
 * The q-quantile (0 <= q <= 1) by nearest rank: the smallest recorded
 * bucket holding at least q * count values at or below it, reported as the
 * bucket's upper bound (never above the maximum seen), so that a figure is
 * never flattering.  q = 1 is the maximum.  0 when h is empty.
 */
uint64_t	bench_hist_quantile(const struct bench_hist *h, double q);

/* The mean, 0 when empty. */
double		bench_hist_mean(const struct bench_hist *h);

#endif
