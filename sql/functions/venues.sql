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
	IF NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can import venues'
		    USING ERRCODE = 'SL403';
	END IF;
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
