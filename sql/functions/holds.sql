-- holds.sql: holds (a terminal keeps seats for a while) and blocks (named
-- holds, a supervisor's), and selling a hold.  The locking rules of
-- booking.sql hold here too: the seats first, in seat order, then the hold
-- row.

-- Holds the seats p_labels of p_show for terminal p_terminal: all or none.
-- Without a reason it is a hold for p_seconds (1 to 86400).  With a reason
-- it is a block, which only a supervisor may make; it never expires unless
-- p_seconds is given.  Returns the hold id and its expiry (NULL: never).
-- A hold is the start of a sale: outside the show's on-sale window it is
-- refused (SL410) unless p_override, as in sl_book, and it ends at the
-- show's off-sale time at the latest (sl_hold_until).  A block is not a
-- sale (house seats are set aside before sales open): no window, no cap.
CREATE OR REPLACE FUNCTION sl_hold(p_show bigint, p_labels text[],
    p_seconds integer, p_reason text, p_terminal text,
    p_override boolean DEFAULT false)
RETURNS TABLE (hold_id bigint, expires_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_kind		text := CASE WHEN p_reason IS NULL THEN 'hold'
			    ELSE 'block' END;
BEGIN
	PERFORM sl_check_count(cardinality(p_labels), 'seat',
	    CASE v_kind WHEN 'hold' THEN 100 ELSE 5000 END, v_kind);
	PERFORM sl_hold_check(p_seconds, p_reason, p_terminal);
	IF v_kind = 'hold' THEN
		v_venue := sl_sale_venue(p_show, p_override);
	ELSE
		v_venue := sl_show_venue(p_show);
	END IF;
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);

	RETURN QUERY SELECT * FROM sl_hold_ids(p_show, v_ids, p_seconds,
	    p_reason, p_terminal, p_override);
END;
$$;

-- Refuses a hold (p_reason NULL) or block that sl_hold_ids may not make:
-- a hold without a time, a time out of range (a hold 1 to 86400 seconds,
-- a block up to a year), a bad reason, no terminal name (SL400), a block
-- by someone who is not a supervisor (SL403).
CREATE OR REPLACE FUNCTION sl_hold_check(p_seconds integer, p_reason text,
    p_terminal text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_kind		text := CASE WHEN p_reason IS NULL THEN 'hold'
			    ELSE 'block' END;
BEGIN
	IF v_kind = 'hold' AND p_seconds IS NULL THEN
		RAISE EXCEPTION 'a hold needs a time' USING ERRCODE = 'SL400';
	END IF;
	IF p_seconds IS NOT NULL AND (p_seconds < 1 OR p_seconds >
	    CASE v_kind WHEN 'hold' THEN 86400 ELSE 31622400 END) THEN
		RAISE EXCEPTION 'a % lasts 1 to % seconds', v_kind,
		    CASE v_kind WHEN 'hold' THEN 86400 ELSE 31622400 END
		    USING ERRCODE = 'SL400';
	END IF;
	PERFORM sl_check_reason(p_reason);
	PERFORM sl_check_terminal(p_terminal);
	IF v_kind = 'block' THEN
		PERFORM sl_require_supervisor('block seats');
	END IF;
END;
$$;

-- Makes the seats p_ids of p_show (seat ids, seat order) a hold of
-- terminal p_terminal (a block when p_reason is not NULL) for p_seconds
-- (NULL: a block that never expires), all or none: locks them and checks
-- they are free (sl_lock_free; a caller that locked them already loses
-- nothing), writes the hold, the seats' state, the audit row, and
-- publishes.  The caller checked the request with sl_hold_check, and the
-- on-sale window of a hold (sl_sale_venue).  A hold ends at the show's
-- off-sale time at the latest unless p_override (sl_hold_until).  Returns
-- the hold id and its expiry (NULL: never).
-- With p_holder it is a reservation (kept for p_holder, customer p_user
-- if not NULL), held like a hold.
CREATE OR REPLACE FUNCTION sl_hold_ids(p_show bigint, p_ids bigint[],
    p_seconds integer, p_reason text, p_terminal text, p_override boolean,
    p_user bigint DEFAULT NULL, p_holder text DEFAULT NULL)
RETURNS TABLE (hold_id bigint, expires_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_kind		text := CASE WHEN p_holder IS NOT NULL THEN 'reservation'
			    WHEN p_reason IS NULL THEN 'hold' ELSE 'block' END;
	v_hold		bigint;
	v_expires	timestamptz;
BEGIN
	PERFORM sl_lock_free(p_show, p_ids);

	IF v_kind <> 'block' THEN
		v_expires := sl_hold_until(p_show, p_seconds, p_override);
	ELSE
		v_expires := clock_timestamp() + make_interval(secs => p_seconds);
	END IF;
	INSERT INTO hold (show_id, kind, seat_ids, terminal, reason, expires_at,
	    user_id, holder)
	    VALUES (p_show, v_kind, p_ids, p_terminal, p_reason, v_expires,
		p_user, p_holder)
	    RETURNING hold.hold_id INTO v_hold;
	UPDATE show_seat SET state = CASE v_kind WHEN 'block' THEN 'blocked'
		ELSE 'held' END,
	    hold_id = v_hold, changed_at = now()
	    WHERE show_id = p_show AND seat_id = ANY (p_ids);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, detail)
	    VALUES (p_terminal, v_kind, p_show, p_ids,
		json_build_object('hold', v_hold, 'seconds', p_seconds,
		    'reason', p_reason, 'user', p_user, 'holder', p_holder));
	PERFORM sl_publish(p_show, CASE v_kind WHEN 'block' THEN 'blocked'
	    ELSE 'held' END, p_ids);
	RETURN QUERY SELECT v_hold, v_expires;
END;
$$;

-- A hold belongs to its maker (issue 17, finding 7): the login and the
-- terminal that made it (hold.actor, set by a trigger to the login, and
-- hold.terminal).  Anyone else is refused (SL403) when they try to p_what
-- (sell, release, change) hold p_hold, unless a supervisor.  Reservations
-- are meant to be found and sold at any terminal (sl_reservations); blocks
-- are the supervisors' (checked by the callers).  Internal.
CREATE OR REPLACE FUNCTION sl_hold_owner_check(p_hold hold,
    p_terminal text, p_what text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_hold.kind = 'hold' AND (p_hold.actor IS DISTINCT FROM session_user
	    OR p_hold.terminal IS DISTINCT FROM p_terminal)
	    AND NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'hold % is %''s at terminal %: only they or a '
		    'supervisor can % it', p_hold.hold_id, p_hold.actor,
		    p_hold.terminal, p_what USING ERRCODE = 'SL403';
	END IF;
END;
$$;

-- Adds the seats p_add to hold p_hold and takes the seats p_drop out of it,
-- all or nothing, and makes it expire p_seconds (1 to 86400) from now.
-- Only a live hold (not a block, not expired) of terminal p_terminal can
-- change.  A hold left without seats is released.  Returns the hold's
-- expiry (NULL when it was released) and its number of seats.  Adding seats
-- is refused outside the show's on-sale window (SL410) unless p_override
-- (a supervisor's explicit choice at the box office, as in sl_book), and
-- the expiry is never later than the off-sale time but with p_override.
-- SL404: no such live hold of this terminal, or a seat the venue does not
-- have; SL409: a seat to add is not free (DETAIL: the labels).
CREATE OR REPLACE FUNCTION sl_hold_change(p_hold bigint, p_add text[],
    p_drop text[], p_seconds integer, p_terminal text,
    p_override boolean DEFAULT false)
RETURNS TABLE (expires_at timestamptz, seats integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_hold		hold;
	v_venue		bigint;
	v_add		bigint[] := '{}';
	v_drop		bigint[] := '{}';
	v_new		bigint[];
	v_expires	timestamptz;
BEGIN
	IF p_seconds IS NULL OR p_seconds NOT BETWEEN 1 AND 86400 THEN
		RAISE EXCEPTION 'a hold lasts 1 to 86400 seconds'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT * INTO v_hold FROM hold h WHERE h.hold_id = p_hold;
	IF NOT FOUND OR NOT sl_channel_ok(v_hold.api_role)
	    OR v_hold.kind <> 'hold'
	    OR v_hold.terminal IS DISTINCT FROM p_terminal THEN
		RAISE EXCEPTION 'hold % not found at this terminal', p_hold
		    USING ERRCODE = 'SL404';
	END IF;
	-- Another login naming this terminal: refused (a supervisor may end
	-- another's hold, not change it from elsewhere).
	PERFORM sl_hold_owner_check(v_hold, p_terminal, 'change');
	IF cardinality(p_add) > 0 THEN
		v_venue := sl_sale_venue(v_hold.show_id, p_override);
		v_add := sl_seat_ids(v_venue, v_hold.show_id, p_add);
	ELSE
		v_venue := sl_show_venue(v_hold.show_id);
	END IF;
	IF cardinality(p_drop) > 0 THEN
		v_drop := sl_seat_ids(v_venue, v_hold.show_id, p_drop);
	END IF;
	-- The seats first, in seat order, then the hold row: the order of
	-- every function that ends or sells a hold (0003).
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = v_hold.show_id
	    AND (ss.seat_id = ANY (v_add) OR ss.hold_id = p_hold)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	SELECT * INTO v_hold FROM hold h
	    WHERE h.show_id = v_hold.show_id AND h.hold_id = p_hold
	    FOR UPDATE;
	IF v_hold.status <> 'active'
	    OR v_hold.expires_at <= clock_timestamp() THEN
		RAISE EXCEPTION 'hold % is no longer active', p_hold
		    USING ERRCODE = 'SL404';
	END IF;
	-- Seats already in the hold are not added again.
	SELECT coalesce(array_agg(a ORDER BY a), '{}') INTO v_add
	    FROM unnest(v_add) a WHERE a <> ALL (v_hold.seat_ids);
	PERFORM sl_check_free(v_hold.show_id, v_add);
	SELECT coalesce(array_agg(d ORDER BY d), '{}') INTO v_drop
	    FROM unnest(v_drop) d WHERE d = ANY (v_hold.seat_ids)
	    AND d <> ALL (v_add);
	SELECT coalesce(array_agg(s ORDER BY s), '{}') INTO v_new
	    FROM (SELECT unnest(v_hold.seat_ids) s
		UNION SELECT unnest(v_add)) u
	    WHERE s <> ALL (v_drop);

	IF cardinality(v_drop) > 0 THEN
		UPDATE show_seat SET state = 'available', hold_id = NULL,
		    changed_at = now()
		    WHERE show_id = v_hold.show_id AND seat_id = ANY (v_drop)
		    AND hold_id = p_hold;
	END IF;
	IF cardinality(v_add) > 0 THEN
		UPDATE show_seat SET state = 'held', hold_id = p_hold,
		    changed_at = now()
		    WHERE show_id = v_hold.show_id AND seat_id = ANY (v_add);
	END IF;
	IF cardinality(v_new) = 0 THEN
		-- seat_ids must not be empty: the hold keeps its last seats
		-- on record and ends.
		UPDATE hold h SET status = 'released',
		    ended_at = clock_timestamp()
		    WHERE h.show_id = v_hold.show_id AND h.hold_id = p_hold;
	ELSE
		v_expires := sl_hold_until(v_hold.show_id, p_seconds,
		    p_override);
		UPDATE hold h SET seat_ids = v_new, expires_at = v_expires
		    WHERE h.show_id = v_hold.show_id AND h.hold_id = p_hold;
	END IF;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, detail)
	    VALUES (p_terminal, CASE WHEN cardinality(v_new) = 0
		THEN 'release' ELSE 'hold change' END, v_hold.show_id,
		v_new, json_build_object('hold', p_hold, 'added', v_add,
		    'dropped', v_drop, 'seconds', p_seconds));
	IF cardinality(v_add) > 0 THEN
		PERFORM sl_publish(v_hold.show_id, 'held', v_add);
	END IF;
	IF cardinality(v_drop) > 0 THEN
		PERFORM sl_publish(v_hold.show_id, 'released', v_drop);
	END IF;
	RETURN QUERY SELECT v_expires, cardinality(v_new);
END;
$$;

-- Ends a hold: its seats become available.  A block needs a supervisor.
-- Returns the show, the number of seats freed and the outcome: 'released',
-- or 'expired' when the hold had run out already (its seats are freed all
-- the same).  SL404 when the hold does not exist or has ended.
CREATE OR REPLACE FUNCTION sl_release(p_hold bigint,
    p_terminal text DEFAULT NULL)
RETURNS TABLE (show_id bigint, seats integer, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_hold		hold;
	v_ids		bigint[];
	v_outcome	text;
BEGIN
	-- Another channel's hold is not found (sl_channel_ok).
	SELECT * INTO v_hold FROM hold h WHERE h.hold_id = p_hold;
	IF NOT FOUND OR NOT sl_channel_ok(v_hold.api_role) THEN
		RAISE EXCEPTION 'hold % not found', p_hold USING ERRCODE = 'SL404';
	END IF;
	IF v_hold.kind = 'block' AND NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'hold % is a block (%): only a supervisor can '
		    'release it', p_hold, v_hold.reason USING ERRCODE = 'SL403';
	END IF;
	-- The seats first, in seat order, then the hold row: the order every
	-- function that ends a hold follows.
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = v_hold.show_id AND ss.hold_id = p_hold
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	SELECT * INTO v_hold FROM hold h
	    WHERE h.show_id = v_hold.show_id AND h.hold_id = p_hold
	    FOR UPDATE;
	IF v_hold.status <> 'active' THEN
		RAISE EXCEPTION 'hold % is no longer active (%)', p_hold,
		    v_hold.status USING ERRCODE = 'SL404';
	END IF;
	v_outcome := CASE WHEN v_hold.expires_at <= clock_timestamp()
	    THEN 'expired' ELSE 'released' END;
	-- An expired hold keeps nothing: anyone may tidy it up.
	IF v_outcome = 'released' THEN
		PERFORM sl_hold_owner_check(v_hold, p_terminal, 'release');
	END IF;
	WITH f AS (
		UPDATE show_seat ss SET state = 'available', hold_id = NULL,
		    changed_at = now()
		WHERE ss.show_id = v_hold.show_id AND ss.hold_id = p_hold
		RETURNING ss.seat_id
	)
	SELECT coalesce(array_agg(seat_id ORDER BY seat_id), '{}') INTO v_ids
	    FROM f;
	UPDATE hold h SET status = v_outcome, ended_at = clock_timestamp()
	    WHERE h.show_id = v_hold.show_id AND h.hold_id = p_hold;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, detail)
	    VALUES (p_terminal, CASE v_outcome WHEN 'expired' THEN 'expire'
		ELSE 'release' END, v_hold.show_id, v_ids,
		json_build_object('hold', p_hold, 'kind', v_hold.kind));
	IF cardinality(v_ids) > 0 THEN
		PERFORM sl_publish(v_hold.show_id, v_outcome, v_ids);
	END IF;
	RETURN QUERY SELECT v_hold.show_id, cardinality(v_ids), v_outcome;
END;
$$;

-- Ends the holds whose time has run out (of one show, or of all when
-- p_show is NULL): frees their seats, marks them expired, notifies.  Never
-- waits: holds and seats that another transaction has locked are left for
-- the next sweep.  Returns the number of holds expired.
CREATE OR REPLACE FUNCTION sl_hold_sweep(p_show bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_h	record;
	v_ids	bigint[];
	v_n	integer := 0;
BEGIN
	FOR v_h IN SELECT h.show_id, h.hold_id, h.kind FROM hold h
	    WHERE h.status = 'active' AND h.expires_at <= clock_timestamp()
	    AND (p_show IS NULL OR h.show_id = p_show)
	    ORDER BY h.show_id, h.hold_id
	    FOR UPDATE SKIP LOCKED
	LOOP
		WITH l AS (
			SELECT ss.seat_id FROM show_seat ss
			WHERE ss.show_id = v_h.show_id
			AND ss.hold_id = v_h.hold_id
			ORDER BY ss.seat_id
			FOR UPDATE SKIP LOCKED
		), f AS (
			UPDATE show_seat ss SET state = 'available',
			    hold_id = NULL, changed_at = now()
			FROM l
			WHERE ss.show_id = v_h.show_id
			AND ss.seat_id = l.seat_id
			AND ss.hold_id = v_h.hold_id
			RETURNING ss.seat_id
		)
		SELECT coalesce(array_agg(seat_id ORDER BY seat_id), '{}')
		    INTO v_ids FROM f;
		-- A seat still pointing here is being sold right now (an
		-- expired hold is free): the next sweep ends the hold.
		PERFORM 1 FROM show_seat ss WHERE ss.show_id = v_h.show_id
		    AND ss.hold_id = v_h.hold_id;
		IF NOT FOUND THEN
			UPDATE hold h SET status = 'expired',
			    ended_at = clock_timestamp()
			    WHERE h.show_id = v_h.show_id
			    AND h.hold_id = v_h.hold_id;
			v_n := v_n + 1;
		END IF;
		IF cardinality(v_ids) > 0 THEN
			INSERT INTO audit_log (action, show_id, seat_ids, detail)
			    VALUES ('expire', v_h.show_id, v_ids,
				json_build_object('hold', v_h.hold_id,
				    'kind', v_h.kind));
			PERFORM sl_publish(v_h.show_id, 'expired', v_ids);
		END IF;
	END LOOP;
	RETURN v_n;
END;
$$;

-- Turns hold p_hold of p_show into bookings for p_user (NULL: the
-- reservation's customer, or a walk-up), atomically: every seat of the
-- hold or none.  The hold must be active and not expired; a block can be
-- sold only by a supervisor.  p_key, the on-sale window, p_override and
-- p_opts as in sl_book ("types" in the hold's seat order).
CREATE OR REPLACE FUNCTION sl_book_hold(p_show bigint, p_hold bigint,
    p_user bigint, p_key text, p_terminal text DEFAULT NULL,
    p_override boolean DEFAULT false, p_opts jsonb DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint,
    price_type text, sale_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_hold		hold;
	v_req		bigint;
	v_replay	boolean;
	v_live		integer;
	v_bookings	bigint[];
	v_types		text[];
BEGIN
	v_venue := sl_sale_venue(p_show, p_override);
	PERFORM sl_check_request(p_key, p_user);
	SELECT * INTO v_hold FROM hold h
	    WHERE h.show_id = p_show AND h.hold_id = p_hold;
	IF NOT FOUND OR NOT sl_channel_ok(v_hold.api_role) THEN
		RAISE EXCEPTION 'hold % not found in show %', p_hold, p_show
		    USING ERRCODE = 'SL404';
	END IF;
	p_user := coalesce(p_user, v_hold.user_id);
	v_types := sl_sale_type_list(v_venue, v_hold.seat_ids, NULL, p_opts);
	PERFORM sl_sale_types(p_show, v_hold.seat_ids, v_types);

	SELECT * INTO v_req, v_replay
	    FROM sl_request_claim(p_key, p_show, p_user, v_hold.seat_ids, NULL,
		p_terminal, p_opts);
	IF v_replay THEN
		RETURN QUERY SELECT * FROM sl_request_bookings(v_req);
		RETURN;
	END IF;

	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_hold.seat_ids)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	SELECT * INTO v_hold FROM hold h
	    WHERE h.show_id = p_show AND h.hold_id = p_hold
	    FOR UPDATE;
	IF v_hold.status <> 'active' THEN
		RAISE EXCEPTION 'hold % is no longer active (%)', p_hold,
		    v_hold.status USING ERRCODE = 'SL404';
	END IF;
	IF v_hold.expires_at <= clock_timestamp() THEN
		RAISE EXCEPTION 'hold % is no longer active (expired at %)',
		    p_hold, v_hold.expires_at USING ERRCODE = 'SL404';
	END IF;
	IF v_hold.kind = 'block' AND NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'hold % is a block (%): only a supervisor can '
		    'sell it', p_hold, v_hold.reason USING ERRCODE = 'SL403';
	END IF;
	PERFORM sl_hold_owner_check(v_hold, p_terminal, 'sell');
	SELECT count(*) INTO v_live FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.hold_id = p_hold;
	IF v_live <> cardinality(v_hold.seat_ids) THEN
		RAISE EXCEPTION 'hold % has lost some of its seats', p_hold
		    USING ERRCODE = 'SL409';
	END IF;
	PERFORM sl_companion_check(p_show, v_hold.seat_ids, p_user);

	v_bookings := sl_sell_ids(p_show, v_venue, v_hold.seat_ids, p_user,
	    v_req, v_types);
	PERFORM sl_sale_finish(v_req, p_opts, p_terminal);
	UPDATE hold h SET status = 'booked', ended_at = clock_timestamp()
	    WHERE h.show_id = p_show AND h.hold_id = p_hold;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book hold', p_show, v_hold.seat_ids,
		v_bookings, json_build_object('user', p_user, 'hold', p_hold,
		    'request_key', p_key));
	PERFORM sl_publish(p_show, 'booked', v_hold.seat_ids);
	RETURN QUERY SELECT * FROM sl_request_bookings(v_req);
END;
$$;

-- A reservation (a phone booking): holds the seats p_labels of p_show for
-- p_holder (NULL: the name of customer p_user) until p_until, all or none,
-- found by name or number from any terminal (sl_reservations) and sold
-- like any hold (sl_book_hold, which takes the reservation's customer).  A
-- reservation is the start of a sale: the on-sale window and p_override as
-- in sl_hold; it ends at the off-sale time at the latest.  Returns the hold
-- id and its expiry.
CREATE OR REPLACE FUNCTION sl_reserve(p_show bigint, p_labels text[],
    p_user bigint, p_holder text, p_until timestamptz, p_terminal text,
    p_override boolean DEFAULT false)
RETURNS TABLE (hold_id bigint, expires_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_secs		double precision;
BEGIN
	PERFORM sl_check_count(cardinality(p_labels), 'seat', 100,
	    'reservation');
	IF p_user IS NOT NULL THEN
		SELECT coalesce(p_holder, u.name) INTO p_holder FROM app_user u
		    WHERE u.user_id = p_user AND sl_channel_ok(u.api_role);
		IF NOT FOUND THEN
			RAISE EXCEPTION 'user % not found', p_user
			    USING ERRCODE = 'SL404';
		END IF;
	END IF;
	IF p_holder IS NULL OR length(p_holder) NOT BETWEEN 1 AND 200
	    OR p_holder ~ '[\x01-\x1f\x7f]' THEN
		RAISE EXCEPTION 'a reservation needs a name (1 to 200 '
		    'characters) or a customer' USING ERRCODE = 'SL400';
	END IF;
	v_secs := extract(epoch FROM p_until - clock_timestamp());
	IF p_until IS NULL OR v_secs < 60 OR v_secs > 31622400 THEN
		RAISE EXCEPTION 'a reservation lasts from a minute to a year'
		    USING ERRCODE = 'SL400';
	END IF;
	PERFORM sl_check_terminal(p_terminal);
	v_venue := sl_sale_venue(p_show, p_override);
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);
	RETURN QUERY SELECT * FROM sl_hold_ids(p_show, v_ids, ceil(v_secs)::int,
	    NULL, p_terminal, p_override, p_user, p_holder);
END;
$$;

-- The active reservations (not expired) whose holder or customer name
-- contains p_query (any case), or whose number is p_query; all of them for
-- NULL.  At most 200, soonest show first.  A plain hold (`seatlock hold`, a
-- box office's selection) is found by its number alone, its holder then
-- "hold at TERMINAL", so a longer hold made on the command line can be sold
-- from the box office.  The seats in the hold's own order (the order of
-- sl_book_hold's "types").
CREATE OR REPLACE FUNCTION sl_reservations(p_query text)
RETURNS TABLE (hold_id bigint, show_id bigint, title text,
    starts_at timestamptz, holder text, user_id bigint, seats text,
    expires_at timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT h.hold_id, h.show_id, sh.title, sh.starts_at,
	    coalesce(h.holder, 'hold at ' || h.terminal),
	    h.user_id, (SELECT string_agg(s.label, ' ' ORDER BY u.n)
		FROM unnest(h.seat_ids) WITH ORDINALITY u(id, n)
		JOIN seat s ON s.seat_id = u.id),
	    h.expires_at
	FROM hold h JOIN show sh ON sh.show_id = h.show_id
	WHERE h.status = 'active' AND h.expires_at > clock_timestamp()
	    AND sl_channel_ok(h.api_role)
	    AND ((h.kind = 'reservation' AND (p_query IS NULL
		OR h.hold_id::text = p_query
		OR strpos(lower(h.holder), lower(p_query)) > 0))
	    OR (h.kind = 'hold' AND h.hold_id::text = p_query))
	ORDER BY sh.starts_at, h.hold_id
	LIMIT 200;
$$;
