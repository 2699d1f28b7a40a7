/*
 * tickets.c - the box office's print key on a sale's receipt: the sale's
 * valid tickets to the configured printer (ticket.printer, through CUPS),
 * or, with none configured, to a PDF file in the clerk's home directory
 * (the message says where).  The first printing is recorded as such; any
 * later one is a reprint, marked REPRINT on the tickets and in the audit
 * trail (sl_ticket_list does both).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "boxoffice/tui.h"
#include "cli/ticket_pdf.h"
#include "sl_ticket.h"

/* Prints or writes v; says what happened on the message line.  0 done,
 * -1 not. */
static int
tickets_out(struct tui *t, const struct tkt_pdf *pg,
    const struct sl_ticket *v, size_t n, int64_t sale)
{
	const char *printer = t->cfg->ticket_printer, *home = getenv("HOME");
	char err[TKT_ERR_MAX], path[4096], title[64];
	size_t k = tkt_valid(v, n);
	int job;

	if (printer[0] != '\0') {
		snprintf(title, sizeof title, "seatlock sale %" PRId64, sale);
		if ((job = tkt_print(pg, v, n, printer, title, err)) < 0) {
			tui_message(t, TUI_MSG_ERR, "Tickets not printed: %s",
			    err);
			return -1;
		}
		tui_message(t, TUI_MSG_OK, "%zu ticket%s of sale %" PRId64
		    "%s sent to printer %s (job %d)", k, k == 1 ? "" : "s",
		    sale, v[0].reprint ? " (reprint)" : "", printer, job);
		return 0;
	}
	snprintf(path, sizeof path, "%s/seatlock-tickets-%" PRId64 ".pdf",
	    home != NULL && *home == '/' ? home : "/tmp", sale);
	if (tkt_pdf_file(pg, v, n, path, err) != 0) {
		tui_message(t, TUI_MSG_ERR, "Tickets not written: %s", err);
		return -1;
	}
	tui_message(t, TUI_MSG_OK, "%zu ticket%s%s written to %s (no "
	    "ticket.printer configured)", k, k == 1 ? "" : "s",
	    v[0].reprint ? " (reprint)" : "", path);
	return 0;
}

void
tui_tickets_print(struct tui *t, int64_t sale)
{
	struct tkt_pdf pg = { 0, 0, NULL };
	struct sl_ticket *v;
	struct sl_err e;
	const char *why;
	size_t n, i;

	sl_err_clear(&e);
	if (sl_config_page(t->cfg->ticket_page, &pg.w_pt, &pg.h_pt,
	    &why) != 0) {
		tui_message(t, TUI_MSG_ERR, "ticket.page: %s", why);
		return;
	}
	if (sl_ticket_list(t->db, sale, 0, NULL, &v, &n, &e) != SL_OK) {
		tui_message(t, TUI_MSG_ERR, "Tickets of sale %" PRId64 ": %s",
		    sale, e.msg);
		return;
	}
	pg.currency = sl_db_currency(t->db);
	if (tkt_valid(v, n) == 0)
		tui_message(t, TUI_MSG_ERR, "Sale %" PRId64 "'s tickets are "
		    "void (cancelled or exchanged): nothing printed", sale);
	else {
		/* the first valid one says whether this is a reprint */
		for (i = 0; !v[i].active; i++)
			;
		/* recorded once printed: a failed printer leaves no trace */
		if (tickets_out(t, &pg, v + i, n - i, sale) == 0 &&
		    tkt_record(t->db, sale, 0, "box office", &e) != SL_OK)
			tui_message(t, TUI_MSG_ERR, "Printed, but not "
			    "recorded: %s", e.msg);
	}
	sl_ticket_free(v, n);
}
