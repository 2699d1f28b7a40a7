-- 0018: an API token acts only on its own channel (issue 17, finding 1).
--
-- `seatlock serve` runs each request of a token under SET ROLE <the token's
-- role> (sl_db_set_role); a box office, the command line and the server
-- without tokens act as their login (no SET ROLE).  The role a request
-- acted as is recorded, by the database and never from the request, in
-- api_role (NULL: a login acting as itself): on the sale (booking_request:
-- its bookings, payments and tickets are the sale's), the hold, the
-- customer (app_user: who registered it) and the audit trail's row (the
-- actor stays the login).  Triggers set it (sql/functions/audit.sql:
-- api_role_is_set_role) from sl_api_role() (channels.sql).
--
-- A token's role acts only on rows of its own api_role (sl_channel_ok,
-- channels.sql): another channel's sale, booking, payment, tickets, hold or
-- customer answers exactly as a missing one.  A member of the role
-- seatlock_api_admin acts on every channel.  Rows written before this
-- migration have no api_role: they are the box office's.
--
-- Roles belong to the cluster: created only when missing, as in 0001.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles
	    WHERE rolname = 'seatlock_api_admin') THEN
		CREATE ROLE seatlock_api_admin NOLOGIN;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END;
$$;

-- A role name (NAMEDATALEN - 1 bytes at most).  Adding a column without a
-- default rewrites no table.
ALTER TABLE booking_request ADD COLUMN api_role text
	CHECK (length(api_role) BETWEEN 1 AND 63);
ALTER TABLE hold ADD COLUMN api_role text
	CHECK (length(api_role) BETWEEN 1 AND 63);
ALTER TABLE app_user ADD COLUMN api_role text
	CHECK (length(api_role) BETWEEN 1 AND 63);
ALTER TABLE audit_log ADD COLUMN api_role text
	CHECK (length(api_role) BETWEEN 1 AND 63);

-- An email is one customer per channel (whatever its case): a token that
-- registers an email another channel has gets its own customer, not a
-- conflict that would tell it the other channel's customers.  Lookups by
-- email are served by app_user_email_prefix_idx (lower(email)).
DROP INDEX app_user_email_key;
CREATE UNIQUE INDEX app_user_email_key
	ON app_user (coalesce(api_role, ''), lower(email));
