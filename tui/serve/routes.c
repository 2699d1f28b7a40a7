/*
 * routes.c - the endpoints of `seatlock serve` and their table.
 *
 * The sale's endpoints (/sales, /holds) are in sales.c.  Every endpoint
 * here is in assets/openapi.json and the other way round
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

static void
api_user_register(struct serve_call *c)
{
	static const char *const fields[] = { "name", "email", "phone", NULL };
	const char *name, *email, *phone;
	struct sl_err e;
	int64_t id;

	if (serve_fields(c, fields) != 0 || serve_str(c, "name", 1, &name) != 0 ||
	    serve_str(c, "email", 1, &email) != 0 ||
	    serve_str(c, "phone", 0, &phone) != 0)
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

/* The seat map: streamed by stream.c (a 100,000-seat show is 16 MB of
 * JSON), under the server's memory budget. */
static void
api_seats(struct serve_call *c)
{
	const char *q;
	struct sl_seats *s;
	struct sl_err e;
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
	serve_seats_reply(c, s, only_free);
	sl_seats_free(s);
}

static void
api_book(struct serve_call *c)
{
	static const char *const fields[] = { "user_id", "show_id", "seats",
	    NULL };
	char (*labels)[SL_LABEL_MAX + 1] = NULL;
	char key[SERVE_KEY_BUF];
	const char **lp = NULL, *kp;
	struct sl_booking *b = NULL;
	struct sl_err e;
	json_t *seats, *v, *out;
	int64_t user, show;
	size_t n, nb, i;
	int cancelled = 0;

	if (serve_fields(c, fields) != 0 || serve_id(c, "user_id", &user) != 0 ||
	    serve_id(c, "show_id", &show) != 0)
		return;
	seats = json_object_get(c->body, "seats");
	if (!json_is_array(seats) || json_array_size(seats) == 0 ||
	    json_array_size(seats) > 100) {
		serve_error(c, 400, "invalid", "\"seats\" must be an array of "
		    "1 to 100 seat labels");
		return;
	}
	if (serve_key(c, key, sizeof key, &kp) != 0)
		return;
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
	if (sl_book_seats(c->db, show, lp, n, user, kp,
	    &b, &nb, &e) != SL_OK) {
		serve_book_fail(c, &e, 0);
		goto out;
	}
	/* A key replayed after its booking was cancelled: say so, never
	 * answer a cancelled booking as made (issue 17, finding 19). */
	if (kp != NULL && sl_book_any_cancelled(c->db, b, nb, &cancelled,
	    &e) != SL_OK) {
		serve_fail(c, &e);
		goto out;
	}
	if (cancelled) {
		serve_error(c, 409, "booking_cancelled", "the booking made "
		    "with this Idempotency-Key was cancelled; use a new key to "
		    "book again");
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
	{ "GET", "/shows/{id}/seats", SERVE_DB | SERVE_LARGE, "available",
	    api_seats },
	{ "GET", "/shows/{id}/events", SERVE_STREAM, NULL, serve_events },
	{ "POST", "/bookings", SERVE_DB | SERVE_BODY, NULL, api_book },
	{ "DELETE", "/bookings/{id}", SERVE_DB, NULL, api_cancel },
	/* The door (checkins.c): the one route of a door's token. */
	{ "POST", "/checkins", SERVE_DB | SERVE_BODY | SERVE_DOOR, NULL,
	    serve_checkin },
	/* The sale (sales.c): by labels, best available or a hold. */
	{ "POST", "/sales", SERVE_DB | SERVE_BODY, NULL, serve_sale_new },
	{ "GET", "/sales/{id}", SERVE_DB, NULL, serve_sale_get },
	{ "DELETE", "/sales/{id}", SERVE_DB, "refund auth", serve_sale_cancel },
	{ "POST", "/sales/{id}/payments", SERVE_DB | SERVE_BODY, NULL,
	    serve_sale_pay },
	{ "GET", "/sales/{ref}/tickets.pdf", SERVE_DB, NULL, serve_tickets_pdf },
	{ "POST", "/holds", SERVE_DB | SERVE_BODY, NULL, serve_hold_new },
	{ "DELETE", "/holds/{id}", SERVE_DB, NULL, serve_hold_release },
};
const size_t serve_nroutes = sizeof serve_routes / sizeof serve_routes[0];
