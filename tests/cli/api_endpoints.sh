#!/bin/sh
# The HTTP API, every endpoint and every error it promises: `seatlock
# serve` on 127.0.0.1 with a free port, driven with curl, outcomes checked
# in the answers and in SQL.
. "$(dirname "$0")/../lib/api.sh"

show=$(mkshow 2 10)
user=$(mkuser)
api_start

echo "-- GET /openapi.json, /health"
req GET /openapi.json
check "openapi status" "$STATUS" 200
check "openapi is OpenAPI 3" "$(jf .openapi | cut -c1-2)" "3."
req GET /health
check "health" "$STATUS" 200
check "health pool idle" "$(jf .pool.idle)" 4

echo "-- POST /users/register"
email="reg$$-$(date +%s%N)@example.com"
post /users/register "{\"name\":\"Zoë Example\",\"email\":\"$email\"}"
check "register" "$STATUS" 201
check "register returns the email" "$(jf .email)" "$email"
check "register returns the name" "$(jf .name)" "Zoë Example"
uid=$(jf .id)
check "the user is in the database" \
    "$(sql "SELECT count(*) FROM app_user WHERE user_id = $uid")" 1
post /users/register "{\"name\":\"Other\",\"email\":\"$(echo "$email" | tr a-z A-Z)\"}"
check "same email (other case): 409" "$STATUS" 409
check "409 error code" "$(jf .error)" conflict
post /users/register '{"name":"X","email":"not-an-email"}'
check "invalid email: 400" "$STATUS" 400
check "400 error code" "$(jf .error)" invalid
post /users/register '{"name":"X","email":"x@example.com","phone":"12","admin":true}'
check "unknown field: 400" "$STATUS" 400
check "unknown field code" "$(jf .error)" unknown_field
post /users/register '{"name":42,"email":"y@example.com"}'
check "wrong type: 400" "$STATUS" 400
post /users/register '{"email":"y@example.com"}'
check "missing name: 400" "$STATUS" 400
post /users/register '{"name":"X","email":'
check "malformed JSON: 400" "$STATUS" 400
check "malformed JSON code" "$(jf .error)" invalid_json
post /users/register '["name"]'
check "not an object: 400" "$STATUS" 400
post /users/register '{"name":"X","name":"Y","email":"z@example.com"}'
check "duplicate key: 400" "$STATUS" 400
req POST /users/register --data-binary '{"name":"X","email":"q@example.com"}'
check "not declared JSON: 415" "$STATUS" 415
head -c 200000 /dev/zero | tr '\0' ' ' > "$T/big"
req POST /users/register -H "$JSON" --data-binary @"$T/big"
check "huge body (Content-Length): 413" "$STATUS" 413
check "huge body code" "$(jf .error)" body_too_large
req POST /users/register -H "$JSON" -H 'Transfer-Encoding: chunked' \
    --data-binary @"$T/big"
check "huge body (chunked): 413" "$STATUS" 413
printf '{"name":"\001\002","email":"c@example.com"}' > "$T/ctl"
req POST /users/register -H "$JSON" --data-binary @"$T/ctl"
check "control characters in JSON text: 400" "$STATUS" 400
printf '{"name":"\377\376","email":"c@example.com"}' > "$T/ctl"
req POST /users/register -H "$JSON" --data-binary @"$T/ctl"
check "invalid UTF-8: 400" "$STATUS" 400

echo "-- GET /shows"
req GET /shows
check "shows" "$STATUS" 200
check "our show is listed with 20 available" \
    "$(jf ".[] | select(.id == $show) | .available")" 20
check "show fields" "$(jf ".[] | select(.id == $show) | keys | sort | join(\",\")")" \
    "available,capacity,id,off_sale,on_sale,starts_at,title,venue,venue_id"
req GET '/shows?x=1'
check "unknown query argument: 400" "$STATUS" 400

echo "-- GET /shows/{id}/seats"
req GET "/shows/$show/seats"
check "seats" "$STATUS" 200
check "20 seats" "$(jf '.seats | length')" 20
check "seat state" "$(jf '.seats[0].state')" available
check "seq" "$(jf .seq)" 0
req GET "/shows/999999999/seats"
check "unknown show: 404" "$STATUS" 404
check "404 code" "$(jf .error)" not_found
for bad in abc 0 -1 1.5 99999999999999999999 '%20' 1e3; do
	req GET "/shows/$bad/seats"
	check "bad id '$bad': 400" "$STATUS" 400
done
req GET "/shows/$show/seats?available=maybe"
check "available=maybe: 400" "$STATUS" 400
req GET "/shows/$show/seats?available=true&available=false"
check "repeated query argument: 400" "$STATUS" 400

echo "-- POST /bookings"
key="key-$$-$(date +%s%N)"
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"a1\",\"A2\"]}" \
    -H "Idempotency-Key: $key"
check "book two seats" "$STATUS" 201
check "labels normalized, seat order" "$(jf '[.bookings[].seat] | join(",")')" "A1,A2"
first=$(jf '[.bookings[].id] | join(",")')
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\",\"A2\"]}" \
    -H "Idempotency-Key: $key"
check "retry with the same Idempotency-Key: 201" "$STATUS" 201
check "retry returns the first answer" "$(jf '[.bookings[].id] | join(",")')" "$first"
check "one booking per seat in SQL" "$(sql "SELECT count(*) FROM booking \
    WHERE show_id = $show AND status = 'active'")" 2
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"B9\"]}" \
    -H "Idempotency-Key: $key"
check "same key, other seats: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A2\",\"A3\"]}"
check "a seat taken: 409" "$STATUS" 409
check "409 names the seat" "$(jf '.seats | join(",")')" A2
check "all or nothing: A3 still free" "$(sql "SELECT count(*) FROM booking b \
    JOIN seat s USING (seat_id) WHERE b.show_id = $show AND s.label = 'A3'")" 0
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"Z99\"]}"
check "unknown seat: 404" "$STATUS" 404
post /bookings "{\"user_id\":999999999,\"show_id\":$show,\"seats\":[\"A5\"]}"
check "unknown user: 404" "$STATUS" 404
post /bookings "{\"user_id\":$user,\"show_id\":999999999,\"seats\":[\"A5\"]}"
check "unknown show: 404" "$STATUS" 404
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A5\",\"a5\"]}"
check "a seat named twice: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[]}"
check "no seats: 400" "$STATUS" 400
post /bookings "{\"user_id\":\"$user\",\"show_id\":$show,\"seats\":[\"A5\"]}"
check "id as a string: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show.0,\"seats\":[\"A5\"]}"
check "id as a real: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":-3,\"seats\":[\"A5\"]}"
check "negative id: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":99999999999999999999999,\"seats\":[\"A5\"]}"
check "id beyond 64 bits: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":\"A5\"}"
check "seats not an array: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[5]}"
check "seat not a string: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A 5\"]}"
check "bad seat label: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A5\"],\"price\":0}"
check "unknown field: 400" "$STATUS" 400
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A5\"]}" \
    -H "Idempotency-Key: $(head -c 200 /dev/zero | tr '\0' k)"
check "Idempotency-Key too long: 400" "$STATUS" 400
post /bookings "$(printf '[%.0s' $(seq 1 3000))"
check "deeply nested JSON: 400" "$STATUS" 400
req GET /bookings
check "GET /bookings: 405" "$STATUS" 405
check_has "405 says what is allowed" "$(cat "$T/headers")" "Allow: POST"

echo "-- DELETE /bookings/{id}"
b1=$(echo "$first" | cut -d, -f1)
req DELETE "/bookings/$b1"
check "cancel" "$STATUS" 204
check "cancelled in SQL" "$(sql "SELECT status FROM booking WHERE booking_id = $b1")" cancelled
req DELETE "/bookings/$b1"
check "cancel again (not active): 404" "$STATUS" 404
req DELETE "/bookings/999999999"
check "unknown booking: 404" "$STATUS" 404
req DELETE "/bookings/x1"
check "bad booking id: 400" "$STATUS" 400
req DELETE "/bookings/$b1" --data-binary 'x'
check "a body where none is taken: 400" "$STATUS" 400
req GET "/shows/$show/seats?available=true"
check "available=true: 19 seats free" "$(jf '.seats | length')" 19
check "available=true lists only available" \
    "$(jf '[.seats[].state] | unique | join(",")')" available

echo "-- unknown paths and methods"
req GET /nope
check "unknown path: 404" "$STATUS" 404
req GET /shows/
check "trailing slash: 404" "$STATUS" 404
req PUT /shows
check "PUT /shows: 405" "$STATUS" 405
req HEAD /shows -I
check "HEAD /shows" "$STATUS" 200

echo "-- GET /shows/{id}/events (Server-Sent Events)"
curl -sN --max-time 20 "$API/shows/$show/events" > "$T/sse" &
sse=$!
i=0
until grep -q '^event: open' "$T/sse" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check_has "open event with the sequence" "$(cat "$T/sse")" "{\"show\":$show,\"seq\":"
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"B1\",\"B2\"]}"
check "book while streaming" "$STATUS" 201
ids=$(sql "SELECT string_agg(seat_id::text, ',' ORDER BY seat_id) FROM seat s \
    JOIN show sh USING (venue_id) WHERE sh.show_id = $show AND s.label IN ('B1','B2')")
i=0
until grep -q '"state":"booked"' "$T/sse" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check_has "the change arrives as an event" "$(cat "$T/sse")" \
    "\"state\":\"booked\",\"seats\":[$ids]"
check_has "event carries an id" "$(cat "$T/sse")" "id: "
psql -X -q -c "NOTIFY seatlock_show_$show, 'not json at all'"
i=0
until grep -q '^event: reload' "$T/sse" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
check_has "a foreign payload becomes a reload hint" "$(cat "$T/sse")" "event: reload"
req GET /health
check "one stream open" "$(jf .streams)" 1
kill "$sse" 2>/dev/null
wait "$sse" 2>/dev/null
req GET /shows/999999999/events
check "events of an unknown show: 404" "$STATUS" 404
req GET /shows/abc/events
check "events, bad id: 400" "$STATUS" 400

echo "-- the access log"
req GET "/shows/%01%1b[31m/seats"
check "control characters in the path: 400" "$STATUS" 400
log=$(cat "$T/server.log")
check_has "log line: method, path, status, duration" "$log" \
    "POST /bookings 201 "
check_has "log line for a cancel" "$log" "DELETE /bookings/$b1 204 "
check_has "control characters escaped in the log" "$log" '\x01\x1b[31m'
if grep -q "$email" "$T/server.log"; then
	fail "the log holds an email address"
else
	ok "no email address in the log"
fi
if grep -q "$(printf '\033')" "$T/server.log"; then
	fail "a raw escape character reached the log"
else
	ok "no raw control characters in the log"
fi

req GET /health
check "every connection back in the pool" "$(jf .pool.idle)" 4
api_stop
finish
