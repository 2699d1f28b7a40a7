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

-- Serves: customer search by name prefix, sl_user_search and the customer
-- branch of sl_book_search (WHERE lower(name) LIKE sl_prefix_pattern($1)).
-- text_pattern_ops: LIKE can use it whatever the database's collation.
CREATE INDEX app_user_name_prefix_idx ON app_user (lower(name) text_pattern_ops);

-- Serves: customer search by email prefix, the same two queries
-- (WHERE lower(email) LIKE sl_prefix_pattern($1)).  The unique index on
-- lower(email) cannot serve LIKE outside the C collation.
CREATE INDEX app_user_email_prefix_idx ON app_user (lower(email) text_pattern_ops);

-- Bookings of the customers found come from booking_user_idx (user_id,
-- booked_at) and a booking by its number from the primary key: no index
-- needed for those.
