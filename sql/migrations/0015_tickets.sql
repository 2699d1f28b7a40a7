-- 0015: tickets and the door.
--
-- A ticket's code is not stored: it is the booking's number (40 bits) and
-- an 80-bit HMAC-SHA-256 of it under a key only the owner can read
-- (ticket_key), so every sold seat has one from the moment it is sold and
-- the sale pays nothing for it (no column, no index, no WAL).  An exchange
-- sells new bookings (new codes); a cancel voids the booking and so its
-- code.  The program writes the 15 bytes as base32 with a check character
-- (core/sl_ticket.c).  The same key makes a sale's reference for the web
-- (a MAC of the sale number) that nobody can guess from another.

-- One row: the HMAC key, kept as its inner and outer pads (RFC 2104), so
-- that a code is two sha256() calls and no extension is needed.
CREATE TABLE ticket_key (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	ipad		bytea NOT NULL CHECK (length(ipad) = 64),
	opad		bytea NOT NULL CHECK (length(opad) = 64)
);
DO $$
DECLARE
	k	bytea := sha256(uuid_send(gen_random_uuid())
		    || uuid_send(gen_random_uuid())
		    || uuid_send(gen_random_uuid()));
	ip	bytea := '\x';
	op	bytea := '\x';
	b	integer;
BEGIN
	FOR i IN 0..63 LOOP
		b := CASE WHEN i < 32 THEN get_byte(k, i) ELSE 0 END;
		ip := ip || set_byte('\x00'::bytea, 0, b # 54);
		op := op || set_byte('\x00'::bytea, 0, b # 92);
	END LOOP;
	INSERT INTO ticket_key (ipad, opad) VALUES (ip, op);
END;
$$;
-- Nobody but the owner (the sl_* functions) reads the key: with it a code
-- could be made for any booking.
REVOKE ALL ON ticket_key FROM PUBLIC, seatlock_clerk;

-- Each printing of a sale's or a seat's tickets: the first is the print,
-- any later one a reprint (marked as such on the ticket and here).
CREATE TABLE ticket_print (
	print_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	booking_id	bigint NOT NULL REFERENCES booking (booking_id),
	reprint		boolean NOT NULL,
	how		text NOT NULL CHECK (how ~ '^[a-z][a-z0-9 _.-]{0,63}$'),
	clerk		text NOT NULL DEFAULT session_user,
	terminal	text CHECK (length(terminal) BETWEEN 1 AND 255),
	at		timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Serves: was this seat's ticket printed before (WHERE booking_id = ?).
CREATE INDEX ticket_print_booking_idx ON ticket_print (booking_id);

-- The admission of a ticket: at most one per booking (the primary key), so
-- two doors scanning one code at the same moment admit it once.
CREATE TABLE checkin (
	booking_id	bigint PRIMARY KEY REFERENCES booking (booking_id),
	show_id		bigint NOT NULL,
	door		text NOT NULL CHECK (length(door) BETWEEN 1 AND 64
			    AND door !~ '[\x01-\x1f\x7f]'),
	at		timestamptz NOT NULL,
	offline		boolean NOT NULL DEFAULT false,
	recorded_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	clerk		text NOT NULL DEFAULT session_user
);
-- Serves: admitted per show (the door's count, the report).
CREATE INDEX checkin_show_idx ON checkin (show_id);

-- Every scan at a door, admitted or not: the report's refused scans, and
-- what an offline door's sync found.
CREATE TABLE scan (
	scan_id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	door		text NOT NULL,
	show_id		bigint,
	booking_id	bigint,
	result		text NOT NULL
			CHECK (result IN ('admitted', 'already', 'refused')),
	reason		text,
	offline		boolean NOT NULL DEFAULT false,
	clerk		text NOT NULL DEFAULT session_user
);
-- Serves: a show's scans (the report, WHERE show_id = ?).
CREATE INDEX scan_show_idx ON scan (show_id);

-- A door's login: checks tickets in and nothing else (grants.sql).
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'seatlock_door')
	THEN
		CREATE ROLE seatlock_door NOLOGIN;
	END IF;
END;
$$;
GRANT USAGE ON SCHEMA public TO seatlock_door;
