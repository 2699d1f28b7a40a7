/*
 * ticket_pdf.h - tickets as a customer gets them: a PDF with one page per
 * valid ticket (cairo and pango, the code in words and as a QR code made
 * by libqrencode), and printing it through CUPS.  Used by the command line
 * (`seatlock ticket`), the box office (its print key) and the server
 * (GET /sales/{ref}/tickets.pdf).  Calls nothing of the programs.
 */
#ifndef TICKET_PDF_H
#define TICKET_PDF_H

#include <stddef.h>

#include "sl_ticket.h"

#define TKT_ERR_MAX	256

/* A page and what is printed on it besides the tickets. */
struct tkt_pdf {
	double		 w_pt, h_pt;	/* the page (sl_config_page) */
	const char	*currency;	/* prices' currency, or NULL */
};

/* The number of tickets of v that are valid (not cancelled or
 * exchanged): only these are ever printed. */
size_t	tkt_valid(const struct sl_ticket *v, size_t n);

/* Writes the valid tickets of v as a PDF to path, one page each (a
 * reprint marked REPRINT).  0, or -1 and why in err (TKT_ERR_MAX). */
int	tkt_pdf_file(const struct tkt_pdf *p, const struct sl_ticket *v,
	    size_t n, const char *path, char *err);

/* The same PDF in memory: *buf (free()) of *len bytes. */
int	tkt_pdf_mem(const struct tkt_pdf *p, const struct sl_ticket *v,
	    size_t n, unsigned char **buf, size_t *len, char *err);

/* Prints the PDF file at path on CUPS queue printer (NULL or "": the CUPS
 * default; $CUPS_SERVER names the server) as job title.  The job's number,
 * or -1 and why in err. */
int	tkt_print_file(const char *printer, const char *path,
	    const char *title, char *err);

/* Writes the valid tickets of v to a temporary PDF and prints it on
 * printer, as tkt_print_file. */
int	tkt_print(const struct tkt_pdf *p, const struct sl_ticket *v, size_t n,
	    const char *printer, const char *title, char *err);

/* Records the valid tickets of sale (or of booking) as printed now, how
 * ("pdf", "print", "box office"): after the printing succeeded, so a
 * printer that failed leaves no trace.  SL_OK or the error in e. */
enum sl_rc tkt_record(struct sl_db *db, int64_t sale, int64_t booking,
	    const char *how, struct sl_err *e);

#endif
