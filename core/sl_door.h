/*
 * sl_door.h - the offline door: a show's valid ticket codes in a local
 * SQLite file, checked there with no server, and the scans sent back.
 *
 * `seatlock door --export` writes the file (sl_door_export): the show, when
 * the export was made, and each valid ticket's code and seat (void tickets
 * are not in it, so a ticket cancelled before the export is refused).  A
 * door then checks codes against the file (sl_door_scan): a code is
 * admitted once, a second scan is "already", and every scan is recorded in
 * the file with its time.  sl_door_sync sends the admissions back through
 * sl_checkin_at with their times: the main database has the last word, so
 * a ticket voided after the export or admitted elsewhere meanwhile is
 * refused or "already" there, and the caller reports it.
 */
#ifndef SL_DOOR_H
#define SL_DOOR_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_err.h"
#include "sl_ticket.h"

struct sl_door_file;

/* What a file holds. */
struct sl_door_info {
	int64_t	show;
	char	title[256];
	char	starts_at[48];
	char	exported_at[48];	/* UTC, ISO 8601 */
	int64_t	tickets;		/* valid codes in the file */
	int64_t	scans;			/* scans recorded */
	int64_t	unsynced;		/* admissions not yet sent back */
};

/* Writes the valid tickets of show into a new file at path (SL_ECONFLICT:
 * the file exists).  *info (may be NULL) says what was written. */
enum sl_rc	sl_door_export(struct sl_db *db, int64_t show, const char *path,
		    struct sl_door_info *info, struct sl_err *e);

/* Opens an exported file; SL_EINVAL saying why when it is missing, not
 * ours, or damaged. */
enum sl_rc	sl_door_open(const char *path, struct sl_door_file **out,
		    struct sl_door_info *info, struct sl_err *e);
void		sl_door_close(struct sl_door_file *f);

/*
 * Checks code at door against the file and records the scan.  SL_OK with
 * out filled (admitted, already with first_at and first_door, refused
 * "unknown" or "ended"); SL_EINVAL: not a code (recorded too, refused).
 */
enum sl_rc	sl_door_scan(struct sl_door_file *f, const char *code,
		    const char *door, struct sl_checkin *out,
		    struct sl_err *e);

/* The count of the file: admitted (online before the export, and here)
 * and sold. */
void		sl_door_count(struct sl_door_file *f, int64_t *admitted,
		    int64_t *sold);

/* A refused check-in's reason (sl_checkin's reason: "unknown", "voided",
 * "ended", "another show: ...") as a door steward reads it. */
const char	*sl_checkin_why(const char *reason);

/* One admission sent back, and what the database said of it. */
struct sl_door_synced {
	char			code[SL_TICKET_CODE_MAX + 1];
	char			at[48];		/* the offline scan's time */
	char			door[SL_DOOR_MAX + 1];
	struct sl_checkin	c;		/* admitted: all is well */
};

/*
 * Sends every admission of the file not yet sent back, in scan order, and
 * marks each as sent with the answer (a second sync sends nothing again).
 * each (may be NULL) is called for every one.  *n counts them.
 */
enum sl_rc	sl_door_sync(struct sl_db *db, struct sl_door_file *f,
		    void (*each)(void *, const struct sl_door_synced *),
		    void *ctx, size_t *n, struct sl_err *e);

#endif
