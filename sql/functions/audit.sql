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
