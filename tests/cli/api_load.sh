#!/bin/sh
# A bounded load on hot seats on loopback: wrk POSTs bookings of 8 seats
# for about 20 s from 32 connections while another client cancels what it
# finds booked, so the seats stay contested.  No stall (wrk sees no socket
# error or timeout, the server answers at once afterwards), no 5xx, and no
# seat ever has two active bookings.
. "$(dirname "$0")/../lib/api.sh"

LOAD_S=${SEATLOCK_LOAD_S:-20}
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { fail "wrk is not installed (.ci/deps.sh test)"; finish; }

show=$(mkshow 1 8)
user=$(mkuser)
conf 'api = { pool_size = 4; max_connections = 256; };'
api_start

# The canceller: every few tenths of a second, cancels up to 4 bookings.
(
	end=$(($(date +%s) + LOAD_S))
	n=0
	while [ "$(date +%s)" -lt "$end" ]; do
		for b in $(sql "SELECT booking_id FROM booking WHERE show_id = $show \
		    AND status = 'active' ORDER BY random() LIMIT 4"); do
			c=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' \
			    -X DELETE "$API/bookings/$b")
			case "$c" in
			204) n=$((n + 1)) ;;
			404) ;;
			*) echo "cancel $b: $c" >> "$T/cancel.errors" ;;
			esac
		done
		sleep 0.2
	done
	echo "$n" > "$T/cancelled"
) &
canceller=$!

SHOW=$show SL_USER=$user NSEATS=8 timeout $((LOAD_S + 60)) \
    wrk -t2 -c32 -d"${LOAD_S}s" --timeout 10s -s "$top/tests/lib/api_load.lua" \
    "$API" > "$T/wrk.out" 2>&1
check "wrk ran" "$?" 0
wait "$canceller"
cat "$T/wrk.out"

line=$(grep '^answers ' "$T/wrk.out")
get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
check "no 5xx" "$(get server_errors)" 0
check "no other 4xx" "$(get client_errors)" 0
check "nothing but 201 and 409" "$(get other)" 0
if grep -q 'Socket errors' "$T/wrk.out"; then
	fail "wrk saw socket errors or timeouts: $(grep 'Socket errors' "$T/wrk.out")"
else
	ok "no socket errors, no timeouts"
fi
total=$(( $(get created) + $(get conflicts) ))
if [ "$total" -ge 200 ]; then ok "$total answers in $LOAD_S s"; else fail "only $total answers in $LOAD_S s: a stall?"; fi
if [ "$(get created)" -ge 2 ]; then ok "seats were sold again after cancels ($(get created) bookings, $(cat "$T/cancelled") cancels)"; else fail "created $(get created)"; fi
check "cancels answered 204 or 404 only" "$(cat "$T/cancel.errors" 2>/dev/null)" ""

check "no double booking" "$(sql "SELECT count(*) FROM (SELECT seat_id FROM booking \
    WHERE show_id = $show AND status = 'active' GROUP BY seat_id \
    HAVING count(*) > 1) d")" 0
check "seat states agree with the bookings" "$(sql "SELECT count(*) FROM show_seat ss \
    WHERE ss.show_id = $show AND (ss.state = 'booked') <> EXISTS (SELECT 1 FROM \
    booking b WHERE b.show_id = ss.show_id AND b.seat_id = ss.seat_id AND \
    b.status = 'active')")" 0
# wrk does not count the answers still on the way when it stops.
inq=$(sql "SELECT count(*) FROM booking WHERE show_id = $show")
if [ "$inq" -ge "$(get created)" ] && [ "$inq" -le $(( $(get created) + 32 )) ]; then
	ok "bookings in SQL match the 201s ($inq, $(get created) counted)"
else
	fail "bookings in SQL: $inq, 201s counted: $(get created)"
fi

start=$(date +%s%N)
req GET /health
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "the server answers after the load" "$STATUS" 200
check "every connection back in the pool" "$(jf .pool.idle)" 4
if [ "$ms" -lt 3000 ]; then ok "at once ($ms ms)"; else fail "slow: $ms ms"; fi
api_stop
finish
