#!/bin/sh
# Issue 17, finding 8: memory per slow reader.  Clients that asked for the
# 100,000-seat map and never read made the server hold about 30 MB each
# (before the fix, on this test: 48 sockets 1.5 GB, 120 sockets 2.2 GB of
# VmRSS).  Now the map is streamed from a compact form, the large answers
# share one budget (api.max_response_memory) and half the pool at most.
#
# The attack, from 127.0.0.2 on loopback (tests/cli/slow_reader.py): 48,
# then 120 sockets with a small receive buffer send GET /shows/ID/seats
# and never read, for a few seconds each.  Meanwhile the server's VmRSS
# stays under $RSS_MAX_KB, GET /health is answered within 1 s and GET
# /shows within 5 s every time (from 127.0.0.1); afterwards the map a
# normal client reads is byte for byte the one it read before.  Then with
# a budget smaller than one map: a map goes out alone, the slow readers
# that come while it is being sent get a 503 busy (Retry-After), and once
# they all went away the budget is free again.  About 30 s.
. "$(dirname "$0")/../lib/api.sh"

here=$(cd "$(dirname "$0")" && pwd)
RSS_MAX_KB=153600	# 150 MB
if [ "${V:-release}" = asan ]; then
	# The sanitizer's shadow and quarantine: a smaller quarantine, and
	# the bound of its build.
	export ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}quarantine_size_mb=16"
	RSS_MAX_KB=512000
fi

# A database of its own: the stadium would slow every later test's
# GET /shows (it counts each show's free seats).
db=slow_reader_$$
trap 'cleanup; PGDATABASE=postgres dropdb --if-exists --force "$db" \
    >/dev/null 2>&1' EXIT
PGDATABASE=postgres createdb "$db" || { echo "FAIL createdb $db"; exit 1; }
export PGDATABASE="$db"
"$SL" db migrate >/dev/null || { echo "FAIL db migrate"; exit 1; }

sh "$here/../../assets/stadium.sh" "$T/stadium.venue" || exit 1
sed -i "0,/name = \"[^\"]*\"/s//name = \"slow reader $$ $(date +%s%N)\"/" \
    "$T/stadium.venue"
# A show id of several digits and a sequence that moved: the streamed
# head's length must be counted with them (Content-Length).
sql "SELECT setval('show_show_id_seq', 12345)" >/dev/null
# 100,000 seats into an empty database: more than the default 10 s.
conf 'database = { statement_timeout_ms = 300000; };'
venue=$("$SL" --config "$CONF" venue import "$T/stadium.venue" 2>/dev/null) ||
    { echo "FAIL venue import"; exit 1; }
show=$("$SL" --config "$CONF" show add --venue "$venue" --title "slow readers" \
    --starts "2100-03-01 20:00") || { echo "FAIL show add"; exit 1; }
sql "VACUUM ANALYZE seat, show_seat" >/dev/null
user=$(mkuser)

conf 'api = { };'
api_start
port=${API##*:}
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"101-A1\",\"101-A2\"]}"
check "two seats booked" "$STATUS" 201
req GET "/shows/$show/seats"
check "the map" "$STATUS" 200
cp "$T/body" "$T/before.json"
check "100,000 seats in it" "$(jq '.seats | length' "$T/before.json")" 100000
check "booked seats in it" "$(jq '[.seats[] | select(.state == "booked")] |
    length' "$T/before.json")" 2
# The bytes jansson wrote before (compact, keys in their order): jq -c
# writes the same for this map.
if jq -jc . "$T/before.json" | cmp -s - "$T/before.json"; then
	ok "the map is compact JSON, keys in order"
else
	fail "the map is not what jansson wrote"
fi
check_has "its length said" "$(cat "$T/headers")" \
    "Content-Length: $(wc -c < "$T/before.json" | tr -d ' ')"

for n in 48 120; do
	out=$(python3 "$here/slow_reader.py" "$port" "$SRV_PID" "$show" "$n" 6)
	echo "   $n slow readers: $out"
	peak=$(printf '%s' "$out" | jq .peak_rss_kb)
	if [ -n "$peak" ] && [ "$peak" -gt 0 ] && [ "$peak" -lt "$RSS_MAX_KB" ]; then
		ok "$n slow readers: VmRSS peak $peak kB < $RSS_MAX_KB kB"
	else
		fail "$n slow readers: VmRSS peak '$peak' kB, want < $RSS_MAX_KB"
	fi
	check "$n slow readers: /health within 1 s" \
	    "$(printf '%s' "$out" | jq .health_fail)" 0
	check "$n slow readers: /shows answered" \
	    "$(printf '%s' "$out" | jq .shows_fail)" 0
	req GET "/shows/$show/seats"
	check "after $n: the map" "$STATUS" 200
	if cmp -s "$T/body" "$T/before.json"; then
		ok "after $n: the same bytes as before"
	else
		fail "after $n: the map differs ($(wc -c < "$T/body") bytes)"
	fi
done
api_stop

# A budget smaller than one map: one at a time, the rest told to retry.
conf 'api = { max_response_memory = 1048576; };'
api_start
port=${API##*:}
out=$(python3 "$here/slow_reader.py" "$port" "$SRV_PID" "$show" 10 3)
echo "   10 slow readers, 1 MB: $out"
check "1 MB: /health within 1 s" "$(printf '%s' "$out" | jq .health_fail)" 0
sleep 1	# the log lines of the readers that went away
busy=$(grep -c "GET /shows/$show/seats 503 .*response memory full" \
    "$T/server.log")
if [ "$busy" -ge 1 ]; then
	ok "1 MB: $busy slow readers told the server is busy"
else
	fail "1 MB: no 503 for the budget: $(tail -n 5 "$T/server.log")"
fi
served=$(grep -c "GET /shows/$show/seats 200" "$T/server.log")
if [ "$served" -ge 1 ]; then
	ok "1 MB: a map larger than the budget still goes out alone ($served)"
else
	fail "1 MB: no map was sent"
fi
# The readers went away: the budget comes back.
i=0
while :; do
	req GET "/shows/$show/seats"
	[ "$STATUS" = 200 ] || [ $i -ge 20 ] && break
	sleep 0.25
	i=$((i + 1))
done
check "1 MB: once they left, the map again" "$STATUS" 200
if cmp -s "$T/body" "$T/before.json"; then
	ok "1 MB: the same bytes"
else
	fail "1 MB: the map differs"
fi
req GET "/shows/$show/seats"
check "1 MB: and again (the budget was given back)" "$STATUS" 200
api_stop
finish
