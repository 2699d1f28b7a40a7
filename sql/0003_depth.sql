-- 0003: box-office depth: roles, price zones, expiring holds and named
-- holds (blocks), companion seats, best available, exchanges, customer
-- lookup.
--
-- The locking rules of 0002 hold for every function here: lock the
-- inventory rows in one statement in a fixed order (show id, then seat id),
-- check availability in a later statement, all or nothing, publish last.
-- A seat is free when it is 'available', or 'held'/'blocked' by a hold whose
-- expiry has passed: an expired hold never blocks a sale, and no background
-- job is needed (sl_hold_sweep tidies up and notifies when somebody runs it).
-- Expiry is compared with clock_timestamp(), not now(): a transaction that
-- waited for a lock must see the time after the wait.
--
-- Our own SQLSTATEs, in addition to 0002's: SL403 a supervisor is needed
-- (mapped to a conflict: the seats are blocked to this user).

-- ---- roles -------------------------------------------------------------
-- Group roles; logins are made members of one of them.  Roles belong to the
-- cluster, not the database: create them only when missing, and tolerate a
-- migration of another database of the cluster creating them meanwhile.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles
	    WHERE rolname = 'seatlock_clerk') THEN
		CREATE ROLE seatlock_clerk NOLOGIN;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END;
$$;
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles
	    WHERE rolname = 'seatlock_supervisor') THEN
		CREATE ROLE seatlock_supervisor NOLOGIN;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END;
$$;
DO $$
BEGIN
	-- A supervisor can do whatever a clerk can.
	IF NOT pg_has_role('seatlock_supervisor', 'seatlock_clerk', 'MEMBER') THEN
		GRANT seatlock_clerk TO seatlock_supervisor;
	END IF;
END;
$$;

-- A supervisor is a superuser or a member of seatlock_supervisor.  The
-- session user decides, like the audit trail's actor: SET ROLE does not
-- make a clerk a supervisor, and SECURITY DEFINER functions (a later
-- least-privilege step) would not change the answer.
CREATE FUNCTION sl_is_supervisor() RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT rolsuper FROM pg_roles
	    WHERE rolname = session_user), false)
	    OR pg_has_role(session_user, 'seatlock_supervisor', 'MEMBER');
$$;

-- ---- price zones --------------------------------------------------------
-- A show's price zones.  Prices in integer cents (minor units of the
-- currency of the configuration).  rank 1 is the best zone: best available
-- looks there first.
CREATE TABLE price_zone (
	show_id		bigint NOT NULL REFERENCES show (show_id),
	zone		text NOT NULL CHECK (zone ~ '^[A-Z0-9_-]{1,32}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 100
			    AND name !~ '[\x01-\x1f\x7f]'),
	price_cents	bigint NOT NULL
			CHECK (price_cents BETWEEN 0 AND 100000000000),
	rank		integer NOT NULL CHECK (rank BETWEEN 1 AND 1000),
	PRIMARY KEY (show_id, zone)
);
-- The primary key serves every zone lookup (show_id = ? AND zone = ?) and
-- the zone list of a show (show_id = ?).

-- The layout's zone of a seat: a hint.  Defining a zone of that code for a
-- show puts the seats that carry it into the zone (sl_zone_set).
ALTER TABLE seat ADD COLUMN zone text CHECK (zone ~ '^[A-Z0-9_-]{1,32}$');

-- ---- holds --------------------------------------------------------------
-- A hold keeps seats of one show for one terminal until it expires, is
-- released, or is turned into bookings.  A block (kind 'block') is a named
-- hold with a reason, made and released only by a supervisor; it expires
-- only if given a time.  The live seats of a hold are the inventory rows
-- pointing at it (show_seat.hold_id); seat_ids keeps what it held.
CREATE TABLE hold (
	show_id		bigint NOT NULL REFERENCES show (show_id),
	hold_id		bigint GENERATED ALWAYS AS IDENTITY,
	kind		text NOT NULL CHECK (kind IN ('hold', 'block')),
	status		text NOT NULL DEFAULT 'active'
			CHECK (status IN ('active', 'released', 'expired',
			    'booked')),
	seat_ids	bigint[] NOT NULL CHECK (cardinality(seat_ids) > 0),
	terminal	text NOT NULL CHECK (length(terminal) BETWEEN 1 AND 255),
	actor		text NOT NULL DEFAULT session_user,
	reason		text CHECK (length(reason) BETWEEN 1 AND 200
			    AND reason !~ '[\x01-\x1f\x7f]'),
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	expires_at	timestamptz,
	ended_at	timestamptz,
	PRIMARY KEY (show_id, hold_id),
	CHECK ((kind = 'block') = (reason IS NOT NULL)),
	CHECK (kind = 'block' OR expires_at IS NOT NULL),
	CHECK ((status = 'active') = (ended_at IS NULL))
);
-- Serves: `release HOLD` and the other lookups by hold id alone.  Not
-- unique: the identity makes the id unique, and a table distributed by
-- show may only have unique indexes that include show_id.
CREATE INDEX hold_id_idx ON hold (hold_id);
-- Serves: `holds SHOW` (WHERE show_id = ? AND status = 'active').
CREATE INDEX hold_active_show_idx ON hold (show_id) WHERE status = 'active';
-- Serves: the sweep (WHERE status = 'active' AND expires_at <= now).
CREATE INDEX hold_expiry_idx ON hold (expires_at) WHERE status = 'active';

ALTER TABLE show_seat
	ADD COLUMN zone text,
	ADD COLUMN hold_id bigint,
	ADD CONSTRAINT show_seat_zone_fkey FOREIGN KEY (show_id, zone)
	    REFERENCES price_zone (show_id, zone),
	ADD CONSTRAINT show_seat_hold_fkey FOREIGN KEY (show_id, hold_id)
	    REFERENCES hold (show_id, hold_id),
	-- held and blocked seats always name their hold, and only those
	ADD CONSTRAINT show_seat_hold_state
	    CHECK ((state IN ('held', 'blocked')) = (hold_id IS NOT NULL));
-- Serves: the live seats of a hold (release, book --hold, sweep:
-- WHERE show_id = ? AND hold_id = ?) and the count of expired-hold seats
-- in `shows`.
CREATE INDEX show_seat_hold_idx ON show_seat (show_id, hold_id)
	WHERE hold_id IS NOT NULL;

-- The price and zone of a booking are recorded at sale: changing a zone's
-- price later does not change what a customer paid.
ALTER TABLE booking
	ADD COLUMN zone text,
	ADD COLUMN price_cents bigint NOT NULL DEFAULT 0
	    CHECK (price_cents >= 0),
	ADD CONSTRAINT booking_zone_fkey FOREIGN KEY (show_id, zone)
	    REFERENCES price_zone (show_id, zone);

-- ---- customer lookup ----------------------------------------------------
-- Prefix searches, case-insensitive: lower(x) LIKE 'pre%'.  text_pattern_ops
-- makes LIKE prefixes indexable whatever the database's collation.
-- Serves: sl_customer_find by the start of the full name.
CREATE INDEX app_user_name_prefix_idx
	ON app_user (lower(name) text_pattern_ops);
-- Serves: sl_customer_find by the start of the last word of the name (the
-- surname, which is what a clerk usually types).
CREATE INDEX app_user_surname_prefix_idx
	ON app_user (lower(regexp_replace(name, '^.*[[:space:]]', ''))
	    text_pattern_ops);
-- Serves: sl_customer_find by the start of the email address.
CREATE INDEX app_user_email_prefix_idx
	ON app_user (lower(email) text_pattern_ops);
-- Serves: sl_customer_find by the start of the phone number, digits only
-- ("+44 (0)20 7946" and "44020 7946" are the same prefix).
CREATE INDEX app_user_phone_prefix_idx
	ON app_user (regexp_replace(phone, '[^0-9]', '', 'g') text_pattern_ops);

-- ---- reports ------------------------------------------------------------
-- Serves: a customer's history newest first is booking_user_idx (0001); a
-- show's active bookings (revenue per zone) is booking_one_active_seat; a
-- show's audit trail (sales per clerk) is audit_log_show_idx.  Nothing new.

-- ---- helpers ------------------------------------------------------------

-- The labels of the seats of p_ids that are not free for a sale in p_show,
-- in seat order, or NULL when all are free.  Call it after locking the
-- seats, as its own statement (rule 2 of 0002): it reads a fresh snapshot.
CREATE FUNCTION sl_unfree_labels(p_show bigint, p_ids bigint[])
RETURNS text
LANGUAGE sql VOLATILE AS $$
	SELECT string_agg(s.label, ' ' ORDER BY s.seat_id)
	FROM show_seat ss
	JOIN seat s ON s.seat_id = ss.seat_id
	LEFT JOIN hold h ON h.show_id = ss.show_id AND h.hold_id = ss.hold_id
	WHERE ss.show_id = p_show AND ss.seat_id = ANY (p_ids)
	-- coalesce: a block without an expiry never runs out (NULL would
	-- make the NOT below NULL, and the seat look free)
	AND NOT (ss.state = 'available' OR (ss.hold_id IS NOT NULL
	    AND coalesce(h.expires_at <= clock_timestamp(), false)));
$$;

-- Companion seats are sold only together with an accessible seat: the
-- companions of a sale may not outnumber its accessible seats plus the
-- customer's other active accessible seats of the show without a companion
-- yet.  p_except: bookings being exchanged away (not counted).
CREATE FUNCTION sl_companion_check(p_show bigint, p_ids bigint[],
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

-- Sells the locked, checked seats p_ids of p_show to p_user under request
-- p_req, at their zones' prices.  Returns the booking ids in seat order.
CREATE FUNCTION sl_sell_ids(p_show bigint, p_venue bigint, p_ids bigint[],
    p_user bigint, p_req bigint)
RETURNS bigint[]
LANGUAGE plpgsql AS $$
DECLARE
	v_bookings	bigint[];
BEGIN
	UPDATE show_seat SET state = 'booked', hold_id = NULL,
	    changed_at = now()
	    WHERE show_id = p_show AND seat_id = ANY (p_ids);
	WITH ins AS (
		INSERT INTO booking (show_id, seat_id, venue_id, user_id,
		    request_id, zone, price_cents)
		SELECT p_show, ss.seat_id, p_venue, p_user, p_req, ss.zone,
		    coalesce(z.price_cents, 0)
		FROM show_seat ss
		LEFT JOIN price_zone z ON z.show_id = ss.show_id
		    AND z.zone = ss.zone
		WHERE ss.show_id = p_show AND ss.seat_id = ANY (p_ids)
		ORDER BY ss.seat_id
		RETURNING booking_id
	)
	SELECT array_agg(booking_id ORDER BY booking_id) INTO v_bookings
	    FROM ins;
	RETURN v_bookings;
END;
$$;

-- The show's venue, or SL404.
CREATE FUNCTION sl_show_venue(p_show bigint) RETURNS bigint
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

-- The seat ids of labels in a venue, in seat order; SL400 for a label named
-- twice, SL404 naming the labels the venue does not have.
CREATE FUNCTION sl_seat_ids(p_venue bigint, p_show bigint, p_labels text[])
RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_ids	bigint[];
	v_bad	text;
BEGIN
	SELECT string_agg(l, ' ') INTO v_bad
	    FROM (SELECT l FROM unnest(p_labels) l GROUP BY l
		HAVING count(*) > 1) d;
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % named twice', v_bad
		    USING ERRCODE = 'SL400', DETAIL = v_bad;
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

-- Checks a request key and the user; SL400 / SL404.
CREATE FUNCTION sl_check_request(p_key text, p_user bigint) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'a request key of 1 to 200 characters is required'
		    USING ERRCODE = 'SL400';
	END IF;
	PERFORM 1 FROM app_user WHERE user_id = p_user;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'user % not found', p_user USING ERRCODE = 'SL404';
	END IF;
END;
$$;

-- ---- booking by labels (replaces 0002's, which knew no prices) ---------
-- Same contract as before, plus: held seats of an expired hold are free,
-- companion seats need an accessible seat, and each booking has the price
-- of its seat's zone.  Returns booking id, label and price in seat order.
DROP FUNCTION sl_book(bigint, text[], bigint, text, text);
CREATE FUNCTION sl_book(p_show bigint, p_labels text[], p_user bigint,
    p_key text, p_terminal text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_req		bigint;
	v_prev		booking_request;
	v_bad		text;
	v_locked	integer;
	v_bookings	bigint[];
BEGIN
	IF p_labels IS NULL OR cardinality(p_labels) = 0 THEN
		RAISE EXCEPTION 'no seat named' USING ERRCODE = 'SL400';
	END IF;
	IF cardinality(p_labels) > 100 THEN
		RAISE EXCEPTION 'at most 100 seats in one booking'
		    USING ERRCODE = 'SL400';
	END IF;
	v_venue := sl_show_venue(p_show);
	PERFORM sl_check_request(p_key, p_user);
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);

	-- The request key: ON CONFLICT waits for a concurrent transaction
	-- with the same key, then sees its outcome.
	INSERT INTO booking_request (request_key, show_id, user_id, seat_ids)
	    VALUES (p_key, p_show, p_user, v_ids)
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING request_id INTO v_req;
	IF v_req IS NULL THEN
		SELECT * INTO v_prev FROM booking_request
		    WHERE request_key = p_key;
		IF v_prev.show_id <> p_show OR v_prev.user_id <> p_user
		    OR v_prev.seat_ids <> v_ids THEN
			RAISE EXCEPTION 'request key % was used for another booking',
			    p_key USING ERRCODE = 'SL400';
		END IF;
		RETURN QUERY SELECT b.booking_id, s.label, b.price_cents
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.request_id = v_prev.request_id
		    ORDER BY b.seat_id;
		RETURN;
	END IF;

	-- Rule 1: one statement, seat order.
	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	GET DIAGNOSTICS v_locked = ROW_COUNT;
	IF v_locked <> cardinality(v_ids) THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	-- Rule 2: a later statement, a fresh snapshot.
	v_bad := sl_unfree_labels(p_show, v_ids);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;
	PERFORM sl_companion_check(p_show, v_ids, p_user);

	v_bookings := sl_sell_ids(p_show, v_venue, v_ids, p_user, v_req);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book', p_show, v_ids, v_bookings,
		json_build_object('user', p_user, 'request_key', p_key));
	PERFORM sl_publish(p_show, 'booked', v_ids);
	RETURN QUERY SELECT b.booking_id, s.label, b.price_cents
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_bookings)
	    ORDER BY b.seat_id;
END;
$$;

-- ---- holds and blocks ---------------------------------------------------

-- Holds the seats p_labels of p_show for terminal p_terminal: all or none.
-- Without a reason it is a hold for p_seconds (1 to 86400).  With a reason
-- it is a block, which only a supervisor may make; it never expires unless
-- p_seconds is given.  Returns the hold id and its expiry (NULL: never).
CREATE FUNCTION sl_hold(p_show bigint, p_labels text[], p_seconds integer,
    p_reason text, p_terminal text)
RETURNS TABLE (hold_id bigint, expires_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_ids		bigint[];
	v_bad		text;
	v_locked	integer;
	v_kind		text := CASE WHEN p_reason IS NULL THEN 'hold'
			    ELSE 'block' END;
	v_hold		bigint;
	v_expires	timestamptz;
BEGIN
	IF p_labels IS NULL OR cardinality(p_labels) = 0 THEN
		RAISE EXCEPTION 'no seat named' USING ERRCODE = 'SL400';
	END IF;
	IF v_kind = 'hold' AND cardinality(p_labels) > 100 THEN
		RAISE EXCEPTION 'at most 100 seats in one hold'
		    USING ERRCODE = 'SL400';
	END IF;
	IF cardinality(p_labels) > 5000 THEN
		RAISE EXCEPTION 'at most 5000 seats in one block'
		    USING ERRCODE = 'SL400';
	END IF;
	IF v_kind = 'hold' AND p_seconds IS NULL THEN
		RAISE EXCEPTION 'a hold needs a time' USING ERRCODE = 'SL400';
	END IF;
	IF p_seconds IS NOT NULL AND (p_seconds < 1 OR p_seconds >
	    CASE v_kind WHEN 'hold' THEN 86400 ELSE 31622400 END) THEN
		RAISE EXCEPTION 'a % lasts 1 to % seconds', v_kind,
		    CASE v_kind WHEN 'hold' THEN 86400 ELSE 31622400 END
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_reason IS NOT NULL AND (length(p_reason) NOT BETWEEN 1 AND 200
	    OR p_reason ~ '[\x01-\x1f\x7f]') THEN
		RAISE EXCEPTION 'a reason is 1 to 200 characters of text'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_terminal IS NULL OR length(p_terminal) NOT BETWEEN 1 AND 255 THEN
		RAISE EXCEPTION 'a terminal name is required'
		    USING ERRCODE = 'SL400';
	END IF;
	IF v_kind = 'block' AND NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can block seats'
		    USING ERRCODE = 'SL403';
	END IF;
	v_venue := sl_show_venue(p_show);
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);

	PERFORM 1 FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.seat_id = ANY (v_ids)
	    ORDER BY ss.seat_id
	    FOR UPDATE;
	GET DIAGNOSTICS v_locked = ROW_COUNT;
	IF v_locked <> cardinality(v_ids) THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	v_bad := sl_unfree_labels(p_show, v_ids);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;

	v_expires := clock_timestamp() + make_interval(secs => p_seconds);
	INSERT INTO hold (show_id, kind, seat_ids, terminal, reason, expires_at)
	    VALUES (p_show, v_kind, v_ids, p_terminal, p_reason, v_expires)
	    RETURNING hold.hold_id INTO v_hold;
	UPDATE show_seat SET state = CASE v_kind WHEN 'hold' THEN 'held'
		ELSE 'blocked' END,
	    hold_id = v_hold, changed_at = now()
	    WHERE show_id = p_show AND seat_id = ANY (v_ids);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, detail)
	    VALUES (p_terminal, v_kind, p_show, v_ids,
		json_build_object('hold', v_hold, 'seconds', p_seconds,
		    'reason', p_reason));
	PERFORM sl_publish(p_show, CASE v_kind WHEN 'hold' THEN 'held'
	    ELSE 'blocked' END, v_ids);
	RETURN QUERY SELECT v_hold, v_expires;
END;
$$;

-- Ends a hold: its seats become available.  A block needs a supervisor.
-- Returns the show, the number of seats freed and the outcome: 'released',
-- or 'expired' when the hold had run out already (its seats are freed all
-- the same).  SL404 when the hold does not exist or has ended.
CREATE FUNCTION sl_release(p_hold bigint, p_terminal text DEFAULT NULL)
RETURNS TABLE (show_id bigint, seats integer, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_hold		hold;
	v_ids		bigint[];
	v_outcome	text;
BEGIN
	SELECT * INTO v_hold FROM hold h WHERE h.hold_id = p_hold;
	IF NOT FOUND THEN
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
CREATE FUNCTION sl_hold_sweep(p_show bigint DEFAULT NULL)
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

-- Turns hold p_hold of p_show into bookings for p_user, atomically: every
-- seat of the hold or none.  The hold must be active and not expired; a
-- block can be sold only by a supervisor.  p_key as in sl_book.
CREATE FUNCTION sl_book_hold(p_show bigint, p_hold bigint, p_user bigint,
    p_key text, p_terminal text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_hold		hold;
	v_req		bigint;
	v_prev		booking_request;
	v_live		integer;
	v_bookings	bigint[];
BEGIN
	v_venue := sl_show_venue(p_show);
	PERFORM sl_check_request(p_key, p_user);
	SELECT * INTO v_hold FROM hold h
	    WHERE h.show_id = p_show AND h.hold_id = p_hold;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'hold % not found in show %', p_hold, p_show
		    USING ERRCODE = 'SL404';
	END IF;

	INSERT INTO booking_request (request_key, show_id, user_id, seat_ids)
	    VALUES (p_key, p_show, p_user, v_hold.seat_ids)
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING request_id INTO v_req;
	IF v_req IS NULL THEN
		SELECT * INTO v_prev FROM booking_request
		    WHERE request_key = p_key;
		IF v_prev.show_id <> p_show OR v_prev.user_id <> p_user
		    OR v_prev.seat_ids <> v_hold.seat_ids THEN
			RAISE EXCEPTION 'request key % was used for another booking',
			    p_key USING ERRCODE = 'SL400';
		END IF;
		RETURN QUERY SELECT b.booking_id, s.label, b.price_cents
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.request_id = v_prev.request_id
		    ORDER BY b.seat_id;
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
	SELECT count(*) INTO v_live FROM show_seat ss
	    WHERE ss.show_id = p_show AND ss.hold_id = p_hold;
	IF v_live <> cardinality(v_hold.seat_ids) THEN
		RAISE EXCEPTION 'hold % has lost some of its seats', p_hold
		    USING ERRCODE = 'SL409';
	END IF;
	PERFORM sl_companion_check(p_show, v_hold.seat_ids, p_user);

	v_bookings := sl_sell_ids(p_show, v_venue, v_hold.seat_ids, p_user,
	    v_req);
	UPDATE hold h SET status = 'booked', ended_at = clock_timestamp()
	    WHERE h.show_id = p_show AND h.hold_id = p_hold;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book hold', p_show, v_hold.seat_ids,
		v_bookings, json_build_object('user', p_user, 'hold', p_hold,
		    'request_key', p_key));
	PERFORM sl_publish(p_show, 'booked', v_hold.seat_ids);
	RETURN QUERY SELECT b.booking_id, s.label, b.price_cents
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_bookings)
	    ORDER BY b.seat_id;
END;
$$;

-- ---- best available -----------------------------------------------------

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
CREATE FUNCTION sl_best_candidates(p_show bigint, p_venue bigint,
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
-- Serves: best available's free seats of one zone of a show.
CREATE INDEX show_seat_zone_free_idx
	ON show_seat (show_id, (coalesce(zone, '')))
	WHERE state = 'available';

-- Books the p_n best adjacent free seats of p_show for p_user: in zone
-- p_zone if not NULL, else in the best zone (lowest rank, the seats in no
-- zone last) that has p_n together.  Concurrent calls do not queue behind
-- each other: each candidate block is locked with SKIP LOCKED inside a
-- subtransaction, then checked in a later statement; a block that is partly
-- locked or no longer free is let go (the subtransaction's rollback
-- releases its locks) and the next one tried.  SL409 when no block of p_n
-- seats is free.
CREATE FUNCTION sl_book_best(p_show bigint, p_n integer, p_user bigint,
    p_zone text, p_key text, p_terminal text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_venue		bigint;
	v_req		bigint;
	v_prev		booking_request;
	v_zone		text;
	v_cand		record;
	v_ids		bigint[];
	v_got		integer;
	v_round		integer;
	v_seen		integer;
	v_bookings	bigint[];
BEGIN
	IF p_n IS NULL OR p_n < 1 OR p_n > 50 THEN
		RAISE EXCEPTION 'best available books 1 to 50 seats'
		    USING ERRCODE = 'SL400';
	END IF;
	v_venue := sl_show_venue(p_show);
	PERFORM sl_check_request(p_key, p_user);
	IF p_zone IS NOT NULL THEN
		PERFORM 1 FROM price_zone z
		    WHERE z.show_id = p_show AND z.zone = p_zone;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'show % has no zone %', p_show, p_zone
			    USING ERRCODE = 'SL404';
		END IF;
	END IF;

	-- The seats are not known yet: the request row records them below.
	INSERT INTO booking_request (request_key, show_id, user_id, seat_ids)
	    VALUES (p_key, p_show, p_user, '{}')
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING request_id INTO v_req;
	IF v_req IS NULL THEN
		SELECT * INTO v_prev FROM booking_request
		    WHERE request_key = p_key;
		IF v_prev.show_id <> p_show OR v_prev.user_id <> p_user
		    OR cardinality(v_prev.seat_ids) <> p_n THEN
			RAISE EXCEPTION 'request key % was used for another booking',
			    p_key USING ERRCODE = 'SL400';
		END IF;
		RETURN QUERY SELECT b.booking_id, s.label, b.price_cents
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.request_id = v_prev.request_id
		    ORDER BY b.seat_id;
		RETURN;
	END IF;

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
			    v_venue, p_n, v_zone, 32 * v_round) LOOP
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
	-- Companion seats are never picked: no companion check.

	UPDATE booking_request SET seat_ids = v_ids WHERE request_id = v_req;
	v_bookings := sl_sell_ids(p_show, v_venue, v_ids, p_user, v_req);
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'book best', p_show, v_ids, v_bookings,
		json_build_object('user', p_user, 'zone', p_zone,
		    'request_key', p_key));
	PERFORM sl_publish(p_show, 'booked', v_ids);
	RETURN QUERY SELECT b.booking_id, s.label, b.price_cents
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_bookings)
	    ORDER BY b.seat_id;
END;
$$;

-- ---- exchange -----------------------------------------------------------

-- Moves the active bookings p_bookings (one show, one customer) to the
-- seats p_labels of show p_show (NULL: the same show), one seat for one
-- seat, in one transaction: the old bookings are cancelled and new ones
-- made at the new seats' prices.  Every inventory row involved is locked
-- in one statement ordered by show id then seat id, so two exchanges in
-- opposite directions queue instead of deadlocking; the shows are published
-- in show order for the same reason.  The new seats may include the old
-- ones.  The reason goes to the audit trail.  Returns the new bookings with
-- their prices, and the old total (the same on every row).
CREATE FUNCTION sl_exchange(p_bookings bigint[], p_show bigint,
    p_labels text[], p_reason text, p_key text, p_terminal text DEFAULT NULL)
RETURNS TABLE (booking_id bigint, seat_label text, price_cents bigint,
    old_total_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_old_show	bigint;
	v_user		bigint;
	v_old_seats	bigint[];
	v_venue		bigint;
	v_ids		bigint[];
	v_req		bigint;
	v_prev		booking_request;
	v_bad		text;
	v_locked	integer;
	v_want		integer;
	v_old_total	bigint;
	v_bookings	bigint[];
	v_freed		bigint[];
	v_comp		bigint;
	v_acc		bigint;
BEGIN
	IF p_bookings IS NULL OR cardinality(p_bookings) = 0 THEN
		RAISE EXCEPTION 'no booking named' USING ERRCODE = 'SL400';
	END IF;
	IF cardinality(p_bookings) > 100 THEN
		RAISE EXCEPTION 'at most 100 bookings in one exchange'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_labels IS NULL OR cardinality(p_labels) <> cardinality(p_bookings)
	THEN
		RAISE EXCEPTION 'an exchange names one new seat for each booking '
		    '(% bookings, % seats)', cardinality(p_bookings),
		    coalesce(cardinality(p_labels), 0) USING ERRCODE = 'SL400';
	END IF;
	IF (SELECT count(DISTINCT b) FROM unnest(p_bookings) b) <>
	    cardinality(p_bookings) THEN
		RAISE EXCEPTION 'a booking is named twice' USING ERRCODE = 'SL400';
	END IF;
	IF p_reason IS NOT NULL AND (length(p_reason) NOT BETWEEN 1 AND 200
	    OR p_reason ~ '[\x01-\x1f\x7f]') THEN
		RAISE EXCEPTION 'a reason is 1 to 200 characters of text'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT string_agg(x::text, ' ') INTO v_bad FROM unnest(p_bookings) x
	    WHERE NOT EXISTS (SELECT 1 FROM booking b WHERE b.booking_id = x);
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'booking % not found', v_bad
		    USING ERRCODE = 'SL404', DETAIL = v_bad;
	END IF;
	SELECT min(b.show_id), min(b.user_id),
	    array_agg(b.seat_id ORDER BY b.seat_id)
	    INTO v_old_show, v_user, v_old_seats
	    FROM booking b WHERE b.booking_id = ANY (p_bookings)
	    HAVING count(DISTINCT b.show_id) = 1
	    AND count(DISTINCT b.user_id) = 1;
	IF v_old_show IS NULL THEN
		RAISE EXCEPTION 'the bookings of one exchange must be of one show '
		    'and one customer' USING ERRCODE = 'SL400';
	END IF;
	PERFORM sl_check_request(p_key, v_user);
	p_show := coalesce(p_show, v_old_show);
	v_venue := sl_show_venue(p_show);
	v_ids := sl_seat_ids(v_venue, p_show, p_labels);

	INSERT INTO booking_request (request_key, show_id, user_id, seat_ids)
	    VALUES (p_key, p_show, v_user, v_ids)
	    ON CONFLICT (request_key) DO NOTHING
	    RETURNING request_id INTO v_req;
	IF v_req IS NULL THEN
		SELECT * INTO v_prev FROM booking_request
		    WHERE request_key = p_key;
		IF v_prev.show_id <> p_show OR v_prev.user_id <> v_user
		    OR v_prev.seat_ids <> v_ids THEN
			RAISE EXCEPTION 'request key % was used for another booking',
			    p_key USING ERRCODE = 'SL400';
		END IF;
		RETURN QUERY SELECT b.booking_id, s.label, b.price_cents,
		    (SELECT sum(o.price_cents)::bigint FROM booking o
			WHERE o.booking_id = ANY (p_bookings))
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.request_id = v_prev.request_id
		    ORDER BY b.seat_id;
		RETURN;
	END IF;

	-- Rule 1 across shows: one statement, (show id, seat id) order.
	PERFORM 1 FROM show_seat ss
	    WHERE (ss.show_id = v_old_show AND ss.seat_id = ANY (v_old_seats))
	    OR (ss.show_id = p_show AND ss.seat_id = ANY (v_ids))
	    ORDER BY ss.show_id, ss.seat_id
	    FOR UPDATE;
	GET DIAGNOSTICS v_locked = ROW_COUNT;
	SELECT count(*) INTO v_want FROM (
		SELECT v_old_show, x FROM unnest(v_old_seats) x
		UNION
		SELECT p_show, y FROM unnest(v_ids) y) w;
	IF v_locked <> v_want THEN
		RAISE EXCEPTION 'show % has no inventory row for some of its seats',
		    p_show USING ERRCODE = 'data_corrupted';
	END IF;
	-- Rule 2: later statements.
	SELECT string_agg(b.booking_id::text, ' ') INTO v_bad FROM booking b
	    WHERE b.booking_id = ANY (p_bookings) AND b.status <> 'active';
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'booking % is not active', v_bad
		    USING ERRCODE = 'SL404', DETAIL = v_bad;
	END IF;
	v_bad := sl_unfree_labels(p_show, ARRAY(SELECT x FROM unnest(v_ids) x
	    WHERE p_show <> v_old_show OR x <> ALL (v_old_seats)));
	IF v_bad IS NOT NULL THEN
		RAISE EXCEPTION 'seat % not available', v_bad
		    USING ERRCODE = 'SL409', DETAIL = v_bad;
	END IF;
	PERFORM sl_companion_check(p_show, v_ids, v_user, p_bookings);

	SELECT sum(b.price_cents)::bigint INTO v_old_total FROM booking b
	    WHERE b.booking_id = ANY (p_bookings);
	UPDATE booking b SET status = 'cancelled', cancelled_at = now()
	    WHERE b.booking_id = ANY (p_bookings);
	UPDATE show_seat ss SET state = 'available', changed_at = now()
	    WHERE ss.show_id = v_old_show AND ss.seat_id = ANY (v_old_seats);
	v_bookings := sl_sell_ids(p_show, v_venue, v_ids, v_user, v_req);
	-- Moving a wheelchair space away must not strand its companion seat.
	IF EXISTS (SELECT 1 FROM seat s WHERE s.seat_id = ANY (v_old_seats)
	    AND s.accessible) THEN
		SELECT count(*) FILTER (WHERE s.companion),
		    count(*) FILTER (WHERE s.accessible),
		    string_agg(s.label, ' ' ORDER BY s.seat_id)
			FILTER (WHERE s.companion)
		    INTO v_comp, v_acc, v_bad
		    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		    WHERE b.user_id = v_user AND b.show_id = v_old_show
		    AND b.status = 'active';
		IF v_comp > v_acc THEN
			RAISE EXCEPTION 'seat % is a companion seat: exchange it '
			    'together with its accessible seat', v_bad
			    USING ERRCODE = 'SL400', DETAIL = v_bad;
		END IF;
	END IF;
	INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids,
	    detail)
	    VALUES (p_terminal, 'exchange', p_show, v_ids, v_bookings,
		json_build_object('user', v_user, 'reason', p_reason,
		    'from_show', v_old_show, 'from_bookings', p_bookings,
		    'from_seats', v_old_seats, 'old_total_cents', v_old_total,
		    'request_key', p_key));
	IF p_show <> v_old_show THEN
		INSERT INTO audit_log (terminal, action, show_id, seat_ids,
		    booking_ids, detail)
		    VALUES (p_terminal, 'exchange out', v_old_show, v_old_seats,
			p_bookings, json_build_object('user', v_user,
			    'reason', p_reason, 'to_show', p_show,
			    'to_bookings', v_bookings));
	END IF;
	-- Publish in show order (each takes the show row's lock).
	v_freed := ARRAY(SELECT x FROM unnest(v_old_seats) x
	    WHERE p_show <> v_old_show OR x <> ALL (v_ids));
	IF p_show = v_old_show THEN
		PERFORM sl_publish(p_show, 'exchanged', v_freed || v_ids);
	ELSIF v_old_show < p_show THEN
		PERFORM sl_publish(v_old_show, 'available', v_freed);
		PERFORM sl_publish(p_show, 'booked', v_ids);
	ELSE
		PERFORM sl_publish(p_show, 'booked', v_ids);
		PERFORM sl_publish(v_old_show, 'available', v_freed);
	END IF;
	RETURN QUERY SELECT b.booking_id, s.label, b.price_cents, v_old_total
	    FROM booking b JOIN seat s ON s.seat_id = b.seat_id
	    WHERE b.booking_id = ANY (v_bookings)
	    ORDER BY b.seat_id;
END;
$$;

-- ---- zones --------------------------------------------------------------

-- Defines (or changes) zone p_zone of p_show; p_rank NULL keeps the rank
-- or, for a new zone, puts it after the others.  Seats whose layout zone
-- is p_zone and that have no zone in this show yet join it.  Returns the
-- number of seats that joined.
CREATE FUNCTION sl_zone_set(p_show bigint, p_zone text, p_name text,
    p_price bigint, p_rank integer, p_terminal text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_n	integer;
BEGIN
	IF NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can set prices'
		    USING ERRCODE = 'SL403';
	END IF;
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
CREATE FUNCTION sl_zone_assign(p_show bigint, p_zone text, p_section text,
    p_row text, p_labels text[], p_terminal text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	v_venue	bigint;
	v_ids	bigint[];
	v_n	integer;
BEGIN
	IF NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can change zones'
		    USING ERRCODE = 'SL403';
	END IF;
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

-- ---- privileges ---------------------------------------------------------
-- What a clerk's login needs to work through these functions.  Nothing is
-- revoked here; the least-privilege model (functions as the only way to
-- change inventory) is a later step.
GRANT USAGE ON SCHEMA public TO seatlock_clerk;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO seatlock_clerk;
GRANT INSERT, UPDATE ON show, show_seat, hold, booking_request, booking,
    app_user TO seatlock_clerk;
GRANT INSERT ON audit_log TO seatlock_clerk;
-- Prices are a supervisor's business.
GRANT INSERT, UPDATE ON price_zone TO seatlock_supervisor;
