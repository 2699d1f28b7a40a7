-- notify.sql: live push.
--
-- Every change of a show's seats is published by sl_publish: it appends a
-- row to show_change inside the changing transaction, always, whatever the
-- session's seatlock.notify_mode or the client's notify.mode say (issue 17,
-- finding 4: whether a sale is announced is never the seller's choice).
-- The setting is still accepted and ignored here.
--
-- The notifier (core/sl_notifier.c: `seatlock notifier`, or a thread of a
-- box office or server whose login may) claims the lease notifier_lease
-- (sl_notifier_claim, 0017) and, while it leads, runs sl_notify_flush()
-- every few milliseconds, which bumps each changed show's change_seq once
-- and sends one NOTIFY per show with the merged seats.  Only
-- seatlock_notifier (and the owner) may claim and flush (grants.sql).
--
-- No booking touches the show row any more: the old per-commit mode bumped
-- change_seq inside the seller's transaction, so a clerk who left one open
-- made every other seat of the show wait, "seat busy" (finding 5).  It also
-- kept notifying commits serialized: in PostgreSQL 15 a transaction that has
-- called NOTIFY takes a database-wide lock before its commit record; only
-- the notifier's own commits do now.

-- The payload of one change: {"show","seq","state","seats"}.  A NOTIFY
-- payload must stay under 8000 bytes: a longer seat list is sent as null,
-- which listeners read as "reload everything".
CREATE OR REPLACE FUNCTION sl_change_payload(p_show bigint, p_seq bigint,
    p_state text, p_seats bigint[])
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('show', p_show, 'seq', p_seq, 'state', p_state,
	    'seats', CASE WHEN length(p_seats::text) <= 7000 THEN p_seats END)::text
$$;

-- Publishes one change of a show's seats: appends it to the change log,
-- which the notifier sends.  Returns NULL (the notifier assigns the
-- sequence when it sends the change); the result type stays for its
-- callers.
CREATE OR REPLACE FUNCTION sl_publish(p_show bigint, p_state text,
    p_seats bigint[])
RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO show_change (show_id, state, seats)
	    VALUES (p_show, p_state, p_seats);
	RETURN NULL;
END;
$$;

-- One round of the notifier, one statement: takes every change of a
-- committed transaction from the log (the DELETE's snapshot does not see
-- the rows of transactions still running: they wait for the next round, so
-- nothing is lost, and the DELETE and the NOTIFYs commit together or not at
-- all, so nothing is sent twice), then per show bumps change_seq once and
-- sends one NOTIFY with the merged, sorted seats.  The state is the
-- changes' common state, or "changed" when they differ.  The show rows are
-- locked in show_id order first, as every multi-row lock here is.
-- Returns the number of notifications sent.  (PL/pgSQL, unlike a SQL
-- function, keeps the statement's plan for the session.)
CREATE OR REPLACE FUNCTION sl_notify_flush()
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	WITH d AS (
		DELETE FROM show_change
		RETURNING show_id, state, seats
	), g AS (
		SELECT show_id,
		    CASE WHEN min(state) = max(state) THEN min(state)
			ELSE 'changed' END AS state,
		    bool_or(seats IS NULL) AS reload
		FROM d GROUP BY show_id
	), s AS (
		SELECT d.show_id, array_agg(DISTINCT x ORDER BY x) AS seats
		FROM d, unnest(d.seats) x GROUP BY d.show_id
	), l AS (
		SELECT sh.show_id FROM show sh
		WHERE sh.show_id IN (SELECT show_id FROM g)
		ORDER BY sh.show_id
		FOR NO KEY UPDATE
	), u AS (
		UPDATE show sh SET change_seq = sh.change_seq + 1
		FROM l WHERE sh.show_id = l.show_id
		RETURNING sh.show_id, sh.change_seq
	)
	SELECT count(pg_notify('seatlock_show_' || u.show_id,
	    sl_change_payload(u.show_id, u.change_seq, g.state,
		CASE WHEN NOT g.reload THEN s.seats END)))
	INTO n
	FROM u JOIN g ON g.show_id = u.show_id
	LEFT JOIN s ON s.show_id = u.show_id;
	RETURN n;
END;
$$;

-- The election (0017): this session takes or keeps the lease when it holds
-- it already, when the holder has not beaten for p_stale_ms, or when the
-- holder's backend is gone; taking or keeping it renews the beat.  Returns
-- whether this session leads now.  One statement on the one row: two
-- candidates queue on its row lock, and the second sees the first's beat.
-- Two leaders for a moment stay correct: sl_notify_flush takes each change
-- once (its DELETE) and bumps each show's change_seq under the show row's
-- lock, so sequences stay in order.
CREATE OR REPLACE FUNCTION sl_notifier_claim(p_stale_ms integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE notifier_lease l
	    SET pid = pg_backend_pid(), login = session_user,
		beat = clock_timestamp()
	    WHERE l.lease_id = 1 AND (l.pid = pg_backend_pid()
		OR l.beat < clock_timestamp()
		    - make_interval(secs => greatest(p_stale_ms, 100) / 1000.0)
		OR l.pid IS NULL
		OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a
		    WHERE a.pid = l.pid));
	RETURN FOUND;
END;
$$;

-- How long ago (ms) a notifier last beat: NULL if never.  Clerks read it
-- (a box office shows "not live" when it grows).
CREATE OR REPLACE FUNCTION sl_notifier_beat_age()
RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN beat > '-infinity' THEN
	    (extract(epoch FROM clock_timestamp() - beat) * 1000)::bigint END
	FROM notifier_lease WHERE lease_id = 1
$$;

-- Ends the sessions of clerks (members of seatlock_clerk or seatlock_door,
-- never a superuser, never the owner, never this session) idle in a
-- transaction for longer than the setting idle_tx_limit_s: an open
-- transaction of a clerk must not hold seats or rows for ever, and a clerk
-- cannot switch this off (the setting is a supervisor's, and the leader
-- runs it).  Returns "pid login" of each session ended; the notifier logs
-- them.  A backend it may not signal is skipped.
CREATE OR REPLACE FUNCTION sl_notifier_reap()
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	v_limit	bigint;
	r	record;
BEGIN
	SELECT value INTO v_limit FROM setting WHERE name = 'idle_tx_limit_s';
	v_limit := coalesce(v_limit, 10);
	FOR r IN SELECT a.pid, a.usename::text AS login
	    FROM pg_stat_activity a JOIN pg_roles ro ON ro.oid = a.usesysid
	    WHERE a.datname = current_database()
	    AND a.state IN ('idle in transaction',
		'idle in transaction (aborted)')
	    AND a.state_change < clock_timestamp()
		- make_interval(secs => v_limit)
	    AND a.pid <> pg_backend_pid()
	    AND NOT ro.rolsuper AND ro.rolname <> current_user
	    AND (pg_has_role(ro.oid, 'seatlock_clerk', 'MEMBER')
		OR pg_has_role(ro.oid, 'seatlock_door', 'MEMBER'))
	LOOP
		BEGIN
			IF pg_terminate_backend(r.pid) THEN
				RAISE LOG 'seatlock notifier: ended session % '
				    'of % (idle in a transaction over % s)',
				    r.pid, r.login, v_limit;
				RETURN NEXT r.pid || ' ' || r.login;
			END IF;
		EXCEPTION WHEN insufficient_privilege THEN
			RAISE WARNING 'cannot end session % of %: the owner '
			    'needs pg_signal_backend', r.pid, r.login;
		END;
	END LOOP;
END;
$$;

-- The states of the seats (p_shows[i], p_ids[i]) (at most 1000 pairs), in
-- show and seat order: what `seatlock relay` reads once per read of its
-- connection, for the notifications of every show at once, for every box
-- office of its host (the "seats" line, issue 19), instead of each of them
-- re-reading the seats.  Granted by the deployment to the relay's login
-- only (assets/deploy/setup-logins); the payload only names the seats,
-- their states come from show_seat, after the notifier's commit.  (The
-- first form, one show a call, is gone: a read named 30 shows.)
DROP FUNCTION IF EXISTS sl_relay_states(bigint, bigint[]);
CREATE OR REPLACE FUNCTION sl_relay_states(p_shows bigint[], p_ids bigint[])
RETURNS TABLE (show_id bigint, seat_id bigint, state text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF coalesce(cardinality(p_ids), 0) > 1000 OR
	    cardinality(p_shows) IS DISTINCT FROM cardinality(p_ids) THEN
		RAISE EXCEPTION 'at most 1000 (show, seat) pairs per read'
		    USING ERRCODE = 'SL400';
	END IF;
	RETURN QUERY SELECT s.show_id, s.seat_id, s.state::text
	    FROM unnest(p_shows, p_ids) u(sh, se)
	    JOIN show_seat s ON s.show_id = u.sh AND s.seat_id = u.se
	    ORDER BY s.show_id, s.seat_id;
END;
$$;
