/*
 * routes.c - the endpoints of `seatlock serve` and their table.
 *
 * Every endpoint here is in assets/openapi.json and the other way round
 * (tests/cli/api_openapi.sh checks both).  A handler reads c->id, c->body
 * and c->db (borrowed: the dispatcher returns it, never the handler), calls
 * one core function, and sets c->status and c->json.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"
#include "sl_book.h"
#include "sl_parse.h"
#include "sl_show.h"
#include "sl_customer.h"

#define SERVE_KEY_MAX	128	/* Idempotency-Key: printable ASCII */

static void
api_openapi(struct serve_call *c)
{
	c->resp = MHD_create_response_from_buffer(c->srv->openapi_len,
	    (void *)(uintptr_t)c->srv->openapi, MHD_RESPMEM_PERSISTENT);
	if (c->resp == NULL) {
		serve_error(c, 500, "internal", "no memory");
		return;
	}
	MHD_add_response_header(c->resp, "Content-Type", "application/json");
	c->status = 200;
}

static void
api_health(struct serve_call *c)
{
	struct sl_pool_stats st;

	sl_pool_stats(c->srv->pool, &st);
	c->status = 200;
	c->json = json_pack("{s:s, s:{s:i, s:i, s:i, s:I}, s:i, s:i}",
	    "status", atomic_load(&c->srv->draining) ? "draining" : "ok",
	    "pool", "size", st.size, "idle", st.idle, "waiting", st.waiting,
	    "timeouts", (json_int_t)st.timeouts,
	    "in_flight", atomic_load(&c->srv->inflight),
	    "streams", atomic_load(&c->srv->streams));
}

/* A string field of the body: required or not; -1 with a reply set when
 * it is there but not a string. */
static int
api_str(struct serve_call *c, const char *name, int required,
    const char **out)
{
	json_t *v = json_object_get(c->body, name);

	*out = NULL;
	if (v == NULL && !required)
		return 0;
	if (v == NULL) {
		serve_error(c, 400, "invalid", "\"%s\" is required", name);
		return -1;
	}
	if (!json_is_string(v)) {
		serve_error(c, 400, "invalid", "\"%s\" must be a string", name);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		serve_error(c, 400, "invalid", "\"%s\" holds a NUL", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* A required id field: a JSON integer from 1 up. */
static int
api_id(struct serve_call *c, const char *name, int64_t *out)
{
	json_t *v = json_object_get(c->body, name);

	if (v == NULL) {
		serve_error(c, 400, "invalid", "\"%s\" is required", name);
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		serve_error(c, 400, "invalid", "\"%s\" must be an integer id "
		    "(1 or more)", name);
		return -1;
	}
	*out = (int64_t)json_integer_value(v);
	return 0;
}

static void
api_user_register(struct serve_call *c)
{
	static const char *const fields[] = { "name", "email", "phone", NULL };
	const char *name, *email, *phone;
	struct sl_err e;
	int64_t id;

	if (serve_fields(c, fields) != 0 || api_str(c, "name", 1, &name) != 0 ||
	    api_str(c, "email", 1, &email) != 0 ||
	    api_str(c, "phone", 0, &phone) != 0)
		return;
	sl_err_clear(&e);
	if (sl_user_register(c->db, name, email, phone, &id, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	c->status = 201;
	c->json = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name",
	    name, "email", email);
	if (c->json != NULL && phone != NULL)
		json_object_set_new(c->json, "phone", json_string(phone));
}

static void
api_shows(struct serve_call *c)
{
	struct sl_show *v;
	struct sl_err e;
	size_t n, i;

	sl_err_clear(&e);
	if (sl_show_list(c->db, &v, &n, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	c->json = json_array();
	for (i = 0; i < n && c->json != NULL; i++)
		json_array_append_new(c->json, json_pack(
		    "{s:I, s:s?, s:s?, s:I, s:s, s:I, s:I, s:s?, s:s?}",
		    "id", (json_int_t)v[i].id, "title", v[i].title,
		    "venue", v[i].venue, "venue_id", (json_int_t)v[i].venue_id,
		    "starts_at", v[i].starts_at,
		    "available", (json_int_t)v[i].available,
		    "capacity", (json_int_t)v[i].capacity,
		    "on_sale", v[i].on_sale[0] != '\0' ? v[i].on_sale : NULL,
		    "off_sale", v[i].off_sale[0] != '\0' ? v[i].off_sale : NULL));
	c->status = 200;
	sl_show_list_free(v, n);
}

static void
api_seats(struct serve_call *c)
{
	const char *q;
	struct sl_seats *s;
	struct sl_err e;
	json_t *arr;
	size_t i;
	int only_free = 0;

	q = MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND,
	    "available");
	if (q != NULL) {
		if (strcmp(q, "true") == 0)
			only_free = 1;
		else if (strcmp(q, "false") != 0) {
			serve_error(c, 400, "bad_query", "available must be "
			    "true or false");
			return;
		}
	}
	sl_err_clear(&e);
	if (sl_show_seats(c->db, c->id, &s, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	arr = json_array();
	for (i = 0; i < s->n && arr != NULL; i++) {
		const struct sl_seat *st = &s->seat[i];

		if (only_free && st->state != SL_SEAT_AVAILABLE)
			continue;
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s, "
		    "s:i, s:s, s:b, s:b, s:b}", "id", (json_int_t)st->id,
		    "label", st->label, "section", s->section[st->section],
		    "row", st->row, "number", (int)st->number,
		    "state", sl_seat_state_name(st->state),
		    "accessible", st->accessible, "companion", st->companion,
		    "restricted_view", st->restricted));
	}
	c->status = 200;
	c->json = json_pack("{s:I, s:I, s:o}", "show", (json_int_t)c->id,
	    "seq", (json_int_t)s->change_seq, "seats", arr);
	sl_seats_free(s);
}

/* The seat labels of e->detail ("A1 A2") as a JSON array. */
static json_t *
api_detail_seats(const struct sl_err *e)
{
	char buf[SL_ERR_DETAIL], *p, *save = NULL;
	json_t *a = json_array();

	snprintf(buf, sizeof buf, "%s", e->detail);
	for (p = strtok_r(buf, " ", &save); p != NULL && a != NULL;
	    p = strtok_r(NULL, " ", &save))
		json_array_append_new(a, json_string(p));
	return a;
}

static void
api_book(struct serve_call *c)
{
	static const char *const fields[] = { "user_id", "show_id", "seats",
	    NULL };
	char (*labels)[SL_LABEL_MAX + 1] = NULL;
	char key[SERVE_KEY_MAX + SL_ROLE_MAX + 8];
	const char **lp = NULL, *ik;
	struct sl_booking *b = NULL;
	struct sl_err e;
	json_t *seats, *v, *out;
	int64_t user, show;
	size_t n, nb, i;

	if (serve_fields(c, fields) != 0 || api_id(c, "user_id", &user) != 0 ||
	    api_id(c, "show_id", &show) != 0)
		return;
	seats = json_object_get(c->body, "seats");
	if (!json_is_array(seats) || json_array_size(seats) == 0 ||
	    json_array_size(seats) > 100) {
		serve_error(c, 400, "invalid", "\"seats\" must be an array of "
		    "1 to 100 seat labels");
		return;
	}
	ik = serve_header(c, "Idempotency-Key");
	if (ik != NULL) {
		size_t kl = strlen(ik);

		for (i = 0; i < kl; i++)
			if (ik[i] < 0x21 || ik[i] > 0x7e)
				break;
		if (kl == 0 || kl > SERVE_KEY_MAX || i < kl) {
			serve_error(c, 400, "invalid", "Idempotency-Key must "
			    "be 1 to %d printable ASCII characters",
			    SERVE_KEY_MAX);
			return;
		}
		/* Our own namespace, per role: an API key never replays a
		 * terminal's booking or another partner's. */
		snprintf(key, sizeof key, "http:%s:%s",
		    c->role != NULL ? c->role : "", ik);
	}
	n = json_array_size(seats);
	labels = calloc(n, sizeof *labels);
	lp = calloc(n, sizeof *lp);
	if (labels == NULL || lp == NULL) {
		serve_error(c, 500, "internal", "no memory");
		goto out;
	}
	json_array_foreach(seats, i, v) {
		if (!json_is_string(v) ||
		    sl_label_normalize(json_string_value(v), labels[i]) != 0) {
			serve_error(c, 400, "invalid", "seat %zu is not a seat "
			    "label (1 to 32 letters, digits and -)", i + 1);
			goto out;
		}
		lp[i] = labels[i];
	}
	sl_err_clear(&e);
	if (sl_book_seats(c->db, show, lp, n, user, ik != NULL ? key : NULL,
	    &b, &nb, &e) != SL_OK) {
		if (e.rc == SL_EBUSY) {
			/* Another sale holds the seat's lock right now. */
			c->retry_after = 1;
			serve_error(c, 409, "seat_busy", "a seat is being sold "
			    "elsewhere right now; try again");
		} else
			serve_fail(c, &e);
		/* Our own errors name the seats in the detail. */
		if (strncmp(e.sqlstate, "SL", 2) == 0 && e.detail[0] != '\0' &&
		    c->json != NULL)
			json_object_set_new(c->json, "seats",
			    api_detail_seats(&e));
		goto out;
	}
	out = json_array();
	for (i = 0; i < nb && out != NULL; i++)
		json_array_append_new(out, json_pack("{s:I, s:s}", "id",
		    (json_int_t)b[i].id, "seat", b[i].label));
	c->status = 201;
	c->json = json_pack("{s:I, s:I, s:o}", "show_id", (json_int_t)show,
	    "user_id", (json_int_t)user, "bookings", out);
out:
	free(b);
	free(labels);
	free(lp);
}

static void
api_cancel(struct serve_call *c)
{
	struct sl_err e;

	sl_err_clear(&e);
	if (sl_book_cancel(c->db, c->id, NULL, NULL, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	c->status = 204;
}

const struct serve_route serve_routes[] = {
	{ "GET", "/openapi.json", SERVE_PUBLIC, NULL, api_openapi },
	{ "GET", "/health", SERVE_PUBLIC, NULL, api_health },
	{ "POST", "/users/register", SERVE_DB | SERVE_BODY, NULL,
	    api_user_register },
	{ "GET", "/shows", SERVE_DB, NULL, api_shows },
	{ "GET", "/shows/{id}/seats", SERVE_DB, "available", api_seats },
	{ "GET", "/shows/{id}/events", SERVE_STREAM, NULL, serve_events },
	{ "POST", "/bookings", SERVE_DB | SERVE_BODY, NULL, api_book },
	{ "DELETE", "/bookings/{id}", SERVE_DB, NULL, api_cancel },
	/*
	 * Holds and best available go here when their core lands (another
	 * branch): POST /shows/{id}/holds (seats, expiry) -> 201 hold,
	 * DELETE /holds/{id} -> 204, POST /holds/{id}/book -> 201 bookings,
	 * POST /shows/{id}/best {count, zone} -> 201 hold.  Add each to
	 * assets/openapi.json too: the test checks both ways.
	 */
};
const size_t serve_nroutes = sizeof serve_routes / sizeof serve_routes[0];
