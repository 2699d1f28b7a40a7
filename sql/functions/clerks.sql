-- clerks.sql: who is a supervisor, and adding logins.

-- A supervisor is a superuser or a member of seatlock_supervisor.  The
-- session user decides, like the audit trail's actor: SET ROLE does not
-- make a clerk a supervisor, and SECURITY DEFINER functions do not change
-- the answer.
CREATE OR REPLACE FUNCTION sl_is_supervisor() RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT rolsuper FROM pg_roles
	    WHERE rolname = session_user), false)
	    OR pg_has_role(session_user, 'seatlock_supervisor', 'MEMBER');
$$;

-- Refuses (SL403) whoever is not a supervisor: "only a supervisor can
-- " and p_what ("set prices", "block seats", ...).
CREATE OR REPLACE FUNCTION sl_require_supervisor(p_what text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF NOT sl_is_supervisor() THEN
		RAISE EXCEPTION 'only a supervisor can %', p_what
		    USING ERRCODE = 'SL403';
	END IF;
END;
$$;

-- Creates a login that is a member of seatlock_clerk, seatlock_supervisor,
-- seatlock_door (a door's: it may check tickets in and nothing else,
-- grants.sql) or seatlock_notifier (the live push's notifier, `seatlock
-- notifier`: it may lead and flush, and nothing of a clerk's)
-- (`seatlock clerk add`).  Supervisors only.  The name
-- is a plain lower-case identifier, so it reads the same quoted or not, and
-- is still quoted with %I.  A role of that name that exists already is a
-- conflict: this never hands a group to a role made by somebody else.
-- The owner needs CREATEROLE (see assets/doc/deployment.md).
CREATE OR REPLACE FUNCTION sl_clerk_add(p_name text, p_role text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_group	text;
BEGIN
	PERFORM sl_require_supervisor('add clerks');
	IF p_name IS NULL OR p_name !~ '^[a-z_][a-z0-9_]{0,62}$'
	    OR p_name ~ '^pg_' OR p_name LIKE 'seatlock\_%' THEN
		RAISE EXCEPTION 'a clerk name is 1 to 63 lower-case letters, '
		    'digits and _, not starting with a digit, pg_ or seatlock_'
		    USING ERRCODE = 'SL400';
	END IF;
	-- door: a door's login, that checks tickets in and nothing else
	v_group := CASE p_role WHEN 'clerk' THEN 'seatlock_clerk'
	    WHEN 'supervisor' THEN 'seatlock_supervisor'
	    WHEN 'door' THEN 'seatlock_door'
	    WHEN 'notifier' THEN 'seatlock_notifier' END;
	IF v_group IS NULL THEN
		RAISE EXCEPTION 'the role is clerk, supervisor or door, or notifier'
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

-- PgBouncer's auth_query (assets/deploy/pgbouncer.ini, issue 19): the
-- SCRAM secret of a clerk's login (a member of seatlock_clerk: kiosks,
-- sellers, supervisors), so that each logs in to the pool with their own
-- password and no file lists them.  Nothing for any other role: not a
-- superuser, the owner, the notifier, the relay or a door, not a login
-- that may not log in, has expired or has no SCRAM secret.  Only the
-- pool's auth_user may call it (assets/deploy/setup-logins grants it; by
-- grants.sql nobody else may).  Reading pg_authid needs the owner to be a
-- superuser (the Docker image's POSTGRES_USER is); otherwise the call
-- fails and the pool lets nobody in through auth_query.
CREATE OR REPLACE FUNCTION sl_pool_auth(p_login text)
RETURNS TABLE (usename text, passwd text)
LANGUAGE sql STABLE AS $$
	SELECT a.rolname::text, a.rolpassword
	FROM pg_catalog.pg_authid a
	WHERE a.rolname = p_login AND a.rolcanlogin AND NOT a.rolsuper
	    AND (a.rolvaliduntil IS NULL OR a.rolvaliduntil > now())
	    AND a.rolpassword LIKE 'SCRAM-SHA-256$%'
	    AND pg_has_role(a.oid, 'seatlock_clerk', 'MEMBER')
$$;
