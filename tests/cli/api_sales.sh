#!/bin/sh
# The sale over HTTP (issue 15): POST /sales by labels with price types,
# best available and from a hold; walk-ups; payments with the sale and
# after it; a replayed Idempotency-Key selling nothing more; GET
# /sales/{id} summing to the stored rows; DELETE /sales/{id} with a refund
# (and a supervisor's code above the limit); POST /holds, DELETE
# /holds/{id}; and the refusals, each changing nothing.  `seatlock serve`
# runs as a clerk's login (not a supervisor), every outcome is checked in
# the answer and in SQL.
. "$(dirname "$0")/../lib/api.sh"

clerk=slapi_clerk_$$
webrole=slapi_web_$$
viewrole=slapi_view_$$
drop_roles_at_exit $clerk $webrole $viewrole

show=$(mkshow 3 10)
user=$(mkuser)
"$SL" zone set "$show" A --price 40 --rank 1 2>/dev/null &&
    "$SL" zone assign "$show" A --section Main 2>/dev/null &&
    "$SL" price set "$show" A adult 40 --default 2>/dev/null &&
    "$SL" price set "$show" A child 20.50 2>/dev/null &&
    "$SL" price set "$show" A concession 32 2>/dev/null &&
    "$SL" clerk add "$clerk" --role clerk 2>/dev/null ||
    { echo "FAIL the fixtures"; exit 1; }
vch="APIV$$"
sql "SELECT sl_voucher_add('$vch', 10, NULL, 1, NULL)" >/dev/null
sql "SELECT sl_voucher_add('${vch}X', NULL, 500, 1, now() + interval '1 second')" \
    >/dev/null

# The server logs in as the clerk: no supervisor, no shift yet.
saved=$PGUSER
export PGUSER="$clerk"
api_start
export PGUSER="$saved"

# as_clerk SQL: SQL as the clerk (its shift is the server's).
as_clerk() { PGUSER=$clerk psql -X -Atq -v ON_ERROR_STOP=1 -c "$1"; }
# bookings SEAT: the active bookings of a seat of the show.
bookings() {
	sql "SELECT count(*) FROM booking b JOIN seat s USING (seat_id)
	    WHERE b.show_id = $show AND s.label = '$1' AND b.status = 'active'"
}
# sale_key KEY: the sales with request key KEY (the API's namespace).
sale_key() {
	sql "SELECT count(*) FROM booking_request WHERE request_key = 'http::$1'"
}
# paid SALE KIND: the cents of the payments (or refunds) of a sale.
paid() {
	sql "SELECT coalesce(sum(amount_cents), 0) FROM payment
	    WHERE request_id = $1 AND kind = '$2'"
}

echo "-- a walk-up sale with price types and a card payment"
post /sales "{\"show_id\":$show,\"seats\":[\"a1\",{\"label\":\"A2\",\"type\":\"child\"}],
    \"payments\":[{\"method\":\"card\"}]}"
check "walk-up sale: 201" "$STATUS" 201
walk=$(jf .sale)
check "the seats and their types" "$(jf '[.seats[] | .label + ":" + .type] | join(",")')" \
    "A1:adult,A2:child"
check "total, paid, due" "$(jf '[.total, .paid, .due] | join(" ")')" "60.50 60.50 0.00"
check "no customer" "$(jf .customer)" null
check "channel web" "$(jf .channel)" web
check "the currency (database.currency's default)" "$(jf .currency)" EUR
check "the sale's row: walk-up, web, the clerk" \
    "$(sql "SELECT coalesce(user_id::text, '-') || ' ' || channel || ' ' || clerk
	FROM booking_request WHERE request_id = $walk")" "- web $clerk"
check "the seats' rows" "$(sql "SELECT string_agg(price_type || ':' ||
    price_cents, ',' ORDER BY seat_id) FROM booking WHERE request_id = $walk
    AND status = 'active'")" "adult:4000,child:2050"
check "one card payment of 60.50" "$(sql "SELECT string_agg(method || ':' ||
    amount_cents, ',') FROM payment WHERE request_id = $walk")" "card:6050"

echo "-- a sale with a balance due, paid afterwards"
post /sales "{\"show_id\":$show,\"user_id\":$user,\"seats\":[\"A3\",\"A4\"]}"
check "sale with a balance: 201" "$STATUS" 201
due=$(jf .sale)
check "due 80.00, the customer" "$(jf '[.due, .customer.id] | join(" ")')" "80.00 $user"
check "no payment yet" "$(paid "$due" payment)" 0
post "/sales/$due/payments" '{"method":"card","amount":"30.00"}'
check "a part payment: 201" "$STATUS" 201
check "30.00 paid, 50.00 due" "$(jf '[.payment.amount, .due] | join(" ")')" "30.00 50.00"
post "/sales/$due/payments" '{"method":"card"}'
check "the balance: 201" "$STATUS" 201
check "nothing due" "$(jf '[.payment.amount, .due, .paid] | join(" ")')" "50.00 0.00 80.00"
post "/sales/$due/payments" '{"method":"card"}'
check "paid in full already: 409" "$STATUS" 409
check "paid_in_full" "$(jf .error)" paid_in_full
post "/sales/$due/payments" '{"method":"card","amount":5}'
check "an amount as a number: 400" "$STATUS" 400
post "/sales/$due/payments" '{"method":"card","amount":"1.00","tip":"1"}'
check "an unknown field: 400" "$STATUS" 400
post /sales/999999999/payments '{"method":"card"}'
check "unknown sale: 404" "$STATUS" 404
check "payments stored: 8000" "$(paid "$due" payment)" 8000

echo "-- a replay with the same Idempotency-Key sells nothing more"
key="sale-$$-$(date +%s%N)"
body="{\"show_id\":$show,\"seats\":[\"A5\"],\"payments\":[{\"method\":\"card\"}]}"
post /sales "$body" -H "Idempotency-Key: $key"
check "keyed sale: 201" "$STATUS" 201
keyed=$(jf .sale)
post /sales "$body" -H "Idempotency-Key: $key"
check "replay: 201" "$STATUS" 201
check "replay: the same sale" "$(jf .sale)" "$keyed"
check "replay: paid once" "$(jf '[.paid, .due, (.payments | length)] | join(" ")')" \
    "40.00 0.00 1"
check "one sale with the key" "$(sale_key "$key")" 1
check "one payment row" "$(sql "SELECT count(*) FROM payment WHERE request_id = $keyed")" 1
check "A5 booked once" "$(bookings A5)" 1
post /sales "{\"show_id\":$show,\"seats\":[\"A6\"]}" -H "Idempotency-Key: $key"
check "the key with other seats: 400" "$STATUS" 400
check "A6 not sold" "$(bookings A6)" 0

echo "-- best available"
post /sales "{\"show_id\":$show,\"best\":2,\"types\":[\"child\",null],
    \"payments\":[{\"method\":\"card\",\"amount\":\"30.00\"},{\"method\":\"card\"}]}"
check "best 2: 201" "$STATUS" 201
best=$(jf .sale)
check "two seats, child then adult" "$(jf '[.seats[].type] | join(",")')" "child,adult"
check "split payments cover it" "$(jf '[.total, .paid, (.payments | length)] | join(" ")')" \
    "60.50 60.50 2"
check "the rows: 2 seats of the sale" "$(sql "SELECT count(*) FROM booking
    WHERE request_id = $best AND status = 'active'")" 2

echo "-- a hold, then its sale"
post /holds "{\"show_id\":$show,\"seats\":[\"b1\",\"B2\"],\"seconds\":600}"
check "hold: 201" "$STATUS" 201
hold=$(jf .id)
check "hold seats" "$(jf '[.kind, (.seats | join(","))] | join(" ")')" "hold B1,B2"
check "held in the database" "$(sql "SELECT count(*) FROM show_seat
    WHERE show_id = $show AND hold_id = $hold AND state = 'held'")" 2
post /sales "{\"show_id\":$show,\"seats\":[\"B1\"]}"
check "a held seat is not for another sale: 409" "$STATUS" 409
check "seat_taken" "$(jf '[.error, (.seats | join(","))] | join(" ")')" "seat_taken B1"
post /sales "{\"show_id\":$show,\"hold_id\":$hold,\"types\":[\"concession\",null],
    \"payments\":[{\"method\":\"card\"}]}"
check "sell the hold: 201" "$STATUS" 201
held=$(jf .sale)
check "concession and adult" "$(jf '[.seats[] | .label + ":" + .price] | join(",")')" \
    "B1:32.00,B2:40.00"
check "the hold is booked" "$(sql "SELECT status FROM hold WHERE hold_id = $hold")" booked
req DELETE "/holds/$hold"
check "a sold hold cannot be released: 404" "$STATUS" 404
post /holds "{\"show_id\":$show,\"best\":3,\"seconds\":60}"
check "best available as a hold: 201" "$STATUS" 201
check "three seats held" "$(jf '.seats | length')" 3
hold2=$(jf .id)
req DELETE "/holds/$hold2"
check "release: 204" "$STATUS" 204
check "its seats are free again" "$(sql "SELECT count(*) FROM show_seat
    WHERE show_id = $show AND hold_id = $hold2")" 0
post /holds "{\"show_id\":$show,\"seats\":[\"C9\"],\"holder\":\"Ann Phone\",
    \"until\":\"$(date -u -d '+2 days' '+%Y-%m-%d %H:%M')+00\"}"
check "a reservation: 201" "$STATUS" 201
check "kind reservation" "$(jf .kind)" reservation
check "its holder" "$(sql "SELECT holder FROM hold WHERE hold_id = $(jf .id)")" "Ann Phone"
post /holds "{\"show_id\":$show,\"seats\":[\"C8\"],\"best\":1}"
check "seats and best: 400" "$STATUS" 400
post /holds "{\"show_id\":$show,\"seats\":[\"C8\"],\"seconds\":0}"
check "0 seconds: 400" "$STATUS" 400

echo "-- GET /sales/{id}: the document sums to the rows"
for s in $walk $due $keyed $best $held; do
	req GET "/sales/$s"
	check "GET /sales/$s" "$STATUS" 200
	check "sale $s total = its active seats" "$(jf .total_cents)" \
	    "$(sql "SELECT coalesce(sum(price_cents), 0) FROM booking
		WHERE request_id = $s AND status = 'active'")"
	check "sale $s paid = payments - refunds" "$(jf .paid_cents)" \
	    "$(($(paid "$s" payment) - $(paid "$s" refund)))"
	check "sale $s due = total - paid" "$(jf '.total_cents - .paid_cents')" \
	    "$(jf .due_cents)"
	check "sale $s seats sum to total" "$(jf '[.seats[] |
	    select(.status == "active") | .price_cents] | add // 0')" "$(jf .total_cents)"
done
req GET /sales/999999999
check "unknown sale: 404" "$STATUS" 404
req GET /sales/0
check "sale 0: 400" "$STATUS" 400

echo "-- DELETE /sales/{id}: cancel with a refund"
req DELETE "/sales/$walk"
check "a paid sale without a refund method: 409" "$STATUS" 409
check "refund_method_needed" "$(jf .error)" refund_method_needed
check "still booked" "$(bookings A1)" 1
req DELETE "/sales/$walk?refund=bitcoin"
check "an unknown refund method: 400" "$STATUS" 400
req DELETE "/sales/$walk?refund=card&refund=cash"
check "refund twice: 400" "$STATUS" 400
req DELETE "/sales/$walk?refund=card"
check "cancel with a card refund: 200" "$STATUS" 200
check "refunded 60.50, two seats" "$(jf '[.refunded, (.cancelled | length), .total, .paid] | join(" ")')" \
    "60.50 2 0.00 0.00"
check "a refund row" "$(sql "SELECT string_agg(kind || ':' || method || ':' ||
    amount_cents, ',' ORDER BY payment_id) FROM payment WHERE request_id = $walk")" \
    "payment:card:6050,refund:card:6050"
check "A1 free again" "$(sql "SELECT s.label || ':' || ss.state FROM show_seat ss
    JOIN seat s USING (seat_id) WHERE ss.show_id = $show AND s.label = 'A1'")" A1:available
req DELETE "/sales/$walk?refund=card"
check "cancelled already: 404" "$STATUS" 404
# Above the refund limit (100.00): a supervisor's code.
post /sales "{\"show_id\":$show,\"seats\":[\"C1\",\"C2\",\"C3\"],\"payments\":[{\"method\":\"card\"}]}"
big=$(jf .sale)
check "a sale of 120.00" "$(jf .total)" 120.00
req DELETE "/sales/$big?refund=card"
check "a refund above the limit needs a supervisor: 403" "$STATUS" 403
check "supervisor_required" "$(jf .error)" supervisor_required
check "nothing refunded" "$(paid "$big" refund)" 0
check "C1 still booked" "$(bookings C1)" 1
code=$(sql "SELECT code FROM sl_auth_issue(5)")
req DELETE "/sales/$big?refund=card&auth=$code"
check "with a supervisor's code: 200" "$STATUS" 200
check "refunded 120.00" "$(paid "$big" refund)" 12000
check "authorised by the supervisor" "$(sql "SELECT authorised_by FROM payment
    WHERE request_id = $big AND kind = 'refund'")" "$(sql "SELECT current_user")"

echo "-- refusals: each changes nothing"
before=$(sql "SELECT count(*) || '/' || (SELECT count(*) FROM payment)
    FROM booking WHERE show_id = $show")
post /sales "{\"show_id\":$show,\"seats\":[{\"label\":\"C5\",\"type\":\"senior\"}]}"
check "unknown type: 400" "$STATUS" 400
check_has "it names the type" "$(jf .message)" senior
post /sales "{\"show_id\":$show,\"seats\":[{\"label\":\"C5\",\"type\":\"no way\"}]}"
check "a type that is no code: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"bitcoin\"}]}"
check "unknown method: 400" "$STATUS" 400
check_has "it names the methods taken" "$(jf .message)" "cash card"
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":\"10.00\"}]}"
check "not paid in full: 409" "$STATUS" 409
check "not_paid_in_full" "$(jf .error)" not_paid_in_full
check "C5 not sold" "$(bookings C5)" 0
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"cash\",\"amount\":\"50.00\"}]}"
check "cash without an open shift: 409" "$STATUS" 409
check "no_open_shift" "$(jf .error)" no_open_shift
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":\"-5.00\"}]}"
check "negative amount: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":\"0.00\"}]}"
check "zero amount: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":\"12.505\"}]}"
check "three decimals: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":40}]}"
check "an amount as a number: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":\"99999999999999999999.00\"}]}"
check "an oversized amount: 400" "$STATUS" 400
post /sales "{\"show_id\":99999999999999999999999,\"seats\":[\"C5\"]}"
check "an oversized show id: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"best\":1e400}"
check "an oversized best: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"best\":51}"
check "best 51: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"best\":2,\"seats\":[\"C5\"]}"
check "seats and best: 400" "$STATUS" 400
post /sales "{\"show_id\":$show}"
check "no seats: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[]}"
check "no payment in payments: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"comp\":\"friend\"}"
check "a comp over HTTP: 403" "$STATUS" 403
check "box_office_only" "$(jf .error)" box_office_only
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"discount\":\"5.00\"}"
check "a discount over HTTP: 403" "$STATUS" 403
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"price\":\"0.00\"}"
check "unknown field: 400" "$STATUS" 400
check "unknown_field" "$(jf .error)" unknown_field
post /sales "{\"show_id\":$show,\"seats\":[{\"label\":\"C5\",\"type\":\"adult\",\"x\":1}]}"
check "unknown field of a seat: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":["
check "bad JSON: 400" "$STATUS" 400
check "invalid_json" "$(jf .error)" invalid_json
post /sales "{\"show_id\":$show,\"seats\":[\"C5\"],\"voucher\":\"\\u0000AB\"}"
check "a NUL in the voucher: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"A1\",\"A1\"]}"
check "a seat named twice: 400" "$STATUS" 400
post /sales "{\"show_id\":$show,\"seats\":[\"Z99\"]}"
check "no such seat: 404" "$STATUS" 404
check "nothing sold or paid by the refusals" "$(sql "SELECT count(*) || '/' ||
    (SELECT count(*) FROM payment) FROM booking WHERE show_id = $show")" "$before"

echo "-- hostile bodies: 4xx, never a crash"
deep=$(printf '[%.0s' $(seq 1 5000))
n=0
for b in "{\"show_id\":$show,\"seats\":[null]}" \
    "{\"show_id\":$show,\"seats\":[[]]}" \
    "{\"show_id\":$show,\"seats\":[{\"label\":5}]}" \
    "{\"show_id\":$show,\"seats\":[{\"type\":\"adult\"}]}" \
    "{\"show_id\":$show,\"seats\":[{}]}" \
    "{\"show_id\":$show,\"seats\":{\"label\":\"C5\"}}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[5]}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":5}]}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{\"method\":\"card\",\"amount\":null}]}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":{\"method\":\"card\"}}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"payments\":[{},{},{},{},{},{},{},{},{}]}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"user_id\":-1}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"user_id\":1.5}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"user_id\":\"1\"}" \
    "{\"show_id\":$show,\"hold_id\":0}" \
    "{\"show_id\":$show,\"hold_id\":true}" \
    "{\"show_id\":$show,\"best\":2,\"types\":[1]}" \
    "{\"show_id\":$show,\"best\":2,\"types\":\"adult\"}" \
    "{\"show_id\":$show,\"best\":2,\"zone\":[]}" \
    "{\"show_id\":$show,\"zone\":\"A\",\"seats\":[\"C5\"]}" \
    "{\"show_id\":$show,\"seats\":[\"C5\"],\"voucher\":\"$(head -c 300 /dev/zero | tr '\0' V)\"}" \
    "{\"show_id\":$show,\"seats\":[\"$(head -c 300 /dev/zero | tr '\0' A)\"]}" \
    "{\"show_id\":$show,\"seats\":[$(seq -s, 1 101 | sed 's/[0-9]*/"C5"/g')]}" \
    "$deep" "null" "[]" "\"x\"" ""; do
	post /sales "$b"
	n=$((n + 1))
	case "$STATUS" in
	4??) ;;
	*) fail "hostile body $n answers $STATUS: $(printf '%s' "$b" | head -c 100)" ;;
	esac
done
ok "$n hostile bodies answered 4xx"
post /sales/1/payments '{"method":"card","amount":"1e3"}'
check "an amount in e-notation: 400" "$STATUS" 400
post /holds "{\"show_id\":$show,\"seats\":[\"C5\"],\"until\":\"not a time\"}"
check "a reservation until no time: 400" "$STATUS" 400
req GET /health
check "still answering" "$STATUS" 200
check "nothing sold or paid by them" "$(sql "SELECT count(*) || '/' ||
    (SELECT count(*) FROM payment) FROM booking WHERE show_id = $show")" "$before"

echo "-- vouchers"
post /sales "{\"show_id\":$show,\"seats\":[\"C6\"],\"voucher\":\"$(echo "$vch" | tr A-Z a-z)\",
    \"payments\":[{\"method\":\"card\"}]}"
check "the voucher's one use: 201" "$STATUS" 201
check "10% off 40.00" "$(jf '[.voucher, .total, .seats[0].list_price] | join(" ")')" \
    "$vch 36.00 40.00"
post /sales "{\"show_id\":$show,\"seats\":[\"C7\"],\"voucher\":\"$vch\"}"
check "voucher used up: 409" "$STATUS" 409
check "voucher_used_up" "$(jf .error)" voucher_used_up
check "C7 not sold" "$(bookings C7)" 0
check "the voucher counted once" "$(sql "SELECT uses FROM voucher WHERE code = '$vch'")" 1
sleep 1.2
post /sales "{\"show_id\":$show,\"seats\":[\"C7\"],\"voucher\":\"${vch}X\"}"
check "voucher expired: 409" "$STATUS" 409
check "voucher_expired" "$(jf .error)" voucher_expired
post /sales "{\"show_id\":$show,\"seats\":[\"C7\"],\"voucher\":\"NOSUCH$$\"}"
check "unknown voucher: 404" "$STATUS" 404
check "C7 still not sold" "$(bookings C7)" 0

echo "-- a block is a supervisor's"
block=$("$SL" hold "$show" C4 --reason "house seat" 2>/dev/null)
post /sales "{\"show_id\":$show,\"hold_id\":$block}"
check "selling a block as a clerk: 403" "$STATUS $(jf .error)" "403 supervisor_required"
req DELETE "/holds/$block"
check "releasing it: 403" "$STATUS $(jf .error)" "403 supervisor_required"
check "still blocked" "$(sql "SELECT state FROM show_seat
    WHERE show_id = $show AND hold_id = $block")" blocked

echo "-- a voucher's last use, 8 sales at once"
sql "SELECT sl_voucher_add('${vch}R', 50, NULL, 1, NULL)" >/dev/null
later2=$(mkshow 1 8)
i=1
pids=""
while [ $i -le 8 ]; do
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 15 -H "$JSON" \
	    --data-binary "{\"show_id\":$later2,\"seats\":[\"A$i\"],\"voucher\":\"${vch}R\"}" \
	    "$API/sales" > "$T/race.$i" &
	pids="$pids $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $pids
check "one 201, seven 409" "$(cat "$T"/race.* | sort | uniq -c |
    awk '{ printf "%s:%s ", $2, $1 }')" "201:1 409:7 "
check "one seat sold, the voucher used once" "$(sql "SELECT count(*) FROM booking
    WHERE show_id = $later2 AND status = 'active'")/$(sql "SELECT uses FROM voucher
    WHERE code = '${vch}R'")" "1/1"

echo "-- not on sale yet"
later=$(mkshow 1 2)
"$SL" show set "$later" --on-sale "2030-12-01 10:00" 2>/dev/null ||
    fail "show set --on-sale"
post /sales "{\"show_id\":$later,\"seats\":[\"A1\"],\"payments\":[{\"method\":\"card\"}]}"
check "a sale before the on-sale time: 409" "$STATUS" 409
check "not_on_sale, saying when" "$(jf '.error + ": " + .message')" \
    "not_on_sale: not on sale until 2030-12-01 10:00"
post /holds "{\"show_id\":$later,\"best\":1}"
check "a hold before the on-sale time: 409 not_on_sale" "$STATUS $(jf .error)" \
    "409 not_on_sale"
check "nothing sold or held" "$(sql "SELECT count(*) FROM show_seat
    WHERE show_id = $later AND state <> 'available'")" 0

echo "-- cash with the clerk's shift: change"
shift_id=$(as_clerk "SELECT sl_shift_open(10000, 'api test')")
post /sales "{\"show_id\":$show,\"seats\":[\"C7\",{\"label\":\"C10\",\"type\":\"child\"}],
    \"payments\":[{\"method\":\"cash\",\"amount\":\"100.00\"}]}"
check "a cash sale: 201" "$STATUS" 201
cash=$(jf .sale)
check "60.50 kept, 39.50 change" "$(jf '[.paid, .change, .payments[0].tendered] | join(" ")')" \
    "60.50 39.50 100.00"
check "in the clerk's shift" "$(sql "SELECT shift_id || ':' || tendered_cents || ':' ||
    change_cents FROM payment WHERE request_id = $cash")" "$shift_id:10000:3950"
as_clerk "SELECT sl_shift_close(16050, $shift_id)" >/dev/null
check "the shift closes balanced" "$(sql "SELECT counted_cents FROM shift
    WHERE shift_id = $shift_id")" 16050

api_stop

echo "-- with tokens: the role of each decides"
sql "CREATE ROLE $webrole NOLOGIN; GRANT seatlock_clerk TO $webrole;
    CREATE ROLE $viewrole NOLOGIN;
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO $viewrole" >/dev/null
WEB=web-0123456789abcdefghij
VIEW=view-0123456789abcdefghij
conf "api = {
	tokens = (
		{ token = \"$WEB\"; role = \"$webrole\"; },
		{ token = \"$VIEW\"; role = \"$viewrole\"; }
	);
};"
api_start
tkey="tok-$$-$(date +%s%N)"
body="{\"show_id\":$show,\"seats\":[\"C8\"],\"payments\":[{\"method\":\"card\"}]}"
post /sales "$body" -H "Authorization: Bearer $VIEW" -H "Idempotency-Key: $tkey"
check "the view role may not sell: 403" "$STATUS $(jf .error)" "403 forbidden"
post /sales "$body"
check "no token: 401" "$STATUS" 401
post /sales "$body" -H "Authorization: Bearer $WEB" -H "Idempotency-Key: $tkey"
check "the web role sells: 201" "$STATUS" 201
tsale=$(jf .sale)
check "the key in the web role's namespace" "$(sql "SELECT count(*) FROM booking_request
    WHERE request_key = 'http:$webrole:$tkey' AND request_id = $tsale")" 1
check "paid by card" "$(paid "$tsale" payment)" 4000
req DELETE "/sales/$tsale?refund=card" -H "Authorization: Bearer $VIEW"
check "the view role may not cancel: 403" "$STATUS" 403
check "still sold" "$(sql "SELECT count(*) FROM booking WHERE request_id = $tsale
    AND status = 'active'")" 1
req DELETE "/sales/$tsale?refund=card" -H "Authorization: Bearer $WEB"
check "the web role cancels with a refund: 200" "$STATUS" 200
check "refunded" "$(paid "$tsale" refund)" 4000
api_stop
finish
