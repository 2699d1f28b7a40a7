/*
 * saleargs.h - what the selling commands (book, exchange, cancel, pay)
 * share: the sale's options (--pay METHOD[:AMOUNT]..., --comp, --discount
 * with --reason, --voucher, --auth, --refund), LABEL:TYPE operands, and
 * the sale as printed (a line on stderr, JSON, a receipt).
 * Layers: the family files over this over util.c.
 */
#ifndef CLI_SALEARGS_H
#define CLI_SALEARGS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cli/cli.h"
#include "sl_book.h"
#include "sl_saleopts.h"

/* A sale's options as typed, then as the core takes them (opts). */
struct cli_sale_args {
	const char	*pay[CLI_REPEAT_MAX + 1];
	const char	*type[CLI_REPEAT_MAX + 1];	/* --type: hold, best */
	const char	*comp, *discount, *reason, *voucher, *auth, *refund;
	struct sl_pay	 pays[CLI_REPEAT_MAX];
	char		 methods[CLI_REPEAT_MAX][SL_METHOD_MAX + 32];
	const char	**types;	/* LABEL:TYPE types (malloc) */
	struct sl_sale_opts opts;
};

/* Which of the sale's options a command takes. */
enum {
	CLI_SALE_PAY = 1,	/* --pay */
	CLI_SALE_REDUCE = 2,	/* --comp, --discount, --reason, --voucher */
	CLI_SALE_AUTH = 4,	/* --auth */
	CLI_SALE_REFUND = 8,	/* --refund */
	CLI_SALE_TYPE = 16,	/* --type */
};

/* Appends the rows of the options in which (CLI_SALE_*) to o at *n. */
void	cli_sale_opt_rows(struct cli_sale_args *s, int which,
	    struct cli_opt *o, size_t *n);

/*
 * Splits "LABEL:TYPE" operands (argv[0..n), changed in place) into labels
 * and s's types; then checks the options and fills s->opts.  nbest > 0:
 * one --type is for each of nbest seats.  0 or an exit code (reported).
 */
int	cli_sale_check(struct cli_sale_args *s, char **argv, size_t n,
	    int nbest);
void	cli_sale_free(struct cli_sale_args *s);

/* Reads "METHOD[:AMOUNT]" (s changed in place): *cents -1 without an
 * amount.  0 or an exit code (reported). */
int	cli_pay_parse(char *s, const char **method, int64_t *cents);

/* Reads an amount typed for what ("float"); 0 or exit code (reported). */
int	cli_amount(const char *what, const char *s, int64_t *cents);

/*
 * The sale of bookings b[0..n) (n > 0): with json its document on stdout
 * ({"sale", "seats", "total", "paid", "due", "change", ... and the
 * bookings as before}), else the booking ids one a line; then a line on
 * stderr with sale, total, paid, change and due.  0 or an exit code.
 */
int	cli_sale_print(struct sl_db *db, const struct sl_booking *b, size_t n,
	    int json);

/* Writes a sale's document as a receipt a clerk reads. */
void	cli_receipt(FILE *f, json_t *doc, const char *currency);

/* A "12.50" amount of doc (key "total") with " EUR"; "?" if none. */
const char *cli_doc_money(json_t *doc, const char *key, const char *currency,
	    char *buf, size_t bufsz);

/* A string member key of o, or dflt when missing or null. */
const char *cli_str(json_t *o, const char *key, const char *dflt);

#endif
