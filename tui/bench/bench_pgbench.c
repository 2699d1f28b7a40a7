/*
 * bench_pgbench.c - the comparison with pgbench: the same booking
 * (sl_loadgen_pgbench_script) run by pgbench at the clients' concurrency,
 * in shows of its own, its output read for its rate.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_int.h"

extern char **environ;

/* What one pgbench run needs: its files and its command line. */
struct bench_pg {
	char	 dir[512];
	char	 script[600];
	char	 outpath[600];
	char	 bin[512];
	char	 cs[16], js[16], ts[32];
	char	 opts[1200];		/* PGOPTIONS=... */
	char	 dsn[2048];		/* the DSN without its password */
	char	 pw[600];		/* PGPASSWORD=..., or "" */
	char	*argv[20];
	char	**env;
};

/* The pgbench of the newest PostgreSQL in the Debian layout
 * (/usr/lib/postgresql/VERSION/bin), else "pgbench" from PATH. */
static void
bench_find_pgbench(char *buf, size_t bufsz)
{
	const char *pre = "/usr/lib/postgresql/";
	long best = -1, v;
	size_t i;
	glob_t g;

	snprintf(buf, bufsz, "pgbench");
	if (glob("/usr/lib/postgresql/*/bin/pgbench", 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		v = strtol(g.gl_pathv[i] + strlen(pre), NULL, 10);
		if (v > best && access(g.gl_pathv[i], X_OK) == 0) {
			best = v;
			snprintf(buf, bufsz, "%s", g.gl_pathv[i]);
		}
	}
	globfree(&g);
}

static int
bench_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (f == NULL)
		return -1;
	ok = fputs(text, f) >= 0;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

static char *
bench_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct sl_sbuf b = SL_SBUF_INIT;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	sl_sbuf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sl_sbuf_add(&b, chunk, n);
	fclose(f);
	return sl_sbuf_take(&b);
}

/*
 * Reads pgbench's output.  pgbench connects its clients while its clock
 * runs (64 connections took 2 s on the busy development machine), and the
 * first call in each session compiles and plans the booking function (64
 * at once: another second or two of next to nothing), so its overall tps
 * understates what it does once running; our clients connect before the
 * start.  pgbench runs BENCH_PGBENCH_WARMUP seconds longer than ours,
 * and its steady rate is the mean of its last `seconds` per-second
 * progress lines; the overall figure is kept too.
 */
static void
bench_parse_pgbench(struct bench_result *r, const char *out, int seconds)
{
	const char *p;
	long long v;
	double d, t, tps[256], sum = 0;
	int n = 0, i;

	for (p = out; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (sscanf(p, "progress: %lf s, %lf tps", &t, &d) == 2) {
			if (n < (int)(sizeof tps / sizeof tps[0]))
				tps[n++] = d;
		} else if (sscanf(p, "tps = %lf (without initial connection "
		    "time)", &d) == 1)
			r->pgbench_tps_all = d;
		else if (sscanf(p, "number of transactions actually processed: "
		    "%lld", &v) == 1)
			r->pgbench_transactions = v;
		else if (sscanf(p, "number of failed transactions: %lld",
		    &v) == 1)
			r->pgbench_failed = v;
		else if (sscanf(p, "latency average = %lf ms", &d) == 1)
			r->pgbench_latency_ms = d;
	}
	for (i = n > seconds ? n - seconds : 0; i < n; i++)
		sum += tps[i];
	r->pgbench_tps = n > 0 ? sum / (n > seconds ? seconds : n) :
	    r->pgbench_tps_all;
}

/*
 * Adds the shows pgbench books in, after our run: ten times the seats our
 * clients booked in the same time, warm-up included, so that pgbench
 * cannot run out of seats unless it is ten times as fast.  (Three times
 * ran out against a sanitizer build of seatlock, whose clients are several
 * times slower than the uninstrumented pgbench: a client that runs out
 * fails and pgbench aborts the run.)
 */
static enum sl_rc
bench_pgbench_shows(struct bench_ctx *run, int seconds, struct sl_err *e)
{
	int64_t want, n, j, *ns;
	enum sl_rc rc;

	want = (int64_t)(10 * run->r->bookings_per_s *
	    (seconds + BENCH_PGBENCH_WARMUP)) + 10 * run->ncl;
	n = (want + run->show_seats - 1) / run->show_seats;
	ns = realloc(run->shows, (size_t)(run->nshows + n) * sizeof *ns);
	if (ns == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	run->shows = ns;
	for (j = run->nshows; j < run->nshows + n; j++) {
		rc = bench_show_add(run, run->db, j, "pgbench", e);
		if (rc != SL_OK)
			return rc;
		run->npgshows++;
	}
	return sl_loadgen_analyze(run->db, e);
}

/*
 * The script: pgbench client c books slots c * per, c * per + 1, ... of a
 * random permutation of the seats of the pgbench shows, so no two
 * transactions want one seat.  A client that used up its range would fail
 * (and pgbench stop): the shows have ten times the seats our clients
 * booked in the same time.
 */
static enum sl_rc
bench_pgbench_script(struct bench_ctx *run, struct bench_pg *pg,
    struct sl_err *e)
{
	struct sl_loadgen_script s;
	int64_t *users;
	char *text;
	int i, bad;

	if ((users = calloc((size_t)run->ncl, sizeof *users)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	for (i = 0; i < run->ncl; i++)
		users[i] = run->cl[i].user;
	memset(&s, 0, sizeof s);
	s.shows = run->shows + run->nshows;
	s.nshows = run->npgshows;
	s.show_seats = run->show_seats;
	s.users = users;
	s.nusers = run->ncl;
	/* Each pgbench client books its own range of the permutation. */
	s.per = run->npgshows * run->show_seats / run->ncl;
	s.seed = run->o->seed;
	s.tag = run->tag;
	text = sl_loadgen_pgbench_script(&s);
	free(users);
	bad = text == NULL || bench_write_file(pg->script, text) != 0;
	free(text);
	if (bad)
		return sl_err_set(e, SL_EIO, "cannot write %s", pg->script);
	return SL_OK;
}

/* pgbench's command line: one pgbench thread per client, as ours: with
 * fewer, pgbench's own threads become the bottleneck on a busy machine.
 * The DSN goes there without its password (anyone sees a command line in
 * ps): that travels in pgbench's environment (bench_pgbench_env). */
static enum sl_rc
bench_pgbench_argv(struct bench_ctx *run, struct bench_pg *pg, int seconds,
    struct sl_err *e)
{
	static const char *const fixed[] = { "-n", "-M", "prepared", "-c",
	    NULL, "-j", NULL, "-P", "1", "-T", NULL, "-D", "n=0", "-f", NULL };
	char pw[sizeof pg->pw - 12];
	size_t a = 0, i;
	enum sl_rc rc;

	if (run->o->pgbench_path != NULL)
		snprintf(pg->bin, sizeof pg->bin, "%s", run->o->pgbench_path);
	else
		bench_find_pgbench(pg->bin, sizeof pg->bin);
	snprintf(pg->cs, sizeof pg->cs, "%d", run->ncl);
	snprintf(pg->js, sizeof pg->js, "%d", run->ncl);
	snprintf(pg->ts, sizeof pg->ts, "%d", seconds + BENCH_PGBENCH_WARMUP);
	pg->argv[a++] = pg->bin;
	for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		pg->argv[a++] = (char *)(uintptr_t)fixed[i];
	pg->argv[5] = pg->cs;
	pg->argv[7] = pg->js;
	pg->argv[11] = pg->ts;
	pg->argv[15] = pg->script;
	pg->argv[a] = NULL;
	rc = sl_db_dsn_split(sl_config_dsn(&run->cfg), pg->dsn, sizeof pg->dsn,
	    pw, sizeof pw, e);
	if (rc != SL_OK)
		return rc;
	if (pw[0] != '\0')
		snprintf(pg->pw, sizeof pg->pw, "PGPASSWORD=%s", pw);
	if (pg->dsn[0] != '\0')
		pg->argv[a++] = pg->dsn;
	pg->argv[a] = NULL;
	return SL_OK;
}

/* pgbench's environment: ours, the sessions' notify mode added to
 * PGOPTIONS. */
static enum sl_rc
bench_pgbench_env(struct bench_ctx *run, struct bench_pg *pg,
    struct sl_err *e)
{
	const char *old = getenv("PGOPTIONS");
	size_t nenv = 0, i, a = 0;

	while (environ[nenv] != NULL)
		nenv++;
	pg->env = calloc(nenv + 3, sizeof *pg->env);
	if (pg->env == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf(pg->opts, sizeof pg->opts,
	    "PGOPTIONS=%s%s-c seatlock.notify_mode=%s", old != NULL ? old : "",
	    old != NULL ? " " : "", run->r->notify);
	for (i = 0; i < nenv; i++)
		if (strncmp(environ[i], "PGOPTIONS=", 10) != 0 &&
		    (pg->pw[0] == '\0' ||
		    strncmp(environ[i], "PGPASSWORD=", 11) != 0))
			pg->env[a++] = environ[i];
	pg->env[a++] = pg->opts;
	if (pg->pw[0] != '\0')
		pg->env[a++] = pg->pw;
	pg->env[a] = NULL;
	return SL_OK;
}

/* Runs pgbench, its output into pg->outpath; *status: waitpid's. */
static enum sl_rc
bench_pgbench_spawn(struct bench_pg *pg, int *status, struct sl_err *e)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int fd, st;

	fd = open(pg->outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600);
	if (fd < 0)
		return sl_err_set(e, SL_EIO, "%s: %s", pg->outpath,
		    strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	st = posix_spawnp(&pid, pg->bin, &fa, NULL, pg->argv, pg->env);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	if (st != 0)
		return sl_err_set(e, SL_EIO, "cannot run %s: %s", pg->bin,
		    strerror(st));
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return SL_OK;
}

/* Reads pgbench's output into r; SL_EIO, with its end, if it failed. */
static enum sl_rc
bench_pgbench_read(struct bench_ctx *run, struct bench_pg *pg, int status,
    int seconds, struct sl_err *e)
{
	struct bench_result *r = run->r;
	char *out = bench_slurp(pg->outpath);
	const char *last;
	enum sl_rc rc = SL_OK;
	size_t n;

	if (out != NULL)
		bench_parse_pgbench(r, out, seconds);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    r->pgbench_tps_all <= 0) {
		/* The end of its output says why. */
		last = out != NULL ? out : "";
		n = strlen(last);
		if (n > 300)
			last += n - 300;
		rc = sl_err_set(e, SL_EIO, "pgbench failed (%s): %s", pg->bin,
		    last);
	} else
		r->pgbench_ran = 1;
	free(out);
	return rc;
}

enum sl_rc
bench_pgbench(struct bench_ctx *run, int seconds, struct sl_err *e)
{
	const char *tmp = getenv("TMPDIR");
	struct bench_pg *pg;
	enum sl_rc rc;
	int status = 0;

	rc = bench_pgbench_shows(run, seconds + BENCH_PGBENCH_WARMUP, e);
	if (rc != SL_OK)
		return rc;
	if ((pg = calloc(1, sizeof *pg)) == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	snprintf(pg->dir, sizeof pg->dir, "%s/seatlock-bench-XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");
	if (mkdtemp(pg->dir) == NULL) {
		rc = sl_err_set(e, SL_EIO, "%s: %s", pg->dir, strerror(errno));
		free(pg);
		return rc;
	}
	snprintf(pg->script, sizeof pg->script, "%s/book.sql", pg->dir);
	snprintf(pg->outpath, sizeof pg->outpath, "%s/pgbench.out", pg->dir);
	rc = bench_pgbench_script(run, pg, e);
	if (rc == SL_OK)
		rc = bench_pgbench_argv(run, pg, seconds, e);
	if (rc == SL_OK)
		rc = bench_pgbench_env(run, pg, e);
	if (rc == SL_OK)
		rc = bench_pgbench_spawn(pg, &status, e);
	if (rc == SL_OK)
		rc = bench_pgbench_read(run, pg, status, seconds, e);
	free(pg->env);
	explicit_bzero(pg->pw, sizeof pg->pw);
	unlink(pg->script);
	unlink(pg->outpath);
	rmdir(pg->dir);
	free(pg);
	return rc;
}
