/*
 * sl_err.h - result codes and error details shared by every core module.
 *
 * Fallible core functions return an enum sl_rc and, when given one, fill a
 * struct sl_err with a message a clerk can read and the SQLSTATE behind it.
 */
#ifndef SL_ERR_H
#define SL_ERR_H

#include <stdarg.h>

enum sl_rc {
	SL_OK = 0,
	SL_ENOMEM,	/* out of memory */
	SL_EINVAL,	/* bad argument or invalid input */
	SL_ECONFLICT,	/* seat taken, held or blocked; duplicate email */
	SL_ENOTFOUND,	/* show, seat, user or booking not found */
	SL_ECONN,	/* connection lost or could not connect */
	SL_EDB,		/* any other database error */
	SL_ECONFIG,	/* configuration file or setting invalid */
	SL_ERETRY,	/* serialization failure or deadlock: try again */
	SL_EBUSY,	/* lock or statement timeout: seat busy, try again */
	SL_EIO,		/* file could not be read */
};

/*
 * The SQLSTATE of a sale or hold refused because the show is not on sale
 * (before its on-sale time, or from its off-sale time on): SL_ECONFLICT,
 * and the message says when sales open or that they have closed.
 */
#define SL_SQLSTATE_OFF_SALE	"SL410"

#define SL_ERR_MSG	512
#define SL_ERR_DETAIL	512

struct sl_err {
	enum sl_rc	rc;
	char		sqlstate[6];	/* "" when not from the database */
	char		msg[SL_ERR_MSG];
	char		detail[SL_ERR_DETAIL]; /* e.g. the seats that conflict */
};

/* Fills e (if not NULL) and returns rc.  The message is printf-formatted. */
enum sl_rc	sl_err_set(struct sl_err *e, enum sl_rc rc, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Clears e (if not NULL). */
void		sl_err_clear(struct sl_err *e);

/* A short English name of rc, for logs ("conflict", "not found"). */
const char	*sl_rc_name(enum sl_rc rc);

/*
 * Maps a SQLSTATE to a result code.  This is the one place where SQLSTATEs
 * are interpreted: 40001 and 40P01 retry, 55P03 and 57014 busy, 23505,
 * SL409, SL403 (a supervisor is needed) and SL410 (not on sale) conflict,
 * SL404 not found, SL400 and the 22/23 classes invalid input, class 08 and
 * 57P0x connection lost.
 */
enum sl_rc	sl_rc_from_sqlstate(const char *sqlstate);

/* The command-line exit code of rc: 0, 1, 2, 3 or 4 (README.md). */
int		sl_rc_exit_code(enum sl_rc rc);

#endif
