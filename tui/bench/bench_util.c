/*
 * bench_util.c - the small tools of the load generator: a monotonic clock,
 * sleeping, the random numbers that pick seats, and the run's shows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "bench_int.h"
#include "sl_show.h"

int64_t
bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
bench_sleep_ms(int ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

double
bench_ms_since(int64_t t0)
{
	return (double)(bench_ns() - t0) / 1e6;
}

/* splitmix64: seeds one generator per thread from the run's seed. */
uint64_t
bench_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* xorshift64*: fast, good enough to pick seats. */
static uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

uint64_t
bench_below(uint64_t *s, uint64_t n)
{
	return n ? bench_rand(s) % n : 0;
}

int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

enum sl_rc
bench_show_add(struct bench_ctx *run, struct sl_db *db, int64_t j,
    const char *what, struct sl_err *e)
{
	char name[160], starts[64];
	struct tm tm;
	time_t t;

	t = (time_t)4102444800 + (time_t)j * 3600;	/* 2100-01-01 */
	gmtime_r(&t, &tm);
	strftime(starts, sizeof starts, "%Y-%m-%d %H:%M:%S+00", &tm);
	snprintf(name, sizeof name, "bench %s %s%s#%" PRId64, run->tag,
	    what != NULL ? what : "", what != NULL ? " " : "", j + 1);
	return sl_show_add(db, run->venue, name, starts, &run->shows[j], e);
}

int64_t
bench_seat_k(const struct bench_ctx *run, int64_t seat_id)
{
	size_t lo = 0, hi = (size_t)run->show_seats;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (run->seatids[mid].id < seat_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= (size_t)run->show_seats || run->seatids[lo].id != seat_id)
		return -1;
	return run->seatids[lo].k;
}

int64_t
bench_arrivals(const struct bench_ctx *run, int64_t show_idx,
    const int64_t *arrival, struct bench_hist *h)
{
	int64_t k, c, a, missed = 0;

	for (k = 0; k < run->show_seats; k++) {
		c = run->commit_ns[show_idx * run->show_seats + k];
		a = arrival[k];
		if (c == 0)
			continue;
		if (a == 0) {
			missed++;
			continue;
		}
		/* Heard before the booking's own answer reached the client:
		 * that is no delay at all. */
		bench_hist_add(h, a > c ? (uint64_t)(a - c) / 1000 : 0);
	}
	return missed;
}
