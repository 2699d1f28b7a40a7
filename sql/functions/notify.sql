-- notify.sql: live push.
--
-- Every change of a show's seats is published by sl_publish, chosen per
-- session by the setting seatlock.notify_mode:
--
--   per-commit  (the default, also when unset or unknown) bump
--               show.change_seq and NOTIFY seatlock_show_<id> with
--               {"show","seq","state","seats"} inside the changing
--               transaction (a hint only, listeners re-read the tables);
--   batched     only append a row to show_change; the notifier (one
--               session, core/sl_notifier.c, elected with an advisory
--               lock) runs sl_notify_flush() every few milliseconds, which
--               bumps each changed show's change_seq once and sends one
--               NOTIFY per show with the merged seats;
--   off         no push at all (benchmarks, or a site without live maps).
--
-- In PostgreSQL 15 a transaction that has called NOTIFY takes a
-- database-wide lock before its commit record and keeps it through the WAL
-- flush, so notifying commits are serialized: batched mode lets group
-- commit work.  The setting comes from seatlock.conf (notify.mode, set per
-- connection by the core), or for a whole site from
--   ALTER DATABASE ... SET seatlock.notify_mode = 'batched';
-- Sessions of both modes can run side by side: every change_seq bump holds
-- the show row until its commit, so notifications still arrive in sequence
-- order without gaps.

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

-- Publishes one change of a show's seats.
-- Returns the show's new change_seq in per-commit mode, NULL in the other
-- modes (the notifier assigns the sequence when it sends the change).
CREATE OR REPLACE FUNCTION sl_publish(p_show bigint, p_state text,
    p_seats bigint[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_mode	text := current_setting('seatlock.notify_mode', true);
	v_seq	bigint;
BEGIN
	IF v_mode = 'batched' THEN
		INSERT INTO show_change (show_id, state, seats)
		    VALUES (p_show, p_state, p_seats);
		RETURN NULL;
	ELSIF v_mode = 'off' THEN
		RETURN NULL;
	END IF;
	UPDATE show SET change_seq = change_seq + 1
	    WHERE show_id = p_show
	    RETURNING change_seq INTO v_seq;
	PERFORM pg_notify('seatlock_show_' || p_show,
	    sl_change_payload(p_show, v_seq, p_state, p_seats));
	RETURN v_seq;
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
