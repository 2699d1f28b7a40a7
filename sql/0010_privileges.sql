-- 0010: least privilege and the audit trail's actor (issue 5).
--
-- The migrating role (the owner) owns every table and function.  Clerks
-- (members of seatlock_clerk) read what the box office shows and change
-- nothing directly: every sale, hold, cancel and registration goes through
-- an sl_* function that runs as the owner (SECURITY DEFINER) with a pinned
-- search_path, so a clerk cannot shadow a table or operator with an object
-- of their own.  Supervisors (members of seatlock_supervisor, who are also
-- clerks) additionally add venues, shows, zones, logins and blocks.
--
-- Identity: each clerk is their own login.  session_user is the login even
-- inside a SECURITY DEFINER function (current_user is the owner there), so
-- the audit trail and the supervisor check use session_user; a trigger
-- below makes sure no insert can name somebody else.

-- ---- functions that replace direct DML of the core ------------------------

-- Registers a customer (sl_user_register).  The checks of app_user apply;
-- a second customer with the email is a unique violation (23505).
CREATE FUNCTION sl_user_add(p_name text, p_email text, p_phone text)
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

-- Imports a venue and its seats in one transaction (sl_venue_import): the
-- arrays are the seats' columns, one element per seat.  Returns the new
-- venue's id, or NULL when a venue of that name exists (nothing changed).
CREATE FUNCTION sl_venue_create(p_name text, p_labels text[],
    p_sections text[], p_rows text[], p_numbers integer[], p_x integer[],
    p_y integer[], p_accessible boolean[], p_companion boolean[],
    p_restricted boolean[], p_zones text[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
BEGIN
	IF NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can import venues'
		    USING ERRCODE = 'SL403';
	END IF;
	INSERT INTO venue (name) VALUES (p_name)
	    ON CONFLICT (name) DO NOTHING
	    RETURNING venue_id INTO v_id;
	IF v_id IS NULL THEN
		RETURN NULL;
	END IF;
	INSERT INTO seat (venue_id, label, section, row_label, number,
	    map_x, map_y, accessible, companion, restricted_view, zone)
	    SELECT v_id, * FROM unnest(p_labels, p_sections, p_rows,
		p_numbers, p_x, p_y, p_accessible, p_companion, p_restricted,
		p_zones);
	INSERT INTO audit_log (action, detail)
	    VALUES ('venue import', json_build_object('venue', v_id,
		'name', p_name, 'seats', cardinality(p_labels)));
	RETURN v_id;
END;
$$;

-- Creates a login that is a member of seatlock_clerk or
-- seatlock_supervisor (`seatlock clerk add`).  Supervisors only.  The name
-- is a plain lower-case identifier, so it reads the same quoted or not, and
-- is still quoted with %I.  A role of that name that exists already is a
-- conflict: this never hands a group to a role made by somebody else.
-- The owner needs CREATEROLE (see README.md).
CREATE FUNCTION sl_clerk_add(p_name text, p_role text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_group	text;
BEGIN
	IF NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can add clerks'
		    USING ERRCODE = 'SL403';
	END IF;
	IF p_name IS NULL OR p_name !~ '^[a-z_][a-z0-9_]{0,62}$'
	    OR p_name ~ '^pg_' OR p_name LIKE 'seatlock\_%' THEN
		RAISE EXCEPTION 'a clerk name is 1 to 63 lower-case letters, '
		    'digits and _, not starting with a digit, pg_ or seatlock_'
		    USING ERRCODE = 'SL400';
	END IF;
	v_group := CASE p_role WHEN 'clerk' THEN 'seatlock_clerk'
	    WHEN 'supervisor' THEN 'seatlock_supervisor' END;
	IF v_group IS NULL THEN
		RAISE EXCEPTION 'the role is clerk or supervisor'
		    USING ERRCODE = 'SL400';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
		RAISE EXCEPTION 'a role named % exists already', p_name
		    USING ERRCODE = 'SL409';
	END IF;
	EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB '
	    'NOCREATEROLE NOREPLICATION IN ROLE %I', p_name, v_group);
	INSERT INTO audit_log (action, detail)
	    VALUES ('clerk add', json_build_object('name', p_name,
		'role', p_role));
EXCEPTION WHEN duplicate_object THEN
	RAISE EXCEPTION 'a role named % exists already', p_name
	    USING ERRCODE = 'SL409';
END;
$$;

-- ---- the audit trail's actor -----------------------------------------------

-- Whoever inserts, the actor is the login: a column default can be
-- overridden by an explicit value, a trigger cannot.
CREATE FUNCTION audit_actor_is_session_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.actor := session_user;
	RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_actor BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_actor_is_session_user();
CREATE TRIGGER hold_actor BEFORE INSERT ON hold
	FOR EACH ROW EXECUTE FUNCTION audit_actor_is_session_user();

-- ---- tables ------------------------------------------------------------------

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO seatlock_clerk;
-- Start from nothing: 0003 granted the groups INSERT and UPDATE.
REVOKE ALL ON ALL TABLES IN SCHEMA public
    FROM PUBLIC, seatlock_clerk, seatlock_supervisor;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public
    FROM PUBLIC, seatlock_clerk, seatlock_supervisor;
-- The box office reads shows, maps, customers, bookings, holds, zones,
-- reports and the trail; supervisors inherit this from seatlock_clerk.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO seatlock_clerk;
-- Tables that later migrations of this owner create: readable, nothing
-- more.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT ON TABLES TO seatlock_clerk;

-- ---- functions ---------------------------------------------------------------

-- Every sl_* function runs as the owner with a pinned search_path (pg_temp
-- last, so a temporary table cannot shadow ours), and nobody may call one
-- unless granted here.  Two exceptions from SECURITY DEFINER: IMMUTABLE
-- functions touch no table, and a SET clause would stop the planner from
-- inlining them (sl_prefix_pattern must inline for its LIKE to use the
-- prefix indexes).
--
-- Who may call what:
--  * internal helpers, called only by other sl_* functions (running as the
--    owner): nobody else - called directly they would skip the locks and
--    checks of their callers;
--  * functions that change the venues, the schedule or the logins:
--    seatlock_supervisor (a clerk gets 42501);
--  * all others: seatlock_clerk (and so supervisors too).  Of these,
--    sl_hold, sl_release and sl_book_hold check sl_is_supervisor() for
--    blocks and sl_zone_set and sl_zone_assign for prices (a clerk gets
--    SL403, as before this migration).
DO $$
DECLARE
	f	record;
	v_sig	text;
BEGIN
	FOR f IN SELECT p.oid, p.proname, p.provolatile
	    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = 'public' AND p.proname LIKE 'sl\_%'
	    ORDER BY p.proname, p.oid
	LOOP
		v_sig := f.oid::regprocedure::text;
		IF f.provolatile <> 'i' THEN
			EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER '
			    'SET search_path = pg_catalog, public, pg_temp',
			    v_sig);
		END IF;
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_sig);
		IF f.proname IN ('sl_publish', 'sl_unfree_labels',
		    'sl_companion_check', 'sl_sell_ids', 'sl_show_venue',
		    'sl_seat_ids', 'sl_check_request', 'sl_best_candidates') THEN
			CONTINUE;
		ELSIF f.proname IN ('sl_show_add', 'sl_venue_create',
		    'sl_clerk_add') THEN
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO '
			    'seatlock_supervisor', v_sig);
		ELSE
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO '
			    'seatlock_clerk', v_sig);
		END IF;
	END LOOP;
END;
$$;

-- The trigger functions are not sl_*: nobody calls them directly.
REVOKE ALL ON FUNCTION audit_log_refuse_change() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_actor_is_session_user() FROM PUBLIC;
