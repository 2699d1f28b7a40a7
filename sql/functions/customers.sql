-- customers.sql: registering customers and finding them.

-- The LIKE pattern for "starts with p, whatever the case": lower-cased, with
-- the wildcards % and _ and the escape \ of p taken literally.  IMMUTABLE
-- and a plain SQL expression, so the planner inlines it and folds it to a
-- constant prefix when the parameter is known (PQexecParams plans the
-- unnamed statement with its values), which lets LIKE use the prefix indexes of
-- app_user (0001_baseline.sql).
CREATE OR REPLACE FUNCTION sl_prefix_pattern(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT replace(replace(replace(lower(p), '\', '\\'), '%', '\%'),
	    '_', '\_') || '%'
$$;

-- Registers a customer (sl_user_register).  The checks of app_user apply;
-- a second customer with the email is a unique violation (23505).
CREATE OR REPLACE FUNCTION sl_user_add(p_name text, p_email text, p_phone text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	INSERT INTO app_user (name, email, phone)
	    VALUES (p_name, p_email, p_phone)
	    RETURNING user_id INTO v_id;
	INSERT INTO audit_log (action, detail)
	    VALUES ('user register', json_build_object('user', v_id));
	RETURN v_id;
END;
$$;
