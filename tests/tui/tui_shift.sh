#!/bin/sh
# A whole shift at the box office, at 80x24, TERM=xterm-256color and vt100,
# logged in as a clerk: cash with no open shift is refused with a message
# that says how to open one, and nothing is sold; F3 opens a shift with a
# float; a walk-up family sale of 2 adults and 2 children (types chosen per
# seat, "all seats this type") paid cash with a tender that gives change; a
# comp with a wrong supervisor's code (refused, nothing sold), then with a
# reason and a supervisor's code; a voucher sale paid by card; a discount
# (amount, reason, code) paid by card; a split
# payment (card, then cash with change); a sale left with a balance due,
# then paid by its number (F4) with a 10,000.00 note; the X report;
# closing the shift with the counted cash: expected, counted and the
# difference on the Z report, to the cent against sums computed with psql.
. "$(dirname "$0")/tuilib"

# money CENTS: "12.50"
money() {
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# dbcheck WHAT EXPECTED SQL
dbcheck() {
	_got=$(tl_sql "$3")
	[ "$_got" = "$2" ] || tl_fail "$term: $1: expected '$2', got '$_got'"
	tl_ok "$term: $1 ($2)"
}

# walkup: from the map with seats selected, on to the confirmation of a
# sale to nobody (Enter with nothing typed).
walkup() {
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	tl_wait "$s" "Enter now: a walk-up"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	tl_wait "$s" "Customer: +walk-up \\(no customer\\)"
}

# answer PROMPT TEXT: waits for PROMPT, types TEXT and Enter.
answer() {
	tl_wait "$s" "$1"
	T send-keys -t "$s" -l "$2"
	T send-keys -t "$s" Enter
}

# comp CODE: on the confirmation, a comp with its reason and CODE.
comp() {
	T send-keys -t "$s" c
	answer "Comp - reason:" "Press night guest"
	answer "Supervisor's code" "$1"
	tl_wait "$s" "Comp: Press night guest"
}

# last_sale: the newest sale of the show.
last_sale() {
	tl_sql "SELECT max(request_id) FROM booking_request WHERE show_id = \
	    $TL_SHOW"
}

# A clerk's box office is live only beside a notifier (issue 17).
tl_notifier
for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	for z in A; do
		"$SEATLOCK_BIN" zone set "$TL_SHOW" $z --price 30 --name Stalls \
		    >/dev/null 2>&1 || tl_fail "zone set"
	done
	"$SEATLOCK_BIN" zone assign "$TL_SHOW" A --section Main >/dev/null \
	    2>&1 || tl_fail "zone assign"
	"$SEATLOCK_BIN" price set "$TL_SHOW" A adult 30 --name Adult --default \
	    >/dev/null 2>&1 || tl_fail "price set adult"
	"$SEATLOCK_BIN" price set "$TL_SHOW" A concession 20 --name \
	    Concession >/dev/null 2>&1 || tl_fail "price set concession"
	"$SEATLOCK_BIN" price set "$TL_SHOW" A child 15 --name Child \
	    >/dev/null 2>&1 || tl_fail "price set child"
	clerk="tclerk$$$(echo "$term" | tr -dc 'a-z0-9')"
	"$SEATLOCK_BIN" clerk add "$clerk" --role clerk >/dev/null 2>&1 ||
	    tl_fail "clerk add"
	vcode="TUI$$$(echo "$term" | tr -dc 'A-Z0-9a-z' | tr a-z A-Z)"
	"$SEATLOCK_BIN" voucher add "$vcode" --percent 10 --uses 5 >/dev/null \
	    2>&1 || tl_fail "voucher add"
	s="shift-$term"
	TL_ENV="PGUSER=$clerk" tl_start "$s" 80x24 "$term" "$lang" --show \
	    "$TL_SHOW"
	tl_wait "$s" " live  term-"
	tl_wait_row "$s" A "($TL_FREE){10}"

	# Cash with no open shift: refused, with the way to open one.
	T send-keys -t "$s" A 1 Enter
	tl_wait_row "$s" A "$TL_SEL($TL_FREE){9}"
	walkup
	tl_wait "$s" "A1 +zone A +Adult +30.00 EUR"
	T send-keys -t "$s" y
	tl_wait "$s" "Payment - 1 seat, walk-up"
	tl_wait "$s" "Method: +\\[cash\\]"
	tl_wait "$s" "No shift open: cash needs one \\(F3 opens it\\)"
	T send-keys -t "$s" Enter
	tl_wait "$s" "No open shift: cash needs one - press F3"
	dbcheck "no shift: nothing was sold" 0 "SELECT count(*) FROM booking \
	    WHERE show_id = $TL_SHOW"
	dbcheck "no shift: no payment" 0 "SELECT count(*) FROM payment p JOIN \
	    booking_request r USING (request_id) WHERE r.show_id = $TL_SHOW"
	T send-keys -t "$s" Escape
	tl_wait "$s" "Confirm the sale"
	T send-keys -t "$s" Escape
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" Escape
	T send-keys -t "$s" x
	tl_wait_row "$s" A "($TL_FREE){10}"

	# F3: open a shift with a float of 150.00.
	T send-keys -t "$s" F3
	tl_wait "$s" "Open a shift"
	answer "No shift is open for this login" "150.00"
	tl_wait "$s" "Shift [0-9]+ - X report"
	tl_wait "$s" "Float +150.00 EUR"
	shift=$(tl_sql "SELECT shift_id FROM shift WHERE clerk = '$clerk' \
	    AND closed_at IS NULL")
	[ -n "$shift" ] || tl_fail "$term: no open shift in the database"
	tl_ok "$term: opened shift $shift with a float of 150.00"
	T send-keys -t "$s" Escape
	tl_wait "$s" "shift $shift"

	# A family: 2 adults, 2 children, on A3-6; types chosen per seat.
	T send-keys -t "$s" -l "A3-6"
	T send-keys -t "$s" Enter
	tl_wait_row "$s" A "$TL_FREE$TL_FREE($TL_SEL){4}($TL_FREE){4}"
	walkup
	tl_wait "$s" "Total \\(4 seats\\) +120.00 EUR"
	T send-keys -t "$s" Down Down Right
	tl_wait "$s" "A5 +zone A +Concession +20.00 EUR"
	T send-keys -t "$s" Right
	tl_wait "$s" "A5 +zone A +Child +15.00 EUR"
	T send-keys -t "$s" a
	tl_wait "$s" "Total \\(4 seats\\) +60.00 EUR"
	T send-keys -t "$s" Up Up Left Left Down Left Left
	tl_wait "$s" "A3 +zone A +Adult +30.00 EUR"
	tl_wait "$s" "A4 +zone A +Adult +30.00 EUR"
	tl_wait "$s" "A6 +zone A +Child +15.00 EUR"
	tl_wait "$s" "Total \\(4 seats\\) +90.00 EUR"
	tl_ok "$term: 2 adults and 2 children: the total is 90.00 before the sale"
	T send-keys -t "$s" y
	tl_wait "$s" "Due +90.00 EUR"
	T send-keys -t "$s" -l "100"
	tl_wait "$s" "Change +10.00 EUR"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Receipt - sale [0-9]+"
	tl_wait "$s" "Change +10.00 EUR"
	tl_wait "$s" "Paid +90.00 EUR"
	family=$(last_sale)
	tl_wait "$s" "Sale number $family"
	tl_ok "$term: the receipt of sale $family: paid 90.00, change 10.00"
	dbcheck "family: types and prices" "A3 adult 3000,A4 adult 3000,A5 child 1500,A6 child 1500" \
	    "SELECT string_agg(s.label || ' ' || b.price_type || ' ' || \
	    b.price_cents, ',' ORDER BY s.label) FROM booking b JOIN seat s \
	    USING (seat_id) WHERE b.request_id = $family"
	dbcheck "family: a walk-up, in the shift" "true|$shift" "SELECT \
	    (user_id IS NULL)::text || '|' || shift_id FROM booking_request \
	    WHERE request_id = $family"
	dbcheck "family: cash 90.00 tendered 100.00 change 10.00" \
	    "cash|9000|10000|1000|$shift" "SELECT method || '|' || amount_cents \
	    || '|' || tendered_cents || '|' || change_cents || '|' || shift_id \
	    FROM payment WHERE request_id = $family"
	T send-keys -t "$s" Space
	tl_wait_row "$s" A "$TL_FREE$TL_FREE($TL_SOLD){4}($TL_FREE){4}"

	# A comp: reason and a supervisor's code (the login is a clerk).
	code=$("$SEATLOCK_BIN" auth 2>/dev/null) || tl_fail "auth"
	T send-keys -t "$s" B 1 Enter
	tl_wait_row "$s" B "$TL_SEL($TL_FREE){9}"
	walkup
	# A code that is not one: refused, nothing sold, the seat still held.
	comp "AAAAA-BBBBB"
	T send-keys -t "$s" y
	tl_wait "$s" "The supervisor's code is not valid"
	dbcheck "a comp with a wrong code sells nothing" 0 "SELECT count(*) \
	    FROM booking b JOIN seat s USING (seat_id) WHERE b.show_id = \
	    $TL_SHOW AND s.label = 'B1'"
	comp "$code"
	tl_wait "$s" "Total \\(1 seat\\) +0.00 EUR"
	tl_wait "$s" "Enter or y: sell"
	T send-keys -t "$s" y
	tl_wait "$s" "Sold B1 to walk-up - booking [0-9]+ - total 0.00 EUR - sale"
	comp=$(last_sale)
	dbcheck "comp: reason, authorised by the supervisor, price 0" \
	    "Press night guest|postgres|0|3000" "SELECT r.comp_reason || '|' || \
	    r.authorised_by || '|' || b.price_cents || '|' || b.list_cents \
	    FROM booking_request r JOIN booking b USING (request_id) WHERE \
	    r.request_id = $comp"

	# A voucher (10%) on B2 B3, paid by card.
	T send-keys -t "$s" B 2 Enter B 3 Enter
	tl_wait_row "$s" B "$TL_SOLD($TL_SEL){2}($TL_FREE){7}"
	walkup
	T send-keys -t "$s" v
	answer "Voucher code:" "$vcode"
	tl_wait "$s" "Voucher $vcode \\(10%\\) +-6.00 EUR"
	tl_wait "$s" "Total \\(2 seats\\) +54.00 EUR"
	T send-keys -t "$s" y
	tl_wait "$s" "Due +54.00 EUR"
	T send-keys -t "$s" Tab
	tl_wait "$s" "Method: +cash +\\[card\\]"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Receipt - sale [0-9]+"
	tl_wait "$s" "Paid +54.00 EUR"
	voucher=$(last_sale)
	dbcheck "voucher: counted, card 54.00" "$vcode|1|card|5400" "SELECT \
	    r.voucher || '|' || v.uses || '|' || p.method || '|' || \
	    p.amount_cents FROM booking_request r JOIN voucher v ON v.code = \
	    r.voucher JOIN payment p USING (request_id) WHERE r.request_id = \
	    $voucher"
	T send-keys -t "$s" Space

	# A split payment: C1 C2 (60.00), 25.00 by card, the rest cash (50).
	T send-keys -t "$s" C 1 Enter C 2 Enter
	tl_wait_row "$s" C "($TL_SEL){2}($TL_FREE){8}"
	walkup
	T send-keys -t "$s" y
	tl_wait "$s" "Due +60.00 EUR"
	T send-keys -t "$s" Tab
	T send-keys -t "$s" -l "25"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Taken: +card 25.00"
	tl_wait "$s" "Due +35.00 EUR"
	T send-keys -t "$s" Tab
	tl_wait "$s" "Method: +\\[cash\\]"
	T send-keys -t "$s" -l "50"
	tl_wait "$s" "Change +15.00 EUR"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Receipt - sale [0-9]+"
	tl_wait "$s" "Change +15.00 EUR"
	split=$(last_sale)
	dbcheck "split: card 25.00 then cash 35.00 (50.00 tendered)" \
	    "card 2500 ,cash 3500 5000" "SELECT string_agg(method || ' ' || \
	    amount_cents || ' ' || coalesce(tendered_cents::text, ''), ',' \
	    ORDER BY payment_id) FROM payment WHERE request_id = $split"
	T send-keys -t "$s" Space

	# A discount of 10.00 on C4 C5 (a reason, the supervisor's code),
	# paid by card.
	code=$("$SEATLOCK_BIN" auth 2>/dev/null) || tl_fail "auth"
	T send-keys -t "$s" C 4 Enter C 5 Enter
	tl_wait_row "$s" C "($TL_SOLD){2}$TL_FREE($TL_SEL){2}($TL_FREE){5}"
	walkup
	T send-keys -t "$s" d
	answer "Discount - amount:" "10.00"
	answer "Discount - reason:" "Restricted view"
	answer "Supervisor's code" "$code"
	tl_wait "$s" "Discount: Restricted view +-10.00 EUR"
	tl_wait "$s" "Total \\(2 seats\\) +50.00 EUR"
	T send-keys -t "$s" y
	tl_wait "$s" "Due +50.00 EUR"
	T send-keys -t "$s" Tab Enter
	tl_wait "$s" "Receipt - sale [0-9]+"
	disc=$(last_sale)
	dbcheck "discount: reason, authorised, 50.00 paid by card" \
	    "Restricted view|postgres|5000|card 5000" "SELECT \
	    r.discount_reason || '|' || r.authorised_by || '|' || (SELECT \
	    sum(price_cents) FROM booking WHERE request_id = r.request_id) || \
	    '|' || (SELECT string_agg(method || ' ' || amount_cents, ',') FROM \
	    payment WHERE request_id = r.request_id) FROM booking_request r \
	    WHERE r.request_id = $disc"
	T send-keys -t "$s" Space

	# A balance due (b), then paid by the sale's number (F4).
	T send-keys -t "$s" C 3 Enter
	tl_wait_row "$s" C "($TL_SOLD){2}$TL_SEL($TL_SOLD){2}($TL_FREE){5}"
	walkup
	T send-keys -t "$s" y
	tl_wait "$s" "Due +30.00 EUR"
	T send-keys -t "$s" b
	# (At 80 columns the message line holds 78 characters: with six-digit
	# booking and sale numbers "later" is cut off; the database says it.)
	tl_wait "$s" "Sold C3 to walk-up - booking [0-9]+ - total 30.00 EUR - sale [0-9]+ to pay"
	later=$(last_sale)
	dbcheck "balance due: no payment yet" 0 "SELECT count(*) FROM payment \
	    WHERE request_id = $later"
	T send-keys -t "$s" F4
	answer "Pay a sale" "$later"
	tl_wait "$s" "Payment - sale $later"
	tl_wait "$s" "Due +30.00 EUR"
	# A large note: 10,000.00 tendered for 30.00.
	T send-keys -t "$s" -l "10000.00"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Receipt - sale $later"
	tl_wait "$s" "Change +9970.00 EUR"
	dbcheck "paid later: cash 30.00, 10000.00 tendered" "cash|3000|1000000" \
	    "SELECT method || '|' || amount_cents || '|' || tendered_cents \
	    FROM payment WHERE request_id = $later"
	T send-keys -t "$s" Space

	# The X report: what psql sums.
	exp=$(tl_sql "SELECT s.float_cents + coalesce(sum(p.amount_cents) \
	    FILTER (WHERE p.method = 'cash' AND p.kind = 'payment'), 0) - \
	    coalesce(sum(p.amount_cents) FILTER (WHERE p.method = 'cash' AND \
	    p.kind = 'refund'), 0) FROM shift s LEFT JOIN payment p USING \
	    (shift_id) WHERE s.shift_id = $shift GROUP BY s.float_cents")
	cash=$(tl_sql "SELECT sum(amount_cents) FROM payment WHERE shift_id = \
	    $shift AND method = 'cash' AND kind = 'payment'")
	card=$(tl_sql "SELECT sum(amount_cents) FROM payment WHERE shift_id = \
	    $shift AND method = 'card' AND kind = 'payment'")
	[ "$exp" = $((15000 + 9000 + 3500 + 3000)) ] ||
	    tl_fail "$term: expected cash by psql is $exp"
	T send-keys -t "$s" F3
	tl_wait "$s" "Shift $shift - X report"
	tl_wait "$s" "Cash kept from sales +$(money "$cash") EUR"
	tl_wait "$s" "Expected in the drawer +$(money "$exp") EUR"
	tl_wait "$s" "card +\\( *3\\) +$(money "$card") +0.00 +$(money "$card")"
	tl_ok "$term: the X report: expected $(money "$exp"), card $(money "$card")"

	# Close: 1.50 over.
	T send-keys -t "$s" z
	counted=$((exp + 150))
	answer "Cash counted in the drawer:" "$(money "$counted")"
	tl_wait "$s" "Shift $shift - Z \\(closed\\) report"
	tl_wait "$s" "Expected in the drawer +$(money "$exp") EUR"
	tl_wait "$s" "Counted +$(money "$counted") EUR"
	tl_wait "$s" "Difference \\(over\\) +1.50 EUR"
	dbcheck "the shift is closed with what was counted" \
	    "$counted|$exp" "SELECT counted_cents || '|' || expected_cents \
	    FROM shift WHERE shift_id = $shift AND closed_at IS NOT NULL"
	T send-keys -t "$s" Escape
	tl_wait_gone "$s" "shift $shift"

	T send-keys -t "$s" q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "$term: exit status"
	tl_ok "$term: a whole shift, balanced to the cent"
done
