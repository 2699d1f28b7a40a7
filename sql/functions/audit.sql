-- audit.sql: the audit trail's triggers.  The trigger functions are not
-- sl_*: nobody calls them directly (grants.sql).

-- Tables that are history (the audit trail, payments) are append-only:
-- a statement trigger refuses every change with the message it is given
-- (TG_ARGV[0]).
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '%', TG_ARGV[0]
	    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER audit_log_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
	FOR EACH STATEMENT
	EXECUTE FUNCTION refuse_change('the audit trail is append-only');

-- Whoever inserts, the actor is the login: a column default can be
-- overridden by an explicit value, a trigger cannot.  session_user is the
-- login even inside a SECURITY DEFINER function (current_user is the owner
-- there).
CREATE OR REPLACE FUNCTION audit_actor_is_session_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.actor := session_user;
	RETURN NEW;
END;
$$;
CREATE OR REPLACE TRIGGER audit_log_actor BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_actor_is_session_user();
CREATE OR REPLACE TRIGGER hold_actor BEFORE INSERT ON hold
	FOR EACH ROW EXECUTE FUNCTION audit_actor_is_session_user();

-- The same for every table that records who did something: the clerk is
-- the login, whatever a function (or a future one) puts in the column.
CREATE OR REPLACE FUNCTION clerk_is_session_user() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.clerk := session_user;
	RETURN NEW;
END;
$$;
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['booking_request', 'payment', 'shift',
	    'ticket_print', 'checkin', 'scan'] LOOP
		EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE INSERT ON %I '
		    'FOR EACH ROW EXECUTE FUNCTION clerk_is_session_user()',
		    t || '_clerk', t);
	END LOOP;
END;
$$;

-- The role a token's request acted as (sl_api_role, channels.sql; NULL for a
-- login acting as itself) on the sale, the hold, the customer and the audit
-- trail's row (issue 17, finding 1; migration 0018): set by the database
-- whatever a function puts in the column, so a request cannot choose it.
CREATE OR REPLACE FUNCTION api_role_is_set_role() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.api_role := sl_api_role();
	RETURN NEW;
END;
$$;
CREATE OR REPLACE TRIGGER booking_request_api_role BEFORE INSERT
	ON booking_request FOR EACH ROW EXECUTE FUNCTION api_role_is_set_role();
CREATE OR REPLACE TRIGGER hold_api_role BEFORE INSERT
	ON hold FOR EACH ROW EXECUTE FUNCTION api_role_is_set_role();
CREATE OR REPLACE TRIGGER app_user_api_role BEFORE INSERT
	ON app_user FOR EACH ROW EXECUTE FUNCTION api_role_is_set_role();
CREATE OR REPLACE TRIGGER audit_log_api_role BEFORE INSERT
	ON audit_log FOR EACH ROW EXECUTE FUNCTION api_role_is_set_role();

-- A terminal is what the caller declares (p_terminal): it is refused,
-- before anything is written, unless it is 1 to 255 characters without
-- control characters (sl_check_terminal, sales.sql, which the functions
-- also call first) (issue 17, finding 12; migration 0016 is the audit
-- trail's constraint).  A BEFORE trigger runs before the tables' CHECKs, so
-- the clerk reads this message, not a constraint's name; the error rolls
-- back the whole function call.
CREATE OR REPLACE FUNCTION terminal_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.terminal IS NOT NULL THEN
		PERFORM sl_check_terminal(NEW.terminal);
	END IF;
	RETURN NEW;
END;
$$;
CREATE OR REPLACE TRIGGER hold_terminal BEFORE INSERT OR UPDATE OF terminal
	ON hold FOR EACH ROW EXECUTE FUNCTION terminal_checked();
DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['audit_log', 'booking_request', 'payment',
	    'shift', 'ticket_print'] LOOP
		EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE INSERT ON %I '
		    'FOR EACH ROW EXECUTE FUNCTION terminal_checked()',
		    t || '_terminal', t);
	END LOOP;
END;
$$;
