#!/bin/sh
# Bearer tokens from the configuration, each mapped to a database role;
# without tokens the server listens on loopback only; the configuration's
# checks (file:line, ranges, a token file others can read).
. "$(dirname "$0")/../lib/api.sh"

# Two roles: one that sells, one that may only look.
psql -X -q -v ON_ERROR_STOP=0 >/dev/null 2>&1 <<'SQL'
CREATE ROLE sl_test_web NOLOGIN;
CREATE ROLE sl_test_view NOLOGIN;
SQL
# Selling is through the sl_* functions, granted to the clerks' group
# (sql/functions/grants.sql and the baseline): the web role is a clerk.
sql "GRANT seatlock_clerk TO sl_test_web;
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO sl_test_view" >/dev/null

show=$(mkshow 1 6)
# The web role's customer (a token books only in its own customers' names,
# issue 17 finding 1): registered as the web role.
user=$(psql -X -Atq -v ON_ERROR_STOP=1 -c "SET ROLE sl_test_web" \
    -c "SELECT sl_user_add('API Tester', 'auth$$-$(date +%s%N)@example.com', NULL)")
WEB=web-0123456789abcdefghij
VIEW=view-0123456789abcdefghij
conf "api = {
	tokens = (
		{ token = \"$WEB\"; role = \"sl_test_web\"; },
		{ token = \"$VIEW\"; role = \"sl_test_view\"; }
	);
};"

echo "-- the configuration is checked"
chmod 644 "$CONF"
out=$("$SL" --config "$CONF" serve --listen 127.0.0.1:0 2>&1)
check "tokens in a file others can read: exit 2" "$?" 2
check_has "says file, line and why" "$out" "seatlock.conf:2: api.tokens in a file readable"
chmod 600 "$CONF"

printf 'api = {\n\tpool_size = 4294967297;\n};\n' > "$T/bad.conf"
chmod 600 "$T/bad.conf"
out=$("$SL" --config "$T/bad.conf" serve 2>&1)
check "pool_size that wraps in 32 bits: exit 2" "$?" 2
check_has "pool_size range with file:line" "$out" "bad.conf:2: api.pool_size is out of range (1 to 64)"
printf 'api = {\n\tlisten = "localhost:8080";\n};\n' > "$T/bad.conf"
out=$("$SL" --config "$T/bad.conf" serve 2>&1)
check "listen with a host name: exit 2" "$?" 2
check_has "listen error with file:line" "$out" "bad.conf:2: api.listen"
printf 'api = {\n\ttokens = ( { token = "short"; role = "x"; } );\n};\n' > "$T/bad.conf"
out=$("$SL" --config "$T/bad.conf" serve 2>&1)
check "a short token: exit 2" "$?" 2
check_has "token error with file:line" "$out" "bad.conf:2: an api token is"
printf 'api = {\n\ttokens = ( { token = "%s"; role = "Robert; DROP"; } );\n};\n' "$WEB" > "$T/bad.conf"
out=$("$SL" --config "$T/bad.conf" serve 2>&1)
check "a role name that needs quoting: exit 2" "$?" 2
printf 'api = {\n\ttokens = ( { token = "%s"; role = "sl_no_such_role"; } );\n};\n' "$WEB" > "$T/bad.conf"
out=$("$SL" --config "$T/bad.conf" serve --listen 127.0.0.1:0 2>&1)
check "a role that does not exist: exit 1" "$?" 1
check_has "names the role" "$out" "sl_no_such_role"
printf 'api = {\n\tmax_bodies = 1;\n};\n' > "$T/bad.conf"
out=$("$SL" --config "$T/bad.conf" serve 2>&1)
check "an unknown api setting: exit 2" "$?" 2

echo "-- without tokens: loopback only"
out=$("$SL" serve --listen 0.0.0.0:0 2>&1)
check "0.0.0.0 without tokens: exit 2" "$?" 2
check_has "says why" "$out" "without api.tokens"
out=$("$SL" serve --listen '[::]:0' 2>&1)
check "[::] without tokens: exit 2" "$?" 2
out=$("$SL" serve --listen 127.0.0.1:99999 2>&1)
check "port out of range: exit 2" "$?" 2

echo "-- bearer tokens"
api_start
req GET /shows
check "no token: 401" "$STATUS" 401
check_has "401 names the scheme" "$(cat "$T/headers")" "WWW-Authenticate: Bearer"
req GET /shows -H "Authorization: Bearer wrong-0123456789abcdefghij"
check "wrong token: 401" "$STATUS" 401
req GET /shows -H "Authorization: Basic d2ViOng="
check "another scheme: 401" "$STATUS" 401
req GET /shows -H "Authorization: Bearer ${WEB}x"
check "token with a byte more: 401" "$STATUS" 401
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}"
check "booking without a token: 401" "$STATUS" 401
check "nothing booked without a token" "$(sql "SELECT count(*) FROM booking WHERE show_id = $show")" 0
req GET /openapi.json
check "openapi.json is public" "$STATUS" 200
req GET /health
check "health is public" "$STATUS" 200
req GET /shows -H "Authorization: Bearer $WEB"
check "the web token" "$STATUS" 200
req GET /shows -H "authorization: bearer $VIEW"
check "the view token (header and scheme in any case)" "$STATUS" 200
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}" \
    -H "Authorization: Bearer $VIEW"
check "the view role may not book: 403" "$STATUS" 403
check "nothing booked by the view role" "$(sql "SELECT count(*) FROM booking WHERE show_id = $show")" 0
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}" \
    -H "Authorization: Bearer $WEB"
check "the web role books" "$STATUS" 201
req GET "/shows/$show/seats" -H "Authorization: Bearer $VIEW"
check "the view role reads after the web role wrote" "$STATUS" 200
req GET "/shows/$show/events" -H "Authorization: Bearer $VIEW" --max-time 2
check "event stream needs no more than a read role" "$STATUS" 200
req GET "/shows/$show/events" --max-time 2
check "event stream without a token: 401" "$STATUS" 401
check_has "the log names the role" "$(cat "$T/server.log")" "POST /bookings 201"
check_has "the log names the role" "$(cat "$T/server.log")" "role=sl_test_web"
if grep -q "$WEB" "$T/server.log"; then fail "a token reached the log"; else ok "no token in the log"; fi
check "the sale is marked as from the API in the audit trail" \
    "$(sql "SELECT terminal LIKE '%api' FROM audit_log WHERE show_id = $show AND action = 'book'")" t
api_stop
finish
