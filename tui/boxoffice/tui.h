/*
 * tui.h - the box office: ncurses screens over the core.
 *
 * One thread runs one poll() loop (loop.c) over the terminal, the listener's
 * socket and a self-pipe for signals.  Every screen has the same shape -
 * enter, draw, key, on_event - and they are listed in one table; screens
 * stack (the map above the show list, the help overlay above anything).
 * Handlers change state and return TUI_DIRTY; the loop draws and calls
 * doupdate() once per turn, only when something is dirty.  Keys are bound
 * to actions in tables (struct tui_binding).  No SQL here: everything goes
 * through core/.
 *
 * Files, each calling only those below it: loop.c (the table of screens,
 * the terminal, the poll loop), the screens scr_*.c, sale.c and select.c
 * (the actions), price.c (the sale being confirmed: types, reductions,
 * payments, sums), show.c (the open show), hold.c (this terminal's hold),
 * state.c (screen stack, messages), draw.c (text and keys).
 */
#ifndef TUI_H
#define TUI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "sl_book.h"
#include "sl_config.h"
#include "sl_customer.h"
#include "sl_db.h"
#include "sl_hold.h"
#include "sl_log.h"
#include "sl_price.h"
#include "sl_report.h"
#include "sl_sale.h"
#include "sl_notifier.h"
#include "sl_notify.h"
#include "sl_price.h"
#include "sl_sale.h"
#include "sl_seatmap.h"
#include "sl_show.h"
#include "sl_zone.h"

/* The smallest terminal the screens are laid out for. */
#define TUI_MIN_COLS	60
#define TUI_MIN_ROWS	16

enum tui_scr {
	TUI_SHOWS,
	TUI_MAP,
	TUI_CUSTOMER,
	TUI_CONFIRM,
	TUI_CANCEL,
	TUI_HELP,
	TUI_QUIT,
	TUI_REPORT,
	TUI_EXCHANGE,
	TUI_RESERVE,
	TUI_RESV,
	TUI_PAY,
	TUI_SHIFT,
	TUI_NSCREENS
};

enum tui_event {
	TUI_EV_STATES,	/* the seat states were (re)read */
	TUI_EV_CONN,	/* the connection state changed */
	TUI_EV_RESIZE,
};

/* A key as read: a character, or a curses function key (KEY_*). */
struct tui_key {
	int	fn;	/* ch is a KEY_* code */
	wint_t	ch;
};

/* Handler results. */
#define TUI_DIRTY	0x1	/* redraw */
#define TUI_UNHANDLED	0x2	/* let the loop try its global keys */

struct tui;

/* A key binding (htop's Action_setBindings): a character, or a curses
 * function key (fn), and the action it runs.  A table of them ends with
 * a NULL action. */
struct tui_binding {
	int	 fn;
	wint_t	 ch;
	void	(*act)(struct tui *);
};

struct tui_screen {
	const char	*name;
	int		 overlay;	/* drawn above the screen below */
	void		(*enter)(struct tui *);
	void		(*draw)(struct tui *);
	int		(*key)(struct tui *, const struct tui_key *);
	void		(*on_event)(struct tui *, enum tui_event);
};

/* Colour roles (htop style): drawn by role, mapped to a colour or to a
 * monochrome attribute once at start. */
enum tui_role {
	TR_NORMAL,
	TR_TITLE,
	TR_STATUS,
	TR_STATUS_BAD,
	TR_LABEL,
	TR_STAGE,
	TR_SECTION,
	TR_AVAILABLE,
	TR_SELECTED,
	TR_HELD_MINE,
	TR_HELD,
	TR_BOOKED,
	TR_BLOCKED,
	TR_MSG_OK,
	TR_MSG_ERR,
	TR_MSG_INFO,
	TR_FIELD,
	TR_HILITE,
	TR_NROLES
};

/* A one-line text field (UTF-8), edited at its end. */
struct tui_field {
	char	buf[256];
	size_t	len;
	size_t	max;	/* bytes, < sizeof buf */
};

enum tui_msg { TUI_MSG_INFO, TUI_MSG_OK, TUI_MSG_ERR };
enum tui_action { TUI_ACT_NONE, TUI_ACT_BOOK };

struct tui_shows {
	struct sl_show		*v;
	size_t			 n;
	size_t			*vis;	/* indexes passing the filter */
	size_t			 nvis;
	size_t			 sel, top;
	struct tui_field	 filter;
	char			 error[SL_ERR_MSG];
};

struct tui_mapview {
	int			 top;	/* first content row shown */
	int			 left;	/* first map column shown */
	char			 jump[SL_LABEL_MAX + 1];
	int64_t			 jump_until;
	int			 prompt; /* "go to seat" prompt is open */
	int			 bprompt; /* "best available" prompt */
	struct tui_field	 best;	/* its text: "N [ZONE]" */
	/* Geometry of the last draw, for the mouse. */
	int			 y0, rows, x0, cols;
	int			*rowline; /* content row -> line or -1 */
	int			 nrowline;
};

struct tui_cust {
	int			 form;	/* 0 search, 1 new customer */
	struct tui_field	 q;
	struct sl_customer	*v;
	size_t			 n, sel;
	struct tui_field	 f[3];	/* name, email, phone */
	int			 focus;
	char			 error[SL_ERR_MSG];
};

/* What a clerk found by a sale or booking number or a customer's name
 * (find.c): a whole sale (booking 0) or one booking. */
struct tui_found {
	int64_t			 sale;
	int64_t			 booking;	/* 0: the whole sale */
	int64_t			 show;
	int64_t			 cents;		/* its price (active seats) */
	int			 active;	/* seats still active */
	char			 seats[256];	/* its seat labels */
	char			 title[128];
	char			 when[48];
	char			 name[128];	/* the customer, or "walk-up" */
};

/* A search field and what it found. */
struct tui_finder {
	struct tui_field	 q;
	char			 searched[256];
	struct tui_found	*v;
	size_t			 n, sel, top;
	char			 error[SL_ERR_MSG];
};

/* A payment or refund method chosen from booking.methods (money.c). */
struct tui_method {
	char			 v[9][SL_METHOD_MAX + 1];
	size_t			 n;
	int			 sel;		/* -1: none chosen yet */
};

/* Seats with a price type each: an exchange's new seats, a reservation
 * being sold (money.c).  New seats get their zone's default type. */
#define TUI_NSEL	SL_SEATMAP_MAX_SELECTION
struct tui_priced {
	int64_t			 show;
	size_t			 n, sel;
	char			 label[TUI_NSEL][SL_LABEL_MAX + 1];
	char			 zone[TUI_NSEL][SL_ZONE_MAX + 1];
	char			 type[TUI_NSEL][SL_PRICE_CODE_MAX + 1];
	int64_t			 cents[SL_SEATMAP_MAX_SELECTION];
	struct sl_price		*pv;
	size_t			 pn;
	struct sl_seats		*seats;
};

struct tui_cancel {
	struct tui_finder	 f;
	int			 asking; /* "cancel this?" (2: the code) */
	int64_t			 paid, refund;	/* the preview */
	struct tui_method	 m;
	struct tui_field	 auth;	/* a supervisor's code */
	char			 key[64];
};

/* The exchange (scr_exchange.c): find, tick the bookings, pick the new
 * seats on the map, confirm. */
struct tui_exch {
	int			 stage;	/* 0 find, 1 tick, 2 pick, 3 confirm */
	struct tui_finder	 f;
	int64_t			 sale;
	int64_t			 show;	/* the old seats' */
	int64_t			 book[SL_SEATMAP_MAX_SELECTION];
	char			 blabel[TUI_NSEL][SL_LABEL_MAX + 1];
	int64_t			 bcents[SL_SEATMAP_MAX_SELECTION];
	int			 on[SL_SEATMAP_MAX_SELECTION];
	size_t			 nb, sel, non;
	int64_t			 paid, total;	/* the old sale's */
	struct tui_priced	 np;
	struct tui_method	 m;
	int			 leave_due;
	char			 key[64];
	char			 error[SL_ERR_MSG];
};

/* Reservations (scr_reserve.c): the form, the list, selling one. */
struct tui_resv {
	struct tui_field	 who;	/* a name, or a customer's number */
	struct tui_field	 until;	/* "2026-12-24 18:00" */
	int			 focus;
	struct tui_field	 q;	/* the list's search */
	char			 searched[256];
	struct sl_reservation	*v;
	size_t			 n, sel, top;
	int			 selling;
	struct tui_priced	 np;
	struct tui_method	 m;
	char			 key[64];
	char			 error[SL_ERR_MSG];
};

/* At most this many payments make one sale (a split payment). */
#define TUI_PAY_MAX	8

/* What the confirm screen's prompt asks (a comp, a discount, a voucher). */
enum tui_ask {
	TUI_ASK_NONE,
	TUI_ASK_COMP,		/* the comp's reason */
	TUI_ASK_DISC,		/* the discount's amount */
	TUI_ASK_DREASON,	/* the discount's reason */
	TUI_ASK_AUTH,		/* a supervisor's code (comp, discount) */
	TUI_ASK_VOUCHER,	/* a voucher code */
	TUI_ASK_SALE,		/* the payment screen: a sale's number */
};

/* The sale being confirmed and paid (price.c, scr_confirm.c, scr_pay.c):
 * its seats with their price types, a comp, discount or voucher, the
 * payments taken so far; or an existing sale being paid (sale != 0). */
struct tui_sale {
	struct sl_price		*prices;	/* the show's price types */
	size_t			 nprices;
	size_t			 n;		/* seats, selection order */
	size_t			 map[SL_SEATMAP_MAX_SELECTION]; /* map index */
	int			 type[SL_SEATMAP_MAX_SELECTION]; /* in prices,
						   -1: the zone's price */
	size_t			 cur;		/* the seat the keys change */
	char			 red;		/* 'c' comp, 'd' discount,
						   'v' voucher, 0 none */
	char			 reason[128];	/* the comp's or discount's */
	int64_t			 disc_cents;
	char			 voucher[40];
	int			 vpercent;	/* the voucher's, or */
	int64_t			 vcents;	/* its amount off */
	char			 auth[SL_AUTH_MAX + 1];
	enum tui_ask		 ask;		/* a prompt is open */
	struct tui_field	 f;		/* its text */
	char			 error[SL_ERR_MSG + 160];
	/* Payment. */
	int64_t			 sale;		/* an existing sale, or 0 */
	int64_t			 sale_due;	/* what it has due */
	int64_t			 sale_total;
	char			 method[TUI_PAY_MAX][SL_METHOD_MAX + 1];
	int64_t			 cents[TUI_PAY_MAX]; /* cash: tendered */
	size_t			 npay;
	int			 m;		/* the method offered */
	struct tui_field	 amount;
	/* The receipt of the last sale or payment (done: shown). */
	int			 done;
	int64_t			 r_sale, r_total, r_paid, r_change, r_due;
};

/* The shift screen: the X report, opening (float) and closing (counted). */
struct tui_shift {
	json_t			*doc;		/* the last report, or NULL */
	int			 form;	/* 0 report, 'o' open, 'z' close */
	struct tui_field	 f;
	char			 error[SL_ERR_MSG];
};

struct tui {
	const struct tui_screen *const *screens; /* by enum tui_scr (loop.c) */
	struct sl_config	*cfg;
	struct sl_db		*db;
	struct sl_notify	*nf;
	struct sl_notifier	*notifier;	/* live push: a candidate */
	int			 utf8;
	int			 color;
	int			 mouse;
	int			 quit;
	int			 dirty;
	int			 rows, cols;
	int			 cur_y, cur_x, cur_on; /* text cursor */
	enum tui_scr		 stack[8];
	int			 depth;
	int			 quit_leaves; /* the quit question is about
					       leaving the map, not quitting */
	int			 help_page;	/* the help's page shown */

	/* The show open in the map. */
	struct sl_show		*show;
	struct sl_seatmap	*map;
	int			 stale;	/* may be out of date */
	int			 lost;	/* listener lost, not back yet */
	int			 relay_lost; /* ... and it was the relay */
	int			 reload;	/* full reload wanted */
	int64_t			 reload_at;	/* retry time, ms */
	int64_t			 pending[SL_NOTIFY_MAX_SEATS];
	size_t			 npending;
	struct sl_log_limit	 gap_lim;	/* gap lines: a flood */
	struct sl_log_limit	 read_lim;	/* re-read lines: a flood */
	enum sl_notify_status	 conn;
	int			 notlive;	/* no notifier beats: reload */
	int			 beat_err;	/* beat unreadable, logged */
	int64_t			 beat_at;	/* next read of the beat, ms */
	int64_t			 notlive_at;	/* next reload while not live */

	char			 msg[512];
	enum tui_msg		 msg_kind;
	int64_t			 msg_until;

	/* The sale in progress. */
	int64_t			 cust_id;
	char			 cust_name[SL_NAME_MAX + 1];
	char			 cust_email[256];
	char			 key[64];	/* request key of this sale */
	enum tui_action		 action;

	/* This terminal's hold: the selection is one hold (sl_hold_change),
	 * made on the first seat and released when the selection goes. */
	int64_t			 hold_id;	/* 0: none */
	int64_t			 hold_until;	/* sl_db_now() when it runs out */
	/* Who holds what in the open show (sl_hold_list), for the seat
	 * under the cursor; and the last full read, for zones and prices. */
	struct sl_hold		*holds;
	size_t			 nholds;
	struct sl_seats		*seats;

	/* Best available: the selection is its n seats, held (0: the
	 * clerk's own selection). */
	int			 best_n;
	char			 best_zone[SL_ZONE_MAX + 1];

	/* The report screen. */
	int64_t			 report_show;
	struct sl_report	*report;
	json_t			*report_days;	/* the chart's: last days */
	int			 report_chart;	/* showing the chart */
	char			 report_err[SL_ERR_MSG];

	struct tui_shows	 shows;
	struct tui_mapview	 mv;
	struct tui_cust		 cust;
	struct tui_cancel	 cancel;
	struct tui_exch		 exch;
	struct tui_resv		 resv;

	/* Runs once after the next draw (a long call after "Working..."). */
	void			(*later)(struct tui *);
	struct tui_sale		 sale;
	struct tui_shift	 shift;
	int64_t			 shift_id;	/* the login's open shift, 0 none,
						   -1 not known */
};

extern const struct tui_screen tui_scr_shows, tui_scr_map, tui_scr_customer,
    tui_scr_confirm, tui_scr_cancel, tui_scr_help, tui_scr_quit,
    tui_scr_report, tui_scr_exchange, tui_scr_reserve, tui_scr_resv,
    tui_scr_pay, tui_scr_shift;

/*
 * scr_pay.c: takes payment for an existing sale with a balance due (a sale
 * left to pay later, the difference of an exchange): reads the sale and
 * opens the payment screen on it; each payment the clerk takes is sent at
 * once (sl_sale_pay), the receipt shows what was paid and the change.
 * Returns 0 when the screen is open, -1 when the sale could not be read or
 * has nothing due (a message says why).
 */
int		tui_pay_sale(struct tui *t, int64_t sale);
/* F4: asks for a sale's number, then pays it (tui_pay_sale). */
void		tui_pay_ask(struct tui *t);

/* tickets.c: prints sale's tickets (ticket.printer), or writes their PDF
 * to the home directory when no printer is configured; a reprint is
 * marked; the message line says what was done and where. */
void		tui_tickets_print(struct tui *t, int64_t sale);

/* scr_shift.c: F3 opens the shift screen; at start, reads whether this
 * login has a shift open (t->shift_id, for the status line). */
void		tui_shift_key(struct tui *t);
void		tui_shift_check(struct tui *t);

/* Runs the box office; show > 0 opens that show's map.  Returns the exit
 * code. */
int		tui_run(struct sl_config *cfg, int64_t show);

/* ---- state.c: the screen stack, messages, reading the show (the clock is
 * the library's sl_db_now) ---------------------------------------------- */

void		tui_push(struct tui *t, enum tui_scr s);
void		tui_pop(struct tui *t);
/* Pops screens until s is on top (if it is on the stack). */
void		tui_pop_to(struct tui *t, enum tui_scr s);
enum tui_scr	tui_top(const struct tui *t);
void		tui_message(struct tui *t, enum tui_msg kind, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
/* Tells every screen on the stack. */
void		tui_broadcast(struct tui *t, enum tui_event ev);
/* After a core call failed with rc: reconnects the booking connection if
 * it was lost and the listener says the server is there (else the
 * reconnect would only wait for a timeout).  Returns 1 if worth a retry. */
int		tui_db_retry(struct tui *t, enum sl_rc rc);
/* Seconds left of the hold (0 if none). */
int64_t		tui_hold_left(const struct tui *t);
/* "9:58" */
void		tui_hold_clock(const struct tui *t, char *buf, size_t bufsz);
/* The live hold or block holding seat label, or NULL. */
const struct sl_hold *tui_hold_of(const struct tui *t, const char *label);
/* The zone (borrowed, NULL if none) and price of seat i of the map. */
const struct sl_zone *tui_seat_zone(const struct tui *t, size_t i);
/* Formats money in the configured currency. */
void		tui_money(const struct tui *t, int64_t cents, char *buf,
		    size_t bufsz);

/* ---- hold.c: this terminal's hold ------------------------------------- */

/* Releases the hold and clears the selection (best effort: expiry covers
 * a failure).  why (may be NULL) is logged. */
void		tui_hold_release(struct tui *t, const char *why);
/* Re-reads who holds which seat of the open show. */
int		tui_holds_refresh(struct tui *t);
/* Sets seat i's state in the map at once (mine: held by this terminal);
 * the notification confirms it. */
void		tui_hold_set_state(struct tui *t, size_t i,
		    enum sl_seat_state st, int mine);
/* The hold was made or changed: its time starts again. */
void		tui_hold_started(struct tui *t);

/* ---- show.c: the open show -------------------------------------------- */

/* Opens show id in the map screen; 0 or an error shown as a message. */
int		tui_open_show(struct tui *t, int64_t id);
void		tui_close_show(struct tui *t);
/* Reads the whole show again now (after a failure, on `r`). */
void		tui_reload_now(struct tui *t);
/* Drains the listener's events and brings the map up to date. */
void		tui_live(struct tui *t);
/* Reads the notifier's heartbeat (every TUI_BEAT_MS): with no notifier
 * beating, says "not live" and reloads the show every few seconds; when it
 * returns, says live and reloads once. */
void		tui_beat(struct tui *t);
#define TUI_BEAT_MS	1000
/* The hold ran out, or lost seats: drops it with a message. */
void		tui_hold_expired(struct tui *t);
/* After seats were re-read: drops a hold that lost seats. */
void		tui_hold_check(struct tui *t, size_t nlost);
/* Asks to quit (or leave the map): asks first if seats are selected. */
void		tui_request_quit(struct tui *t, int leave_only);
/* A clerk's words for a failed booking, with the map re-read first. */
void		tui_explain_failure(struct tui *t, const struct sl_err *e,
		    char *buf, size_t bufsz);

/* ---- select.c: the selection as a hold -------------------------------- */

/*
 * Selects or unselects seat i of the map, holding it for this terminal
 * (or letting it go) first: the selection is never wider than the hold.
 * Failures are shown as messages.
 */
void		tui_hold_toggle(struct tui *t, size_t i);
/*
 * Adds the seats idx[0..n) (free, not selected) to the selection and the
 * hold in one call, all or none.  Returns SL_OK, or the failure with the
 * selection as it was: the database's shown as a message (SL_ECONFLICT: a
 * seat was just taken; the map is read again), SL_EINVAL for a seat that
 * is not free on the map, the caller's to explain (checked before).
 */
enum sl_rc	tui_hold_add(struct tui *t, const size_t *idx, size_t n);
/*
 * Best available as the selection: the database holds the n (1 to
 * SL_BEST_MAX) best adjacent free seats (in zone, "" for the best zone that
 * has n together) for this terminal (sl_hold_best), and they become the
 * selection; idx[0..n) are their seats on the map, in seat order.  Any
 * failure is shown as a message and nothing is held.
 */
enum sl_rc	tui_hold_best(struct tui *t, int n, const char *zone,
		    size_t *idx);
/* The clerk declined best available's seats: they are let go (the hold
 * released), and the map is shown again. */
void		tui_best_let_go(struct tui *t);

/* ---- sale.c: the actions ----------------------------------------------- */

/* Runs action a (book the selection; the cancel screen runs its own). */
void		tui_sale_run(struct tui *t, enum tui_action a);
/* A clerk's words for a payment refused (no open shift, not paid in full,
 * a supervisor needed), into buf. */
void		tui_pay_explain(const struct sl_err *e, const char *what,
		    char *buf, size_t bufsz);

/* ---- price.c: the sale's price types, reductions and sums ----------- */

/* The sale of the selection starts (the confirm screen): its seats at their
 * zone's default type, no comp/discount/voucher, no payment. */
void		tui_sale_begin(struct tui *t);
/* Forgets the sale (its price list too). */
void		tui_sale_end(struct tui *t);
/* Seat i's price type (NULL: its zone's price) and price. */
const struct sl_price *tui_sale_type(const struct tui *t, size_t i);
int64_t		tui_sale_price(const struct tui *t, size_t i);
/* The next (dir 1) or previous (-1) price type of seat i's zone. */
void		tui_sale_cycle(struct tui *t, size_t i, int dir);
/* Every seat whose zone has it gets seat i's price type. */
void		tui_sale_all(struct tui *t, size_t i);
/* The seats' prices summed; what the comp, discount or voucher takes off;
 * what the payments so far count for; what is still due. */
int64_t		tui_sale_list(const struct tui *t);
int64_t		tui_sale_off(const struct tui *t);
int64_t		tui_sale_paid(const struct tui *t);
int64_t		tui_sale_due(const struct tui *t);
/* Looks voucher code up: SL_OK (it is the sale's voucher now), else a
 * clerk's message in e. */
enum sl_rc	tui_sale_voucher(struct tui *t, const char *code,
		    struct sl_err *e);
/* The sale's options for sl_sale_hold/sl_sale_book: types (n slots) in the
 * seats' seat order (labels, when not NULL, gets the labels in the same
 * order), the reduction and the payments (pay: TUI_PAY_MAX slots). */
void		tui_sale_opts(const struct tui *t, struct sl_sale_opts *o,
		    const char **types, const char **labels,
		    struct sl_pay *pay);
/* "label ........ 12.50 EUR" in w columns at y, x. */
void		tui_money_line(struct tui *t, int y, int x, int w,
		    const char *label, int64_t cents, int attr);
/* The methods this terminal takes: the i-th (NULL past the last). */
const char	*tui_method(const struct tui *t, int i, char *buf,
		    size_t bufsz);

/* ---- find.c: a sale or booking by number, or a customer's bookings ---- */

void		tui_find_init(struct tui_finder *f);
void		tui_find_free(struct tui_finder *f);
/* Searches for f->q: a number finds the sale and the booking with that
 * number, a name or email the customer's active bookings. */
void		tui_find_run(struct tui *t, struct tui_finder *f);
/* Draws the list from line y, h lines. */
void		tui_find_draw(struct tui *t, struct tui_finder *f, int y,
		    int h);
/* Up/Down/PgUp/PgDn on the list: 1 if k was one. */
int		tui_find_key(struct tui_finder *f, const struct tui_key *k);
/* The sale's document (sl_sale_get), NULL with a message. */
json_t		*tui_sale_doc(struct tui *t, int64_t sale);

/* ---- money.c: price types per seat, methods ----------------------------- */

/* Loads the seats' zones and the show's price types, each seat at its
 * zone's default type.  0, or -1 with a message. */
int		tui_priced_load(struct tui *t, struct tui_priced *p,
		    int64_t show, const char *const *labels, size_t n);
void		tui_priced_free(struct tui_priced *p);
/* Seat i to the next type of its zone (dir 1 or -1). */
void		tui_priced_cycle(struct tui_priced *p, size_t i, int dir);
/* Up/Down choose a seat, Left/Right its type: 1 if k was one. */
int		tui_priced_key(struct tui_priced *p, const struct tui_key *k);
int64_t		tui_priced_total(const struct tui_priced *p);
/* The types as sl_sale_opts.types ("" types as NULL). */
void		tui_priced_types(const struct tui_priced *p, const char **out);
/* Draws the seats (label, zone, type, price) from y, h lines at most;
 * returns the next line. */
int		tui_priced_draw(struct tui *t, struct tui_priced *p, int y,
		    int x, int w, int h);
/* The configured methods (sl_db_methods), none chosen. */
void		tui_method_init(struct tui *t, struct tui_method *m);
/* A digit 1-9 chooses a method: 1 if k did. */
int		tui_method_key(struct tui_method *m, const struct tui_key *k);
/* "1 cash  [2 card]" at y, x; returns the columns used. */
int		tui_method_draw(struct tui *t, const struct tui_method *m,
		    int y, int x, int w);
const char	*tui_method_name(const struct tui_method *m);

/* ---- draw.c: safe text, roles, glyphs, fields, keys ------------------ */

void		tui_draw_init(struct tui *t);
int		tui_attr(enum tui_role r);
/*
 * Draws UTF-8 text from anywhere (the database included) at y, x in at most
 * maxw columns: control characters, escape sequences, bidirectional
 * controls and invalid bytes are shown as '?', never sent to the terminal;
 * non-ASCII is shown as '?' when the locale is not UTF-8.  Returns the
 * columns used.
 */
int		tui_text(struct tui *t, int y, int x, int maxw, const char *s,
		    int attr);
/* The same, printf-formatted. */
int		tui_textf(struct tui *t, int y, int x, int maxw, int attr,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Columns that tui_text would use for s (at most maxw). */
int		tui_text_width(struct tui *t, const char *s, int maxw);
/* Fills a line with spaces of attr. */
void		tui_hline(int y, int x, int w, int attr);
/* The glyph of a seat look (accessible: the wheelchair variant). */
const char	*tui_glyph(struct tui *t, enum sl_seatmap_look look,
		    int accessible);
enum tui_role	tui_look_role(enum sl_seatmap_look look);
const char	*tui_look_name(enum sl_seatmap_look look);
/* Draws a glyph at y, x. */
void		tui_glyph_at(struct tui *t, int y, int x, const char *g, int attr);
/* A framed box for overlays and forms; returns its inner origin. */
void		tui_box(struct tui *t, int y, int x, int h, int w,
		    const char *title);
/* "2025-12-06T19:30:00+01:00" -> "2025-12-06 19:30". */
void		tui_when(const char *iso, char *buf, size_t bufsz);
/* The title bar and status bar every screen shares. */
void		tui_draw_title(struct tui *t, const char *left,
		    const char *right);
void		tui_draw_status(struct tui *t, const char *hints);
/* Draws "Terminal too small" and returns 1 if the screen is below the
 * minimum. */
int		tui_too_small(struct tui *t);

void		tui_field_init(struct tui_field *f, size_t max);
void		tui_field_set(struct tui_field *f, const char *s);
/* Applies an editing key: returns 1 if the text changed, 0 if the key was
 * not an editing key. */
int		tui_field_key(struct tui_field *f, const struct tui_key *k);
/* Draws the field at y, x, w columns, with the cursor at its end if
 * focused. */
void		tui_field_draw(struct tui *t, const struct tui_field *f, int y,
		    int x, int w, int focused);

/* Key helpers. */
int		tui_key_is(const struct tui_key *k, wint_t ch);
int		tui_key_fn(const struct tui_key *k, int code);
int		tui_key_enter(const struct tui_key *k);
int		tui_key_esc(const struct tui_key *k);
/* Runs the action bound to k in table b; returns 1 if there was one. */
int		tui_bindings_run(struct tui *t, const struct tui_binding *b,
		    const struct tui_key *k);

#endif
