#!/bin/sh
# The sale on the command line (issue 15): walk-ups with price types, cash
# tendered and change, split payments, a balance paid later, comps and
# discounts (a clerk needs a supervisor's one-time code, used once),
# vouchers, refunds on cancel (a method needed, a limit above which a clerk
# needs a code), cancelling a whole sale, exchanges dearer and cheaper,
# reservations, shifts, and bad input.  Every outcome is checked in the
# database too: rows and sums, not only exit codes.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/sales.lib"
limit0=$(sql "SELECT value FROM setting WHERE name = 'refund_limit_cents'")

# active LABEL...: how many of the seats of $show have an active booking.
active() {
	_l=$(printf "'%s'," "$@")
	sql "SELECT count(*) FROM booking b JOIN seat s USING (seat_id)
	    WHERE b.show_id = $show AND b.status = 'active'
	    AND s.label IN (${_l%,})"
}

# pays SALE: the sale's payment rows, kind:method:amount:tendered:change.
pays() {
	sql "SELECT coalesce(string_agg(concat_ws(':', kind, method,
	    amount_cents, coalesce(tendered_cents::text, '-'), change_cents),
	    ' ' ORDER BY payment_id), '-') FROM payment WHERE request_id = $1"
}

priced_show 3 10
logins sls
# The refund limit as it was, whatever happens.
trap 'psql -X -q -c "UPDATE setting SET value = ${limit0:-10000}
    WHERE name = '"'refund_limit_cents'"'" \
    -c "DROP ROLE IF EXISTS $clerk" -c "DROP ROLE IF EXISTS $boss" \
    >/dev/null 2>&1; rm -rf "$tmp"' EXIT

echo "-- cash needs an open shift"
C 3 "cash with no open shift" book "$show" A1 --pay cash:50
stderr_has "no open shift" "it says there is no open shift"
is "$(active A1)" 0 "nothing sold"
C 0 "the clerk opens a shift" shift open --float 100.00
shift=$(cat "$tmp/out")
check "shift open prints the shift's id" is_id "$shift"
is "$(sql "SELECT clerk || ':' || float_cents || ':' || (closed_at IS NULL)
    FROM shift WHERE shift_id = $shift")" "$clerk:10000:true" \
    "the shift row: the clerk, the float, open"
C 3 "a second shift while one is open" shift open --float 5

echo "-- a walk-up family: 2 adults and 2 children, cash with change"
C 0 "book A1:adult A2:adult A3:child A4:child --pay cash:150 --json" \
    book "$show" A1:adult A2:adult A3:child A4:child --pay cash:150 --json
family=$(j sale)
check "a sale number" is_id "$family"
is "$(j total):$(j paid):$(j due):$(j change)" "120.00:120.00:0.00:30.00" \
    "total 120.00, paid 120.00, due 0.00, change 30.00"
is "$(j seats 0 label):$(j seats 0 type):$(j seats 0 price)" "A1:adult:40.00" \
    "the first seat: label, type, price"
is "$(j seats 3 label):$(j seats 3 type):$(j seats 3 price)" "A4:child:20.00" \
    "the last seat: a child at 20.00"
is "$(j total_cents):$(j change_cents):$(j currency)" "12000:3000:EUR" \
    "amounts in cents and the currency"
is "$(j bookings 0 id)" "$(j seats 0 booking)" \
    "the bookings of before are there too"
is "$(pays "$family")" "payment:cash:12000:15000:3000" \
    "one cash row: 120.00 kept, 150.00 tendered, 30.00 change"
is "$(sql "SELECT (user_id IS NULL) || ':' || clerk || ':' || shift_id
    FROM booking_request WHERE request_id = $family")" "true:$clerk:$shift" \
    "the sale: a walk-up, the clerk, the shift"
is "$(sql "SELECT string_agg(price_type || '=' || price_cents, ' '
    ORDER BY seat_id) FROM booking WHERE request_id = $family")" \
    "adult=4000 adult=4000 child=2000 child=2000" "the seats' types and prices"
a1=$(j seats 0 booking)
a2=$(j seats 1 booking)
a3=$(j seats 2 booking)

C 0 "text: exact cash" book "$show" A5 A6:child --pay cash:60
check "the booking ids, one a line" test "$(wc -l <"$tmp/out")" = 2
a5=$(head -n 1 "$tmp/out")
a6=$(tail -n 1 "$tmp/out")
stderr_has "total 60.00 EUR, paid 60.00 EUR, change 0.00 EUR, due 0.00 EUR" \
    "the sale's sums on stderr"

echo "-- split payment"
C 0 "card 50.00 and cash 50.00 for 80.00" \
    book "$show" A7 A8 --pay card:50 --pay cash:50 --json
split=$(j sale)
is "$(pays "$split")" "payment:card:5000:-:0 payment:cash:3000:5000:2000" \
    "card charged 50.00, cash kept 30.00 of 50.00 with 20.00 change"

echo "-- not paid in full: nothing sold"
C 3 "--pay card:10 for 80.00" book "$show" B1 B2 --pay card:10
stderr_has "not paid in full" "it says so"
is "$(active B1 B2)" 0 "the seats are still free"
is "$(sql "SELECT count(*) FROM payment p JOIN booking_request r
    USING (request_id) WHERE r.show_id = $show AND p.amount_cents = 1000")" 0 \
    "no payment row"

echo "-- a balance due, paid later"
C 0 "book without --pay" book "$show" B1 B2 --json
due=$(j sale)
is "$(j due):$(j paid)" "80.00:0.00" "80.00 due"
C 0 "pay 30.00 by card" pay "$due" card:30
stderr_has "took 30.00 EUR by card, change 0.00 EUR, still due 50.00 EUR" \
    "pay says what it took and what is due"
C 0 "pay the rest in cash, 100.00 tendered" pay "$due" cash:100 --json
is "$(j amount_cents):$(j change_cents):$(j due_cents)" "5000:5000:0" \
    "50.00 taken, 50.00 change, nothing due"
C 3 "pay a sale paid in full" pay "$due" card
C 4 "pay an unknown sale" pay 9223372036854775807 card
is "$(pays "$due")" "payment:card:3000:-:0 payment:cash:5000:10000:5000" \
    "the sale's payment rows"
C 0 "sale SALE: the receipt" sale "$due"
check "the receipt: seats with type and price" \
    grep -q "^  B1  *adult  *40.00 EUR" "$tmp/out"
check "the receipt: the cash payment with change" \
    grep -q "cash .*50.00 EUR  (tendered 100.00 EUR, change 50.00 EUR)" \
    "$tmp/out"
check "the receipt: total, paid, due" sh -c "grep -q '^total  *80.00 EUR' \
    '$tmp/out' && grep -q '^paid  *80.00 EUR' '$tmp/out' &&
    grep -q '^due  *0.00 EUR' '$tmp/out'"
C 0 "sale SALE --json" sale "$due" --json
is "$(j total):$(j due):$(j payments 1 change)" "80.00:0.00:50.00" \
    "the document: total, due, the change"
C 4 "sale of an unknown sale" sale 9223372036854775807

user=$(new_user)
C 0 "a sale to a customer" book "$show" B9 --user "$user" --pay card --json
C 0 "its receipt names the customer" sale "$(j sale)"
check "... by name and number" grep -q "^Customer: CLI Customer ($user)$" \
    "$tmp/out"

echo "-- comps and discounts"
C 2 "--comp without a reason" book "$show" B3 --comp ""
C 3 "a clerk's comp needs a supervisor" book "$show" B3 --comp "press night"
stderr_has "needs a supervisor" "it says who may"
is "$(active B3)" 0 "nothing sold"
B 0 "the supervisor issues a code" auth --minutes 5
code=$(cat "$tmp/out")
check "a code XXXXX-XXXXX" sh -c "printf '%s' '$code' |
    grep -Eq '^[A-Z0-9]{5}-[A-Z0-9]{5}$'"
C 3 "a clerk cannot issue codes" auth
C 0 "the clerk's comp with the code" book "$show" B3 --comp "press night" \
    --auth "$code" --json
comp=$(j sale)
is "$(j total):$(j seats 0 price)" "0.00:0.00" "a comp costs nothing"
is "$(sql "SELECT comp_reason || ':' || authorised_by FROM booking_request
    WHERE request_id = $comp")" "press night:$boss" \
    "the reason and the supervisor are recorded"
C 3 "the same code twice" book "$show" B4 --comp "again" --auth "$code"
is "$(active B4)" 0 "nothing sold with a used code"
C 2 "--discount without --reason" book "$show" B4 --discount 5
C 2 "a comp and a voucher" book "$show" B4 --comp x --voucher ABC
B 0 "the supervisor's discount" book "$show" B4 --discount 5 \
    --reason "restricted view" --pay card --json
is "$(j total):$(j paid)" "35.00:35.00" "40.00 less 5.00"
is "$(sql "SELECT list_cents || ':' || price_cents FROM booking
    WHERE booking_id = $(j seats 0 booking)")" "4000:3500" \
    "the list price is kept beside the price"

echo "-- vouchers"
C 3 "a clerk cannot add vouchers" voucher add CLERKV --percent 5
B 0 "a 10% voucher, 5 uses" voucher add PCT10-$$ --percent 10 --uses 5
B 0 "a 15.00 voucher, 1 use" voucher add EUR15-$$ --amount 15
B 2 "percent and amount" voucher add X$$ --percent 5 --amount 5
B 2 "a percentage of 101" voucher add X$$ --percent 101
B 2 "a negative amount" voucher add X$$ --amount -5
B 3 "the same code again" voucher add pct10-$$ --percent 20
C 0 "10% off two adults" book "$show" B5 B6 --voucher pct10-$$ --pay card \
    --json
is "$(j total)" "72.00" "80.00 less 10%"
C 0 "15.00 off an adult" book "$show" B7 --voucher EUR15-$$ --pay card --json
is "$(j total)" "25.00" "40.00 less 15.00"
C 3 "the used-up voucher" book "$show" B8 --voucher EUR15-$$ --pay card
stderr_has "used up" "it says it is used up"
is "$(active B8)" 0 "nothing sold"
C 4 "an unknown voucher" book "$show" B8 --voucher NOSUCH-$$
is "$(sql "SELECT string_agg(code || '=' || uses || '/' || uses_max, ' '
    ORDER BY code) FROM voucher WHERE code LIKE '%-$$'")" \
    "EUR15-$$=1/1 PCT10-$$=1/5" "the uses counted"
C 0 "vouchers" vouchers
check "the list shows the 10%" grep -q "^PCT10-$$  *10%  *1  *5  *no end" \
    "$tmp/out"
C 0 "vouchers --json" vouchers --json

echo "-- refunds on cancel"
C 3 "cancel a paid seat without --refund" cancel "$a1"
stderr_has "--refund" "it says how"
is "$(sql "SELECT status FROM booking WHERE booking_id = $a1")" active \
    "the seat is still sold"
C 0 "cancel with --refund cash" cancel "$a1" --refund cash
check "cancel prints nothing on stdout" test ! -s "$tmp/out"
stderr_has "cancelled booking $a1" "it says what it cancelled"
stderr_has "refunded 40.00 EUR by cash" "and what it refunded"
is "$(pays "$family")" \
    "payment:cash:12000:15000:3000 refund:cash:4000:-:0" \
    "a refund row of 40.00 beside the payment"
is "$(sql "SELECT shift_id FROM payment WHERE request_id = $family
    AND kind = 'refund'")" "$shift" "the refund is in the clerk's shift"
C 2 "an unknown method" cancel "$a2" --refund bitcoin
B 0 "refunds above 30.00 need a supervisor" setting refund-limit 30
C 3 "setting: a clerk may not" setting refund-limit 1000
C 3 "a clerk's refund of 40.00" cancel "$a2" --refund cash
stderr_has "supervisor" "it says a supervisor is needed"
B 0 "a code" auth
C 0 "with the code" cancel "$a2" --refund cash --auth "$(cat "$tmp/out")"
B 0 "the limit back" setting refund-limit 100
C 0 "cancel --sale: both seats, card and cash" cancel --sale "$split" \
    --refund card
check "the cancelled booking ids" test "$(wc -l <"$tmp/out")" = 2
stderr_has "refunded 80.00 EUR by card" "the whole sale refunded"
is "$(active A7 A8)" 0 "both seats free"
C 4 "cancel an unknown sale" cancel --sale 9223372036854775807
C 2 "cancel --sale takes no --key" cancel --sale "$split" --key k1
C 2 "cancel: a booking and --sale" cancel "$a3" --sale "$split"
C 0 "an unpaid seat: a plain cancel as before" cancel \
    "$(sql "SELECT booking_id FROM booking WHERE request_id = $due
    ORDER BY seat_id LIMIT 1")" --refund card

echo "-- exchanges"
C 0 "a child seat for an adult one: 20.00 more, paid by card" \
    exchange "$a3" C1:adult --pay card --json
is "$(j total):$(j paid):$(j due)" "40.00:40.00:0.00" \
    "the new sale: 40.00, paid in full"
is "$(pays "$(j sale)")" "payment:exchange:2000:-:0 payment:card:2000:-:0" \
    "20.00 carried over from the old sale, 20.00 by card"
C 0 "an exchange dearer, nothing paid: the difference is due" \
    exchange "$a6" C7:adult --json
is "$(j total):$(j paid):$(j due)" "40.00:20.00:20.00" \
    "the new sale: 20.00 carried over, 20.00 due"
exdue=$(j sale)
C 0 "pay the difference" pay "$exdue" card
is "$(sql "SELECT sl_sale_total($exdue) - sl_sale_net($exdue)")" 0 \
    "nothing due after"
C 3 "a dearer seat for a cheaper one without --refund" exchange "$a5" C2:child
is "$(active C2)" 0 "nothing exchanged"
C 0 "with --refund cash" exchange "$a5" C2:child --refund cash
stderr_has "refunded 20.00 EUR by cash" "20.00 refunded"
stderr_has "difference -20.00 EUR" "the difference"
is "$(active A5 C2)" "1" "the old seat free, the new one sold"

echo "-- reservations"
until=$(date -u -d '+2 hours' '+%Y-%m-%d %H:%M:%S+00')
C 0 "reserve two seats for a caller" reserve "$show" C5 C6 \
    --name "Mrs Phone $$" --until "$until"
res=$(cat "$tmp/out")
check "a reservation number" is_id "$res"
C 0 "reservations QUERY" reservations "phone $$"
check "found by name" grep -q "^$res  *$show .*Mrs Phone $$  C5 C6$" "$tmp/out"
C 0 "reservations NUMBER --json" reservations "$res" --json
is "$(j 0 holder):$(j 0 seats)" "Mrs Phone $$:C5 C6" "the JSON"
C 2 "reserve without a name" reserve "$show" C7 --until "$until"
C 0 "sell the reservation" book "$show" --hold "$res" --type adult \
    --type child --pay card --json
is "$(j total):$(j seats 1 type)" "60.00:child" "its seats at their types"
C 0 "it is gone" reservations "$res"
check "... nothing listed" test ! -s "$tmp/out"

echo "-- bad input"
C 2 "a negative tender" book "$show" C3 --pay cash:-5
C 2 "an absurd tender" book "$show" C3 --pay cash:1000000000000
C 2 "three decimals" book "$show" C3 --pay card:1.005
C 2 "an unknown method" book "$show" C3 --pay bitcoin
C 2 "an unknown price type" book "$show" C3:nosuch
C 2 "an empty type" book "$show" C3:
C 2 "pay: not an amount" pay "$due" cash:abc
C 2 "pay: 0.00" pay "$due" card:0
C 2 "shift open: a negative float" shift open --float -5
C 2 "price set: -- lets -5.00 through to be refused" \
    price set "$show" A adult -- -5.00
is "$(active C3)" 0 "nothing sold by bad input"
C 0 "a tender of 10000.00" book "$show" C3 --pay cash:10000.00 --json
is "$(j change)" "9960.00" "change 9960.00"

echo "-- closing the shift"
C 0 "shift report (X)" shift report --json
is "$(j report):$(j float)" "X:100.00" "an X report from the float"
C 0 "shift close" shift close --counted 0 --json
is "$(j report):$(j counted)" "Z:0.00" "a Z report"
C 3 "closing it twice" shift close --counted 0
C 3 "closing it by number" shift close --counted 0 --shift "$shift"
stderr_has "already closed" "it says it is closed"
C 3 "cash with the shift closed" book "$show" C4 --pay cash:40
is "$(active C4)" 0 "nothing sold"
C 0 "card needs no shift" book "$show" C4 --pay card
B 0 "a comp with 'pay what is due': nothing to pay" book "$show" C9 \
    --comp "staff" --pay card --json
is "$(j total):$(j paid):$(j due)" "0.00:0.00:0.00" "sold at 0, no payment row"
C 0 "a split whose first part covers it: the rest is no payment" \
    book "$show" C10 --pay card:40 --pay card --json
is "$(j paid):$(j due)" "40.00:0.00" "paid once"
C 4 "report of an unknown shift" shift report --shift 9223372036854775807

done_testing
