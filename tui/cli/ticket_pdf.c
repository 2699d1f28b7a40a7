/*
 * ticket_pdf.c - the tickets' PDF (cairo, pango, libqrencode) and
 * printing it (libcups).  One page per valid ticket: the show, venue, date
 * and time, section, row, seat, price type and price, sale number, the
 * code in words and as a QR code holding exactly the code that `seatlock
 * checkin` takes; a reprint says REPRINT.  Text goes through pango, so a
 * title or venue in any script is drawn with a font that has it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cups/cups.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "sl_money.h"
#include "cli/ticket_pdf.h"

/* Where the next line of text goes, and how wide it may be. */
struct tkt_pen {
	cairo_t		*cr;
	PangoLayout	*lay;
	double		 x, y, w;
	double		 size;		/* the body's font size, points */
	int		 draw;		/* 0: only measures */
	int		 nowrap;	/* one line, never broken */
};

size_t
tkt_valid(const struct sl_ticket *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += v[i].active != 0;
	return k;
}

/* The layout's font: size points, bold or not. */
static void
tkt_font(struct tkt_pen *p, double size, int bold)
{
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, "DejaVu Sans,Noto Sans,Sans");
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD :
	    PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(p->lay, fd);
	pango_font_description_free(fd);
}

/* One paragraph at the pen, in the font of size (points), bold or not;
 * the pen moves below it. */
static void
tkt_text(struct tkt_pen *p, const char *text, double size, int bold)
{
	int pw, ph;

	tkt_font(p, size, bold);
	pango_layout_set_width(p->lay, p->nowrap ? -1 :
	    (int)(p->w * PANGO_SCALE));
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(p->lay, text, -1);
	if (p->draw) {
		cairo_move_to(p->cr, p->x, p->y);
		pango_cairo_show_layout(p->cr, p->lay);
	}
	pango_layout_get_size(p->lay, &pw, &ph);
	p->y += (double)ph / PANGO_SCALE + size * 0.25;
}

/* text on one line, in a smaller size if it does not fit: the code is
 * never broken. */
static void
tkt_line(struct tkt_pen *p, const char *text, double size, int bold)
{
	int pw, ph;

	tkt_font(p, size, bold);
	pango_layout_set_width(p->lay, -1);
	pango_layout_set_text(p->lay, text, -1);
	pango_layout_get_size(p->lay, &pw, &ph);
	if ((double)pw / PANGO_SCALE > p->w)
		size *= p->w / ((double)pw / PANGO_SCALE) * 0.95;
	p->nowrap = 1;
	tkt_text(p, text, size, bold);
	p->nowrap = 0;
}

/* "Label: value" as one paragraph. */
static void
tkt_field(struct tkt_pen *p, const char *label, const char *value)
{
	char buf[1024];

	snprintf(buf, sizeof buf, "%s: %s", label, value);
	tkt_text(p, buf, p->size, 0);
}

/* The QR code of code, size points square with its quiet zone, at x, y.
 * -1 if libqrencode cannot make it. */
static int
tkt_qr(cairo_t *cr, const char *code, double x, double y, double size)
{
	QRcode *q = QRcode_encodeString(code, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	double m;
	int r, c;

	if (q == NULL)
		return -1;
	m = size / (q->width + 8);	/* 4 modules of quiet zone a side */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (r = 0; r < q->width; r++)
		for (c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				cairo_rectangle(cr, x + (c + 4) * m,
				    y + (r + 4) * m, m, m);
	cairo_fill(cr);
	QRcode_free(q);
	return 0;
}

/* "2026-12-10T19:30:00+01:00" as "2026-12-10 19:30". */
static void
tkt_when(const char *iso, char *out, size_t outsz)
{
	snprintf(out, outsz, "%.16s", iso);
	if (strlen(out) > 10 && out[10] == 'T')
		out[10] = ' ';
}

/* The words of one ticket at the pen. */
static void
tkt_words(struct tkt_pen *p, const struct tkt_pdf *pg,
    const struct sl_ticket *t)
{
	char buf[256], money[SL_MONEY_BUF];

	if (t->reprint) {
		cairo_set_source_rgb(p->cr, 0.75, 0, 0);
		tkt_text(p, "REPRINT", p->size * 1.6, 1);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	tkt_text(p, t->title, p->size * 1.5, 1);
	tkt_field(p, "Venue", t->venue);
	tkt_when(t->starts_at, buf, sizeof buf);
	tkt_field(p, "Date and time", buf);
	tkt_field(p, "Section", t->section);
	tkt_field(p, "Row", t->row);
	tkt_text(p, t->label, p->size * 1.4, 1);
	sl_money_format(t->price_cents, pg->currency, money, sizeof money);
	snprintf(buf, sizeof buf, "%s %s", t->type[0] != '\0' ?
	    (t->type_name[0] != '\0' ? t->type_name : t->type) : "price",
	    money);
	if (t->type[0] != '\0' && t->type_name[0] != '\0' &&
	    strcmp(t->type, t->type_name) != 0)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " (%s)",
		    t->type);
	tkt_field(p, "Price", buf);
	snprintf(buf, sizeof buf, "%" PRId64, t->sale);
	tkt_field(p, "Sale", buf);
	tkt_line(p, t->code, p->size * 1.1, 1);
}

/* One page: the words (8 to 13 points by the width, smaller if they do not fit),
 * the QR code beside them on a wide page, below them on a tall one. */
static int
tkt_page(cairo_t *cr, PangoLayout *lay, const struct tkt_pdf *pg,
    const struct sl_ticket *t)
{
	double w = pg->w_pt, h = pg->h_pt;
	double m = (w < h ? w : h) * 0.06, qr, room;
	int wide = w >= h * 1.2;
	struct tkt_pen p = { cr, lay, m, m, w - 2 * m, 0, 0, 0 };

	if (wide) {
		qr = h - 2 * m < w * 0.4 ? h - 2 * m : w * 0.4;
		p.w = w - 3 * m - qr;
		room = h - 2 * m;
	} else {
		qr = w - 2 * m < h * 0.4 ? w - 2 * m : h * 0.4;
		room = h - 3 * m - qr;
	}
	p.size = p.w / 24 < 8 ? 8 : p.w / 24 > 13 ? 13 : p.w / 24;
	for (; p.size > 4; p.size *= 0.9) {
		p.y = m;
		tkt_words(&p, pg, t);
		if (p.y - m <= room)
			break;
	}
	p.y = m;
	p.draw = 1;
	cairo_set_source_rgb(cr, 0, 0, 0);
	tkt_words(&p, pg, t);
	if (wide)
		return tkt_qr(cr, t->code, w - m - qr, m, qr);
	return tkt_qr(cr, t->code, (w - qr) / 2, h - m - qr, qr);
}

/* Draws the valid tickets on surface s. */
static int
tkt_draw(cairo_surface_t *s, const struct tkt_pdf *pg,
    const struct sl_ticket *v, size_t n, char *err)
{
	cairo_t *cr = cairo_create(s);
	PangoLayout *lay = pango_cairo_create_layout(cr);
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		if (!v[i].active)
			continue;
		rc = tkt_page(cr, lay, pg, &v[i]);
		cairo_show_page(cr);
	}
	if (rc != 0)
		snprintf(err, TKT_ERR_MAX, "cannot make the QR code");
	g_object_unref(lay);
	cairo_destroy(cr);
	return rc;
}

/* Renders to a PDF stream written by fn(closure). */
static int
tkt_render(const struct tkt_pdf *pg, const struct sl_ticket *v, size_t n,
    cairo_write_func_t fn, void *closure, char *err)
{
	cairo_surface_t *s;
	cairo_status_t st;
	char title[64];
	int rc;

	if (tkt_valid(v, n) == 0) {
		snprintf(err, TKT_ERR_MAX, "no valid ticket to print (void: "
		    "cancelled or exchanged)");
		return -1;
	}
	s = cairo_pdf_surface_create_for_stream(fn, closure, pg->w_pt,
	    pg->h_pt);
	snprintf(title, sizeof title, "Tickets, sale %" PRId64, v[0].sale);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
	    "SeatLock");
	rc = tkt_draw(s, pg, v, n, err);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (rc == 0 && st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, TKT_ERR_MAX, "cannot write the PDF: %s",
		    cairo_status_to_string(st));
		rc = -1;
	}
	return rc;
}

static cairo_status_t
tkt_write_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

int
tkt_pdf_file(const struct tkt_pdf *p, const struct sl_ticket *v, size_t n,
    const char *path, char *err)
{
	FILE *f;
	int rc;

	if (tkt_valid(v, n) == 0)
		return tkt_render(p, v, n, tkt_write_file, NULL, err);
	if ((f = fopen(path, "wb")) == NULL) {
		snprintf(err, TKT_ERR_MAX, "%.200s: %s", path,
		    strerror(errno));
		return -1;
	}
	rc = tkt_render(p, v, n, tkt_write_file, f, err);
	if (fclose(f) != 0 && rc == 0) {
		snprintf(err, TKT_ERR_MAX, "%.200s: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(path);
	return rc;
}

struct tkt_buf {
	unsigned char	*p;
	size_t		 len, cap;
};

static cairo_status_t
tkt_write_mem(void *closure, const unsigned char *data, unsigned int len)
{
	struct tkt_buf *b = closure;
	unsigned char *np;

	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 4096;
		if ((np = realloc(b->p, b->cap)) == NULL)
			return CAIRO_STATUS_NO_MEMORY;
		b->p = np;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return CAIRO_STATUS_SUCCESS;
}

int
tkt_pdf_mem(const struct tkt_pdf *p, const struct sl_ticket *v, size_t n,
    unsigned char **buf, size_t *len, char *err)
{
	struct tkt_buf b = { NULL, 0, 0 };

	if (tkt_render(p, v, n, tkt_write_mem, &b, err) != 0) {
		free(b.p);
		return -1;
	}
	*buf = b.p;
	*len = b.len;
	return 0;
}

int
tkt_print_file(const char *printer, const char *path, const char *title,
    char *err)
{
	const char *dest = printer;
	int job;

	if (dest == NULL || *dest == '\0')
		dest = cupsGetDefault();
	if (dest == NULL) {
		snprintf(err, TKT_ERR_MAX, "no printer: name one (--print "
		    "PRINTER or ticket.printer), or give CUPS a default");
		return -1;
	}
	job = cupsPrintFile(dest, path, title, 0, NULL);
	if (job <= 0) {
		snprintf(err, TKT_ERR_MAX, "printer %s: %s", dest,
		    cupsLastErrorString());
		return -1;
	}
	return job;
}

int
tkt_print(const struct tkt_pdf *p, const struct sl_ticket *v, size_t n,
    const char *printer, const char *title, char *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd, job;

	snprintf(path, sizeof path, "%s/seatlock-tickets-XXXXXX.pdf",
	    dir != NULL && *dir == '/' ? dir : "/tmp");
	if ((fd = mkstemps(path, 4)) < 0) {
		snprintf(err, TKT_ERR_MAX, "a temporary file: %s",
		    strerror(errno));
		return -1;
	}
	close(fd);
	if (tkt_pdf_file(p, v, n, path, err) != 0)
		return -1;
	job = tkt_print_file(printer, path, title, err);
	unlink(path);
	return job;
}

enum sl_rc
tkt_record(struct sl_db *db, int64_t sale, int64_t booking, const char *how,
    struct sl_err *e)
{
	struct sl_ticket *v;
	size_t n;
	enum sl_rc rc;

	if ((rc = sl_ticket_list(db, sale, booking, how, &v, &n, e)) == SL_OK)
		sl_ticket_free(v, n);
	return rc;
}
