/*
 * sl_layout.c - parses and checks venue layout files.
 *
 * Everything is checked before anything is returned, so an import either
 * writes a whole, valid venue or nothing.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "sl_config.h"
#include "sl_layout.h"

struct sl_lp {
	const char		*text;
	const char		*file;
	struct sl_layout	*l;
	size_t			 cap;
	int			*line;	/* source line of each seat's row */
	struct sl_err		*e;
};

static enum sl_rc sl_lp_err(struct sl_lp *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets "file:line: message" in p->e and returns SL_EINVAL. */
static enum sl_rc
sl_lp_err(struct sl_lp *p, int line, const char *fmt, ...)
{
	char msg[SL_ERR_MSG];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return sl_err_set(p->e, SL_EINVAL, "%s:%d: %.400s", p->file, line,
	    msg);
}

/* Refuses members of group g not named in allowed (NULL-terminated). */
static enum sl_rc
sl_lp_keys(struct sl_lp *p, config_setting_t *g, const char *what,
    const char *const *allowed)
{
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		const char *const *a;

		for (a = allowed; *a != NULL; a++)
			if (name != NULL && strcmp(name, *a) == 0)
				break;
		if (*a == NULL)
			return sl_lp_err(p, config_setting_source_line(s),
			    "unknown key \"%s\" in %s", name ? name : "?",
			    what);
	}
	return SL_OK;
}

static enum sl_rc
sl_lp_string(struct sl_lp *p, config_setting_t *g, const char *key,
    int required, const char **out)
{
	config_setting_t *s = config_setting_get_member(g, key);

	*out = NULL;
	if (s == NULL) {
		if (required)
			return sl_lp_err(p, config_setting_source_line(g),
			    "\"%s\" is required here%s", key, "");
		*out = NULL;
		return SL_OK;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return sl_lp_err(p, config_setting_source_line(s),
		    "\"%s\" must be a string%s", key, "");
	*out = config_setting_get_string(s);
	return SL_OK;
}

static enum sl_rc
sl_lp_int(struct sl_lp *p, config_setting_t *g, const char *key,
    int64_t min, int64_t max, int64_t *out)
{
	config_setting_t *s = config_setting_get_member(g, key);
	int64_t v;
	int line;

	if (s == NULL)
		return SL_OK;	/* *out keeps its default */
	line = config_setting_source_line(s);
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64)
		return sl_lp_err(p, line, "\"%s\" must be an integer%s", key, "");
	v = config_setting_type(s) == CONFIG_TYPE_INT ?
	    config_setting_get_int(s) : config_setting_get_int64(s);
	if (sl_config_int_verify(p->text, line, key, v) != 0 || v < min ||
	    v > max) {
		char range[64];

		snprintf(range, sizeof range, "%lld to %lld", (long long)min,
		    (long long)max);
		return sl_lp_err(p, line, "\"%s\" is out of range (%s)", key,
		    range);
	}
	*out = v;
	return SL_OK;
}

/*
 * Reads the optional "zone" of group g into *zone (1 + index into
 * l->zone; 0 leaves *zone as it is, the inherited value).
 */
static enum sl_rc
sl_lp_zone(struct sl_lp *p, config_setting_t *g, uint8_t *zone)
{
	struct sl_layout *l = p->l;
	char code[SL_ZONE_MAX + 1];
	const char *v;
	char **nz;
	enum sl_rc rc;
	size_t i;

	if ((rc = sl_lp_string(p, g, "zone", 0, &v)) != SL_OK || v == NULL)
		return rc;
	if (sl_zone_code_normalize(v, code) != 0)
		return sl_lp_err(p, config_setting_source_line(
		    config_setting_get_member(g, "zone")),
		    "zone \"%s\" is not 1 to 32 letters, digits, _ or -%s", v,
		    "");
	for (i = 0; i < l->nzones; i++)
		if (strcmp(l->zone[i], code) == 0) {
			*zone = (uint8_t)(i + 1);
			return SL_OK;
		}
	if (l->nzones >= SL_LAYOUT_MAX_ZONES)
		return sl_lp_err(p, config_setting_source_line(g),
		    "more than %d zone codes%s", SL_LAYOUT_MAX_ZONES, "");
	nz = realloc(l->zone, (l->nzones + 1) * sizeof *nz);
	if (nz == NULL)
		return sl_err_set(p->e, SL_ENOMEM, "out of memory");
	l->zone = nz;
	if ((l->zone[l->nzones] = strdup(code)) == NULL)
		return sl_err_set(p->e, SL_ENOMEM, "out of memory");
	*zone = (uint8_t)++l->nzones;
	return SL_OK;
}

/* Parses a decimal number 0..SL_LAYOUT_MAX_NUMBER at *sp, advancing it. */
static int
sl_lp_number(const char **sp, int32_t *out)
{
	const char *s = *sp;
	long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s - '0');
		if (v > SL_LAYOUT_MAX_NUMBER)
			return -1;
		s++;
	}
	*sp = s;
	*out = (int32_t)v;
	return 0;
}

static enum sl_rc
sl_lp_add(struct sl_lp *p, int line, const char *prefix, const char *row,
    int32_t number, int32_t x, int32_t y, uint16_t section)
{
	struct sl_layout *l = p->l;
	struct sl_layout_seat *st;
	char label[64], num[16];

	if (l->n >= SL_LAYOUT_MAX_SEATS)
		return sl_lp_err(p, line, "too many seats (the limit is %s)%s",
		    "200000", "");
	if (x > SL_LAYOUT_MAX_COORD || y > SL_LAYOUT_MAX_COORD)
		return sl_lp_err(p, line, "the map is too wide or tall%s%s", "",
		    "");
	if (l->n == p->cap) {
		size_t ncap = p->cap ? p->cap * 2 : 512;
		struct sl_layout_seat *ns;
		int *nl;

		ns = realloc(l->seat, ncap * sizeof *ns);
		if (ns == NULL)
			return sl_err_set(p->e, SL_ENOMEM, "out of memory");
		l->seat = ns;
		nl = realloc(p->line, ncap * sizeof *nl);
		if (nl == NULL)
			return sl_err_set(p->e, SL_ENOMEM, "out of memory");
		p->line = nl;
		p->cap = ncap;
	}
	snprintf(num, sizeof num, "%d", (int)number);
	snprintf(label, sizeof label, "%s%s%s", prefix, row, num);
	st = &l->seat[l->n];
	memset(st, 0, sizeof *st);
	if (sl_label_normalize(label, st->label) != 0)
		return sl_lp_err(p, line,
		    "seat label \"%s\" is not 1 to 32 letters, digits or -%s",
		    label, "");
	snprintf(st->row, sizeof st->row, "%s", row);
	st->number = number;
	st->x = x;
	st->y = y;
	st->section = section;
	p->line[l->n] = line;
	l->n++;
	return SL_OK;
}

/* Marks the seats of row [first, l->n) named in list with flag. */
static enum sl_rc
sl_lp_attr(struct sl_lp *p, config_setting_t *row, const char *key,
    size_t first, int flag)
{
	const char *list, *s;
	enum sl_rc rc;
	int line;

	if ((rc = sl_lp_string(p, row, key, 0, &list)) != SL_OK)
		return rc;
	if (list == NULL)
		return SL_OK;
	line = config_setting_source_line(config_setting_get_member(row, key));
	for (s = list;;) {
		int32_t num;
		size_t i;
		int found = 0;

		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		if (sl_lp_number(&s, &num) != 0 || (*s != '\0' && *s != ' ' &&
		    *s != ','))
			return sl_lp_err(p, line,
			    "\"%s\" must list seat numbers, e.g. \"1 2 20\"%s",
			    key, "");
		for (i = first; i < p->l->n; i++) {
			struct sl_layout_seat *st = &p->l->seat[i];

			if (st->number != num)
				continue;
			found = 1;
			if (flag == 0)
				st->accessible = 1;
			else if (flag == 1)
				st->companion = 1;
			else
				st->restricted = 1;
		}
		if (!found) {
			char nb[16];

			snprintf(nb, sizeof nb, "%d", (int)num);
			return sl_lp_err(p, line,
			    "\"%s\" names seat %s, which is not in this row",
			    key, nb);
		}
	}
	return SL_OK;
}

static enum sl_rc
sl_lp_row(struct sl_lp *p, config_setting_t *row, const char *prefix,
    int64_t sx, int64_t sy, int64_t index, uint16_t section, uint8_t zone)
{
	static const char *const keys[] = { "row", "seats", "x", "y",
		"accessible", "companion", "restricted", "zone", NULL };
	const char *name, *pat, *s;
	int64_t rx = 0, ry = index;
	int line = config_setting_source_line(row);
	size_t first = p->l->n, i;
	int32_t col = 0;
	enum sl_rc rc;

	if (config_setting_type(row) != CONFIG_TYPE_GROUP)
		return sl_lp_err(p, line, "a row must be a group { ... }%s%s",
		    "", "");
	if ((rc = sl_lp_keys(p, row, "a row", keys)) != SL_OK ||
	    (rc = sl_lp_string(p, row, "row", 1, &name)) != SL_OK ||
	    (rc = sl_lp_string(p, row, "seats", 1, &pat)) != SL_OK ||
	    (rc = sl_lp_int(p, row, "x", 0, SL_LAYOUT_MAX_COORD, &rx)) != SL_OK ||
	    (rc = sl_lp_int(p, row, "y", 0, SL_LAYOUT_MAX_COORD, &ry)) != SL_OK ||
	    (rc = sl_lp_zone(p, row, &zone)) != SL_OK)
		return rc;
	if (*name == '\0' || strlen(name) > 20)
		return sl_lp_err(p, line, "row name \"%s\" must be 1 to 20 "
		    "characters%s", name, "");
	for (i = 0; name[i] != '\0'; i++)
		if (!isascii((unsigned char)name[i]) ||
		    !isalnum((unsigned char)name[i]))
			return sl_lp_err(p, line, "row name \"%s\" may hold "
			    "only letters and digits%s", name, "");
	for (s = pat;;) {
		int32_t a, b, k;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		if (*s == '_') {
			col++;
			s++;
			continue;
		}
		if (sl_lp_number(&s, &a) != 0)
			return sl_lp_err(p, line, "bad seat pattern \"%s\" "
			    "(numbers, ranges like 1-12 and _ for a gap)%s",
			    pat, "");
		b = a;
		if (*s == '-') {
			s++;
			if (sl_lp_number(&s, &b) != 0)
				return sl_lp_err(p, line, "bad range in seat "
				    "pattern \"%s\"%s", pat, "");
		}
		if (*s != '\0' && *s != ' ' && *s != '_')
			return sl_lp_err(p, line, "bad seat pattern \"%s\"%s",
			    pat, "");
		if ((a > b ? a - b : b - a) >= 2000)
			return sl_lp_err(p, line, "a range in \"%s\" is longer "
			    "than 2000 seats%s", pat, "");
		for (k = a;; k += a <= b ? 1 : -1) {
			rc = sl_lp_add(p, line, prefix, name, k,
			    (int32_t)(sx + rx + col), (int32_t)(sy + ry),
			    section);
			if (rc != SL_OK)
				return rc;
			col++;
			if (k == b)
				break;
		}
	}
	if (p->l->n == first)
		return sl_lp_err(p, line, "row \"%s\" has no seats%s", name, "");
	for (i = first; i < p->l->n; i++)
		p->l->seat[i].zone = zone;
	if ((rc = sl_lp_attr(p, row, "accessible", first, 0)) != SL_OK ||
	    (rc = sl_lp_attr(p, row, "companion", first, 1)) != SL_OK ||
	    (rc = sl_lp_attr(p, row, "restricted", first, 2)) != SL_OK)
		return rc;
	return SL_OK;
}

static enum sl_rc
sl_lp_section(struct sl_lp *p, config_setting_t *sec)
{
	static const char *const keys[] = { "name", "prefix", "x", "y",
		"zone", "rows", NULL };
	const char *name, *prefix, *why;
	config_setting_t *rows;
	int64_t sx = 0, sy = 0;
	int line = config_setting_source_line(sec), i, n;
	uint8_t zone = 0;
	struct sl_layout *l = p->l;
	char **ns;
	enum sl_rc rc;

	if (config_setting_type(sec) != CONFIG_TYPE_GROUP)
		return sl_lp_err(p, line, "a section must be a group { ... }%s%s",
		    "", "");
	if ((rc = sl_lp_keys(p, sec, "a section", keys)) != SL_OK ||
	    (rc = sl_lp_string(p, sec, "name", 1, &name)) != SL_OK ||
	    (rc = sl_lp_string(p, sec, "prefix", 0, &prefix)) != SL_OK ||
	    (rc = sl_lp_int(p, sec, "x", 0, SL_LAYOUT_MAX_COORD, &sx)) != SL_OK ||
	    (rc = sl_lp_int(p, sec, "y", 0, SL_LAYOUT_MAX_COORD, &sy)) != SL_OK ||
	    (rc = sl_lp_zone(p, sec, &zone)) != SL_OK)
		return rc;
	if (prefix == NULL)
		prefix = "";
	if (sl_text_valid(name, 100, &why) != 0)
		return sl_lp_err(p, line, "the section name %s%s", why, "");
	if (strlen(prefix) > 10)
		return sl_lp_err(p, line, "prefix \"%s\" is longer than 10%s",
		    prefix, "");
	rows = config_setting_get_member(sec, "rows");
	if (rows == NULL || config_setting_type(rows) != CONFIG_TYPE_LIST ||
	    (n = config_setting_length(rows)) == 0)
		return sl_lp_err(p, line, "section \"%s\" needs rows = ( ... ) "
		    "with at least one row%s", name, "");
	if (n > 2000)
		return sl_lp_err(p, line, "section \"%s\" has more than 2000 "
		    "rows%s", name, "");
	if (l->nsections >= 1000)
		return sl_lp_err(p, line, "more than 1000 sections%s%s", "", "");
	ns = realloc(l->section, (l->nsections + 1) * sizeof *ns);
	if (ns == NULL)
		return sl_err_set(p->e, SL_ENOMEM, "out of memory");
	l->section = ns;
	if ((l->section[l->nsections] = strdup(name)) == NULL)
		return sl_err_set(p->e, SL_ENOMEM, "out of memory");
	l->nsections++;
	for (i = 0; i < n; i++) {
		rc = sl_lp_row(p, config_setting_get_elem(rows, (unsigned)i),
		    prefix, sx, sy, i, (uint16_t)(l->nsections - 1), zone);
		if (rc != SL_OK)
			return rc;
	}
	return SL_OK;
}

static int
sl_lp_cmp_label(const void *a, const void *b)
{
	const struct sl_layout_seat *x = *(const struct sl_layout_seat *const *)a;
	const struct sl_layout_seat *y = *(const struct sl_layout_seat *const *)b;

	return strcmp(x->label, y->label);
}

static int
sl_lp_cmp_pos(const void *a, const void *b)
{
	const struct sl_layout_seat *x = *(const struct sl_layout_seat *const *)a;
	const struct sl_layout_seat *y = *(const struct sl_layout_seat *const *)b;

	if (x->y != y->y)
		return x->y < y->y ? -1 : 1;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return 0;
}

/* Refuses duplicate labels and two seats on one spot. */
static enum sl_rc
sl_lp_unique(struct sl_lp *p)
{
	struct sl_layout *l = p->l;
	struct sl_layout_seat **v;
	enum sl_rc rc = SL_OK;
	char other[64];
	size_t i;

	v = malloc(l->n * sizeof *v);
	if (v == NULL)
		return sl_err_set(p->e, SL_ENOMEM, "out of memory");
	for (i = 0; i < l->n; i++)
		v[i] = &l->seat[i];
	qsort(v, l->n, sizeof *v, sl_lp_cmp_label);
	for (i = 1; i < l->n; i++)
		if (sl_lp_cmp_label(&v[i - 1], &v[i]) == 0) {
			snprintf(other, sizeof other, "%d",
			    p->line[v[i - 1] - l->seat]);
			rc = sl_lp_err(p, p->line[v[i] - l->seat],
			    "seat %s is defined twice (also at line %s)",
			    v[i]->label, other);
			goto out;
		}
	qsort(v, l->n, sizeof *v, sl_lp_cmp_pos);
	for (i = 1; i < l->n; i++)
		if (sl_lp_cmp_pos(&v[i - 1], &v[i]) == 0) {
			snprintf(other, sizeof other, "%s (line %d)",
			    v[i - 1]->label, p->line[v[i - 1] - l->seat]);
			rc = sl_lp_err(p, p->line[v[i] - l->seat],
			    "seat %s stands on the same spot as %s",
			    v[i]->label, other);
			goto out;
		}
out:
	free(v);
	return rc;
}

void
sl_layout_free(struct sl_layout *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsections; i++)
		free(l->section[i]);
	free(l->section);
	for (i = 0; i < l->nzones; i++)
		free(l->zone[i]);
	free(l->zone);
	free(l->seat);
	free(l->name);
	free(l);
}

enum sl_rc
sl_layout_parse(const char *text, const char *file, struct sl_layout **out,
    struct sl_err *e)
{
	static const char *const vkeys[] = { "name", "sections", NULL };
	static const char *const rkeys[] = { "venue", NULL };
	struct sl_lp p;
	config_t cf;
	config_setting_t *venue, *secs;
	const char *name, *why, *line;
	enum sl_rc rc;
	int i, n, lineno;

	memset(&p, 0, sizeof p);
	p.text = text;
	p.file = file;
	p.e = e;
	/* libconfig 1.5 follows @include anywhere: refuse it. */
	for (line = text, lineno = 1; line != NULL && *line != '\0'; lineno++) {
		const char *q = line;

		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, "@include", 8) == 0)
			return sl_err_set(e, SL_EINVAL,
			    "%s:%d: @include is not allowed in a layout", file,
			    lineno);
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	p.l = calloc(1, sizeof *p.l);
	if (p.l == NULL)
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	config_init(&cf);
	if (!config_read_string(&cf, text)) {
		rc = sl_err_set(e, SL_EINVAL, "%s:%d: %s", file,
		    config_error_line(&cf), config_error_text(&cf));
		goto out;
	}
	if ((rc = sl_lp_keys(&p, config_root_setting(&cf), "the file",
	    rkeys)) != SL_OK)
		goto out;
	venue = config_lookup(&cf, "venue");
	if (venue == NULL || config_setting_type(venue) != CONFIG_TYPE_GROUP) {
		rc = sl_err_set(e, SL_EINVAL, "%s:1: the file must hold "
		    "venue = { name = ...; sections = ( ... ); };", file);
		goto out;
	}
	if ((rc = sl_lp_keys(&p, venue, "venue", vkeys)) != SL_OK ||
	    (rc = sl_lp_string(&p, venue, "name", 1, &name)) != SL_OK)
		goto out;
	if (sl_text_valid(name, 200, &why) != 0) {
		rc = sl_lp_err(&p, config_setting_source_line(venue),
		    "the venue name %s%s", why, "");
		goto out;
	}
	if ((p.l->name = strdup(name)) == NULL) {
		rc = sl_err_set(e, SL_ENOMEM, "out of memory");
		goto out;
	}
	secs = config_setting_get_member(venue, "sections");
	if (secs == NULL || config_setting_type(secs) != CONFIG_TYPE_LIST ||
	    (n = config_setting_length(secs)) == 0) {
		rc = sl_lp_err(&p, config_setting_source_line(venue),
		    "venue needs sections = ( ... ) with at least one "
		    "section%s%s", "", "");
		goto out;
	}
	for (i = 0; i < n; i++) {
		rc = sl_lp_section(&p, config_setting_get_elem(secs,
		    (unsigned)i));
		if (rc != SL_OK)
			goto out;
	}
	rc = sl_lp_unique(&p);
out:
	config_destroy(&cf);
	free(p.line);
	if (rc != SL_OK) {
		sl_layout_free(p.l);
		return rc;
	}
	*out = p.l;
	return SL_OK;
}

enum sl_rc
sl_layout_load(const char *path, struct sl_layout **out, struct sl_err *e)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;
	enum sl_rc rc;

	f = fopen(path, "r");
	if (f == NULL)
		/* A file the user named that cannot be opened is bad input. */
		return sl_err_set(e, SL_EINVAL, "%s: %s", path,
		    strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return sl_err_set(e, SL_EIO, "%s: not a regular file", path);
	}
	if (st.st_size > 16 * 1024 * 1024) {
		fclose(f);
		return sl_err_set(e, SL_EINVAL, "%s: larger than 16 MiB", path);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		fclose(f);
		return sl_err_set(e, SL_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		return sl_err_set(e, SL_EINVAL, "%s: contains a NUL byte", path);
	}
	rc = sl_layout_parse(buf, path, out, e);
	free(buf);
	return rc;
}
