-- booking.sql: selling seats by label, cancelling, exchanging, and the
-- lookups of requests whose outcome a client never heard.
--
-- Each function is one round trip from the client and one transaction: no
-- lock is ever held across a client's network wait.  The rules (DESIGN.md),
-- which every function that changes seats follows (holds.sql, best.sql):
--  1. lock the seat rows in one statement, in a fixed order (show id, then
--     seat id), so two clerks booking {A,B} and {B,A} queue instead of
--     deadlocking;
--  2. check availability in a later statement than the lock (under READ
--     COMMITTED a check inside the locking statement would use the snapshot
--     taken before the lock wait);
--  3. all or nothing: any seat unavailable raises, and the whole transaction
--     is rolled back;
--  4. every change is published last (sl_publish, notify.sql).
-- A seat is free when it is 'available', or 'held'/'blocked' by a hold whose
-- expiry has passed: an expired hold never blocks a sale, and no background
-- job is needed (sl_hold_sweep tidies up and notifies when somebody runs it).
-- Expiry is compared with clock_timestamp(), not now(): a transaction that
-- waited for a lock must see the time after the wait.
--
-- Our own SQLSTATEs (class SL, free for applications): SL400 invalid input,
-- SL403 a supervisor is needed (mapped to a conflict: the seats are blocked
-- to this user), SL404 not found, SL409 seat not available.

-- Sells every seat in p_labels, or none, as one sale to p_user (NULL: a
-- walk-up).  p_key is the client's request key, which belongs to the sale:
-- a second call with the same key returns the first call's bookings
-- instead of selling again (and takes no second payment).  Held seats of an
-- expired hold are free, companion seats need an accessible seat.  p_opts
-- (NULL: none) carries the rest of the sale (money.sql): "types" (a price
-- type code or null per label, in p_labels' order), "comp", "discount_cents"
-- with "reason", "voucher", "auth", "pay" ([{"method", "cents"}]: then it
-- must be paid in full), "channel".  Returns booking id, label, price,
-- price type and the sale number in seat order.  Outside the show's
-- on-sale window SL410, unless p_override (a supervisor's explicit choice;
-- SL403 for anybody else): sl_sale_venue.
CREATE OR REPLACE FUNCTION sl_book(p_show bigint, p_labels text[],
    p_user bigint, p_key text, p_terminal text DEFAULT NULL,
    p_override boolean DEFAULT false, p_opts jsonb DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint,
    price_type text, sale_id bigint)
LANGUAGE plpgsql
-- Its statements (and those of the functions it calls) keep one plan for
-- the session.  Left to choose, PostgreSQL planned them again on every
-- call: a custom plan knows the seat array's length, so it always looked
-- cheaper than the generic one (a quarter of a booking's server time was
-- planning; 2.4 -> 1.2 ms a call).  Every statement here is an index probe
-- by key (tests/bench/plans.txt).
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_types		text[];
	v_req		bigint;
	v_replay	boolean;
	v_bookings	bigint[];
	v_locked	integer;
	v_comp		boolean;
	v_bad		text;
BEGIN
	-- (sl_check_count says what is wrong; the test alone costs no
	-- statement.)
	IF coalesce(cardinality(p_labels), 0) NOT BETWEEN 1 AND 100 THEN
		PERFORM sl_check_count(cardinality(p_labels), 'seat', 100,
		    'booking');
	END IF;
	v_venue := sl_sale_venue(p_show, p_override);
	IF p_terminal IS NOT NULL THEN
		PERFORM sl_check_terminal(p_terminal);
	END IF;
	PERFORM sl_check_request(p_key, p_user);
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);
	-- (The tests of p_opts spare a plain sale, the load generator's, the
	-- calls: each costs a booking about 1 %.)
	IF p_opts IS NOT NULL THEN
		v_types := sl_sale_type_list(v_venue, v_ids, p_labels, p_opts);
		PERFORM sl_sale_types(p_show, v_ids, v_types);
	END IF;

	SELECT * INTO v_req, v_replay
	    FROM sl_request_claim(p_key, p_show, p_user, v_ids, NULL,
		p_terminal, p_opts);
	IF v_replay THEN
		RETURN QUERY SELECT * FROM sl_request_bookings(v_req);
		RETURN;
	END IF;

	-- sl_lock_free and sl_companion_check, in this function's own
	-- statements (issue 18: every nested function call costs a booking
	-- more server time than the statement inside it).  Rule 1: one
	-- statement, seat order; it reads whether a companion seat is among
	-- them (a property of the layout) on the way.
	SELECT count(*), bool_or(s.companion) INTO v_locked, v_comp
	    FROM (SELECT ss.seat_id FROM show_seat ss
		WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
		ORDER BY ss.seat_id
		FOR UPDATE) l
	    JOIN seat s ON s.seat_id = l.seat_id;
	IF v_locked <> cardinality(v_ids) THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	-- Rule 2: a later statement, a fresh snapshot (sl_check_free).
	v_bad := sl_unfree_labels(p_show, v_ids);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;
	IF v_comp THEN
		PERFORM sl_companion_check(p_show, v_ids, p_user);
	END IF;

	IF p_opts IS NULL THEN
		-- A plain sale writes everything in one statement: the seats'
		-- state, the bookings (sl_sell_ids without types), the audit
		-- row, the change (sl_publish's row), and answers the bookings
		-- (sl_request_bookings).
		RETURN QUERY WITH u AS (
			UPDATE show_seat ss SET state = 'booked', hold_id = NULL,
			    changed_at = now()
			    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
			    RETURNING ss.seat_id, ss.zone
		), ins AS (
			INSERT INTO booking (show_id, seat_id, venue_id, user_id,
			    request_id, zone, price_cents, price_type)
			SELECT p_show, u.seat_id, v_venue, p_user, v_req, u.zone,
			    coalesce(pt.price_cents, z.price_cents, 0), pt.code
			FROM u
			LEFT JOIN price_zone z ON z.show_id = p_show
			    AND z.zone = u.zone
			LEFT JOIN price_type pt ON pt.show_id = p_show
			    AND pt.zone = u.zone AND pt.is_default
			ORDER BY u.seat_id
			RETURNING booking.booking_id, booking.seat_id,
			    booking.price_cents, booking.price_type
		), a AS (
			INSERT INTO audit_log (terminal, action, show_id, seat_ids,
			    booking_ids, detail)
			SELECT p_terminal, 'book', p_show, v_ids,
			    array_agg(ins.booking_id ORDER BY ins.booking_id),
			    json_build_object('user', p_user, 'request_key', p_key,
				'sale', v_req)
			FROM ins
		), c AS (
			INSERT INTO show_change (show_id, state, seats)
			    VALUES (p_show, 'booked', v_ids)
		)
		SELECT ins.booking_id, s.label, ins.price_cents, ins.price_type,
		    v_req
		FROM ins JOIN seat s ON s.seat_id = ins.seat_id
		ORDER BY ins.seat_id;
		RETURN;
	END IF;

	v_bookings := sl_sell_ids(p_show, v_venue, v_ids, p_user, v_req,
	    v_types);
	PERFORM sl_sale_finish(v_req, p_opts, p_terminal);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book', p_show, v_ids, v_bookings,
		json_build_object('user', p_user, 'request_key', p_key,
		    'sale', v_req));
	PERFORM sl_publish(p_show, 'booked', v_ids);
	RETURN QUERY SELECT * FROM sl_request_bookings(v_req);
END;
$$;

-- The bookings made by request key p_key, in seat order (cancelled ones
-- too: the booking did happen), or no row if no booking with that key was
-- committed.  A key used for another show, customer or set of seats (p_labels
-- NULL: any seats, for requests that chose their seats themselves) is
-- SL400, as sl_book says when such a key is sent again.
CREATE OR REPLACE FUNCTION sl_book_lookup(p_key text, p_show bigint,
    p_user bigint, p_labels text[] DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
	v_req	booking_request;
BEGIN
	SELECT * INTO v_req FROM booking_request WHERE request_key = p_key;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	-- Another channel's key tells nothing of its sale (sl_channel_ok).
	IF NOT sl_channel_ok(v_req.api_role) OR v_req.show_id <> p_show OR v_req.user_id IS DISTINCT FROM p_user OR
	    (p_labels IS NOT NULL AND
	    (SELECT array_agg(l ORDER BY l) FROM unnest(p_labels) l) IS DISTINCT
	    FROM (SELECT array_agg(s.label ORDER BY s.label) FROM booking b
		JOIN seat s ON s.seat_id = b.seat_id
		WHERE b.request_id = v_req.request_id)) THEN
		PERFORM sl_key_reused(p_key, 'booking');
	END IF;
	RETURN QUERY SELECT b.booking_id, s.label
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.request_id = v_req.request_id
	    ORDER BY b.seat_id;
END;
$$;

-- Cancels the active bookings p_bookings of p_show: locks their seats'
-- inventory rows first, in seat order, like sl_book, so booking and
-- cancelling never wait on each other in opposite orders; SL404 when one is
-- not active.  Frees the seats, writes the audit row and publishes.
CREATE OR REPLACE FUNCTION sl_cancel_ids(p_show bigint, p_bookings bigint[],
    p_terminal text, p_action text) RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	v_seats	bigint[];
	v_n	integer;
BEGIN
	SELECT array_agg(b.seat_id ORDER BY b.seat_id) INTO v_seats
	    FROM booking b WHERE b.booking_id = ANY (p_bookings);
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_seats)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	UPDATE booking SET status = 'cancelled', cancelled_at = now()
	    WHERE booking_id = ANY (p_bookings) AND status = 'active';
	GET DIAGNOSTICS v_n = ROW_COUNT;
	IF v_n <> cardinality(p_bookings) THEN
		RAISE EXCEPTION 'booking % is not active', array_to_string(
		    p_bookings, ' ') USING ERRCODE = 'SL404';
	END IF;
	UPDATE show_seat SET state = 'available', changed_at = now()
	    WHERE show_id = p_show AND seat_id = ANY (v_seats);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids)
	    VALUES (p_terminal, p_action, p_show, v_seats, p_bookings);
	PERFORM sl_publish(p_show, 'available', v_seats);
	RETURN v_seats;
END;
$$;

-- Cancels one active booking (sl_cancel_ids).  When its sale was paid
-- beyond the seats it keeps, the difference is refunded by p_refund (a
-- method; NULL then is SL409: sl_refund_excess, with p_auth for a refund
-- above the venue's limit).  Returns the show, the seat label and the
-- amount refunded.
CREATE OR REPLACE FUNCTION sl_cancel(p_booking bigint,
    p_terminal text DEFAULT NULL, p_refund text DEFAULT NULL,
    p_auth text DEFAULT NULL)
RETURNS TABLE (show_id bigint, seat_label text, refund_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_show	bigint;
	v_req	bigint;
	v_seat	bigint;
	v_ref	bigint;
BEGIN
	-- Another channel's booking is not found (sl_channel_ok).
	SELECT b.show_id, b.request_id, b.seat_id INTO v_show, v_req, v_seat
	    FROM booking b JOIN booking_request r ON r.request_id = b.request_id
	    WHERE b.booking_id = p_booking AND sl_channel_ok(r.api_role);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'booking % not found', p_booking
		    USING ERRCODE = 'SL404';
	END IF;
	PERFORM sl_cancel_ids(v_show, ARRAY[p_booking], p_terminal, 'cancel');
	v_ref := sl_refund_excess(v_req, p_refund, p_auth, p_terminal,
	    p_booking);
	RETURN QUERY SELECT v_show, s.label, v_ref
	    FROM seat s WHERE s.seat_id = v_seat;
END;
$$;

-- Cancels every active seat of sale p_sale, and refunds what it was paid
-- by p_refund as sl_cancel does.  SL404 when the sale has no active seat.
-- Returns each cancelled booking, its seat label and the amount refunded
-- (the same on every row).
CREATE OR REPLACE FUNCTION sl_cancel_sale(p_sale bigint,
    p_terminal text DEFAULT NULL, p_refund text DEFAULT NULL,
    p_auth text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, refund_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_show	bigint;
	v_ids	bigint[];
	v_ref	bigint;
BEGIN
	SELECT r.show_id INTO v_show FROM booking_request r
	    WHERE r.request_id = p_sale AND sl_channel_ok(r.api_role)
	    FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'sale % not found', p_sale USING ERRCODE = 'SL404';
	END IF;
	SELECT array_agg(b.booking_id ORDER BY b.seat_id) INTO v_ids
	    FROM booking b WHERE b.request_id = p_sale AND b.status = 'active';
	IF v_ids IS NULL THEN
		RAISE EXCEPTION 'sale % has no active seat', p_sale
		    USING ERRCODE = 'SL404';
	END IF;
	PERFORM sl_cancel_ids(v_show, v_ids, p_terminal, 'cancel sale');
	v_ref := sl_refund_excess(p_sale, p_refund, p_auth, p_terminal, NULL);
	RETURN QUERY SELECT b.booking_id, s.label, v_ref
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_ids) ORDER BY b.seat_id;
END;
$$;

-- Cancels booking p_booking like sl_cancel, once per request key: the same
-- key sent again answers the first call's show, seat and refund instead of
-- "not active".  The key is claimed before the cancel, in the same
-- transaction, so it exists exactly when the cancel committed.
CREATE OR REPLACE FUNCTION sl_cancel_keyed(p_booking bigint, p_key text,
    p_terminal text DEFAULT NULL, p_refund text DEFAULT NULL,
    p_auth text DEFAULT NULL)
RETURNS TABLE (show_id bigint, seat_label text, refund_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_key	text;
BEGIN
	IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION
		    'a request key of 1 to 200 characters is required'
		    USING ERRCODE = 'SL400';
	END IF;
	-- Before the key, so an unknown booking is SL404 (as from sl_cancel)
	-- rather than a foreign key violation.
	PERFORM 1 FROM booking b
	    JOIN booking_request r ON r.request_id = b.request_id
	    WHERE b.booking_id = p_booking AND sl_channel_ok(r.api_role);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'booking % not found', p_booking
		    USING ERRCODE = 'SL404';
	END IF;
	-- ON CONFLICT waits for a concurrent transaction with the same key,
	-- then sees its outcome.
	INSERT INTO cancel_request (request_key, booking_id)
	    VALUES (p_key, p_booking)
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING request_key INTO v_key;
	IF v_key IS NULL THEN
		-- A later statement: its snapshot sees the first cancel.
		RETURN QUERY SELECT * FROM sl_cancel_lookup(p_key, p_booking);
		RETURN;
	END IF;
	RETURN QUERY SELECT * FROM sl_cancel(p_booking, p_terminal, p_refund,
	    p_auth);
END;
$$;

-- The show, seat and refund of the cancel made with request key p_key, or
-- no row if no cancel with that key was committed.  A key used for another
-- booking is SL400.
CREATE OR REPLACE FUNCTION sl_cancel_lookup(p_key text, p_booking bigint)
RETURNS TABLE (show_id bigint, seat_label text, refund_cents bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
	v_prev	bigint;
BEGIN
	SELECT c.booking_id INTO v_prev FROM cancel_request c
	    WHERE c.request_key = p_key;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF v_prev <> p_booking OR NOT EXISTS (SELECT 1 FROM booking b
	    JOIN booking_request r ON r.request_id = b.request_id
	    WHERE b.booking_id = p_booking AND sl_channel_ok(r.api_role)) THEN
		PERFORM sl_key_reused(p_key, 'cancel');
	END IF;
	RETURN QUERY SELECT b.show_id, s.label, coalesce((SELECT
	    sum(p.amount_cents) FROM payment p WHERE p.booking_id = p_booking
	    AND p.kind = 'refund'), 0)::bigint
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = p_booking;
END;
$$;

-- Moves the active bookings p_bookings (one show, one customer) to the
-- seats p_labels of show p_show (NULL: the same show), one seat for one
-- seat, in one transaction: the old bookings are cancelled and new ones
-- made at the new seats' prices.  Every inventory row involved is locked
-- in one statement ordered by show id then seat id, so two exchanges in
-- opposite directions queue instead of deadlocking; the shows are published
-- in show order for the same reason.  The new seats may include the old
-- ones.  The reason goes to the audit trail.  Returns the new bookings with
-- their prices, and the old total (the same on every row).  The new seats
-- are a sale: outside p_show's on-sale window SL410, unless p_override (as
-- in sl_book).  The new seats are a new sale, which takes over what the old
-- sales were paid for the seats given up (sl_exchange_money); the new seats
-- costing less, the rest is refunded by p_opts->>'refund', costing more,
-- the rest is due, or paid by p_opts->'pay' (as in sl_book, like "types",
-- "auth" and "channel").  Walk-up bookings (no customer) exchange within
-- one sale.  Returns also the price type, the new sale and the refund.
CREATE OR REPLACE FUNCTION sl_exchange(p_bookings bigint[], p_show bigint,
    p_labels text[], p_reason text, p_key text, p_terminal text DEFAULT NULL,
    p_override boolean DEFAULT false, p_opts jsonb DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint,
    old_total_cents bigint, price_type text, sale_id bigint,
    refund_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_old_show	bigint;
	v_user		bigint;
	v_old_seats	bigint[];
	v_venue		bigint;
	v_ids		bigint[];
	v_types		text[];
	v_req		bigint;
	v_replay	boolean;
	v_bad		text;
	v_ref		bigint;
	v_locked	integer;
	v_want		integer;
	v_old_total	bigint;
	v_bookings	bigint[];
	v_freed		bigint[];
	v_comp		bigint;
	v_acc		bigint;
BEGIN
	PERFORM sl_check_count(cardinality(p_bookings), 'booking', 100,
	    'exchange');
	IF p_labels IS NULL OR cardinality(p_labels) <> cardinality(p_bookings)
	THEN
		RAISE EXCEPTION 'an exchange names one new seat for each booking '
		    '(% bookings, % seats)', cardinality(p_bookings),
		    coalesce(cardinality(p_labels), 0) USING ERRCODE = 'SL400';
	END IF;
	IF (SELECT count(DISTINCT b) FROM unnest(p_bookings) b) <>
	    cardinality(p_bookings) THEN
		RAISE EXCEPTION 'a booking is named twice' USING ERRCODE = 'SL400';
	END IF;
	PERFORM sl_check_reason(p_reason);
	SELECT string_agg(x::text, ' ') INTO v_bad FROM unnest(p_bookings) x
	    WHERE NOT EXISTS (SELECT 1 FROM booking b
		JOIN booking_request r ON r.request_id = b.request_id
		WHERE b.booking_id = x AND sl_channel_ok(r.api_role));
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'booking % not found', v_bad
		    USING ERRCODE = 'SL404', DETAIL = v_bad;
	END IF;
	SELECT min(b.show_id), min(b.user_id),
	    array_agg(b.seat_id ORDER BY b.seat_id)
	    INTO v_old_show, v_user, v_old_seats
	    FROM booking b WHERE b.booking_id = ANY (p_bookings)
	    HAVING count(DISTINCT b.show_id) = 1
	    AND count(DISTINCT coalesce(b.user_id, -b.request_id)) = 1;
	IF v_old_show IS NULL THEN
		RAISE EXCEPTION 'the bookings of one exchange must be of one show '
		    'and one customer (or one walk-up sale)'
		    USING ERRCODE = 'SL400';
	END IF;
	PERFORM sl_check_request(p_key, v_user);
	p_show := coalesce(p_show, v_old_show);
	v_venue := sl_sale_venue(p_show, p_override);
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);
	v_types := sl_sale_type_list(v_venue, v_ids, p_labels, p_opts);
	PERFORM sl_sale_types(p_show, v_ids, v_types);

	SELECT * INTO v_req, v_replay
	    FROM sl_request_claim(p_key, p_show, v_user, v_ids, NULL,
		p_terminal, p_opts);
	IF v_replay THEN
		RETURN QUERY SELECT b.booking_id, s.label, b.price_cents,
		    (SELECT sum(coalesce(o.list_cents, o.price_cents))::bigint
			FROM booking o WHERE o.booking_id = ANY (p_bookings)),
		    b.price_type, b.request_id, coalesce((SELECT
			sum(p.amount_cents) FROM payment p
			WHERE p.request_id = v_req AND p.kind = 'refund'),
			0)::bigint
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.request_id = v_req
		    ORDER BY b.seat_id;
		RETURN;
	END IF;

	-- Rule 1 across shows: one statement, (show id, seat id) order.
	PERFORM 1 FROM show_seat ss
	    WHERE (ss.show_id = v_old_show AND ss.seat_id = ANY (v_old_seats))
	    OR (ss.show_id = p_show AND ss.seat_id = ANY (v_ids))
	    ORDER BY ss.show_id, ss.seat_id
	    FOR UPDATE;
	GET DIAGNOSTICS v_locked = ROW_COUNT;
	SELECT count(*) INTO v_want FROM (
		SELECT v_old_show, x FROM unnest(v_old_seats) x
		UNION
		SELECT p_show, y FROM unnest(v_ids) y) w;
	IF v_locked <> v_want THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	-- Rule 2: later statements.
	SELECT string_agg(b.booking_id::text, ' ') INTO v_bad FROM booking b
	    WHERE b.booking_id = ANY (p_bookings) AND b.status <> 'active';
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'booking % is not active', v_bad
		    USING ERRCODE = 'SL404', DETAIL = v_bad;
	END IF;
	PERFORM sl_check_free(p_show, ARRAY(SELECT x FROM unnest(v_ids) x
	    WHERE p_show <> v_old_show OR x <> ALL (v_old_seats)));
	PERFORM sl_companion_check(p_show, v_ids, v_user, p_bookings);

	SELECT sum(b.price_cents)::bigint INTO v_old_total FROM booking b
	    WHERE b.booking_id = ANY (p_bookings);
	UPDATE booking b SET status = 'cancelled', cancelled_at = now()
	    WHERE b.booking_id = ANY (p_bookings);
	UPDATE show_seat ss SET state = 'available', changed_at = now()
	    WHERE ss.show_id = v_old_show AND ss.seat_id = ANY (v_old_seats);
	v_bookings := sl_sell_ids(p_show, v_venue, v_ids, v_user, v_req,
	    v_types);
	v_ref := sl_exchange_money(v_req, p_bookings, p_opts, p_terminal);
	PERFORM sl_sale_payments(v_req, p_opts, p_terminal);
	-- Moving a wheelchair space away must not strand its companion seat.
	IF EXISTS (SELECT 1 FROM seat s WHERE s.seat_id = ANY (v_old_seats)
	    AND s.accessible) THEN
		SELECT count(*) FILTER (WHERE s.companion),
		    count(*) FILTER (WHERE s.accessible),
		    string_agg(s.label, ' ' ORDER BY s.seat_id)
			FILTER (WHERE s.companion)
		    INTO v_comp, v_acc, v_bad
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.user_id = v_user AND b.show_id = v_old_show
		    AND b.status = 'active';
		IF v_comp > v_acc THEN
			RAISE EXCEPTION 'seat % is a companion seat: exchange it '
			    'together with its accessible seat', v_bad
			    USING ERRCODE = 'SL400', DETAIL = v_bad;
		END IF;
	END IF;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'exchange', p_show, v_ids, v_bookings,
		json_build_object('user', v_user, 'reason', p_reason,
		    'from_show', v_old_show, 'from_bookings', p_bookings,
		    'from_seats', v_old_seats, 'old_total_cents', v_old_total,
		    'request_key', p_key));
	IF p_show <> v_old_show THEN
		INSERT INTO audit_log (terminal, action, show_id, seat_ids,
		    booking_ids, detail)
		    VALUES (p_terminal, 'exchange out', v_old_show, v_old_seats,
			p_bookings, json_build_object('user', v_user,
			    'reason', p_reason, 'to_show', p_show,
			    'to_bookings', v_bookings));
	END IF;
	-- Publish in show order (each takes the show row's lock).
	v_freed := ARRAY(SELECT x FROM unnest(v_old_seats) x
	    WHERE p_show <> v_old_show OR x <> ALL (v_ids));
	IF p_show = v_old_show THEN
		PERFORM sl_publish(p_show, 'exchanged', v_freed || v_ids);
	ELSIF v_old_show < p_show THEN
		PERFORM sl_publish(v_old_show, 'available', v_freed);
		PERFORM sl_publish(p_show, 'booked', v_ids);
	ELSE
		PERFORM sl_publish(p_show, 'booked', v_ids);
		PERFORM sl_publish(v_old_show, 'available', v_freed);
	END IF;
	RETURN QUERY SELECT b.booking_id, s.label, b.price_cents, v_old_total,
	    b.price_type, b.request_id, v_ref
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_bookings)
	    ORDER BY b.seat_id;
END;
$$;
