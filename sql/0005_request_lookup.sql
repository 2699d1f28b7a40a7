-- 0005: resolving requests whose outcome the client never heard (issue 5,
-- client resilience).
--
-- A client whose connection died while its booking or cancel was being
-- committed does not know whether it happened.  Before it sends anything
-- again it asks, by the request key it made, with the lookups below; they
-- read only committed rows, take no lock and so never wait behind the seats.
-- (Should the first attempt still be running on a server that has not yet
-- noticed the lost client, the lookup finds nothing, and the re-sent request
-- with the same key waits on the key's unique index for the first to end,
-- then answers from it: still never twice.)

-- The bookings made by request key p_key, in seat order (cancelled ones
-- too: the booking did happen), or no row if no booking with that key was
-- committed.  A key used for another show, customer or set of seats (p_labels
-- NULL: any seats, for requests that chose their seats themselves) is
-- SL400, as sl_book says when such a key is sent again.
CREATE FUNCTION sl_book_lookup(p_key text, p_show bigint, p_user bigint,
    p_labels text[] DEFAULT NULL)
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
	IF v_req.show_id <> p_show OR v_req.user_id <> p_user OR
	    (p_labels IS NOT NULL AND
	    (SELECT array_agg(l ORDER BY l) FROM unnest(p_labels) l) IS DISTINCT
	    FROM (SELECT array_agg(s.label ORDER BY s.label) FROM booking b
		JOIN seat s ON s.seat_id = b.seat_id
		WHERE b.request_id = v_req.request_id)) THEN
		RAISE EXCEPTION
		    'request key % was used for another booking', p_key
		    USING ERRCODE = 'SL400';
	END IF;
	RETURN QUERY SELECT b.booking_id, s.label
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.request_id = v_req.request_id
	    ORDER BY b.seat_id;
END;
$$;

-- One row per cancel made with a request key: a cancel sent again after a
-- lost connection answers from the first instead of saying "not active".
CREATE TABLE cancel_request (
	request_key	text PRIMARY KEY
			CHECK (length(request_key) BETWEEN 1 AND 200),
	booking_id	bigint NOT NULL REFERENCES booking (booking_id),
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Serves: the idempotency lookup (WHERE request_key = ?) - the primary key.
-- No index on booking_id: bookings are never deleted, so the foreign key
-- is never checked from that side, and nothing looks cancels up by booking.

-- Cancels booking p_booking like sl_cancel, once per request key: the same
-- key sent again answers the first call's show and seat instead of "not
-- active".  The key is claimed before the cancel, in the same transaction,
-- so it exists exactly when the cancel committed.
CREATE FUNCTION sl_cancel_keyed(p_booking bigint, p_key text,
    p_terminal text DEFAULT NULL)
RETURNS TABLE (show_id bigint, seat_label text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_key	text;
	v_prev	bigint;
BEGIN
	IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION
		    'a request key of 1 to 200 characters is required'
		    USING ERRCODE = 'SL400';
	END IF;
	-- Before the key, so an unknown booking is SL404 (as from sl_cancel)
	-- rather than a foreign key violation.
	PERFORM 1 FROM booking b WHERE b.booking_id = p_booking;
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
		SELECT c.booking_id INTO v_prev FROM cancel_request c
		    WHERE c.request_key = p_key;
		IF v_prev <> p_booking THEN
			RAISE EXCEPTION
			    'request key % was used for another cancel', p_key
			    USING ERRCODE = 'SL400';
		END IF;
		RETURN QUERY SELECT b.show_id, s.label
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.booking_id = p_booking;
		RETURN;
	END IF;
	RETURN QUERY SELECT * FROM sl_cancel(p_booking, p_terminal);
END;
$$;

-- The show and seat of the cancel made with request key p_key, or no row if
-- no cancel with that key was committed.  A key used for another booking is
-- SL400.
CREATE FUNCTION sl_cancel_lookup(p_key text, p_booking bigint)
RETURNS TABLE (show_id bigint, seat_label text)
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
	IF v_prev <> p_booking THEN
		RAISE EXCEPTION
		    'request key % was used for another cancel', p_key
		    USING ERRCODE = 'SL400';
	END IF;
	RETURN QUERY SELECT b.show_id, s.label
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = p_booking;
END;
$$;
