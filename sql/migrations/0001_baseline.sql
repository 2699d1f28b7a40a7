-- 0001: the baseline.  The schema that 0001_schema.sql to
-- 0010_privileges.sql built, one migration at a time, until release
-- 2c3ff29: its tables, keys, indexes, roles and privileges on tables.  A
-- new database starts here; a database that recorded that whole chain has
-- all of this already, and `seatlock db migrate` applies nothing of it
-- there (core/sl_migrate.c knows the chain's checksums).  Versions 2 to 10
-- are the old chain's: the next migration is 0011.
--
-- Migrations hold DDL only, and an applied migration is never edited.  The
-- functions and triggers live in sql/functions/, one current definition
-- each, applied after the migrations whenever their file changes.
--
-- Principles (see assets/doc/security.md "How double booking is prevented"):
--  * every per-show table carries show_id in its key, so a booking stays
--    inside one show (and the schema can later be distributed by show);
--  * a booking cannot name a seat of another venue than its show's: the
--    venue travels in composite foreign keys, so the keys forbid it;
--  * one active booking per seat per show is a partial unique index: the
--    last line of defence behind the row locks of the booking functions.
--
-- Every index says which query it serves.

-- ---- roles -------------------------------------------------------------
-- Group roles; logins are made members of one of them.  Roles belong to the
-- cluster, not the database: create them only when missing, and tolerate a
-- migration of another database of the cluster creating them meanwhile.
DO $$
DECLARE
	r	text;
BEGIN
	FOREACH r IN ARRAY ARRAY['seatlock_clerk', 'seatlock_supervisor'] LOOP
		BEGIN
			IF NOT EXISTS (SELECT 1 FROM pg_roles
			    WHERE rolname = r) THEN
				EXECUTE format('CREATE ROLE %I NOLOGIN', r);
			END IF;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END LOOP;
	-- A supervisor can do whatever a clerk can.
	IF NOT pg_has_role('seatlock_supervisor', 'seatlock_clerk', 'MEMBER') THEN
		GRANT seatlock_clerk TO seatlock_supervisor;
	END IF;
END;
$$;

-- ---- venues, seats and shows ---------------------------------------------

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
	restricted_view	boolean NOT NULL DEFAULT false,
	-- The layout's zone of a seat: a hint.  Defining a zone of that code
	-- for a show puts the seats that carry it into the zone (sl_zone_set).
	zone		text CHECK (zone ~ '^[A-Z0-9_-]{1,32}$')
);
-- Target of the composite keys that carry the venue (show_seat, booking).
CREATE UNIQUE INDEX seat_venue_seat_key ON seat (venue_id, seat_id);
-- Serves: label -> seat lookup in sl_book (WHERE venue_id = ? AND
-- label = ANY(?)); also makes labels unique within a venue.
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

-- ---- the inventory -------------------------------------------------------

-- The per-show seat inventory: one row per seat per show.  Its row is the
-- lock a booking takes (SELECT ... FOR UPDATE in seat order).
CREATE TABLE show_seat (
	show_id		bigint NOT NULL,
	seat_id		bigint NOT NULL,
	venue_id	bigint NOT NULL,
	state		text NOT NULL DEFAULT 'available'
			CHECK (state IN ('available', 'held', 'booked', 'blocked')),
	changed_at	timestamptz NOT NULL DEFAULT now(),
	zone		text,
	hold_id		bigint,
	PRIMARY KEY (show_id, seat_id),
	FOREIGN KEY (show_id, venue_id) REFERENCES show (show_id, venue_id),
	FOREIGN KEY (venue_id, seat_id) REFERENCES seat (venue_id, seat_id),
	CONSTRAINT show_seat_zone_fkey FOREIGN KEY (show_id, zone)
	    REFERENCES price_zone (show_id, zone),
	CONSTRAINT show_seat_hold_fkey FOREIGN KEY (show_id, hold_id)
	    REFERENCES hold (show_id, hold_id),
	-- held and blocked seats always name their hold, and only those
	CONSTRAINT show_seat_hold_state
	    CHECK ((state IN ('held', 'blocked')) = (hold_id IS NOT NULL))
);
-- The primary key serves the lock (show_id = ? AND seat_id = ANY(?)) and the
-- map state load (WHERE show_id = ? ORDER BY seat_id).
-- Serves: seats available per show (`seatlock shows`), an index-only count.
CREATE INDEX show_seat_available_idx ON show_seat (show_id)
	WHERE state = 'available';

-- Serves: the live seats of a hold (release, book --hold, sweep:
-- WHERE show_id = ? AND hold_id = ?) and the count of expired-hold seats
-- in `shows`.
CREATE INDEX show_seat_hold_idx ON show_seat (show_id, hold_id)
	WHERE hold_id IS NOT NULL;
-- Serves: best available's free seats of one zone of a show.
CREATE INDEX show_seat_zone_free_idx
	ON show_seat (show_id, (coalesce(zone, '')))
	WHERE state = 'available';

-- ---- customers ----------------------------------------------------------

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

-- ---- bookings -----------------------------------------------------------

-- One row per booking request: the client-made request key makes a retry
-- (after a connection lost during COMMIT) return the first answer instead
-- of booking twice.
--
-- No booking locks the show row: a foreign key check takes FOR KEY SHARE
-- on the referenced row, and in an on-sale, where every terminal sells the
-- same show, that one row was the hottest spot of the database (`seatlock
-- bench --scenario toggle --clients 64` ran 30 to 45 % faster without the
-- keys booking_request (show_id) -> show and booking (show_id, venue_id)
-- -> show; 0009 dropped them).  They lose nothing: a request row commits
-- only together with its bookings, and sl_book checks the show first;
-- booking (show_id, seat_id) -> show_seat requires the show's inventory row
-- of that seat, whose own keys make the seat's venue the show's venue, and
-- booking (venue_id, seat_id) -> seat makes booking.venue_id the seat's.
CREATE TABLE booking_request (
	request_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_key	text NOT NULL CHECK (length(request_key) BETWEEN 1 AND 200),
	show_id		bigint NOT NULL,
	user_id		bigint NOT NULL REFERENCES app_user (user_id),
	seat_ids	bigint[] NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Serves: the idempotency lookup (WHERE request_key = ?); unique in the
-- database.
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
	-- The price and zone of a booking are recorded at sale: changing a
	-- zone's price later does not change what a customer paid.
	zone		text,
	price_cents	bigint NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
	CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
	FOREIGN KEY (show_id, seat_id) REFERENCES show_seat (show_id, seat_id),
	FOREIGN KEY (venue_id, seat_id) REFERENCES seat (venue_id, seat_id),
	CONSTRAINT booking_zone_fkey FOREIGN KEY (show_id, zone)
	    REFERENCES price_zone (show_id, zone)
);
-- THE INVARIANT: at most one active booking per seat per show.
CREATE UNIQUE INDEX booking_one_active_seat ON booking (show_id, seat_id)
	WHERE status = 'active';
-- Serves: replaying a request key (WHERE request_id = ?).
CREATE INDEX booking_request_idx ON booking (request_id);
-- Serves: a customer's bookings (WHERE user_id = ? ORDER BY booked_at).
CREATE INDEX booking_user_idx ON booking (user_id, booked_at);

-- One row per cancel made with a request key: a cancel sent again after a
-- lost connection answers from the first instead of saying "not active".
CREATE TABLE cancel_request (
	request_key	text PRIMARY KEY
			CHECK (length(request_key) BETWEEN 1 AND 200),
	booking_id	bigint NOT NULL REFERENCES booking (booking_id),
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- Serves: the idempotency lookup (WHERE request_key = ?) - the primary key.
-- No index on booking_id: bookings are never deleted, so the foreign key
-- is never checked from that side, and nothing looks cancels up by booking.

-- ---- the audit trail ----------------------------------------------------

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

-- ---- live push ----------------------------------------------------------

-- The change log of batched mode: rows written by changing transactions,
-- deleted by the notifier when it has sent them.  UNLOGGED: no WAL for the
-- bookings to write, and what a crash truncates no listener needs, since a
-- crash drops every listening connection and listeners reload after each
-- reconnect.  show_id leads the key, as in every per-show table.  No
-- foreign key to show: its check would lock the show row in every booking
-- (see booking_request); the notifier skips a show that is gone.
CREATE UNLOGGED TABLE show_change (
	show_id		bigint NOT NULL,
	change_id	bigint GENERATED ALWAYS AS IDENTITY,
	state		text NOT NULL,
	seats		bigint[],
	PRIMARY KEY (show_id, change_id)
);
-- The notifier deletes every row it sends: vacuum the table often, so that
-- its scan stays a few pages long (the notifier also vacuums it itself).
-- Never truncate it: that takes an exclusive lock, which would stall the
-- bookings appending to it, and a vacuum waits up to 5 s for that lock.
ALTER TABLE show_change SET (vacuum_truncate = false,
	autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 2000,
	autovacuum_vacuum_insert_scale_factor = 0,
	autovacuum_vacuum_insert_threshold = 20000);

-- ---- privileges on tables ---------------------------------------------
-- The migrating role (the owner) owns every table and function.  Clerks
-- (members of seatlock_clerk) read what the box office shows and change
-- nothing directly: every sale, hold, cancel and registration goes through
-- an sl_* function that runs as the owner (sql/functions/grants.sql).
-- Supervisors (members of seatlock_supervisor, who are also clerks)
-- additionally add venues, shows, zones, logins and blocks.

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO seatlock_clerk;
-- The box office reads shows, maps, customers, bookings, holds, zones,
-- reports and the trail; supervisors inherit this from seatlock_clerk.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO seatlock_clerk;
-- Tables that later migrations of this owner create: readable, nothing
-- more.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT ON TABLES TO seatlock_clerk;
