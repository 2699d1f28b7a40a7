/*
 * sl_layout.h - venue layout files (libconfig syntax), parsed and checked
 * without touching the database.  The format is documented in
 * assets/README.md; in short:
 *
 *   venue = {
 *     name = "The Playhouse";
 *     sections = (
 *       { name = "Stalls"; prefix = ""; x = 4; y = 2; zone = "A";
 *         rows = (
 *           { row = "A"; x = 3; seats = "1-6 _ 7-14 _ 15-20";
 *             accessible = "1 20"; companion = "2 19"; restricted = "";
 *             zone = "B"; }
 *         ); }
 *     );
 *   };
 *
 * A seat's label is prefix + row + number, upper case, unique in the venue;
 * its map position is (section x + row x + column, section y + row index,
 * or the row's own y).  "_" in a pattern is one empty column (an aisle).
 * zone (section default, row override) is the seat's price zone code: a
 * show that defines a zone of that code puts the seat in it.
 */
#ifndef SL_LAYOUT_H
#define SL_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "sl_err.h"
#include "sl_parse.h"
#include "sl_parse.h"

#define SL_LAYOUT_MAX_SEATS	200000
#define SL_LAYOUT_MAX_COORD	100000
#define SL_LAYOUT_MAX_NUMBER	100000
#define SL_LAYOUT_MAX_ZONES	100	/* distinct zone codes in a layout */

struct sl_layout_seat {
	char		label[SL_LABEL_MAX + 1];
	char		row[21];
	int32_t		number;
	int32_t		x, y;
	uint16_t	section;
	uint8_t		accessible : 1, companion : 1, restricted : 1;
	uint8_t		zone;	/* 1 + index into sl_layout.zone; 0: none */
};

struct sl_layout {
	char			*name;
	size_t			 nsections;
	char			**section;
	size_t			 n;
	struct sl_layout_seat	*seat;
	size_t			 nzones;
	char			**zone;	/* zone codes, upper case */
};


/*
 * Parses a layout from text (name is the file name used in messages).  On
 * SL_OK *out is the caller's (sl_layout_free).  Any error - syntax, unknown
 * key, wrong type, empty row, duplicate label or position, numbers or sizes
 * out of range - is SL_EINVAL with "file:line: reason" in e->msg, and
 * nothing is returned.
 */
enum sl_rc	sl_layout_parse(const char *text, const char *name,
		    struct sl_layout **out, struct sl_err *e);

/* Reads and parses a file (at most 16 MiB).  Errors as above, or SL_EIO. */
enum sl_rc	sl_layout_load(const char *path, struct sl_layout **out,
		    struct sl_err *e);

void		sl_layout_free(struct sl_layout *l);

#endif
