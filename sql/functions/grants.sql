-- grants.sql: who may call what.  `seatlock db migrate` applies this file
-- last, after any function file it applies, so a new function is never
-- left callable by PUBLIC (PostgreSQL's default for a new function).
--
--  * internal helpers (sales.sql, sl_publish, sl_best_candidates), called
--    only by other sl_* functions running as the owner: nobody else -
--    called directly they would skip the locks and checks of their callers;
--  * functions that change the venues, the schedule or the logins:
--    seatlock_supervisor (a clerk gets 42501);
--  * all others: seatlock_clerk (and so supervisors too).  Of these,
--    sl_hold, sl_release and sl_book_hold check sl_is_supervisor() for
--    blocks and sl_zone_set and sl_zone_assign for prices (a clerk gets
--    SL403).
-- The trigger functions of audit.sql are called by nobody.

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

GRANT EXECUTE ON FUNCTION sl_show_add, sl_venue_create, sl_clerk_add
    TO seatlock_supervisor;

GRANT EXECUTE ON FUNCTION
    sl_book, sl_book_lookup, sl_cancel, sl_cancel_keyed, sl_cancel_lookup,
    sl_exchange,
    sl_book_best,
    sl_hold, sl_hold_change, sl_release, sl_hold_sweep, sl_book_hold,
    sl_zone_set, sl_zone_assign,
    sl_prefix_pattern, sl_user_add,
    sl_is_supervisor,
    sl_change_payload, sl_notify_flush
    TO seatlock_clerk;
