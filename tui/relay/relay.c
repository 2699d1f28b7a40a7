/*
 * relay.c - `seatlock relay`: the command, its socket (mode 0660, of the
 * relay's group), who may attach (SO_PEERCRED: the relay's own user, root,
 * or a member of the group), and the poll() loop.
 */
#define _GNU_SOURCE	/* struct ucred, accept4 */
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sl_db.h"
#include "relay/relay.h"

#define RELAY_REFUSED_MAX 64	/* users refused, each logged once */

struct relay_sock {
	int	 fd;
	gid_t	 gid;
	char	 group[64];
	ino_t	 ino;		/* ours to unlink at the end */
	int64_t	 pause_until;	/* ms: out of descriptors, accept later */
	uid_t	 refused[RELAY_REFUSED_MAX];
	size_t	 nrefused;
};

/* 1 when uid (with its primary gid) may attach: the relay's own user,
 * root, or a member of the group. */
static int
relay_allowed(const struct relay_sock *s, uid_t uid, gid_t gid)
{
	struct passwd pw, *pwp = NULL;
	gid_t groups[256];
	char buf[4096];
	int n = 256, i;

	if (uid == geteuid() || uid == 0 || gid == s->gid)
		return 1;
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &pwp) != 0 || pwp == NULL)
		return 0;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == s->gid)
			return 1;
	return 0;
}

/* A new client: checked, greeted, or refused with one line.  0, or -1
 * when none was waiting. */
static int
relay_accept(struct relay *r, struct relay_sock *s)
{
	struct relay_client *c;
	struct ucred cr;
	socklen_t len = sizeof cr;
	size_t i;
	int fd;

	fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			/* The backlog waits; polling it now would spin. */
			if (s->pause_until == 0)
				cli_msg("relay: out of file descriptors with "
				    "%zu clients; new ones wait", r->ncl);
			s->pause_until = sl_db_now() + 100;
		}
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0 ||
	    !relay_allowed(s, cr.uid, cr.gid)) {
		(void)send(fd, "error not allowed\n", 18,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		for (i = 0; i < s->nrefused; i++)
			if (s->refused[i] == cr.uid)
				return 0;
		if (s->nrefused < RELAY_REFUSED_MAX)
			s->refused[s->nrefused++] = cr.uid;
		cli_msg("relay: refused uid %u (pid %d): not the relay's user, "
		    "root, nor a member of group %s", (unsigned)cr.uid,
		    (int)cr.pid, s->group);
		return 0;
	}
	c = r->ncl < RELAY_MAX_CLIENTS ? calloc(1, sizeof *c) : NULL;
	if (c == NULL) {
		(void)send(fd, "error too many clients\n", 23,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return 0;
	}
	c->fd = fd;
	c->uid = cr.uid;
	c->pid = cr.pid;
	r->cl[r->ncl++] = c;
	hub_send(r, c, SL_RELAY_HELLO "\n", sizeof SL_RELAY_HELLO);
	if (r->db == NULL)
		hub_send(r, c, "lost\n", 5);
	hub_beat_greet(r, c);
	hub_flush(c);
	return 0;
}

/* Binds path: refuses when a relay answers there, replaces a stale
 * socket, never anything else.  0, or an exit code. */
static int
relay_bind(struct relay_sock *s, const char *path)
{
	struct sockaddr_un sa;
	struct sl_relay *probe;
	struct sl_err e;
	struct stat st;
	mode_t old;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa.sun_path) {
		cli_msg("relay: socket path too long: %s", path);
		return CLI_EXIT_USAGE;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			cli_msg("relay: %s exists and is not a socket", path);
			return CLI_EXIT_USAGE;
		}
		if (sl_relay_connect(path, &probe, &e) == SL_OK) {
			sl_relay_close(probe);
			cli_msg("relay: another relay runs at %s", path);
			return CLI_EXIT_CONFLICT;
		}
		unlink(path);	/* a relay that died */
	}
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return CLI_EXIT_ERROR;
	/* Created 0660 from the start: never a moment open to others. */
	old = umask(0117);
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		umask(old);
		cli_msg("relay: cannot create %s: %s", path, strerror(errno));
		return CLI_EXIT_ERROR;
	}
	umask(old);
	if ((s->gid != getegid() && chown(path, (uid_t)-1, s->gid) != 0) ||
	    chmod(path, 0660) != 0 || listen(s->fd, 4096) != 0 ||
	    stat(path, &st) != 0) {
		cli_msg("relay: cannot give %s to group %s: %s", path,
		    s->group, strerror(errno));
		unlink(path);
		return CLI_EXIT_ERROR;
	}
	s->ino = st.st_ino;
	return 0;
}

static int
relay_options(struct cli *cli, int argc, char **argv, struct relay_sock *s)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "group", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	struct group *gr;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			snprintf(cli->cfg.relay_socket,
			    sizeof cli->cfg.relay_socket, "%s", optarg);
			break;
		case 'g':
			snprintf(cli->cfg.relay_group,
			    sizeof cli->cfg.relay_group, "%s", optarg);
			break;
		default:
			cli_msg("relay: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("relay");
		}
	}
	if (optind != argc)
		return cli_usage("relay");
	if (cli->cfg.relay_socket[0] == '\0') {
		cli_msg("relay: no socket (notify.relay_socket is empty): "
		    "name one with --socket");
		return CLI_EXIT_USAGE;
	}
	s->gid = getegid();
	if (cli->cfg.relay_group[0] != '\0') {
		gr = getgrnam(cli->cfg.relay_group);
		if (gr == NULL) {
			cli_msg("relay: no group %s", cli->cfg.relay_group);
			return CLI_EXIT_USAGE;
		}
		s->gid = gr->gr_gid;
		snprintf(s->group, sizeof s->group, "%s", gr->gr_name);
	} else if ((gr = getgrgid(s->gid)) != NULL)
		snprintf(s->group, sizeof s->group, "%s", gr->gr_name);
	else
		snprintf(s->group, sizeof s->group, "%u", (unsigned)s->gid);
	return 0;
}

/* Enough descriptors for RELAY_MAX_CLIENTS, as far as the hard limit
 * lets (a soft limit of 1024 is common). */
static void
relay_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < RELAY_MAX_CLIENTS + 64) {
		rl.rlim_cur = rl.rlim_max < RELAY_MAX_CLIENTS + 64 ?
		    rl.rlim_max : RELAY_MAX_CLIENTS + 64;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Waits for one round of input and serves it.  1 on a signal to stop. */
static int
relay_turn(struct relay *r, struct relay_sock *s, int sigfd,
    struct pollfd *pfd)
{
	size_t i, n = 3;
	int dbfd = r->db != NULL ? sl_relay_db_fd(r->db) : -1;
	int64_t wait = r->db != NULL ? 1000 : r->retry_at - sl_db_now();

	pfd[0].fd = sigfd;
	pfd[1].fd = sl_db_now() < s->pause_until ? -1 : s->fd;
	pfd[2].fd = dbfd;
	pfd[0].events = pfd[1].events = pfd[2].events = POLLIN;
	for (i = 0; i < r->ncl; i++, n++) {
		pfd[n].fd = r->cl[i]->fd;
		pfd[n].events = (short)((r->cl[i]->closing ? 0 : POLLIN) |
		    (r->cl[i]->outlen > 0 ? POLLOUT : 0));
		pfd[n].revents = 0;
	}
	if (hub_reloads(r) && wait > RELAY_FLOOD_MS / 4)
		wait = RELAY_FLOOD_MS / 4;	/* a flood's reload is due */
	if (r->db != NULL && r->ncl > 0 && wait > r->beat_at - sl_db_now())
		wait = r->beat_at - sl_db_now();	/* the beat is due */
	if (hub_pending(r))
		wait = 0;	/* notifications wait for their read */
	if (poll(pfd, n, wait < 0 ? 0 : wait > 1000 ? 1000 : (int)wait) < 0)
		return errno == EINTR ? 0 : 1;
	if (pfd[0].revents & POLLIN)
		return 1;
	if (dbfd >= 0 && ((pfd[2].revents & (POLLIN | POLLERR | POLLHUP)) ||
	    hub_pending(r)))
		hub_db_input(r);
	hub_db_connect(r);
	hub_beat(r);
	/* Backwards: a dropped client's place takes the last one's. */
	for (i = r->ncl; i-- > 0;) {
		struct relay_client *c = r->cl[i];
		short re = i + 3 < n && pfd[i + 3].fd == c->fd ?
		    pfd[i + 3].revents : 0;

		if (re & POLLIN)
			hub_client_input(r, c);
		hub_flush(c);
		if ((re & (POLLERR | POLLHUP | POLLNVAL)) ||
		    (c->closing && c->outlen == 0))
			hub_client_drop(r, i);
	}
	/* A whole host reconnecting at once (a relay restarted): many a
	 * round, so the backlog never refuses one. */
	for (i = 0; (pfd[1].revents & POLLIN) && i < 256; i++)
		if (relay_accept(r, s) != 0)
			break;
	hub_listen_new(r);
	hub_summary(r, 0);
	return 0;
}

static void
relay_end(struct relay *r, struct relay_sock *s, const char *path)
{
	struct stat st;

	while (r->ncl > 0)
		hub_client_drop(r, r->ncl - 1);
	/* Only our own socket: a relay started since keeps its own. */
	if (stat(path, &st) == 0 && st.st_ino == s->ino)
		unlink(path);
	close(s->fd);
	sl_relay_db_close(r->db);
	hub_summary(r, 1);
	seats_free(&r->seats);
	free(r->shows);
	free(r->cl);
}

static int
cli_relay(struct cli *cli, int argc, char **argv)
{
	struct relay_sock s;
	struct relay r;
	struct pollfd *pfd;
	sigset_t set;
	int code, sigfd;

	memset(&s, 0, sizeof s);
	memset(&r, 0, sizeof r);
	code = relay_options(cli, argc, argv, &s);
	if (code != 0)
		return code;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	relay_nofile();
	r.cfg = cli->cfg;
	r.backoff = 200;
	r.cl = calloc(RELAY_MAX_CLIENTS, sizeof *r.cl);
	pfd = calloc(RELAY_MAX_CLIENTS + 3, sizeof *pfd);
	if (sigfd < 0 || r.cl == NULL || pfd == NULL) {
		cli_msg("relay: out of memory or descriptors");
		free(r.cl);
		free(pfd);
		return CLI_EXIT_ERROR;
	}
	code = relay_bind(&s, cli->cfg.relay_socket);
	if (code != 0) {
		free(r.cl);
		free(pfd);
		return code;
	}
	cli_msg("relay: started on %s (group %s)", cli->cfg.relay_socket,
	    s.group);
	hub_db_connect(&r);
	while (relay_turn(&r, &s, sigfd, pfd) == 0)
		;
	relay_end(&r, &s, cli->cfg.relay_socket);
	free(pfd);
	close(sigfd);
	cli_msg("relay: stopped");
	return 0;
}

const struct cli_cmd cli_relay_entry = {
	"relay", cli_relay, "relay [--socket PATH] [--group GROUP]",
	"run the host's relay: one LISTEN connection for its box offices"
};
