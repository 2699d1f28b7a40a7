#!/bin/sh
# Price types (issue 15): seatlock price set and prices, per show and zone;
# amounts as a clerk types them (bad ones refused with exit 2 and nothing
# changed, `--` letting a negative amount through to be refused); unknown
# shows and zones (4); a clerk refused (3); the table's constraints; the
# demo's zones and price types, and a second `db demo` adding none.
. "$(dirname "$0")/testlib"

clerk=slpr_clerk_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1;
    rm -rf "$tmp"' EXIT

# jsql SQL: SQL run with the last stdout as :'j'.
jsql() {
	printf '%s\n' "$1" | psql -X -A -t -q -v ON_ERROR_STOP=1 \
	    -v j="$(cat "$tmp/out")"
}

# types SHOW: the show's price types, one word each.
types() {
	sql "SELECT coalesce(string_agg(zone || ':' || code || ':' || name ||
	    ':' || price_cents || ':' || is_default, ' ' ORDER BY zone, code),
	    '-') FROM price_type WHERE show_id = $1"
}

venue=$(new_venue 2 4)
show=$(new_show "$venue")
check "a venue and a show" is_id "$show"

echo "-- price set"
expect 0 "zone A" zone set "$show" A --price 40 --rank 1
expect 0 "zone B" zone set "$show" B --price 25.50 --rank 2
expect 0 "price set: adult, the default" price set "$show" A adult 40 --default
check "it prints nothing on stdout" test ! -s "$tmp/out"
stderr_has "price type adult of zone A of show $show costs 40.00 EUR (new, the zone's default)" \
    "it says what it did"
expect 0 "price set: zone and type in any case" price set "$show" a Concession 32.5
expect 0 "price set --name" price set "$show" A child 20 --name "Child (under 16)"
expect 0 "price set: options first" price set --name "Grown-up" "$show" B adult 25.50
expect 0 "price set: nothing costs 0" price set "$show" B comp 0
expect 0 "price set: 100000000.00 is the most" price set "$show" B patron 100000000.00
check "the price types as set" test "$(types "$show")" = \
    "A:adult:Adult:4000:true A:child:Child (under 16):2000:false A:concession:Concession:3250:false B:adult:Grown-up:2550:false B:comp:Comp:0:false B:patron:Patron:10000000000:false"

expect 0 "price set: a new price" price set "$show" A child 18
stderr_has "(changed)" "it says it changed the type"
check "the name is kept, the price changed" test "$(sql "SELECT name || ':' ||
    price_cents FROM price_type WHERE show_id = $show AND zone = 'A' AND
    code = 'child'")" = "Child (under 16):1800"
expect 0 "price set --default moves the default" \
    price set "$show" A concession 32.50 --default
check "one default in the zone, the new one" test "$(sql "SELECT
    string_agg(code, ' ') FROM price_type WHERE show_id = $show AND
    zone = 'A' AND is_default")" = concession
expect 0 "price set without --default keeps the flag" \
    price set "$show" A concession 33
check "... concession is still the default" test "$(sql "SELECT code FROM
    price_type WHERE show_id = $show AND zone = 'A' AND is_default")" = \
    concession
check "the audit trail has each price set" test "$(sql "SELECT count(*)
    FROM audit_log WHERE show_id = $show AND action = 'price set'")" = 9

echo "-- prices"
expect 0 "prices" prices "$show"
check "a heading and a line per type" test "$(wc -l <"$tmp/out")" = 7
check "the child line: zone, type, price, name" \
    grep -q "^A  *child  *18.00 EUR  *Child (under 16)$" "$tmp/out"
check "the default is marked" grep -q "^A  *concession  *33.00 EUR  *yes" \
    "$tmp/out"
expect 0 "prices --json" prices "$show" --json
check "JSON: zones best first, each zone's types dearest first" \
    test "$(jsql "SELECT string_agg(concat_ws(':', e->>'zone', e->>'type',
    e->>'price'), ' ') FROM json_array_elements(:'j'::json) e")" = \
    "A:adult:40.00 A:concession:33.00 A:child:18.00 B:patron:100000000.00 B:adult:25.50 B:comp:0.00"
check "JSON: price a decimal string, price_cents a number, currency, name" \
    test "$(jsql "SELECT count(*) FROM
    json_array_elements(:'j'::json) e WHERE json_typeof(e->'price') =
    'string' AND json_typeof(e->'price_cents') = 'number' AND
    json_typeof(e->'default') = 'boolean' AND e->>'currency' = 'EUR' AND
    (e->>'price_cents')::bigint = (replace(e->>'price', '.', ''))::bigint
    AND e::jsonb ? 'name'")" = 6
check "JSON: one default a zone" test "$(jsql "SELECT string_agg(
    (e->>'zone') || ':' || (e->>'type'), ' ') FROM
    json_array_elements(:'j'::json) e WHERE (e->>'default')::boolean")" = \
    "A:concession"
expect 0 "--json first" prices --json "$show"
show2=$("$SL" show add --venue "$venue" --title "No prices $uniq" \
    --starts "2031-01-02 20:00" 2>/dev/null)
expect 0 "prices of a show with none" prices "$show2"
check "... prints nothing" test ! -s "$tmp/out"
expect 0 "prices --json of a show with none" prices "$show2" --json
stdout_is "[]" "... an empty array"

echo "-- bad input: exit 2, nothing changed"
before=$(types "$show")
naudit=$(sql "SELECT count(*) FROM audit_log")
expect 2 "a negative amount after --" price set "$show" A adult -- -5.00
stderr_has "negative" "it says the amount is negative"
expect 2 "a negative amount without --: an unknown option" \
    price set "$show" A adult -5.00
for bad in 1.234 0.001 100000000.01 100000001 99999999999999999999 \
    12,50 1. .5 +5 1e3 "12.50 EUR" abc "" " 5" "$(printf '5\033[31m')"; do
	expect 2 "amount \"$bad\"" price set "$show" A adult "$bad"
done
stderr_has "not an amount" "it says what an amount looks like"
expect 2 "three decimals: it says so" price set "$show" A adult 1.234
stderr_has "more than 2 decimals" "... more than 2 decimals"
expect 2 "too much: it says the most" price set "$show" A adult 100000000.01
stderr_has "more than 100000000.00" "... the most there is"
for bad in "a b" "adult:1" "" "$(printf 'a%.0s' $(seq 33))" "cafe\303\251" \
    "x;DROP TABLE price_type"; do
	expect 2 "type \"$bad\"" price set "$show" A "$bad" 10
done
expect 2 "a bad zone code" price set "$show" "A B" adult 10
expect 2 "a bad show id" price set "x$show" A adult 10
expect 2 "no amount: usage" price set "$show" A adult
stderr_has "usage: seatlock price set" "it prints the usage"
expect 2 "one too many" price set "$show" A adult 10 11
expect 2 "a name with a control character" \
    price set "$show" A adult 10 --name "$(printf 'A\007')"
expect 2 "an unknown option" price set "$show" A adult 10 --cheap
check "the price types are unchanged" test "$(types "$show")" = "$before"
check "nothing was audited" \
    test "$(sql "SELECT count(*) FROM audit_log")" = "$naudit"

echo "-- unknown show or zone: exit 4; a clerk: exit 3"
expect 4 "an unknown zone" price set "$show" Q adult 10
stderr_has "has no zone Q" "it names the zone"
expect 4 "an unknown show" price set 999999999 A adult 10
expect 4 "prices of an unknown show" prices 999999999
expect 2 "prices with a bad id" prices x
expect 2 "prices without a show" prices
expect 0 "a clerk login" clerk add "$clerk" --role clerk
with_env PGUSER="$clerk" -- expect 3 "a clerk cannot set prices" \
    price set "$show" A adult 1
stderr_has "supervisor" "it says a supervisor is needed"
with_env PGUSER="$clerk" -- expect 0 "a clerk lists them" prices "$show"
check "the price types are still unchanged" test "$(types "$show")" = "$before"

echo "-- the table"
con() {
	_o=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate -c "$1" 2>&1)
	printf '%s\n' "$_o" | sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p'
}
check "a second default in a zone cannot be stored" test "$(con "UPDATE
    price_type SET is_default = true WHERE show_id = $show AND zone = 'A'
    AND code = 'adult'")" = 23505
check "a negative price cannot be stored" test "$(con "UPDATE price_type SET
    price_cents = -1 WHERE show_id = $show AND code = 'adult'")" = 23514
check "an upper-case code cannot be stored" test "$(con "UPDATE price_type
    SET code = 'ADULT' WHERE show_id = $show AND code = 'adult'")" = 23514
check "a type of a zone the show has not cannot be stored" test "$(con "INSERT
    INTO price_type (show_id, zone, code, name, price_cents) VALUES ($show,
    'Q', 'x', 'X', 1)")" = 23503

echo "-- the demo"
expect 0 "db demo" db demo
demo="SELECT s.show_id FROM show s JOIN venue v USING (venue_id)
    WHERE v.name = 'The Playhouse' AND s.title IN ('Hamlet',
    'The Nutcracker', 'A Christmas Carol (matinee)')"
check "three demo shows" test "$(sql "SELECT count(*) FROM ($demo) d")" = 3
check "every demo show has zones" test "$(sql "SELECT count(*) FROM ($demo) d
    WHERE NOT EXISTS (SELECT 1 FROM price_zone z
    WHERE z.show_id = d.show_id)")" = 0
check "every seat of a demo show is in a zone" test "$(sql "SELECT count(*)
    FROM show_seat WHERE show_id IN ($demo) AND zone IS NULL")" = 0
check "every zone of every demo show has adult, concession and child" \
    test "$(sql "SELECT count(*) FROM price_zone z WHERE z.show_id IN ($demo)
    AND (SELECT string_agg(code, ',' ORDER BY code) FROM price_type t
    WHERE t.show_id = z.show_id AND t.zone = z.zone)
    IS DISTINCT FROM 'adult,child,concession'")" = 0
check "... child the cheapest, adult the dearest" test "$(sql "SELECT count(*)
    FROM price_zone z WHERE z.show_id IN ($demo) AND NOT (
    (SELECT string_agg(code, ',' ORDER BY price_cents) FROM price_type t
    WHERE t.show_id = z.show_id AND t.zone = z.zone) =
    'child,concession,adult')")" = 0
check "... adult the default" test "$(sql "SELECT count(*) FROM price_zone z
    WHERE z.show_id IN ($demo) AND (SELECT string_agg(code, ',')
    FROM price_type t WHERE t.show_id = z.show_id AND t.zone = z.zone
    AND t.is_default) IS DISTINCT FROM 'adult'")" = 0
check "... adult at the zone's price" test "$(sql "SELECT count(*)
    FROM price_zone z JOIN price_type t USING (show_id, zone)
    WHERE z.show_id IN ($demo) AND t.code = 'adult'
    AND t.price_cents <> z.price_cents")" = 0
hamlet=$(sql "SELECT min(show_id) FROM ($demo) d")
expect 0 "prices of a demo show" prices "$hamlet" --json
check "nine price types, all priced" test "$(jsql "SELECT count(*) FROM
    json_array_elements(:'j'::json) e WHERE (e->>'price_cents')::int > 0")" = 9
user=$(new_user)
expect 0 "a first sale of a demo show" book "$hamlet" A7 --user "$user" --json
check "... has a total" test "$(jsql "SELECT (:'j'::json->>'total_cents')::int
    > 0")" = t
"$SL" cancel "$(jsql "SELECT :'j'::json->'bookings'->0->>'id'")" \
    >/dev/null 2>&1

adult=$(sql "SELECT to_char(price_cents / 100.0, 'FM999999990.00')
    FROM price_type WHERE show_id = $hamlet AND zone = 'STALLS'
    AND code = 'adult'")
expect 0 "a supervisor changes a demo price" price set "$hamlet" STALLS adult 50
counts="SELECT (SELECT count(*) FROM price_zone) || ' ' ||
    (SELECT count(*) FROM price_type) || ' ' ||
    (SELECT count(*) FROM show_seat WHERE zone IS NULL)"
c1=$(sql "$counts")
expect 0 "db demo again" db demo
stderr_has "0 price zones and 0 price types added" "it says it added none"
check "no zone, price type or seat's zone added or changed" \
    test "$(sql "$counts")" = "$c1"
check "the supervisor's price stands" test "$(sql "SELECT price_cents FROM
    price_type WHERE show_id = $hamlet AND zone = 'STALLS'
    AND code = 'adult'")" = 5000
expect 0 "... and back" price set "$hamlet" STALLS adult "$adult"

done_testing
