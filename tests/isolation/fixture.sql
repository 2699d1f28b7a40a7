-- The isolation specs' two wrappers, defined once: run.sh loads this file
-- before the specs and drops the functions after them.  They print seat
-- labels, never ids, so the expected output does not depend on the run.
CREATE OR REPLACE FUNCTION iso_book(p_seats text[], p_user text, p_key text)
RETURNS SETOF text LANGUAGE sql AS $$
  SELECT seat_label FROM sl_book(
    (SELECT show_id FROM show WHERE title = 'iso show'), p_seats,
    (SELECT user_id FROM app_user WHERE email = p_user), p_key)
$$;
-- Booking ids differ from run to run: errors print them as N.
CREATE OR REPLACE FUNCTION iso_cancel(p_key text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT seat_label FROM sl_cancel((SELECT b.booking_id
    FROM booking b JOIN booking_request r ON r.request_id = b.request_id
    WHERE r.request_key = p_key));
EXCEPTION WHEN OTHERS THEN
  RAISE EXCEPTION USING ERRCODE = SQLSTATE,
    MESSAGE = regexp_replace(SQLERRM, '[0-9]+', 'N', 'g');
END;
$$;
