-- best.sql: best available, the p_n best adjacent free seats.

-- Candidate blocks of p_n adjacent free seats of p_show in zone p_zone
-- ('' = the seats in no zone), best first, at most p_limit.  Adjacent: same
-- section, row and map line, consecutive map columns (an aisle is a gap).
-- Accessible and companion seats are sold on purpose, never picked.  Order:
-- blocks that leave no single empty seat beside them in their run of free
-- seats, then fewer restricted-view seats, then closest to the stage
-- (lowest map y), then closest to the centre of the row (over all its
-- seats, sold or not).  A snapshot, not a promise: sl_book_best locks and
-- checks each candidate.  Its own work_mem: a stadium zone's sort stays in
-- memory.
CREATE OR REPLACE FUNCTION sl_best_candidates(p_show bigint, p_venue bigint,
    p_n integer, p_zone text, p_limit integer)
RETURNS TABLE (seat_ids bigint[])
LANGUAGE sql VOLATILE
SET work_mem = '64MB'
AS $$
	WITH free AS (
		-- Serves: show_seat_zone_free_idx, and show_seat_hold_idx for
		-- the seats of expired holds.
		SELECT s.seat_id, s.section, s.row_label, s.map_y, s.map_x,
		    s.restricted_view
		FROM show_seat ss
		JOIN seat s ON s.seat_id = ss.seat_id
		LEFT JOIN hold h ON h.show_id = ss.show_id
		    AND h.hold_id = ss.hold_id
		WHERE ss.show_id = p_show AND coalesce(ss.zone, '') = p_zone
		AND (ss.state = 'available' OR (ss.hold_id IS NOT NULL
		    AND h.expires_at <= clock_timestamp()))
		AND NOT s.accessible AND NOT s.companion
	), island AS (
		-- consecutive columns share map_x - rank: one island each
		SELECT f.*, f.map_x - row_number() OVER (PARTITION BY
		    f.section, f.row_label, f.map_y ORDER BY f.map_x) AS grp
		FROM free f
	), run AS (
		-- rv[k + 1]: restricted-view seats among the run's first k, so
		-- a block's count is a difference, not a scan
		SELECT c.section, c.row_label, c.map_y, min(c.map_x) AS x0,
		    count(*)::integer AS len,
		    array_agg(c.seat_id ORDER BY c.map_x) AS ids,
		    '{0}'::integer[] || array_agg(c.rcum ORDER BY c.map_x) AS rv
		FROM (SELECT i.*, sum(i.restricted_view::integer) OVER (
			PARTITION BY i.section, i.row_label, i.map_y, i.grp
			ORDER BY i.map_x)::integer AS rcum
		    FROM island i) c
		GROUP BY c.section, c.row_label, c.map_y, c.grp
		HAVING count(*) >= p_n
	)
	SELECT r.ids[o + 1 : o + p_n]
	FROM run r
	-- twice the middle column of the row; serves: seat_venue_pos_key
	CROSS JOIN LATERAL (SELECT min(s.map_x) + max(s.map_x) AS c2
	    FROM seat s WHERE s.venue_id = p_venue AND s.map_y = r.map_y
	    AND s.section = r.section AND s.row_label = r.row_label) c
	CROSS JOIN LATERAL generate_series(0, r.len - p_n) o
	ORDER BY (o = 1 OR r.len - p_n - o = 1),
	    r.rv[o + p_n + 1] - r.rv[o + 1],
	    r.map_y,
	    abs(2 * (r.x0 + o) + p_n - 1 - c.c2),
	    r.x0 + o
	LIMIT p_limit;
$$;

-- Books the p_n best adjacent free seats of p_show for p_user: in zone
-- p_zone if not NULL, else in the best zone (lowest rank, the seats in no
-- zone last) that has p_n together, chosen and locked by sl_best_lock (the
-- same seats sl_hold_best would hold).  SL409 when no block of p_n seats is
-- free.  The on-sale window, p_override and p_opts as in sl_book ("types"
-- in the order of the seats chosen).
CREATE OR REPLACE FUNCTION sl_book_best(p_show bigint, p_n integer,
    p_user bigint, p_zone text, p_key text, p_terminal text DEFAULT NULL,
    p_override boolean DEFAULT false, p_opts jsonb DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint,
    price_type text, sale_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_req		bigint;
	v_replay	boolean;
	v_ids		bigint[];
	v_types		text[];
	v_bookings	bigint[];
BEGIN
	IF p_n IS NULL OR p_n < 1 OR p_n > 50 THEN
		RAISE EXCEPTION 'best available books 1 to 50 seats'
		    USING ERRCODE = 'SL400';
	END IF;
	v_venue := sl_sale_venue(p_show, p_override);
	PERFORM sl_check_request(p_key, p_user);
	PERFORM sl_best_check(p_show, p_n, p_zone);

	-- The seats are not known yet: the request row records them below.
	SELECT * INTO v_req, v_replay
	    FROM sl_request_claim(p_key, p_show, p_user, '{}', p_n, p_terminal,
		p_opts);
	IF v_replay THEN
		RETURN QUERY SELECT * FROM sl_request_bookings(v_req);
		RETURN;
	END IF;

	v_ids := sl_best_lock(p_show, v_venue, p_n, p_zone);
	-- Companion seats are never picked: no companion check.

	v_types := sl_sale_type_list(v_venue, v_ids, NULL, p_opts);
	PERFORM sl_sale_types(p_show, v_ids, v_types);
	UPDATE booking_request SET seat_ids = v_ids WHERE request_id = v_req;
	v_bookings := sl_sell_ids(p_show, v_venue, v_ids, p_user, v_req,
	    v_types);
	PERFORM sl_sale_finish(v_req, p_opts, p_terminal);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book best', p_show, v_ids, v_bookings,
		json_build_object('user', p_user, 'zone', p_zone,
		    'request_key', p_key));
	PERFORM sl_publish(p_show, 'booked', v_ids);
	RETURN QUERY SELECT * FROM sl_request_bookings(v_req);
END;
$$;

-- The p_n best adjacent free seats of p_show (venue p_venue), locked FOR
-- UPDATE until the end of the caller's transaction: in zone p_zone if not
-- NULL, else in the best zone (lowest rank, the seats in no zone last)
-- that has p_n together.  The one search-and-lock of best available, for
-- selling (sl_book_best) and holding (sl_hold_best).  Concurrent calls do
-- not queue behind each other: each candidate block is locked with SKIP
-- LOCKED inside a subtransaction, then checked in a later statement; a
-- block that is partly locked or no longer free is let go (the
-- subtransaction's rollback releases its locks) and the next one tried.
-- Returns the seat ids in seat order; SL409 when no block of p_n seats is
-- free.  The caller checks p_n and p_zone first (sl_best_check).
CREATE OR REPLACE FUNCTION sl_best_lock(p_show bigint, p_venue bigint,
    p_n integer, p_zone text)
RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	v_zone		text;
	v_cand		record;
	v_ids		bigint[];
	v_got		integer;
	v_round		integer;
	v_seen		integer;
BEGIN
	<<zones>>
	FOR v_zone IN
		SELECT z.zone FROM (
			SELECT pz.zone, pz.rank FROM price_zone pz
			WHERE pz.show_id = p_show
			UNION ALL
			SELECT '', NULL) z
		WHERE p_zone IS NULL OR z.zone = p_zone
		ORDER BY z.rank NULLS LAST, z.zone
	LOOP
		-- Each round reads a fresh snapshot of the free seats; a later
		-- round sees the sales that the earlier one lost to.
		FOR v_round IN 1 .. 8 LOOP
			v_seen := 0;
			FOR v_cand IN SELECT * FROM sl_best_candidates(p_show,
			    p_venue, p_n, v_zone, 32 * v_round) LOOP
				v_seen := v_seen + 1;
				BEGIN
					SELECT count(*) INTO v_got FROM (
						SELECT 1 FROM show_seat ss
						WHERE ss.show_id = p_show
						AND ss.seat_id =
						    ANY (v_cand.seat_ids)
						ORDER BY ss.seat_id
						FOR UPDATE SKIP LOCKED) l;
					IF v_got <> p_n OR sl_unfree_labels(p_show,
					    v_cand.seat_ids) IS NOT NULL THEN
						RAISE EXCEPTION USING
						    ERRCODE = 'SL499';
					END IF;
					v_ids := v_cand.seat_ids;
				EXCEPTION WHEN SQLSTATE 'SL499' THEN
					NULL;	-- let go, try the next
				END;
				EXIT zones WHEN v_ids IS NOT NULL;
			END LOOP;
			-- No block at all: the next zone.
			EXIT WHEN v_seen = 0;
			-- Everything seen is being sold by others right now.
			PERFORM pg_sleep(0.005 * v_round * random());
		END LOOP;
	END LOOP;
	IF v_ids IS NULL THEN
		RAISE EXCEPTION 'no % adjacent seats free%', p_n,
		    CASE WHEN p_zone IS NULL THEN ''
		    ELSE ' in zone ' || p_zone END
		    USING ERRCODE = 'SL409';
	END IF;
	RETURN v_ids;
END;
$$;

-- Refuses a best-available request that cannot be met: p_n not 1 to 50
-- (SL400), or a zone p_zone (not NULL) that show p_show does not have
-- (SL404).
CREATE OR REPLACE FUNCTION sl_best_check(p_show bigint, p_n integer,
    p_zone text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_n IS NULL OR p_n < 1 OR p_n > 50 THEN
		RAISE EXCEPTION 'best available books 1 to 50 seats'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_zone IS NOT NULL THEN
		PERFORM 1 FROM price_zone z
		    WHERE z.show_id = p_show AND z.zone = p_zone;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'show % has no zone %', p_show, p_zone
			    USING ERRCODE = 'SL404';
		END IF;
	END IF;
END;
$$;

-- Holds the p_n best adjacent free seats of p_show for terminal
-- p_terminal for p_seconds (1 to 86400): the same seats sl_book_best would
-- book (sl_best_lock), made a hold as sl_hold makes one (sl_hold_check,
-- sl_hold_ids: expiry, audit, publish).  No lock outlives the call: the
-- hold keeps the seats while the clerk decides.  Returns one row per
-- seat, in seat order.  SL409 when no block of p_n seats is free; SL410
-- outside the show's on-sale window, and the hold ends at off-sale, unless
-- p_override (a supervisor's explicit choice, as in sl_book).
CREATE OR REPLACE FUNCTION sl_hold_best(p_show bigint, p_n integer,
    p_zone text, p_seconds integer, p_terminal text,
    p_override boolean DEFAULT false)
RETURNS TABLE (hold_id bigint, expires_at timestamptz, seat_label text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_hold		record;
BEGIN
	PERFORM sl_hold_check(p_seconds, NULL, p_terminal);
	v_venue := sl_sale_venue(p_show, p_override);
	PERFORM sl_best_check(p_show, p_n, p_zone);
	v_ids := sl_best_lock(p_show, v_venue, p_n, p_zone);
	SELECT * INTO v_hold
	    FROM sl_hold_ids(p_show, v_ids, p_seconds, NULL, p_terminal,
		p_override);
	RETURN QUERY SELECT v_hold.hold_id, v_hold.expires_at, s.label
	    FROM seat s WHERE s.seat_id = ANY (v_ids) ORDER BY s.seat_id;
END;
$$;
