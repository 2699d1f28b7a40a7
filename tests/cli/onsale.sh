#!/bin/sh
# On-sale windows (issue 15): `seatlock show set SHOW --on-sale/--off-sale`
# sets and clears them (supervisors only); a sale or a hold outside the
# window is refused with exit 3 and a message saying when sales open or
# that they closed, and nothing is booked or held - by label, --best,
# --hold and exchange alike; a supervisor's explicit --override sells, a
# clerk's --override is refused and being a supervisor alone bypasses
# nothing; holds end at the off-sale time; over HTTP POST /bookings is 409
# not_on_sale with the message.
. "$(dirname "$0")/testlib"

clerk=slo_clerk_$$
boss=slo_boss_$$
srv=""
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null
	psql -X -q -c "DROP ROLE IF EXISTS $clerk" -c "DROP ROLE IF EXISTS $boss" \
	    >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# as ROLE EXPECT DESCRIPTION ARGS...: expect, logged in as ROLE.
as() {
	_r=$1
	shift
	with_env PGUSER="$_r" -- expect "$@"
}

# booked: the show's active bookings.
booked() {
	sql "SELECT count(*) FROM booking WHERE show_id = $show
	    AND status = 'active'"
}

# window ON OFF: sets the window as the superuser (a supervisor).
window() {
	run show set "$show" --on-sale "$1" --off-sale "$2"
	[ "$rc" -eq 0 ] || not_ok "show set $show --on-sale '$1' --off-sale '$2': exit $rc"
}

run clerk add "$clerk" --role clerk
run clerk add "$boss" --role supervisor
venue=$(new_venue 2 6)
show=$(new_show "$venue")
other=$("$SL" show add --venue "$venue" --title "Other $uniq" \
    --starts "2031-02-01 20:00" 2>/dev/null)
user=$(new_user)
check "a show, another, a customer" is_id "$other"

echo "-- show set and shows"
expect 0 "show set --on-sale" show set "$show" --on-sale "2030-12-10 10:00"
stderr_has "show $show is on sale from 2030-12-10" "show set says the window"
check "the window is stored" [ "$(sql "SELECT on_sale_at =
    '2030-12-10 10:00'::timestamptz AND off_sale_at IS NULL FROM show
    WHERE show_id = $show")" = t ]
expect 0 "shows --json" shows --json
check "shows --json: on_sale set, off_sale null, the other show none" \
    [ "$(jq -r --argjson a "$show" --argjson b "$other" '[.[] |
    select(.id == $a or .id == $b) | [(.on_sale != null), (.off_sale ==
    null), has("starts_at")] | map(tostring) | join(",")] | join(" ")' \
    "$tmp/out")" = "true,true,true false,true,true" ]
check "... the on-sale time is the one set" [ "$(sql "SELECT
    '$(jq -r --argjson a "$show" '.[] | select(.id == $a) | .on_sale' \
    "$tmp/out")'::timestamptz = '2030-12-10 10:00'::timestamptz")" = t ]
expect 0 "shows (text)" shows
check "shows names the window" grep -q "on sale from 2030-12-10" "$tmp/out"
expect 2 "show set without a time: usage" show set "$show"
expect 2 "show set with a bad time" show set "$show" --off-sale "soon-ish"
expect 2 "off-sale before on-sale" show set "$show" --off-sale "2030-12-01"
stderr_has "must be after the on-sale time" "... says why"
expect 4 "show set of an unknown show" show set 999999999 --on-sale none
as "$clerk" 3 "a clerk cannot set the window" show set "$show" --on-sale none
stderr_has "only a supervisor" "... and is told so"
check "the refused calls changed nothing" [ "$(sql "SELECT on_sale_at =
    '2030-12-10 10:00'::timestamptz AND off_sale_at IS NULL FROM show
    WHERE show_id = $show")" = t ]

echo "-- before the on-sale time: every way of selling is refused"
expect 3 "book by label" book "$show" A1 A2 --user "$user"
stderr_has "not on sale until 2030-12-10 10:00" "... says when it opens"
expect 3 "book --best" book "$show" --best 2 --user "$user"
stderr_has "not on sale until 2030-12-10 10:00" "... says when it opens"
expect 3 "hold" hold "$show" A1 --seconds 60
stderr_has "not on sale until 2030-12-10 10:00" "... says when it opens"
as "$clerk" 3 "a clerk's book" book "$show" A1 --user "$user"
as "$boss" 3 "a supervisor's book without --override" \
    book "$show" A1 --user "$user"
stderr_has "not on sale until" "... being a supervisor bypasses nothing"
as "$clerk" 3 "a clerk's --override is refused" \
    book "$show" A1 --user "$user" --override
stderr_has "only a supervisor can sell outside" "... and says so"
as "$clerk" 3 "a clerk's --override in the window is refused too" \
    book "$other" A1 --user "$user" --override
check "nothing booked or held" [ "$(booked)/$(sql "SELECT count(*) FROM hold
    WHERE show_id IN ($show, $other)")" = 0/0 ]
expect 0 "the other show (no window) sells" book "$other" A6 --user "$user"

echo "-- a supervisor's explicit override"
as "$boss" 0 "book --override" book "$show" A1 --user "$user" --override
b1=$(cat "$tmp/out")
check "one booking" [ "$(booked)" = 1 ]
as "$boss" 0 "book --best --override" \
    book "$show" --best 2 --user "$user" --override
expect 0 "hold --override (superuser)" hold "$show" B5 B6 --seconds 600 \
    --override
hold=$(cat "$tmp/out")
expect 3 "selling the hold without --override" \
    book "$show" --hold "$hold" --user "$user"
stderr_has "not on sale until" "... is refused"
expect 0 "book --hold --override" \
    book "$show" --hold "$hold" --user "$user" --override
check "five seats sold in all" [ "$(booked)" = 5 ]
expect 0 "a block needs no window (house seats before sales open)" \
    hold "$show" B1 --reason "house seats"

echo "-- exchange: the new seats are a sale"
expect 3 "exchange into a show not on sale" exchange "$b1" A4
stderr_has "not on sale until" "... says when"
check "the old booking stands" [ "$(sql "SELECT status FROM booking
    WHERE booking_id = $b1")" = active ]
expect 0 "exchange --override" exchange "$b1" A4 --override
expect 0 "clearing the on-sale time" show set "$show" --on-sale none
stderr_has "is on sale (no on-sale window)" "... says so"
expect 0 "then it sells" book "$show" A5 --user "$user"

echo "-- after the off-sale time"
expect 0 "off-sale in the past (\"\" clears the on-sale)" \
    show set "$show" --on-sale "" --off-sale "2020-01-01 12:00"
n=$(booked)
expect 3 "book" book "$show" A6 --user "$user"
stderr_has "sales for this show closed at 2020-01-01 12:00" \
    "... says it closed"
expect 3 "book --best" book "$show" --best 1 --user "$user"
expect 3 "hold" hold "$show" A6
stderr_has "sales for this show closed at" "... says it closed"
expect 3 "exchange" exchange "$b1" A6
check "nothing changed" [ "$(booked)" = "$n" ]

echo "-- holds end at the off-sale time"
window none "$(sql "SELECT to_char(now() + interval '1 hour',
    'YYYY-MM-DD HH24:MI:SS')")"
expect 0 "a day's hold" hold "$show" A6 --seconds 86400
h1=$(cat "$tmp/out")
check "... ends at the off-sale time" [ "$(sql "SELECT h.expires_at =
    s.off_sale_at FROM hold h JOIN show s USING (show_id)
    WHERE h.hold_id = $h1")" = t ]
expect 0 "a short hold" hold "$show" B2 --seconds 60
h2=$(cat "$tmp/out")
check "... keeps its own expiry" [ "$(sql "SELECT expires_at <
    now() + interval '2 minutes' FROM hold WHERE hold_id = $h2")" = t ]
window none "$(sql "SELECT to_char(now() + interval '30 minutes',
    'YYYY-MM-DD HH24:MI:SS')")"
check "an earlier off-sale time cuts the live hold" [ "$(sql "SELECT
    h.expires_at = s.off_sale_at FROM hold h JOIN show s USING (show_id)
    WHERE h.hold_id = $h1")" = t ]
check "... and leaves the block alone" [ "$(sql "SELECT count(*) FROM hold
    WHERE show_id = $show AND kind = 'block' AND expires_at IS NULL
    AND status = 'active'")" = 1 ]
expect 0 "the hold sells before off-sale" \
    book "$show" --hold "$h1" --user "$user"
expect 0 "clearing both" show set "$show" --on-sale none --off-sale none
check "no window left" [ "$(sql "SELECT on_sale_at IS NULL AND off_sale_at
    IS NULL FROM show WHERE show_id = $show")" = t ]

echo "-- HTTP: POST /bookings outside the window is 409 not_on_sale"
window "" "2020-01-01 12:00"
"$SL" serve --listen 127.0.0.1:0 >"$tmp/addr" 2>"$tmp/server.log" &
srv=$!
i=0
while [ ! -s "$tmp/addr" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
api="http://$(head -n 1 "$tmp/addr")"
n=$(booked)
st=$(curl -s -o "$tmp/body" -w '%{http_code}' -X POST \
    -H 'Content-Type: application/json' \
    --data-binary "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A3\"]}" \
    "$api/bookings")
check "409" [ "$st" = 409 ]
check "error not_on_sale, the message says it closed" [ "$(jq -r \
    '.error + ": " + .message' "$tmp/body")" = \
    "not_on_sale: sales for this show closed at 2020-01-01 12:00" ]
check "nothing booked" [ "$(booked)" = "$n" ]
st=$(curl -s -o "$tmp/body" -w '%{http_code}' "$api/shows")
check "GET /shows gives the window" [ "$st/$(jq -r ".[] |
    select(.id == $show) | (.off_sale != null) and (.on_sale == null)" \
    "$tmp/body")" = "200/true" ]
kill "$srv"
wait "$srv" 2>/dev/null
srv=""

done_testing
