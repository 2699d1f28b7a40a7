-- 0009: no booking locks the show row.
--
-- A foreign key check takes FOR KEY SHARE on the referenced row.  Every
-- booking inserted a booking_request and a booking row, both with a key to
-- show, so every booking of a show locked that show's row; many concurrent
-- lockers of one row share it through a MultiXact, which each new locker
-- rebuilds with all the others inside, under the row's buffer lock.  In an
-- on-sale, where every terminal sells the same show, that one row was the
-- hottest spot of the database: `seatlock bench --scenario toggle
-- --clients 64` waited on LWLock BufferContent and MultiXactMember most of
-- its time, and ran 30 to 45 % faster without these two keys (measured
-- back to back on the same database).
--
-- booking (show_id, venue_id) -> show is implied by the keys that remain,
-- so dropping it loses nothing: seat_id is unique, booking (venue_id,
-- seat_id) -> seat makes booking.venue_id the seat's venue; booking
-- (show_id, seat_id) -> show_seat requires the show's inventory row of that
-- seat, whose own keys (venue_id, seat_id) -> seat and (show_id, venue_id)
-- -> show make the seat's venue the show's venue.  A booking still cannot
-- name a seat of another venue than its show's.
--
-- booking_request (show_id) -> show: a request row commits only together
-- with its bookings (a failed booking rolls the request back), and those
-- carry the keys above; sl_book checks the show first.  The key is dropped
-- for the same reason; show_change never had one.
ALTER TABLE booking DROP CONSTRAINT IF EXISTS booking_show_id_venue_id_fkey;
ALTER TABLE booking_request
	DROP CONSTRAINT IF EXISTS booking_request_show_id_fkey;
