/*
 * integ_user.c - customers and shows in the real database: duplicate
 * emails whatever their case, names of any script stored byte for byte,
 * invalid input refused before and by the database; adding shows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testdb.h"

static int64_t
register_ok(struct sl_db *db, const char *name, const char *email,
    const char *phone)
{
	struct sl_err e;
	int64_t id = 0;

	sl_err_clear(&e);
	if (sl_user_register(db, name, email, phone, &id, &e) != SL_OK)
		fail_msg("register %s: %s", email, e.msg);
	assert_true(id > 0);
	return id;
}

static void
register_fails(struct sl_db *db, const char *name, const char *email,
    const char *phone, enum sl_rc want)
{
	struct sl_err e;
	int64_t id = -5;
	enum sl_rc rc;

	sl_err_clear(&e);
	rc = sl_user_register(db, name, email, phone, &id, &e);
	if (rc != want)
		fail_msg("register \"%s\" <%s>: %s, not %s (%s)", name, email,
		    sl_rc_name(rc), sl_rc_name(want), e.msg);
	assert_int_equal(id, -5);
}

static void
test_duplicate_email(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	char email[128], upper[128];
	struct sl_err e;
	int64_t id, n0;
	size_t i;

	(void)state;
	snprintf(email, sizeof email, "dup%s@Example.com", tdb_unique());
	id = register_ok(db, "First Customer", email, NULL);
	for (i = 0; email[i] != '\0'; i++)
		upper[i] = (char)(email[i] >= 'a' && email[i] <= 'z' ?
		    email[i] - 32 : email[i]);
	upper[i] = '\0';
	n0 = tdb_int(pg, "SELECT count(*) FROM app_user");
	register_fails(db, "Second Customer", email, NULL, SL_ECONFLICT);
	register_fails(db, "Second Customer", upper, NULL, SL_ECONFLICT);
	for (i = 0; email[i] != '\0'; i++)
		upper[i] = (char)(email[i] >= 'A' && email[i] <= 'Z' ?
		    email[i] + 32 : email[i]);
	register_fails(db, "Third", upper, "+44 20 7946 0958", SL_ECONFLICT);
	sl_err_clear(&e);
	assert_int_equal(sl_user_register(db, "X", upper, NULL, &id, &e),
	    SL_ECONFLICT);
	assert_non_null(strstr(e.msg, "registered already"));
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM app_user"), n0);
	/* the email is kept as typed */
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM app_user WHERE "
	    "email = '%s'", email), 1);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_unicode_names(void **state)
{
	static const char *const names[] = {
		/* Zoë Ångström, NFC */
		"Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m",
		"Zoe\xcc\x88 A\xcc\x8angstro\xcc\x88m",	/* the same, NFD */
		"\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",	/* 王小明 */
		"\xce\xa9mega",				/* Ωmega */
		"\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",	/* محمد */
		"\xd0\x90\xd0\xbd\xd0\xbd\xd0\xb0",	/* Анна */
		"\xf0\x9f\x8e\xad Drama Club",		/* 🎭, 4 bytes */
		"O'Brien; DROP TABLE app_user; --",
		"Robert\"); \\ $1 %s %n",
		"  spaced  ",
	};
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	char email[128], sql[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		PGresult *r;
		int64_t id;

		snprintf(email, sizeof email, "u%s@example.org", tdb_unique());
		id = register_ok(db, names[i], email, NULL);
		/* read back as bytes: nothing normalized, trimmed or escaped */
		snprintf(sql, sizeof sql, "SELECT convert_to(name, 'UTF8') "
		    "FROM app_user WHERE user_id = %" PRId64, id);
		r = PQexecParams(pg, sql, 0, NULL, NULL, NULL, NULL, 1);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		assert_int_equal(PQntuples(r), 1);
		assert_int_equal((size_t)PQgetlength(r, 0, 0),
		    strlen(names[i]));
		assert_memory_equal(PQgetvalue(r, 0, 0), names[i],
		    strlen(names[i]));
		PQclear(r);
	}
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_invalid_customer(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	char email[128], longname[1000];
	int64_t n0, id;

	(void)state;
	n0 = tdb_int(pg, "SELECT count(*) FROM app_user");
	snprintf(email, sizeof email, "inv%s@example.org", tdb_unique());
	register_fails(db, "", email, NULL, SL_EINVAL);
	register_fails(db, "Bell\a", email, NULL, SL_EINVAL);
	register_fails(db, "Esc\x1b[31mRed", email, NULL, SL_EINVAL);
	register_fails(db, "Line\nBreak", email, NULL, SL_EINVAL);
	register_fails(db, "Nel\xc2\x85", email, NULL, SL_EINVAL);
	register_fails(db, "evil\xe2\x80\xaegpj.exe", email, NULL, SL_EINVAL);
	register_fails(db, "iso\xe2\x81\xa6x", email, NULL, SL_EINVAL);
	register_fails(db, "Latin1 Zo\xeb", email, NULL, SL_EINVAL);
	register_fails(db, "Good Name", "not-an-email", NULL, SL_EINVAL);
	register_fails(db, "Good Name", "a b@example.org", NULL, SL_EINVAL);
	register_fails(db, "Good Name", email, "call me", SL_EINVAL);
	/* 800 bytes pass the C check; the database allows 200 characters */
	memset(longname, 'n', 201);
	longname[201] = '\0';
	register_fails(db, longname, email, NULL, SL_EINVAL);
	/* with a message a clerk can read, not the constraint's */
	{
		struct sl_err e;

		sl_err_clear(&e);
		sl_user_register(db, longname, email, NULL, &id, &e);
		assert_non_null(strstr(e.msg, "too long"));
		assert_string_equal(e.detail, "");
	}
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM app_user"), n0);
	/* 200 characters of 4 bytes each are fine */
	longname[0] = '\0';
	for (id = 0; id < 200; id++)
		strcat(longname, "\xf0\x9f\x8e\xad");
	id = register_ok(db, longname, email, "+1 (555) 010-9999");
	assert_int_equal(tdb_int(pg, "SELECT length(name) FROM app_user WHERE "
	    "user_id = %" PRId64, id), 200);
	PQfinish(pg);
	sl_db_close(db);
}

static void
test_show_add(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_err e;
	int64_t show, venue, id = -5, seats;

	(void)state;
	show = tdb_show(db, 3, 4);
	venue = tdb_int(pg, "SELECT venue_id FROM show WHERE show_id = %"
	    PRId64, show);
	/* a second show of the venue: its own inventory, all available */
	sl_err_clear(&e);
	if (sl_show_add(db, venue, "Matin\xc3\xa9" "e", "2030-01-02 14:30+01",
	    &id, &e) != SL_OK)
		fail_msg("show add: %s", e.msg);
	seats = tdb_int(pg, "SELECT count(*) FROM show_seat WHERE show_id = %"
	    PRId64 " AND state = 'available' AND venue_id = %" PRId64, id,
	    venue);
	assert_int_equal(seats, 12);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM audit_log WHERE "
	    "show_id = %" PRId64 " AND action = 'show add'", id), 1);
	/* the venue has a show at that time already */
	id = -5;
	assert_int_equal(sl_show_add(db, venue, "Again", "2030-01-02 13:30Z",
	    &id, &e), SL_ECONFLICT);
	assert_int_equal(id, -5);
	assert_int_equal(sl_show_add(db, venue + 1000000, "Nowhere",
	    "2030-02-01 20:00", &id, &e), SL_ENOTFOUND);
	assert_int_equal(sl_show_add(db, venue, "Bad time", "half past eight",
	    &id, &e), SL_EINVAL);
	assert_int_equal(sl_show_add(db, venue, "Bad time", "2030-02-30 20:00",
	    &id, &e), SL_EINVAL);
	assert_int_equal(sl_show_add(db, venue, "", "2030-03-01 20:00", &id,
	    &e), SL_EINVAL);
	assert_int_equal(id, -5);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM show WHERE "
	    "venue_id = %" PRId64, venue), 2);
	PQfinish(pg);
	sl_db_close(db);
}

/* A venue imported twice: the second is refused, or reused when asked. */
static void
test_venue_import(void **state)
{
	struct sl_db *db = tdb_connect();
	PGconn *pg = tdb_pg();
	struct sl_layout *l;
	struct sl_err e;
	char text[512];
	int64_t id, id2;
	int created;

	(void)state;
	snprintf(text, sizeof text, "venue = { name = \"Hall %s\"; sections = "
	    "( { name = \"Floor\"; rows = ( { row = \"A\"; seats = \"1-5\"; "
	    "accessible = \"1\"; } ); } ); };", tdb_unique());
	assert_int_equal(sl_layout_parse(text, "hall", &l, &e), SL_OK);
	assert_int_equal(sl_venue_import(db, l, 0, &id, &created, &e), SL_OK);
	assert_int_equal(created, 1);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM seat WHERE "
	    "venue_id = %" PRId64, id), 5);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM seat WHERE "
	    "venue_id = %" PRId64 " AND accessible AND label = 'A1'", id), 1);
	id2 = -5;
	assert_int_equal(sl_venue_import(db, l, 0, &id2, &created, &e),
	    SL_ECONFLICT);
	assert_int_equal(id2, -5);
	assert_int_equal(created, 0);
	assert_int_equal(sl_venue_import(db, l, 1, &id2, &created, &e), SL_OK);
	assert_int_equal(id2, id);
	assert_int_equal(created, 0);
	assert_int_equal(tdb_int(pg, "SELECT count(*) FROM seat WHERE "
	    "venue_id = %" PRId64, id), 5);
	sl_layout_free(l);
	PQfinish(pg);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicate_email),
		cmocka_unit_test(test_unicode_names),
		cmocka_unit_test(test_invalid_customer),
		cmocka_unit_test(test_show_add),
		cmocka_unit_test(test_venue_import),
	};

	return cmocka_run_group_tests_name("user", tests, NULL, NULL);
}
