-- money.sql: what a sale costs and how it is paid (0014): price types per
-- seat, comps, discounts and vouchers, payments with change, refunds, the
-- supervisor's authorisation, and the guards that keep the money rows
-- honest (append-only payments, balanced sales, frozen closed shifts).
--
-- Money is integer cents everywhere.  A sale's balance is what was paid
-- less what was refunded; it stays between 0 and the price of the sale's
-- active seats (payment_balanced, checked at commit).  What is due is the
-- price of the active seats less the balance.

-- cents as "12.50" ("-2.50"): the amounts of the JSON documents below.
CREATE OR REPLACE FUNCTION sl_money_text(p bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p < 0 THEN '-' ELSE '' END || (abs(p) / 100)::text
	    || '.' || lpad((abs(p) % 100)::text, 2, '0');
$$;

-- ---- guards ---------------------------------------------------------------

-- Payments are history: never changed, never deleted (refuse_change,
-- audit.sql).
CREATE OR REPLACE TRIGGER payment_append_only
	BEFORE UPDATE OR DELETE OR TRUNCATE ON payment
	FOR EACH STATEMENT EXECUTE FUNCTION
	refuse_change('payments are append-only: a refund is a new row');

-- A closed shift never changes.
CREATE OR REPLACE FUNCTION shift_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'shift % is closed: a closed shift never changes',
	    OLD.shift_id USING ERRCODE = 'SL409';
END;
$$;
CREATE OR REPLACE TRIGGER shift_closed_frozen
	BEFORE UPDATE OR DELETE ON shift
	FOR EACH ROW WHEN (OLD.closed_at IS NOT NULL)
	EXECUTE FUNCTION shift_refuse_change();

-- At commit, every sale that gained a payment or refund, or lost a seat,
-- is balanced: paid less refunded between 0 and its active seats' price.
CREATE OR REPLACE FUNCTION sale_check_balance() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v_net	bigint;
	v_total	bigint;
BEGIN
	SELECT coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_cents
	    ELSE -p.amount_cents END), 0) INTO v_net
	    FROM payment p WHERE p.request_id = NEW.request_id;
	IF v_net = 0 AND TG_TABLE_NAME = 'booking' THEN
		RETURN NULL;
	END IF;
	SELECT coalesce(sum(b.price_cents), 0) INTO v_total FROM booking b
	    WHERE b.request_id = NEW.request_id AND b.status = 'active';
	IF v_net < 0 OR v_net > v_total THEN
		RAISE EXCEPTION 'sale % would be unbalanced: % paid for seats '
		    'of %', NEW.request_id, sl_money_text(v_net),
		    sl_money_text(v_total) USING ERRCODE = 'check_violation';
	END IF;
	RETURN NULL;
END;
$$;
-- (A constraint trigger has no OR REPLACE: dropped and made again.)
DROP TRIGGER IF EXISTS payment_balanced ON payment;
CREATE CONSTRAINT TRIGGER payment_balanced
	AFTER INSERT ON payment DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION sale_check_balance();
DROP TRIGGER IF EXISTS booking_cancel_balanced ON booking;
CREATE CONSTRAINT TRIGGER booking_cancel_balanced
	AFTER UPDATE OF status ON booking DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION sale_check_balance();

-- ---- the sums of a sale ------------------------------------------------------

-- What sale p_req has been paid, less refunds.
CREATE OR REPLACE FUNCTION sl_sale_net(p_req bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_cents
	    ELSE -p.amount_cents END), 0)::bigint
	FROM payment p WHERE p.request_id = p_req;
$$;

-- The price of the active seats of sale p_req.
CREATE OR REPLACE FUNCTION sl_sale_total(p_req bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT coalesce(sum(b.price_cents), 0)::bigint FROM booking b
	WHERE b.request_id = p_req AND b.status = 'active';
$$;

-- ---- price types -------------------------------------------------------------

-- Checks that each seat p_ids[i] of p_show (seat order) has price type
-- p_types[i] (NULL: its zone's default type, or its zone's price) in its
-- zone: SL400 naming the seat and type otherwise.
CREATE OR REPLACE FUNCTION sl_sale_types(p_show bigint, p_ids bigint[],
    p_types text[]) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_bad	record;
BEGIN
	IF p_types IS NULL THEN
		RETURN;
	END IF;
	IF cardinality(p_types) <> cardinality(p_ids) THEN
		RAISE EXCEPTION 'one price type a seat: % seats, % types',
		    cardinality(p_ids), cardinality(p_types)
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT s.label, u.t, ss.zone INTO v_bad
	    FROM unnest(p_ids, p_types) u(id, t)
	    JOIN seat s ON s.seat_id = u.id
	    JOIN show_seat ss ON ss.show_id = p_show AND ss.seat_id = u.id
	    WHERE u.t IS NOT NULL AND NOT EXISTS (SELECT 1 FROM price_type pt
		WHERE pt.show_id = p_show AND pt.zone = ss.zone
		AND pt.code = u.t)
	    LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'no price type % for seat % (%)', v_bad.t,
		    v_bad.label, coalesce('zone ' || v_bad.zone, 'no zone')
		    USING ERRCODE = 'SL400', DETAIL = v_bad.label;
	END IF;
END;
$$;

-- The price types of p_opts->'types' for seats p_ids (seat order): an
-- array parallel to p_labels when they are given (a sale by label), else
-- to the seats in seat order (a hold, best available); NULL without types.
CREATE OR REPLACE FUNCTION sl_sale_type_list(p_venue bigint, p_ids bigint[],
    p_labels text[], p_opts jsonb) RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT CASE
	    WHEN p_opts IS NULL OR jsonb_typeof(p_opts -> 'types') IS
		DISTINCT FROM 'array' THEN NULL
	    WHEN p_labels IS NULL THEN
		ARRAY(SELECT t FROM jsonb_array_elements_text(p_opts -> 'types')
		    WITH ORDINALITY x(t, i) ORDER BY i)
	    ELSE ARRAY(SELECT x.t
		FROM jsonb_array_elements_text(p_opts -> 'types')
		    WITH ORDINALITY x(t, i)
		JOIN seat s ON s.venue_id = p_venue AND s.label = p_labels[x.i]
		ORDER BY s.seat_id) END;
$$;

-- ---- a supervisor's authorisation ----------------------------------------------

-- Who authorises p_what (a comp, a discount, a large refund): the login
-- itself when it is a supervisor, else the supervisor who issued the
-- one-time code p_auth (sl_auth_issue), which this use spends.  SL403 when
-- neither.
CREATE OR REPLACE FUNCTION sl_authorise(p_auth text, p_what text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_by	text;
BEGIN
	IF sl_is_supervisor() THEN
		RETURN session_user;
	END IF;
	IF p_auth IS NULL THEN
		RAISE EXCEPTION '% needs a supervisor: ask one for a code '
		    '(seatlock auth) and give it with --auth', p_what
		    USING ERRCODE = 'SL403';
	END IF;
	UPDATE auth_code a SET used_at = clock_timestamp(),
	    used_by = session_user
	    WHERE a.code_hash = encode(sha256(convert_to(
		upper(replace(p_auth, '-', '')), 'UTF8')), 'hex')
	    AND a.used_at IS NULL AND a.expires_at > clock_timestamp()
	    RETURNING a.supervisor INTO v_by;
	IF v_by IS NULL THEN
		RAISE EXCEPTION 'the supervisor''s code for % is not valid '
		    '(unknown, used or expired)', p_what USING ERRCODE = 'SL403';
	END IF;
	RETURN v_by;
END;
$$;

-- A supervisor's one-time code, valid p_minutes (1 to 60): ten letters and
-- digits (about 49 random bits), written as two groups of five joined by
-- a dash (K7QMX-3TZ9A).  Stored as a hash.
CREATE OR REPLACE FUNCTION sl_auth_issue(p_minutes integer)
RETURNS TABLE (code text, expires_at timestamptz)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	c_alpha	constant text := 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
	v_raw	bytea := uuid_send(gen_random_uuid());
	v_code	text := '';
	v_until	timestamptz;
BEGIN
	PERFORM sl_require_supervisor('issue an authorisation code');
	IF p_minutes IS NULL OR p_minutes NOT BETWEEN 1 AND 60 THEN
		RAISE EXCEPTION 'a code lasts 1 to 60 minutes'
		    USING ERRCODE = 'SL400';
	END IF;
	SELECT string_agg(substr(c_alpha, 1 + get_byte(v_raw, i) % 30, 1), ''
	    ORDER BY i) INTO v_code FROM generate_series(0, 9) i;
	v_until := clock_timestamp() + make_interval(mins => p_minutes);
	INSERT INTO auth_code (code_hash, expires_at)
	    VALUES (encode(sha256(convert_to(v_code, 'UTF8')), 'hex'), v_until);
	RETURN QUERY SELECT substr(v_code, 1, 5) || '-' || substr(v_code, 6),
	    v_until;
END;
$$;

-- ---- comps, discounts, vouchers -------------------------------------------------

-- Takes p_cents (spread over the seats in seat order, each at most its
-- price) or p_percent of each seat's price off the active seats of sale
-- p_req; the list price is kept.
CREATE OR REPLACE FUNCTION sl_sale_reduce(p_req bigint, p_cents bigint,
    p_percent integer) RETURNS void
LANGUAGE sql AS $$
	WITH s AS (
		SELECT b.booking_id, b.price_cents,
		    sum(b.price_cents) OVER (ORDER BY b.seat_id)
			- b.price_cents AS before
		FROM booking b
		WHERE b.request_id = p_req AND b.status = 'active'
	), r AS (
		SELECT s.booking_id, CASE WHEN p_percent IS NOT NULL
		    THEN (s.price_cents * p_percent + 50) / 100
		    ELSE least(s.price_cents, greatest(p_cents - s.before, 0))
		    END AS off
		FROM s
	)
	UPDATE booking b SET list_cents = b.price_cents,
	    price_cents = b.price_cents - r.off
	FROM r WHERE b.booking_id = r.booking_id AND r.off > 0;
$$;

-- Counts one use of voucher p_code and returns its percent or amount:
-- under the voucher's row lock, so two sales cannot both take its last
-- use.  SL404 unknown, SL409 used up or expired.
CREATE OR REPLACE FUNCTION sl_voucher_take(p_code text,
    OUT percent integer, OUT amount_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v	voucher;
BEGIN
	UPDATE voucher x SET uses = x.uses + 1
	    WHERE x.code = upper(p_code) AND x.uses < x.uses_max
	    AND (x.valid_until IS NULL OR x.valid_until > now())
	    RETURNING x.percent, x.amount_cents INTO percent, amount_cents;
	IF FOUND THEN
		RETURN;
	END IF;
	SELECT * INTO v FROM voucher x WHERE x.code = upper(p_code);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'voucher % not found', upper(p_code)
		    USING ERRCODE = 'SL404';
	ELSIF v.uses >= v.uses_max THEN
		RAISE EXCEPTION 'voucher % is used up (% of % uses)', v.code,
		    v.uses, v.uses_max USING ERRCODE = 'SL409';
	END IF;
	RAISE EXCEPTION 'voucher % expired at %', v.code,
	    sl_sale_time(v.valid_until) USING ERRCODE = 'SL409';
END;
$$;

-- Adds voucher p_code: p_percent (1 to 100) or p_cents off a sale, p_uses
-- times, until p_until (NULL: no end).  Supervisor.
CREATE OR REPLACE FUNCTION sl_voucher_add(p_code text, p_percent integer,
    p_cents bigint, p_uses integer, p_until timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM sl_require_supervisor('add vouchers');
	IF p_code IS NULL OR upper(p_code) !~ '^[A-Z0-9-]{3,32}$' THEN
		RAISE EXCEPTION 'a voucher code is 3 to 32 letters, digits or '
		    '''-''' USING ERRCODE = 'SL400';
	END IF;
	IF (p_percent IS NULL) = (p_cents IS NULL)
	    OR p_percent NOT BETWEEN 1 AND 100
	    OR p_cents NOT BETWEEN 1 AND 10000000000 THEN
		RAISE EXCEPTION 'a voucher takes 1 to 100 percent or an amount '
		    'of 0.01 to 100000000.00 off' USING ERRCODE = 'SL400';
	END IF;
	IF p_uses IS NULL OR p_uses NOT BETWEEN 1 AND 1000000 THEN
		RAISE EXCEPTION 'a voucher has 1 to 1000000 uses'
		    USING ERRCODE = 'SL400';
	END IF;
	IF p_until <= now() THEN
		RAISE EXCEPTION 'the voucher would have expired already'
		    USING ERRCODE = 'SL400';
	END IF;
	INSERT INTO voucher (code, percent, amount_cents, uses_max, valid_until)
	    VALUES (upper(p_code), p_percent, p_cents, p_uses, p_until);
EXCEPTION WHEN unique_violation THEN
	RAISE EXCEPTION 'voucher % exists already', upper(p_code)
	    USING ERRCODE = 'SL409';
END;
$$;

-- Applies the comp, discount or voucher of p_opts to sale p_req (one of
-- them at most): a comp ({"comp": reason}) sells every seat at 0; a
-- discount ({"discount_cents": n, "reason": why}) takes n off; both need a
-- supervisor or a supervisor's code ({"auth": code}).  A voucher
-- ({"voucher": code}) is counted in this transaction.
CREATE OR REPLACE FUNCTION sl_sale_reductions(p_req bigint, p_opts jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_comp	text := p_opts ->> 'comp';
	v_disc	bigint := (p_opts ->> 'discount_cents')::bigint;
	v_vch	text := p_opts ->> 'voucher';
	v_by	text;
	v_pct	integer;
	v_amt	bigint;
BEGIN
	IF (v_comp IS NOT NULL)::int + (v_disc IS NOT NULL)::int
	    + (v_vch IS NOT NULL)::int > 1 THEN
		RAISE EXCEPTION 'a sale takes one of a comp, a discount or a '
		    'voucher' USING ERRCODE = 'SL400';
	END IF;
	IF v_comp IS NOT NULL THEN
		PERFORM sl_check_reason(v_comp);
		v_by := sl_authorise(p_opts ->> 'auth', 'a comp');
		PERFORM sl_sale_reduce(p_req, NULL, 100);
		UPDATE booking_request SET comp_reason = v_comp,
		    authorised_by = v_by WHERE request_id = p_req;
	ELSIF v_disc IS NOT NULL THEN
		IF p_opts ->> 'reason' IS NULL THEN
			RAISE EXCEPTION 'a discount needs a reason'
			    USING ERRCODE = 'SL400';
		END IF;
		PERFORM sl_check_reason(p_opts ->> 'reason');
		IF v_disc < 1 OR v_disc > sl_sale_total(p_req) THEN
			RAISE EXCEPTION 'a discount of % on a sale of %',
			    sl_money_text(v_disc),
			    sl_money_text(sl_sale_total(p_req))
			    USING ERRCODE = 'SL400';
		END IF;
		v_by := sl_authorise(p_opts ->> 'auth', 'a discount');
		PERFORM sl_sale_reduce(p_req, v_disc, NULL);
		UPDATE booking_request SET discount_reason = p_opts ->> 'reason',
		    authorised_by = v_by WHERE request_id = p_req;
	ELSIF v_vch IS NOT NULL THEN
		SELECT * INTO v_pct, v_amt FROM sl_voucher_take(v_vch);
		PERFORM sl_sale_reduce(p_req, v_amt, v_pct);
		UPDATE booking_request SET voucher = upper(v_vch)
		    WHERE request_id = p_req;
	END IF;
END;
$$;

-- ---- payments and refunds ------------------------------------------------------

-- The login's open shift, read FOR SHARE (a close waits for the payment),
-- or NULL.
CREATE OR REPLACE FUNCTION sl_shift_current() RETURNS bigint
LANGUAGE sql AS $$
	SELECT s.shift_id FROM shift s
	WHERE s.clerk = session_user AND s.closed_at IS NULL
	FOR SHARE;
$$;

-- Refuses a payment method that is not one: lower-case letters, digits,
-- '_' or '-'; 'exchange' is the exchanges' own (SL400).
CREATE OR REPLACE FUNCTION sl_check_method(p_method text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_method IS NULL OR p_method !~ '^[a-z][a-z0-9_-]{0,31}$'
	    OR p_method = 'exchange' THEN
		RAISE EXCEPTION 'unknown payment method %',
		    coalesce(p_method, '(none)') USING ERRCODE = 'SL400';
	END IF;
END;
$$;

-- Takes one payment for sale p_req, whose row the caller locked: cash
-- p_cents tendered (NULL: exactly what is due), the change is the rest and
-- the drawer of the login's open shift keeps what is due (no open shift:
-- SL409); another method is charged p_cents (NULL: what is due; more than
-- is due: SL400).  Returns what the sale gained and the change.
CREATE OR REPLACE FUNCTION sl_pay_one(p_req bigint, p_method text,
    p_cents bigint, p_terminal text,
    OUT amount_cents bigint, OUT change_cents bigint)
LANGUAGE plpgsql AS $$
DECLARE
	v_due	bigint := sl_sale_total(p_req) - sl_sale_net(p_req);
	v_shift	bigint := sl_shift_current();
BEGIN
	PERFORM sl_check_method(p_method);
	IF p_cents IS NOT NULL AND p_cents NOT BETWEEN 1 AND 10000000000 THEN
		RAISE EXCEPTION 'an amount paid is 0.01 to 100000000.00'
		    USING ERRCODE = 'SL400';
	END IF;
	IF v_due <= 0 THEN
		RAISE EXCEPTION 'sale % is paid in full', p_req
		    USING ERRCODE = 'SL409';
	END IF;
	IF p_method = 'cash' THEN
		IF v_shift IS NULL THEN
			RAISE EXCEPTION 'no open shift: open one (seatlock shift '
			    'open --float AMOUNT) before taking cash'
			    USING ERRCODE = 'SL409';
		END IF;
		amount_cents := least(coalesce(p_cents, v_due), v_due);
		change_cents := coalesce(p_cents, v_due) - amount_cents;
	ELSE
		amount_cents := coalesce(p_cents, v_due);
		change_cents := 0;
		IF amount_cents > v_due THEN
			RAISE EXCEPTION '% is more than the % due (only cash '
			    'gives change)', sl_money_text(amount_cents),
			    sl_money_text(v_due) USING ERRCODE = 'SL400';
		END IF;
	END IF;
	INSERT INTO payment (request_id, kind, method, amount_cents,
	    tendered_cents, change_cents, shift_id, terminal)
	    VALUES (p_req, 'payment', p_method, amount_cents,
		CASE p_method WHEN 'cash' THEN amount_cents + change_cents END,
		change_cents, v_shift, p_terminal);
END;
$$;

-- Takes the payments of p_opts->'pay' ([{"method": m, "cents": n|null}])
-- for sale p_req in order (one of "what is due" when nothing is due is
-- skipped); when any were given the sale must then be paid in full (SL409
-- "not paid in full", and nothing is sold).
CREATE OR REPLACE FUNCTION sl_sale_payments(p_req bigint, p_opts jsonb,
    p_terminal text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_p	jsonb;
	v_due	bigint;
BEGIN
	IF p_opts IS NULL OR jsonb_typeof(p_opts -> 'pay') IS DISTINCT FROM
	    'array' OR jsonb_array_length(p_opts -> 'pay') = 0 THEN
		RETURN;
	END IF;
	FOR v_p IN SELECT * FROM jsonb_array_elements(p_opts -> 'pay') LOOP
		-- "What is due" when nothing is (a sale at 0, a split whose
		-- first part covered it) is no payment, not a refusal.
		CONTINUE WHEN v_p ->> 'cents' IS NULL AND
		    sl_sale_total(p_req) - sl_sale_net(p_req) <= 0;
		PERFORM sl_pay_one(p_req, v_p ->> 'method',
		    (v_p ->> 'cents')::bigint, p_terminal);
	END LOOP;
	v_due := sl_sale_total(p_req) - sl_sale_net(p_req);
	IF v_due > 0 THEN
		RAISE EXCEPTION 'not paid in full: % still due', sl_money_text(v_due)
		    USING ERRCODE = 'SL409';
	END IF;
END;
$$;

-- Pays sale p_sale: one payment as sl_pay_one.  Payments of one sale queue
-- on the sale's row.  Returns what the sale gained, the change, and what
-- is still due.  SL404 unknown sale.
CREATE OR REPLACE FUNCTION sl_pay(p_sale bigint, p_method text,
    p_cents bigint, p_terminal text)
RETURNS TABLE (amount_cents bigint, change_cents bigint, due_cents bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	v_amt	bigint;
	v_chg	bigint;
BEGIN
	PERFORM 1 FROM booking_request r WHERE r.request_id = p_sale
	    AND sl_channel_ok(r.api_role)
	    FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'sale % not found', p_sale USING ERRCODE = 'SL404';
	END IF;
	SELECT * INTO v_amt, v_chg
	    FROM sl_pay_one(p_sale, p_method, p_cents, p_terminal);
	INSERT INTO audit_log (terminal, action, show_id, detail)
	    SELECT p_terminal, 'pay', r.show_id, json_build_object('sale',
		p_sale, 'method', p_method, 'amount_cents', v_amt,
		'change_cents', v_chg)
	    FROM booking_request r WHERE r.request_id = p_sale;
	RETURN QUERY SELECT v_amt, v_chg,
	    sl_sale_total(p_sale) - sl_sale_net(p_sale);
END;
$$;

-- Gives back what sale p_req was paid beyond the price of its active seats
-- (after a cancel), by method p_method: NULL when there is something to
-- give back is SL409 (the clerk must say how).  Cash comes out of the
-- login's open shift (none: SL409); more than the venue's refund limit
-- (setting refund_limit_cents) needs a supervisor (sl_authorise).
-- Returns the amount refunded (0: nothing was paid beyond).
CREATE OR REPLACE FUNCTION sl_refund_excess(p_req bigint, p_method text,
    p_auth text, p_terminal text, p_booking bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_excess bigint := sl_sale_net(p_req) - sl_sale_total(p_req);
	v_shift	bigint;
	v_by	text;
BEGIN
	IF v_excess <= 0 THEN
		RETURN 0;
	END IF;
	IF p_method IS NULL THEN
		RAISE EXCEPTION 'sale % was paid: % to refund; say how '
		    '(--refund METHOD)', p_req, sl_money_text(v_excess)
		    USING ERRCODE = 'SL409';
	END IF;
	PERFORM sl_check_method(p_method);
	IF v_excess > (SELECT s.value FROM setting s
	    WHERE s.name = 'refund_limit_cents') THEN
		v_by := sl_authorise(p_auth, 'a refund of '
		    || sl_money_text(v_excess));
	END IF;
	v_shift := sl_shift_current();
	IF p_method = 'cash' AND v_shift IS NULL THEN
		RAISE EXCEPTION 'no open shift: open one (seatlock shift open '
		    '--float AMOUNT) before refunding cash'
		    USING ERRCODE = 'SL409';
	END IF;
	INSERT INTO payment (request_id, kind, method, amount_cents, shift_id,
	    booking_id, terminal, authorised_by)
	    VALUES (p_req, 'refund', p_method, v_excess, v_shift, p_booking,
		p_terminal, v_by);
	RETURN v_excess;
END;
$$;

-- Moves to the new sale p_req of an exchange what the old sales of
-- p_bookings were paid beyond their remaining seats: a refund by method
-- 'exchange' from each old sale, one payment 'exchange' into the new.
-- What the new seats cost less is then refunded by p_opts->>'refund'
-- (sl_refund_excess).  Returns the amount refunded.
CREATE OR REPLACE FUNCTION sl_exchange_money(p_req bigint,
    p_bookings bigint[], p_opts jsonb, p_terminal text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_old	record;
	v_moved	bigint := 0;
BEGIN
	FOR v_old IN SELECT r.request_id,
	    sl_sale_net(r.request_id) - sl_sale_total(r.request_id) AS excess
	    FROM (SELECT DISTINCT b.request_id FROM booking b
		WHERE b.booking_id = ANY (p_bookings)) r
	    ORDER BY r.request_id
	LOOP
		CONTINUE WHEN v_old.excess <= 0;
		INSERT INTO payment (request_id, kind, method, amount_cents,
		    terminal)
		    VALUES (v_old.request_id, 'refund', 'exchange', v_old.excess,
			p_terminal);
		v_moved := v_moved + v_old.excess;
	END LOOP;
	IF v_moved > 0 THEN
		INSERT INTO payment (request_id, kind, method, amount_cents,
		    terminal)
		    VALUES (p_req, 'payment', 'exchange', v_moved, p_terminal);
	END IF;
	RETURN sl_refund_excess(p_req, p_opts ->> 'refund', p_opts ->> 'auth',
	    p_terminal, NULL);
END;
$$;

-- Everything of a sale after its seats are sold: the comp, discount or
-- voucher, then the payments (sl_sale_reductions, sl_sale_payments).
CREATE OR REPLACE FUNCTION sl_sale_finish(p_req bigint, p_opts jsonb,
    p_terminal text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_opts IS NULL THEN
		RETURN;
	END IF;
	PERFORM sl_sale_reductions(p_req, p_opts);
	PERFORM sl_sale_payments(p_req, p_opts, p_terminal);
END;
$$;

-- ---- settings ------------------------------------------------------------------

-- Sets a venue-wide setting (refund_limit_cents).  Supervisor.
CREATE OR REPLACE FUNCTION sl_setting_set(p_name text, p_value bigint)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM sl_require_supervisor('change settings');
	UPDATE setting SET value = p_value WHERE name = p_name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no setting %', p_name USING ERRCODE = 'SL404';
	END IF;
END;
$$;

-- ---- the sale as a document --------------------------------------------------

-- Sale p_sale as a document (`seatlock sale --json`, `book --json`, GET
-- /sales/{id}): who sold it, its seats (cancelled ones too) with price
-- type and price, its payments and refunds, and the sums: total (active
-- seats), paid (less refunds), due, change (given back over all cash
-- payments).  Amounts as "12.50" with the same in cents beside (*_cents).
-- NULL when there is no such sale, or it is another channel's
-- (sl_channel_ok).  'api_role': the token's role that sold it (0018).
CREATE OR REPLACE FUNCTION sl_sale_doc(p_sale bigint) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'sale', r.request_id, 'show', r.show_id, 'title', sh.title,
	    'starts_at', sh.starts_at,
	    'customer', (SELECT jsonb_build_object('id', u.user_id,
		'name', u.name) FROM app_user u WHERE u.user_id = r.user_id),
	    'clerk', r.clerk, 'terminal', r.terminal, 'channel', r.channel,
	    'api_role', r.api_role,
	    'shift', r.shift_id, 'created_at', r.created_at,
	    'comp', r.comp_reason, 'discount_reason', r.discount_reason,
	    'voucher', r.voucher, 'authorised_by', r.authorised_by,
	    'seats', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'booking', b.booking_id, 'label', s.label,
		'type', b.price_type, 'zone', b.zone,
		'price', sl_money_text(b.price_cents),
		'price_cents', b.price_cents,
		'list_price', sl_money_text(b.list_cents),
		'status', b.status) ORDER BY b.seat_id)
		FROM booking b JOIN seat s ON s.seat_id = b.seat_id
		WHERE b.request_id = r.request_id), '[]'::jsonb),
	    'payments', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'id', p.payment_id, 'kind', p.kind, 'method', p.method,
		'amount', sl_money_text(p.amount_cents),
		'amount_cents', p.amount_cents,
		'tendered', sl_money_text(p.tendered_cents),
		'change', sl_money_text(p.change_cents),
		'change_cents', p.change_cents, 'shift', p.shift_id,
		'clerk', p.clerk, 'at', p.at) ORDER BY p.payment_id)
		FROM payment p WHERE p.request_id = r.request_id), '[]'::jsonb),
	    'total', sl_money_text(m.total), 'total_cents', m.total,
	    'paid', sl_money_text(m.net), 'paid_cents', m.net,
	    'due', sl_money_text(m.total - m.net), 'due_cents', m.total - m.net,
	    'change', sl_money_text(m.chg), 'change_cents', m.chg)
	FROM booking_request r
	JOIN show sh ON sh.show_id = r.show_id
	CROSS JOIN LATERAL (SELECT sl_sale_total(r.request_id) AS total,
	    sl_sale_net(r.request_id) AS net,
	    (SELECT coalesce(sum(p.change_cents), 0) FROM payment p
		WHERE p.request_id = r.request_id)::bigint AS chg) m
	WHERE r.request_id = p_sale AND sl_channel_ok(r.api_role);
$$;
