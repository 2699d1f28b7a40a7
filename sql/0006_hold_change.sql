-- 0006: a box office's hold follows the clerk's selection (issue 4, TUI).
-- Selecting a seat adds it to the terminal's hold, unselecting takes it out,
-- and every change starts the hold's time again; the selection stays one
-- hold, so a sale books it atomically with sl_book_hold.  Releasing the
-- old hold and holding the new set instead would free the seats for a
-- moment, in which another terminal could take them.

-- Adds the seats p_add to hold p_hold and takes the seats p_drop out of it,
-- all or nothing, and makes it expire p_seconds (1 to 86400) from now.
-- Only a live hold (not a block, not expired) of terminal p_terminal can
-- change.  A hold left without seats is released.  Returns the hold's
-- expiry (NULL when it was released) and its number of seats.
-- SL404: no such live hold of this terminal, or a seat the venue does not
-- have; SL409: a seat to add is not free (DETAIL: the labels).
CREATE FUNCTION sl_hold_change(p_hold bigint, p_add text[], p_drop text[],
    p_seconds integer, p_terminal text)
RETURNS TABLE (expires_at timestamptz, seats integer)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_hold		hold;
	v_venue		bigint;
	v_add		bigint[] := '{}';
	v_drop		bigint[] := '{}';
	v_new		bigint[];
	v_bad		text;
	v_expires	timestamptz;
BEGIN
	IF p_seconds IS NULL OR p_seconds NOT BETWEEN 1 AND 86400 THEN
		RAISE EXCEPTION 'a hold lasts 1 to 86400 seconds'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT * INTO v_hold FROM hold h WHERE h.hold_id = p_hold;
	IF NOT FOUND OR v_hold.kind <> 'hold'
	    OR v_hold.terminal IS DISTINCT FROM p_terminal THEN
		RAISE EXCEPTION 'hold % not found at this terminal', p_hold
		    USING ERRCODE = 'SL404';
	END IF;
	v_venue := sl_show_venue(v_hold.show_id);
	IF cardinality(p_add) > 0 THEN
		v_add := sl_seat_ids(v_venue, v_hold.show_id, p_add);
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
	v_bad := sl_unfree_labels(v_hold.show_id, v_add);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;
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
		v_expires := clock_timestamp() + make_interval(secs => p_seconds);
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
