#!/bin/sh
# 64 clients POST /bookings for the same seat at once, each on its own
# connection: exactly one 201 and 63 409, and one active booking in SQL.
. "$(dirname "$0")/../lib/api.sh"

show=$(mkshow 1 4)
conf 'api = { pool_size = 8; max_connections = 256; };'
api_start

# 64 customers (made in SQL: registering is tested elsewhere, and this
# machine may be loaded).
sql "INSERT INTO app_user (name, email) SELECT 'Racer ' || i,
    'race$$-$(date +%s%N)-' || i || '@example.com'
    FROM generate_series(1, 64) i RETURNING user_id" > "$T/users"
check "64 customers" "$(wc -l < "$T/users" | tr -d ' ')" 64

# One curl, 64 transfers started at once, each on its own connection.
stamp=$(date +%s%N)
n=0
while read -r uid; do
	n=$((n + 1))
	[ $n -gt 1 ] && echo next
	cat <<CFG
url = "$API/bookings"
header = "$JSON"
header = "Idempotency-Key: race-$$-$stamp-$n"
data-binary = "{\\"user_id\\":$uid,\\"show_id\\":$show,\\"seats\\":[\\"A1\\"]}"
output = "/dev/null"
write-out = "%{http_code}\\n"
max-time = 60
CFG
done < "$T/users" > "$T/race.cfg"
curl -s --parallel --parallel-immediate --parallel-max 64 -K "$T/race.cfg" \
    > "$T/codes" 2> "$T/curl.err"
check "answers" "$(wc -l < "$T/codes" | tr -d ' ')" 64
check "exactly one 201" "$(grep -c '^201$' "$T/codes")" 1
check "63 409" "$(grep -c '^409$' "$T/codes")" 63
check "one active booking of the seat in SQL" "$(sql "SELECT count(*) FROM booking b \
    JOIN seat s USING (seat_id) WHERE b.show_id = $show AND s.label = 'A1' \
    AND b.status = 'active'")" 1
check "no booking of any other seat" "$(sql "SELECT count(*) FROM booking \
    WHERE show_id = $show")" 1
check "seat state agrees" "$(sql "SELECT state FROM show_seat ss JOIN seat s \
    USING (seat_id) WHERE ss.show_id = $show AND s.label = 'A1'")" booked
req GET /health
check "every connection back in the pool" "$(jf .pool.idle)" 8
check "no pool timeouts" "$(jf .pool.timeouts)" 0
api_stop
finish
