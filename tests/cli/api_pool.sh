#!/bin/sh
# The pool-leak test.  A public Express peer of this design stalled for
# good after 20 conflicting bookings because its conflict path kept its
# pool connection.  Here a pool of 2 goes through 25 conflicts, 25 of each
# other error that touches the database, and 5 lock timeouts; the server
# must still answer at once and have both connections idle.
. "$(dirname "$0")/../lib/api.sh"

show=$(mkshow 1 10)
user=$(mkuser)
conf 'database = { lock_timeout_ms = 300; };
api = { pool_size = 2; pool_wait_ms = 2000; };'
api_start

post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}"
check "the first booking" "$STATUS" 201

codes=""
for i in $(seq 1 25); do
	post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A2\",\"A1\"]}"
	codes="$codes $STATUS"
	post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"Q1\"]}"
	codes="$codes $STATUS"
	post /bookings "{\"user_id\":999999999,\"show_id\":$show,\"seats\":[\"A3\"]}"
	codes="$codes $STATUS"
	post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A3\",\"A3\"]}"
	codes="$codes $STATUS"
	req DELETE /bookings/999999999
	codes="$codes $STATUS"
	req GET /shows/999999999/seats
	codes="$codes $STATUS"
	post /users/register "{\"name\":\"X\",\"email\":\"bad\"}"
	codes="$codes $STATUS"
done
check "25 conflicts" "$(echo "$codes" | tr ' ' '\n' | grep -c '^409$')" 25
check "100 not found" "$(echo "$codes" | tr ' ' '\n' | grep -c '^404$')" 100
check "50 invalid" "$(echo "$codes" | tr ' ' '\n' | grep -c '^400$')" 50

# Lock timeouts: another session holds seat A5's row lock.
lock_seat "$show" A5 8
busy=""
for i in 1 2 3 4 5; do
	post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A5\"]}"
	busy="$busy $STATUS"
done
check "lock timeouts answered 409" "$busy" " 409 409 409 409 409"
check "lock timeout code" "$(jf .error)" seat_busy
check_has "lock timeout says when to retry" "$(cat "$T/headers")" "Retry-After: 1"
kill "$LOCKER" 2>/dev/null
wait "$LOCKER" 2>/dev/null

start=$(date +%s%N)
req GET /shows
end=$(date +%s%N)
check "after the errors the server still answers" "$STATUS" 200
ms=$(( (end - start) / 1000000 ))
if [ "$ms" -lt 2000 ]; then ok "and at once ($ms ms)"; else fail "slow answer: $ms ms"; fi
req GET /health
check "both connections idle" "$(jf .pool.idle)" 2
check "no pool timeouts" "$(jf .pool.timeouts)" 0
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A6\"]}"
check "a booking still goes through" "$STATUS" 201
api_stop
finish
