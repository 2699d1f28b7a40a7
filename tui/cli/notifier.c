/*
 * notifier.c - `seatlock notifier`: the batched-push daemon, which the
 * load generator's batched mode starts in-process and a deployment runs
 * as a service of its own (see sl_notifier.h).
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "sl_notifier.h"

static int
cli_notifier(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	struct sl_notifier_stats st;
	struct sl_notifier *n;
	struct sl_config cfg = cli->cfg;
	struct timespec ts;
	struct sl_err e;
	sigset_t set;
	int64_t v = 0;
	int c, code, next, leader = 0, sig;
	int64_t reaped = 0;
	char last[SL_ERR_MSG] = "";

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			code = cli_num("--interval", optarg, 1, 1000, &v);
			if (code != 0)
				return code;
			cfg.notify_interval_ms = v;
			break;
		default:
			cli_msg("notifier: unknown or incomplete option %s",
			    argv[optind - 1]);
			return cli_usage("notifier");
		}
	}
	if (optind != argc)
		return cli_usage("notifier");
	/* Signals become a return of sigtimedwait(): no handler runs. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sl_err_clear(&e);
	if (sl_notifier_open(&cfg, &n, &e) != SL_OK)
		return cli_fail(&e);
	cli_msg("notifier: started (one round every %" PRId64 " ms while "
	    "leading)", cfg.notify_interval_ms);
	for (;;) {
		sl_err_clear(&e);
		if (sl_notifier_turn(n, &next, &e) != SL_OK) {
			/* Say it once, not at every retry. */
			if (strcmp(e.msg, last) != 0)
				cli_msg("notifier: %s", e.msg);
			snprintf(last, sizeof last, "%s", e.msg);
		} else
			last[0] = '\0';
		sl_notifier_stats(n, &st);
		if (st.leader != leader) {
			cli_msg("notifier: %s", st.leader ? "leading now" :
			    "no longer leading");
			leader = st.leader;
		}
		if (st.reaped != reaped) {
			cli_msg("notifier: ended the session idle in a "
			    "transaction too long: %s (%" PRId64 " in all)",
			    st.last_reaped, st.reaped);
			reaped = st.reaped;
		}
		ts.tv_sec = next / 1000;
		ts.tv_nsec = (long)(next % 1000) * 1000000L;
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			break;
	}
	sl_notifier_stats(n, &st);
	sl_notifier_close(n);
	cli_msg("notifier: stopped after %" PRId64 " rounds, %" PRId64
	    " notifications", st.rounds, st.sent);
	return 0;
}

const struct cli_cmd cli_notifier_entry = {
	"notifier", cli_notifier, "notifier [--interval MS]",
	"run the batched-push notifier until SIGTERM"
};
