/*
 * bench_hist.c - log-linear histogram (see bench_hist.h).
 */
#include <string.h>

#include "bench_hist.h"

static unsigned int
bench_hist_index(uint64_t v)
{
	unsigned int msb, shift;

	if (v < BENCH_HIST_EXACT)
		return (unsigned int)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	shift = msb - 6;
	return BENCH_HIST_EXACT + (msb - 7) * BENCH_HIST_SUB +
	    (unsigned int)((v >> shift) & (BENCH_HIST_SUB - 1));
}

/* The largest value that falls into bucket i. */
static uint64_t
bench_hist_upper(unsigned int i)
{
	unsigned int msb, shift, sub;

	if (i < BENCH_HIST_EXACT)
		return i;
	msb = (i - BENCH_HIST_EXACT) / BENCH_HIST_SUB + 7;
	sub = (i - BENCH_HIST_EXACT) % BENCH_HIST_SUB;
	shift = msb - 6;
	if (msb == 63 && sub == BENCH_HIST_SUB - 1)
		return UINT64_MAX;
	return (((uint64_t)BENCH_HIST_SUB + sub + 1) << shift) - 1;
}

void
bench_hist_init(struct bench_hist *h)
{
	memset(h, 0, sizeof *h);
	h->min = UINT64_MAX;
}

void
bench_hist_add(struct bench_hist *h, uint64_t v)
{
	h->bucket[bench_hist_index(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void
bench_hist_merge(struct bench_hist *dst, const struct bench_hist *src)
{
	unsigned int i;

	if (src->count == 0)
		return;
	for (i = 0; i < BENCH_HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t
bench_hist_quantile(const struct bench_hist *h, double q)
{
	uint64_t rank, seen = 0, up;
	unsigned int i;

	if (h->count == 0)
		return 0;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	/* ceil(q * count), at least 1 */
	rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count || rank == 0)
		rank++;
	for (i = 0; i < BENCH_HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			up = bench_hist_upper(i);
			return up > h->max ? h->max : up;
		}
	}
	return h->max;
}

double
bench_hist_mean(const struct bench_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0;
}
