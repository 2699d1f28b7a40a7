/*
 * integ_tui_core.c - what the box office needs from the core, against the
 * real database: customer search, booking search, re-reading seat states,
 * and the listener (READY, changes, forged payloads, gaps, reconnecting
 * after its server process is killed).
 */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "integ/testdb.h"
#include "integ/notify_wait.h"
#include "sl_customer.h"
#include "sl_notify.h"
#include "sl_seatmap.h"
#include "sl_seatstate.h"

static void
user_with(struct sl_db *db, const char *name, const char *email,
    int64_t *id)
{
	struct sl_err e;

	assert_int_equal(sl_user_register(db, name, email, NULL, id, &e),
	    SL_OK);
}

/* What the box office's customer search relies on, now that it uses
 * sl_customer_find (sl_user_search was the same search, less capable). */
static void
test_user_search(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_customer *v;
	struct sl_err e;
	char email[128], tag[64], q[80];
	int64_t a, b, c;
	size_t n;

	(void)state;
	snprintf(tag, sizeof tag, "%s", tdb_unique());
	snprintf(email, sizeof email, "ANNA.%s@example.com", tag);
	snprintf(q, sizeof q, "Ängström %s", tag);
	user_with(db, q, email, &a);
	snprintf(email, sizeof email, "zed.%s@example.com", tag);
	snprintf(q, sizeof q, "100%% Pure_%s", tag);
	user_with(db, q, email, &b);
	snprintf(email, sizeof email, "other.%s@example.com", tag);
	user_with(db, "Someone Else", email, &c);

	/* Email prefix, any case. */
	snprintf(q, sizeof q, "anna.%s", tag);
	assert_int_equal(sl_customer_find(db, q, 10, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, a);
	assert_null(v[0].phone);
	sl_customer_list_free(v, n);
	/* Name prefix, any case, beyond ASCII. */
	snprintf(q, sizeof q, "ängström %s", tag);
	assert_int_equal(sl_customer_find(db, q, 10, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, a);
	sl_customer_list_free(v, n);
	/* LIKE wildcards in the text are literal. */
	snprintf(q, sizeof q, "100%% pure_%s", tag);
	assert_int_equal(sl_customer_find(db, q, 10, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, b);
	sl_customer_list_free(v, n);
	assert_int_equal(sl_customer_find(db, "_", 10, &v, &n, &e), SL_OK);
	assert_int_equal(n, 0);
	sl_customer_list_free(v, n);
	assert_int_equal(sl_customer_find(db, "%", 10, &v, &n, &e), SL_OK);
	assert_int_equal(n, 0);
	sl_customer_list_free(v, n);
	(void)c;
	/* Refused input. */
	assert_int_equal(sl_customer_find(db, "", 10, &v, &n, &e), SL_EINVAL);
	assert_int_equal(sl_customer_find(db, "a\x1b[2J", 10, &v, &n, &e),
	    SL_EINVAL);
	sl_db_close(db);
}

static void
test_prefix_index_used(void **state)
{
	PGconn *pg = tdb_pg();
	PGresult *r;
	char plan[4096] = "";
	int i;

	(void)state;
	/* The pattern function must fold into an index condition, or the
	 * search reads every customer. */
	PQclear(PQexec(pg, "SET enable_seqscan = off"));
	r = PQexec(pg, "EXPLAIN SELECT user_id FROM app_user WHERE "
	    "lower(name) LIKE sl_prefix_pattern('ann') OR "
	    "lower(email) LIKE sl_prefix_pattern('ann')");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (i = 0; i < PQntuples(r); i++) {
		strncat(plan, PQgetvalue(r, i, 0), sizeof plan - strlen(plan) - 2);
		strcat(plan, "\n");
	}
	PQclear(r);
	if (strstr(plan, "app_user_name_prefix_idx") == NULL ||
	    strstr(plan, "app_user_email_prefix_idx") == NULL)
		fail_msg("prefix indexes not used:\n%s", plan);
	PQfinish(pg);
}

static void
test_book_search_and_states(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_booking_info *v;
	struct sl_booking *b;
	struct sl_err e;
	const char *labels[] = { "A2", "A1" };
	char email[128], q[64];
	int64_t show = tdb_show(db, 2, 4), user, ids[4], got[4];
	uint8_t st[4];
	size_t n, nb;

	(void)state;
	snprintf(email, sizeof email, "seeker.%s@example.com", tdb_unique());
	user_with(db, "Seeker", email, &user);
	assert_int_equal(sl_book_seats(db, show, labels, 2, user, NULL, &b,
	    &nb, &e), SL_OK);
	/* By booking number. */
	snprintf(q, sizeof q, "%" PRId64, b[1].id);
	assert_int_equal(sl_book_search(db, q, 50, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, b[1].id);
	assert_int_equal(v[0].show, show);
	assert_int_equal(v[0].user, user);
	assert_true(v[0].active);
	assert_string_equal(v[0].label, b[1].label);
	assert_string_equal(v[0].title, "Test show");
	sl_booking_info_free(v, n);
	/* By customer email, in seat order; cancelled ones are left out. */
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e), SL_OK);
	email[10] = '\0';
	assert_int_equal(sl_book_search(db, email, 50, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, b[1].id);
	sl_booking_info_free(v, n);
	/* A cancelled booking found by number says so. */
	snprintf(q, sizeof q, "%" PRId64, b[0].id);
	assert_int_equal(sl_book_search(db, q, 50, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_false(v[0].active);
	sl_booking_info_free(v, n);
	assert_int_equal(sl_book_search(db, "9223372036854775807", 50, &v, &n,
	    &e), SL_OK);
	assert_int_equal(n, 0);
	sl_booking_info_free(v, n);

	/* Re-reading states: the booked one, a free one, a foreign id. */
	ids[0] = ids[1] = 0;
	{
		struct sl_seats *s;
		size_t i;

		assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
		for (i = 0; i < s->n; i++) {
			if (strcmp(s->seat[i].label, "A1") == 0)
				ids[0] = s->seat[i].id;
			if (strcmp(s->seat[i].label, "A2") == 0)
				ids[1] = s->seat[i].id;
		}
		sl_seats_free(s);
	}
	ids[2] = INT64_MAX;
	assert_int_equal(sl_seatstate_read(db, show, ids, 3, got, st, &n, &e),
	    SL_OK);
	assert_int_equal(n, 2);
	assert_int_equal(got[0], ids[0] < ids[1] ? ids[0] : ids[1]);
	assert_int_equal(st[got[0] == ids[0] ? 0 : 1], SL_SEAT_AVAILABLE);
	assert_int_equal(st[got[0] == ids[1] ? 0 : 1], SL_SEAT_BOOKED);
	assert_int_equal(sl_seatstate_read(db, show, ids, 0, got, st, &n, &e),
	    SL_EINVAL);
	free(b);
	sl_db_close(db);
}

/* A box office that has the layout reloads the states alone. */
static void
test_states_reload(void **state)
{
	struct sl_db *db = tdb_connect();
	struct sl_err e;
	struct sl_seats *s, *meta, *other;
	struct sl_states st;
	struct sl_seatmap *m, *m2;
	struct sl_seatmap_counts c;
	struct sl_booking *b;
	const char *l1[] = { "B3" };
	char email[96];
	int64_t show = tdb_show(db, 2, 4), show2 = tdb_show(db, 1, 3), user;
	size_t nb, lost[4], nlost;
	long b3;
	PGconn *pg;

	(void)state;
	snprintf(email, sizeof email, "states.%s@example.com", tdb_unique());
	user_with(db, "States", email, &user);
	assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
	assert_int_equal(sl_seatmap_new(s, &m, &e), SL_OK);
	sl_seats_free(s);
	b3 = sl_seatmap_find(m, "B3");
	assert_true(b3 >= 0);
	/* Another terminal sells B3. */
	assert_int_equal(sl_book_seats(db, show, l1, 1, user, NULL, &b, &nb,
	    &e), SL_OK);
	free(b);
	pg = tdb_pg();
	tdb_flush(pg);	/* the notifier advances the sequence (issue 17) */
	PQfinish(pg);
	assert_int_equal(sl_show_states(db, show, &meta, &st, &e), SL_OK);
	assert_int_equal(st.n, 8);
	assert_int_equal(meta->n, 0);		/* no seat rows */
	assert_true(meta->change_seq > sl_seatmap_seq(m));
	assert_int_equal(sl_seatmap_reload_states(m, &st, meta->change_seq,
	    lost, 4, &nlost), 0);
	assert_int_equal(sl_seatmap_look(m, (size_t)b3), SL_LOOK_BOOKED);
	assert_int_equal(sl_seatmap_seq(m), meta->change_seq);
	sl_seatmap_counts(m, &c);
	assert_int_equal(c.booked, 1);
	assert_int_equal(c.available, 7);
	/* Another show's states do not fit this map: build anew. */
	assert_int_equal(sl_show_seats(db, show2, &other, &e), SL_OK);
	assert_int_equal(sl_seatmap_new(other, &m2, &e), SL_OK);
	sl_seats_free(other);
	assert_int_equal(sl_seatmap_reload_states(m2, &st, 1, lost, 4,
	    &nlost), -1);
	sl_seatmap_free(m2);
	sl_states_free(&st);
	sl_seats_free(meta);
	/* A show that is not there. */
	assert_int_equal(sl_show_states(db, INT64_MAX, &meta, &st, &e),
	    SL_ENOTFOUND);
	assert_null(st.id);
	sl_seatmap_free(m);
	sl_db_close(db);
}

static void
test_listener(void **state)
{
	struct sl_config c;
	struct sl_db *db = tdb_connect();
	struct sl_notify *n;
	struct sl_notify_event ev;
	struct sl_seats *s;
	struct sl_booking *b;
	struct sl_err e;
	PGconn *pg = tdb_pg();
	const char *l1[] = { "A1" }, *l2[] = { "B3" };
	char sql[256];
	int64_t show = tdb_show(db, 2, 4), user = tdb_user(db), seq;
	size_t nb;
	int pid;

	(void)state;
	sl_config_defaults(&c);
	assert_int_equal(sl_notify_new(&c, &n, &e), SL_OK);
	assert_int_equal(sl_notify_status(n), SL_NOTIFY_OFF);
	assert_int_equal(sl_notify_fd(n), -1);
	sl_notify_listen(n, show);
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 10000));
	assert_int_equal(sl_notify_status(n), SL_NOTIFY_UP);
	/* The caller reloads after READY and hands over the sequence. */
	assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
	seq = s->change_seq;
	sl_seats_free(s);
	sl_notify_set_seq(n, seq);

	/* A booking elsewhere arrives as a change naming its seat. */
	assert_int_equal(sl_book_seats(db, show, l1, 1, user, NULL, &b, &nb,
	    &e), SL_OK);
	free(b);
	tdb_flush(pg);	/* the notifier announces it (issue 17) */
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 5000));
	assert_int_equal(ev.show, show);
	assert_int_equal(ev.seq, seq + 1);
	assert_int_equal(ev.gap, 0);
	assert_int_equal(ev.reload, 0);
	assert_int_equal(ev.nseats, 1);
	assert_string_equal(ev.state, "booked");

	/* Anybody can NOTIFY: a forged payload only asks for a reload. */
	snprintf(sql, sizeof sql, "NOTIFY seatlock_show_%" PRId64 ", "
	    "'\x1b]0;pwned\x07'", show);
	PQclear(PQexec(pg, sql));
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 5000));
	assert_int_equal(ev.reload, 1);
	/* A sequence that jumps is a gap. */
	snprintf(sql, sizeof sql, "NOTIFY seatlock_show_%" PRId64 ", "
	    "'{\"show\":%" PRId64 ",\"seq\":%" PRId64 ",\"seats\":[1]}'",
	    show, show, seq + 10);
	PQclear(PQexec(pg, sql));
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 5000));
	assert_int_equal(ev.gap, 1);
	assert_int_equal(ev.reload, 1);
	/* Another show's channel is not heard. */
	snprintf(sql, sizeof sql, "NOTIFY seatlock_show_%" PRId64 ", 'x'",
	    show + 1000000);
	PQclear(PQexec(pg, sql));

	/* Kill the listener's server process: LOST, then READY again, and
	 * changes flow once more. */
	pid = sl_notify_backend_pid(n);
	assert_true(pid > 0);
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", pid);
	PQclear(PQexec(pg, sql));
	assert_true(wait_event(n, SL_NOTIFY_LOST, &ev, 10000));
	assert_true(wait_event(n, SL_NOTIFY_READY, &ev, 15000));
	assert_true(sl_notify_backend_pid(n) != pid);
	assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
	sl_notify_set_seq(n, s->change_seq);
	sl_seats_free(s);
	assert_int_equal(sl_book_seats(db, show, l2, 1, user, NULL, &b, &nb,
	    &e), SL_OK);
	free(b);
	tdb_flush(pg);	/* the notifier announces it (issue 17) */
	assert_true(wait_event(n, SL_NOTIFY_CHANGE, &ev, 5000));
	assert_int_equal(ev.nseats, 1);
	assert_int_equal(ev.gap, 0);

	/* The listener never sits in a transaction. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM pg_stat_activity "
	    "WHERE pid = %d AND (state <> 'idle' OR xact_start IS NOT NULL)",
	    sl_notify_backend_pid(n));
	assert_int_equal(tdb_int(pg, "%s", sql), 0);

	/* Stop listening. */
	sl_notify_listen(n, 0);
	sl_notify_free(n);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_search),
		cmocka_unit_test(test_prefix_index_used),
		cmocka_unit_test(test_book_search_and_states),
		cmocka_unit_test(test_states_reload),
		cmocka_unit_test(test_listener),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
