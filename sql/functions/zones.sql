-- zones.sql: price zones of a show (supervisors only).

-- Defines (or changes) zone p_zone of p_show; p_rank NULL keeps the rank
-- or, for a new zone, puts it after the others.  Seats whose layout zone
-- is p_zone and that have no zone in this show yet join it.  Returns the
-- number of seats that joined.
CREATE OR REPLACE FUNCTION sl_zone_set(p_show bigint, p_zone text, p_name text,
    p_price bigint, p_rank integer, p_terminal text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	PERFORM sl_require_supervisor('set prices');
	PERFORM sl_show_venue(p_show);
	INSERT INTO price_zone (show_id, zone, name, price_cents, rank)
	    VALUES (p_show, p_zone, coalesce(p_name, p_zone), p_price,
		coalesce(p_rank, (SELECT coalesce(max(rank), 0) + 1
		    FROM price_zone WHERE show_id = p_show)))
	    ON CONFLICT (show_id, zone) DO UPDATE
	    SET name = coalesce(p_name, price_zone.name),
		price_cents = EXCLUDED.price_cents,
		rank = coalesce(p_rank, price_zone.rank);
	PERFORM 1 FROM show_seat ss JOIN seat s ON s.seat_id = ss.seat_id
	    WHERE ss.show_id = p_show AND ss.zone IS NULL AND s.zone = p_zone
	    ORDER BY ss.seat_id
	    FOR UPDATE OF ss;
	UPDATE show_seat ss SET zone = p_zone
	    FROM seat s
	    WHERE s.seat_id = ss.seat_id AND ss.show_id = p_show
	    AND ss.zone IS NULL AND s.zone = p_zone;
	GET DIAGNOSTICS v_n = ROW_COUNT;
	INSERT INTO audit_log (terminal, action, show_id, detail)
	    VALUES (p_terminal, 'zone set', p_show,
		json_build_object('zone', p_zone, 'name', p_name,
		    'price_cents', p_price, 'rank', p_rank, 'seats', v_n));
	-- No seat list: listeners reload (prices are on every seat).
	PERFORM sl_publish(p_show, 'zone', NULL);
	RETURN v_n;
END;
$$;

-- Puts seats of p_show into zone p_zone: those named in p_labels, or all
-- seats of section p_section (and row p_row if not NULL).  Booked seats
-- keep the price they were sold at.  Returns the number of seats.
CREATE OR REPLACE FUNCTION sl_zone_assign(p_show bigint, p_zone text,
    p_section text, p_row text, p_labels text[], p_terminal text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_venue	bigint;
	v_ids	bigint[];
	v_n	integer;
BEGIN
	PERFORM sl_require_supervisor('change zones');
	v_venue := sl_show_venue(p_show);
	PERFORM 1 FROM price_zone z WHERE z.show_id = p_show AND z.zone = p_zone;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'show % has no zone %', p_show, p_zone
		    USING ERRCODE = 'SL404';
	END IF;
	IF p_labels IS NOT NULL AND cardinality(p_labels) > 0 THEN
		IF p_section IS NOT NULL OR p_row IS NOT NULL THEN
			RAISE EXCEPTION 'name seats or a section, not both'
			    USING ERRCODE = 'SL400';
		END IF;
		v_ids := sl_seat_ids(v_venue, p_show, p_labels);
	ELSIF p_section IS NOT NULL THEN
		SELECT array_agg(s.seat_id ORDER BY s.seat_id) INTO v_ids
		    FROM seat s WHERE s.venue_id = v_venue
		    AND s.section = p_section
		    AND (p_row IS NULL OR s.row_label = p_row);
		IF v_ids IS NULL THEN
			RAISE EXCEPTION 'no seats in section "%"%', p_section,
			    CASE WHEN p_row IS NULL THEN ''
			    ELSE ' row ' || p_row END
			    USING ERRCODE = 'SL404';
		END IF;
	ELSE
		RAISE EXCEPTION 'name seats or a section' USING ERRCODE = 'SL400';
	END IF;
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	UPDATE show_seat ss SET zone = p_zone
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids);
	GET DIAGNOSTICS v_n = ROW_COUNT;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, detail)
	    VALUES (p_terminal, 'zone assign', p_show, v_ids,
		json_build_object('zone', p_zone));
	PERFORM sl_publish(p_show, 'zone', v_ids);
	RETURN v_n;
END;
$$;
