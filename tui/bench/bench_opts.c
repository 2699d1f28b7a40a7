/*
 * bench_opts.c - the load generator's scenarios and options: their names,
 * defaults and checks, and the size of a run they ask for.
 */
#include <stdint.h>
#include <string.h>

#include "bench_int.h"
#include "sl_layout.h"

static const char *const bench_names[] = {
	[BENCH_SPREAD] = "spread",
	[BENCH_LISTEN] = "listen",
	[BENCH_HOT] = "hot",
	[BENCH_TOGGLE] = "toggle",
	[BENCH_FLASH] = "flash",
	[BENCH_MULTI] = "multi",
	[BENCH_BEST] = "best",
	[BENCH_STADIUM] = "stadium",
	[BENCH_EXPLAIN] = "explain",
	[BENCH_TERMINALS] = "terminals",
};
#define BENCH_NSCEN (sizeof bench_names / sizeof bench_names[0])

int
bench_scenario_parse(const char *s, enum bench_scenario *out)
{
	size_t i;

	for (i = 0; i < BENCH_NSCEN; i++)
		if (strcmp(s, bench_names[i]) == 0) {
			*out = (enum bench_scenario)i;
			return 0;
		}
	return -1;
}

const char *
bench_scenario_name(enum bench_scenario s)
{
	if ((size_t)s >= BENCH_NSCEN)
		return "unknown";
	return bench_names[s];
}

void
bench_opts_init(struct bench_opts *o)
{
	memset(o, 0, sizeof *o);
	o->scenario = BENCH_SPREAD;
	o->clients = 16;
	o->seconds = 10;
	o->seed = 1;
}

/* The limit of --seats of each scenario. */
static enum sl_rc
bench_check_seats(const struct bench_opts *o, struct sl_err *e)
{
	switch (o->scenario) {
	case BENCH_HOT:
	case BENCH_TOGGLE:
		if (o->seats > BENCH_SHOW_SEATS)
			return sl_err_set(e, SL_EINVAL, "--seats of %s: at "
			    "most %d", bench_scenario_name(o->scenario),
			    BENCH_SHOW_SEATS);
		break;
	case BENCH_FLASH:
	case BENCH_BEST:
	case BENCH_STADIUM:
		if (o->seats > SL_LAYOUT_MAX_SEATS)
			return sl_err_set(e, SL_EINVAL, "--seats: at most %d",
			    SL_LAYOUT_MAX_SEATS);
		break;
	case BENCH_SPREAD:
	case BENCH_LISTEN:
	case BENCH_MULTI:
	case BENCH_TERMINALS:
		if (o->seats > 100000000)
			return sl_err_set(e, SL_EINVAL, "--seats: at most "
			    "100000000");
		break;
	case BENCH_EXPLAIN:
		break;
	}
	return SL_OK;
}

enum sl_rc
bench_check_opts(const struct bench_opts *o, struct sl_err *e)
{
	int load = o->scenario != BENCH_STADIUM &&
	    o->scenario != BENCH_EXPLAIN;

	if (load && (o->clients < 1 || o->clients > BENCH_MAX_CLIENTS))
		return sl_err_set(e, SL_EINVAL, "--clients must be 1 to %d",
		    BENCH_MAX_CLIENTS);
	if (load && o->count == 0 && !(o->seconds > 0 && o->seconds <= 86400))
		return sl_err_set(e, SL_EINVAL, "--seconds must be more than 0 "
		    "and at most 86400");
	if (load && (o->pool < 0 || o->pool > o->clients))
		return sl_err_set(e, SL_EINVAL, "--pool must be 0 (a "
		    "connection per client) to the number of clients");
	if (!(o->rate >= 0 && o->rate <= 1e6))
		return sl_err_set(e, SL_EINVAL, "--rate must be 0 to 1000000");
	if (o->count < 0 || o->seats < 0)
		return sl_err_set(e, SL_EINVAL, "--count and --seats must not "
		    "be negative");
	if (o->listeners < 0 || o->listeners > BENCH_MAX_LISTENERS)
		return sl_err_set(e, SL_EINVAL, "--listeners must be 0 to %d",
		    BENCH_MAX_LISTENERS);
	if ((o->listeners > 0 || o->pgbench) &&
	    o->scenario != BENCH_SPREAD && o->scenario != BENCH_LISTEN)
		return sl_err_set(e, SL_EINVAL, "--listeners and "
		    "--compare-pgbench go with the spread and listen "
		    "scenarios");
	if (o->scenario == BENCH_TERMINALS && (o->terminals < 0 ||
	    o->terminals > BENCH_MAX_TERMINALS))
		return sl_err_set(e, SL_EINVAL, "--terminals must be 1 to %d",
		    BENCH_MAX_TERMINALS);
	if ((o->terminals != 0 || o->kill_relay_at != 0) &&
	    o->scenario != BENCH_TERMINALS)
		return sl_err_set(e, SL_EINVAL, "--terminals and --kill-relay-at "
		    "go with the terminals scenario");
	if (o->notify != NULL && strcmp(o->notify, "per-commit") != 0 &&
	    strcmp(o->notify, "batched") != 0 && strcmp(o->notify, "off") != 0)
		return sl_err_set(e, SL_EINVAL, "--notify must be per-commit, "
		    "batched or off");
	return bench_check_seats(o, e);
}

/* Sizes the run: seats per show, shows, the slots the clients use. */
void
bench_size(struct bench_ctx *run)
{
	const struct bench_opts *o = run->o;
	int64_t want;

	run->show_seats = BENCH_SHOW_SEATS;
	run->nshows = 1;
	switch (o->scenario) {
	case BENCH_SPREAD:
	case BENCH_LISTEN:
	case BENCH_MULTI:
	case BENCH_TERMINALS:
		want = o->seats;
		if (want == 0 && o->count > 0)
			want = o->scenario == BENCH_MULTI ? 6 * o->count :
			    o->count;
		if (want == 0)
			want = (int64_t)(o->seconds * BENCH_SPREAD_RATE);
		run->nshows = (want + run->show_seats - 1) / run->show_seats;
		if (run->nshows < 1)
			run->nshows = 1;
		run->capacity = run->nshows * run->show_seats;
		break;
	case BENCH_HOT:
		run->capacity = o->seats > 0 ? o->seats : 8;
		break;
	case BENCH_TOGGLE:
		run->capacity = o->seats > 0 ? o->seats : BENCH_SHOW_SEATS;
		break;
	case BENCH_FLASH:
		run->show_seats = o->seats > 0 ? o->seats : 2000;
		run->capacity = run->show_seats;
		break;
	case BENCH_BEST:
		run->show_seats = o->seats > 0 ? o->seats : BENCH_SHOW_SEATS;
		run->capacity = run->show_seats;
		break;
	case BENCH_STADIUM:
	case BENCH_EXPLAIN:
		run->capacity = 0;
		break;
	}
}
