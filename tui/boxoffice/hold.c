/*
 * hold.c - the clerk's selection kept as one hold of this terminal:
 * selecting a seat holds it (sl_hold_seats, then sl_hold_change), so every
 * other terminal sees it held with this terminal's name; unselecting lets
 * it go; the hold ends with the sale (sl_sell_hold), a clear, leaving the
 * map, quitting, or its expiry.  No transaction stays open meanwhile.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sl_log.h"
#include "boxoffice/tui.h"

/* Sets seat i's state here at once; the notification confirms it. */
void
tui_hold_set_state(struct tui *t, size_t i, enum sl_seat_state st, int mine)
{
	const struct sl_seatmap_seat *s = sl_seatmap_seat(t->map, i);
	int64_t id = s->id;
	uint8_t u = (uint8_t)st;

	if (mine)
		sl_seatmap_set_held_mine(t->map, id, 1);
	sl_seatmap_apply(t->map, &id, &u, 1, NULL, 0, NULL);
	if (!mine)
		sl_seatmap_set_held_mine(t->map, id, 0);
}

void
tui_hold_started(struct tui *t)
{
	t->hold_until = sl_db_now() + sl_db_hold_seconds(t->db) * 1000;
}

/* Forgets the hold here: the selection goes, its seats look free until
 * the map says otherwise. */
static void
hold_forget(struct tui *t)
{
	size_t idx[SL_SEATMAP_MAX_SELECTION], n, i;

	if (t->map != NULL) {
		n = sl_seatmap_selected(t->map, idx, SL_SEATMAP_MAX_SELECTION);
		sl_seatmap_clear(t->map);
		for (i = 0; i < n && i < SL_SEATMAP_MAX_SELECTION; i++)
			if (sl_seatmap_seat(t->map, idx[i])->held_mine)
				tui_hold_set_state(t, idx[i], SL_SEAT_AVAILABLE,
				    0);
	}
	t->hold_id = 0;
	t->hold_until = 0;
	t->best_n = 0;	/* best available's seats went with it */
	t->dirty = 1;
}

void
tui_hold_release(struct tui *t, const char *why)
{
	struct sl_err e;
	enum sl_rc rc;

	if (t->hold_id == 0) {
		if (t->map != NULL)
			sl_seatmap_clear(t->map);
		t->best_n = 0;
		return;
	}
	sl_err_clear(&e);
	rc = sl_hold_release(t->db, t->hold_id, NULL, NULL, NULL, &e);
	if (rc != SL_OK && tui_db_retry(t, rc))
		rc = sl_hold_release(t->db, t->hold_id, NULL, NULL, NULL, &e);
	sl_log(t->cfg->log, "release hold %" PRId64 " (%s): %s %s", t->hold_id,
	    why != NULL ? why : "", sl_rc_name(rc), rc == SL_OK ? "" : e.msg);
	hold_forget(t);
}

int
tui_holds_refresh(struct tui *t)
{
	struct sl_hold *v;
	struct sl_err e;
	size_t n;

	if (t->show == NULL)
		return -1;
	if (sl_hold_list(t->db, t->show->id, &v, &n, &e) != SL_OK) {
		sl_log(t->cfg->log, "reading the holds failed: %s", e.msg);
		return -1;
	}
	sl_hold_list_free(t->holds, t->nholds);
	t->holds = v;
	t->nholds = n;
	return 0;
}
