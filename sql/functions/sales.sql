-- sales.sql: the helpers every sale uses (sl_book, sl_book_hold,
-- sl_book_best, sl_exchange, the holds).  Internal: called only by other
-- sl_* functions, running as the owner; nobody is granted them
-- (grants.sql), since called directly they would skip the locks and checks
-- of their callers.

-- The show's venue, or SL404.
CREATE OR REPLACE FUNCTION sl_show_venue(p_show bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_venue	bigint;
BEGIN
	SELECT venue_id INTO v_venue FROM show WHERE show_id = p_show;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'show % not found', p_show USING ERRCODE = 'SL404';
	END IF;
	RETURN v_venue;
END;
$$;

-- A time as the messages of the on-sale window write it, in the session's
-- time zone: 2026-12-10 10:00 (seconds only when it has some).
CREATE OR REPLACE FUNCTION sl_sale_time(p_t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT to_char(p_t, CASE WHEN date_trunc('minute', p_t) = p_t
	    THEN 'YYYY-MM-DD HH24:MI' ELSE 'YYYY-MM-DD HH24:MI:SS' END);
$$;

-- The show's venue for a sale or a hold, or SL404; the same read checks the
-- show's on-sale window (0013), so the window costs a sale no statement of
-- its own.  Before the on-sale time: SL410 "not on sale until ..."; from
-- the off-sale time on: SL410 "sales for this show closed at ...".
-- p_override is a supervisor's explicit choice to sell outside the window;
-- anybody else asking for it is refused (SL403), inside the window or not.
-- Being a supervisor alone never bypasses the window.
CREATE OR REPLACE FUNCTION sl_sale_venue(p_show bigint, p_override boolean)
RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_venue	bigint;
	v_on	timestamptz;
	v_off	timestamptz;
BEGIN
	SELECT venue_id, on_sale_at, off_sale_at INTO v_venue, v_on, v_off
	    FROM show WHERE show_id = p_show;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'show % not found', p_show USING ERRCODE = 'SL404';
	END IF;
	IF p_override THEN
		IF NOT sl_is_supervisor() THEN
			RAISE EXCEPTION 'only a supervisor can sell outside a '
			    'show''s on-sale window (--override)'
			    USING ERRCODE = 'SL403';
		END IF;
	ELSIF v_on IS NOT NULL OR v_off IS NOT NULL THEN
		-- now(), the transaction's time, as the booking rows record it
		-- (and no clock read: clock_timestamp() is a system call)
		IF v_on > now() THEN
			RAISE EXCEPTION 'not on sale until %', sl_sale_time(v_on)
			    USING ERRCODE = 'SL410';
		END IF;
		IF v_off <= now() THEN
			RAISE EXCEPTION 'sales for this show closed at %',
			    sl_sale_time(v_off) USING ERRCODE = 'SL410';
		END IF;
	END IF;
	RETURN v_venue;
END;
$$;

-- The expiry of a hold of p_show made or renewed now for p_seconds: holds
-- end at the show's off-sale time at the latest, unless made by a
-- supervisor's override (p_override) outside the window.
CREATE OR REPLACE FUNCTION sl_hold_until(p_show bigint, p_seconds integer,
    p_override boolean)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_override THEN x.e
	    ELSE least(x.e, (SELECT sh.off_sale_at FROM show sh
		WHERE sh.show_id = p_show)) END
	FROM (SELECT clock_timestamp() + make_interval(secs => p_seconds) AS e) x;
$$;

-- The seat ids of labels in a venue, in seat order; SL400 for a label named
-- twice, SL404 naming the labels the venue does not have.
CREATE OR REPLACE FUNCTION sl_seat_ids(p_venue bigint, p_show bigint,
    p_labels text[])
RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_ids	bigint[];
	v_bad	text;
BEGIN
	-- (One label, most sales, cannot be named twice: no statement.)
	IF cardinality(p_labels) > 1 THEN
		SELECT string_agg(l, ' ') INTO v_bad
		    FROM (SELECT l FROM unnest(p_labels) l GROUP BY l
			HAVING count(*) > 1) d;
		IF v_bad IS NOT NULL THEN
			RAISE EXCEPTION 'seat % named twice', v_bad
			    USING ERRCODE = 'SL400', DETAIL = v_bad;
		END IF;
	END IF;
	SELECT array_agg(s.seat_id ORDER BY s.seat_id) INTO v_ids
	    FROM seat s WHERE s.venue_id = p_venue AND s.label = ANY (p_labels);
	IF coalesce(cardinality(v_ids), 0) <> cardinality(p_labels) THEN
		SELECT string_agg(l, ' ') INTO v_bad FROM unnest(p_labels) l
		    WHERE NOT EXISTS (SELECT 1 FROM seat s
			WHERE s.venue_id = p_venue AND s.label = l);
		RAISE EXCEPTION 'no seat % in the venue of show %', v_bad, p_show
		    USING ERRCODE = 'SL404', DETAIL = v_bad;
	END IF;
	RETURN v_ids;
END;
$$;

-- Checks a request key and the customer (NULL: a walk-up, no customer
-- record); SL400 / SL404.  A token books only in its own customers' names
-- (sl_channel_ok): another's is "not found".
CREATE OR REPLACE FUNCTION sl_check_request(p_key text,
    p_user bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'a request key of 1 to 200 characters is required'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_user IS NOT NULL THEN
		PERFORM 1 FROM app_user WHERE user_id = p_user
		    AND sl_channel_ok(api_role);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'user % not found', p_user
			    USING ERRCODE = 'SL404';
		END IF;
	END IF;
END;
$$;

-- Refuses a missing or overlong terminal name (SL400): holds, reservations
-- and shifts belong to a terminal.
CREATE OR REPLACE FUNCTION sl_check_terminal(p_terminal text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_terminal IS NULL THEN
		RAISE EXCEPTION 'a terminal name is required'
		    USING ERRCODE = 'SL400';
	END IF;
	-- Issue 17, finding 12: bounded like the audit trail's column
	-- (migration 0016); also the triggers' rule (terminal_checked).
	IF length(p_terminal) NOT BETWEEN 1 AND 255
	    OR p_terminal ~ '[\x01-\x1f\x7f]' THEN
		RAISE EXCEPTION 'a terminal name is 1 to 255 characters without control characters'
		    USING ERRCODE = 'SL400';
	END IF;
END;
$$;

-- Refuses a request key sent again for another p_what (booking, cancel)
-- than the one it was first used for (SL400).
CREATE OR REPLACE FUNCTION sl_key_reused(p_key text, p_what text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'request key % was used for another %', p_key, p_what
	    USING ERRCODE = 'SL400';
END;
$$;

-- Checks the size of a request of p_n p_noun-s (seats, bookings) for one
-- p_in (booking, exchange, hold, block): at least one, at most p_max
-- (SL400: "no seat named", "at most 100 seats in one booking").
CREATE OR REPLACE FUNCTION sl_check_count(p_n integer, p_noun text,
    p_max integer, p_in text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_n IS NULL OR p_n = 0 THEN
		RAISE EXCEPTION 'no % named', p_noun USING ERRCODE = 'SL400';
	END IF;
	IF p_n > p_max THEN
		RAISE EXCEPTION 'at most % %s in one %', p_max, p_noun, p_in
		    USING ERRCODE = 'SL400';
	END IF;
END;
$$;

-- Checks the reason of a block or an exchange, for the audit trail: NULL,
-- or 1 to 200 characters of text (SL400).
CREATE OR REPLACE FUNCTION sl_check_reason(p_reason text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_reason IS NOT NULL AND (length(p_reason) NOT BETWEEN 1 AND 200
	    OR p_reason ~ '[\x01-\x1f\x7f]') THEN
		RAISE EXCEPTION 'a reason is 1 to 200 characters of text'
		    USING ERRCODE = 'SL400';
	END IF;
END;
$$;

-- The labels of the seats of p_ids that are not free for a sale in p_show,
-- in seat order, or NULL when all are free.  Call it after locking the
-- seats, as its own statement (rule 2 of booking.sql): it reads a fresh
-- snapshot.  (PL/pgSQL, unlike a SQL function that is not inlined, keeps
-- the statement's plan for the session: as a SQL function it was planned
-- again on every call, 2 of a booking's 11 ms of server time under load.)
CREATE OR REPLACE FUNCTION sl_unfree_labels(p_show bigint, p_ids bigint[])
RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	RETURN (SELECT string_agg(s.label, ' ' ORDER BY s.seat_id)
	FROM show_seat ss
	JOIN seat s ON s.seat_id = ss.seat_id
	LEFT JOIN hold h ON h.show_id = ss.show_id AND h.hold_id = ss.hold_id
	WHERE ss.show_id = p_show AND ss.seat_id = ANY (p_ids)
	-- coalesce: a block without an expiry never runs out (NULL would
	-- make the NOT below NULL, and the seat look free)
	AND NOT (ss.state = 'available' OR (ss.hold_id IS NOT NULL
	    AND coalesce(h.expires_at <= clock_timestamp(), false))));
END;
$$;

-- Raises SL409 naming the seats of p_ids that are not free for a sale in
-- p_show (DETAIL: their labels).  Call it after locking the seats, as its
-- own statement (rule 2 of booking.sql).
CREATE OR REPLACE FUNCTION sl_check_free(p_show bigint, p_ids bigint[])
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_bad	text;
BEGIN
	v_bad := sl_unfree_labels(p_show, p_ids);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;
END;
$$;

-- Locks the inventory rows of the seats p_ids of p_show, then checks that
-- they are free (SL409 naming those that are not), following rules 1 and 2
-- of booking.sql.
CREATE OR REPLACE FUNCTION sl_lock_free(p_show bigint, p_ids bigint[])
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_locked	integer;
BEGIN
	-- Rule 1: one statement, seat order.
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (p_ids)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	GET DIAGNOSTICS v_locked = ROW_COUNT;
	IF v_locked <> cardinality(p_ids) THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	-- Rule 2: a later statement, a fresh snapshot.
	PERFORM sl_check_free(p_show, p_ids);
END;
$$;

-- Companion seats are sold only together with an accessible seat: the
-- companions of a sale may not outnumber its accessible seats plus the
-- customer's other active accessible seats of the show without a companion
-- yet.  p_except: bookings being exchanged away (not counted).
CREATE OR REPLACE FUNCTION sl_companion_check(p_show bigint, p_ids bigint[],
    p_user bigint, p_except bigint[] DEFAULT '{}')
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_comp	bigint;
	v_acc	bigint;
	v_more	bigint;
	v_bad	text;
BEGIN
	SELECT count(*) FILTER (WHERE s.companion),
	    count(*) FILTER (WHERE s.accessible),
	    string_agg(s.label, ' ' ORDER BY s.seat_id) FILTER (WHERE s.companion)
	    INTO v_comp, v_acc, v_bad
	    FROM seat s WHERE s.seat_id = ANY (p_ids);
	IF v_comp = 0 THEN
		RETURN;
	END IF;
	SELECT count(*) FILTER (WHERE s.accessible)
	    - count(*) FILTER (WHERE s.companion)
	    INTO v_more
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.user_id = p_user AND b.show_id = p_show
	    AND b.status = 'active' AND b.booking_id <> ALL (p_except);
	IF v_comp > v_acc + greatest(v_more, 0) THEN
		RAISE EXCEPTION 'seat % is a companion seat: it is sold only '
		    'together with an accessible seat', v_bad
		    USING ERRCODE = 'SL400', DETAIL = v_bad;
	END IF;
END;
$$;

-- Sells the seats p_ids (seat order, locked and checked free by the
-- caller) of p_show to p_user (NULL: a walk-up) under sale p_req: each seat
-- at price type p_types[i] of its zone (checked by sl_sale_types), or with
-- none named at its zone's default type, or at its zone's price where the
-- zone has no types, or at 0 where the seat has no zone.  Returns the new
-- booking ids.
CREATE OR REPLACE FUNCTION sl_sell_ids(p_show bigint, p_venue bigint,
    p_ids bigint[], p_user bigint, p_req bigint, p_types text[] DEFAULT NULL)
RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	v_bookings	bigint[];
BEGIN
	UPDATE show_seat SET state = 'booked', hold_id = NULL,
	    changed_at = now()
	    WHERE show_id = p_show AND seat_id = ANY (p_ids);
	IF p_types IS NULL THEN
		-- No type named (the load generator's sales, most web sales):
		-- the zone's default type, found by its unique index.  The
		-- general statement below costs such a sale about 15 %.
		WITH ins AS (
			INSERT INTO booking (show_id, seat_id, venue_id, user_id,
			    request_id, zone, price_cents, price_type)
			SELECT p_show, ss.seat_id, p_venue, p_user, p_req,
			    ss.zone, coalesce(pt.price_cents, z.price_cents, 0),
			    pt.code
			FROM show_seat ss
			LEFT JOIN price_zone z ON z.show_id = ss.show_id
			    AND z.zone = ss.zone
			LEFT JOIN price_type pt ON pt.show_id = ss.show_id
			    AND pt.zone = ss.zone AND pt.is_default
			WHERE ss.show_id = p_show AND ss.seat_id = ANY (p_ids)
			ORDER BY ss.seat_id
			RETURNING booking_id
		)
		SELECT array_agg(booking_id ORDER BY booking_id)
		    INTO v_bookings FROM ins;
		RETURN v_bookings;
	END IF;
	WITH ins AS (
		INSERT INTO booking (show_id, seat_id, venue_id, user_id,
		    request_id, zone, price_cents, price_type)
		SELECT p_show, ss.seat_id, p_venue, p_user, p_req, ss.zone,
		    coalesce(pt.price_cents, z.price_cents, 0), pt.code
		FROM unnest(p_ids, p_types) u(seat_id, code)
		JOIN show_seat ss ON ss.show_id = p_show
		    AND ss.seat_id = u.seat_id
		LEFT JOIN price_zone z ON z.show_id = ss.show_id
		    AND z.zone = ss.zone
		LEFT JOIN price_type pt ON pt.show_id = ss.show_id
		    AND pt.zone = ss.zone
		    AND (pt.code = u.code OR (u.code IS NULL AND pt.is_default))
		ORDER BY ss.seat_id
		RETURNING booking_id
	)
	SELECT array_agg(booking_id ORDER BY booking_id) INTO v_bookings
	    FROM ins;
	RETURN v_bookings;
END;
$$;

-- Claims the request key p_key for the sale of seats p_seats of p_show to
-- p_user (NULL: a walk-up): request_id is the new sale, and replay false.
-- The sale records the login (clerk), p_terminal, the login's open shift
-- and the channel p_opts->>'channel' (default 'box office').  ON CONFLICT
-- waits for a concurrent transaction with the same key, then sees its
-- outcome: a key that the same sale claimed before gives that sale and
-- replay true (the caller answers with its bookings, instead of selling
-- again); a key used for another sale is SL400.  p_n not NULL: the seats
-- are not chosen yet (best available; p_seats is '{}'), and the same sale
-- is one of p_n seats.
CREATE OR REPLACE FUNCTION sl_request_claim(p_key text, p_show bigint,
    p_user bigint, p_seats bigint[], p_n integer DEFAULT NULL,
    p_terminal text DEFAULT NULL, p_opts jsonb DEFAULT NULL,
    OUT request_id bigint, OUT replay boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_prev	booking_request;
BEGIN
	INSERT INTO booking_request (request_key, show_id, user_id, seat_ids,
	    terminal, channel, shift_id)
	    VALUES (p_key, p_show, p_user, p_seats, p_terminal,
		coalesce(p_opts ->> 'channel', 'box office'),
		(SELECT s.shift_id FROM shift s WHERE s.clerk = session_user
		    AND s.closed_at IS NULL))
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING booking_request.request_id INTO request_id;
	replay := request_id IS NULL;
	IF NOT replay THEN
		RETURN;
	END IF;
	SELECT * INTO v_prev FROM booking_request WHERE request_key = p_key;
	-- Another channel's key is never its sale's replay (sl_channel_ok).
	IF NOT sl_channel_ok(v_prev.api_role)
	    OR v_prev.show_id <> p_show OR v_prev.user_id IS DISTINCT FROM p_user
	    OR (p_n IS NULL AND v_prev.seat_ids <> p_seats)
	    OR cardinality(v_prev.seat_ids) <> p_n THEN
		PERFORM sl_key_reused(p_key, 'booking');
	END IF;
	request_id := v_prev.request_id;
END;
$$;

-- The bookings of sale p_req, in seat order: what a sale answers, and
-- what it answers again when its request key is sent again.  (PL/pgSQL,
-- unlike a SQL function, keeps the statement's plan for the session.)
CREATE OR REPLACE FUNCTION sl_request_bookings(p_req bigint)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint,
    price_type text, sale_id bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY SELECT b.booking_id, s.label, b.price_cents, b.price_type,
	    b.request_id
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.request_id = p_req
	    ORDER BY b.seat_id;
END;
$$;
