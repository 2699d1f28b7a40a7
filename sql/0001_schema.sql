-- 0001: the SeatLock schema.
--
-- Principles (see README.md "How double booking is prevented"):
--  * every per-show table carries show_id in its key, so a booking stays
--    inside one show (and the schema can later be distributed by show);
--  * a booking cannot name a seat of another venue than its show's: the
--    venue travels in composite foreign keys, so the keys forbid it;
--  * one active booking per seat per show is a partial unique index: the
--    last line of defence behind the row locks of the booking functions.
--
-- Every index says which query it serves.

CREATE TABLE venue (
	venue_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Serves: venue import and `db demo` finding a venue by name (no duplicates).
CREATE UNIQUE INDEX venue_name_key ON venue (name);

CREATE TABLE seat (
	venue_id	bigint NOT NULL REFERENCES venue (venue_id),
	seat_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	section		text NOT NULL CHECK (length(section) BETWEEN 1 AND 100),
	row_label	text NOT NULL CHECK (length(row_label) BETWEEN 1 AND 20),
	number		integer NOT NULL CHECK (number BETWEEN 0 AND 100000),
	label		text NOT NULL CHECK (label ~ '^[A-Za-z0-9-]{1,32}$'),
	map_x		integer NOT NULL CHECK (map_x BETWEEN 0 AND 100000),
	map_y		integer NOT NULL CHECK (map_y BETWEEN 0 AND 100000),
	accessible	boolean NOT NULL DEFAULT false,
	companion	boolean NOT NULL DEFAULT false,
	restricted_view	boolean NOT NULL DEFAULT false
);
-- Target of the composite keys that carry the venue (show_seat, booking).
CREATE UNIQUE INDEX seat_venue_seat_key ON seat (venue_id, seat_id);
-- Serves: label -> seat lookup in sl_book (WHERE venue_id = ? AND label = ANY(?));
-- also makes labels unique within a venue.
CREATE UNIQUE INDEX seat_venue_label_key ON seat (venue_id, label);
-- Two seats never stand on one spot of the map; serves the map load ordered
-- by position (ORDER BY map_y, map_x within a venue).
CREATE UNIQUE INDEX seat_venue_pos_key ON seat (venue_id, map_y, map_x);

CREATE TABLE show (
	show_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	venue_id	bigint NOT NULL REFERENCES venue (venue_id),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	starts_at	timestamptz NOT NULL,
	-- Per-show change sequence: bumped by every change of the show's seat
	-- states inside the changing transaction, so listeners see a gap.
	change_seq	bigint NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Target of the composite keys that carry the venue.
CREATE UNIQUE INDEX show_show_venue_key ON show (show_id, venue_id);
-- A venue plays one show at a time; serves `db demo` re-runs (no duplicates)
-- and the venue's schedule.
CREATE UNIQUE INDEX show_venue_starts_key ON show (venue_id, starts_at);
-- Serves: `seatlock shows` (ORDER BY starts_at).
CREATE INDEX show_starts_idx ON show (starts_at);

-- The per-show seat inventory: one row per seat per show.  Its row is the
-- lock a booking takes (SELECT ... FOR UPDATE in seat order).
CREATE TABLE show_seat (
	show_id		bigint NOT NULL,
	seat_id		bigint NOT NULL,
	venue_id	bigint NOT NULL,
	state		text NOT NULL DEFAULT 'available'
			CHECK (state IN ('available', 'held', 'booked', 'blocked')),
	changed_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (show_id, seat_id),
	FOREIGN KEY (show_id, venue_id) REFERENCES show (show_id, venue_id),
	FOREIGN KEY (venue_id, seat_id) REFERENCES seat (venue_id, seat_id)
);
-- The primary key serves the lock (show_id = ? AND seat_id = ANY(?)) and the
-- map state load (WHERE show_id = ? ORDER BY seat_id).
-- Serves: seats available per show (`seatlock shows`), an index-only count.
CREATE INDEX show_seat_available_idx ON show_seat (show_id)
	WHERE state = 'available';

-- Customers.  Named "app_user" because "user" is reserved.
CREATE TABLE app_user (
	user_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200
			    AND name !~ '[\x01-\x1f\x7f]'),
	email		text NOT NULL CHECK (length(email) BETWEEN 3 AND 254
			    AND email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+$'),
	phone		text CHECK (phone ~ '^\+?[0-9 ()./-]{3,32}$'),
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Serves: duplicate-email check on register and lookup by email; an email is
-- one customer whatever its case.
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));

-- One row per booking request: the client-made request key makes a retry
-- (after a connection lost during COMMIT) return the first answer instead
-- of booking twice.
CREATE TABLE booking_request (
	request_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_key	text NOT NULL CHECK (length(request_key) BETWEEN 1 AND 200),
	show_id		bigint NOT NULL REFERENCES show (show_id),
	user_id		bigint NOT NULL REFERENCES app_user (user_id),
	seat_ids	bigint[] NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Serves: the idempotency lookup (WHERE request_key = ?); unique in the database.
CREATE UNIQUE INDEX booking_request_key ON booking_request (request_key);

CREATE TABLE booking (
	booking_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	show_id		bigint NOT NULL,
	seat_id		bigint NOT NULL,
	venue_id	bigint NOT NULL,
	user_id		bigint NOT NULL REFERENCES app_user (user_id),
	request_id	bigint NOT NULL REFERENCES booking_request (request_id),
	status		text NOT NULL DEFAULT 'active'
			CHECK (status IN ('active', 'cancelled')),
	booked_at	timestamptz NOT NULL DEFAULT now(),
	cancelled_at	timestamptz,
	CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
	FOREIGN KEY (show_id, seat_id) REFERENCES show_seat (show_id, seat_id),
	FOREIGN KEY (show_id, venue_id) REFERENCES show (show_id, venue_id),
	FOREIGN KEY (venue_id, seat_id) REFERENCES seat (venue_id, seat_id)
);
-- THE INVARIANT: at most one active booking per seat per show.
CREATE UNIQUE INDEX booking_one_active_seat ON booking (show_id, seat_id)
	WHERE status = 'active';
-- Serves: replaying a request key (WHERE request_id = ?).
CREATE INDEX booking_request_idx ON booking (request_id);
-- Serves: a customer's bookings (WHERE user_id = ? ORDER BY booked_at).
CREATE INDEX booking_user_idx ON booking (user_id, booked_at);

-- Append-only audit trail.  The actor is session_user, so a clerk who logs
-- in as their own role cannot write somebody else's name.
CREATE TABLE audit_log (
	audit_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	actor		text NOT NULL DEFAULT session_user,
	terminal	text,
	action		text NOT NULL,
	show_id		bigint,
	seat_ids	bigint[],
	booking_ids	bigint[],
	detail		jsonb
);
-- Serves: a show's history (WHERE show_id = ? ORDER BY at).
CREATE INDEX audit_log_show_idx ON audit_log (show_id, at);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only'
	    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
