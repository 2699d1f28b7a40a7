/*
 * tickets.c - GET /sales/{ref}/tickets.pdf: a web sale's tickets as the
 * customer downloads them.  The reference (sl_sale_ref: the sale's number
 * and a MAC) cannot be guessed from another; a wrong one, and a sale of
 * another channel than the server's own ("web"), are both "no such sale".
 * The PDF is the command line's (cli/ticket_pdf.c), on ticket.page; each
 * download is recorded as a printing ("web"), a second one a reprint.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"
#include "cli/ticket_pdf.h"
#include "sl_sale.h"
#include "sl_ticket.h"

#define TICKETS_CHANNEL	"web"

/* Whether sale was sold on the server's channel: 1, 0, or -1 with the
 * error reply set. */
static int
tickets_channel(struct serve_call *c, int64_t sale)
{
	struct sl_err e;
	json_t *doc;
	const char *ch;
	int ok;

	sl_err_clear(&e);
	if (sl_sale_get(c->db, sale, &doc, &e) != SL_OK) {
		/* Another token's sale (sl_channel_ok): as an unknown one. */
		if (e.rc == SL_ENOTFOUND)
			return 0;
		serve_fail(c, &e);
		return -1;
	}
	ch = json_string_value(json_object_get(doc, "channel"));
	ok = ch != NULL && strcmp(ch, TICKETS_CHANNEL) == 0;
	json_decref(doc);
	return ok;
}

/* The PDF of v as the reply. */
static void
tickets_reply(struct serve_call *c, const struct sl_ticket *v, size_t n)
{
	struct tkt_pdf pg;
	unsigned char *buf;
	char err[TKT_ERR_MAX], disp[80];
	const char *why;
	size_t len;

	memset(&pg, 0, sizeof pg);
	pg.currency = sl_db_currency(c->db);
	if (sl_config_page(c->srv->cfg->ticket_page, &pg.w_pt, &pg.h_pt,
	    &why) != 0 || tkt_pdf_mem(&pg, v, n, &buf, &len, err) != 0) {
		serve_error(c, 500, "internal", "cannot make the PDF");
		return;
	}
	c->resp = MHD_create_response_from_buffer(len, buf,
	    MHD_RESPMEM_MUST_FREE);
	if (c->resp == NULL) {
		free(buf);
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	snprintf(disp, sizeof disp, "inline; filename=\"tickets-%" PRId64
	    ".pdf\"", v[0].sale);
	MHD_add_response_header(c->resp, "Content-Type", "application/pdf");
	MHD_add_response_header(c->resp, "Content-Disposition", disp);
	MHD_add_response_header(c->resp, "Cache-Control", "no-store");
	c->status = 200;
}

void
serve_tickets_pdf(struct serve_call *c)
{
	struct sl_ticket *v;
	struct sl_err e;
	int64_t sale;
	size_t n;
	int ok;

	sl_err_clear(&e);
	if (sl_sale_by_ref(c->db, c->ref, &sale, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	if (sale == 0 || (ok = tickets_channel(c, sale)) == 0) {
		serve_error(c, 404, "not_found", "no such sale");
		return;
	}
	if (ok < 0)
		return;
	if (sl_ticket_list(c->db, sale, 0, "web", &v, &n, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	if (tkt_valid(v, n) == 0)
		serve_error(c, 409, "void", "the sale's tickets are void "
		    "(cancelled or exchanged)");
	else
		tickets_reply(c, v, n);
	sl_ticket_free(v, n);
	snprintf(c->note, sizeof c->note, " sale=%" PRId64, sale);
}
