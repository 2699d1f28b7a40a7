-- shifts.sql: a clerk's shift at a drawer (0014).  Opened with a float;
-- every cash payment and refund of the clerk goes through it; an X report
-- at any time; closed once with the cash counted (the Z report), after
-- which it never changes (trigger shift_closed_frozen, money.sql).
-- Expected cash = the float + cash kept from sales - cash refunded.

-- Opens a shift of the login at terminal p_terminal with a float of
-- p_float cents.  SL409 when the login has a shift open already.
CREATE OR REPLACE FUNCTION sl_shift_open(p_float bigint, p_terminal text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint;
	v_at	timestamptz;
BEGIN
	IF p_float IS NULL OR p_float NOT BETWEEN 0 AND 10000000000 THEN
		RAISE EXCEPTION 'a float is 0.00 to 100000000.00'
		    USING ERRCODE = 'SL400';
	END IF;
	PERFORM sl_check_terminal(p_terminal);
	SELECT s.shift_id, s.opened_at INTO v_id, v_at FROM shift s
	    WHERE s.clerk = session_user AND s.closed_at IS NULL;
	IF FOUND THEN
		RAISE EXCEPTION 'shift % is open already (since %): close it '
		    'first', v_id, sl_sale_time(v_at) USING ERRCODE = 'SL409';
	END IF;
	INSERT INTO shift (terminal, float_cents)
	    VALUES (p_terminal, p_float) RETURNING shift_id INTO v_id;
	INSERT INTO audit_log (terminal, action, detail)
	    VALUES (p_terminal, 'shift open', json_build_object('shift', v_id,
		'float_cents', p_float));
	RETURN v_id;
END;
$$;

-- The cash a drawer should hold: the float + cash kept - cash refunded.
CREATE OR REPLACE FUNCTION sl_shift_expected(p_shift bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT s.float_cents + coalesce((SELECT sum(CASE p.kind
	    WHEN 'payment' THEN p.amount_cents ELSE -p.amount_cents END)
	    FROM payment p WHERE p.shift_id = p_shift AND p.method = 'cash'),
	    0)::bigint
	FROM shift s WHERE s.shift_id = p_shift;
$$;

-- The X (open) or Z (closed) report of shift p_shift as a document:
-- amounts as "12.50" with the same in cents beside (*_cents).
CREATE OR REPLACE FUNCTION sl_shift_doc(p_shift bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'shift', s.shift_id, 'clerk', s.clerk, 'terminal', s.terminal,
	    'report', CASE WHEN s.closed_at IS NULL THEN 'X' ELSE 'Z' END,
	    'opened_at', s.opened_at, 'closed_at', s.closed_at,
	    'float', sl_money_text(s.float_cents), 'float_cents', s.float_cents,
	    'expected', sl_money_text(x.expected), 'expected_cents', x.expected,
	    'counted', sl_money_text(s.counted_cents),
	    'counted_cents', s.counted_cents,
	    'difference', sl_money_text(s.counted_cents - x.expected),
	    'difference_cents', s.counted_cents - x.expected,
	    'sales', (SELECT count(DISTINCT p.request_id) FROM payment p
		WHERE p.shift_id = s.shift_id AND p.kind = 'payment'),
	    'by_method', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'method', m.method,
		'payments', sl_money_text(m.paid), 'payments_cents', m.paid,
		'refunds', sl_money_text(m.refunded),
		'refunds_cents', m.refunded,
		'net', sl_money_text(m.paid - m.refunded),
		'net_cents', m.paid - m.refunded,
		'count', m.n) ORDER BY m.method)
		FROM (SELECT p.method,
		    coalesce(sum(p.amount_cents)
			FILTER (WHERE p.kind = 'payment'), 0)::bigint AS paid,
		    coalesce(sum(p.amount_cents)
			FILTER (WHERE p.kind = 'refund'), 0)::bigint AS refunded,
		    count(*) AS n
		    FROM payment p WHERE p.shift_id = s.shift_id
		    GROUP BY p.method) m), '[]'::jsonb))
	FROM shift s
	CROSS JOIN LATERAL (SELECT coalesce(s.expected_cents,
	    sl_shift_expected(s.shift_id)) AS expected) x
	WHERE s.shift_id = p_shift;
$$;

-- The X report of the login's open shift (p_shift NULL), or the report of
-- shift p_shift (the login's own; any for a supervisor).  SL404 when there
-- is none.
CREATE OR REPLACE FUNCTION sl_shift_report(p_shift bigint DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_id	bigint := p_shift;
BEGIN
	IF v_id IS NULL THEN
		SELECT s.shift_id INTO v_id FROM shift s
		    WHERE s.clerk = session_user AND s.closed_at IS NULL;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'no open shift (seatlock shift open '
			    '--float AMOUNT)' USING ERRCODE = 'SL404';
		END IF;
	END IF;
	PERFORM 1 FROM shift s WHERE s.shift_id = v_id
	    AND (s.clerk = session_user OR sl_is_supervisor());
	IF NOT FOUND THEN
		RAISE EXCEPTION 'shift % not found', v_id USING ERRCODE = 'SL404';
	END IF;
	RETURN sl_shift_doc(v_id);
END;
$$;

-- Closes the login's open shift (p_shift NULL) or shift p_shift (the
-- login's own; any for a supervisor) with p_counted cents counted in the
-- drawer: fixes the expected cash and returns the Z report.  Payments of
-- the shift in flight finish first (they hold it FOR SHARE).  SL409 when
-- it is closed already or there is no open shift.
CREATE OR REPLACE FUNCTION sl_shift_close(p_counted bigint,
    p_shift bigint DEFAULT NULL, p_terminal text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v	shift;
BEGIN
	IF p_counted IS NULL OR p_counted NOT BETWEEN 0 AND 10000000000 THEN
		RAISE EXCEPTION 'the counted cash is 0.00 to 100000000.00'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT * INTO v FROM shift s
	    WHERE CASE WHEN p_shift IS NULL
		THEN s.clerk = session_user AND s.closed_at IS NULL
		ELSE s.shift_id = p_shift END
	    FOR UPDATE;
	IF NOT FOUND AND p_shift IS NULL THEN
		RAISE EXCEPTION 'no open shift to close' USING ERRCODE = 'SL409';
	ELSIF NOT FOUND OR (v.clerk <> session_user AND NOT sl_is_supervisor())
	THEN
		RAISE EXCEPTION 'shift % not found', p_shift
		    USING ERRCODE = 'SL404';
	ELSIF v.closed_at IS NOT NULL THEN
		RAISE EXCEPTION 'shift % is already closed (at %)', v.shift_id,
		    sl_sale_time(v.closed_at) USING ERRCODE = 'SL409';
	END IF;
	UPDATE shift s SET closed_at = clock_timestamp(),
	    counted_cents = p_counted,
	    expected_cents = sl_shift_expected(v.shift_id)
	    WHERE s.shift_id = v.shift_id;
	INSERT INTO audit_log (terminal, action, detail)
	    VALUES (p_terminal, 'shift close', json_build_object('shift',
		v.shift_id, 'counted_cents', p_counted));
	RETURN sl_shift_doc(v.shift_id);
END;
$$;
