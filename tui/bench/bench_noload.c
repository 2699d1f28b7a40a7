/*
 * bench_noload.c - the run's venue, and the scenarios without load:
 * stadium (the map load time of a big generated venue, and the plans of
 * its queries) and explain (the plans of one booking's statements).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_int.h"
#include "sl_book.h"
#include "sl_layout.h"
#include "sl_show.h"
#include "sl_customer.h"
#include "sl_venue.h"

#define BENCH_STADIUM_SEATS	100000
#define BENCH_LOADS_MAX		32

enum sl_rc
bench_venue(struct bench_ctx *run, int64_t nseats, int rows_per_section,
    struct sl_err *e)
{
	struct bench_result *r = run->r;
	struct sl_layout *l = NULL;
	char name[160], *text;
	int64_t t0;
	enum sl_rc rc;

	snprintf(name, sizeof name, "bench %s", run->tag);
	t0 = bench_ns();
	text = sl_loadgen_layout(name, nseats, BENCH_PER_ROW,
	    rows_per_section);
	if (text == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	rc = sl_layout_parse(text, "bench venue", &l, e);
	free(text);
	if (rc != SL_OK)
		return rc;
	r->layout_ms = bench_ms_since(t0);
	r->venue_seats = (int64_t)l->n;
	t0 = bench_ns();
	rc = sl_venue_import(run->db, l, 0, &run->venue, NULL, e);
	r->import_ms = bench_ms_since(t0);
	sl_layout_free(l);
	return rc;
}

/* Captures the plans of the seat map query and of the states query of
 * show on a connection of its own (auto_explain), into r->plans. */
static void
bench_map_plan(struct bench_ctx *run, int64_t show)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	struct sl_seats *ss = NULL;
	struct sl_db *x = NULL;
	struct sl_err e;
	size_t at;
	int64_t n;

	sl_err_clear(&e);
	sl_sbuf_puts(&b, "");
	if (sl_db_connect(&run->cfg, &x, &e) == SL_OK &&
	    sl_loadgen_explain_on(x, &b, &e) == SL_OK &&
	    sl_show_seats(x, show, &ss, &e) == SL_OK) {
		run->r->seq_scan = sl_loadgen_seq_scans(b.s);
		at = b.len;
		if (sl_loadgen_states(x, show, &n, &e) == SL_OK &&
		    !sl_sbuf_failed(&b))
			run->r->states_seq_scan =
			    sl_loadgen_seq_scans(b.s + at);
	} else
		sl_sbuf_printf(&b, "no plans: %s\n", e.msg);
	sl_seats_free(ss);
	sl_db_close(x);
	run->r->plans = sl_sbuf_take(&b);
}

/* n loads of the show's map, sorted by time into ms. */
static enum sl_rc
bench_map_loads(struct bench_ctx *run, int n, double *ms, struct sl_err *e)
{
	struct sl_seats *ss;
	enum sl_rc rc;
	int64_t t0;
	int i;

	for (i = 0; i < n; i++) {
		t0 = bench_ns();
		rc = sl_show_seats(run->db, run->shows[0], &ss, e);
		if (rc != SL_OK)
			return rc;
		ms[i] = bench_ms_since(t0);
		if ((int64_t)ss->n != run->r->venue_seats) {
			rc = sl_err_set(e, SL_EDB, "the map has %zu seats, not "
			    "%" PRId64, ss->n, run->r->venue_seats);
			sl_seats_free(ss);
			return rc;
		}
		sl_seats_free(ss);
	}
	qsort(ms, (size_t)n, sizeof ms[0], bench_cmp_double);
	return SL_OK;
}

/* n reads of the show's seat states alone, sorted by time into ms. */
static enum sl_rc
bench_state_loads(struct bench_ctx *run, int n, double *ms, struct sl_err *e)
{
	int64_t t0, states;
	enum sl_rc rc;
	int i;

	for (i = 0; i < n; i++) {
		t0 = bench_ns();
		rc = sl_loadgen_states(run->db, run->shows[0], &states, e);
		if (rc != SL_OK)
			return rc;
		ms[i] = bench_ms_since(t0);
	}
	qsort(ms, (size_t)n, sizeof ms[0], bench_cmp_double);
	return SL_OK;
}

enum sl_rc
bench_stadium(struct bench_ctx *run, struct sl_err *e)
{
	struct bench_result *r = run->r;
	double ms[BENCH_LOADS_MAX];
	int64_t t0;
	enum sl_rc rc;
	int n;

	rc = bench_venue(run, run->o->seats > 0 ? run->o->seats :
	    BENCH_STADIUM_SEATS, 50, e);
	if (rc != SL_OK)
		return rc;
	t0 = bench_ns();
	rc = sl_show_add(run->db, run->venue, "bench stadium",
	    "2100-01-01 00:00:00+00", &run->shows[0], e);
	if (rc != SL_OK)
		return rc;
	run->nshows = 1;
	r->shows = 1;
	r->show_add_ms = bench_ms_since(t0);
	n = run->o->count > 0 && run->o->count < BENCH_LOADS_MAX ?
	    (int)run->o->count : 7;
	/* Loads right after the import, with the statistics not knowing the
	 * new venue yet, then in the steady state after ANALYZE. */
	if ((rc = bench_map_loads(run, n, ms, e)) != SL_OK)
		return rc;
	r->load_fresh_p50_ms = ms[(n - 1) / 2];
	r->load_fresh_max_ms = ms[n - 1];
	if ((rc = sl_loadgen_analyze(run->db, e)) != SL_OK ||
	    (rc = bench_map_loads(run, n, ms, e)) != SL_OK)
		return rc;
	r->load_p50_ms = ms[(n - 1) / 2];
	r->load_max_ms = ms[n - 1];
	r->load_runs = n;
	if ((rc = bench_state_loads(run, n, ms, e)) != SL_OK)
		return rc;
	r->states_p50_ms = ms[(n - 1) / 2];
	r->states_max_ms = ms[n - 1];
	bench_map_plan(run, run->shows[0]);
	return SL_OK;
}

/*
 * The plans of one booking and one cancel (every statement inside the
 * functions), one seat map and one show list, on x, into b, after five
 * bookings in the same session so that PL/pgSQL has had the chance to
 * switch to generic plans, as a long-running terminal has.
 */
static enum sl_rc
bench_explain_calls(struct bench_ctx *run, struct sl_db *x, struct sl_sbuf *b,
    struct sl_err *e)
{
	struct sl_booking *bk = NULL;
	struct sl_show *list = NULL;
	struct sl_seats *ss = NULL;
	char label[SL_LABEL_MAX + 1];
	const char *lp[1] = { label };
	size_t nb, nlist = 0;
	enum sl_rc rc = SL_OK;
	int i;

	for (i = 0; rc == SL_OK && i <= 5; i++) {
		if (i == 5) {
			sl_sbuf_puts(b, "");
			if ((rc = sl_loadgen_explain_on(x, b, e)) != SL_OK)
				break;
		}
		sl_loadgen_label(i, BENCH_PER_ROW, label, sizeof label);
		rc = sl_book_seats(x, run->shows[0], lp, 1, run->cl[0].user,
		    NULL, &bk, &nb, e);
		if (rc != SL_OK)
			break;
		rc = sl_book_cancel(x, bk[0].id, NULL, NULL, e);
		free(bk);
	}
	if (rc == SL_OK &&
	    (rc = sl_show_seats(x, run->shows[0], &ss, e)) == SL_OK &&
	    (rc = sl_show_list(x, &list, &nlist, e)) == SL_OK &&
	    strcmp(run->r->notify, "batched") == 0)
		rc = sl_loadgen_notify_flush(x, e);
	sl_seats_free(ss);
	sl_show_list_free(list, nlist);
	return rc;
}

/* explain: one show, one customer, no threads. */
static enum sl_rc
bench_explain_setup(struct bench_ctx *run, struct sl_err *e)
{
	char email[160];
	enum sl_rc rc;

	run->cl = calloc(1, sizeof *run->cl);
	if (run->cl == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	run->ncl = 1;
	snprintf(email, sizeof email, "bench-%s@bench.invalid", run->tag);
	rc = sl_user_register(run->db, "Bench client", email, NULL,
	    &run->cl[0].user, e);
	if (rc == SL_OK)
		rc = sl_show_add(run->db, run->venue, "bench explain",
		    "2100-01-01 00:00:00+00", &run->shows[0], e);
	if (rc == SL_OK)
		rc = sl_loadgen_analyze(run->db, e);
	return rc;
}

enum sl_rc
bench_explain(struct bench_ctx *run, struct sl_err *e)
{
	struct sl_sbuf b = SL_SBUF_INIT;
	struct sl_db *x = NULL;
	enum sl_rc rc;

	if ((rc = bench_explain_setup(run, e)) != SL_OK)
		return rc;
	rc = sl_db_connect(&run->cfg, &x, e);
	if (rc != SL_OK)
		return rc;
	rc = bench_explain_calls(run, x, &b, e);
	sl_db_close(x);
	if (sl_sbuf_failed(&b)) {
		sl_sbuf_free(&b);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	if (b.s != NULL) {
		run->r->plans = sl_sbuf_take(&b);
		run->r->seq_scan = sl_loadgen_seq_scans(run->r->plans);
	}
	return rc;
}
