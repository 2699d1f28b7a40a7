#!/bin/sh
# seatlock report by the date of sale and by show (issue 15): seats and
# revenue by zone and price type, comps, discounts and vouchers, refunds,
# takings by method (exchanges apart), per clerk, shift and day, as JSON,
# CSV and a chart.  Sales are made through sl_book and friends by two
# logins on two days (created_at and payment.at moved with psql as the
# superuser), then every figure is checked against sums psql computes
# from the tables.
. "$(dirname "$0")/depth.lib"

roles
psql -XAtq -c "GRANT seatlock_clerk TO sl_test_clerk" >/dev/null 2>&1
S=$(new_show '{ name = "Stalls"; rows = ( { row = "A"; seats = "1-6"; }, { row = "B"; seats = "1-6"; } ); }')
# Three days of our own, far in the past: nobody else sells on them.
D1=$(psql -XAtqc "SELECT date '1990-01-01' + ($(date +%s) / 7 + $$) % 9000")
D2=$(psql -XAtqc "SELECT date '$D1' + 1")
D3=$(psql -XAtqc "SELECT date '$D1' + 2")
V="R$$-$(date +%S)"

expect 0 "zone ST" "$SL" zone set "$S" ST --price 40 --rank 1
expect 0 "zone CI" "$SL" zone set "$S" CI --price 30 --rank 2
expect 0 "row A in ST" "$SL" zone assign "$S" ST --section Stalls --row A
expect 0 "row B in CI" "$SL" zone assign "$S" CI --section Stalls --row B
expect 0 "adult in ST" "$SL" price set "$S" ST adult 40 --default
expect 0 "child in ST" "$SL" price set "$S" ST child 20
expect 0 "adult in CI" "$SL" price set "$S" CI adult 30 --default

# sql [USER] SQL: one statement as the superuser (or USER).
sq() { psql -XAtq -v ON_ERROR_STOP=1 -c "$1" >/dev/null || bad "sql: $1"; }
sqc() { PGUSER=sl_test_clerk psql -XAtq -v ON_ERROR_STOP=1 -c "$1" >/dev/null || bad "sql as clerk: $1"; }
book() { echo "SELECT * FROM sl_book($S, ARRAY[$1], NULL, '$2-$U', '$3', false, '$4')"; }

psql -XAtq -c "SELECT sl_shift_close(0)" >/dev/null 2>&1
PGUSER=sl_test_clerk psql -XAtq -c "SELECT sl_shift_close(0)" >/dev/null 2>&1
sq "SELECT sl_shift_open(10000, 'rs-a')"
sqc "SELECT sl_shift_open(5000, 'rs-b')"
sq "SELECT sl_voucher_add('$V', 10, NULL, 5, NULL)"
# Day 1: a family sale with change (supervisor), a card sale (clerk).
sq "$(book "'A1','A2'" s1 rs-a '{"types":["adult","child"],"pay":[{"method":"cash","cents":10000}]}')"
sqc "$(book "'B1','B2'" s2 rs-b '{"pay":[{"method":"card"}]}')"
# Day 3: a comp, a voucher, a discount with a reason a spreadsheet would
# take for a formula, a refund, an exchange, a sale with a balance due.
sq "$(book "'A3'" s3 rs-a '{"comp":"press night"}')"
sq "$(book "'A4'" s4 rs-a "{\"voucher\":\"$V\",\"pay\":[{\"method\":\"card\"}]}")"
sq "$(book "'A5','A6'" s5 rs-a '{"discount_cents":500,"reason":"=1+1 staff, \"friends\"","pay":[{"method":"cash","cents":7500}]}')"
A6=$(psql -XAtqc "SELECT b.booking_id FROM booking b JOIN seat s USING (seat_id) WHERE b.show_id = $S AND s.label = 'A6'")
sq "SELECT * FROM sl_cancel($A6, 'rs-a', 'card')"
B2=$(psql -XAtqc "SELECT b.booking_id FROM booking b JOIN seat s USING (seat_id) WHERE b.show_id = $S AND s.label = 'B2'")
sqc "SELECT * FROM sl_exchange(ARRAY[$B2]::bigint[], $S, ARRAY['B3'], 'swap', 'x1-$U', 'rs-b')"
sqc "$(book "'B4'" s6 rs-b '{}')"

# Move the sales: s1 and s2 (and their money) to day 1 noon, the rest to
# day 3 noon (UTC).  Payments are append-only: the superuser's replica
# mode skips that trigger for this test.
psql -XAtq -v ON_ERROR_STOP=1 >/dev/null <<SQL || bad "moving the sales"
SET session_replication_role = replica;
UPDATE booking_request SET created_at = CASE WHEN request_key IN ('s1-$U', 's2-$U')
    THEN timestamptz '$D1 12:00+00' ELSE timestamptz '$D3 12:00+00' END
    WHERE request_id IN (SELECT request_id FROM booking WHERE show_id = $S);
UPDATE payment p SET at = r.created_at FROM booking_request r
    WHERE r.request_id = p.request_id
    AND r.request_id IN (SELECT request_id FROM booking WHERE show_id = $S);
-- the refund of s5 and the exchange's transfer out of s2: day 3
UPDATE payment SET at = timestamptz '$D3 12:00+00' WHERE kind = 'refund'
    AND request_id IN (SELECT request_id FROM booking WHERE show_id = $S);
SQL

export PGTZ=UTC
# psql's own sums over the range, to compare with.
RANGE="r.created_at >= '$D1'::date AND r.created_at < '$D3'::date + 1"
PRANGE="p.at >= '$D1'::date AND p.at < '$D3'::date + 1"
REV=$(psql -XAtqc "SELECT sum(b.price_cents) FROM booking b JOIN booking_request r USING (request_id) WHERE b.status = 'active' AND $RANGE")
SEATS=$(psql -XAtqc "SELECT count(*) FROM booking b JOIN booking_request r USING (request_id) WHERE b.status = 'active' AND $RANGE")
SALES=$(psql -XAtqc "SELECT count(*) FROM booking_request r WHERE $RANGE")
TAKE=$(psql -XAtqc "SELECT string_agg(method || ':' || t, ' ' ORDER BY method) FROM (SELECT method, sum(CASE kind WHEN 'payment' THEN amount_cents ELSE -amount_cents END) t FROM payment p WHERE method <> 'exchange' AND $PRANGE GROUP BY 1) x")
TAKEN=$(psql -XAtqc "SELECT sum(CASE kind WHEN 'payment' THEN amount_cents ELSE -amount_cents END) FROM payment p WHERE method <> 'exchange' AND $PRANGE")
check "the stored revenue of the range (60+30 on day 1, 0+36+35+30+30 on day 3)" "$REV" 22100
check "the stored takings by method" "$TAKE" "card:5600 cash:13500"

expect 0 "report --from --to --json" "$SL" report --from "$D1" --to "$D3" --json
J=$OUT
check "totals: sales, seats, revenue, takings as stored" \
    "$(jsql "$J" "SELECT concat_ws(':', t->>'sales', t->>'seats', t->>'revenue_cents', t->>'takings_cents') FROM (SELECT :'j'::json->'sales'->'total' t) x")" \
    "$SALES:$SEATS:$REV:$TAKEN"
check "takings by method as stored (exchange left out)" \
    "$(jsql "$J" "SELECT string_agg((e->>'method') || ':' || (e->>'net_cents'), ' ' ORDER BY e->>'method') FROM json_array_elements(:'j'::json->'sales'->'takings') e")" "$TAKE"
check "exchange shown apart: moved in and out" \
    "$(jsql "$J" "SELECT concat_ws(':', e->>'count', e->>'in_cents', e->>'out_cents') FROM (SELECT :'j'::json->'sales'->'exchange' e) x")" "2:3000:3000"
check "refunds by method" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', e->>'method', e->>'count', e->>'refunds_cents'), ' ') FROM json_array_elements(:'j'::json->'sales'->'refunds') e")" "card:1:4000"
check "comps with reason, seats and list value" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', e->>'reason', e->>'sales', e->>'seats', e->>'list_cents'), ' ') FROM json_array_elements(:'j'::json->'sales'->'comps') e")" "press night:1:1:4000"
check "discounts and vouchers: list, revenue, reduction" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', e->>'kind', coalesce(e->>'voucher', e->>'reason'), e->>'seats', e->>'list_cents', e->>'revenue_cents', e->>'discount_cents'), ' ' ORDER BY e->>'kind') FROM json_array_elements(:'j'::json->'sales'->'discounts') e")" \
    "discount:=1+1 staff, \"friends\":1:4000:3500:500 voucher:$V:1:4000:3600:400"
check "by zone and type, as stored" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', e->>'zone', e->>'type', e->>'seats', e->>'revenue_cents'), ' ' ORDER BY e->>'zone', e->>'type') FROM json_array_elements(:'j'::json->'sales'->'by_type') e")" \
    "$(psql -XAtqc "SELECT string_agg(concat_ws(':', zone, price_type, n, c), ' ' ORDER BY zone, price_type) FROM (SELECT b.zone, b.price_type, count(*) n, sum(b.price_cents) c FROM booking b JOIN booking_request r USING (request_id) WHERE b.status = 'active' AND $RANGE GROUP BY 1, 2) x")"
check "per clerk: sales, seats, takings as stored" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', e->>'clerk', e->>'sales', e->>'seats', e->>'takings_cents'), ' ' ORDER BY e->>'clerk') FROM json_array_elements(:'j'::json->'sales'->'clerks') e")" \
    "$(psql -XAtqc "SELECT string_agg(concat_ws(':', k, coalesce(s, 0), coalesce(n, 0), coalesce(t, 0)), ' ' ORDER BY k) FROM (SELECT clerk k FROM booking_request r WHERE $RANGE UNION SELECT clerk FROM payment p WHERE $PRANGE) c LEFT JOIN (SELECT r.clerk, count(DISTINCT r.request_id) s, count(b.booking_id) n FROM booking_request r LEFT JOIN booking b ON b.request_id = r.request_id AND b.status = 'active' WHERE $RANGE GROUP BY 1) a ON a.clerk = c.k LEFT JOIN (SELECT clerk, sum(CASE WHEN method = 'exchange' THEN 0 WHEN kind = 'payment' THEN amount_cents ELSE -amount_cents END) t FROM payment p WHERE $PRANGE GROUP BY 1) p ON p.clerk = c.k")"
check "per shift: takings as stored" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', coalesce(e->>'shift', '-'), e->>'takings_cents'), ' ' ORDER BY e->>'shift') FROM json_array_elements(:'j'::json->'sales'->'shifts') e")" \
    "$(psql -XAtqc "SELECT string_agg(concat_ws(':', coalesce(shift_id::text, '-'), t), ' ' ORDER BY shift_id::text) FROM (SELECT shift_id, sum(CASE WHEN method = 'exchange' THEN 0 WHEN kind = 'payment' THEN amount_cents ELSE -amount_cents END) t FROM payment p WHERE $PRANGE GROUP BY 1 UNION ALL SELECT r.shift_id, 0 FROM booking_request r WHERE $RANGE AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.shift_id IS NOT DISTINCT FROM r.shift_id AND $PRANGE) GROUP BY 1) x")"
check "the lists sum to the totals" \
    "$(jsql "$J" "SELECT concat_ws(':', (SELECT sum((e->>'revenue_cents')::bigint) FROM json_array_elements(s->'days') e), (SELECT sum((e->>'revenue_cents')::bigint) FROM json_array_elements(s->'by_type') e), (SELECT sum((e->>'takings_cents')::bigint) FROM json_array_elements(s->'clerks') e), (SELECT sum((e->>'takings_cents')::bigint) FROM json_array_elements(s->'shifts') e), (SELECT sum((e->>'takings_cents')::bigint) FROM json_array_elements(s->'days') e), (SELECT sum((e->>'sales')::bigint) FROM json_array_elements(s->'clerks') e)) FROM (SELECT :'j'::json->'sales' s) x")" \
    "$REV:$REV:$TAKEN:$TAKEN:$TAKEN:$SALES"
check "days: every day of the range, day 2 empty" \
    "$(jsql "$J" "SELECT string_agg(concat_ws(':', e->>'day', e->>'sales', e->>'seats', e->>'revenue_cents', e->>'takings_cents'), ' ') FROM json_array_elements(:'j'::json->'sales'->'days') e")" \
    "$D1:2:3:9000:12000 $D2:0:0:0:0 $D3:5:5:13100:7100"
check "the currency and the range" "$(jsql "$J" "SELECT concat_ws(':', :'j'::json->>'currency', :'j'::json->'sales'->>'from', :'j'::json->'sales'->>'to')")" "EUR:$D1:$D3"

expect 0 "report --from (one day)" "$SL" report --from "$D1" --json
check "--to defaults to --from" "$(jsql "$OUT" "SELECT concat_ws(':', :'j'::json->'sales'->'total'->>'sales', :'j'::json->'sales'->'total'->>'revenue_cents', json_array_length(:'j'::json->'sales'->'days'))")" "2:9000:1"
PGTZ=Etc/GMT-14 expect 0 "report in a time zone 14 hours ahead of UTC" "$SL" report --from "$D2" --json
check "day 1's noon (UTC) sales are day 2's there" "$(jsql "$OUT" "SELECT :'j'::json->'sales'->'total'->>'sales'")" 2

# By show: the old report keeps its shape, the sales are added.
expect 0 "report SHOW --json" "$SL" report "$S" --json
check "the show report keeps its fields" "$(jsql "$OUT" "SELECT concat_ws(':', :'j'::json->'total'->>'sold', :'j'::json->'total'->>'revenue_cents', json_array_length(:'j'::json->'clerks'), :'j'::json->>'day' IS NULL)")" "8:$REV:2:t"
check "and its sales are the range's (every sale of it is in the range)" \
    "$(jsql "$OUT" "SELECT concat_ws(':', t->>'sales', t->>'revenue_cents', t->>'takings_cents') FROM (SELECT :'j'::json->'sales'->'total' t) x")" "$SALES:$REV:$TAKEN"

# CSV: one table, a section column; the same numbers; no formulas.
expect 0 "report --csv" "$SL" report --from "$D1" --to "$D3" --csv
printf '%s' "$OUT" >"$TMP/r.csv"
check "the CSV parses, and its figures are the JSON's" "$(python3 - "$TMP/r.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
def cents(v): return round(float(v) * 100) if v else 0
tot = [r for r in rows if r["section"] == "total"][0]
days = [r for r in rows if r["section"] == "day"]
disc = [r for r in rows if r["section"] == "discount" and r["reason"]][0]
take = sorted(r["method"] + ":" + str(cents(r["takings"])) for r in rows if r["section"] == "takings")
print(":".join(str(x) for x in (tot["sales"], cents(tot["revenue"]), cents(tot["takings"]),
    sum(cents(d["revenue"]) for d in days), len(days))), " ".join(take), disc["reason"])
PY
)" "$SALES:$REV:$TAKEN:$REV:3 card:5600 cash:13500 '=1+1 staff, \"friends\""
check "CRLF line ends" "$(head -n 1 "$TMP/r.csv" | od -c | grep -c '\\r')" 1

# The chart at 80 columns: one line a day, the biggest day the longest bar,
# day 2 an empty bar, the figures beside the bars.
COLUMNS=80 expect 0 "report --chart" "$SL" report --from "$D1" --to "$D3" --chart
printf '%s\n' "$OUT" >"$TMP/chart"
bars() { sed -n "s/^$1 |\(#*\) *| .*/\1/p" "$TMP/chart" | tr -d '\n' | wc -c; }
figs() { sed -n "s/^$1 |[# ]*| *\([0-9]*\) *\([0-9.]*\)$/\1 \2/p" "$TMP/chart"; }
b1=$(bars "$D1") b2=$(bars "$D2") b3=$(bars "$D3")
w=$(sed -n "s/^$D3 |\([# ]*\)|.*/\1/p" "$TMP/chart" | tr -d '\n' | wc -c)
check "day 3 (the biggest) has the full bar" "$b3" "$w"
check "day 2 (no sales) an empty bar" "$b2" 0
check "day 1 in proportion (9000 of 13100)" "$b1" "$(( (9000 * w + 6550) / 13100 ))"
check "the figures beside the bars" "$(figs "$D1"); $(figs "$D2"); $(figs "$D3")" "3 90.00; 0 0.00; 5 131.00"
check "no line wider than 80" "$(awk 'length > 80' "$TMP/chart" | wc -l)" 0
COLUMNS=120 expect 0 "report --chart at 120 columns" "$SL" report --from "$D1" --to "$D3" --chart
check "the chart fills 120 columns" "$(printf '%s\n' "$OUT" | grep "^$D3" | awk '{ print length }')" 120

expect 0 "report SHOW --chart" "$SL" report "$S" --chart
check "a show's chart: its first to its last day of sale" \
    "$(printf '%s\n' "$OUT" | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2} \|'):$(printf '%s\n' "$OUT" | grep -c "^$D2 | *| ")" "3:1"
expect 0 "report --from --to (text)" "$SL" report --from "$D1" --to "$D3"
case "$OUT" in
*"sales made from $D1 to $D3"*"press night"*"$V"*"card"*"exchange"*"Total"*) ok "the text has every section" ;;
*) bad "report text: $OUT" ;;
esac

# Bad usage changes nothing and says why.
expect 2 "--to before --from" "$SL" report --from "$D3" --to "$D1"
expect 2 "a chart of more than 62 days" "$SL" report --from 2030-01-01 --to 2030-03-31 --chart
expect 2 "a bad --from" "$SL" report --from 2030-02-30
expect 2 "--to without --from" "$SL" report --to "$D1"
expect 2 "a show and --from" "$SL" report "$S" --from "$D1"
expect 2 "--json and --csv" "$SL" report "$S" --json --csv
expect 2 "--day and --chart" "$SL" report --day "$D1" --chart
SEATLOCK_DSN="user=sl_test_clerk" expect 0 "a clerk reads the report" "$SL" report --from "$D1" --to "$D3" --csv
psql -XAtq -c "SELECT sl_shift_close(0)" >/dev/null 2>&1
PGUSER=sl_test_clerk psql -XAtq -c "SELECT sl_shift_close(0)" >/dev/null 2>&1
finish
