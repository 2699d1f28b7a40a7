/*
 * door.h - `seatlock door`: the full-screen check-in mode of a door
 * terminal.  A barcode scanner types the code and Enter; every scan gets a
 * large ADMIT, ALREADY IN or REFUSED with its reason and seat, and the
 * count of admitted against sold.  Online it checks in through the
 * database (sl_checkin), offline against an exported file (sl_door.h).
 * Layers: door.c (the loop, keys and screen) over font.c (big letters).
 */
#ifndef DOOR_H
#define DOOR_H

#include <stdint.h>

#include "sl_db.h"
#include "sl_door.h"

struct door_opts {
	struct sl_db		*db;	/* online, or NULL */
	struct sl_door_file	*file;	/* offline, or NULL */
	int64_t			 show;	/* 0: any show (online only) */
	char			 title[512];	/* of show, "" any */
	const char		*door;	/* this door's name */
};

/* Runs the door screen until the steward quits; returns the exit code
 * (0, or 1 when the terminal cannot be set up). */
int	door_run(const struct door_opts *o);

/* Draws word in big letters (5 rows) at row y, centred in cols columns,
 * with attribute attr. */
void	door_big(int y, int cols, const char *word, int attr);

#endif
