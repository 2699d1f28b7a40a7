-- channels.sql: whose sales, holds and customers a caller may act on
-- (issue 17, finding 1; migration 0018).  Before the files that use them
-- in SQL functions (holds.sql, money.sql: applied in name order).

-- The role a token's request acts as: the role `seatlock serve` set with
-- SET ROLE for the token (sl_db_set_role); NULL for a login acting as
-- itself (a box office, the command line, the server without tokens).
-- Read from the setting "role", not current_user: every sl_* function is
-- SECURITY DEFINER (grants.sql), so current_user inside is the owner.
-- PostgreSQL lets a session set only a role its login is a member of, so
-- the answer is never a role the login could not act as anyway.
-- (PL/pgSQL: a SQL function that cannot be inlined - SECURITY DEFINER, a
-- SET clause: grants.sql - is parsed and planned on every call; every sale
-- calls this one from its triggers.)
CREATE OR REPLACE FUNCTION sl_api_role() RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN nullif(nullif(current_setting('role'), 'none'), session_user);
END;
$$;

-- Whether the caller may act on a sale, hold or customer whose api_role
-- (0018) is p_role: a login acting as itself on every one (the box office
-- and the command line act on every sale, as before); a token's role on
-- its own; a member of seatlock_api_admin on every one.  The callers answer
-- a refusal exactly as a missing row ("... not found", SL404), so another
-- channel's ids reveal nothing.  One check per call, no scan.
CREATE OR REPLACE FUNCTION sl_channel_ok(p_role text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r	text := sl_api_role();
BEGIN
	RETURN r IS NULL OR (r = p_role) IS TRUE
	    OR pg_has_role(r, 'seatlock_api_admin', 'MEMBER');
END;
$$;
