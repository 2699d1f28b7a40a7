#!/bin/sh
# seatlock book --best and seatlock exchange: the seats chosen, JSON, the
# audit trail, exit codes (0, 2 usage, 3 conflict, 4 not found).
. "$(dirname "$0")/depth.lib"

S=$(new_show '{ name = "Main"; zone = "B"; rows = ( { row = "A"; seats = "1-10"; }, { row = "B"; seats = "1-10"; }, { row = "C"; seats = "1-10"; zone = "A"; } ); }')
S2=$(psql -XAtqc "SELECT sl_show_add(venue_id, 'CLI later', '2031-03-03 19:30') FROM show WHERE show_id = $S")
USER_ID=$(new_user sell)
OTHER=$(new_user sell-other)
expect 0 "zone A" "$SL" zone set "$S" A --price 50 --rank 1
expect 0 "zone B" "$SL" zone set "$S" B --price 30.50 --rank 2

# Best available: zone A first (row C), centre; --zone B: row A's centre.
expect 0 "book --best 2 --json" "$SL" book "$S" --best 2 --user "$USER_ID" --json
check "best pair: zone A, centre of row C, its price, total and currency" \
    "$(jsql "$OUT" "SELECT string_agg(b->>'label', ' '), max(b->>'price_cents'), max(:'j'::json->>'total_cents'), max(:'j'::json->>'currency') FROM json_array_elements(:'j'::json->'bookings') b")" \
    "C5 C6|5000|10000|EUR"
expect 0 "book --best 4 --zone b" "$SL" book "$S" --best 4 --zone b --user "$USER_ID"
check "book --best prints the booking ids" "$(echo "$OUT" | grep -c '^[0-9][0-9]*$')" 4
case "$ERR" in *"seats: A4 A5 A6 A7"*"122.00 EUR"* | *"122.00 EUR"*"seats: A4 A5 A6 A7"*) ok "says which seats and the total" ;; *) bad "best message: $ERR" ;; esac
expect 3 "no 11 together" "$SL" book "$S" --best 11 --user "$USER_ID"
expect 2 "--best 0" "$SL" book "$S" --best 0 --user "$USER_ID"
expect 2 "--best 51" "$SL" book "$S" --best 51 --user "$USER_ID"
expect 2 "--zone without --best" "$SL" book "$S" --hold 5 --zone A --user "$USER_ID"
expect 2 "a bad zone code" "$SL" book "$S" --best 2 --zone 'A B' --user "$USER_ID"
expect 4 "an unknown zone" "$SL" book "$S" --best 2 --zone Q --user "$USER_ID"
expect 4 "an unknown user" "$SL" book "$S" --best 2 --user 999999999
# Without --user a sale is a walk-up since issue 15 (tests/cli/sales.sh).
expect 2 "--best with --user but no id" "$SL" book "$S" --best 2 --user
K="best-key-$U"
expect 0 "book --best with a key" "$SL" book "$S" --best 1 --user "$USER_ID" --key "$K"
FIRST=$OUT
expect 0 "the same key again" "$SL" book "$S" --best 1 --user "$USER_ID" --key "$K"
check "a retry with the key answers the same booking" "$OUT" "$FIRST"

expect 0 "book by labels with --json" "$SL" book "$S" B9 B10 --user "$OTHER" --json
check "labels, prices and total" \
    "$(jsql "$OUT" "SELECT string_agg(b->>'label' || '=' || (b->>'price_cents'), ' '), max(:'j'::json->>'total_cents') FROM json_array_elements(:'j'::json->'bookings') b")" \
    "B9=3050 B10=3050|6100"

# Exchange: the C5 C6 pair to B1 B2 with a reason.
IDS=$(psql -XAtqc "SELECT string_agg(b.booking_id::text, ',' ORDER BY s.label) FROM booking b JOIN seat s USING (seat_id) WHERE b.show_id = $S AND s.label IN ('C5', 'C6')")
expect 0 "exchange two bookings" "$SL" exchange "$IDS" B1 B2 --reason "sight line"
check "prints the new booking ids" "$(echo "$OUT" | grep -c '^[0-9][0-9]*$')" 2
case "$ERR" in *"old total 100.00 EUR, new total 61.00 EUR, difference -39.00 EUR"*) ok "prices the exchange" ;; *) bad "exchange message: $ERR" ;; esac
check "the reason is in the audit trail" \
    "$(psql -XAtqc "SELECT detail->>'reason' FROM audit_log WHERE show_id = $S AND action = 'exchange'")" \
    "sight line"
check "C5 and C6 are free again, B1 B2 booked" \
    "$(psql -XAtqc "SELECT string_agg(s.label || '=' || ss.state, ' ' ORDER BY s.label) FROM show_seat ss JOIN seat s USING (seat_id) WHERE ss.show_id = $S AND s.label IN ('C5', 'C6', 'B1', 'B2')")" \
    "B1=booked B2=booked C5=available C6=available"
NEW=$(echo "$OUT" | head -n 1)
expect 0 "exchange to another show, --json" "$SL" exchange "$NEW" C1 --show "$S2" --json
check "the new booking is of the other show" \
    "$(psql -XAtqc "SELECT show_id FROM booking WHERE booking_id = $(jsql "$OUT" "SELECT :'j'::json->'bookings'->0->>'id'")")" "$S2"
expect 4 "an exchanged booking is no longer active" "$SL" exchange "$NEW" C2
ONE=$(echo "$FIRST" | head -n 1)
expect 3 "exchange to a taken seat" "$SL" exchange "$ONE" A5
expect 2 "one seat for each booking" "$SL" exchange "$ONE" C1 C2
expect 2 "a bad booking list" "$SL" exchange "1,,2" C1 C2
expect 2 "no seats" "$SL" exchange "$ONE"
expect 4 "an unknown booking" "$SL" exchange 999999999 C1
expect 4 "an unknown seat" "$SL" exchange "$ONE" Z1
expect 4 "an unknown show" "$SL" exchange "$ONE" C1 --show 999999999
OTHER_B=$("$SL" book "$S" C9 --user "$OTHER" 2>/dev/null)
expect 2 "bookings of two customers" "$SL" exchange "$ONE,$OTHER_B" C1 C2
check "the invariant holds" \
    "$(psql -XAtqc "SELECT count(*) FROM show_seat ss WHERE ss.show_id IN ($S, $S2) AND (ss.state = 'booked') <> EXISTS (SELECT 1 FROM booking b WHERE b.show_id = ss.show_id AND b.seat_id = ss.seat_id AND b.status = 'active')")" 0
finish
