/*
 * serve.c - seatlock serve [--listen ADDR:PORT] [--routes]: the HTTP
 * API for web sales, on the same locking core as the box office.
 *
 * The daemon's life: check the configuration (without tokens, loopback
 * only), open the pool of database connections and check every token's
 * role on it, bind the socket ourselves (so port 0 works and the address
 * is printed), start libmicrohttpd with one thread per client connection,
 * then wait for SIGTERM or SIGINT in sigwait() - no work in signal context.
 * On the signal: stop accepting, let the requests in flight finish (every
 * answer from then on closes its connection, event streams end), stop.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "serve/serve.h"
#include "sl_clerk.h"
#include "sl_embedded.h"
#include "sl_notifier.h"

/*
 * libmicrohttpd's own messages go to the access log, escaped, one a
 * second at most, with the count of those left out: it writes one for
 * each connection refused at its limit or closed mid-request, and a
 * client reconnecting in a loop must not fill the log (issue 17,
 * finding 2).
 */
static void
serve_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct serve *srv = cls;
	char buf[512];
	long long now, last;
	long skipped;

	now = (long long)time(NULL);
	last = atomic_load(&srv->mhd_logged);
	if (last == now || !atomic_compare_exchange_strong(&srv->mhd_logged,
	    &last, now)) {
		atomic_fetch_add(&srv->mhd_skipped, 1);
		return;
	}
	vsnprintf(buf, sizeof buf, fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	skipped = atomic_exchange(&srv->mhd_skipped, 0);
	if (skipped > 0)
		serve_log(srv, "libmicrohttpd: %s (and %ld more of its "
		    "messages since, not logged)", buf, skipped);
	else
		serve_log(srv, "libmicrohttpd: %s", buf);
}

static int
serve_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

/* Binds and listens; returns the socket and writes the bound port. */
static int
serve_bind(const char *host, int port, int *bound)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof ss);
	if (strchr(host, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, host, &s6->sin6_addr);
		sl = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, host, &s4->sin_addr);
		sl = sizeof *s4;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 128) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(ss.ss_family == AF_INET6 ?
	    ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* Every configured token's role must exist and be ours to take: say so at
 * start, not at the first request.  A door's role (a member of
 * seatlock_door) is noted: its token may only check tickets in. */
static int
serve_check_roles(struct serve *srv)
{
	const struct sl_config *cfg = srv->cfg;
	struct sl_db *db;
	struct sl_err e;
	size_t i;
	int code = 0;

	sl_err_clear(&e);
	if (sl_pool_get(srv->pool, 10000, &db, &e) != SL_OK)
		return cli_fail(&e);
	for (i = 0; i < cfg->api_ntokens && code == 0; i++) {
		int door = 0;

		if (sl_db_set_role(db, cfg->api_tokens[i].role, &e) != SL_OK) {
			cli_msg("api.tokens: cannot act as role \"%s\": %s",
			    cfg->api_tokens[i].role, e.msg);
			code = CLI_EXIT_ERROR;
		} else if (sl_clerk_is_door(db, cfg->api_tokens[i].role, &door,
		    &e) != SL_OK)
			code = cli_fail(&e);
		srv->door[i] = (unsigned char)door;
	}
	if (code == 0 && sl_db_set_role(db, NULL, &e) != SL_OK)
		code = cli_fail(&e);
	sl_pool_put(srv->pool, db);
	return code;
}

static void
serve_print_routes(void)
{
	size_t i;

	for (i = 0; i < serve_nroutes; i++)
		printf("%s %s\n", serve_routes[i].method, serve_routes[i].path);
}

/* Waits for the requests in flight, at most limit_s seconds. */
static int
serve_drain(struct serve *srv, int limit_s)
{
	struct timespec t0, now, nap = { 0, 20 * 1000000L };

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int n = atomic_load(&srv->inflight);

		if (n == 0)
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= limit_s)
			return n;
		nanosleep(&nap, NULL);
	}
}

/* serve's options and where to listen.  -1 to go on, else the exit code
 * (0 after --routes). */
/* --host NAME: a host name of letters, digits, dots and dashes. */
static int
serve_add_host(struct serve *srv, const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 253 || name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")] != '\0') {
		cli_msg("--host %s: not a host name (letters, digits, dots and "
		    "dashes)", name);
		return CLI_EXIT_USAGE;
	}
	if (srv->nhosts >= SERVE_HOSTS_MAX) {
		cli_msg("--host: at most %d names", SERVE_HOSTS_MAX);
		return CLI_EXIT_USAGE;
	}
	srv->hosts[srv->nhosts++] = name;
	return -1;
}

static int
serve_options(struct cli *cli, struct serve *srv, int argc, char **argv,
    const char **listen_at, char *host, size_t hostsz, int *port)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "host", required_argument, NULL, 'h' },
		{ "routes", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *why;
	int c;

	*listen_at = cli->cfg.api_listen;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			*listen_at = optarg;
			break;
		case 'h':
			if ((c = serve_add_host(srv, optarg)) >= 0)
				return c;
			break;
		case 'r':
			serve_print_routes();
			return 0;
		default:
			return cli_bad_option("serve", argv);
		}
	}
	if (optind != argc)
		return cli_usage("serve");
	if (sl_config_parse_listen(*listen_at, host, hostsz, port, &why) != 0) {
		cli_msg("--listen %s: %s", *listen_at, why);
		return CLI_EXIT_USAGE;
	}
	if (cli->cfg.api_ntokens == 0 && !serve_is_loopback(host)) {
		cli_msg("refusing to listen on %s without api.tokens in the "
		    "configuration: without tokens only loopback addresses "
		    "(127.0.0.1, [::1]) are allowed", *listen_at);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/* The server's state before any thread (srv zeroed but for the --host
 * names): the terminal name, the built-in document, the access log.  0 or
 * an exit code. */
static int
serve_init(struct serve *srv, struct sl_config *cfg)
{
	json_t *doc;

	/* The audit trail names the terminal: say the sale came by HTTP. */
	if (cfg->terminal[0] == '\0' &&
	    gethostname(cfg->terminal, sizeof cfg->terminal - 8) != 0)
		cfg->terminal[0] = '\0';
	cfg->terminal[sizeof cfg->terminal - 8] = '\0';
	strcat(cfg->terminal, cfg->terminal[0] != '\0' ? "/api" : "api");

	/* srv is zeroed, but for serve_options' --host names. */
	srv->cfg = cfg;
	srv->log = stderr;
	pthread_mutex_init(&srv->log_lock, NULL);
	srv->openapi = sl_embedded_api[0].data;
	srv->openapi_len = sl_embedded_api[0].len;
	json_object_seed(0);	/* before any thread hashes */
	doc = json_loadb(srv->openapi, srv->openapi_len, 0, NULL);
	if (srv->openapi == NULL || doc == NULL) {
		cli_msg("the built-in openapi.json does not parse");
		return CLI_EXIT_ERROR;
	}
	json_decref(doc);
	if (cfg->api_access_log[0] != '\0') {
		int lfd = open(cfg->api_access_log, O_WRONLY | O_APPEND |
		    O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);

		if (lfd < 0 || (srv->log = fdopen(lfd, "a")) == NULL) {
			cli_msg("api.access_log %s: %s", cfg->api_access_log,
			    strerror(errno));
			if (lfd >= 0)
				close(lfd);
			return CLI_EXIT_ERROR;
		}
	}
	return 0;
}

/* The pool, the roles' check and the notifier.  0 or an exit code. */
static int
serve_open_db(struct serve *srv, struct sl_notifier **notifier)
{
	struct sl_db *db;
	struct sl_err e;
	enum sl_rc rc;
	int code;

	sl_err_clear(&e);
	if (sl_pool_open(srv->cfg, (int)srv->cfg->api_pool_size, &srv->pool,
	    &e) != SL_OK)
		return cli_fail(&e);
	if ((code = serve_check_roles(srv)) != 0)
		return code;
	/* Push needs a notifier: the API is a candidate too when its login
	 * may (seatlock_notifier or the owner; sl_notifier_auto). */
	if (sl_pool_get(srv->pool, 10000, &db, &e) != SL_OK)
		return cli_fail(&e);
	rc = sl_notifier_auto(srv->cfg, db, notifier, &e);
	sl_pool_put(srv->pool, db);
	if (rc != SL_OK) {
		cli_msg("cannot start the notifier: %s", e.msg);
		return sl_rc_exit_code(e.rc);
	}
	return 0;
}

/* Listens on host:port and starts libmicrohttpd there; says where on
 * stdout.  0 or an exit code; *fd is the socket until the daemon has it. */
static int
serve_start(struct serve *srv, const char *listen_at, const char *host,
    int port, int *fd)
{
	const struct sl_config *cfg = srv->cfg;
	unsigned int flags, per_addr;
	int bound = 0;

	*fd = serve_bind(host, port, &bound);
	if (*fd < 0) {
		cli_msg("cannot listen on %s: %s", listen_at, strerror(errno));
		return CLI_EXIT_ERROR;
	}
	/* One address (IPv4, or IPv6 /64) gets a share of the slots
	 * (default: half), so one client cannot take them all (issue 17,
	 * finding 2); guard.c counts them. */
	per_addr = (unsigned int)cfg->api_max_connections_per_address;
	if (per_addr == 0)
		per_addr = (unsigned int)(cfg->api_max_connections + 1) / 2;
	if (serve_guard_start(srv, per_addr) != 0) {
		cli_msg("cannot start the HTTP server's watchdog");
		return CLI_EXIT_ERROR;
	}
	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD
	    | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL, serve_access, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, serve_mhd_log, srv,
	    MHD_OPTION_LISTEN_SOCKET, *fd,
	    MHD_OPTION_NOTIFY_COMPLETED, serve_completed, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, serve_guard_notify, srv,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->api_max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)cfg->api_request_timeout_s,
	    MHD_OPTION_END);
	if (srv->mhd == NULL) {
		cli_msg("cannot start the HTTP server on %s", listen_at);
		return CLI_EXIT_ERROR;
	}
	srv->port = bound;
	/* The address on stdout (port 0 picks a free one), for scripts. */
	if (strchr(host, ':') != NULL)
		printf("[%s]:%d\n", host, bound);
	else
		printf("%s:%d\n", host, bound);
	fflush(stdout);
	serve_log(srv, "listening on %s port %d (%d database connections, "
	    "%d clients, %u from one address, %s)", host, bound,
	    (int)cfg->api_pool_size, (int)cfg->api_max_connections, per_addr,
	    cfg->api_ntokens > 0 ? "bearer tokens required" :
	    "no tokens: loopback only");
	return 0;
}

/* Serves until SIGTERM or SIGINT, then lets the requests in flight
 * finish (for a while) and stops. */
static void
serve_run(struct serve *srv, sigset_t *sigs, int *fd)
{
	const struct sl_config *cfg = srv->cfg;
	int sig, left;

	for (;;) {
		if (sigwait(sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP)
			continue;	/* nothing to reload yet */
		break;
	}
	serve_log(srv, "signal %d: draining %d request(s) in flight", sig,
	    atomic_load(&srv->inflight));
	atomic_store(&srv->draining, 1);
	/* New connections are refused from here; the open ones finish. */
	*fd = MHD_quiesce_daemon(srv->mhd);
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	left = serve_drain(srv, (int)cfg->api_request_timeout_s +
	    (int)(cfg->statement_timeout_ms / 1000) + 1);
	if (left > 0)
		serve_log(srv, "drain limit reached with %d request(s) "
		    "unfinished", left);
	MHD_stop_daemon(srv->mhd);
	srv->mhd = NULL;
	serve_log(srv, "stopped");
}

static int
cli_serve(struct cli *cli, int argc, char **argv)
{
	struct sl_config *cfg = &cli->cfg;
	const char *listen_at;
	struct serve srv;
	struct sl_notifier *notifier = NULL;
	sigset_t sigs;
	char host[64];
	int port, fd = -1, code;

	memset(&srv, 0, sizeof srv);
	if ((code = serve_options(cli, &srv, argc, argv, &listen_at, host,
	    sizeof host, &port)) >= 0)
		return code;
	if ((code = serve_init(&srv, cfg)) != 0)
		return code;
	serve_stream_init(&srv);
	/* Every thread started from here on inherits this mask, so the
	 * signals reach only sigwait() below. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((code = serve_open_db(&srv, &notifier)) == 0 &&
	    (code = serve_start(&srv, listen_at, host, port, &fd)) == 0)
		serve_run(&srv, &sigs, &fd);
	if (srv.mhd != NULL)
		MHD_stop_daemon(srv.mhd);
	serve_guard_stop(&srv);	/* no connection is left */
	if (fd >= 0)
		close(fd);
	sl_notifier_close(notifier);
	sl_pool_close(srv.pool);
	if (srv.log != stderr)
		fclose(srv.log);
	pthread_mutex_destroy(&srv.log_lock);
	serve_stream_fini(&srv);
	return code;
}

/* ---- the descriptors, listed in the command table (cli/table.c) ---- */

const struct cli_cmd cli_serve_entry = {
	"serve", cli_serve,
	"serve [--listen ADDR:PORT] [--host NAME]... [--routes]",
	"serve the HTTP API (default 127.0.0.1:8080; see README)"
};
