/*
 * sl_seatpick.h - best available on a seat map: the box office finds the
 * best block of adjacent free seats on its live map, holds it
 * (sl_hold_seats), and shows the seats and their price before it sells
 * them.  No database: the map as last read; a seat taken meanwhile makes
 * the hold fail, and the caller reads the map again and picks again.
 */
#ifndef SL_SEATPICK_H
#define SL_SEATPICK_H

#include <stddef.h>

#include "sl_seatmap.h"
#include "sl_zone.h"

/* The zone argument of sl_seatpick_best: the best zone that has them. */
#define SL_SEATPICK_ANY_ZONE	(-2)

/*
 * Finds the n (1..SL_SEATMAP_MAX_SELECTION) best adjacent seats that look
 * available on map m, by the rules of the database's best available
 * (sl_book_best, sql/functions/best.sql): adjacent is one section, one row,
 * one map line, consecutive map columns; accessible and companion seats are
 * never picked; within a zone, blocks that leave no single empty seat
 * beside them in their run of free seats first, then fewer restricted-view
 * seats, then nearest the stage (lowest y), then nearest the centre of the
 * row (over all its seats), then leftmost.
 *
 * zone: an index into zones (nzones, the show's zones as the map's seats
 * name them), -1 for the seats in no zone, or SL_SEATPICK_ANY_ZONE: the
 * zones by rank (then code), the seats in no zone last, the first that has
 * n together.  Writes n seat indexes, left to right, to idx and returns 0;
 * -1 when there is no such block.
 */
int	sl_seatpick_best(const struct sl_seatmap *m, const struct sl_zone *zones,
	    size_t nzones, int zone, int n, size_t *idx);

#endif
