/*
 * relay_sock.h - for the tests that play the relay (unit_relay,
 * integ_relay): a listening unix socket at a fresh path under /tmp.
 * Header-only; include after <cmocka.h>.
 */
#ifndef RELAY_SOCK_H
#define RELAY_SOCK_H

#include <sys/socket.h>
#include <sys/un.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Listens at /tmp/NAME.PID.sock (its path into path, pathsz >= 108). */
static inline int
relay_sock_listen(const char *name, char *path, size_t pathsz)
{
	struct sockaddr_un sa;
	int fd;

	snprintf(path, pathsz, "/tmp/%s.%d.sock", name, (int)getpid());
	unlink(path);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 8), 0);
	return fd;
}

#endif
