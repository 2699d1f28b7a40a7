-- 0004: lookups of the box office (issue 3): finding a customer to sell to
-- and a booking to cancel, by what a clerk types.

-- The LIKE pattern for "starts with p, whatever the case": lower-cased, with
-- the wildcards % and _ and the escape \ of p taken literally.  IMMUTABLE
-- and a plain SQL expression, so the planner inlines it and folds it to a
-- constant prefix when the parameter is known (PQexecParams plans the
-- unnamed statement with its values), which lets LIKE use the indexes below.
CREATE FUNCTION sl_prefix_pattern(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT replace(replace(replace(lower(p), '\', '\\'), '%', '\%'),
	    '_', '\_') || '%'
$$;

-- The indexes that serve these prefix searches (lower(name) and lower(email)
-- with text_pattern_ops: app_user_name_prefix_idx, app_user_email_prefix_idx)
-- are created by 0003_depth.sql for the customer lookup; sl_user_search and
-- the customer branch of sl_book_search use them through the pattern above.
-- Bookings of the customers found come from booking_user_idx (user_id,
-- booked_at) and a booking by its number from the primary key: no index
-- needed for those.
