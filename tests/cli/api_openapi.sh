#!/bin/sh
# assets/openapi.json against the implementation: every path and method in
# the document answers something other than 404/405, every route of the
# server (`seatlock serve --routes`) is in the document, the server serves
# the document of the repository, and its $refs resolve; and the document
# is clean under Redocly CLI's recommended ruleset (no error, no warning:
# an operationId and 4xx responses for every operation), with the CLI's
# version pinned, from the npm registry through npx.  npm's downloads are
# kept in build/npm-cache (tests/run.sh empties tests/out, and HOME is in
# it), or $SEATLOCK_NPM_CACHE, so later runs take seconds.
. "$(dirname "$0")/../lib/api.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
doc="$top/assets/openapi.json"

jq -r '.paths | to_entries[] | .key as $p | .value | keys[] |
    select(. != "parameters" and . != "summary" and . != "description") |
    "\(ascii_upcase) \($p)"' "$doc" | sort > "$T/doc.routes"
"$SL" serve --routes | sort > "$T/srv.routes"
check "the document lists routes" "$(test -s "$T/doc.routes" && echo yes)" yes
missing=$(comm -13 "$T/doc.routes" "$T/srv.routes")
check "every route of the server is in the document" "$missing" ""
extra=$(comm -23 "$T/doc.routes" "$T/srv.routes")
check "every route of the document is in the server" "$extra" ""
check "openapi version" "$(jq -r .openapi "$doc" | cut -c1-2)" "3."

# Every "$ref" names something in the document.
jq -r '.. | objects | select(has("$ref")) | ."$ref"' "$doc" | sort -u |
while read -r ref; do
	path=$(echo "$ref" | sed 's|^#/||; s|/|"."|g')
	if [ "$(jq -r ".\"$path\" | type" "$doc")" = object ]; then
		echo "ok   \$ref $ref resolves"
	else
		echo "FAIL \$ref $ref does not resolve"
	fi
done > "$T/refs"
cat "$T/refs"
FAILS=$((FAILS + $(grep -c '^FAIL' "$T/refs")))

REDOCLY=@redocly/cli@1.34.20
if command -v npx >/dev/null 2>&1; then
	export npm_config_cache="${SEATLOCK_NPM_CACHE:-$top/build/npm-cache}"
	export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
	export npm_config_update_notifier=false npm_config_fund=false
	mkdir -p "$npm_config_cache"
	npx --yes "$REDOCLY" lint --extends recommended --format=json "$doc" \
	    > "$T/redocly.json" 2> "$T/redocly.err"
	totals=$(jq -r '.totals | "\(.errors) errors, \(.warnings) warnings"' \
	    "$T/redocly.json" 2>/dev/null)
	check "Redocly $REDOCLY lint --extends recommended" "$totals" \
	    "0 errors, 0 warnings"
	if [ "$totals" != "0 errors, 0 warnings" ]; then
		npx --yes "$REDOCLY" lint --extends recommended "$doc" 2>&1 |
		    head -n 80
		head -c 2000 "$T/redocly.err"
	fi
else
	fail "npx (Debian's nodejs and npm) is needed for the Redocly lint"
fi

show=$(mkshow 1 4)
user=$(mkuser)
api_start
req GET /openapi.json
cmp -s "$T/body" "$doc"
check "the server serves the repository's document" "$?" 0
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}"
booking=$(jf '.bookings[0].id')
check "a booking to cancel" "$STATUS" 201
post /sales "{\"show_id\":$show,\"seats\":[\"A2\"]}"
sale=$(jf .sale)
tickets=$(jf .tickets_pdf)
check "a sale to read, pay and cancel" "$STATUS" 201
post /holds "{\"show_id\":$show,\"seats\":[\"A3\"]}"
hold=$(jf .id)
check "a hold to release" "$STATUS" 201

# Each documented operation, with real ids, answers neither 404 nor 405.
while read -r method path; do
	p=$(echo "$path" | sed "s|/sales/{ref}/tickets.pdf|$tickets|;
	    s|/shows/{id}|/shows/$show|;
	    s|/bookings/{id}|/bookings/$booking|; s|/sales/{id}|/sales/$sale|;
	    s|/holds/{id}|/holds/$hold|")
	case "$method" in
	POST)	req POST "$p" -H "$JSON" --data-binary '{}' ;;
	*)	req "$method" "$p" --max-time 2 ;;
	esac
	case "$STATUS" in
	404|405|000) fail "$method $path ($p) answers $STATUS" ;;
	*) ok "$method $path answers $STATUS" ;;
	esac
done < "$T/doc.routes"
api_stop
finish
