/*
 * integ_book.c - the booking core against the real PostgreSQL: book,
 * cancel and rebook; seat order; the inventory state; the audit trail;
 * NOTIFY; all-or-nothing; not-found and invalid requests; request keys
 * (idempotency, also under a race); and the database's own constraints,
 * tried with raw SQL past the core.
 */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

#define INSERT_BOOKING "INSERT INTO booking (show_id, seat_id, venue_id, " \
	"user_id, request_id) VALUES ($1, $2, $3, $4, $5)"

/* Books labels; expects SL_OK and returns the bookings (caller frees). */
static struct sl_booking *
book_ok(struct sl_db *db, int64_t show, const char *const *labels, size_t n,
    int64_t user, const char *key, size_t *nout)
{
	struct sl_booking *b = NULL;
	struct sl_err e;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_book_seats(db, show, labels, n, user, key, &b, nout, &e);
	if (rc != SL_OK)
		fail_msg("book: %s: %s (%s)", sl_rc_name(rc), e.msg, e.detail);
	assert_int_equal(*nout, n);
	return b;
}

/* Books labels; expects rc, returns e. */
static struct sl_err
book_fails(struct sl_db *db, int64_t show, const char *const *labels,
    size_t n, int64_t user, const char *key, enum sl_rc want)
{
	struct sl_booking *b = (struct sl_booking *)0x1;
	struct sl_err e;
	size_t nb = 77;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_book_seats(db, show, labels, n, user, key, &b, &nb, &e);
	if (rc != want)
		fail_msg("book: %s, not %s: %s", sl_rc_name(rc),
		    sl_rc_name(want), e.msg);
	assert_int_equal(e.rc, want);
	/* out-parameters are written only on success */
	assert_ptr_equal(b, (struct sl_booking *)0x1);
	assert_int_equal(nb, 77);
	return e;
}

static void
assert_state(PGconn *pg, int64_t show, const char *label, const char *want)
{
	char *st = tdb_state(pg, show, label);

	assert_non_null(st);
	if (strcmp(st, want) != 0)
		fail_msg("seat %s is %s, not %s", label, st, want);
	free(st);
}

static void
test_book_cancel_rebook(void **state)
{
	static const char *const req[] = { "A3", "A1", "A2" };
	static const char *const a2[] = { "A2" };
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_booking *b, *b2;
	struct sl_err e;
	int64_t show, user, cshow, seq0;
	char label[SL_LABEL_MAX + 1];
	size_t n, i;
	char *s;

	(void)state;
	show = tdb_show(db, 1, 10);
	user = tdb_user(db);
	seq0 = tdb_int(pg, "SELECT change_seq FROM show WHERE show_id = %"
	    PRId64, show);

	b = book_ok(db, show, req, 3, user, NULL, &n);
	/* returned in seat order, whatever the order asked */
	assert_string_equal(b[0].label, "A1");
	assert_string_equal(b[1].label, "A2");
	assert_string_equal(b[2].label, "A3");
	for (i = 0; i < n; i++) {
		/* each id is the booking of that seat, for that user */
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking b "
		    "JOIN seat s ON s.seat_id = b.seat_id WHERE "
		    "b.booking_id = %" PRId64 " AND s.label = '%s' AND "
		    "b.show_id = %" PRId64 " AND b.user_id = %" PRId64
		    " AND b.status = 'active'",
		    b[i].id, b[i].label, show, user), 1);
		if (i > 0)
			assert_true(b[i].id > b[i - 1].id);
	}
	assert_state(pg, show, "A1", "booked");
	assert_state(pg, show, "A2", "booked");
	assert_state(pg, show, "A3", "booked");
	assert_state(pg, show, "A4", "available");
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show_seat WHERE "
	    "show_id = %" PRId64 " AND state = 'available'", show), 7);
	/* one audit row naming the three bookings and seats */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "show_id = %" PRId64 " AND action = 'book' AND booking_ids = "
	    "ARRAY[%" PRId64 ",%" PRId64 ",%" PRId64 "]::bigint[] AND "
	    "cardinality(seat_ids) = 3 AND (detail->>'user')::bigint = %"
	    PRId64, show, b[0].id, b[1].id, b[2].id, user), 1);
	tdb_flush(pg);
	assert_int_equal(tdb_int(pg, "SELECT change_seq FROM show WHERE "
	    "show_id = %" PRId64, show), seq0 + 1);

	/* cancel the middle one */
	sl_err_clear(&e);
	cshow = 0;
	if (sl_book_cancel(db, b[1].id, &cshow, label, &e) != SL_OK)
		fail_msg("cancel: %s", e.msg);
	assert_int_equal(cshow, show);
	assert_string_equal(label, "A2");
	tdb_flush(pg);
	assert_state(pg, show, "A2", "available");
	assert_state(pg, show, "A1", "booked");
	s = tdb_text(pg, "SELECT status || ' ' || (cancelled_at IS NOT NULL) "
	    "FROM booking WHERE booking_id = %" PRId64, b[1].id);
	assert_string_equal(s, "cancelled true");
	free(s);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "show_id = %" PRId64 " AND action = 'cancel' AND booking_ids = "
	    "ARRAY[%" PRId64 "]::bigint[]", show, b[1].id), 1);

	/* the same seat again: a new booking */
	b2 = book_ok(db, show, a2, 1, user, NULL, &n);
	assert_string_equal(b2[0].label, "A2");
	assert_true(b2[0].id != b[1].id);
	assert_state(pg, show, "A2", "booked");
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking b JOIN "
	    "seat s ON s.seat_id = b.seat_id WHERE b.show_id = %" PRId64
	    " AND s.label = 'A2'", show), 2);
	assert_int_equal(tdb_active(pg, show), 3);
	tdb_flush(pg);
	assert_int_equal(tdb_int(pg, "SELECT change_seq FROM show WHERE "
	    "show_id = %" PRId64, show), seq0 + 3);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "show_id = %" PRId64 " AND action IN ('book', 'cancel')", show), 3);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);

	free(b);
	free(b2);
	PQfinish(pg);
	sl_db_close(db);
}

/* The seat map through the core follows the bookings. */
static void
test_show_seats_follow(void **state)
{
	static const char *const req[] = { "B2" };
	struct sl_db *db = tdb_connect();
	struct sl_seats *s;
	struct sl_show *sh;
	struct sl_booking *b;
	struct sl_err e;
	int64_t show, user, seq;
	size_t n, i, booked = 0;
	PGconn *f;

	(void)state;
	show = tdb_show(db, 2, 5);
	user = tdb_user(db);
	assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
	assert_int_equal(s->n, 10);
	seq = s->change_seq;
	sl_seats_free(s);
	b = book_ok(db, show, req, 1, user, NULL, &n);
	f = tdb_pg();
	tdb_flush(f);
	PQfinish(f);
	assert_int_equal(sl_show_seats(db, show, &s, &e), SL_OK);
	assert_int_equal(s->change_seq, seq + 1);
	for (i = 0; i < s->n; i++) {
		if (s->seat[i].state == SL_SEAT_BOOKED) {
			booked++;
			assert_string_equal(s->seat[i].label, "B2");
		} else
			assert_int_equal(s->seat[i].state, SL_SEAT_AVAILABLE);
	}
	assert_int_equal(booked, 1);
	sl_seats_free(s);
	assert_int_equal(sl_show_get(db, show, &sh, &e), SL_OK);
	assert_int_equal(sh->available, 9);
	assert_int_equal(sh->capacity, 10);
	sl_show_list_free(sh, 1);
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e), SL_OK);
	assert_int_equal(sl_show_get(db, show, &sh, &e), SL_OK);
	assert_int_equal(sh->available, 10);
	sl_show_list_free(sh, 1);
	assert_int_equal(sl_show_seats(db, show + 1000000, &s, &e),
	    SL_ENOTFOUND);
	free(b);
	sl_db_close(db);
}

/*
 * Waits up to 10 s for a notification on pg (a raw connection that
 * LISTENs); returns it (PQfreemem) or NULL.
 */
static PGnotify *
wait_notify(PGconn *pg)
{
	PGnotify *n;
	int i;

	for (i = 0; i < 100; i++) {
		struct pollfd pfd = { PQsocket(pg), POLLIN, 0 };

		if (PQconsumeInput(pg) == 0)
			fail_msg("listener: %s", PQerrorMessage(pg));
		if ((n = PQnotifies(pg)) != NULL)
			return n;
		poll(&pfd, 1, 100);
	}
	return NULL;
}

/* Checks a payload with the server's own JSON parser. */
static void
check_payload(PGconn *pg, const char *payload, int64_t show,
    const char *state, const char *seats)
{
	const char *params[1] = { payload };
	PGresult *r;

	r = PQexecParams(pg, "SELECT $1::json->>'show', $1::json->>'state', "
	    "($1::json->'seats')::text, ($1::json->>'seq')::bigint",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("payload %s is not JSON: %s", payload,
		    PQerrorMessage(pg));
	assert_int_equal(strtoll(PQgetvalue(r, 0, 0), NULL, 10), show);
	assert_string_equal(PQgetvalue(r, 0, 1), state);
	assert_string_equal(PQgetvalue(r, 0, 2), seats);
	assert_true(strtoll(PQgetvalue(r, 0, 3), NULL, 10) > 0);
	PQclear(r);
}

static void
test_notify(void **state)
{
	static const char *const req[] = { "A2", "A1" };
	struct sl_db *db = tdb_connect();
	PGconn *listener = tdb_pg(), *pg = tdb_pg();
	struct sl_booking *b;
	struct sl_err e;
	PGnotify *n;
	PGresult *r;
	int64_t show, user;
	char sql[128], chan[64], seats[64];
	size_t nb;

	(void)state;
	show = tdb_show(db, 1, 4);
	user = tdb_user(db);
	snprintf(chan, sizeof chan, "seatlock_show_%" PRId64, show);
	snprintf(sql, sizeof sql, "LISTEN %s", chan);
	r = PQexec(listener, sql);
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	snprintf(seats, sizeof seats, "[%" PRId64 ",%" PRId64 "]",
	    tdb_seat_id(pg, show, "A1"), tdb_seat_id(pg, show, "A2"));

	b = book_ok(db, show, req, 2, user, NULL, &nb);
	/* announced by the notifier's flush, not the seller (issue 17) */
	tdb_flush(pg);
	n = wait_notify(listener);
	if (n == NULL)
		fail_msg("no notification on %s within 10 s", chan);
	assert_string_equal(n->relname, chan);
	assert_int_equal(n->be_pid, PQbackendPID(pg));
	check_payload(pg, n->extra, show, "booked", seats);
	PQfreemem(n);

	/* a failed booking notifies nothing */
	book_fails(db, show, req, 1, user, NULL, SL_ECONFLICT);

	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e), SL_OK);
	tdb_flush(pg);
	n = wait_notify(listener);
	assert_non_null(n);
	assert_string_equal(n->relname, chan);
	snprintf(seats, sizeof seats, "[%" PRId64 "]",
	    tdb_seat_id(pg, show, "A1"));
	check_payload(pg, n->extra, show, "available", seats);
	PQfreemem(n);
	/* nothing else arrived: the conflict above sent nothing */
	PQconsumeInput(listener);
	assert_null(PQnotifies(listener));

	free(b);
	PQfinish(listener);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_all_or_nothing(void **state)
{
	static const char *const taken[] = { "A2" };
	static const char *const three[] = { "A1", "A2", "A3" };
	static const char *const four[] = { "A5", "A4", "A3", "A1" };
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_booking *b;
	struct sl_err e;
	int64_t show, u1, u2, seq;
	size_t n;

	(void)state;
	show = tdb_show(db, 1, 6);
	u1 = tdb_user(db);
	u2 = tdb_user(db);
	b = book_ok(db, show, taken, 1, u1, NULL, &n);
	seq = tdb_int(pg, "SELECT change_seq FROM show WHERE show_id = %"
	    PRId64, show);

	e = book_fails(db, show, three, 3, u2, "all-or-nothing-1",
	    SL_ECONFLICT);
	assert_string_equal(e.detail, "A2");
	assert_non_null(strstr(e.msg, "A2"));
	assert_string_equal(e.sqlstate, "SL409");
	/* none of the three was booked */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking WHERE "
	    "show_id = %" PRId64 " AND user_id = %" PRId64, show, u2), 0);
	assert_int_equal(tdb_active(pg, show), 1);
	assert_state(pg, show, "A1", "available");
	assert_state(pg, show, "A3", "available");
	/* no request recorded, no audit row, no change published */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = 'all-or-nothing-1'"), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "show_id = %" PRId64 " AND action = 'book'", show), 1);
	assert_int_equal(tdb_int(pg, "SELECT change_seq FROM show WHERE "
	    "show_id = %" PRId64, show), seq);

	/* two taken seats are both named, in seat order */
	free(b);
	b = book_ok(db, show, four + 1, 1, u1, NULL, &n);	/* A4 */
	e = book_fails(db, show, four, 4, u2, NULL, SL_ECONFLICT);
	assert_string_equal(e.detail, "A4");
	free(b);
	e = book_fails(db, show, three, 3, u2, NULL, SL_ECONFLICT);
	assert_string_equal(e.detail, "A2");
	{
		static const char *const both[] = { "A4", "A6", "A2" };

		e = book_fails(db, show, both, 3, u2, NULL, SL_ECONFLICT);
		assert_string_equal(e.detail, "A2 A4");
	}
	assert_int_equal(tdb_active(pg, show), 2);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking WHERE "
	    "show_id = %" PRId64 " AND user_id = %" PRId64, show, u2), 0);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_not_found_and_invalid(void **state)
{
	static const char *const ok[] = { "A1" };
	static const char *const unknown[] = { "A1", "Z99", "A2" };
	static const char *const dup[] = { "A1", "A2", "A1" };
	static const char *const other[] = { "B1" };
	const char *many[101];
	char mlab[101][24];
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_booking *b;
	struct sl_err e;
	int64_t show, user, show2;
	size_t n, i;

	(void)state;
	show = tdb_show(db, 1, 3);
	show2 = tdb_show(db, 2, 3);	/* a venue that has a row B */
	user = tdb_user(db);

	e = book_fails(db, show + 1000000, ok, 1, user, NULL, SL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "show"));
	e = book_fails(db, INT64_MAX, ok, 1, user, NULL, SL_ENOTFOUND);
	e = book_fails(db, show, unknown, 3, user, NULL, SL_ENOTFOUND);
	assert_string_equal(e.detail, "Z99");
	/* a label of another venue is unknown in this one */
	e = book_fails(db, show, other, 1, user, NULL, SL_ENOTFOUND);
	assert_string_equal(e.detail, "B1");
	e = book_fails(db, show, ok, 1, user + 1000000, NULL, SL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "user"));
	e = book_fails(db, show, dup, 3, user, NULL, SL_EINVAL);
	assert_string_equal(e.detail, "A1");
	e = book_fails(db, show, ok, 0, user, NULL, SL_EINVAL);
	/* more than 100 seats in one request */
	for (i = 0; i < 101; i++) {
		snprintf(mlab[i], sizeof mlab[i], "A%zu", i + 1);
		many[i] = mlab[i];
	}
	e = book_fails(db, show, many, 101, user, NULL, SL_EINVAL);
	/* a request key longer than 200 characters */
	{
		char key[256];

		memset(key, 'k', 201);
		key[201] = '\0';
		e = book_fails(db, show, ok, 1, user, key, SL_EINVAL);
	}
	assert_int_equal(tdb_active(pg, show), 0);
	assert_int_equal(tdb_active(pg, show2), 0);

	/* cancel: unknown, then already cancelled */
	assert_int_equal(sl_book_cancel(db, INT64_MAX, NULL, NULL, &e),
	    SL_ENOTFOUND);
	b = book_ok(db, show, ok, 1, user, NULL, &n);
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e), SL_OK);
	sl_err_clear(&e);
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e),
	    SL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "not active"));
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'cancel' AND booking_ids = ARRAY[%" PRId64 "]::bigint[]",
	    b[0].id), 1);
	assert_state(pg, show, "A1", "available");
	/* the connection is still good after all these errors */
	free(b);
	b = book_ok(db, show, ok, 1, user, NULL, &n);
	free(b);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_idempotent(void **state)
{
	static const char *const two[] = { "A1", "A2" };
	static const char *const swapped[] = { "A2", "A1" };
	static const char *const other[] = { "A1", "A3" };
	struct sl_db *db = tdb_connect(), *db2 = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_booking *b, *b2;
	struct sl_err e;
	int64_t show, user, user2;
	char key[96];
	size_t n, n2;

	(void)state;
	show = tdb_show(db, 1, 4);
	user = tdb_user(db);
	user2 = tdb_user(db);
	snprintf(key, sizeof key, "idem-%s", tdb_unique());

	b = book_ok(db, show, two, 2, user, key, &n);
	/* again, from another connection: the first answer */
	b2 = book_ok(db2, show, two, 2, user, key, &n2);
	assert_int_equal(b2[0].id, b[0].id);
	assert_int_equal(b2[1].id, b[1].id);
	assert_string_equal(b2[0].label, "A1");
	free(b2);
	/* the order of the labels does not make it another request */
	b2 = book_ok(db, show, swapped, 2, user, key, &n2);
	assert_int_equal(b2[0].id, b[0].id);
	assert_int_equal(b2[1].id, b[1].id);
	free(b2);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = '%s'", key), 1);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking b JOIN "
	    "booking_request r USING (request_id) WHERE r.request_key = '%s'",
	    key), 2);
	assert_int_equal(tdb_active(pg, show), 2);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "show_id = %" PRId64 " AND action = 'book'", show), 1);

	/* the same key for something else is refused */
	e = book_fails(db, show, other, 2, user, key, SL_EINVAL);
	assert_non_null(strstr(e.msg, "request key"));
	e = book_fails(db, show, two, 1, user, key, SL_EINVAL);
	e = book_fails(db, show, two, 2, user2, key, SL_EINVAL);
	assert_int_equal(tdb_active(pg, show), 2);

	/* after a cancel the key still answers with its bookings */
	assert_int_equal(sl_book_cancel(db, b[0].id, NULL, NULL, &e), SL_OK);
	b2 = book_ok(db, show, two, 2, user, key, &n2);
	assert_int_equal(b2[0].id, b[0].id);
	assert_int_equal(tdb_active(pg, show), 1);
	free(b2);

	/* a key whose booking failed was not recorded: it can be used */
	snprintf(key, sizeof key, "idem-%s", tdb_unique());
	e = book_fails(db, show, two + 1, 1, user2, key, SL_ECONFLICT);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking_request "
	    "WHERE request_key = '%s'", key), 0);
	assert_int_equal(sl_book_cancel(db, b[1].id, NULL, NULL, &e), SL_OK);
	free(b);
	b = book_ok(db, show, two + 1, 1, user2, key, &n);
	assert_string_equal(b[0].label, "A2");
	free(b);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	PQfinish(pg);
	sl_db_close(db);
	sl_db_close(db2);
}

struct idem_arg {
	pthread_barrier_t	*barrier;
	int64_t			 show, user;
	const char		*key;
	const char		*labels[2];
	struct sl_db		*db;
	enum sl_rc		 rc;
	struct sl_err		 e;
	struct sl_booking	*b;
	size_t			 n;
};

static void *
idem_thread(void *p)
{
	struct idem_arg *a = p;

	pthread_barrier_wait(a->barrier);
	a->rc = sl_book_seats(a->db, a->show, a->labels, 2, a->user, a->key,
	    &a->b, &a->n, &a->e);
	return NULL;
}

/* Two clients send the same request key at the same moment. */
static void
test_idempotent_race(void **state)
{
	struct idem_arg a[2];
	pthread_barrier_t barrier;
	pthread_t t[2];
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	char labels[20][2][16], key[96];
	int64_t show, user;
	int round, i;

	(void)state;
	show = tdb_show(db, 2, 20);
	user = tdb_user(db);
	for (i = 0; i < 2; i++)
		a[i].db = tdb_connect_noretry();
	for (round = 0; round < 20; round++) {
		snprintf(labels[round][0], 16, "A%d", round + 1);
		snprintf(labels[round][1], 16, "B%d", round + 1);
		snprintf(key, sizeof key, "race-%d-%s", round, tdb_unique());
		pthread_barrier_init(&barrier, NULL, 2);
		for (i = 0; i < 2; i++) {
			a[i].barrier = &barrier;
			a[i].show = show;
			a[i].user = user;
			a[i].key = key;
			/* one asks {A,B}, the other {B,A} */
			a[i].labels[0] = labels[round][i];
			a[i].labels[1] = labels[round][1 - i];
			a[i].b = NULL;
			sl_err_clear(&a[i].e);
			pthread_create(&t[i], NULL, idem_thread, &a[i]);
		}
		for (i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&barrier);
		for (i = 0; i < 2; i++)
			if (a[i].rc != SL_OK)
				fail_msg("round %d thread %d: %s: %s", round, i,
				    sl_rc_name(a[i].rc), a[i].e.msg);
		assert_int_equal(a[0].n, 2);
		assert_int_equal(a[1].n, 2);
		assert_int_equal(a[0].b[0].id, a[1].b[0].id);
		assert_int_equal(a[0].b[1].id, a[1].b[1].id);
		assert_int_equal(tdb_int(pg, "SELECT count(*) FROM booking b "
		    "JOIN booking_request r USING (request_id) WHERE "
		    "r.request_key = '%s'", key), 2);
		free(a[0].b);
		free(a[1].b);
	}
	assert_int_equal(tdb_active(pg, show), 40);
	assert_int_equal(tdb_double_bookings(pg, show), 0);
	assert_int_equal(tdb_state_mismatches(pg, show), 0);
	for (i = 0; i < 2; i++)
		sl_db_close(a[i].db);
	PQfinish(pg);
	sl_db_close(db);
}

/*
 * The last line of defence, tried past the core: the partial unique index
 * refuses a second active booking of a seat, and the composite keys refuse
 * a booking of a seat of another venue than the show's.
 */
static void
test_constraints(void **state)
{
	static const char *const a1[] = { "A1" };
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_booking *b;
	char sst[64], con[64], p[5][24];
	const char *params[5];
	int64_t show, other, user, venue, ovenue, req, seat, oseat;
	size_t n;
	int i;

	(void)state;
	show = tdb_show(db, 1, 3);
	other = tdb_show(db, 1, 3);
	user = tdb_user(db);
	b = book_ok(db, show, a1, 1, user, NULL, &n);
	venue = tdb_int(pg, "SELECT venue_id FROM show WHERE show_id = %"
	    PRId64, show);
	ovenue = tdb_int(pg, "SELECT venue_id FROM show WHERE show_id = %"
	    PRId64, other);
	req = tdb_int(pg, "SELECT request_id FROM booking WHERE booking_id = %"
	    PRId64, b[0].id);
	seat = tdb_seat_id(pg, show, "A1");
	oseat = tdb_seat_id(pg, other, "A2");
	for (i = 0; i < 5; i++)
		params[i] = p[i];

	/* a second active booking of A1 */
	snprintf(p[0], 24, "%" PRId64, show);
	snprintf(p[1], 24, "%" PRId64, seat);
	snprintf(p[2], 24, "%" PRId64, venue);
	snprintf(p[3], 24, "%" PRId64, user);
	snprintf(p[4], 24, "%" PRId64, req);
	tdb_try(pg, INSERT_BOOKING, 5, params, sst, con);
	assert_string_equal(sst, "23505");
	assert_string_equal(con, "booking_one_active_seat");
	/* a cancelled one beside it is fine (partial index) */
	tdb_try(pg, "INSERT INTO booking (show_id, seat_id, venue_id, user_id,"
	    " request_id, status, cancelled_at) VALUES ($1, $2, $3, $4, $5, "
	    "'cancelled', now())", 5, params, sst, con);
	assert_string_equal(sst, "");
	/* flipping the cancelled one back to active is refused as well */
	tdb_try(pg, "UPDATE booking SET status = 'active', cancelled_at = NULL"
	    " WHERE show_id = $1 AND seat_id = $2 AND status = 'cancelled'", 2,
	    params, sst, con);
	assert_string_equal(sst, "23505");

	/* a seat of the other venue, claimed to be of the show's venue */
	snprintf(p[1], 24, "%" PRId64, oseat);
	tdb_try(pg, INSERT_BOOKING, 5, params, sst, con);
	assert_string_equal(sst, "23503");
	/* ... or with its own venue: then the show does not match */
	snprintf(p[2], 24, "%" PRId64, ovenue);
	tdb_try(pg, INSERT_BOOKING, 5, params, sst, con);
	assert_string_equal(sst, "23503");
	/* the inventory cannot name a foreign seat either */
	tdb_try(pg, "INSERT INTO show_seat (show_id, seat_id, venue_id) "
	    "VALUES ($1, $2, $3)", 3, params, sst, con);
	assert_string_equal(sst, "23503");
	snprintf(p[2], 24, "%" PRId64, venue);
	tdb_try(pg, "INSERT INTO show_seat (show_id, seat_id, venue_id) "
	    "VALUES ($1, $2, $3)", 3, params, sst, con);
	assert_string_equal(sst, "23503");
	/* the audit trail is append-only */
	tdb_try(pg, "DELETE FROM audit_log WHERE show_id = $1", 1, params, sst,
	    con);
	assert_string_equal(sst, "42501");
	tdb_try(pg, "UPDATE audit_log SET action = 'x' WHERE show_id = $1", 1,
	    params, sst, con);
	assert_string_equal(sst, "42501");

	assert_int_equal(tdb_active(pg, show), 1);
	assert_int_equal(tdb_active(pg, other), 0);
	free(b);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_book_cancel_rebook),
		cmocka_unit_test(test_show_seats_follow),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_not_found_and_invalid),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_idempotent_race),
		cmocka_unit_test(test_constraints),
	};

	return cmocka_run_group_tests_name("book", tests, NULL, NULL);
}
