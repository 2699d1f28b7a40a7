-- 0017: live push that no seller can stop or suppress (issue 17, findings
-- 3, 4 and 5).
--
-- The notifier was elected with an advisory lock any login could take, and
-- clerks could run its flush inside an open transaction.  Now:
--  * seatlock_notifier: the group of the logins that may run the notifier
--    (`seatlock clerk add NAME --role notifier`); the owner may too.  Only
--    it may claim the lease and flush (sql/functions/notify.sql, grants.sql);
--  * notifier_lease: the one row that says who leads and when it last beat.
--    The leader renews the beat every round of claims; a candidate takes
--    over when the holder's beat is older than a few seconds or its backend
--    is gone.  Clerks may read it (a box office shows "not live" when no
--    notifier has beaten for a while); only seatlock_notifier may UPDATE it,
--    and since a row lock (SELECT ... FOR UPDATE/SHARE) needs UPDATE
--    privilege, no clerk and no stranger can hold it;
--  * the setting idle_tx_limit_s (seconds, default 10): the leader ends a
--    clerk's session idle in a transaction longer than that (a clerk's open
--    transaction must not hold seats or rows for ever); only a supervisor
--    sets it (sl_setting_set).
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles
	    WHERE rolname = 'seatlock_notifier') THEN
		CREATE ROLE seatlock_notifier NOLOGIN;
	END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
	NULL;
END;
$$;

CREATE TABLE notifier_lease (
	lease_id	int PRIMARY KEY DEFAULT 1 CHECK (lease_id = 1),
	pid		int,
	login		text,
	beat		timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO notifier_lease (lease_id) VALUES (1);
REVOKE ALL ON notifier_lease FROM PUBLIC, seatlock_clerk, seatlock_door;
GRANT SELECT ON notifier_lease TO seatlock_clerk, seatlock_notifier;
GRANT UPDATE ON notifier_lease TO seatlock_notifier;
GRANT USAGE ON SCHEMA public TO seatlock_notifier;

ALTER TABLE setting DROP CONSTRAINT setting_name_check,
    ADD CONSTRAINT setting_name_check
	CHECK (name IN ('refund_limit_cents', 'idle_tx_limit_s')),
    ADD CONSTRAINT setting_idle_tx_limit_check
	CHECK (name <> 'idle_tx_limit_s' OR value BETWEEN 1 AND 86400);
INSERT INTO setting VALUES ('idle_tx_limit_s', 10);

-- Ending another role's session needs pg_signal_backend, and seeing that
-- it is idle in a transaction pg_read_all_stats (a superuser owner has
-- both).  Granted here when the migrating login may; otherwise an
-- administrator runs `GRANT pg_signal_backend, pg_read_all_stats TO
-- <owner>` once, and until then idle clerk transactions are not ended.
DO $$
DECLARE
	r	text;
BEGIN
	FOREACH r IN ARRAY ARRAY['pg_signal_backend', 'pg_read_all_stats'] LOOP
		BEGIN
			IF NOT pg_has_role(current_user, r, 'MEMBER') THEN
				EXECUTE format('GRANT %I TO %I', r,
				    current_user);
			END IF;
		EXCEPTION WHEN insufficient_privilege OR
		    invalid_grant_operation THEN
			RAISE NOTICE 'cannot grant % to %: idle clerk '
			    'transactions are not ended until an '
			    'administrator does', r, current_user;
		END;
	END LOOP;
END;
$$;
