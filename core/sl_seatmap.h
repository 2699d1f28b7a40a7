/*
 * sl_seatmap.h - the seat map model of the box office, without curses:
 * the venue laid out in lines, a cursor that moves seat to seat, the
 * clerk's selection (client side only), the seats' states as last read, and
 * what a reload changed.
 *
 * Coordinates are the map positions of the layout (x to the right, y away
 * from the stage).  A "line" is all the seats with one y, left to right; a
 * line may hold seats of several rows or sections (the boxes beside the
 * stalls).  Empty map lines are not stored: the front end draws a gap.
 *
 * Indexes of seats are stable for the life of the map (map order: y, x).
 */
#ifndef SL_SEATMAP_H
#define SL_SEATMAP_H

#include <stddef.h>
#include <stdint.h>

#include "sl_err.h"
#include "sl_show.h"

/* What a seat looks like to this terminal, in order of precedence. */
enum sl_seatmap_look {
	SL_LOOK_AVAILABLE,
	SL_LOOK_SELECTED,	/* in my selection */
	SL_LOOK_HELD_MINE,	/* held by this terminal */
	SL_LOOK_HELD,		/* held by another terminal */
	SL_LOOK_BOOKED,
	SL_LOOK_BLOCKED,
};
#define SL_LOOK_COUNT	6

struct sl_seatmap_seat {
	int64_t		id;
	char		label[SL_LABEL_MAX + 1];
	char		row[21];
	int32_t		number;
	int32_t		x, y;
	uint16_t	section;
	uint8_t		state;		/* enum sl_seat_state, as last read */
	uint8_t		accessible : 1, companion : 1, restricted : 1,
			selected : 1, held_mine : 1;
	int32_t		zone;		/* index into sl_seats.zone, or -1 */
};

struct sl_seatmap_line {
	int32_t		y;
	size_t		first;		/* index of its leftmost seat */
	size_t		n;
	uint16_t	section;	/* the section most of its seats are in */
	int		section_start;	/* first line of that section */
	char		label[SL_LABEL_MAX + 1]; /* row label for both ends */
};

enum sl_seatmap_dir { SL_DIR_LEFT, SL_DIR_RIGHT, SL_DIR_UP, SL_DIR_DOWN };

struct sl_seatmap_counts {
	size_t	available, held, booked, blocked, selected, total;
};

struct sl_seatmap;

/*
 * Builds the map from a show's seats (copied; s stays the caller's).  The
 * cursor starts on the available seat nearest to the middle of the line
 * closest to the stage that has one.  Errors: SL_EINVAL (no seats),
 * SL_ENOMEM.  *out is the caller's (sl_seatmap_free).
 */
enum sl_rc	sl_seatmap_new(const struct sl_seats *s, struct sl_seatmap **out,
		    struct sl_err *e);
void		sl_seatmap_free(struct sl_seatmap *m);

size_t		sl_seatmap_nseats(const struct sl_seatmap *m);
const struct sl_seatmap_seat *sl_seatmap_seat(const struct sl_seatmap *m,
		    size_t i);
size_t		sl_seatmap_nlines(const struct sl_seatmap *m);
const struct sl_seatmap_line *sl_seatmap_line(const struct sl_seatmap *m,
		    size_t i);
/* The line of seat i. */
size_t		sl_seatmap_line_of(const struct sl_seatmap *m, size_t i);
size_t		sl_seatmap_nsections(const struct sl_seatmap *m);
/* A section's name (borrowed; "" if out of range). */
const char	*sl_seatmap_section(const struct sl_seatmap *m, size_t i);
/* The smallest and largest x and y of any seat. */
void		sl_seatmap_bounds(const struct sl_seatmap *m, int32_t *minx,
		    int32_t *maxx, int32_t *miny, int32_t *maxy);
int64_t		sl_seatmap_show(const struct sl_seatmap *m);
/* The change sequence of the state last applied in full. */
int64_t		sl_seatmap_seq(const struct sl_seatmap *m);

/* How seat i looks now. */
enum sl_seatmap_look sl_seatmap_look(const struct sl_seatmap *m, size_t i);

/* ---- the cursor -------------------------------------------------------- */

size_t		sl_seatmap_cursor(const struct sl_seatmap *m);
void		sl_seatmap_set_cursor(struct sl_seatmap *m, size_t i);

/*
 * Moves the cursor to the nearest seat in that direction, across aisles,
 * gaps and sections: left/right stay on the line if they can, else the
 * nearest seat within a narrow cone; up/down go to the nearest line in a
 * cone of about 60 degrees, else anywhere in that half of the map.
 * Returns 1 if the cursor moved, 0 at the edge.
 */
int		sl_seatmap_move(struct sl_seatmap *m, enum sl_seatmap_dir d);

/* Moves the cursor `lines` lines up (negative) or down, to the seat nearest
 * in x: PgUp/PgDn.  Returns 1 if it moved. */
int		sl_seatmap_page(struct sl_seatmap *m, int lines);

/* To the first (end == 0) or last seat of the cursor's line. */
int		sl_seatmap_home_end(struct sl_seatmap *m, int end);

/* The seat with this label (case-insensitive), or -1. */
long		sl_seatmap_find(const struct sl_seatmap *m, const char *label);

/*
 * Jumps to the seat labelled exactly text, else to the first seat (in map
 * order) whose label starts with it, case-insensitively.  Returns the seat
 * index, or -1 (cursor unchanged).
 */
long		sl_seatmap_jump(struct sl_seatmap *m, const char *text);

/* The seat at map position (x, y), or -1. */
long		sl_seatmap_at(const struct sl_seatmap *m, int32_t x, int32_t y);

/* ---- the selection ----------------------------------------------------- */

enum sl_seatmap_toggle {
	SL_TOGGLE_ADDED,
	SL_TOGGLE_REMOVED,
	SL_TOGGLE_UNAVAILABLE,	/* not selectable: sold, held or blocked */
	SL_TOGGLE_FULL,		/* SL_SEATMAP_MAX_SELECTION reached */
};
#define SL_SEATMAP_MAX_SELECTION	100	/* what sl_book accepts */

enum sl_seatmap_toggle sl_seatmap_toggle(struct sl_seatmap *m, size_t i);
void		sl_seatmap_clear(struct sl_seatmap *m);
size_t		sl_seatmap_nselected(const struct sl_seatmap *m);
/* Writes up to max selected seat indexes, in map order; returns how many
 * are selected. */
size_t		sl_seatmap_selected(const struct sl_seatmap *m, size_t *idx,
		    size_t max);

/* Marks seat id as held by this terminal (or not): for holds. */
void		sl_seatmap_set_held_mine(struct sl_seatmap *m, int64_t id,
		    int mine);

/* ---- applying states --------------------------------------------------- */

/*
 * Applies the states of n seats (by id) read from the database.  A
 * selected seat that is no longer available (and not held by me) is
 * dropped from the selection and its index written to lost (up to maxlost);
 * *nlost (may be NULL) is how many were dropped.  Ids not on the map are
 * ignored and counted in the return value: a non-zero return means the
 * layout changed and the caller should build the map anew.
 */
size_t		sl_seatmap_apply(struct sl_seatmap *m, const int64_t *ids,
		    const uint8_t *states, size_t n, size_t *lost,
		    size_t maxlost, size_t *nlost);

/*
 * Applies a full reload: every seat of s, and s->change_seq as the map's
 * sequence.  Returns -1 if s does not have exactly the map's seats (build
 * anew), else 0.  lost/nlost as above.
 */
int		sl_seatmap_reload(struct sl_seatmap *m, const struct sl_seats *s,
		    size_t *lost, size_t maxlost, size_t *nlost);

/*
 * The same from the states alone (sl_show_states), with seq, the show's
 * change sequence of that read: -1 if they are not exactly the map's
 * seats (read the layout and build anew), else 0.
 */
int		sl_seatmap_reload_states(struct sl_seatmap *m,
		    const struct sl_states *st, int64_t seq, size_t *lost,
		    size_t maxlost, size_t *nlost);

void		sl_seatmap_counts(const struct sl_seatmap *m,
		    struct sl_seatmap_counts *c);

#endif
