/*
 * fuzz_config.c - libFuzzer harness for the configuration loader: the input
 * is written to a private file and loaded; it must load with every value in
 * range, or be refused with a message, never crash.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct sl_config c;
	struct sl_err e;
	int fd;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/seatlock-fuzz-%d.conf",
		    (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	if (sl_config_load_file(&c, path, &e) == SL_OK) {
		if (c.lock_timeout_ms < 1 || c.lock_timeout_ms > 600000 ||
		    c.statement_timeout_ms < 1 ||
		    c.connect_timeout_s < 1 || c.connect_timeout_s > 600 ||
		    c.retries < 0 || c.retries > 100)
			abort();
	} else if (e.rc != SL_ECONFIG && e.rc != SL_ENOMEM)
		abort();
	return 0;
}
