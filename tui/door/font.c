/*
 * font.c - the door's big letters: five rows of five cells a letter, drawn
 * as reverse-video cells (they show on a vt100 as on a colour terminal).
 */
#include <string.h>

#include <curses.h>

#include "door/door.h"

struct door_glyph {
	char		 c;
	const char	*row[5];
};

static const struct door_glyph door_font[] = {
	{ 'A', { " ### ", "#   #", "#####", "#   #", "#   #" } },
	{ 'D', { "#### ", "#   #", "#   #", "#   #", "#### " } },
	{ 'E', { "#####", "#    ", "#### ", "#    ", "#####" } },
	{ 'F', { "#####", "#    ", "#### ", "#    ", "#    " } },
	{ 'I', { " ### ", "  #  ", "  #  ", "  #  ", " ### " } },
	{ 'L', { "#    ", "#    ", "#    ", "#    ", "#####" } },
	{ 'M', { "#   #", "## ##", "# # #", "#   #", "#   #" } },
	{ 'N', { "#   #", "##  #", "# # #", "#  ##", "#   #" } },
	{ 'O', { " ### ", "#   #", "#   #", "#   #", " ### " } },
	{ 'R', { "#### ", "#   #", "#### ", "#  # ", "#   #" } },
	{ 'S', { " ####", "#    ", " ### ", "    #", "#### " } },
	{ 'T', { "#####", "  #  ", "  #  ", "  #  ", "  #  " } },
	{ 'U', { "#   #", "#   #", "#   #", "#   #", " ### " } },
	{ 'Y', { "#   #", " # # ", "  #  ", "  #  ", "  #  " } },
};

static const struct door_glyph *
door_glyph(char c)
{
	size_t i;

	for (i = 0; i < sizeof door_font / sizeof door_font[0]; i++)
		if (door_font[i].c == c)
			return &door_font[i];
	return NULL;
}

void
door_big(int y, int cols, const char *word, int attr)
{
	const struct door_glyph *g;
	int n = (int)strlen(word), x0, r, i, j;

	x0 = (cols - n * 6 + 1) / 2;
	if (x0 < 0)
		x0 = 0;
	for (r = 0; r < 5; r++)
		for (i = 0; i < n; i++) {
			if ((g = door_glyph(word[i])) == NULL)
				continue;
			for (j = 0; j < 5; j++) {
				if (g->row[r][j] != '#' ||
				    x0 + i * 6 + j >= cols)
					continue;
				mvaddch(y + r, x0 + i * 6 + j,
				    (chtype)' ' | (chtype)attr | A_REVERSE);
			}
		}
}
