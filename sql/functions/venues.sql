-- venues.sql: venues and shows (supervisors only).

-- Imports a venue and its seats in one transaction (sl_venue_import): the
-- arrays are the seats' columns, one element per seat.  Returns the new
-- venue's id, or NULL when a venue of that name exists (nothing changed).
CREATE OR REPLACE FUNCTION sl_venue_create(p_name text, p_labels text[],
    p_sections text[], p_rows text[], p_numbers integer[], p_x integer[],
    p_y integer[], p_accessible boolean[], p_companion boolean[],
    p_restricted boolean[], p_zones text[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	PERFORM sl_require_supervisor('import venues');
	INSERT INTO venue (name) VALUES (p_name)
	    ON CONFLICT (name) DO NOTHING
	    RETURNING venue_id INTO v_id;
	IF v_id IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO seat (venue_id, label, section, row_label, number,
	    map_x, map_y, accessible, companion, restricted_view, zone)
	    SELECT v_id, * FROM unnest(p_labels, p_sections, p_rows,
		p_numbers, p_x, p_y, p_accessible, p_companion, p_restricted,
		p_zones);
	INSERT INTO audit_log (action, detail)
	    VALUES ('venue import', json_build_object('venue', v_id,
		'name', p_name, 'seats', cardinality(p_labels)));
	RETURN v_id;
END;
$$;

-- Adds a show of a venue with one inventory row per seat.
CREATE OR REPLACE FUNCTION sl_show_add(p_venue bigint, p_title text,
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

-- Sets the on-sale window of show p_show (supervisors only: SL403).  p_on
-- and p_off are times as sl_show_add takes them; NULL keeps what is set, ''
-- clears it (no on-sale time: on sale already; no off-sale time: on sale
-- for good).  The off-sale time must be after the on-sale time (SL400).
-- Live holds of the show that would outlast the off-sale time end at it
-- (holds end at off-sale; blocks are not sales and keep their expiry).
-- The hold rows are locked before the show row: a sale locks its seats,
-- then its hold, then (publishing) the show, so this order never deadlocks
-- with one.  Returns the window as set, ISO 8601 (NULL: none).
CREATE OR REPLACE FUNCTION sl_show_set_window(p_show bigint, p_on text,
    p_off text, p_terminal text DEFAULT NULL)
RETURNS TABLE (on_sale text, off_sale text)
LANGUAGE plpgsql AS $$
DECLARE
	v_on	timestamptz;
	v_off	timestamptz;
	v_holds	integer;
BEGIN
	PERFORM sl_require_supervisor('set when a show is on sale');
	SELECT sh.on_sale_at, sh.off_sale_at INTO v_on, v_off
	    FROM show sh WHERE sh.show_id = p_show;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'show % not found', p_show USING ERRCODE = 'SL404';
	END IF;
	IF p_on IS NOT NULL THEN
		v_on := nullif(p_on, '')::timestamptz;
	END IF;
	IF p_off IS NOT NULL THEN
		v_off := nullif(p_off, '')::timestamptz;
	END IF;
	IF v_off <= v_on THEN
		RAISE EXCEPTION 'the off-sale time (%) must be after the on-sale '
		    'time (%)', sl_sale_time(v_off), sl_sale_time(v_on)
		    USING ERRCODE = 'SL400';
	END IF;
	UPDATE hold h SET expires_at = v_off
	    WHERE h.show_id = p_show AND h.kind = 'hold'
	    AND h.status = 'active' AND h.expires_at > v_off;
	GET DIAGNOSTICS v_holds = ROW_COUNT;
	UPDATE show sh SET on_sale_at = v_on, off_sale_at = v_off
	    WHERE sh.show_id = p_show;
	INSERT INTO audit_log (terminal, action, show_id, detail)
	    VALUES (p_terminal, 'show set', p_show,
		json_build_object('on_sale', v_on, 'off_sale', v_off,
		    'holds_cut', v_holds));
	IF v_holds > 0 THEN
		-- No seat list: listeners reload (the holds' expiries changed).
		PERFORM sl_publish(p_show, 'held', NULL);
	END IF;
	RETURN QUERY SELECT to_json(v_on) #>> '{}', to_json(v_off) #>> '{}';
END;
$$;
