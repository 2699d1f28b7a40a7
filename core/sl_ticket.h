/*
 * sl_ticket.h - tickets and check-in at the door.
 *
 * Every sold seat has a ticket code: 15 bytes the database derives from
 * the booking (its number and an 80-bit HMAC under a key nobody but the
 * database's owner reads: sql/functions/tickets.sql), written for people
 * as 24 base32 symbols (0-9 and A-Z without I, L, O, U) and one check
 * symbol, in groups of five: "0K3QF-7ZC2M-9XB4T-WQ1RD-HV8NP".  Reading one
 * back ignores case, spaces and dashes, takes O for 0 and I or L for 1,
 * and the check symbol catches one wrong symbol and two swapped
 * neighbours.  A QR code carries exactly this text.  A cancel voids a
 * code; an exchange voids the old seat's and the new seat has its own.
 */
#ifndef SL_TICKET_H
#define SL_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "sl_db.h"
#include "sl_parse.h"

#define SL_TICKET_RAW		15	/* bytes of a code */
#define SL_TICKET_CODE_MAX	29	/* 25 symbols and 4 dashes */
#define SL_DOOR_MAX		64	/* bytes of a door's name */

/* Writes raw as the grouped code with its check symbol (out holds
 * SL_TICKET_CODE_MAX + 1 bytes). */
void		sl_ticket_code_format(const unsigned char *raw, char *out);

/*
 * Reads a code as typed or scanned into raw (SL_TICKET_RAW bytes).
 * SL_EINVAL saying why: empty, a character that is not in a code, too
 * short or too long, or a wrong check symbol ("a typo?").
 */
enum sl_rc	sl_ticket_code_parse(const char *s, unsigned char *raw,
		    struct sl_err *e);

/* One seat's ticket. */
struct sl_ticket {
	int64_t	 booking;
	int64_t	 sale;
	int64_t	 show;
	int	 active;		/* 0: cancelled or exchanged: void */
	int	 reprint;		/* printed before this printing */
	char	 code[SL_TICKET_CODE_MAX + 1];
	char	 label[SL_LABEL_MAX + 1];	/* as `seatlock seats` */
	char	 row[SL_LABEL_MAX + 1];
	char	 type[SL_PRICE_CODE_MAX + 1];	/* "" none */
	int64_t	 price_cents;
	char	 starts_at[48];		/* ISO 8601 with offset */
	char	 admitted_at[48];	/* "" not admitted */
	char	 door[SL_DOOR_MAX + 1];	/* where, "" */
	char	*section;		/* owned, like the rest */
	char	*type_name;		/* "" none */
	char	*title;
	char	*venue;
};

/*
 * The tickets of sale (booking 0) or of booking (sale 0), in seat order,
 * void ones too.  print_how (NULL: only reading) records the active ones
 * as printed now ("pdf", "print", "text", "box office"): each ticket's
 * reprint says whether it had been printed before, and the audit trail
 * gets a row "print" or "reprint".  On SL_OK *out (sl_ticket_free) holds
 * *n tickets.  SL_ENOTFOUND: no such sale or booking.
 */
enum sl_rc	sl_ticket_list(struct sl_db *db, int64_t sale, int64_t booking,
		    const char *print_how, struct sl_ticket **out, size_t *n,
		    struct sl_err *e);
void		sl_ticket_free(struct sl_ticket *v, size_t n);

enum sl_checkin_result {
	SL_CHECKIN_ADMITTED,
	SL_CHECKIN_ALREADY,	/* first_at and first_door say when, where */
	SL_CHECKIN_REFUSED	/* reason says why */
};

/* What a door learns from one scan. */
struct sl_checkin {
	enum sl_checkin_result	result;
	char	reason[256];	/* refused: "unknown", "voided", "ended",
				 * "another show: TITLE, TIME" */
	int64_t	show;		/* 0 when the code is unknown */
	char	title[256];
	char	starts_at[48];
	char	label[SL_LABEL_MAX + 1];
	char	first_at[48];
	char	first_door[SL_DOOR_MAX + 1];
	int64_t	admitted;	/* the show's tickets admitted so far */
	int64_t	sold;		/* and sold */
};

/*
 * Checks in the ticket with code (as typed or scanned) at door, for show
 * (0: any show that has not ended).  The check and the admission are one
 * transaction: two doors scanning one code at once admit it once.  Every
 * scan is recorded.  SL_OK with out filled whatever the answer;
 * SL_EINVAL: not a code at all (sl_ticket_code_parse's reason), or a bad
 * door name; SL_ECONN, SL_EDB.
 */
enum sl_rc	sl_checkin(struct sl_db *db, const char *code, int64_t show,
		    const char *door, struct sl_checkin *out,
		    struct sl_err *e);

/* sl_checkin of a scan an offline door made at time at (ISO 8601): what
 * the database says of it now (sl_door.h's sync). */
enum sl_rc	sl_checkin_at(struct sl_db *db, const unsigned char *raw,
		    int64_t show, const char *door, const char *at,
		    struct sl_checkin *out, struct sl_err *e);

/* The web reference of sale (47 bytes, "123-0123456789abcdef"), and back:
 * *sale 0 when ref is not one. */
enum sl_rc	sl_sale_ref(struct sl_db *db, int64_t sale, char *ref,
		    struct sl_err *e);
enum sl_rc	sl_sale_by_ref(struct sl_db *db, const char *ref,
		    int64_t *sale, struct sl_err *e);

/* The valid tickets of show for an offline door: code and seat. */
struct sl_door_ticket {
	char	 code[SL_TICKET_CODE_MAX + 1];
	int64_t	 booking;
	int	 admitted;
	char	 label[SL_LABEL_MAX + 1];
};
enum sl_rc	sl_door_tickets(struct sl_db *db, int64_t show,
		    struct sl_door_ticket **out, size_t *n, struct sl_err *e);

#endif
