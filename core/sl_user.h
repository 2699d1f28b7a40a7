/*
 * sl_user.h - moved: customers are one module, sl_customer.h.  Kept only
 * while core/sl_bench.c (the load generator's file, moved by another
 * change) still includes this name; delete it once nothing does.
 */
#ifndef SL_USER_H
#define SL_USER_H

#include "sl_customer.h"

#endif
