-- tickets.sql: ticket codes, printing, check-in at the door (0015).
--
-- A code is 15 bytes: the booking's number (5 bytes, big-endian) and the
-- first 10 bytes of HMAC-SHA-256(key, 'seatlock ticket' || booking) under
-- ticket_key.  The program writes them as base32 with a check character
-- and reads them back (core/sl_ticket.c); here they are bytea.  A show has
-- ended 6 hours after it started: its tickets admit nobody any more.

-- HMAC-SHA-256 of p_msg under ticket_key (RFC 2104).  Internal.
CREATE OR REPLACE FUNCTION sl_ticket_hmac(p_msg bytea) RETURNS bytea
LANGUAGE sql STABLE AS $$
	SELECT sha256(k.opad || sha256(k.ipad || p_msg)) FROM ticket_key k;
$$;

-- The code of booking p_booking (15 bytes).  Internal.
CREATE OR REPLACE FUNCTION sl_ticket_raw(p_booking bigint) RETURNS bytea
LANGUAGE sql STABLE AS $$
	SELECT substring(int8send(p_booking) FROM 4 FOR 5) || substring(
	    sl_ticket_hmac(convert_to('seatlock ticket', 'UTF8')
		|| int8send(p_booking)) FROM 1 FOR 10);
$$;

-- The booking a code names if its MAC is right, else NULL.  Internal.
CREATE OR REPLACE FUNCTION sl_ticket_booking(p_raw bytea) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_id	bigint := 0;
BEGIN
	IF p_raw IS NULL OR length(p_raw) <> 15 THEN
		RETURN NULL;
	END IF;
	FOR i IN 0..4 LOOP
		v_id := v_id * 256 + get_byte(p_raw, i);
	END LOOP;
	IF sl_ticket_raw(v_id) <> p_raw THEN
		RETURN NULL;
	END IF;
	RETURN v_id;
END;
$$;

-- The reference of sale p_sale for the web (GET /sales/{ref}/tickets.pdf):
-- its number and a 64-bit MAC, as hex; it cannot be guessed from another.
CREATE OR REPLACE FUNCTION sl_sale_ref(p_sale bigint) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT p_sale::text || '-' || encode(substring(sl_ticket_hmac(
	    convert_to('seatlock sale', 'UTF8') || int8send(p_sale))
	    FROM 1 FOR 8), 'hex');
$$;

-- The sale a reference names if it is right, else NULL.
CREATE OR REPLACE FUNCTION sl_sale_by_ref(p_ref text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_sale	bigint;
BEGIN
	IF p_ref IS NULL OR p_ref !~ '^[0-9]{1,18}-[0-9a-f]{16}$' THEN
		RETURN NULL;
	END IF;
	v_sale := split_part(p_ref, '-', 1)::bigint;
	IF sl_sale_ref(v_sale) <> p_ref THEN
		RETURN NULL;
	END IF;
	RETURN v_sale;
END;
$$;

-- The tickets of sale p_sale, or of booking p_booking (the other NULL), in
-- seat order, cancelled ones too (active false: void).  With p_print (how:
-- 'pdf', 'print', 'text'...) the active ones are recorded as printed now,
-- and reprint says whether they had been before (the audit trail gets a
-- row 'print' or 'reprint').  SL404 when there is no such sale or booking.
CREATE OR REPLACE FUNCTION sl_tickets(p_sale bigint, p_booking bigint,
    p_print text DEFAULT NULL, p_terminal text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, sale_id bigint, show_id bigint,
    active boolean, code bytea, label text, section text, row_label text,
    price_type text, type_name text, price_cents bigint, starts_at text,
    title text, venue text, admitted_at text, door text, reprint boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_ids	bigint[];
	v_show	bigint;
	v_again	boolean;
BEGIN
	-- Another channel's sale or booking is not found (sl_channel_ok).
	SELECT array_agg(b.booking_id ORDER BY b.seat_id), min(b.show_id)
	    INTO v_ids, v_show FROM booking b
	    JOIN booking_request r ON r.request_id = b.request_id
	    WHERE ((p_sale IS NOT NULL AND b.request_id = p_sale)
	    OR (p_booking IS NOT NULL AND b.booking_id = p_booking))
	    AND sl_channel_ok(r.api_role);
	IF v_ids IS NULL THEN
		RAISE EXCEPTION '% % not found', CASE WHEN p_sale IS NOT NULL
		    THEN 'sale' ELSE 'booking' END, coalesce(p_sale, p_booking)
		    USING ERRCODE = 'SL404';
	END IF;
	RETURN QUERY SELECT b.booking_id, b.request_id, b.show_id,
	    b.status = 'active', sl_ticket_raw(b.booking_id), s.label,
	    s.section, s.row_label, b.price_type, pt.name, b.price_cents,
	    to_json(sh.starts_at) #>> '{}', sh.title, v.name,
	    to_json(c.at) #>> '{}', c.door,
	    EXISTS (SELECT 1 FROM ticket_print tp
		WHERE tp.booking_id = b.booking_id)
	    FROM booking b
	    JOIN seat s ON s.seat_id = b.seat_id
	    JOIN show sh ON sh.show_id = b.show_id
	    JOIN venue v ON v.venue_id = sh.venue_id
	    LEFT JOIN price_type pt ON pt.show_id = b.show_id
		AND pt.zone = b.zone AND pt.code = b.price_type
	    LEFT JOIN checkin c ON c.booking_id = b.booking_id
	    WHERE b.booking_id = ANY (v_ids)
	    ORDER BY b.seat_id;
	-- Only valid tickets are printed: a sale with none records nothing.
	IF p_print IS NOT NULL AND EXISTS (SELECT 1 FROM booking b
	    WHERE b.booking_id = ANY (v_ids) AND b.status = 'active') THEN
		v_again := EXISTS (SELECT 1 FROM ticket_print tp
		    WHERE tp.booking_id = ANY (v_ids));
		INSERT INTO ticket_print (booking_id, reprint, how, terminal)
		    SELECT b.booking_id, EXISTS (SELECT 1 FROM ticket_print tp
			WHERE tp.booking_id = b.booking_id), p_print, p_terminal
		    FROM booking b
		    WHERE b.booking_id = ANY (v_ids) AND b.status = 'active';
		INSERT INTO audit_log (terminal, action, show_id, booking_ids,
		    detail)
		    VALUES (p_terminal, CASE WHEN v_again THEN 'reprint'
			ELSE 'print' END, v_show, v_ids,
			json_build_object('how', p_print, 'sale', p_sale));
	END IF;
END;
$$;

-- Records one scan (every scan, whatever its result).  Internal.
CREATE OR REPLACE FUNCTION sl_scan_note(p_door text, p_show bigint,
    p_booking bigint, p_result text, p_reason text, p_offline boolean,
    p_at timestamptz) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO scan (at, door, show_id, booking_id, result, reason,
	    offline)
	VALUES (coalesce(p_at, clock_timestamp()), p_door, p_show, p_booking,
	    p_result, p_reason, p_offline);
$$;

-- Checks in the ticket with code p_code (15 bytes) at door p_door: for
-- show p_show, or any show that has not ended when NULL.  One transaction:
-- the booking's row is locked, so two doors scanning one code at once
-- admit it once.  result: 'admitted'; 'already' (first_at, first_door say
-- when and where); 'refused' with reason: 'unknown' (no such code: a typo
-- the check character missed, or a forgery), 'voided' (cancelled or
-- exchanged), 'ended' (the show ended), 'another show' (which, in the
-- reason).  p_at and p_offline: a scan an offline door made (sl_door_sync
-- in the program) and when.  admitted and sold: the show's counts.
CREATE OR REPLACE FUNCTION sl_checkin(p_code bytea, p_show bigint,
    p_door text, p_at timestamptz DEFAULT NULL,
    p_offline boolean DEFAULT false)
RETURNS TABLE (result text, reason text, show_id bigint, title text,
    starts_at text, label text, first_at text, first_door text,
    admitted bigint, sold bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_id	bigint := sl_ticket_booking(p_code);
	v_b	record;
	v_c	checkin;
	v_res	text := 'refused';
	v_why	text;
BEGIN
	IF p_door IS NULL OR length(p_door) NOT BETWEEN 1 AND 64
	    OR p_door ~ '[\x01-\x1f\x7f]' THEN
		RAISE EXCEPTION 'a door name is 1 to 64 characters'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT b.booking_id, b.show_id, b.status, sh.title, sh.starts_at,
	    s.label INTO v_b
	    FROM booking b JOIN show sh ON sh.show_id = b.show_id
	    JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = v_id
	    FOR UPDATE OF b;
	IF v_b.booking_id IS NULL THEN
		v_why := 'unknown';
	ELSIF v_b.status <> 'active' THEN
		v_why := 'voided';
	ELSIF p_show IS NOT NULL AND v_b.show_id <> p_show THEN
		v_why := format('another show: %s, %s', v_b.title,
		    sl_sale_time(v_b.starts_at));
	ELSIF v_b.starts_at + interval '6 hours' <
	    coalesce(p_at, clock_timestamp()) THEN
		v_why := 'ended';
	ELSE
		SELECT * INTO v_c FROM checkin c WHERE c.booking_id = v_id;
		IF FOUND THEN
			v_res := 'already';
		ELSE
			INSERT INTO checkin (booking_id, show_id, door, at,
			    offline)
			    VALUES (v_id, v_b.show_id, p_door,
				coalesce(p_at, clock_timestamp()), p_offline);
			v_res := 'admitted';
		END IF;
	END IF;
	PERFORM sl_scan_note(p_door, coalesce(v_b.show_id, p_show),
	    v_b.booking_id, v_res, v_why, p_offline, p_at);
	RETURN QUERY SELECT v_res, v_why, v_b.show_id, v_b.title,
	    to_json(v_b.starts_at) #>> '{}', v_b.label,
	    to_json(v_c.at) #>> '{}', v_c.door,
	    (SELECT count(*) FROM checkin c
		WHERE c.show_id = coalesce(v_b.show_id, p_show)),
	    (SELECT count(*) FROM booking b
		WHERE b.show_id = coalesce(v_b.show_id, p_show)
		AND b.status = 'active');
END;
$$;

-- The valid tickets of show p_show for an offline door (sl_door_export in
-- the program): code, seat, whether admitted already.  SL404 for no show.
CREATE OR REPLACE FUNCTION sl_door_tickets(p_show bigint)
RETURNS TABLE (code bytea, booking_id bigint, label text, section text,
    row_label text, admitted boolean)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
	PERFORM sl_show_venue(p_show);
	RETURN QUERY SELECT sl_ticket_raw(b.booking_id), b.booking_id,
	    s.label, s.section, s.row_label,
	    EXISTS (SELECT 1 FROM checkin c WHERE c.booking_id = b.booking_id)
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.show_id = p_show AND b.status = 'active'
	    ORDER BY b.seat_id;
END;
$$;
