-- 0013: on-sale windows.  A show may have an on-sale time (no sale before
-- it) and an off-sale time (no sale from it on); a show without them is on
-- sale, as before.  sl_sale_venue (sql/functions/sales.sql) checks them in
-- the read of the show that every sale makes anyway.
ALTER TABLE show
    ADD COLUMN on_sale_at timestamptz,
    ADD COLUMN off_sale_at timestamptz,
    ADD CONSTRAINT show_sale_window_check CHECK (off_sale_at > on_sale_at);
-- Serves: sl_sale_venue, the read of the show that starts every sale, as an
-- index-only scan like the venue lookup it replaces (served by
-- show_show_venue_key): reading the window from the heap would cost a sale
-- a heap fetch.  change_seq is not in it, so its bumps stay HOT updates.
CREATE UNIQUE INDEX show_sale_window_key ON show (show_id)
    INCLUDE (venue_id, on_sale_at, off_sale_at);

-- The selling functions gain a last argument, p_override boolean DEFAULT
-- false (a supervisor's explicit choice to sell outside the window).
-- CREATE OR REPLACE with another argument list would add an overload beside
-- the old function: a call with the old arguments would then be ambiguous,
-- and grants.sql's GRANT by bare name would fail.  The old signatures go
-- here, before `seatlock db migrate` applies the function files that
-- define the new ones (callers passing the old arguments reach the new
-- functions through the default).
DROP FUNCTION IF EXISTS sl_book(bigint, text[], bigint, text, text);
DROP FUNCTION IF EXISTS sl_book_hold(bigint, bigint, bigint, text, text);
DROP FUNCTION IF EXISTS sl_book_best(bigint, integer, bigint, text, text,
    text);
DROP FUNCTION IF EXISTS sl_exchange(bigint[], bigint, text[], text, text,
    text);
DROP FUNCTION IF EXISTS sl_hold(bigint, text[], integer, text, text);
