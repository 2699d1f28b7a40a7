-- audit.sql: the audit trail's triggers.  The trigger functions are not
-- sl_*: nobody calls them directly (grants.sql).

-- The audit trail (audit_log) is append-only.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit trail is append-only'
	    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE OR REPLACE TRIGGER audit_log_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

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
