-- prices.sql: the price types of a show's zones (adult, concession,
-- child...).  Setting them needs a supervisor; anybody lists them.

-- Defines price type p_code of zone p_zone of p_show, or changes it: its
-- name (NULL: the one it has, or the code capitalised for a new type), its
-- price, and with p_default it becomes the zone's default type (the one
-- the zone had stops being it; without p_default a type keeps the flag it
-- has).  Returns 1 if the type is new, 0 if it was changed.
CREATE OR REPLACE FUNCTION sl_price_set(p_show bigint, p_zone text,
    p_code text, p_name text, p_price bigint, p_default boolean,
    p_terminal text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_new	boolean;
BEGIN
	PERFORM sl_require_supervisor('set prices');
	PERFORM sl_show_venue(p_show);
	-- The zone's row is locked (not against its seats' key checks), so
	-- two supervisors setting types of one zone queue and the default
	-- moves from one type to the other whole.
	PERFORM 1 FROM price_zone z WHERE z.show_id = p_show AND z.zone = p_zone
	    FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'show % has no zone %', p_show, p_zone
		    USING ERRCODE = 'SL404';
	END IF;
	IF p_code IS NULL OR p_code !~ '^[a-z0-9_-]{1,32}$' THEN
		RAISE EXCEPTION 'a price type is 1 to 32 lower-case letters, '
		    'digits, _ or -' USING ERRCODE = 'SL400';
	END IF;
	IF p_price IS NULL OR p_price NOT BETWEEN 0 AND 10000000000 THEN
		RAISE EXCEPTION 'a price is 0 to 100000000.00'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_default THEN
		UPDATE price_type t SET is_default = false
		    WHERE t.show_id = p_show AND t.zone = p_zone
		    AND t.is_default AND t.code <> p_code;
	END IF;
	INSERT INTO price_type AS t (show_id, zone, code, name, price_cents,
	    is_default)
	    VALUES (p_show, p_zone, p_code, coalesce(p_name, initcap(p_code)),
		p_price, coalesce(p_default, false))
	    ON CONFLICT (show_id, zone, code) DO UPDATE
	    SET name = coalesce(p_name, t.name),
		price_cents = EXCLUDED.price_cents,
		is_default = t.is_default OR EXCLUDED.is_default
	    RETURNING (xmax = 0) INTO v_new;
	INSERT INTO audit_log (terminal, action, show_id, detail)
	    VALUES (p_terminal, 'price set', p_show,
		json_build_object('zone', p_zone, 'type', p_code,
		    'name', p_name, 'price_cents', p_price,
		    'default', coalesce(p_default, false), 'new', v_new));
	RETURN CASE WHEN v_new THEN 1 ELSE 0 END;
END;
$$;

-- The price types of p_show: its zones best rank first, each zone's types
-- dearest first.  SL404 if the show does not exist.
CREATE OR REPLACE FUNCTION sl_price_list(p_show bigint)
RETURNS TABLE (zone text, code text, name text, price_cents bigint,
    is_default boolean)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	PERFORM sl_show_venue(p_show);
	RETURN QUERY
	    SELECT t.zone, t.code, t.name, t.price_cents, t.is_default
	    FROM price_type t
	    JOIN price_zone z ON z.show_id = t.show_id AND z.zone = t.zone
	    WHERE t.show_id = p_show
	    ORDER BY z.rank, t.zone, t.price_cents DESC, t.code;
END;
$$;
