/*
 * fuzz_layout.c - libFuzzer harness for the venue layout parser: any input
 * must give a layout or an error, never a crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sl_layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_layout *l = NULL;
	struct sl_err e;
	char *text;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sl_layout_parse(text, "fuzz", &l, &e) == SL_OK) {
		size_t i;

		/* Whatever is accepted holds the documented limits. */
		if (l->n == 0 || l->n > SL_LAYOUT_MAX_SEATS)
			abort();
		for (i = 0; i < l->n; i++)
			if (l->seat[i].section >= l->nsections ||
			    l->seat[i].label[0] == '\0')
				abort();
		sl_layout_free(l);
	} else if (e.msg[0] == '\0')
		abort();	/* an error always says why */
	free(text);
	return 0;
}
