-- grants.sql: who may call what, and as whom.  `seatlock db migrate`
-- applies this file last, after any function file it applies and in the
-- same transaction, so a function is never left callable by PUBLIC
-- (PostgreSQL's default for a new function) nor running as its caller
-- (CREATE OR REPLACE resets what is set here).
--
-- The migrating role (the owner) owns every table and function.  Every
-- sl_* function runs as the owner (SECURITY DEFINER) with a pinned
-- search_path (pg_temp last, so a temporary table cannot shadow ours, nor a
-- clerk's object a table or operator).  The exception: IMMUTABLE functions
-- touch no table, and a SET clause would stop the planner from inlining
-- them (sl_prefix_pattern must inline for its LIKE to use the prefix
-- indexes).
--
-- Who may call what:
--  * internal helpers (sales.sql, sl_publish, sl_best_candidates,
--    sl_best_check, sl_best_lock, sl_hold_check, sl_hold_ids,
--    sl_hold_owner_check, sl_api_role, sl_channel_ok,
--    sl_require_supervisor), called
--    only by other sl_* functions running as the owner: nobody else -
--    called directly they would skip the locks and checks of their callers;
--  * functions that change the venues, the schedule or the logins:
--    seatlock_supervisor (a clerk gets 42501);
--  * all others: seatlock_clerk (and so supervisors too).  Of these,
--    sl_hold, sl_release and sl_book_hold check sl_is_supervisor() for
--    blocks, sl_zone_set, sl_zone_assign and sl_price_set for prices,
--    sl_show_set_window for the on-sale window, and the sales (through
--    sl_sale_venue) for an override of the window (a clerk gets SL403);
--    sl_voucher_add, sl_auth_issue and sl_setting_set need a supervisor,
--    and the sales' comps, discounts and large refunds a supervisor or a
--    supervisor's one-time code (sl_authorise, money.sql).  The money
--    helpers of money.sql (sl_sale_*, sl_pay_one, sl_refund_excess,
--    sl_exchange_money, sl_voucher_take, sl_authorise, sl_shift_current,
--    sl_check_method) and sl_cancel_ids, sl_shift_doc and
--    sl_shift_expected are internal, like those of sales.sql; so are
--    sl_ticket_hmac, sl_ticket_raw, sl_ticket_booking and sl_scan_note
--    (tickets.sql: with them a code could be made for any booking).
--  * the notifier's (notify.sql): sl_notifier_claim, sl_notify_flush and
--    sl_notifier_reap only seatlock_notifier (and the owner): a clerk or a
--    stranger can neither win the election nor flush inside an open
--    transaction of its own (issue 17, finding 3).  Clerks read the
--    heartbeat with sl_notifier_beat_age.
--  * granted by the deployment, not here (assets/deploy/setup-logins, to
--    logins it makes): sl_pool_auth (clerks.sql) to PgBouncer's auth_user
--    only, and sl_notifier_beat_age and sl_relay_states (notify.sql) to
--    the relay's login (issue 19).  Nobody else may call sl_relay_states.
-- The trigger functions of audit.sql are called by nobody.

DO $$
DECLARE
	f	record;
BEGIN
	FOR f IN SELECT p.oid::regprocedure AS sig
	    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = 'public' AND p.proname LIKE 'sl\_%'
	    AND p.provolatile <> 'i'
	    ORDER BY p.proname, p.oid
	LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER '
		    'SET search_path = pg_catalog, public, pg_temp', f.sig);
	END LOOP;
END;
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

GRANT EXECUTE ON FUNCTION sl_show_add, sl_venue_create, sl_clerk_add
    TO seatlock_supervisor;

GRANT EXECUTE ON FUNCTION
    sl_book, sl_book_lookup, sl_cancel, sl_cancel_keyed, sl_cancel_lookup,
    sl_exchange,
    sl_book_best, sl_hold_best,
    sl_hold, sl_hold_change, sl_release, sl_hold_sweep, sl_book_hold,
    sl_zone_set, sl_zone_assign, sl_show_set_window,
    sl_price_set, sl_price_list,
    sl_prefix_pattern, sl_user_add,
    sl_is_supervisor,
    sl_change_payload, sl_notifier_beat_age,
    sl_cancel_sale, sl_pay, sl_sale_doc, sl_money_text,
    sl_shift_open, sl_shift_report, sl_shift_close,
    sl_voucher_add, sl_auth_issue, sl_setting_set,
    sl_reserve, sl_reservations,
    sl_report_sales,
    sl_tickets, sl_checkin, sl_door_tickets, sl_sale_ref, sl_sale_by_ref
    TO seatlock_clerk;

-- The notifier's (0017); taken back from clerks, who had the flush.
REVOKE EXECUTE ON FUNCTION sl_notify_flush FROM seatlock_clerk;
GRANT EXECUTE ON FUNCTION sl_notifier_claim, sl_notify_flush, sl_notifier_reap,
    sl_notifier_beat_age, sl_change_payload
    TO seatlock_notifier;

-- A door's login checks tickets in and reads nothing else (0015).
GRANT EXECUTE ON FUNCTION sl_checkin TO seatlock_door;
