/*
 * sl_book_int.h - what the booking modules of core/ share (sl_book.c,
 * sl_sell.c, sl_hold.c, sl_zone.c).  Not for callers outside core/.
 */
#ifndef SL_BOOK_INT_H
#define SL_BOOK_INT_H

#include <stddef.h>

#include "sl_book.h"
#include "sl_db_int.h"

/*
 * Builds a text[] literal: {"A1","A2"}; labels are already normalized but
 * quoted and escaped all the same.  Caller frees; NULL when out of memory.
 */
char		*sl_book_array(const char *const *labels, size_t n);

/*
 * Reads the rows (booking id, label[, price]) of a booking function's
 * result into a fresh array (caller frees with free()).  Does not clear
 * res.
 */
enum sl_rc	sl_book_rows(PGresult *res, struct sl_booking **out,
		    size_t *nout, struct sl_err *e);

#endif
