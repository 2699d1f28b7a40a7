#!/bin/sh
# The database's own guards of the sale's money (issue 15), attacked the
# way a login with SQL would, not through the sl_* functions: payments are
# append-only; a closed shift never changes; a sale whose payments less
# refunds leave 0..its active seats' price cannot commit (a payment too
# large, a paid seat cancelled without a refund); negative prices and
# amounts, change that does not add up, cash outside a drawer, a discount
# that raises a price are refused by constraints; a clerk cannot write the
# money tables at all.  Each refusal leaves the rows as they were.
. "$(dirname "$0")/testlib"

clerk=slmg_clerk_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1;
    rm -rf "$tmp"' EXIT

# refused DESCRIPTION SQL: the SQL (one transaction, committed) fails.
# As login $as when it is set.
refused() {
	if printf 'BEGIN;\n%s\nCOMMIT;\n' "$2" | PGUSER=${as:-$PGUSER} \
	    psql -X -q -v ON_ERROR_STOP=1 >"$tmp/psql.out" 2>&1; then
		not_ok "$1: it was accepted"
	else
		ok "$1: $(grep -m1 ERROR "$tmp/psql.out" | cut -c1-90)"
	fi
}

# money: every row of the money tables and the sale's seats, as one word.
money() {
	sql "SELECT md5(coalesce((SELECT string_agg(p::text, ',' ORDER BY
	    payment_id) FROM payment p), '') || coalesce((SELECT string_agg(
	    s::text, ',' ORDER BY shift_id) FROM shift s), '') || coalesce((
	    SELECT string_agg(b.status || b.price_cents, ',' ORDER BY booking_id)
	    FROM booking b), ''))"
}

venue=$(new_venue 2 6)
show=$(new_show "$venue")
check "a venue and a show" is_id "$show"
expect 0 "zone A" zone set "$show" A --price 40 --rank 1
expect 0 "its seats" zone assign "$show" A --section Main
term="guards-$$"
# A shift another test left open is closed first (one open shift a login).
sql "SELECT sl_shift_close(sl_shift_expected(shift_id)) FROM shift
    WHERE clerk = current_user AND closed_at IS NULL" >/dev/null
shift=$(sql "SELECT sl_shift_open(5000, '$term')")
check "a shift opened" is_id "$shift"
sale=$(sql "SELECT DISTINCT sale_id FROM sl_book($show, ARRAY['A1','A2'],
    NULL, 'mg-$$-1', '$term', false,
    '{\"pay\":[{\"method\":\"cash\",\"cents\":10000}]}')")
check "a walk-up sale of two seats paid cash" is_id "$sale"
check "the drawer kept 80.00 and gave 20.00 change" test "$(sql "SELECT
    amount_cents || ' ' || change_cents || ' ' || tendered_cents FROM payment
    WHERE request_id = $sale")" = "8000 2000 10000"
before=$(money)

echo "-- payments are append-only"
refused "a payment changed" "UPDATE payment SET amount_cents = 1
    WHERE request_id = $sale;"
refused "a payment deleted" "DELETE FROM payment WHERE request_id = $sale;"
refused "payments truncated" "TRUNCATE payment CASCADE;"

echo "-- every sale balanced at commit"
refused "a payment beyond the sale's price" "INSERT INTO payment
    (request_id, kind, method, amount_cents) VALUES ($sale, 'payment',
    'card', 1);"
refused "a refund of more than was paid" "INSERT INTO payment
    (request_id, kind, method, amount_cents) VALUES ($sale, 'refund',
    'card', 8001);"
refused "a paid seat cancelled with no refund" "UPDATE booking SET
    status = 'cancelled', cancelled_at = now() WHERE request_id = $sale
    AND seat_id = (SELECT min(seat_id) FROM booking
    WHERE request_id = $sale);"
refused "the sale's function: a paid seat cancelled with no method" \
    "SELECT * FROM sl_cancel((SELECT min(booking_id) FROM booking
    WHERE request_id = $sale), '$term');"

echo "-- constraints"
refused "a negative amount" "INSERT INTO payment (request_id, kind, method,
    amount_cents) VALUES ($sale, 'payment', 'card', -100);"
refused "change that does not add up" "INSERT INTO payment (request_id,
    kind, method, amount_cents, tendered_cents, change_cents, shift_id)
    VALUES ($sale, 'payment', 'cash', 100, 500, 100, $shift);"
refused "cash outside a drawer" "INSERT INTO payment (request_id, kind,
    method, amount_cents) VALUES ($sale, 'refund', 'cash', 100);"
refused "change on a card" "INSERT INTO payment (request_id, kind, method,
    amount_cents, change_cents) VALUES ($sale, 'payment', 'card', 1, 5);"
refused "a negative price" "UPDATE booking SET price_cents = -1
    WHERE request_id = $sale;"
refused "a 'discount' that raises the price" "UPDATE booking SET
    list_cents = 100 WHERE request_id = $sale;"
refused "a negative float" "INSERT INTO shift (terminal, float_cents)
    VALUES ('x', -1);"
check "nothing changed by the refusals" test "$(money)" = "$before"

echo "-- a closed shift never changes"
check "the shift closes" test "$(sql "SELECT sl_shift_close(13000)
    ->>'difference'")" = "0.00"
refused "its counted cash changed" "UPDATE shift SET counted_cents = 1
    WHERE shift_id = $shift;"
refused "it deleted" "DELETE FROM shift WHERE shift_id = $shift;"
refused "it reopened" "UPDATE shift SET closed_at = NULL, counted_cents =
    NULL, expected_cents = NULL WHERE shift_id = $shift;"
refused "closed again" "SELECT sl_shift_close(13000, $shift);"
due=$(sql "SELECT DISTINCT sale_id FROM sl_book($show, ARRAY['A3'], NULL,
    'mg-$$-3', '$term')")
check "a sale with 40.00 due" test "$(sql "SELECT sl_sale_doc($due)
    ->>'due'")" = "40.00"
refused "a cash payment with no open shift" "SELECT * FROM sl_pay($due,
    'cash', NULL, '$term');"
check "the closed shift is as it was closed" test "$(sql "SELECT
    expected_cents || ' ' || counted_cents FROM shift
    WHERE shift_id = $shift")" = "13000 13000"

echo "-- a clerk writes no money row but through the functions"
expect 0 "a clerk" clerk add "$clerk" --role clerk
for stmt in "INSERT INTO payment (request_id, kind, method, amount_cents)
    VALUES ($sale, 'payment', 'card', 1)" \
    "UPDATE voucher SET uses = 0" "INSERT INTO shift (terminal, float_cents)
    VALUES ('x', 0)" "UPDATE setting SET value = 999999" \
    "SELECT * FROM auth_code"; do
	as=$clerk refused "as a clerk: $(echo "$stmt" | cut -c1-30)" "$stmt;"
done
as=$clerk refused "a clerk changes the refund limit" \
    "SELECT sl_setting_set('refund_limit_cents', 999999);"
as=$clerk refused "a clerk issues a supervisor's code" \
    "SELECT * FROM sl_auth_issue(10);"
as=$clerk refused "a clerk comps a sale" "SELECT * FROM sl_book($show,
    ARRAY['A5'], NULL, 'mg-$$-2', '$term', false, '{\"comp\":\"friend\"}');"
check "the clerk's comp sold nothing" test "$(sql "SELECT count(*) FROM
    booking b JOIN seat s USING (seat_id) WHERE b.show_id = $show
    AND s.label = 'A5'")" = 0
check "nothing changed by the clerk" test "$(sql "SELECT value FROM setting
    WHERE name = 'refund_limit_cents'")" = "10000"

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
