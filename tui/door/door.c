/*
 * door.c - the door screen: the scan line (what the scanner types, Enter
 * sends it), the answer in big letters with its reason and seat, the
 * count, the last scans, and the keys.  Every Enter gets an answer, the
 * empty line and garbage too, and the line is cleared for the next scan
 * whatever happened: nothing a scan does can stop the next one.
 */
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "door/door.h"

#define DOOR_LINE	64	/* bytes of a scan kept; more is "too long" */
#define DOOR_LAST	6	/* scans listed */
#define CTRL(c)		((c) & 0x1f)

enum door_kind { DOOR_NONE, DOOR_ADMIT, DOOR_ALREADY, DOOR_REFUSED,
	DOOR_ERROR };

struct door {
	const struct door_opts	*o;
	char		 line[DOOR_LINE + 1];
	size_t		 len;
	enum door_kind	 kind;
	char		 why[640];	/* the answer's line */
	char		 seat[640];	/* show and seat */
	char		 last[DOOR_LAST][120];
	int64_t		 admitted, sold;	/* -1 unknown */
	int64_t		 scans;
	int		 help;
	int		 colour;
};

static const char *const door_word[] = { "", "ADMIT", "ALREADY IN",
	"REFUSED", "ERROR" };

/* The attribute of the answer kind k. */
static int
door_attr(const struct door *d, enum door_kind k)
{
	if (!d->colour)
		return A_BOLD;
	return (int)(COLOR_PAIR(k == DOOR_ADMIT ? 1 : k == DOOR_ALREADY ? 2 :
	    3) | A_BOLD);
}

/* The steward's keys (assets/doc/boxoffice.md, "The door"). */
static const char *const door_keys[] = {
	"Scan a ticket (or type its code) and press Enter.",
	"Backspace  rub out a character     Ctrl-U  clear the line",
	"F1 or Ctrl-O  this help (again: hide it)",
	"Ctrl-D or Ctrl-C  leave the door",
};

static void
door_draw_list(const struct door *d, int y, int cols)
{
	size_t i;

	if (d->help) {
		for (i = 0; i < sizeof door_keys / sizeof door_keys[0]; i++)
			mvprintw(y + (int)i, 2, "%.*s", cols - 3,
			    door_keys[i]);
		return;
	}
	mvprintw(y, 0, "Last scans:");
	for (i = 0; i < DOOR_LAST; i++)
		mvprintw(y + 1 + (int)i, 2, "%.*s", cols - 3, d->last[i]);
}

static void
door_draw(const struct door *d)
{
	int rows, cols;
	char cnt[64], head[700];

	getmaxyx(stdscr, rows, cols);
	erase();
	snprintf(head, sizeof head, " SeatLock door %.30s  %s%s", d->o->door,
	    d->o->file != NULL ? "OFFLINE  " : "",
	    d->o->title[0] != '\0' ? d->o->title : "any show");
	attron(A_REVERSE);
	mvprintw(0, 0, "%-*.*s", cols, cols, head);
	attroff(A_REVERSE);
	if (d->admitted >= 0)
		snprintf(cnt, sizeof cnt, "Admitted %" PRId64 " of %" PRId64
		    " sold", d->admitted, d->sold);
	else
		snprintf(cnt, sizeof cnt, "Admitted: counted at the first "
		    "scan");
	mvprintw(1, 1, "%s   scans %" PRId64, cnt, d->scans);
	if (d->kind != DOOR_NONE) {
		door_big(3, cols, door_word[d->kind], door_attr(d, d->kind));
		attron(A_BOLD);
		mvprintw(9, 1, "%s: %.*s", door_word[d->kind], cols - 14,
		    d->why);
		attroff(A_BOLD);
		mvprintw(10, 1, "%.*s", cols - 2, d->seat);
	}
	door_draw_list(d, 12, cols);
	mvprintw(rows - 3, 0, "Scan: %.*s", cols - 7, d->line);
	attron(A_REVERSE);
	mvprintw(rows - 1, 0, "%-*.*s", cols, cols,
	    " Enter check in   Ctrl-U clear   F1 help   Ctrl-D quit");
	attroff(A_REVERSE);
	move(rows - 3, 6 + (int)(d->len < (size_t)cols - 7 ? d->len : 0));
	refresh();
}

/* Pushes the answer into the list of last scans. */
static void
door_remember(struct door *d, const char *code)
{
	memmove(d->last[1], d->last[0], sizeof d->last[0] * (DOOR_LAST - 1));
	snprintf(d->last[0], sizeof d->last[0], "%-10s %-.29s  %.70s",
	    door_word[d->kind], code[0] != '\0' ? code : "(empty)", d->why);
}

/* A time as people read it: "2026-12-06 12:42:00" (into buf, 20). */
static const char *
door_time(const char *iso, char *buf)
{
	snprintf(buf, 20, "%.19s", iso);
	if (strlen(buf) > 10 && buf[10] == 'T')
		buf[10] = ' ';
	return buf;
}

/* The answer of a scan the door (or the file) answered. */
static void
door_answer(struct door *d, const struct sl_checkin *c)
{
	char t[20];

	d->kind = c->result == SL_CHECKIN_ADMITTED ? DOOR_ADMIT :
	    c->result == SL_CHECKIN_ALREADY ? DOOR_ALREADY : DOOR_REFUSED;
	if (c->result == SL_CHECKIN_ADMITTED)
		snprintf(d->why, sizeof d->why, "seat %s", c->label);
	else if (c->result == SL_CHECKIN_ALREADY)
		snprintf(d->why, sizeof d->why, "seat %s, in since %s at %s",
		    c->label, door_time(c->first_at, t), c->first_door);
	else
		snprintf(d->why, sizeof d->why, "%s",
		    sl_checkin_why(c->reason));
	if (c->show != 0)
		snprintf(d->seat, sizeof d->seat, "%s, %s%s%s", c->title,
		    c->starts_at, c->label[0] != '\0' ? ", seat " : "",
		    c->label);
	else
		d->seat[0] = '\0';
	if (c->show != 0 && (d->o->show == 0 || c->show == d->o->show)) {
		d->admitted = c->admitted;
		d->sold = c->sold;
	}
}

/* Checks the line in, whatever it holds, and clears it. */
static void
door_scan(struct door *d)
{
	struct sl_checkin c;
	struct sl_err e;
	enum sl_rc rc;

	d->line[d->len] = '\0';
	d->scans++;
	sl_err_clear(&e);
	if (strspn(d->line, " \t") == d->len) {
		d->kind = DOOR_REFUSED;
		snprintf(d->why, sizeof d->why, "empty scan: nothing was "
		    "read, scan again");
		d->seat[0] = '\0';
	} else {
		rc = d->o->db != NULL ? sl_checkin(d->o->db, d->line,
		    d->o->show, d->o->door, &c, &e) : sl_door_scan(d->o->file,
		    d->line, d->o->door, &c, &e);
		if (rc == SL_OK) {
			door_answer(d, &c);
		} else {
			/* A lost connection: a new one for the next scan (no
			 * retry of this one: it may have been admitted). */
			if (rc == SL_ECONN && d->o->db != NULL)
				sl_db_reset(d->o->db, NULL);
			d->kind = rc == SL_EINVAL ? DOOR_REFUSED : DOOR_ERROR;
			snprintf(d->why, sizeof d->why, "%s%s",
			    rc == SL_EINVAL ? "" : "no answer, scan again: ",
			    e.msg);
			d->seat[0] = '\0';
		}
	}
	door_remember(d, d->line);
	d->len = 0;
	d->line[0] = '\0';
}

/* One key; 0 to go on, 1 to leave. */
static int
door_key(struct door *d, int ch)
{
	if (ch == CTRL('d') || ch == CTRL('c'))
		return 1;
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
		door_scan(d);
	else if (ch == KEY_F(1) || ch == CTRL('o'))
		d->help = !d->help;
	else if (ch == CTRL('u'))
		d->len = 0;
	else if (ch == KEY_BACKSPACE || ch == 127 || ch == CTRL('h')) {
		if (d->len > 0)
			d->len--;
	} else if (ch >= 0x20 && ch < 0x7f && d->len < DOOR_LINE)
		d->line[d->len++] = (char)ch;
	else if (ch >= 0x80 && ch <= 0xff && d->len < DOOR_LINE)
		d->line[d->len++] = '?';	/* not in a code: refused */
	d->line[d->len] = '\0';
	return 0;
}

int
door_run(const struct door_opts *o)
{
	struct door d;
	SCREEN *scr;
	int ch;

	memset(&d, 0, sizeof d);
	d.o = o;
	d.admitted = d.sold = -1;
	if (o->file != NULL)
		sl_door_count(o->file, &d.admitted, &d.sold);
	setlocale(LC_ALL, "");
	if ((scr = newterm(NULL, stdout, stdin)) == NULL)
		return 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	if (has_colors() && start_color() == OK) {
		d.colour = 1;
		init_pair(1, COLOR_GREEN, COLOR_BLACK);
		init_pair(2, COLOR_YELLOW, COLOR_BLACK);
		init_pair(3, COLOR_RED, COLOR_BLACK);
	}
	for (;;) {
		door_draw(&d);
		if ((ch = getch()) == ERR)
			continue;
		if (door_key(&d, ch))
			break;
	}
	endwin();
	delscreen(scr);
	return 0;
}
