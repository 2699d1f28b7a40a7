-- 0014: the sale as a box office completes it.
--
-- A sale is the booking_request row: the seats sold together under one
-- request key, with the short number a clerk reads aloud (request_id).  It
-- now records who sold it (clerk, terminal, shift, channel), its customer
-- or none (a walk-up), and any comp, discount or voucher.  Money moves in
-- payment rows (payments and refunds, append-only); the cash a clerk takes
-- belongs to the clerk's open shift (drawer).  History is rows: a refund
-- is a row, a cancelled seat keeps its booking row.

-- ---- the sale --------------------------------------------------------------
ALTER TABLE booking_request
    ALTER COLUMN user_id DROP NOT NULL,
    ADD COLUMN clerk text NOT NULL DEFAULT session_user,
    ADD COLUMN terminal text
	CHECK (length(terminal) BETWEEN 1 AND 255),
    ADD COLUMN channel text NOT NULL DEFAULT 'box office'
	CHECK (channel ~ '^[a-z][a-z0-9 _.-]{0,63}$'),
    ADD COLUMN shift_id bigint,
    ADD COLUMN comp_reason text
	CHECK (length(comp_reason) BETWEEN 1 AND 200
	    AND comp_reason !~ '[\x01-\x1f\x7f]'),
    ADD COLUMN discount_reason text
	CHECK (length(discount_reason) BETWEEN 1 AND 200
	    AND discount_reason !~ '[\x01-\x1f\x7f]'),
    ADD COLUMN voucher text,
    ADD COLUMN authorised_by text,
    ADD CONSTRAINT booking_request_one_reduction CHECK (
	(comp_reason IS NOT NULL)::int + (discount_reason IS NOT NULL)::int
	+ (voucher IS NOT NULL)::int <= 1);
-- Serves: reports by the date of sale (WHERE created_at >= ? AND < ?).
-- BRIN: sales are written in time order, so a block range summary finds
-- a day's rows, and every sale pays almost nothing to keep it (a B-tree
-- would add an index entry, its WAL and a hot right-hand leaf to each).
CREATE INDEX booking_request_created_idx ON booking_request
	USING brin (created_at);

-- A seat's price type (NULL: sold at its zone's price) and its list price
-- before a comp, discount or voucher (NULL: no reduction).  A walk-up's
-- booking has no customer.
ALTER TABLE booking
    ALTER COLUMN user_id DROP NOT NULL,
    ADD COLUMN price_type text
	CHECK (price_type ~ '^[a-z0-9_-]{1,32}$'),
    ADD COLUMN list_cents bigint,
    ADD CONSTRAINT booking_reduction_check
	CHECK (list_cents IS NULL OR list_cents > price_cents);

-- ---- shifts ----------------------------------------------------------------
-- A clerk's shift at a drawer: opened with a float, closed once with the
-- cash counted.  The expected cash is fixed at the close.  A closed shift
-- never changes (trigger shift_closed_frozen, sql/functions/money.sql).
CREATE TABLE shift (
	shift_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	clerk		text NOT NULL DEFAULT session_user,
	terminal	text NOT NULL CHECK (length(terminal) BETWEEN 1 AND 255),
	float_cents	bigint NOT NULL
			CHECK (float_cents BETWEEN 0 AND 10000000000),
	opened_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	closed_at	timestamptz,
	counted_cents	bigint CHECK (counted_cents BETWEEN 0 AND 10000000000),
	expected_cents	bigint,
	CHECK ((closed_at IS NULL) = (counted_cents IS NULL)),
	CHECK ((closed_at IS NULL) = (expected_cents IS NULL))
);
-- A clerk has at most one open shift; serves finding it (every payment).
CREATE UNIQUE INDEX shift_one_open ON shift (clerk) WHERE closed_at IS NULL;
ALTER TABLE booking_request ADD CONSTRAINT booking_request_shift_fkey
    FOREIGN KEY (shift_id) REFERENCES shift (shift_id);

-- ---- payments and refunds --------------------------------------------------
-- One row a payment or refund of a sale.  amount_cents is what the sale
-- gains (payment) or gives back (refund).  For cash, tendered_cents is what
-- the customer handed over and change_cents what went back: the drawer
-- keeps amount_cents.  Method 'exchange' moves money between the sales of
-- an exchange (never a drawer's).  A sale's balance (what was paid less
-- what was refunded, between 0 and the price of its active seats) is
-- checked at commit by payment_balanced (sql/functions/money.sql).
CREATE TABLE payment (
	payment_id	bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	request_id	bigint NOT NULL REFERENCES booking_request (request_id),
	kind		text NOT NULL CHECK (kind IN ('payment', 'refund')),
	method		text NOT NULL CHECK (method ~ '^[a-z][a-z0-9_-]{0,31}$'),
	amount_cents	bigint NOT NULL
			CHECK (amount_cents BETWEEN 1 AND 10000000000),
	tendered_cents	bigint,
	change_cents	bigint NOT NULL DEFAULT 0 CHECK (change_cents >= 0),
	shift_id	bigint REFERENCES shift (shift_id),
	booking_id	bigint REFERENCES booking (booking_id),
	clerk		text NOT NULL DEFAULT session_user,
	terminal	text CHECK (length(terminal) BETWEEN 1 AND 255),
	authorised_by	text,
	at		timestamptz NOT NULL DEFAULT clock_timestamp(),
	CHECK (tendered_cents IS NULL
	    OR tendered_cents = amount_cents + change_cents),
	CHECK (change_cents = 0 OR (method = 'cash' AND kind = 'payment')),
	-- cash always passes through a drawer
	CHECK (method <> 'cash' OR shift_id IS NOT NULL),
	CHECK (method <> 'exchange' OR shift_id IS NULL)
);
-- Serves: a sale's payments (WHERE request_id = ?), and its balance.
CREATE INDEX payment_request_idx ON payment (request_id);
-- Serves: a shift's X and Z report (WHERE shift_id = ?).
CREATE INDEX payment_shift_idx ON payment (shift_id)
	WHERE shift_id IS NOT NULL;
-- Serves: reports of takings by date (WHERE at >= ? AND at < ?).
CREATE INDEX payment_at_idx ON payment (at);

-- ---- vouchers ----------------------------------------------------------------
-- A voucher code takes a percentage or a fixed amount off a sale, up to
-- uses_max times, until valid_until (NULL: no end).  Its use is counted in
-- the sale's own transaction, under the voucher row's lock.
CREATE TABLE voucher (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z0-9-]{3,32}$'),
	percent		integer CHECK (percent BETWEEN 1 AND 100),
	amount_cents	bigint CHECK (amount_cents BETWEEN 1 AND 10000000000),
	uses_max	integer NOT NULL DEFAULT 1
			CHECK (uses_max BETWEEN 1 AND 1000000),
	uses		integer NOT NULL DEFAULT 0,
	valid_until	timestamptz,
	created_by	text NOT NULL DEFAULT session_user,
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	CHECK ((percent IS NULL) <> (amount_cents IS NULL)),
	CHECK (uses BETWEEN 0 AND uses_max)
);
ALTER TABLE booking_request ADD CONSTRAINT booking_request_voucher_fkey
    FOREIGN KEY (voucher) REFERENCES voucher (code);

-- ---- a supervisor's authorisation ---------------------------------------------
-- A one-time code a supervisor gives a clerk to authorise one comp,
-- discount or large refund: stored as its SHA-256, valid for minutes.
CREATE TABLE auth_code (
	code_hash	text PRIMARY KEY,
	supervisor	text NOT NULL DEFAULT session_user,
	created_at	timestamptz NOT NULL DEFAULT clock_timestamp(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	used_by		text
);

-- ---- settings ----------------------------------------------------------------
-- Venue-wide settings a supervisor sets in the database, not a clerk's
-- configuration file (which the clerk controls): refund_limit_cents, the
-- largest refund a clerk makes without a supervisor.
CREATE TABLE setting (
	name		text PRIMARY KEY CHECK (name IN ('refund_limit_cents')),
	value		bigint NOT NULL CHECK (value BETWEEN 0 AND 10000000000)
);
INSERT INTO setting VALUES ('refund_limit_cents', 10000);

-- ---- reservations ------------------------------------------------------------
-- A reservation is a named hold: seats kept for a customer (holder, and
-- the customer record if there is one) until a date and time, found from
-- any terminal and sold like any hold.
ALTER TABLE hold
    DROP CONSTRAINT hold_kind_check,
    ADD CONSTRAINT hold_kind_check
	CHECK (kind IN ('hold', 'block', 'reservation')),
    ADD COLUMN user_id bigint REFERENCES app_user (user_id),
    ADD COLUMN holder text CHECK (length(holder) BETWEEN 1 AND 200
	AND holder !~ '[\x01-\x1f\x7f]'),
    ADD CONSTRAINT hold_reservation_check
	CHECK ((kind = 'reservation') = (holder IS NOT NULL));
-- Serves: finding active reservations (by name or number, any terminal).
CREATE INDEX hold_reservation_idx ON hold (lower(holder))
	WHERE kind = 'reservation' AND status = 'active';

-- Clerks read every table (0001); only the sl_* functions write these.
GRANT SELECT ON shift, payment, voucher, setting TO seatlock_clerk;
REVOKE ALL ON auth_code FROM seatlock_clerk;

-- The functions whose arguments or results change (sql/functions): the old
-- signatures go, so that CREATE OR REPLACE does not add overloads (0013).
DROP FUNCTION IF EXISTS sl_book(bigint, text[], bigint, text, text, boolean);
DROP FUNCTION IF EXISTS sl_book_hold(bigint, bigint, bigint, text, text,
    boolean);
DROP FUNCTION IF EXISTS sl_book_best(bigint, integer, bigint, text, text,
    text, boolean);
DROP FUNCTION IF EXISTS sl_exchange(bigint[], bigint, text[], text, text,
    text, boolean);
DROP FUNCTION IF EXISTS sl_cancel(bigint, text);
DROP FUNCTION IF EXISTS sl_cancel_keyed(bigint, text, text);
DROP FUNCTION IF EXISTS sl_sell_ids(bigint, bigint, bigint[], bigint, bigint);
DROP FUNCTION IF EXISTS sl_request_bookings(bigint);
DROP FUNCTION IF EXISTS sl_hold_ids(bigint, bigint[], integer, text, text,
    boolean);
DROP FUNCTION IF EXISTS sl_request_claim(text, bigint, bigint, bigint[],
    integer);
DROP FUNCTION IF EXISTS sl_cancel_lookup(text, bigint);
DROP FUNCTION IF EXISTS sl_hold_change(bigint, text[], text[], integer, text);
DROP FUNCTION IF EXISTS sl_hold_best(bigint, integer, text, integer, text);
-- The audit trail's refusal of changes becomes the one refuse_change()
-- of every append-only table (sql/functions/audit.sql makes the trigger
-- again with it).
DROP FUNCTION IF EXISTS audit_log_refuse_change() CASCADE;
