/*
 * draw.c - drawing helpers: colour roles, glyphs, safe text, fields.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <curses.h>

#include "boxoffice/tui.h"

struct tui_role_def {
	short	fg, bg;
	int	cattr;	/* with colour */
	int	mattr;	/* monochrome or NO_COLOR */
};

static const struct tui_role_def tui_roles[TR_NROLES] = {
	[TR_NORMAL] = { -1, -1, 0, 0 },
	[TR_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[TR_STATUS] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[TR_STATUS_BAD] = { COLOR_WHITE, COLOR_RED, A_BOLD,
	    A_REVERSE | A_BOLD },
	[TR_LABEL] = { COLOR_CYAN, -1, 0, 0 },
	[TR_STAGE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TR_SECTION] = { COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
	[TR_AVAILABLE] = { COLOR_GREEN, -1, A_BOLD, 0 },
	[TR_SELECTED] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD,
	    A_BOLD | A_UNDERLINE },
	[TR_HELD_MINE] = { COLOR_BLACK, COLOR_CYAN, 0, A_BOLD },
	[TR_HELD] = { COLOR_MAGENTA, -1, A_BOLD, 0 },
	[TR_BOOKED] = { COLOR_RED, -1, 0, 0 },
	[TR_BLOCKED] = { COLOR_WHITE, -1, A_DIM, 0 },
	[TR_MSG_OK] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TR_MSG_ERR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TR_MSG_INFO] = { -1, -1, 0, 0 },
	[TR_FIELD] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[TR_HILITE] = { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
};

static int tui_role_attr[TR_NROLES];

void
tui_draw_init(struct tui *t)
{
	int i, defaults = 0;

	for (i = 0; i < TR_NROLES; i++)
		tui_role_attr[i] = tui_roles[i].mattr;
	if (!t->color)
		return;
	start_color();
	defaults = use_default_colors() == OK;
	for (i = 1; i < TR_NROLES; i++) {
		short fg = tui_roles[i].fg, bg = tui_roles[i].bg;

		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (i >= COLOR_PAIRS)
			break;
		init_pair((short)i, fg, bg);
		tui_role_attr[i] = (int)COLOR_PAIR(i) | tui_roles[i].cattr;
	}
}

int
tui_attr(enum tui_role r)
{
	return tui_role_attr[r];
}

/* Decodes one UTF-8 sequence at p; returns its length, *cp = U+FFFD and 1
 * for an invalid one. */
static size_t
tui_utf8(const unsigned char *p, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = c;
	return n;
}

/* 1 for a code point that must never reach the terminal as it is. */
static int
tui_unsafe(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return 1;		/* C0, DEL, C1 (CSI is U+009B) */
	if (c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return 1;		/* bidirectional marks and overrides */
	if (c == 0xfffd)
		return 1;		/* invalid input */
	return 0;
}

/* Converts s to what may be drawn: wide characters of known width, at most
 * maxw columns.  Returns the number of wide characters; *cols the width. */
static size_t
tui_sanitize(struct tui *t, const char *s, int maxw, wchar_t *out,
    size_t outn, int *cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	int used = 0;

	while (*p != '\0' && k + 1 < outn) {
		uint32_t c;
		wchar_t wc;
		int w;

		p += tui_utf8(p, &c);
		if (c >= 0x20 && c < 0x7f) {
			wc = (wchar_t)c;	/* printable ASCII: width 1 */
			w = 1;
		} else if (tui_unsafe(c) || (!t->utf8 && c >= 0x80)) {
			wc = L'?';
			w = 1;
		} else {
			wc = (wchar_t)c;
			w = wcwidth(wc);
			if (w < 0) {
				wc = L'?';
				w = 1;
			} else if (w == 0)
				continue;	/* zero-width: dropped */
		}
		if (used + w > maxw)
			break;
		out[k++] = wc;
		used += w;
	}
	out[k] = L'\0';
	*cols = used;
	return k;
}

int
tui_text(struct tui *t, int y, int x, int maxw, const char *s, int attr)
{
	wchar_t buf[1024];
	size_t n;
	int cols;

	if (maxw <= 0 || y < 0 || y >= t->rows || x >= t->cols)
		return 0;
	if (x + maxw > t->cols)
		maxw = t->cols - x;
	n = tui_sanitize(t, s, maxw, buf, sizeof buf / sizeof buf[0], &cols);
	attrset(attr);
	mvaddnwstr(y, x, buf, (int)n);
	attrset(A_NORMAL);
	return cols;
}

int
tui_textf(struct tui *t, int y, int x, int maxw, int attr, const char *fmt,
    ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_text(t, y, x, maxw, buf, attr);
}

int
tui_text_width(struct tui *t, const char *s, int maxw)
{
	wchar_t buf[1024];
	int cols;

	tui_sanitize(t, s, maxw, buf, sizeof buf / sizeof buf[0], &cols);
	return cols;
}

void
tui_hline(int y, int x, int w, int attr)
{
	int i;

	attrset(attr);
	for (i = 0; i < w; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

/* Each look by glyph as well as colour, so it reads on a monochrome
 * terminal and with NO_COLOR. */
static const struct {
	const char	*utf8, *ascii, *utf8_acc, *ascii_acc, *name;
	enum tui_role	 role;
} tui_looks[SL_LOOK_COUNT] = {
	[SL_LOOK_AVAILABLE] = { "\xe2\x97\x8b", "o", "\xe2\x97\x87", "a",
	    "free", TR_AVAILABLE },		/* ○ ◇ */
	[SL_LOOK_SELECTED] = { "\xe2\x97\x86", "*", "\xe2\x97\x86", "*",
	    "selected", TR_SELECTED },		/* ◆ */
	[SL_LOOK_HELD_MINE] = { "\xe2\x97\x88", "+", "\xe2\x97\x88", "+",
	    "held here", TR_HELD_MINE },	/* ◈ */
	[SL_LOOK_HELD] = { "\xe2\x97\x90", "h", "\xe2\x97\x90", "h",
	    "held", TR_HELD },			/* ◐ */
	[SL_LOOK_BOOKED] = { "\xe2\x97\x8f", "x", "\xe2\x97\x8f", "x",
	    "sold", TR_BOOKED },		/* ● */
	[SL_LOOK_BLOCKED] = { "\xc3\x97", "#", "\xc3\x97", "#",
	    "blocked", TR_BLOCKED },		/* × */
};

const char *
tui_glyph(struct tui *t, enum sl_seatmap_look look, int accessible)
{
	if (t->utf8)
		return accessible ? tui_looks[look].utf8_acc :
		    tui_looks[look].utf8;
	return accessible ? tui_looks[look].ascii_acc : tui_looks[look].ascii;
}

enum tui_role
tui_look_role(enum sl_seatmap_look look)
{
	return tui_looks[look].role;
}

const char *
tui_look_name(enum sl_seatmap_look look)
{
	return tui_looks[look].name;
}

/*
 * One glyph (one column) at y, x.  The map draws a glyph per seat: the
 * common cases go to curses as a character, not as a string that curses
 * decodes byte by byte through the locale (ten times the instructions).
 */
void
tui_glyph_at(struct tui *t, int y, int x, const char *g, int attr)
{
	wchar_t wc[2];
	cchar_t cc;
	uint32_t c;

	if (y < 0 || y >= t->rows || x < 0 || x >= t->cols)
		return;
	if ((unsigned char)g[0] >= 0x20 && (unsigned char)g[0] < 0x7f &&
	    g[1] == '\0') {
		mvaddch(y, x, (chtype)(unsigned char)g[0] | (chtype)attr);
		return;
	}
	if (t->utf8 && (unsigned char)g[0] >= 0x80 &&
	    g[tui_utf8((const unsigned char *)g, &c)] == '\0' &&
	    !tui_unsafe(c)) {
		wc[0] = (wchar_t)c;
		wc[1] = L'\0';
		if (setcchar(&cc, wc, (attr_t)attr & ~A_COLOR,
		    (short)PAIR_NUMBER(attr), NULL) == OK) {
			mvadd_wch(y, x, &cc);
			return;
		}
	}
	attrset(attr);
	mvaddstr(y, x, g);
	attrset(A_NORMAL);
}

void
tui_box(struct tui *t, int y, int x, int h, int w, const char *title)
{
	/* Box drawing characters themselves rather than the alternate
	 * character set: they survive a text capture of the screen. */
	const char *hz = t->utf8 ? "\xe2\x94\x80" : "-";
	const char *vt = t->utf8 ? "\xe2\x94\x82" : "|";
	int i;

	for (i = 0; i < h; i++)
		tui_hline(y + i, x, w, A_NORMAL);
	for (i = 1; i < w - 1; i++) {
		tui_glyph_at(t, y, x + i, hz, A_NORMAL);
		tui_glyph_at(t, y + h - 1, x + i, hz, A_NORMAL);
	}
	for (i = 1; i < h - 1; i++) {
		tui_glyph_at(t, y + i, x, vt, A_NORMAL);
		tui_glyph_at(t, y + i, x + w - 1, vt, A_NORMAL);
	}
	tui_glyph_at(t, y, x, t->utf8 ? "\xe2\x94\x8c" : "+", A_NORMAL);
	tui_glyph_at(t, y, x + w - 1, t->utf8 ? "\xe2\x94\x90" : "+",
	    A_NORMAL);
	tui_glyph_at(t, y + h - 1, x, t->utf8 ? "\xe2\x94\x94" : "+",
	    A_NORMAL);
	tui_glyph_at(t, y + h - 1, x + w - 1, t->utf8 ? "\xe2\x94\x98" : "+",
	    A_NORMAL);
	if (title != NULL && *title != '\0')
		tui_textf(t, y, x + 2, w - 4, A_BOLD, " %s ", title);
}

void
tui_when(const char *iso, char *buf, size_t bufsz)
{
	/* The server sends ISO 8601; the clerk reads date and time. */
	if (strlen(iso) >= 16 && iso[10] == 'T')
		snprintf(buf, bufsz, "%.10s %.5s", iso, iso + 11);
	else
		snprintf(buf, bufsz, "%s", iso);
}

void
tui_draw_title(struct tui *t, const char *left, const char *right)
{
	int attr = tui_attr(TR_TITLE), rw = 0;

	tui_hline(0, 0, t->cols, attr);
	if (right != NULL) {
		rw = tui_text_width(t, right, t->cols / 2);
		tui_text(t, 0, t->cols - rw - 1, rw, right, attr);
	}
	tui_text(t, 0, 1, t->cols - rw - 3, left, attr);
}

void
tui_draw_status(struct tui *t, const char *hints)
{
	int attr = tui_attr(TR_STATUS), x = 0, hw;
	const char *conn = NULL;
	int bad = 0;

	tui_hline(t->rows - 1, 0, t->cols, attr);
	if (t->show != NULL) {
		switch (t->conn) {
		case SL_NOTIFY_UP:
			/* No notifier beats: the map reloads instead. */
			conn = t->notlive ? "not live - map reloads" :
			    t->stale ? "updating" : "live";
			bad = t->notlive;
			break;
		case SL_NOTIFY_CONNECTING:
			/* After a loss, each attempt is still reconnecting:
			 * the word does not flicker with the attempts. */
			conn = sl_notify_relay_lost(t->nf) ?
			    "relay lost - reconnecting" : t->lost ?
			    "reconnecting - map may be out of date" :
			    "connecting";
			bad = 1;
			break;
		case SL_NOTIFY_RETRY:
		case SL_NOTIFY_OFF:
			conn = sl_notify_relay_lost(t->nf) ?
			    "relay lost - reconnecting" :
			    "reconnecting - map may be out of date";
			bad = 1;
			break;
		}
		x += tui_textf(t, t->rows - 1, x, t->cols,
		    tui_attr(bad ? TR_STATUS_BAD : TR_STATUS), " %s%s ",
		    t->utf8 ? (bad ? "\xe2\x97\x8c " : "\xe2\x97\x8f ") : "",
		    conn);
	}
	x += tui_textf(t, t->rows - 1, x, t->cols - x, attr, " %s ",
	    sl_db_terminal(t->db));
	if (t->shift_id > 0)
		x += tui_textf(t, t->rows - 1, x, t->cols - x, attr,
		    "shift %" PRId64 " ", t->shift_id);
	if (sl_db_override(t->db))
		x += tui_textf(t, t->rows - 1, x, t->cols - x,
		    tui_attr(TR_STATUS_BAD), "OVERRIDE ");
	hw = tui_text_width(t, hints, t->cols - x - 1);
	if (hw > 0)
		tui_text(t, t->rows - 1, t->cols - hw - 1, hw, hints, attr);
	if (t->msg[0] != '\0') {
		enum tui_role r = t->msg_kind == TUI_MSG_ERR ? TR_MSG_ERR :
		    t->msg_kind == TUI_MSG_OK ? TR_MSG_OK : TR_MSG_INFO;

		tui_hline(t->rows - 2, 0, t->cols, A_NORMAL);
		tui_text(t, t->rows - 2, 1, t->cols - 2, t->msg, tui_attr(r));
	}
}

int
tui_too_small(struct tui *t)
{
	char buf[128];

	if (t->cols >= TUI_MIN_COLS && t->rows >= TUI_MIN_ROWS)
		return 0;
	erase();
	snprintf(buf, sizeof buf, "Terminal too small (%dx%d): make it at "
	    "least %dx%d. q quits.", t->cols, t->rows, TUI_MIN_COLS,
	    TUI_MIN_ROWS);
	/* Wrapped by hand: the window may be a few columns wide. */
	{
		int y = 0, len = (int)strlen(buf), off = 0;

		while (off < len && y < t->rows) {
			int n = len - off < t->cols ? len - off : t->cols;

			mvaddnstr(y++, 0, buf + off, n);
			off += n;
		}
	}
	return 1;
}

void
tui_field_init(struct tui_field *f, size_t max)
{
	memset(f, 0, sizeof *f);
	f->max = max < sizeof f->buf ? max : sizeof f->buf - 1;
}

void
tui_field_set(struct tui_field *f, const char *s)
{
	size_t n = strlen(s);

	if (n > f->max)
		n = f->max;
	/* Do not cut a UTF-8 sequence in half. */
	while (n > 0 && n < strlen(s) && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(f->buf, s, n);
	f->buf[n] = '\0';
	f->len = n;
}

int
tui_field_key(struct tui_field *f, const struct tui_key *k)
{
	char mb[8];
	uint32_t c;
	size_t n;

	if ((k->fn && k->ch == KEY_BACKSPACE) ||
	    (!k->fn && (k->ch == 0x7f || k->ch == 0x08))) {
		if (f->len == 0)
			return 1;
		do
			f->len--;
		while (f->len > 0 &&
		    ((unsigned char)f->buf[f->len] & 0xc0) == 0x80);
		f->buf[f->len] = '\0';
		return 1;
	}
	if (!k->fn && k->ch == 0x15) {		/* ^U: clear */
		f->len = 0;
		f->buf[0] = '\0';
		return 1;
	}
	if (k->fn || k->ch < 0x20)
		return 0;
	c = (uint32_t)k->ch;
	if (tui_unsafe(c) || !iswprint(k->ch))
		return 1;	/* swallowed: never into the text */
	/* UTF-8 by hand: the field holds UTF-8 whatever the locale. */
	if (c < 0x80) {
		mb[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		mb[0] = (char)(0xc0 | (c >> 6));
		mb[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		mb[0] = (char)(0xe0 | (c >> 12));
		mb[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		mb[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		mb[0] = (char)(0xf0 | (c >> 18));
		mb[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		mb[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		mb[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (f->len + n > f->max)
		return 1;
	memcpy(f->buf + f->len, mb, n);
	f->len += n;
	f->buf[f->len] = '\0';
	return 1;
}

void
tui_field_draw(struct tui *t, const struct tui_field *f, int y, int x,
    int w, int focused)
{
	const char *s = f->buf;
	int used;

	if (w <= 1)
		return;
	tui_hline(y, x, w, tui_attr(TR_FIELD));
	/* Show the end of a long text: that is where typing happens. */
	while (*s != '\0' && tui_text_width(t, s, 4096) > w - 1) {
		s++;
		while (((unsigned char)*s & 0xc0) == 0x80)
			s++;
	}
	used = tui_text(t, y, x, w - 1, s, tui_attr(TR_FIELD));
	if (focused) {
		t->cur_y = y;
		t->cur_x = x + used;
		t->cur_on = 1;
	}
}

int
tui_key_is(const struct tui_key *k, wint_t ch)
{
	return !k->fn && k->ch == ch;
}

int
tui_key_fn(const struct tui_key *k, int code)
{
	return k->fn && k->ch == (wint_t)code;
}

int
tui_key_enter(const struct tui_key *k)
{
	return tui_key_is(k, '\n') || tui_key_is(k, '\r') ||
	    tui_key_fn(k, KEY_ENTER);
}

int
tui_key_esc(const struct tui_key *k)
{
	return tui_key_is(k, 0x1b);
}

int
tui_bindings_run(struct tui *t, const struct tui_binding *b,
    const struct tui_key *k)
{
	for (; b->act != NULL; b++)
		if (b->fn == k->fn && b->ch == k->ch) {
			b->act(t);
			return 1;
		}
	return 0;
}
