#!/bin/sh
# Check-in over HTTP (issue 16): POST /checkins admits a ticket once, then
# answers "already" with when and where, refuses an unknown code, a voided
# one (its seat cancelled), one for another show and one for a show that
# has ended, and answers 400 for what is not a code at all.  A door's token (a login made with `seatlock
# clerk add NAME --role door`) checks tickets in and gets 403 for anything
# else; a clerk's token may check in too.  16 POSTs of one code at once
# admit it exactly once (one checkin row).  Each outcome is checked in the
# answer and in SQL.  The codes are written here from the database's bytes
# by an implementation of their own (Crockford base32, a check symbol).
. "$(dirname "$0")/../lib/api.sh"

door=slapi_door_$$
clerk=slapi_ckclerk_$$
srvlogin=slapi_cksrv_$$
drop_roles_at_exit $srvlogin $door $clerk

# code BOOKING: the booking's ticket code as printed.
code() {
	hex=$(sql "SELECT encode(code, 'hex') FROM sl_tickets(NULL, $1)")
	shift
	python3 -c '
import sys
raw = bytes.fromhex(sys.argv[1])
if len(sys.argv) > 2:	# forge: another MAC, a right check symbol
	raw = raw[:5] + bytes(b ^ 0x5a for b in raw[5:])
b32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
bits = "".join(format(b, "08b") for b in raw)
v = [int(bits[5 * i:5 * i + 5], 2) for i in range(24)]
s = "".join(b32[x] for x in v) + b32[sum((i + 1) * x for i, x in enumerate(v)) % 31]
print("-".join(s[i:i + 5] for i in range(0, 25, 5)))' "$hex" "$@"
}
# booking SHOW LABEL: the active booking of a seat.
booking() {
	sql "SELECT b.booking_id FROM booking b JOIN seat s USING (seat_id)
	    WHERE b.show_id = $1 AND s.label = '$2' AND b.status = 'active'"
}
checkins() { sql "SELECT count(*) FROM checkin WHERE booking_id = $1"; }

show=$(mkshow 2 8)
other=$(mkshow 1 4)
past=$(mkshow 1 4)
"$SL" book "$show" A1 A2 A3 A4 A5 A6 >/dev/null &&
    "$SL" book "$other" A1 >/dev/null &&
    "$SL" book "$past" A1 >/dev/null &&
    "$SL" clerk add "$door" --role door &&
    "$SL" clerk add "$clerk" --role clerk &&
    "$SL" clerk add "$srvlogin" --role clerk ||
    { echo "FAIL the fixtures"; exit 1; }
check "the door's login is in seatlock_door" "$(sql "SELECT pg_has_role('$door',
    'seatlock_door', 'MEMBER')")" t
b1=$(booking "$show" A1); c1=$(code "$b1")
b2=$(booking "$show" A2); c2=$(code "$b2")
b3=$(booking "$show" A3); c3=$(code "$b3")
b4=$(booking "$show" A4); c4=$(code "$b4")
b5=$(booking "$show" A5); c5=$(code "$b5")
bo=$(booking "$other" A1); co=$(code "$bo")
bp=$(booking "$past" A1); cp=$(code "$bp")
# Yesterday's show: it started 7 hours ago (a show ends 6 hours after).
sql "UPDATE show SET starts_at = now() - interval '7 hours' WHERE show_id = $past"
forged=$(code "$(booking "$show" A6)" forge)

echo "-- without tokens (loopback): the door is \"web\""
api_start
post /checkins "{\"code\":\"$c1\"}"
check "admitted: 200" "$STATUS $(jf .result)" "200 admitted"
check "the seat, show and title" "$(jf '[.label, .show, .title] | join(" ")')" \
    "A1 $show API test"
check "the show's counts: admitted of sold" "$(jf '[.admitted, .sold] | join("/")')" \
    "1/6"
check "no reason, no first admission" "$(jf '[.reason, .first_at, .first_door] |
    map(tostring) | join(" ")')" "null null null"
check "one checkin row, at door web" "$(sql "SELECT count(*) || ' ' || min(door)
    FROM checkin WHERE booking_id = $b1")" "1 web"
api_stop

echo "-- with tokens: a door's, a clerk's"
sql "GRANT $door, $clerk TO $srvlogin" >/dev/null
DOOR=door-0123456789abcdefghij
CLERK=clerk-0123456789abcdefghij
# The server logs in as a clerk of its own, a member of both tokens' roles.
conf "api = { tokens = ( { token = \"$DOOR\"; role = \"$door\"; },
    { token = \"$CLERK\"; role = \"$clerk\"; } ); };"
PGUSER="$srvlogin" api_start
AD="Authorization: Bearer $DOOR"
AC="Authorization: Bearer $CLERK"

post /checkins "{\"code\":\"$c2\",\"show_id\":$show}" -H "$AD"
check "the door's token admits: 200" "$STATUS $(jf .result)" "200 admitted"
check "at the door named by its token, by the server's login" "$(sql "SELECT
    door || ' ' || clerk FROM checkin WHERE booking_id = $b2")" "$door $srvlogin"
lower=$(printf '%s' "$c2" | tr 'A-Z' 'a-z' | tr -d '-')
post /checkins "{\"code\":\"$lower\",\"door\":\"North\"}" -H "$AD"
check "a second entry: already" "$STATUS $(jf .result)" "200 already"
check "already says where" "$(jf .first_door)" "$door"
check "already says when" "$(jf .first_at)" "$(sql "SELECT to_json(at) #>> '{}'
    FROM checkin WHERE booking_id = $b2")"
check "still one checkin row" "$(checkins "$b2")" 1
check "both scans recorded" "$(sql "SELECT string_agg(result || '@' || door, ','
    ORDER BY scan_id) FROM scan WHERE booking_id = $b2")" "admitted@$door,already@North"

post /checkins "{\"code\":\"$forged\"}" -H "$AD"
check "a forged code (right check symbol): refused unknown" \
    "$STATUS $(jf .result) $(jf .reason) $(jf .show)" "200 refused unknown null"

"$SL" cancel "$b3" >/dev/null || fail "cancel A3"
post /checkins "{\"code\":\"$c3\"}" -H "$AD"
check "a cancelled seat's code: refused voided" \
    "$STATUS $(jf .result) $(jf .reason) $(jf .label)" "200 refused voided A3"
check "not admitted" "$(checkins "$b3")" 0

post /checkins "{\"code\":\"$co\",\"show_id\":$show}" -H "$AD"
check "another show's ticket: refused" "$STATUS $(jf .result)" "200 refused"
check_has "the reason names the other show" "$(jf .reason)" "another show: API test"
check "the ticket's own show" "$(jf .show)" "$other"
check "not admitted" "$(checkins "$bo")" 0
post /checkins "{\"code\":\"$cp\"}" -H "$AD"
check "a ticket for a show that has ended: refused ended" \
    "$STATUS $(jf .result) $(jf .reason) $(jf .show)" "200 refused ended $past"
check "not admitted" "$(checkins "$bp")" 0
check "the refused scans recorded" "$(sql "SELECT count(*) FROM scan
    WHERE result = 'refused' AND door = '$door'
    AND (booking_id IN ($b3, $bo, $bp) OR booking_id IS NULL)")" 4

echo "-- not a code: 400, nothing recorded"
scans=$(sql "SELECT count(*) FROM scan")
post /checkins '{"code":"hello, world"}' -H "$AD"
check "a character not in a code: 400" "$STATUS $(jf .error)" "400 invalid_code"
check_has "says which character" "$(jf .message)" "',' is not in one"
bad=$(printf '%s' "$c4" | sed 's/.$//')
post /checkins "{\"code\":\"$bad\"}" -H "$AD"
check "too short: 400" "$STATUS $(jf .error)" "400 invalid_code"
check_has "says how long" "$(jf .message)" "24 symbols, a code has 25"
last=$(printf '%s' "$c4" | cut -c29)
swap=$( [ "$last" = 0 ] && echo 1 || echo 0)
post /checkins "{\"code\":\"$(printf '%s' "$c4" | cut -c1-28)$swap\"}" -H "$AD"
check "a wrong check symbol: 400" "$STATUS $(jf .error)" "400 invalid_code"
check_has "says a typo" "$(jf .message)" "check symbol is wrong"
post /checkins '{"code":""}' -H "$AD"
check "an empty scan: 400" "$STATUS $(jf .error)" "400 invalid_code"
post /checkins '{"code":' -H "$AD"
check "bad JSON: 400" "$STATUS $(jf .error)" "400 invalid_json"
post /checkins '{"code":12345}' -H "$AD"
check "a number: 400" "$STATUS $(jf .error)" "400 invalid"
post /checkins "{\"code\":\"$c4\",\"seat\":\"A1\"}" -H "$AD"
check "an unknown field: 400" "$STATUS $(jf .error)" "400 unknown_field"
post /checkins "{\"code\":\"$c4\",\"show_id\":\"x\"}" -H "$AD"
check "a show that is not an id: 400" "$STATUS $(jf .error)" "400 invalid"
post /checkins "{\"code\":\"$c4\",\"door\":\"a\\u0007b\"}" -H "$AD"
check "a door name with a control character: 400" "$STATUS $(jf .error)" "400 invalid"
check "nothing recorded for them" "$(sql "SELECT count(*) FROM scan")" "$scans"
check "A4 not admitted" "$(checkins "$b4")" 0
post /checkins "{\"code\":\"$c4\"}"
check "no token: 401" "$STATUS $(jf .error)" "401 unauthorized"

echo "-- a door's token does nothing else"
for r in "GET /shows" "GET /shows/$show/seats" "GET /shows/$show/events" \
    "GET /sales/1" "DELETE /bookings/$b5" "DELETE /sales/1" "DELETE /holds/1"; do
	req ${r% *} "${r#* }" -H "$AD"
	check "$r with a door's token: 403" "$STATUS $(jf .error)" "403 forbidden"
done
for r in "/bookings {\"user_id\":1,\"show_id\":$show,\"seats\":[\"B1\"]}" \
    "/sales {\"show_id\":$show,\"seats\":[\"B1\"]}" \
    "/holds {\"show_id\":$show,\"seats\":[\"B1\"]}" \
    "/users/register {\"name\":\"X\",\"email\":\"x$$@example.com\"}"; do
	post "${r%% *}" "${r#* }" -H "$AD"
	check "POST ${r%% *} with a door's token: 403" "$STATUS $(jf .error)" \
	    "403 forbidden"
done
check "nothing sold or cancelled: 5 seats sold, B1 free" "$(sql "SELECT count(*)
    FROM booking WHERE show_id = $show AND status = 'active'") $(booking "$show" B1)" "5 "
check "A5 still sold" "$(booking "$show" A5)" "$b5"
check "no hold" "$(sql "SELECT count(*) FROM hold WHERE show_id = $show")" 0
req GET /health -H "$AD"
check "the public /health still answers" "$STATUS" 200

echo "-- a clerk's token may check in"
post /checkins "{\"code\":\"$c5\",\"door\":\"box office\"}" -H "$AC"
check "admitted: 200" "$STATUS $(jf .result)" "200 admitted"
check "at the door it named" "$(sql "SELECT door FROM checkin WHERE booking_id = $b5")" \
    "box office"
req GET /shows -H "$AC"
check "and does the rest: GET /shows" "$STATUS" 200

echo "-- 16 doors send one code at once"
i=0
pids=""
while [ $i -lt 16 ]; do
	curl -s --max-time 20 -H "$AD" -H "$JSON" \
	    --data-binary "{\"code\":\"$c4\",\"door\":\"door $i\"}" \
	    -o "$T/race.$i" -w '%{http_code}\n' "$API/checkins" > "$T/race.$i.status" &
	pids="$pids $!"
	i=$((i + 1))
done
wait $pids	# the curls only, not the server
check "16 answers of 200" "$(cat "$T"/race.*.status | grep -c '^200$')" 16
check "exactly one admitted" "$(cat "$T"/race.[0-9] "$T"/race.[0-9][0-9] |
    jq -r .result | grep -c '^admitted$')" 1
check "15 already" "$(cat "$T"/race.[0-9] "$T"/race.[0-9][0-9] |
    jq -r .result | grep -c '^already$')" 15
check "one checkin row" "$(checkins "$b4")" 1
check "16 scans recorded" "$(sql "SELECT count(*) FROM scan WHERE booking_id = $b4")" 16
check "the already answers name the admitting door" "$(cat "$T"/race.[0-9] \
    "$T"/race.[0-9][0-9] | jq -r 'select(.result == "already") | .first_door' |
    sort -u)" "$(sql "SELECT door FROM checkin WHERE booking_id = $b4")"
check "the counts: 4 admitted of 5 sold" "$(sql "SELECT count(*) FROM checkin
    WHERE show_id = $show")/$(sql "SELECT count(*) FROM booking WHERE show_id = $show
    AND status = 'active'")" "4/5"
check "no 5xx in the access log" "$(grep -c ' 5[0-9][0-9] ' "$T/server.log")" 0
api_stop
finish
