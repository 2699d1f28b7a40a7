/*
 * sl_parse.h - checks and parsers for input from people: ids, seat labels,
 * names, emails, phone numbers.  No database, no allocation.
 */
#ifndef SL_PARSE_H
#define SL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define SL_LABEL_MAX	32	/* a seat label is 1..32 of [A-Z0-9-] */
#define SL_ZONE_MAX	32	/* a price zone code: 1..32 of [A-Z0-9_-] */
#define SL_PRICE_CODE_MAX 32	/* a price type code: 1..32 of [a-z0-9_-] */

/*
 * Parses a positive decimal id (1 .. 2^63-1): digits only, no sign, no
 * spaces, no leading zeros beyond "0" itself (which is refused).  Returns 0
 * and *out, or -1.
 */
int	sl_parse_id(const char *s, int64_t *out);

/*
 * Checks and normalizes a seat label: 1..32 letters, digits or '-', letters
 * made upper case ("f12" -> "F12").  out must hold SL_LABEL_MAX + 1 bytes.
 * Returns 0, or -1 for an invalid label (out untouched).
 */
int	sl_label_normalize(const char *s, char *out);

/*
 * Splits a normalized label into its row part and seat number, the number
 * being the trailing digits ("AA12" -> "AA", 12).  Returns 0, or -1 if the
 * label has no trailing number.  row must hold SL_LABEL_MAX + 1 bytes.
 */
int	sl_label_split(const char *label, char *row, int *number);

/* The most seats a range of labels ("A12-15") names. */
#define SL_RANGE_MAX	20

/* Seats of one row by number: row "A", 12 to 15 is A12, A13, A14, A15. */
struct sl_label_range {
	char	row[SL_LABEL_MAX + 1];
	int	from, to;	/* from <= to, to - from < SL_RANGE_MAX */
	int	width;		/* digits of a zero-padded from ("A01-04"): 2;
				   else 0 */
};

/*
 * Parses a range of seats of one row as a clerk types it: "<row><n>-<m>",
 * the row's letters (any case) and two seat numbers, n <= m, at most
 * SL_RANGE_MAX seats ("A12-15", "ca1-4", "A01-04").  The row may itself
 * hold a '-' ("B-1-3").  Returns 0 and *r, or -1 and in *why (may be
 * NULL; a static string) what is wrong, in a clerk's words.
 */
int	sl_label_range(const char *s, struct sl_label_range *r,
	    const char **why);

/*
 * The label of seat number n of range r (zero-padded as the range was)
 * into out, SL_LABEL_MAX + 1 bytes.  Returns 0, or -1 if it would be too
 * long.
 */
int	sl_label_range_label(const struct sl_label_range *r, int n, char *out);

/*
 * Checks free text from a person (a name, a title): valid UTF-8, 1..maxlen
 * bytes, no C0 or C1 control characters, no DEL, and no bidirectional
 * overrides or isolates (U+202A..U+202E, U+2066..U+2069).  Returns 0 or -1
 * and a reason in *why (static string).
 */
int	sl_text_valid(const char *s, size_t maxlen, const char **why);

/* Checks an email address: local@domain, no spaces or controls, 3..254
 * bytes, a dot in the domain.  Returns 0 or -1. */
int	sl_email_valid(const char *s);

/* Checks a phone number: 3..32 of digits, spaces and + ( ) . / -, with a
 * leading + allowed.  Returns 0 or -1. */
int	sl_phone_valid(const char *s);

/*
 * Checks and normalizes a zone code: 1..32 letters, digits, '_' or '-',
 * letters made upper case.  out holds SL_ZONE_MAX + 1 bytes.  Returns 0, or
 * -1 (out untouched).
 */
int	sl_zone_code_normalize(const char *s, char *out);

/*
 * Checks and normalizes a price type code ("adult", "child"): 1..32
 * letters, digits, '_' or '-', letters made lower case.  out holds
 * SL_PRICE_CODE_MAX + 1 bytes.  Returns 0, or -1 (out untouched).
 */
int	sl_price_code_normalize(const char *s, char *out);

#endif
