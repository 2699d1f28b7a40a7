/*
 * sl_seatmap.c - the seat map model: lines, cursor, selection, states.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sl_seatmap.h"

/* A seat's id and its index in map order: the id index is sorted by id. */
struct sl_seatmap_key {
	int64_t	id;
	size_t	seat;
};

struct sl_seatmap {
	int64_t			 show;
	int64_t			 seq;
	size_t			 n;
	struct sl_seatmap_seat	*seat;		/* map order: y, x */
	struct sl_seatmap_key	*byid;		/* (id, seat index) by id */
	size_t			*lineof;	/* seat index -> line */
	size_t			 nlines;
	struct sl_seatmap_line	*line;
	size_t			 nsections;
	char			**section;
	size_t			 cursor;
	size_t			 nselected;
	size_t			 nstate[SL_SEAT_BLOCKED + 1]; /* seats by state */
	int32_t			 minx, maxx, miny, maxy;
};

static int
sl_seatmap_cmp_pos(const void *a, const void *b)
{
	const struct sl_seatmap_seat *x = a, *y = b;

	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return 0;
}

/* Each key carries its id, so the comparison needs no context. */
static int
sl_seatmap_cmp_id(const void *a, const void *b)
{
	int64_t x = ((const struct sl_seatmap_key *)a)->id;
	int64_t y = ((const struct sl_seatmap_key *)b)->id;

	return x < y ? -1 : x > y;
}

/* The row part of a label: the label without its trailing digits. */
static void
sl_seatmap_row_part(const char *label, char *out)
{
	size_t n = strlen(label);

	while (n > 0 && isdigit((unsigned char)label[n - 1]))
		n--;
	if (n == 0)
		n = strlen(label);
	memcpy(out, label, n);
	out[n] = '\0';
}

/* Fills the line's label and section with what most of its seats have. */
static void
sl_seatmap_line_majority(struct sl_seatmap *m, struct sl_seatmap_line *l)
{
	enum { MAXD = 16 };
	char rows[MAXD][SL_LABEL_MAX + 1];
	size_t rowcount[MAXD], secs[MAXD], seccount[MAXD];
	size_t nrows = 0, nsecs = 0, i, j, best;

	rows[0][0] = '\0';
	rowcount[0] = 0;
	secs[0] = 0;
	seccount[0] = 0;
	for (i = l->first; i < l->first + l->n; i++) {
		char row[SL_LABEL_MAX + 1];

		sl_seatmap_row_part(m->seat[i].label, row);
		for (j = 0; j < nrows && strcmp(rows[j], row) != 0; j++)
			;
		if (j == nrows && nrows < MAXD) {
			memcpy(rows[nrows], row, sizeof row);
			rowcount[nrows++] = 0;
		}
		if (j < nrows)
			rowcount[j]++;
		for (j = 0; j < nsecs && secs[j] != m->seat[i].section; j++)
			;
		if (j == nsecs && nsecs < MAXD) {
			secs[nsecs] = m->seat[i].section;
			seccount[nsecs++] = 0;
		}
		if (j < nsecs)
			seccount[j]++;
	}
	for (best = 0, j = 1; j < nrows; j++)
		if (rowcount[j] > rowcount[best])
			best = j;
	memcpy(l->label, rows[best], sizeof l->label);
	for (best = 0, j = 1; j < nsecs; j++)
		if (seccount[j] > seccount[best])
			best = j;
	l->section = (uint16_t)secs[best];
}

/* The first available seat nearest the middle of the frontmost line that
 * has one; seat 0 if none is available. */
static size_t
sl_seatmap_start(const struct sl_seatmap *m)
{
	size_t li, i, best;
	int64_t mid, d, bestd;

	for (li = 0; li < m->nlines; li++) {
		const struct sl_seatmap_line *l = &m->line[li];

		mid = ((int64_t)m->seat[l->first].x +
		    m->seat[l->first + l->n - 1].x) / 2;
		best = SIZE_MAX;
		bestd = INT64_MAX;
		for (i = l->first; i < l->first + l->n; i++) {
			if (m->seat[i].state != SL_SEAT_AVAILABLE)
				continue;
			d = llabs(m->seat[i].x - mid);
			if (d < bestd) {
				bestd = d;
				best = i;
			}
		}
		if (best != SIZE_MAX)
			return best;
	}
	return 0;
}

enum sl_rc
sl_seatmap_new(const struct sl_seats *s, struct sl_seatmap **out,
    struct sl_err *e)
{
	struct sl_seatmap *m;
	size_t i, li;

	if (s == NULL || s->n == 0)
		return sl_err_set(e, SL_EINVAL, "the show has no seats");
	m = calloc(1, sizeof *m);
	if (m == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	m->show = s->show;
	m->seq = s->change_seq;
	m->n = s->n;
	m->seat = calloc(s->n, sizeof *m->seat);
	m->byid = calloc(s->n, sizeof *m->byid);
	m->lineof = calloc(s->n, sizeof *m->lineof);
	m->line = calloc(s->n, sizeof *m->line);
	m->section = calloc(s->nsections + 1, sizeof *m->section);
	if (m->seat == NULL || m->byid == NULL || m->lineof == NULL ||
	    m->line == NULL || m->section == NULL)
		goto nomem;
	for (i = 0; i < s->nsections; i++) {
		m->section[i] = strdup(s->section[i]);
		if (m->section[i] == NULL)
			goto nomem;
		m->nsections++;
	}
	for (i = 0; i < s->n; i++) {
		const struct sl_seat *src = &s->seat[i];
		struct sl_seatmap_seat *d = &m->seat[i];

		d->id = src->id;
		memcpy(d->label, src->label, sizeof d->label);
		memcpy(d->row, src->row, sizeof d->row);
		d->number = src->number;
		d->x = src->x;
		d->y = src->y;
		d->section = src->section < s->nsections ? src->section : 0;
		d->state = src->state <= SL_SEAT_BLOCKED ? src->state :
		    SL_SEAT_BLOCKED;
		m->nstate[d->state]++;
		d->zone = src->zone;
		d->accessible = src->accessible;
		d->companion = src->companion;
		d->restricted = src->restricted;
	}
	/* sl_show_seats gives them in map order already: sorting is for
	 * seats from elsewhere. */
	for (i = 1; i < m->n; i++)
		if (sl_seatmap_cmp_pos(&m->seat[i - 1], &m->seat[i]) > 0)
			break;
	if (i < m->n)
		qsort(m->seat, m->n, sizeof *m->seat, sl_seatmap_cmp_pos);
	for (i = 0; i < m->n; i++) {
		m->byid[i].id = m->seat[i].id;
		m->byid[i].seat = i;
	}
	qsort(m->byid, m->n, sizeof *m->byid, sl_seatmap_cmp_id);

	m->minx = m->maxx = m->seat[0].x;
	m->miny = m->seat[0].y;
	m->maxy = m->seat[m->n - 1].y;
	for (i = 0; i < m->n; i++) {
		struct sl_seatmap_seat *st = &m->seat[i];

		if (st->x < m->minx)
			m->minx = st->x;
		if (st->x > m->maxx)
			m->maxx = st->x;
		if (i == 0 || st->y != m->seat[i - 1].y) {
			m->line[m->nlines].y = st->y;
			m->line[m->nlines].first = i;
			m->nlines++;
		}
		m->line[m->nlines - 1].n++;
		m->lineof[i] = m->nlines - 1;
	}
	for (li = 0; li < m->nlines; li++) {
		sl_seatmap_line_majority(m, &m->line[li]);
		m->line[li].section_start = li == 0 ||
		    m->line[li - 1].section != m->line[li].section;
	}
	m->cursor = sl_seatmap_start(m);
	*out = m;
	return SL_OK;
nomem:
	sl_seatmap_free(m);
	return sl_err_set(e, SL_ENOMEM, "out of memory");
}

void
sl_seatmap_free(struct sl_seatmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nsections; i++)
		free(m->section[i]);
	free(m->section);
	free(m->seat);
	free(m->byid);
	free(m->lineof);
	free(m->line);
	free(m);
}

size_t
sl_seatmap_nseats(const struct sl_seatmap *m)
{
	return m->n;
}

const struct sl_seatmap_seat *
sl_seatmap_seat(const struct sl_seatmap *m, size_t i)
{
	return i < m->n ? &m->seat[i] : NULL;
}

size_t
sl_seatmap_nlines(const struct sl_seatmap *m)
{
	return m->nlines;
}

const struct sl_seatmap_line *
sl_seatmap_line(const struct sl_seatmap *m, size_t i)
{
	return i < m->nlines ? &m->line[i] : NULL;
}

size_t
sl_seatmap_line_of(const struct sl_seatmap *m, size_t i)
{
	return i < m->n ? m->lineof[i] : 0;
}

size_t
sl_seatmap_nsections(const struct sl_seatmap *m)
{
	return m->nsections;
}

const char *
sl_seatmap_section(const struct sl_seatmap *m, size_t i)
{
	return i < m->nsections ? m->section[i] : "";
}

void
sl_seatmap_bounds(const struct sl_seatmap *m, int32_t *minx, int32_t *maxx,
    int32_t *miny, int32_t *maxy)
{
	*minx = m->minx;
	*maxx = m->maxx;
	*miny = m->miny;
	*maxy = m->maxy;
}

int64_t
sl_seatmap_show(const struct sl_seatmap *m)
{
	return m->show;
}

int64_t
sl_seatmap_seq(const struct sl_seatmap *m)
{
	return m->seq;
}

enum sl_seatmap_look
sl_seatmap_look(const struct sl_seatmap *m, size_t i)
{
	const struct sl_seatmap_seat *s = &m->seat[i];

	if (s->selected)
		return SL_LOOK_SELECTED;
	switch ((enum sl_seat_state)s->state) {
	case SL_SEAT_AVAILABLE:
		return SL_LOOK_AVAILABLE;
	case SL_SEAT_HELD:
		return s->held_mine ? SL_LOOK_HELD_MINE : SL_LOOK_HELD;
	case SL_SEAT_BOOKED:
		return SL_LOOK_BOOKED;
	case SL_SEAT_BLOCKED:
		return SL_LOOK_BLOCKED;
	}
	return SL_LOOK_BLOCKED;
}

size_t
sl_seatmap_cursor(const struct sl_seatmap *m)
{
	return m->cursor;
}

void
sl_seatmap_set_cursor(struct sl_seatmap *m, size_t i)
{
	if (i < m->n)
		m->cursor = i;
}

/*
 * The best seat in direction d from the cursor.  cone: only seats within
 * the direction's cone.  Returns the index or SIZE_MAX.
 */
static size_t
sl_seatmap_best(const struct sl_seatmap *m, enum sl_seatmap_dir d, int cone)
{
	const struct sl_seatmap_seat *c = &m->seat[m->cursor];
	size_t i, best = SIZE_MAX;
	int64_t bestk1 = 0, bestk2 = 0, bestk3 = 0;

	for (i = 0; i < m->n; i++) {
		int64_t dx = (int64_t)m->seat[i].x - c->x;
		int64_t dy = (int64_t)m->seat[i].y - c->y;
		int64_t along, across, k1, k2, k3;

		switch (d) {
		case SL_DIR_LEFT:
			along = -dx;
			across = llabs(dy);
			break;
		case SL_DIR_RIGHT:
			along = dx;
			across = llabs(dy);
			break;
		case SL_DIR_UP:
			along = -dy;
			across = llabs(dx);
			break;
		case SL_DIR_DOWN:
		default:
			along = dy;
			across = llabs(dx);
			break;
		}
		if (along <= 0)
			continue;
		if (d == SL_DIR_LEFT || d == SL_DIR_RIGHT) {
			/* Narrow: the end of a row does not wrap into the
			 * next row, but does reach a box beside it. */
			if (cone && 2 * across > along)
				continue;
			k1 = along + 2 * across;
			k2 = across;
		} else {
			/* Rows are often shifted against each other: allow
			 * two columns of drift per line. */
			if (cone) {
				if (across > 2 * along)
					continue;
				k1 = along;
				k2 = across;
			} else {
				k1 = 2 * along + across;
				k2 = across;
			}
		}
		k3 = m->seat[i].x;
		if (best == SIZE_MAX || k1 < bestk1 ||
		    (k1 == bestk1 && (k2 < bestk2 ||
		    (k2 == bestk2 && k3 < bestk3)))) {
			best = i;
			bestk1 = k1;
			bestk2 = k2;
			bestk3 = k3;
		}
	}
	return best;
}

int
sl_seatmap_move(struct sl_seatmap *m, enum sl_seatmap_dir d)
{
	const struct sl_seatmap_line *l = &m->line[m->lineof[m->cursor]];
	size_t to;

	/* Along the line first: its seats are in x order. */
	if (d == SL_DIR_LEFT && m->cursor > l->first) {
		m->cursor--;
		return 1;
	}
	if (d == SL_DIR_RIGHT && m->cursor + 1 < l->first + l->n) {
		m->cursor++;
		return 1;
	}
	to = sl_seatmap_best(m, d, 1);
	if (to == SIZE_MAX && (d == SL_DIR_UP || d == SL_DIR_DOWN))
		to = sl_seatmap_best(m, d, 0);
	if (to == SIZE_MAX)
		return 0;
	m->cursor = to;
	return 1;
}

int
sl_seatmap_page(struct sl_seatmap *m, int lines)
{
	size_t li = m->lineof[m->cursor], target, i, best;
	int32_t x = m->seat[m->cursor].x;
	int64_t bestd;

	if (lines < 0)
		target = (size_t)-lines > li ? 0 : li - (size_t)-lines;
	else
		target = li + (size_t)lines >= m->nlines ? m->nlines - 1 :
		    li + (size_t)lines;
	if (target == li)
		return 0;
	best = m->line[target].first;
	bestd = INT64_MAX;
	for (i = m->line[target].first;
	    i < m->line[target].first + m->line[target].n; i++) {
		int64_t dd = llabs((int64_t)m->seat[i].x - x);

		if (dd < bestd) {
			bestd = dd;
			best = i;
		}
	}
	m->cursor = best;
	return 1;
}

int
sl_seatmap_home_end(struct sl_seatmap *m, int end)
{
	const struct sl_seatmap_line *l = &m->line[m->lineof[m->cursor]];
	size_t to = end ? l->first + l->n - 1 : l->first;

	if (to == m->cursor)
		return 0;
	m->cursor = to;
	return 1;
}

long
sl_seatmap_find(const struct sl_seatmap *m, const char *label)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcasecmp(m->seat[i].label, label) == 0)
			return (long)i;
	return -1;
}

long
sl_seatmap_jump(struct sl_seatmap *m, const char *text)
{
	size_t i, len = strlen(text);
	long at;

	if (len == 0)
		return -1;
	at = sl_seatmap_find(m, text);
	for (i = 0; at < 0 && i < m->n; i++)
		if (strncasecmp(m->seat[i].label, text, len) == 0)
			at = (long)i;
	if (at >= 0)
		m->cursor = (size_t)at;
	return at;
}

long
sl_seatmap_at(const struct sl_seatmap *m, int32_t x, int32_t y)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sl_seatmap_seat *s = &m->seat[mid];

		if (s->y < y || (s->y == y && s->x < x))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n && m->seat[lo].x == x && m->seat[lo].y == y)
		return (long)lo;
	return -1;
}

enum sl_seatmap_toggle
sl_seatmap_toggle(struct sl_seatmap *m, size_t i)
{
	struct sl_seatmap_seat *s;
	enum sl_seatmap_look look;

	if (i >= m->n)
		return SL_TOGGLE_UNAVAILABLE;
	s = &m->seat[i];
	if (s->selected) {
		s->selected = 0;
		m->nselected--;
		return SL_TOGGLE_REMOVED;
	}
	look = sl_seatmap_look(m, i);
	if (look != SL_LOOK_AVAILABLE && look != SL_LOOK_HELD_MINE)
		return SL_TOGGLE_UNAVAILABLE;
	if (m->nselected >= SL_SEATMAP_MAX_SELECTION)
		return SL_TOGGLE_FULL;
	s->selected = 1;
	m->nselected++;
	return SL_TOGGLE_ADDED;
}

void
sl_seatmap_clear(struct sl_seatmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		m->seat[i].selected = 0;
	m->nselected = 0;
}

size_t
sl_seatmap_nselected(const struct sl_seatmap *m)
{
	return m->nselected;
}

size_t
sl_seatmap_selected(const struct sl_seatmap *m, size_t *idx, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < m->n && k < m->nselected; i++) {
		if (!m->seat[i].selected)
			continue;
		if (k < max)
			idx[k] = i;
		k++;
	}
	return k;
}

/* The index of seat id, or SIZE_MAX. */
static size_t
sl_seatmap_by_id(const struct sl_seatmap *m, int64_t id)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->byid[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n && m->byid[lo].id == id)
		return m->byid[lo].seat;
	return SIZE_MAX;
}

void
sl_seatmap_set_held_mine(struct sl_seatmap *m, int64_t id, int mine)
{
	size_t i = sl_seatmap_by_id(m, id);

	if (i != SIZE_MAX)
		m->seat[i].held_mine = mine != 0;
}

/* Seat i of the map in state (unknown states are blocked); a selected
 * seat another terminal took is unselected and noted in lost[*nl]. */
static void
sl_seatmap_set(struct sl_seatmap *m, size_t i, uint8_t state, size_t *lost,
    size_t maxlost, size_t *nl)
{
	struct sl_seatmap_seat *s = &m->seat[i];

	m->nstate[s->state]--;
	s->state = state <= SL_SEAT_BLOCKED ? state : SL_SEAT_BLOCKED;
	m->nstate[s->state]++;
	if (s->state != SL_SEAT_HELD)
		s->held_mine = 0;
	if (s->selected && s->state != SL_SEAT_AVAILABLE &&
	    !(s->state == SL_SEAT_HELD && s->held_mine)) {
		s->selected = 0;
		m->nselected--;
		if (*nl < maxlost)
			lost[*nl] = i;
		(*nl)++;
	}
}

size_t
sl_seatmap_apply(struct sl_seatmap *m, const int64_t *ids,
    const uint8_t *states, size_t n, size_t *lost, size_t maxlost,
    size_t *nlost)
{
	size_t k, i, unknown = 0, nl = 0;

	for (k = 0; k < n; k++) {
		i = sl_seatmap_by_id(m, ids[k]);
		if (i == SIZE_MAX)
			unknown++;
		else
			sl_seatmap_set(m, i, states[k], lost, maxlost, &nl);
	}
	if (nlost != NULL)
		*nlost = nl;
	return unknown;
}

int
sl_seatmap_reload_states(struct sl_seatmap *m, const struct sl_states *st,
    int64_t seq, size_t *lost, size_t maxlost, size_t *nlost)
{
	size_t k, i, unknown = 0, nl = 0;

	if (nlost != NULL)
		*nlost = 0;
	if (st->n != m->n)
		return -1;
	/* One look-up a seat (a reload after a relay's restart is 1,000
	 * shows' worth at once): its state, and its zone, since a supervisor
	 * may have moved seats between price zones. */
	for (k = 0; k < st->n; k++) {
		i = sl_seatmap_by_id(m, st->id[k]);
		if (i == SIZE_MAX) {
			unknown++;
			continue;
		}
		sl_seatmap_set(m, i, st->state[k], lost, maxlost, &nl);
		m->seat[i].zone = st->zone[k];
	}
	if (nlost != NULL)
		*nlost = nl;
	if (unknown != 0)
		return -1;
	m->seq = seq;
	return 0;
}

int
sl_seatmap_reload(struct sl_seatmap *m, const struct sl_seats *s,
    size_t *lost, size_t maxlost, size_t *nlost)
{
	struct sl_states st;
	size_t i;
	int r = -1;

	if (nlost != NULL)
		*nlost = 0;
	if (s->n != m->n || s->show != m->show)
		return -1;
	st.n = s->n;
	st.id = malloc(s->n * sizeof *st.id);
	st.state = malloc(s->n);
	st.zone = malloc(s->n * sizeof *st.zone);
	if (st.id != NULL && st.state != NULL && st.zone != NULL) {
		for (i = 0; i < s->n; i++) {
			st.id[i] = s->seat[i].id;
			st.state[i] = s->seat[i].state;
			st.zone[i] = s->seat[i].zone;
		}
		r = sl_seatmap_reload_states(m, &st, s->change_seq, lost,
		    maxlost, nlost);
	}
	sl_states_free(&st);
	return r;
}

void
sl_seatmap_counts(const struct sl_seatmap *m, struct sl_seatmap_counts *c)
{
	/* Kept as states change: the map header asks on every draw, and a
	 * stadium has 100,000 seats. */
	memset(c, 0, sizeof *c);
	c->total = m->n;
	c->selected = m->nselected;
	c->available = m->nstate[SL_SEAT_AVAILABLE];
	c->held = m->nstate[SL_SEAT_HELD];
	c->booked = m->nstate[SL_SEAT_BOOKED];
	c->blocked = m->nstate[SL_SEAT_BLOCKED];
}
