-- 0002: the locking core.
--
-- Each function is one round trip from the client and one transaction: no
-- lock is ever held across a client's network wait.  The rules (DESIGN.md):
--  1. lock the seat rows in one statement, in seat_id order, so two clerks
--     booking {A,B} and {B,A} queue instead of deadlocking;
--  2. check availability in a later statement than the lock (under READ
--     COMMITTED a check inside the locking statement would use the snapshot
--     taken before the lock wait);
--  3. all or nothing: any seat unavailable raises, and the whole transaction
--     is rolled back;
--  4. every change bumps the show's change_seq and NOTIFYs
--     seatlock_show_<id> with {"show","seq","state","seats"}: a hint only,
--     listeners re-read the tables.
--
-- Our own SQLSTATEs (class SL, free for applications):
--   SL400 invalid input, SL404 not found, SL409 seat not available.

-- Publishes one change of a show's seats: bumps the sequence and notifies.
-- Called last in each changing transaction, so the show row lock it takes
-- is held only for the commit.
CREATE FUNCTION sl_publish(p_show bigint, p_state text, p_seats bigint[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_seq	bigint;
BEGIN
	UPDATE show SET change_seq = change_seq + 1
	    WHERE show_id = p_show
	    RETURNING change_seq INTO v_seq;
	-- The payload limit is 8000 bytes: a huge change is sent without its
	-- seats, which listeners read as "reload everything".
	PERFORM pg_notify('seatlock_show_' || p_show,
	    json_build_object('show', p_show, 'seq', v_seq, 'state', p_state,
		'seats', CASE WHEN cardinality(p_seats) <= 400 THEN p_seats END)::text);
	RETURN v_seq;
END;
$$;

-- Books every seat in p_labels for p_user, or none.
-- p_key is the client's request key: a second call with the same key
-- returns the first call's bookings instead of booking again.
-- Returns one row per seat: booking id and label, in seat order.
CREATE FUNCTION sl_book(p_show bigint, p_labels text[], p_user bigint,
    p_key text, p_terminal text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_req		bigint;
	v_prev		booking_request;
	v_bad		text;
	v_locked	integer;
	v_bookings	bigint[];
BEGIN
	IF p_labels IS NULL OR cardinality(p_labels) = 0 THEN
		RAISE EXCEPTION 'no seat named' USING ERRCODE = 'SL400';
	END IF;
	IF cardinality(p_labels) > 100 THEN
		RAISE EXCEPTION 'at most 100 seats in one booking'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'a request key of 1 to 200 characters is required'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT venue_id INTO v_venue FROM show WHERE show_id = p_show;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'show % not found', p_show USING ERRCODE = 'SL404';
	END IF;
	PERFORM 1 FROM app_user WHERE user_id = p_user;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % not found', p_user USING ERRCODE = 'SL404';
	END IF;
	SELECT string_agg(l, ' ') INTO v_bad
	    FROM (SELECT l FROM unnest(p_labels) l GROUP BY l
		HAVING count(*) > 1) d;
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % named twice', v_bad
		    USING ERRCODE = 'SL400', DETAIL = v_bad;
	END IF;
	SELECT array_agg(s.seat_id ORDER BY s.seat_id) INTO v_ids
	    FROM seat s WHERE s.venue_id = v_venue AND s.label = ANY (p_labels);
	IF coalesce(cardinality(v_ids), 0) <> cardinality(p_labels) THEN
		SELECT string_agg(l, ' ') INTO v_bad FROM unnest(p_labels) l
		    WHERE NOT EXISTS (SELECT 1 FROM seat s
			WHERE s.venue_id = v_venue AND s.label = l);
		RAISE EXCEPTION 'no seat % in the venue of show %', v_bad, p_show
		    USING ERRCODE = 'SL404', DETAIL = v_bad;
	END IF;

	-- The request key: ON CONFLICT waits for a concurrent transaction
	-- with the same key, then sees its outcome.
	INSERT INTO booking_request (request_key, show_id, user_id, seat_ids)
	    VALUES (p_key, p_show, p_user, v_ids)
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING request_id INTO v_req;
	IF v_req IS NULL THEN
		SELECT * INTO v_prev FROM booking_request
		    WHERE request_key = p_key;
		IF v_prev.show_id <> p_show OR v_prev.user_id <> p_user
		    OR v_prev.seat_ids <> v_ids THEN
			RAISE EXCEPTION 'request key % was used for another booking',
			    p_key USING ERRCODE = 'SL400';
		END IF;
		RETURN QUERY SELECT b.booking_id, s.label
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.request_id = v_prev.request_id
		    ORDER BY b.seat_id;
		RETURN;
	END IF;

	-- Rule 1: one statement, seat order.
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	GET DIAGNOSTICS v_locked = ROW_COUNT;
	IF v_locked <> cardinality(v_ids) THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	-- Rule 2: a later statement, a fresh snapshot.
	SELECT string_agg(s.label, ' ' ORDER BY s.seat_id) INTO v_bad
	    FROM show_seat ss JOIN seat s ON s.seat_id = ss.seat_id
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
	    AND ss.state <> 'available';
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;

	UPDATE show_seat SET state = 'booked', changed_at = now()
	    WHERE show_id = p_show AND seat_id = ANY (v_ids);
	WITH ins AS (
		INSERT INTO booking (show_id, seat_id, venue_id, user_id,
		    request_id)
		SELECT p_show, sid, v_venue, p_user, v_req
		FROM unnest(v_ids) sid
		RETURNING booking_id
	)
	SELECT array_agg(booking_id ORDER BY booking_id) INTO v_bookings FROM ins;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book', p_show, v_ids, v_bookings,
		json_build_object('user', p_user, 'request_key', p_key));
	PERFORM sl_publish(p_show, 'booked', v_ids);
	RETURN QUERY SELECT b.booking_id, s.label
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_bookings)
	    ORDER BY b.seat_id;
END;
$$;

-- Cancels one active booking.  Locks the seat's inventory row first, like
-- sl_book, so booking and cancelling never wait on each other in opposite
-- orders.  Returns the show and the seat label.
CREATE FUNCTION sl_cancel(p_booking bigint, p_terminal text DEFAULT NULL)
RETURNS TABLE (show_id bigint, seat_label text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_show	bigint;
	v_seat	bigint;
BEGIN
	SELECT b.show_id, b.seat_id INTO v_show, v_seat
	    FROM booking b WHERE b.booking_id = p_booking;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'booking % not found', p_booking
		    USING ERRCODE = 'SL404';
	END IF;
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = v_show AND ss.seat_id = v_seat
	    FOR UPDATE;
	UPDATE booking SET status = 'cancelled', cancelled_at = now()
	    WHERE booking_id = p_booking AND status = 'active';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'booking % is not active', p_booking
		    USING ERRCODE = 'SL404';
	END IF;
	UPDATE show_seat SET state = 'available', changed_at = now()
	    WHERE show_id = v_show AND seat_id = v_seat;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids)
	    VALUES (p_terminal, 'cancel', v_show, ARRAY[v_seat],
		ARRAY[p_booking]);
	PERFORM sl_publish(v_show, 'available', ARRAY[v_seat]);
	RETURN QUERY SELECT v_show, s.label FROM seat s WHERE s.seat_id = v_seat;
END;
$$;

-- Adds a show of a venue with one inventory row per seat.
CREATE FUNCTION sl_show_add(p_venue bigint, p_title text,
    p_starts timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_show	bigint;
BEGIN
	PERFORM 1 FROM venue WHERE venue_id = p_venue;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'venue % not found', p_venue
		    USING ERRCODE = 'SL404';
	END IF;
	INSERT INTO show (venue_id, title, starts_at)
	    VALUES (p_venue, p_title, p_starts)
	    RETURNING show_id INTO v_show;
	INSERT INTO show_seat (show_id, seat_id, venue_id)
	    SELECT v_show, seat_id, venue_id FROM seat
	    WHERE venue_id = p_venue;
	INSERT INTO audit_log (action, show_id, detail)
	    VALUES ('show add', v_show,
		json_build_object('venue', p_venue, 'title', p_title));
	RETURN v_show;
END;
$$;
