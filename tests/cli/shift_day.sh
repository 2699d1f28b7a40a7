#!/bin/sh
# A whole shift on the command line (issue 15): a clerk opens a shift with
# a float, sells a walk-up family with change, a comp (a supervisor's
# code), a voucher sale by card, a concession for cash, refunds a seat,
# exchanges a seat for a dearer one paying the difference in cash, reads
# the X report, and closes with the counted cash (the Z report).  The
# expected cash, the over/short and the takings by method are checked to
# the cent against sums this test keeps itself, and against the payment
# rows of the shift.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/sales.lib"

# m METHOD KEY: the by_method KEY of METHOD in the last stdout (0 if none).
m() {
	printf '%s\n' "SELECT coalesce((SELECT e->>'$2' FROM
	    json_array_elements(:'j'::json->'by_method') e
	    WHERE e->>'method' = '$1'), '0')" |
	    psql -X -A -t -q -v ON_ERROR_STOP=1 -v j="$(cat "$tmp/out")"
}

priced_show 2 10
logins sld
B 0 "a voucher" voucher add DAY10-$$ --percent 10

# What the drawer should hold, kept by this test: cents.
float=15000
cash_in=0
cash_out=0
card_in=0

C 0 "open the shift with a float of 150.00" shift open --float 150.00
shift=$(cat "$tmp/out")

C 0 "a walk-up family, 200.00 tendered" book "$show" A1 A2 A3:child \
    A4:child --pay cash:200 --json
is "$(j total):$(j change)" "120.00:80.00" "120.00, change 80.00"
cash_in=$((cash_in + 12000))
adult=$(j seats 0 booking)
child=$(j seats 2 booking)

B 0 "a supervisor's code" auth
C 0 "a comp with the code" book "$show" A5 --comp "house seat" \
    --auth "$(cat "$tmp/out")" --json
is "$(j total):$(j paid)" "0.00:0.00" "the comp costs nothing, takes nothing"

C 0 "a voucher sale by card" book "$show" A6 A7 --voucher day10-$$ \
    --pay card --json
is "$(j total)" "72.00" "80.00 less 10%"
card_in=$((card_in + 7200))

C 0 "a concession for cash, 50.00 tendered" book "$show" A8:concession \
    --pay cash:50 --json
is "$(j change)" "20.00" "change 20.00"
cash_in=$((cash_in + 3000))

C 0 "refund an adult of the family in cash" cancel "$adult" --refund cash
stderr_has "refunded 40.00 EUR by cash" "40.00 back"
cash_out=$((cash_out + 4000))

C 0 "a child's seat for an adult one, 50.00 tendered for the 20.00" \
    exchange "$child" B1:adult --pay cash:50 --json
is "$(j due):$(j change)" "0.00:30.00" "paid, change 30.00"
cash_in=$((cash_in + 2000))

expected=$((float + cash_in - cash_out))
is "$expected" 28000 "the test's own sum: 150 + 120 + 30 + 20 - 40"

echo "-- the X report"
C 0 "shift report --json" shift report --json
is "$(j report):$(j shift)" "X:$shift" "an X report of the open shift"
is "$(j expected_cents)" "$expected" "expected: float + cash in - cash out"
is "$(j float_cents)" "$float" "the float"
is "$(m cash payments_cents):$(m cash refunds_cents):$(m cash net_cents)" \
    "$cash_in:$cash_out:$((cash_in - cash_out))" "cash by method"
is "$(m card payments_cents):$(m card refunds_cents)" "$card_in:0" \
    "card by method"
is "$(j counted)" "" "nothing counted yet"
is "$(sql "SELECT coalesce(sum(CASE kind WHEN 'payment' THEN amount_cents
    ELSE -amount_cents END), 0) FROM payment WHERE shift_id = $shift
    AND method = 'cash'")" "$((cash_in - cash_out))" \
    "the payment rows of the shift hold the same cash"
is "$(sql "SELECT coalesce(sum(change_cents), 0) FROM payment
    WHERE shift_id = $shift")" 13000 "and the change given: 80 + 20 + 30"
C 0 "shift report (text)" shift report
check "the text: X report" grep -q "^X report, shift $shift" "$tmp/out"
check "the text: float" grep -q "^  float  *150.00 EUR$" "$tmp/out"
check "the text: cash in" grep -q "^  cash in  *170.00 EUR$" "$tmp/out"
check "the text: cash out" grep -q "^  cash out  *40.00 EUR$" "$tmp/out"
check "the text: expected" grep -q "^  expected  *280.00 EUR$" "$tmp/out"
check "the text: card takings" \
    grep -q "^  card  *72.00 EUR  *0.00 EUR  *72.00 EUR  *1$" "$tmp/out"

echo "-- the Z report: 279.00 counted, 1.00 short"
C 0 "shift close --counted 279.00 --json" shift close --counted 279.00 --json
is "$(j report):$(j expected):$(j counted):$(j difference)" \
    "Z:280.00:279.00:-1.00" "expected, counted, difference"
is "$(j difference_cents)" "$((27900 - expected))" "the difference in cents"
is "$(m cash net):$(m card net)" "130.00:72.00" "takings by method"
is "$(sql "SELECT expected_cents || ':' || counted_cents || ':' ||
    (closed_at IS NOT NULL) FROM shift WHERE shift_id = $shift")" \
    "28000:27900:true" "the shift row is closed with both sums"
C 3 "closing it twice" shift close --counted 280
C 0 "the Z report again, by number" shift report --shift "$shift"
check "the text: Z report" grep -q "^Z report, shift $shift" "$tmp/out"
check "the text: counted" grep -q "^  counted  *279.00 EUR$" "$tmp/out"
check "the text: short 1.00" grep -q "^  short  *1.00 EUR$" "$tmp/out"
C 3 "no cash after the close" book "$show" B2 --pay cash:40

done_testing
