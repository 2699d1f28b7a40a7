/*
 * checkins.c - POST /checkins: a ticket checked in at a door, through the
 * same sl_checkin as `seatlock checkin` and the door mode.
 *
 * The answer is 200 whatever the door learns (admitted, already, refused:
 * the result says which), so a door client shows it and goes on; a body
 * that is not a ticket code at all is a 400.  A door's token (its role a
 * member of seatlock_door) may call this and nothing else (http.c).
 */
#include <string.h>

#include "serve/serve.h"
#include "sl_ticket.h"

/* "" as JSON null. */
static json_t *
serve_text_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

/* The answer's document. */
static json_t *
serve_checkin_doc(const struct sl_checkin *ck)
{
	static const char *const results[] = {
		[SL_CHECKIN_ADMITTED] = "admitted",
		[SL_CHECKIN_ALREADY] = "already",
		[SL_CHECKIN_REFUSED] = "refused",
	};
	json_t *doc;

	doc = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I}",
	    "result", results[ck->result],
	    "reason", serve_text_or_null(ck->reason),
	    "show", ck->show > 0 ? json_integer(ck->show) : json_null(),
	    "title", serve_text_or_null(ck->title),
	    "starts_at", serve_text_or_null(ck->starts_at),
	    "label", serve_text_or_null(ck->label),
	    "first_at", serve_text_or_null(ck->first_at),
	    "first_door", serve_text_or_null(ck->first_door),
	    "admitted", (json_int_t)ck->admitted,
	    "sold", (json_int_t)ck->sold);
	return doc;
}

void
serve_checkin(struct serve_call *c)
{
	static const char *const fields[] = { "code", "show_id", "door", NULL };
	unsigned char raw[SL_TICKET_RAW];
	const char *code, *door;
	struct sl_checkin ck;
	struct sl_err e;
	int64_t show = 0;

	if (serve_fields(c, fields) != 0 || serve_str(c, "code", 1, &code) != 0 ||
	    serve_str(c, "door", 0, &door) != 0)
		return;
	if (json_object_get(c->body, "show_id") != NULL &&
	    serve_id(c, "show_id", &show) != 0)
		return;
	sl_err_clear(&e);
	/* Not a code at all (wrong characters, length, check symbol): the
	 * core's words say which. */
	if (sl_ticket_code_parse(code, raw, &e) != SL_OK) {
		serve_set_error(c, 400, "invalid_code", e.msg);
		return;
	}
	/* The door: as given, else the token's (its role), else "web". */
	if (door == NULL)
		door = c->role != NULL ? c->role : "web";
	if (sl_checkin_at(c->db, raw, show, door, NULL, &ck, &e) != SL_OK) {
		serve_fail(c, &e);
		return;
	}
	c->status = 200;
	c->json = serve_checkin_doc(&ck);
}
