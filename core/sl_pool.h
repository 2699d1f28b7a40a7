/*
 * sl_pool.h - a fixed set of database connections shared by threads.
 *
 * A thread borrows a connection with sl_pool_get and gives it back with
 * sl_pool_put, always, whatever happened on it: a connection that is not
 * given back is gone for good, and a pool of four that leaks one per error
 * stalls after four errors.  sl_pool_stats shows how many are out.
 */
#ifndef SL_POOL_H
#define SL_POOL_H

#include <stdint.h>

#include "sl_config.h"
#include "sl_db.h"
#include "sl_err.h"

struct sl_pool;

/*
 * Opens size connections with c (all of them now, so a wrong DSN shows at
 * start).  On SL_OK *out is the caller's, freed by sl_pool_close.  Errors
 * as sl_db_connect.
 */
enum sl_rc	sl_pool_open(const struct sl_config *c, int size,
		    struct sl_pool **out, struct sl_err *e);

/*
 * Closes every connection and frees p (NULL is allowed).  Every connection
 * must have been given back.
 */
void		sl_pool_close(struct sl_pool *p);

/*
 * Borrows a connection, waiting at most wait_ms for one to come back.  A
 * connection that was lost is reconnected first.  On SL_OK *db is borrowed
 * until sl_pool_put.  Errors: SL_EBUSY (none came back in time), SL_ECONN
 * (reconnecting failed; the connection stays in the pool for the next try).
 */
enum sl_rc	sl_pool_get(struct sl_pool *p, int wait_ms, struct sl_db **db,
		    struct sl_err *e);

/*
 * sl_pool_get for a client named by key (not 0): a connection given back
 * goes to the waiting client holding the fewest, and no client holds all
 * the connections of a pool of two or more (sl_pool.c).  sl_pool_get is
 * sl_pool_get_for with key 0: no client in particular, never limited.
 */
enum sl_rc	sl_pool_get_for(struct sl_pool *p, uint64_t key, int wait_ms,
		    struct sl_db **db, struct sl_err *e);

/* Gives db back (NULL is allowed and does nothing). */
void		sl_pool_put(struct sl_pool *p, struct sl_db *db);

struct sl_pool_stats {
	int	size;		/* connections in the pool */
	int	idle;		/* not borrowed now */
	int	waiting;	/* threads waiting in sl_pool_get */
	long	timeouts;	/* sl_pool_get calls that gave up */
};

void		sl_pool_stats(struct sl_pool *p, struct sl_pool_stats *st);

#endif
