/*
 * bench_relay.c - what --scenario terminals needs around its terminals:
 * the host's relay, or one of the bench's own (fork and exec of this very
 * binary, `relay --socket PATH`, on a socket in a private directory,
 * stopped with SIGTERM at the end), and the monitor that counts the
 * database's client backends every 100 ms and reads the server's memory
 * (the Pss of the postmaster and its children, /proc/PID/smaps_rollup) at
 * the peak.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_int.h"
#include "sl_relay.h"

#define BENCH_RELAY_WAIT_MS	5000	/* a relay greets within */

/* 1 when a relay answers at path with its greeting within wait_ms. */
static int
bench_relay_answers(const char *path, int wait_ms)
{
	struct sl_relay *r;
	struct sl_relay_line l;
	struct pollfd pfd;
	struct sl_err e;
	int64_t end = bench_ns() + (int64_t)wait_ms * 1000000;
	int ok = 0;

	/* A relay just started may not have made its socket yet. */
	for (;;) {
		sl_err_clear(&e);
		if (path[0] == '\0')
			return 0;
		if (sl_relay_connect(path, &r, &e) == SL_OK)
			break;
		if (bench_ns() >= end)
			return 0;
		bench_sleep_ms(20);
	}
	while (!ok && bench_ns() < end) {
		pfd.fd = sl_relay_fd(r);
		pfd.events = sl_relay_events(r);
		if (poll(&pfd, 1, 50) < 0 && errno != EINTR)
			break;
		if (sl_relay_handle(r, pfd.revents) != 0)
			break;
		if (sl_relay_next(r, &l))
			ok = l.kind == SL_RELAY_HELLO_LINE;
	}
	sl_relay_close(r);
	return ok;
}

/* The last line of our relay's log, for a message. */
static void
bench_relay_tail(const struct bench_relay *br, char *buf, size_t bufsz)
{
	char line[256];
	FILE *f = fopen(br->log, "r");

	buf[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL)
		if (line[0] != '\n')
			snprintf(buf, bufsz, "%s", line);
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Starts `seatlock relay --socket PATH` (the same configuration file) and
 * waits for its greeting. */
static enum sl_rc
bench_relay_spawn(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_relay *br = &run->relay;
	char a0[] = "seatlock", a1[] = "--config", a2[] = "relay",
	    a3[] = "--socket", *argv[8], why[256];
	int argc = 0, status;
	pid_t pid;

	argv[argc++] = a0;
	if (run->cfg.path[0] != '\0') {
		argv[argc++] = a1;
		argv[argc++] = run->cfg.path;
	}
	argv[argc++] = a2;
	argv[argc++] = a3;
	argv[argc++] = br->socket;
	argv[argc] = NULL;
	pid = fork();
	if (pid < 0)
		return sl_err_set(e, SL_EIO, "cannot start a relay: %s",
		    strerror(errno));
	if (pid == 0) {
		int fd = open(br->log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		/* A session of its own, as a service's relay has (systemd,
		 * a container): the kernel shares the CPU between sessions
		 * (autogroups) first, and PostgreSQL puts every backend in
		 * one of its own, so a relay left in the bench's session
		 * would get one share for itself, the bench's clients and its
		 * 1,000 terminals together. */
		(void)setsid();
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	br->pid = (int)pid;
	if (bench_relay_answers(br->socket, BENCH_RELAY_WAIT_MS))
		return SL_OK;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	br->pid = 0;
	bench_relay_tail(br, why, sizeof why);
	return sl_err_set(e, SL_ECONN, "the bench's relay did not start "
	    "(%s): the terminals need one, and will not open a connection "
	    "each", why[0] ? why : "no greeting");
}

enum sl_rc
bench_relay_open(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_relay *br = &run->relay;
	enum sl_rc rc;

	/* The terminals never LISTEN themselves (sl_config.relay_only). */
	run->cfg.relay_only = 1;
	if (bench_relay_answers(run->cfg.relay_socket, 1000)) {
		snprintf(run->r->relay, sizeof run->r->relay, "found");
		return SL_OK;
	}
	snprintf(br->dir, sizeof br->dir, "/tmp/seatlock-bench-XXXXXX");
	if (mkdtemp(br->dir) == NULL) {
		br->dir[0] = '\0';
		return sl_err_set(e, SL_EIO, "cannot make a directory for the "
		    "bench's relay: %s", strerror(errno));
	}
	snprintf(br->socket, sizeof br->socket, "%s/relay.sock", br->dir);
	snprintf(br->log, sizeof br->log, "%s/relay.log", br->dir);
	br->started = 1;
	snprintf(run->r->relay, sizeof run->r->relay, "started");
	rc = bench_relay_spawn(run, e);
	if (rc == SL_OK)
		snprintf(run->cfg.relay_socket, sizeof run->cfg.relay_socket,
		    "%s", br->socket);
	return rc;
}

enum sl_rc
bench_relay_restart(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_relay *br = &run->relay;
	int status;

	if (!br->started || br->pid == 0)
		return sl_err_set(e, SL_EINVAL, "no relay of the bench's own");
	/* Before the kill: a terminal may hear of it at once. */
	atomic_store(&run->kill_ns, bench_ns());
	kill((pid_t)br->pid, SIGKILL);
	waitpid((pid_t)br->pid, &status, 0);
	br->pid = 0;
	run->r->relay_killed = 1;
	return bench_relay_spawn(run, e);
}

void
bench_relay_close(struct bench_ctx *run)
{
	struct bench_relay *br = &run->relay;
	int status;

	if (br->pid > 0) {
		kill((pid_t)br->pid, SIGTERM);
		waitpid((pid_t)br->pid, &status, 0);
		br->pid = 0;
	}
	if (br->dir[0] != '\0') {
		unlink(br->socket);	/* the relay's, if it could not */
		unlink(br->log);
		rmdir(br->dir);
		br->dir[0] = '\0';
	}
}

/* The parent of pid (/proc/PID/stat), or 0. */
static int
bench_ppid(int pid)
{
	char path[64], buf[512], *p;
	int ppid = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL &&
	    sscanf(p + 1, " %*c %d", &ppid) != 1)
		ppid = 0;
	fclose(f);
	return ppid;
}

/* 1 when pid is a PostgreSQL server process of this host. */
static int
bench_is_postgres(int pid)
{
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	if (pid <= 0 || (f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(comm, sizeof comm, f) == NULL)
		comm[0] = '\0';
	fclose(f);
	return strncmp(comm, "postgres", 8) == 0;
}

/* The Pss of pid in kB (smaps_rollup), or -1 when unreadable. */
static long
bench_pss_kb(int pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Pss: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The Pss of the postmaster and its children in MB, or -1. */
static double
bench_server_mb(int postmaster)
{
	struct dirent *d;
	long sum, kb;
	DIR *dir;
	int pid;

	if (postmaster <= 0 || (sum = bench_pss_kb(postmaster)) < 0)
		return -1;
	if ((dir = opendir("/proc")) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		pid = atoi(d->d_name);
		if (pid <= 0 || bench_ppid(pid) != postmaster)
			continue;
		if ((kb = bench_pss_kb(pid)) < 0) {
			sum = -1;	/* not all of it: not measured */
			break;
		}
		sum += kb;
	}
	closedir(dir);
	return sum < 0 ? -1 : (double)sum / 1024;
}

static void *
bench_monitor_main(void *arg)
{
	struct bench_ctx *run = arg;
	struct bench_monitor *m = &run->mon;
	int64_t n, rss_at = 0, now;
	struct sl_err e;
	double mb;

	while (!atomic_load(&m->stop)) {
		sl_err_clear(&e);
		now = bench_ns();
		if (sl_loadgen_backends(m->db, &n, &e) == SL_OK &&
		    (n > m->peak || now >= rss_at)) {
			/* The memory at a new peak, and every 5 s (reading
			 * 40 backends' page tables is CPU the measured
			 * machine needs: every second it was a twentieth of
			 * the bench's). */
			mb = bench_server_mb(m->postmaster);
			if (n >= m->peak && (mb > m->rss_mb || mb < 0))
				m->rss_mb = mb;
			if (n > m->peak)
				m->peak = n;
			rss_at = now + (int64_t)5 * 1000000000;
		}
		bench_sleep_ms(100);
	}
	return NULL;
}

enum sl_rc
bench_monitor_start(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_monitor *m = &run->mon;
	enum sl_rc rc;

	m->rss_mb = 0;
	rc = sl_db_connect(&run->cfg, &m->db, e);
	if (rc != SL_OK)
		return rc;
	/* The server on this host: our backend's parent is the postmaster
	 * (over TCP to another host the pid is not ours to read). */
	m->postmaster = bench_ppid(sl_db_backend_pid(m->db));
	if (!bench_is_postgres(m->postmaster) ||
	    bench_pss_kb(m->postmaster) < 0)
		m->postmaster = 0;
	if (pthread_create(&m->thread, NULL, bench_monitor_main, run) != 0)
		return sl_err_set(e, SL_ENOMEM, "no thread");
	m->running = 1;
	return SL_OK;
}

void
bench_monitor_stop(struct bench_ctx *run)
{
	struct bench_monitor *m = &run->mon;

	if (m->running) {
		atomic_store(&m->stop, 1);
		pthread_join(m->thread, NULL);
		m->running = 0;
	}
	run->r->backends = m->peak;
	run->r->server_rss_mb = m->postmaster > 0 ? m->rss_mb : -1;
	sl_db_close(m->db);
	m->db = NULL;
}
