/*
 * tickets.c - seatlock ticket: a sale's tickets, or one seat's, as the
 * customer gets them: text on stdout, JSON, a PDF (--pdf), or printed
 * through CUPS (--print).  Every way records the printing (a second one is
 * a reprint, marked on the ticket and in the audit trail).  A cancelled or
 * exchanged seat's ticket is void: said so, never printed as valid.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/ticket_pdf.h"
#include "sl_money.h"

struct tkt_args {
	int64_t		 sale, booking;
	const char	*pdf, *printer;
	int		 print, json;
	struct tkt_pdf	 page;
};

/* One ticket as text. */
static void
tkt_show_text(const struct sl_ticket *t, const char *currency)
{
	char money[SL_MONEY_BUF];

	if (!t->active)
		printf("VOID TICKET - not valid for entry (cancelled or "
		    "exchanged)\n");
	else
		printf("TICKET%s\n", t->reprint ? " - REPRINT" : "");
	printf("Show:     ");
	cli_safe_str(stdout, t->title);
	printf("\nVenue:    ");
	cli_safe_str(stdout, t->venue);
	printf("\nDate:     %.10s %.5s\nSection:  ", t->starts_at,
	    strlen(t->starts_at) > 11 ? t->starts_at + 11 : "");
	cli_safe_str(stdout, t->section);
	printf("\nRow:      ");
	cli_safe_str(stdout, t->row);
	printf("\nSeat:     %s\nPrice:    %s", t->label,
	    t->type[0] != '\0' ? t->type : "-");
	if (t->type_name[0] != '\0') {
		printf(" (");
		cli_safe_str(stdout, t->type_name);
		printf(")");
	}
	sl_money_format(t->price_cents, currency, money, sizeof money);
	printf(" %s\nSale:     %" PRId64 "\nBooking:  %" PRId64 "\n", money,
	    t->sale, t->booking);
	if (t->active)
		printf("Code:     %s\n", t->code);
	if (t->admitted_at[0] != '\0')
		printf("Admitted: %s at %s\n", t->admitted_at, t->door);
}

/* One ticket as a JSON object (a void one has no code). */
static void
tkt_show_json(const struct sl_ticket *t, const char *currency, int first)
{
	char money[SL_MONEY_BUF];

	sl_money_format(t->price_cents, NULL, money, sizeof money);
	printf("%s{\"booking\":%" PRId64 ",\"sale\":%" PRId64 ",\"show\":%"
	    PRId64 ",\"valid\":%s,\"reprint\":%s", first ? "" : ",",
	    t->booking, t->sale, t->show, t->active ? "true" : "false",
	    t->reprint ? "true" : "false");
	cli_json_field_or_null(stdout, "code", t->active ? t->code : NULL);
	cli_json_field(stdout, "title", t->title);
	cli_json_field(stdout, "venue", t->venue);
	cli_json_field(stdout, "starts_at", t->starts_at);
	cli_json_field(stdout, "section", t->section);
	cli_json_field(stdout, "row", t->row);
	cli_json_field(stdout, "seat", t->label);
	cli_json_field_or_null(stdout, "price_type", t->type[0] != '\0' ?
	    t->type : NULL);
	cli_json_field_or_null(stdout, "price_type_name",
	    t->type_name[0] != '\0' ? t->type_name : NULL);
	cli_json_field(stdout, "price", money);
	printf(",\"price_cents\":%" PRId64, t->price_cents);
	cli_json_field(stdout, "currency", currency);
	cli_json_field_or_null(stdout, "admitted_at", t->admitted_at[0] !=
	    '\0' ? t->admitted_at : NULL);
	cli_json_field_or_null(stdout, "door", t->door[0] != '\0' ? t->door :
	    NULL);
	putchar('}');
}

/* Reads the options into a: 0 or an exit code. */
static int
tkt_parse(struct cli *cli, struct tkt_args *a, int argc, char **argv)
{
	const char *sale = NULL, *booking = NULL, *page = NULL, *why;
	int code;
	const struct cli_opt opts[] = {
		{ "sale", required_argument, &sale, NULL },
		{ "booking", required_argument, &booking, NULL },
		{ "pdf", required_argument, &a->pdf, NULL },
		{ "print", no_argument, NULL, &a->print },
		{ "page", required_argument, &page, NULL },
		{ "json", no_argument, NULL, &a->json },
		{ NULL, 0, NULL, NULL }
	};

	if ((code = cli_options("ticket", argc, argv, opts)) != 0)
		return code;
	/* --print PRINTER: the one operand, only after --print. */
	if (argc - optind > (a->print ? 1 : 0) || (sale == NULL) ==
	    (booking == NULL))
		return cli_usage("ticket");
	a->printer = optind < argc ? argv[optind] : cli->cfg.ticket_printer;
	if ((sale != NULL && (code = cli_id("sale", sale, &a->sale)) != 0) ||
	    (booking != NULL &&
	    (code = cli_id("booking", booking, &a->booking)) != 0))
		return code;
	if (page == NULL)
		page = cli->cfg.ticket_page;
	if (sl_config_page(page, &a->page.w_pt, &a->page.h_pt, &why) != 0) {
		cli_msg("ticket: --page \"%s\": %s", page, why);
		return CLI_EXIT_USAGE;
	}
	if (a->pdf != NULL && *a->pdf == '\0') {
		cli_msg("ticket: --pdf needs a file name");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* The PDF and the printing the options ask for: 0 or an exit code. */
static int
tkt_output(const struct tkt_args *a, const struct sl_ticket *v, size_t n)
{
	char err[TKT_ERR_MAX], title[64];
	int job;

	if (a->pdf != NULL) {
		if (tkt_pdf_file(&a->page, v, n, a->pdf, err) != 0) {
			cli_msg("ticket: %s", err);
			return CLI_EXIT_ERROR;
		}
		cli_msg("%zu ticket%s written to %s", tkt_valid(v, n),
		    tkt_valid(v, n) == 1 ? "" : "s", a->pdf);
	}
	if (a->print) {
		snprintf(title, sizeof title, "seatlock sale %" PRId64,
		    v[0].sale);
		if ((job = tkt_print(&a->page, v, n, a->printer, title,
		    err)) < 0) {
			cli_msg("ticket: %s", err);
			return CLI_EXIT_ERROR;
		}
		cli_msg("%zu ticket%s sent to printer %s (job %d)",
		    tkt_valid(v, n), tkt_valid(v, n) == 1 ? "" : "s",
		    a->printer[0] != '\0' ? a->printer : "(CUPS default)",
		    job);
	}
	return 0;
}

/* Says which tickets are void; 0 if some ticket is valid, else the exit
 * code (nothing valid to print). */
static int
tkt_voids(const struct sl_ticket *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!v[i].active)
			cli_msg("the ticket of seat %s (booking %" PRId64 ") is "
			    "void: cancelled or exchanged; not printed",
			    v[i].label, v[i].booking);
	if (tkt_valid(v, n) > 0)
		return 0;
	cli_msg("no valid ticket: nothing printed");
	return CLI_EXIT_NOTFOUND;
}

static int
cli_ticket(struct cli *cli, int argc, char **argv)
{
	struct tkt_args a;
	struct sl_ticket *v;
	struct sl_db *db;
	struct sl_err e;
	size_t n, i;
	int code;

	memset(&a, 0, sizeof a);
	if ((code = tkt_parse(cli, &a, argc, argv)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	/* A PDF or a printing is recorded once it is done (tkt_record); text
	 * and JSON as they are read. */
	if (sl_ticket_list(db, a.sale, a.booking, a.print || a.pdf != NULL ?
	    NULL : a.json ? "json" : "text", &v, &n, &e) != SL_OK)
		return cli_db_fail(db, &e);
	a.page.currency = sl_db_currency(db);
	code = tkt_voids(v, n);
	if (code == 0 && (a.pdf != NULL || a.print) &&
	    (code = tkt_output(&a, v, n)) == 0 && tkt_record(db, a.sale,
	    a.booking, a.print ? "print" : "pdf", &e) != SL_OK)
		code = cli_fail(&e);
	if (code == 0 && a.json)
		putchar('[');
	for (i = 0; code == 0 && i < n && (a.json || (a.pdf == NULL &&
	    !a.print)); i++) {
		if (a.json)
			tkt_show_json(&v[i], a.page.currency, i == 0);
		else {
			printf("%s", i > 0 ? "\n" : "");
			tkt_show_text(&v[i], a.page.currency);
		}
	}
	if (code == 0 && a.json)
		puts("]");
	sl_ticket_free(v, n);
	sl_db_close(db);
	return code;
}

/* ---- the descriptor, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_ticket_entry = {
	"ticket", cli_ticket,
	"ticket (--sale SALE | --booking BOOKING) [--pdf FILE] "
	"[--print [PRINTER]] [--page SIZE] [--json]",
	"a sale's or a seat's tickets: text, JSON, PDF, printed"
};
