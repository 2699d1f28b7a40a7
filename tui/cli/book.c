/*
 * book.c - seatlock user register, book, cancel.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sl_book.h"
#include "sl_user.h"
#include "sl_zone.h"

int
cli_user_register(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "phone", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char *name = NULL, *email = NULL, *phone = NULL;
	struct sl_db *db;
	struct sl_err e;
	int64_t id;
	int c, code;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'p':
			phone = optarg;
			break;
		default:
			cli_msg("user register: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("user register");
		}
	}
	if (optind != argc || name == NULL || email == NULL)
		return cli_usage("user register");
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_user_register(db, name, email, phone, &id, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	printf("%" PRId64 "\n", id);
	sl_db_close(db);
	return 0;
}

int
cli_book(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	const char *user = NULL, *key = NULL;
	char (*labels)[SL_LABEL_MAX + 1] = NULL;
	const char **lp = NULL;
	struct sl_booking *b;
	struct sl_db *db = NULL;
	struct sl_err e;
	int64_t show, uid;
	size_t nl = 0, nb, i;
	int c, code;
	char total[64];

	/* By hold or best available: cli_depth.c. */
	for (i = 1; i < (size_t)argc; i++)
		if (strncmp(argv[i], "--hold", 6) == 0 ||
		    strncmp(argv[i], "--best", 6) == 0 ||
		    strcmp(argv[i], "--json") == 0)
			return cli_book_depth(cli, argc, argv);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u':
			user = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		default:
			cli_msg("book: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("book");
		}
	}
	if (argc - optind < 2 || user == NULL)
		return cli_usage("book");
	if ((code = cli_id("show", argv[optind], &show)) != 0 ||
	    (code = cli_id("user", user, &uid)) != 0)
		return code;
	if (key != NULL && (strlen(key) == 0 || strlen(key) > 200)) {
		cli_msg("the request key must be 1 to 200 characters");
		return CLI_EXIT_USAGE;
	}
	nl = (size_t)(argc - optind - 1);
	labels = calloc(nl, sizeof *labels);
	lp = calloc(nl, sizeof *lp);
	if (labels == NULL || lp == NULL) {
		cli_msg("out of memory");
		code = CLI_EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < nl; i++) {
		if (sl_label_normalize(argv[optind + 1 + (int)i], labels[i]) != 0) {
			cli_msg("\"%s\" is not a seat label (letters, digits "
			    "and -, at most 32)", argv[optind + 1 + (int)i]);
			code = CLI_EXIT_USAGE;
			goto out;
		}
		lp[i] = labels[i];
	}
	if ((code = cli_connect(cli, &db)) != 0)
		goto out;
	sl_err_clear(&e);
	if (sl_book_seats(db, show, lp, nl, uid, key, &b, &nb, &e) != SL_OK) {
		code = cli_fail(&e);
		goto out;
	}
	for (i = 0; i < nb; i++)
		printf("%" PRId64 "\n", b[i].id);
	sl_money_format(sl_booking_total(b, nb), sl_db_currency(db), total,
	    sizeof total);
	cli_msg("booked %zu seat%s, total %s", nb, nb == 1 ? "" : "s", total);
	free(b);
out:
	sl_db_close(db);
	free(labels);
	free(lp);
	return code;
}

int
cli_cancel(struct cli *cli, int argc, char **argv)
{
	struct sl_db *db;
	struct sl_err e;
	char label[SL_LABEL_MAX + 1];
	int64_t id, show;
	int code;

	if (argc != 2)
		return cli_usage("cancel");
	if ((code = cli_id("booking", argv[1], &id)) != 0)
		return code;
	if ((code = cli_connect(cli, &db)) != 0)
		return code;
	sl_err_clear(&e);
	if (sl_book_cancel(db, id, &show, label, &e) != SL_OK) {
		sl_db_close(db);
		return cli_fail(&e);
	}
	cli_msg("cancelled booking %" PRId64 " (seat %s of show %" PRId64 ")",
	    id, label, show);
	sl_db_close(db);
	return 0;
}
