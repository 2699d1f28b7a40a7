-- reports.sql: the sales report by show or by the date of sale (0014's
-- sale model): `seatlock report`, the box office's report screen.
--
-- A sale is a booking_request row; its seats are its booking rows still
-- active (revenue = their price_cents, list value = list_cents where a
-- comp, discount or voucher reduced the price, else price_cents); money is
-- the payment rows.  Dates are days of the session's time zone.  Takings
-- are payments less refunds by every method but 'exchange' (an exchange's
-- internal transfer between two sales, no money in a drawer), which is
-- shown apart ("exchange"), so that the takings by method are what the
-- drawers and card terminals hold.

-- The sales report of show p_show (NULL: any show) and of the sales made
-- from day p_from to day p_to (both included; NULL: any day), and of the
-- payments and refunds made on those days (by show: those of its sales).
-- One document; every amount in cents, each list summing to "total":
--  by_type   [{show, zone, type, seats, list_cents, revenue_cents}]
--  comps     [{reason, sales, seats, list_cents}]
--  discounts [{kind ('discount' | 'voucher'), reason, voucher, sales, seats,
--            list_cents, revenue_cents, discount_cents}]
--  refunds   [{method, count, refunds_cents}]                (no exchange)
--  takings   [{method, count, payments_cents, refunds_cents, net_cents}]
--  exchange  {count, in_cents, out_cents}
--  clerks    [{clerk, sales, seats, revenue_cents, takings_cents}]
--  shifts    [{shift, clerk, terminal, opened_at, closed_at, sales, seats,
--            revenue_cents, takings_cents}]      (shift null: none open)
--  days      [{day, sales, seats, revenue_cents, takings_cents}] every day
--            of the range (by show: from its first to its last sale day)
--  total     {sales, seats, list_cents, revenue_cents, comp_cents,
--            discount_cents, payments_cents, refunds_cents, takings_cents}
--  door      [{show, admitted, not_admitted, refused_scans, already_scans}]
--            the show's check-in now (0015): tickets admitted, valid ones
--            not yet admitted, scans refused and scans of tickets in
--            already; of p_show, or of the shows of the sales in the range
-- A sale counts on the day it was made, its seats while they are active.
-- Serves: booking_request_created_idx and payment_at_idx (by date);
-- payment_request_idx (by show; a show's sales are found by a scan of
-- booking_request.show_id, which has no index of its own).
CREATE OR REPLACE FUNCTION sl_report_sales(p_show bigint, p_from date,
    p_to date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
WITH ids AS (
	-- the sales: by the day they were made (of the show, if one), or
	-- every sale of the show (each branch an index scan in the generic
	-- plan: its one-time filter on p_from skips the other)
	SELECT r.request_id FROM booking_request r
	WHERE p_from IS NOT NULL AND r.created_at >= p_from::timestamptz
	AND r.created_at < (p_to + 1)::timestamptz
	AND (p_show IS NULL OR r.show_id = p_show)
	UNION ALL
	SELECT r.request_id FROM booking_request r
	WHERE p_from IS NULL AND r.show_id = p_show
), r AS (
	SELECT r.request_id, r.show_id, r.clerk, r.shift_id, r.comp_reason,
	    r.discount_reason, r.voucher, r.created_at::date AS day
	FROM ids JOIN booking_request r ON r.request_id = ids.request_id
), b AS (
	SELECT r.*, b.zone, b.price_type, b.price_cents,
	    coalesce(b.list_cents, b.price_cents) AS list_cents
	FROM r JOIN booking b ON b.request_id = r.request_id
	WHERE b.status = 'active'
), rs AS (
	-- each sale with its active seats' count and price
	SELECT r.*, count(b.request_id) AS seats,
	    coalesce(sum(b.price_cents), 0) AS revenue,
	    coalesce(sum(b.list_cents), 0) AS list
	FROM r LEFT JOIN b ON b.request_id = r.request_id
	GROUP BY r.request_id, r.show_id, r.clerk, r.shift_id, r.comp_reason,
	    r.discount_reason, r.voucher, r.day
), p AS (
	SELECT p.kind, p.method, p.amount_cents, p.clerk, p.shift_id,
	    p.at::date AS day,
	    CASE WHEN p.method = 'exchange' THEN 0
	    WHEN p.kind = 'payment' THEN p.amount_cents
	    ELSE -p.amount_cents END AS taking
	FROM payment p
	WHERE p.payment_id IN (
	    -- the money: moved on those days (of the show's sales, if one),
	    -- or every payment and refund of the show's sales
	    SELECT q.payment_id FROM payment q
	    JOIN booking_request qr ON qr.request_id = q.request_id
	    WHERE p_from IS NOT NULL AND q.at >= p_from::timestamptz
	    AND q.at < (p_to + 1)::timestamptz
	    AND (p_show IS NULL OR qr.show_id = p_show)
	    UNION ALL
	    SELECT q.payment_id FROM payment q JOIN ids
		ON ids.request_id = q.request_id
	    WHERE p_from IS NULL)
), d AS (
	SELECT g.day::date AS day
	FROM (SELECT coalesce(p_from, least((SELECT min(day) FROM r),
		(SELECT min(day) FROM p))) AS lo,
	    coalesce(p_to, greatest((SELECT max(day) FROM r),
		(SELECT max(day) FROM p))) AS hi) x
	CROSS JOIN LATERAL generate_series(x.lo, x.hi, interval '1 day') g(day)
)
SELECT jsonb_build_object(
    'show', p_show, 'from', p_from, 'to', p_to,
    'by_type', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'show', t.show_id, 'zone', t.zone, 'type', t.price_type,
	'seats', t.seats, 'list_cents', t.list,
	'revenue_cents', t.revenue) ORDER BY t.show_id, t.zone, t.price_type)
	FROM (SELECT b.show_id, b.zone, b.price_type, count(*) AS seats,
	    sum(b.list_cents) AS list, sum(b.price_cents) AS revenue
	    FROM b GROUP BY 1, 2, 3) t), '[]'),
    'comps', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'reason', c.comp_reason, 'sales', c.sales, 'seats', c.seats,
	'list_cents', c.list) ORDER BY c.comp_reason)
	FROM (SELECT rs.comp_reason, count(*) AS sales, sum(rs.seats) AS seats,
	    sum(rs.list) AS list
	    FROM rs WHERE rs.comp_reason IS NOT NULL GROUP BY 1) c), '[]'),
    'discounts', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'kind', c.kind, 'reason', c.discount_reason, 'voucher', c.voucher,
	'sales', c.sales, 'seats', c.seats, 'list_cents', c.list,
	'revenue_cents', c.revenue, 'discount_cents', c.list - c.revenue)
	ORDER BY c.kind, c.discount_reason, c.voucher)
	FROM (SELECT CASE WHEN rs.voucher IS NULL THEN 'discount'
		ELSE 'voucher' END AS kind, rs.discount_reason, rs.voucher,
	    count(*) AS sales, sum(rs.seats) AS seats, sum(rs.list) AS list,
	    sum(rs.revenue) AS revenue
	    FROM rs WHERE rs.discount_reason IS NOT NULL
	    OR rs.voucher IS NOT NULL GROUP BY 1, 2, 3) c), '[]'),
    'refunds', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'method', m.method, 'count', m.n, 'refunds_cents', m.cents)
	ORDER BY m.method)
	FROM (SELECT p.method, count(*) AS n, sum(p.amount_cents) AS cents
	    FROM p WHERE p.kind = 'refund' AND p.method <> 'exchange'
	    GROUP BY 1) m), '[]'),
    'takings', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'method', m.method, 'count', m.n, 'payments_cents', m.paid,
	'refunds_cents', m.refunded, 'net_cents', m.paid - m.refunded)
	ORDER BY m.method)
	FROM (SELECT p.method, count(*) AS n,
	    coalesce(sum(p.amount_cents) FILTER (WHERE p.kind = 'payment'), 0)
		AS paid,
	    coalesce(sum(p.amount_cents) FILTER (WHERE p.kind = 'refund'), 0)
		AS refunded
	    FROM p WHERE p.method <> 'exchange' GROUP BY 1) m), '[]'),
    'exchange', (SELECT jsonb_build_object('count', count(*),
	'in_cents', coalesce(sum(p.amount_cents)
	    FILTER (WHERE p.kind = 'payment'), 0),
	'out_cents', coalesce(sum(p.amount_cents)
	    FILTER (WHERE p.kind = 'refund'), 0))
	FROM p WHERE p.method = 'exchange'),
    'clerks', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'clerk', coalesce(s.clerk, t.clerk), 'sales', coalesce(s.sales, 0),
	'seats', coalesce(s.seats, 0), 'revenue_cents', coalesce(s.revenue, 0),
	'takings_cents', coalesce(t.takings, 0))
	ORDER BY coalesce(s.clerk, t.clerk))
	FROM (SELECT rs.clerk, count(*) AS sales, sum(rs.seats) AS seats,
	    sum(rs.revenue) AS revenue FROM rs GROUP BY 1) s
	FULL JOIN (SELECT p.clerk, sum(p.taking) AS takings
	    FROM p GROUP BY 1) t ON t.clerk = s.clerk), '[]'),
    'shifts', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'shift', k.shift_id, 'clerk', sh.clerk, 'terminal', sh.terminal,
	'opened_at', sh.opened_at, 'closed_at', sh.closed_at,
	'sales', coalesce(s.sales, 0), 'seats', coalesce(s.seats, 0),
	'revenue_cents', coalesce(s.revenue, 0),
	'takings_cents', coalesce(t.takings, 0))
	ORDER BY k.shift_id NULLS LAST)
	FROM (SELECT DISTINCT rs.shift_id FROM rs
	    UNION SELECT p.shift_id FROM p) k
	LEFT JOIN shift sh ON sh.shift_id = k.shift_id
	LEFT JOIN (SELECT rs.shift_id, count(*) AS sales,
	    sum(rs.seats) AS seats, sum(rs.revenue) AS revenue
	    FROM rs GROUP BY 1) s ON s.shift_id IS NOT DISTINCT FROM k.shift_id
	LEFT JOIN (SELECT p.shift_id, sum(p.taking) AS takings
	    FROM p GROUP BY 1) t
	    ON t.shift_id IS NOT DISTINCT FROM k.shift_id), '[]'),
    'days', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'day', d.day, 'sales', coalesce(s.sales, 0),
	'seats', coalesce(s.seats, 0), 'revenue_cents', coalesce(s.revenue, 0),
	'takings_cents', coalesce(t.takings, 0)) ORDER BY d.day)
	FROM d
	LEFT JOIN (SELECT rs.day, count(*) AS sales, sum(rs.seats) AS seats,
	    sum(rs.revenue) AS revenue FROM rs GROUP BY 1) s ON s.day = d.day
	LEFT JOIN (SELECT p.day, sum(p.taking) AS takings
	    FROM p GROUP BY 1) t ON t.day = d.day), '[]'),
    'total', (SELECT jsonb_build_object(
	'sales', count(*), 'seats', coalesce(sum(rs.seats), 0),
	'list_cents', coalesce(sum(rs.list), 0),
	'revenue_cents', coalesce(sum(rs.revenue), 0),
	'comp_cents', coalesce(sum(rs.list)
	    FILTER (WHERE rs.comp_reason IS NOT NULL), 0),
	'discount_cents', coalesce(sum(rs.list - rs.revenue)
	    FILTER (WHERE rs.comp_reason IS NULL), 0),
	'payments_cents', (SELECT coalesce(sum(p.amount_cents), 0) FROM p
	    WHERE p.kind = 'payment' AND p.method <> 'exchange'),
	'refunds_cents', (SELECT coalesce(sum(p.amount_cents), 0) FROM p
	    WHERE p.kind = 'refund' AND p.method <> 'exchange'),
	'takings_cents', (SELECT coalesce(sum(p.taking), 0) FROM p))
	FROM rs),
    'door', coalesce((SELECT jsonb_agg(jsonb_build_object(
	'show', k.show_id,
	'admitted', (SELECT count(*) FROM checkin c
	    WHERE c.show_id = k.show_id),
	'not_admitted', (SELECT count(*) FROM booking b
	    WHERE b.show_id = k.show_id AND b.status = 'active'
	    AND NOT EXISTS (SELECT 1 FROM checkin c
		WHERE c.booking_id = b.booking_id)),
	'refused_scans', (SELECT count(*) FROM scan s
	    WHERE s.show_id = k.show_id AND s.result = 'refused'),
	'already_scans', (SELECT count(*) FROM scan s
	    WHERE s.show_id = k.show_id AND s.result = 'already'))
	ORDER BY k.show_id)
	FROM (SELECT p_show AS show_id WHERE p_show IS NOT NULL
	    UNION SELECT DISTINCT r.show_id FROM r WHERE p_show IS NULL) k),
	'[]'));
$$;
