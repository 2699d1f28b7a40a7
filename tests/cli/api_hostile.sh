#!/bin/sh
# Issue 17, the HTTP API attacked the way the audit did (findings 17, 11,
# 19, 10, 6): bytes that are not UTF-8, a database constraint's name, a
# request key replayed after its booking was cancelled, a foreign Host or
# Origin in no-token mode (DNS rebinding), and a forged NOTIFY.  Every loop
# is bounded; everything is on loopback.
. "$(dirname "$0")/../lib/api.sh"

show=$(mkshow 2 6)
user=$(mkuser)
api_start
PORT=${API##*:}

# raw REQUEST-BYTES: sends them to the server as they are; sets STATUS
# and BODY from the answer (python3: curl will not send such a method).
raw() {
	python3 - "$PORT" "$1" > "$T/raw" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode("utf-8", "surrogateescape")
    .decode("unicode_escape").encode("latin-1"))
data = b""
while True:
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    if not d:
        break
    data += d
head, _, body = data.partition(b"\r\n\r\n")
print(head.split(b" ")[1].decode() if head else "000")
sys.stdout.write(body.decode("utf-8", "replace"))
PY
	STATUS=$(head -n 1 "$T/raw")
	BODY=$(tail -n +2 "$T/raw")
}

echo "-- finding 17: bytes that are not UTF-8"
raw 'G\xffT /shows HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
check "a method with a byte 0xff: 400" "$STATUS" 400
case "$BODY" in *"no memory"*) fail "the method: $BODY" ;; *) ok "not 'no memory'" ;; esac
raw 'GET /shows?\xc3=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'
check "a query key cut mid-character: 400" "$STATUS" 400
check "says which error" "$(jf .error)" bad_query
req GET "/shows?%ff%fe=1"
check "a query key %ff%fe: 400" "$STATUS" 400
case "$BODY" in *"no memory"*) fail "the query key: $BODY" ;; *) ok "not 'no memory'" ;; esac
long=$(printf 'x%.0s' $(seq 1 63))
printf '{"user_id":%s,"show_id":%s,"seats":["A1"],"%s\303\251":1}' \
    "$user" "$show" "$long" > "$T/cut.json"
req POST /bookings -H "$JSON" --data-binary "@$T/cut.json"
check "a field name cut mid-character: 400" "$STATUS" 400
check "unknown_field" "$(jf .error)" unknown_field

echo "-- finding 11: no constraint names in a 400"
# U+2003 (an em space) passes the C check of an address, not the table's.
email=$(printf 'a\342\200\203b%s@example.com' "$$")
post /users/register "{\"name\":\"Mallory\",\"email\":\"$email\"}"
check "an address the table refuses: 400" "$STATUS" 400
case "$BODY" in
*app_user*|*constraint*|*_check*|*relation*) fail "internal names: $BODY" ;;
*) ok "no table or constraint name ($BODY)" ;;
esac
check "invalid" "$(jf .error)" invalid

echo "-- finding 19: a request key replayed after its booking was cancelled"
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A2\"]}" \
    -H "Idempotency-Key: replay-$$"
check "booked" "$STATUS" 201
bid=$(jf '.bookings[0].id')
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A2\"]}" \
    -H "Idempotency-Key: replay-$$"
check "the same key again: 201, the same booking" "$STATUS:$(jf '.bookings[0].id')" "201:$bid"
req DELETE "/bookings/$bid"
check "cancelled" "$STATUS" 204
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A2\"]}" \
    -H "Idempotency-Key: replay-$$"
check "the key after its booking was cancelled: 409" "$STATUS" 409
check "booking_cancelled" "$(jf .error)" booking_cancelled

echo "-- finding 10: Host and Origin in no-token mode"
req GET /shows -H "Host: evil.example"
check "Host: evil.example: 421" "$STATUS" 421
req GET /shows -H "Host: evil.example:$PORT"
check "Host: evil.example:PORT: 421" "$STATUS" 421
req GET /shows -H "Origin: http://evil.example"
check "Origin: http://evil.example: 403" "$STATUS" 403
req GET /shows -H "Origin: http://127.0.0.1:$PORT"
check "Origin: the server's own: 200" "$STATUS" 200
req GET /shows -H "Host: localhost:$PORT"
check "Host: localhost:PORT: 200" "$STATUS" 200
req GET /shows
check "a plain request: 200" "$STATUS" 200
api_stop
api_start --host box.example
PORT=${API##*:}
req GET /shows -H "Host: box.example:$PORT"
check "a --host name: 200" "$STATUS" 200
req GET /shows -H "Origin: http://box.example:$PORT"
check "a --host name's origin: 200" "$STATUS" 200
req GET /shows -H "Host: evil.example:$PORT"
check "another name still: 421" "$STATUS" 421
out=$("$SL" serve --host 'a b' 2>&1)
check "--host that is not a name: exit 2" "$?" 2
echo "-- finding 6: a forged NOTIFY never reaches a client as a state"
sse_open "$show" 8
seq=$(sed -n 's/.*"seq":\([0-9]*\).*/\1/p' "$T/sse" | head -n 1)
a1=$(sql "SELECT seat_id FROM seat s JOIN show sh USING (venue_id)
    WHERE sh.show_id = $show AND s.label = 'A1'")
psql -X -q -c "NOTIFY seatlock_show_$show, '{\"show\":$show,\"seq\":$((seq + 1)),\"state\":\"booked\",\"seats\":[$a1]}'"
i=0
until grep -q '^event: reload' "$T/sse" || grep -q "\"seats\":\[$a1\]" "$T/sse" ||
    [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"B1\"]}"
check "a real sale while streaming" "$STATUS" 201
b1=$(sql "SELECT seat_id FROM seat s JOIN show sh USING (venue_id)
    WHERE sh.show_id = $show AND s.label = 'B1'")
i=0
until grep -q "\"seats\":\[$b1\]" "$T/sse" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
kill "$SSE_PID" 2>/dev/null
wait "$SSE_PID" 2>/dev/null
case "$(cat "$T/sse")" in
*"\"seats\":[$a1]"*) fail "the forged state reached the client: $(cat "$T/sse")" ;;
*) ok "the forged state did not reach the client" ;;
esac
check_has "the forged payload became a reload hint" "$(cat "$T/sse")" "event: reload"
check_has "the real sale arrives as its state" "$(cat "$T/sse")" \
    "\"state\":\"booked\",\"seats\":[$b1]"
check "A1 is still available" "$(sql "SELECT ss.state FROM show_seat ss
    WHERE ss.show_id = $show AND ss.seat_id = $a1")" available
api_stop
finish
