/*
 * seats.c - the states of the seats the notifications of one read name,
 * read by the relay once for every box office of the host: the pending
 * notifications, one statement for all their shows (the sorted union of
 * their (show, seat) pairs, SL_RELAY_STATES_MAX at a time), and each
 * notification's "seats" line picked from that read.  The payload only says which seats
 * to read; their states come from the tables.
 */
#include <stdlib.h>
#include <string.h>

#include "sl_notify.h"
#include "sl_relay.h"
#include "relay/relay.h"

#define SEATS_NONE	0xff	/* not a seat of the show: not in the line */

static int
seats_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* ids[n] sorted, duplicates dropped: the count left. */
static size_t
seats_sort(int64_t *ids, size_t n)
{
	size_t i, k = 0;

	qsort(ids, n, sizeof *ids, seats_cmp);
	for (i = 0; i < n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	return k;
}

/* Room for n more ids (and their states) in the pool.  0, or -1. */
static int
seats_room(struct relay_seats *q, size_t n)
{
	size_t cap = q->capids;
	int64_t *ids;
	uint8_t *st;

	if (q->nids + n <= q->capids)
		return 0;
	while (cap < q->nids + n)
		cap = cap * 2 + 1024;
	ids = realloc(q->ids, cap * sizeof *ids);
	if (ids == NULL)
		return -1;
	q->ids = ids;
	st = realloc(q->st, cap);
	if (st == NULL)
		return -1;
	q->st = st;
	q->capids = cap;
	return 0;
}

/* The seats payload names, when it is a change of show with seats. */
static void
seats_parse(struct relay_seats *q, struct relay_note *nt)
{
	int64_t buf[SL_NOTIFY_MAX_SEATS];
	struct sl_notify_event ev;

	if (nt->payload == NULL || sl_notify_parse(nt->payload, &ev, buf,
	    SL_NOTIFY_MAX_SEATS) != 0 || ev.reload || ev.show != nt->show ||
	    ev.nseats == 0 || seats_room(q, ev.nseats) != 0)
		return;
	nt->first = q->nids;
	nt->n = seats_sort(memcpy(q->ids + q->nids, ev.seats,
	    ev.nseats * sizeof *ev.seats), ev.nseats);
	memset(q->st + q->nids, SEATS_NONE, nt->n);
	q->nids += nt->n;
}

int
seats_add(struct relay_seats *q, int64_t show, const char *payload)
{
	struct relay_note *nt;
	size_t cap;

	if (q->nnote == q->capnote) {
		cap = q->capnote * 2 + 16;
		nt = realloc(q->note, cap * sizeof *nt);
		if (nt == NULL)
			return -1;
		q->note = nt;
		q->capnote = cap;
	}
	nt = &q->note[q->nnote++];
	memset(nt, 0, sizeof *nt);
	nt->show = show;
	/* No copy (no memory): "show SHOW reload", safe. */
	nt->payload = payload != NULL ? strdup(payload) : NULL;
	seats_parse(q, nt);
	return 0;
}

static int
seats_pair_cmp(const void *a, const void *b)
{
	const struct sl_relay_seat *x = a, *y = b;

	if (x->show != y->show)
		return x->show < y->show ? -1 : 1;
	return x->seat < y->seat ? -1 : x->seat > y->seat;
}

/* The union of the unread notes' (show, seat) pairs, sorted, in q->pairs,
 * with room for as many read back after them; q->u and q->ust room for the
 * longest note's line.  The count, or 0 (none, or no memory). */
static size_t
seats_union(struct relay_seats *q)
{
	size_t n = 0, most = 0, k, j;
	struct sl_relay_seat *p;
	int64_t *u;
	uint8_t *st;

	for (k = 0; k < q->nnote; k++)
		if (!q->note[k].read) {
			n += q->note[k].n;
			most = q->note[k].n > most ? q->note[k].n : most;
		}
	if (2 * n > q->cappairs) {
		p = realloc(q->pairs, 2 * n * sizeof *p);
		if (p == NULL)
			return 0;
		q->pairs = p;
		q->cappairs = 2 * n;
	}
	if (most > q->capu) {
		u = realloc(q->u, most * sizeof *u);
		if (u == NULL)
			return 0;
		q->u = u;
		st = realloc(q->ust, most);
		if (st == NULL)
			return 0;
		q->ust = st;
		q->capu = most;
	}
	for (k = 0, n = 0; k < q->nnote; k++)
		for (j = 0; !q->note[k].read && j < q->note[k].n; j++) {
			q->pairs[n].show = q->note[k].show;
			q->pairs[n++].seat = q->ids[q->note[k].first + j];
		}
	qsort(q->pairs, n, sizeof *q->pairs, seats_pair_cmp);
	for (k = 0, j = 0; k < n; k++)
		if (j == 0 || seats_pair_cmp(&q->pairs[j - 1], &q->pairs[k]))
			q->pairs[j++] = q->pairs[k];
	return j;
}

/* The states read (got: m seats, sorted) into the unread notes. */
static void
seats_fill(struct relay_seats *q, const struct sl_relay_seat *got, size_t m)
{
	const struct sl_relay_seat *hit;
	struct sl_relay_seat key;
	size_t k, j;

	for (k = 0; k < q->nnote; k++) {
		struct relay_note *nt = &q->note[k];

		for (j = 0; !nt->read && j < nt->n; j++) {
			key.show = nt->show;
			key.seat = q->ids[nt->first + j];
			hit = bsearch(&key, got, m, sizeof *got,
			    seats_pair_cmp);
			if (hit != NULL)
				q->st[nt->first + j] = hit->state;
		}
	}
}

int
seats_wanted(const struct relay_seats *q)
{
	size_t i;

	for (i = 0; i < q->nnote; i++)
		if (q->note[i].n > 0 && !q->note[i].read)
			return 1;
	return 0;
}

/* Every unread note's seats, of all its shows at once, SL_RELAY_STATES_MAX
 * a statement (a read of 30 shows' notifications is one statement, not
 * 30 round trips while the notifications wait). */
enum sl_rc
seats_read(struct relay_seats *q, struct sl_relay_db *db, long *reads,
    struct sl_err *e)
{
	size_t n, at, chunk, m, k;
	struct sl_relay_seat *got;
	enum sl_rc rc;

	if (!seats_wanted(q))
		return SL_OK;	/* nothing (more) to read */
	n = seats_union(q);
	if (n == 0)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	got = q->pairs + n;
	for (at = 0; at < n; at += chunk) {
		chunk = n - at > SL_RELAY_STATES_MAX ? SL_RELAY_STATES_MAX :
		    n - at;
		(*reads)++;
		rc = sl_relay_db_states(db, q->pairs + at, chunk, got, &m, e);
		if (rc != SL_OK)
			return rc;
		seats_fill(q, got, m);
	}
	/* Every chunk read: the lines may be sent. */
	for (k = 0; k < q->nnote; k++)
		if (!q->note[k].read && q->note[k].n > 0) {
			q->note[k].read = 1;
			q->note[k].ok = 1;
		}
	return SL_OK;
}

size_t
seats_line(struct relay_seats *q, size_t i, char *buf, size_t bufsz)
{
	const struct relay_note *nt = &q->note[i];
	size_t j, m = 0;

	if (nt->n == 0 || !nt->ok || q->capu < nt->n)
		return 0;
	/* The seats of the show it names, in q->u and q->ust. */
	for (j = 0; j < nt->n; j++)
		if (q->st[nt->first + j] != SEATS_NONE) {
			q->u[m] = q->ids[nt->first + j];
			q->ust[m++] = q->st[nt->first + j];
		}
	if (m == 0)
		return 0;
	return sl_relay_format_seats(buf, bufsz, nt->show, q->u, q->ust, m);
}

void
seats_clear(struct relay_seats *q)
{
	size_t i;

	for (i = 0; i < q->nnote; i++)
		free(q->note[i].payload);
	q->nnote = 0;
	q->nids = 0;
}

void
seats_free(struct relay_seats *q)
{
	seats_clear(q);
	free(q->note);
	free(q->ids);
	free(q->st);
	free(q->u);
	free(q->ust);
	free(q->pairs);
	memset(q, 0, sizeof *q);
}
