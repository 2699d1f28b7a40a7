/*
 * fuzz_parse.c - libFuzzer harness for the input checks: ids, seat labels,
 * free text, email and phone.  Each accepted value is checked against the
 * rule it was accepted under.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, label[SL_LABEL_MAX + 1], row[SL_LABEL_MAX + 1];
	const char *why;
	int64_t id;
	int number;
	size_t i;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (sl_parse_id(s, &id) == 0 && id < 1)
		abort();
	if (sl_label_normalize(s, label) == 0) {
		if (strlen(label) == 0 || strlen(label) > SL_LABEL_MAX)
			abort();
		for (i = 0; label[i] != '\0'; i++)
			if (!isupper((unsigned char)label[i]) &&
			    !isdigit((unsigned char)label[i]) && label[i] != '-')
				abort();
		if (sl_label_split(label, row, &number) == 0 &&
		    (number < 0 || strlen(row) >= strlen(label)))
			abort();
	}
	if (sl_text_valid(s, 800, &why) == 0) {
		for (i = 0; s[i] != '\0'; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				abort();
	}
	if (sl_email_valid(s) == 0 && strchr(s, '@') == NULL)
		abort();
	(void)sl_phone_valid(s);
	free(s);
	return 0;
}
