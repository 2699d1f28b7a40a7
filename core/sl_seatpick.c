/*
 * sl_seatpick.c - best available on a seat map (see sl_seatpick.h).
 */
#include <stdlib.h>
#include <string.h>

#include "sl_seatpick.h"

/* How good a block is: smaller is better, compared field by field. */
struct pick_key {
	int	single;		/* leaves one empty seat beside it */
	int	restricted;	/* restricted-view seats in it */
	int32_t	y;		/* distance from the stage */
	int64_t	centre;		/* twice the distance from the row's centre */
	int32_t	x;		/* leftmost */
};

static int
pick_better(const struct pick_key *a, const struct pick_key *b)
{
	if (a->single != b->single)
		return a->single < b->single;
	if (a->restricted != b->restricted)
		return a->restricted < b->restricted;
	if (a->y != b->y)
		return a->y < b->y;
	if (a->centre != b->centre)
		return a->centre < b->centre;
	return a->x < b->x;
}

static int
pick_free(const struct sl_seatmap *m, size_t i, int zone)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(m, i);

	return sl_seatmap_look(m, i) == SL_LOOK_AVAILABLE && !s->accessible &&
	    !s->companion && s->zone == zone;
}

static int
pick_same_row(const struct sl_seatmap_seat *a, const struct sl_seatmap_seat *b)
{
	return a->section == b->section && strcmp(a->row, b->row) == 0;
}

/* Twice the middle column of seat i's row on its line: its seats' least
 * plus greatest x, sold or not. */
static int64_t
pick_row_c2(const struct sl_seatmap *m, const struct sl_seatmap_line *l,
    size_t i)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(m, i);
	int32_t lo = s->x, hi = s->x;
	size_t k;

	for (k = l->first; k < l->first + l->n; k++) {
		const struct sl_seatmap_seat *o = sl_seatmap_seat(m, k);

		if (!pick_same_row(o, s))
			continue;
		if (o->x < lo)
			lo = o->x;
		if (o->x > hi)
			hi = o->x;
	}
	return (int64_t)lo + hi;
}

/* The blocks of one run of free seats [a, a + len) of line l. */
static void
pick_run(const struct sl_seatmap *m, const struct sl_seatmap_line *l,
    size_t a, size_t len, size_t n, struct pick_key *best, size_t *at)
{
	int64_t c2 = pick_row_c2(m, l, a);
	size_t o, k;

	for (o = 0; o + n <= len; o++) {
		const struct sl_seatmap_seat *s = sl_seatmap_seat(m, a + o);
		struct pick_key key;
		int64_t d;

		key.single = o == 1 || len - n - o == 1;
		key.restricted = 0;
		for (k = 0; k < n; k++)
			key.restricted += sl_seatmap_seat(m, a + o + k)->restricted;
		key.y = s->y;
		d = 2 * (int64_t)s->x + (int64_t)n - 1 - c2;
		key.centre = d < 0 ? -d : d;
		key.x = s->x;
		if (*at == (size_t)-1 || pick_better(&key, best)) {
			*best = key;
			*at = a + o;
		}
	}
}

/* The best block of n in zone (an index or -1): its first seat, or -1. */
static size_t
pick_zone(const struct sl_seatmap *m, int zone, size_t n)
{
	struct pick_key best;
	size_t li, at = (size_t)-1;

	memset(&best, 0, sizeof best);
	for (li = 0; li < sl_seatmap_nlines(m); li++) {
		const struct sl_seatmap_line *l = sl_seatmap_line(m, li);
		size_t k = l->first, end = l->first + l->n;

		while (k < end) {
			size_t a = k;

			if (!pick_free(m, k, zone)) {
				k++;
				continue;
			}
			/* A run: free seats of one row, column after column. */
			for (k++; k < end && pick_free(m, k, zone) &&
			    pick_same_row(sl_seatmap_seat(m, k),
			    sl_seatmap_seat(m, a)) &&
			    sl_seatmap_seat(m, k)->x ==
			    sl_seatmap_seat(m, k - 1)->x + 1; k++)
				;
			if (k - a >= n)
				pick_run(m, l, a, k - a, n, &best, &at);
		}
	}
	return at;
}

int
sl_seatpick_best(const struct sl_seatmap *m, const struct sl_zone *zones,
    size_t nzones, int zone, int n, size_t *idx)
{
	size_t done[256], ndone = 0, at = (size_t)-1, k;

	if (m == NULL || n < 1 || n > SL_SEATMAP_MAX_SELECTION)
		return -1;
	if (zone != SL_SEATPICK_ANY_ZONE)
		at = zone < -1 || (zone >= 0 && (size_t)zone >= nzones) ?
		    (size_t)-1 : pick_zone(m, zone, (size_t)n);
	/* Any zone: the next best by rank, then code, each once. */
	while (zone == SL_SEATPICK_ANY_ZONE && at == (size_t)-1 &&
	    ndone < nzones && ndone < sizeof done / sizeof done[0]) {
		size_t z, next = (size_t)-1;

		for (z = 0; z < nzones; z++) {
			int seen = 0;

			for (k = 0; k < ndone; k++)
				seen |= done[k] == z;
			if (!seen && (next == (size_t)-1 ||
			    zones[z].rank < zones[next].rank ||
			    (zones[z].rank == zones[next].rank &&
			    strcmp(zones[z].code, zones[next].code) < 0)))
				next = z;
		}
		done[ndone++] = next;
		at = pick_zone(m, (int)next, (size_t)n);
	}
	if (zone == SL_SEATPICK_ANY_ZONE && at == (size_t)-1)
		at = pick_zone(m, -1, (size_t)n);
	if (at == (size_t)-1)
		return -1;
	for (k = 0; k < (size_t)n; k++)
		idx[k] = at + k;
	return 0;
}
