/*
 * integ_depth_customers.c - customer lookup (prefix, case-insensitive,
 * indexed) and history on a real PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "depth_util.h"

static char tag[64]; /* makes this run's customers unique */

static int64_t
reg(struct sl_db *db, const char *name, const char *local, const char *phone)
{
	char email[128];
	struct sl_err e;
	int64_t id;

	snprintf(email, sizeof email, "%s.%s@example.org", local, tag);
	if (sl_user_register(db, name, email, phone, &id, &e) != SL_OK) {
		fprintf(stderr, "reg: %s\n", e.msg);
		abort();
	}
	return id;
}

/* The ids found for text, as " 3 5 9 " (ordered by name). */
static const char *
found(struct sl_db *db, const char *text, char *buf, size_t bufsz)
{
	struct sl_customer *v;
	struct sl_err e;
	size_t n, i, len = 1;

	if (sl_customer_find(db, text, 100, &v, &n, &e) != SL_OK) {
		fprintf(stderr, "found: %s\n", e.msg);
		abort();
	}
	snprintf(buf, bufsz, " ");
	for (i = 0; i < n && len + 24 < bufsz; i++)
		len += (size_t)snprintf(buf + len, bufsz - len, "%" PRId64 " ",
		    v[i].id);
	sl_customer_list_free(v, n);
	return buf;
}

static void
test_find(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	char buf[512], want[512], name[160], name2[160], name3[160];
	char phone[40], search[40];
	long now;
	int64_t ada, alan, grace;
	struct sl_customer *v;
	struct sl_err e;
	size_t n;

	(void)state;
	snprintf(tag, sizeof tag, "%s", tdb_unique());
	/* Names unique to this run: a surname made of the tag's digits. */
	snprintf(name, sizeof name, "Ada Zq%sLovelace", tag);
	snprintf(name2, sizeof name2, "Alan Zq%sTuring", tag);
	snprintf(name3, sizeof name3, "Grace Zq%sHopper%%", tag);
	/* A phone number of this run: the pid and the clock's digits. */
	now = (long)(time(NULL) % 1000000);
	snprintf(phone, sizeof phone, "+44 (0)%05d %06ld",
	    (int)getpid() % 100000, now);
	snprintf(search, sizeof search, "+440%05d%06ld",
	    (int)getpid() % 100000, now);
	ada = reg(db, name, "ada", phone);
	alan = reg(db, name2, "alan", "020 7946 0002");
	grace = reg(db, name3, "grace", NULL);

	/* Surname prefix, any case. */
	snprintf(want, sizeof want, " %" PRId64 " %" PRId64 " %" PRId64 " ",
	    ada, alan, grace);
	snprintf(name, sizeof name, "zQ%s", tag);
	assert_string_equal(found(db, name, buf, sizeof buf), want);
	snprintf(name, sizeof name, "ZQ%sLOVE", tag);
	snprintf(want, sizeof want, " %" PRId64 " ", ada);
	assert_string_equal(found(db, name, buf, sizeof buf), want);
	/* Full name prefix. */
	snprintf(name, sizeof name, "alan zq%s", tag);
	snprintf(want, sizeof want, " %" PRId64 " ", alan);
	assert_string_equal(found(db, name, buf, sizeof buf), want);
	/* Email prefix. */
	snprintf(name, sizeof name, "GRACE.%s", tag);
	snprintf(want, sizeof want, " %" PRId64 " ", grace);
	assert_string_equal(found(db, name, buf, sizeof buf), want);
	/* A LIKE wildcard in the text is a character, not "anything". */
	snprintf(name, sizeof name, "Zq%s%%", tag);
	assert_string_equal(found(db, name, buf, sizeof buf), " ");
	snprintf(name, sizeof name, "Zq%sHopper%%", tag);
	snprintf(want, sizeof want, " %" PRId64 " ", grace);
	assert_string_equal(found(db, name, buf, sizeof buf), want);
	/* Phone digits, whatever the punctuation. */
	assert_int_equal(
	    sl_customer_find(db, search, 100, &v, &n, &e), SL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, ada);
	assert_string_equal(v[0].phone, phone);
	sl_customer_list_free(v, n);
	/* Bad input. */
	assert_int_equal(sl_customer_find(db, "", 10, &v, &n, &e), SL_EINVAL);
	assert_int_equal(sl_customer_find(db, "a\x01", 10, &v, &n, &e),
	    SL_EINVAL);
	assert_int_equal(sl_customer_find(db, "a", 0, &v, &n, &e), SL_EINVAL);
	sl_db_close(db);
}

/* Each way of finding is an index scan: with sequential scans off, the plan
 * of the real statement uses all four prefix indexes. */
static void
test_find_uses_indexes(void **state)
{
	PGconn *pg = tdb_pg();
	const char *params[3] = { "lov%", "4420%", "50" };
	const char *idx[] = { "app_user_name_prefix_idx",
		"app_user_surname_prefix_idx", "app_user_email_prefix_idx",
		"app_user_phone_prefix_idx" };
	char sql[2048], plan[8192] = "";
	PGresult *r;
	size_t i;
	int k;

	(void)state;
	tdd_exec(pg, "SET enable_seqscan = off");
	snprintf(sql, sizeof sql, "EXPLAIN %s", sl_customer_find_sql);
	r = PQexecParams(pg, sql, 3, NULL, params, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (k = 0; k < PQntuples(r); k++) {
		strncat(plan, PQgetvalue(r, k, 0),
		    sizeof plan - strlen(plan) - 2);
		strcat(plan, "\n");
	}
	PQclear(r);
	for (i = 0; i < sizeof idx / sizeof idx[0]; i++)
		if (strstr(plan, idx[i]) == NULL) {
			fprintf(stderr, "%s not in the plan:\n%s", idx[i],
			    plan);
			fail();
		}
	PQfinish(pg);
}

static void
test_history(void **state)
{
	struct sl_db *db = tdd_connect(NULL, NULL);
	int64_t show = tdb_show(db, 2, 6), user = tdb_user(db), other;
	struct sl_booking *b = NULL;
	struct sl_history *h;
	struct sl_err e;
	size_t n;

	(void)state;
	other = tdb_user(db);
	assert_int_equal(sl_zone_set(db, show, "A", "Front", 1500, 1, NULL, &e),
	    SL_OK);
	assert_int_equal(
	    sl_zone_assign(db, show, "A", "Main", "A", NULL, 0, NULL, &e),
	    SL_OK);
	assert_int_equal(tdd_book(db, show, user, "A1 A2", &b, &n, &e), SL_OK);
	assert_int_equal(tdd_book(db, show, user, "B1", NULL, NULL, &e), SL_OK);
	assert_int_equal(tdd_book(db, show, other, "B2", NULL, NULL, &e),
	    SL_OK);
	assert_int_equal(sl_book_cancel(db, b[1].id, NULL, NULL, &e), SL_OK);
	assert_int_equal(sl_customer_history(db, user, &h, &e), SL_OK);
	assert_int_equal(h->customer.id, user);
	assert_string_equal(h->customer.name, "Test Customer");
	assert_null(h->customer.phone);
	assert_int_equal(h->n, 3);
	assert_int_equal(h->active, 2);
	assert_int_equal(h->spent_cents, 1500);
	/* Newest first: B1, then A1 and A2 of one sale. */
	assert_string_equal(h->booking[0].label, "B1");
	assert_string_equal(h->booking[0].zone, "");
	assert_true(h->booking[0].active);
	assert_int_equal(h->booking[0].show, show);
	assert_string_equal(h->booking[0].title, "Test show");
	{
		size_t i, cancelled = 0;

		for (i = 0; i < h->n; i++)
			if (!h->booking[i].active) {
				cancelled++;
				assert_int_equal(h->booking[i].id, b[1].id);
				assert_true(
				    h->booking[i].cancelled_at[0] != '\0');
				assert_string_equal(h->booking[i].zone, "A");
				assert_int_equal(h->booking[i].price_cents,
				    1500);
			}
		assert_int_equal(cancelled, 1);
	}
	sl_history_free(h);
	free(b);
	assert_int_equal(sl_customer_history(db, 999999999, &h, &e),
	    SL_ENOTFOUND);
	sl_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_uses_indexes),
		cmocka_unit_test(test_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
