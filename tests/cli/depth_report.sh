#!/bin/sh
# seatlock zone set / zone assign / zones, user find / user show, report
# SHOW and report --day: text, JSON, exit codes.
. "$(dirname "$0")/depth.lib"

roles
S=$(new_show '{ name = "Stalls"; rows = ( { row = "A"; seats = "1-4"; }, { row = "B"; seats = "1-4"; } ); }, { name = "Circle"; prefix = "C"; y = 4; rows = ( { row = "A"; seats = "1-4"; } ); }')
DAY=$(psql -XAtqc "SELECT starts_at::date FROM show WHERE show_id = $S")

# Zones.
expect 0 "zone set" "$SL" zone set "$S" stalls --price 45.5 --name "Stalls" --rank 1
expect 0 "zone assign a section" "$SL" zone assign "$S" STALLS --section Stalls
case "$ERR" in *"8 seats"*) ok "8 seats now in zone" ;; *) bad "assign message: $ERR" ;; esac
expect 0 "zone set (circle)" "$SL" zone set "$S" circle --price 20
expect 0 "zone assign seats" "$SL" zone assign "$S" circle ca1 CA2 CA3
expect 0 "zone assign a row of a section" "$SL" zone assign "$S" circle --section Stalls --row B
expect 0 "zones --json" "$SL" zones "$S" --json
check "zones, best first, with prices, currency and seats" \
    "$(jsql "$OUT" "SELECT string_agg(concat_ws(':', e->>'zone', e->>'name', e->>'price_cents', e->>'currency', e->>'rank', e->>'seats'), ' ') FROM json_array_elements(:'j'::json) e")" \
    "STALLS:Stalls:4550:EUR:1:4 CIRCLE:CIRCLE:2000:EUR:2:7"
expect 0 "zones (text)" "$SL" zones "$S"
case "$OUT" in *"45.50 EUR"*) ok "zones text shows the price" ;; *) bad "zones text: $OUT" ;; esac
expect 2 "zone set without --price" "$SL" zone set "$S" X
expect 2 "zone set with a bad price" "$SL" zone set "$S" X --price 1.234
expect 2 "zone set with a bad code" "$SL" zone set "$S" 'X Y' --price 1
expect 2 "zone assign with seats and a section" "$SL" zone assign "$S" circle A1 --section Stalls
expect 2 "zone assign --row without --section" "$SL" zone assign "$S" circle --row A
expect 4 "zone assign to an unknown zone" "$SL" zone assign "$S" nope A1
expect 4 "zone set of an unknown show" "$SL" zone set 999999999 X --price 1
expect 4 "zones of an unknown show" "$SL" zones 999999999
SEATLOCK_DSN="user=sl_test_clerk" expect 3 "a clerk cannot set prices" "$SL" zone set "$S" circle --price 1

# Customers.
ADA=$(new_user "ada" "Ada Lovelace-$U" "+44 20 $$ 0011")
new_user "alan" "Alan Turing-$U" >/dev/null
expect 0 "user find by surname prefix, any case" "$SL" user find "lovelace-$U" --json
check "finds Ada" "$(jsql "$OUT" "SELECT string_agg(e->>'id' || ':' || (e->>'phone'), ' ') FROM json_array_elements(:'j'::json) e")" "$ADA:+44 20 $$ 0011"
expect 0 "user find by email prefix" "$SL" user find "ADA-$U" --json
check "finds Ada by email" "$(jsql "$OUT" "SELECT count(*) FROM json_array_elements(:'j'::json) e WHERE e->>'id' = '$ADA'")" 1
expect 0 "user find by phone digits" "$SL" user find "4420 $$ 0011" --limit 5
case "$OUT" in *"Ada Lovelace-$U"*) ok "finds Ada by phone" ;; *) bad "find by phone: $OUT" ;; esac
expect 0 "user find of nobody" "$SL" user find "zzz-nobody-$U" --json
check "an empty JSON array" "$OUT" "[]"
expect 2 "user find without text" "$SL" user find
expect 2 "user find --limit 0" "$SL" user find a --limit 0

# Sales by two terminals, a hold, a block; then the report.
SEATLOCK_CONFIG=$(config box-one) expect 0 "box-one sells A1 A2" "$SL" book "$S" A1 A2 --user "$ADA"
SEATLOCK_CONFIG=$(config box-two) SEATLOCK_DSN="user=sl_test_clerk" \
    expect 0 "box-two (a clerk) sells CA1" "$SL" book "$S" CA1 --user "$ADA"
expect 0 "a hold" "$SL" hold "$S" A3
expect 0 "a block" "$SL" hold "$S" CA4 --reason "camera"
expect 0 "report --json" "$SL" report "$S" --json
check "per zone: seats, sold, held, blocked, available, revenue" \
    "$(jsql "$OUT" "SELECT string_agg(concat_ws(':', coalesce(z->>'zone', '-'), z->>'seats', z->>'sold', z->>'held', z->>'blocked', z->>'available', z->>'revenue_cents'), ' ') FROM json_array_elements(:'j'::json->'shows'->0->'zones') z")" \
    "STALLS:4:2:1:0:1:9100 CIRCLE:7:1:0:0:6:2000 -:1:0:0:1:0:0"
check "totals and currency" \
    "$(jsql "$OUT" "SELECT concat_ws(':', :'j'::json->>'currency', :'j'::json->'total'->>'seats', :'j'::json->'total'->>'sold', :'j'::json->'total'->>'revenue_cents')")" \
    "EUR:12:3:11100"
check "per clerk: the database user and terminal" \
    "$(jsql "$OUT" "SELECT string_agg(concat_ws(':', c->>'actor', c->>'terminal', c->>'sold', c->>'revenue_cents'), ' ' ORDER BY c->>'terminal') FROM json_array_elements(:'j'::json->'clerks') c")" \
    "$(psql -XAtqc 'SELECT current_user'):box-one:2:9100 sl_test_clerk:box-two:1:2000"
expect 0 "report (text)" "$SL" report "$S"
case "$OUT" in *STALLS*"91.00 EUR"*"box-one"*) ok "report text" ;; *) bad "report text: $OUT" ;; esac
expect 0 "report --day --json" "$SL" report --day "$DAY" --json
check "the day's report has the show" \
    "$(jsql "$OUT" "SELECT count(*) FROM json_array_elements(:'j'::json->'shows') s WHERE s->>'id' = '$S'")" 1
check "and says which day" "$(jsql "$OUT" "SELECT :'j'::json->>'day'")" "$DAY"
expect 0 "report of a day without shows" "$SL" report --day 1999-01-01 --json
check "an empty day" "$(jsql "$OUT" "SELECT json_array_length(:'j'::json->'shows')")" 0
expect 2 "report --day with a bad date" "$SL" report --day 2031-02-30
expect 2 "report of nothing" "$SL" report
expect 2 "report of a show and a day" "$SL" report "$S" --day "$DAY"
expect 4 "report of an unknown show" "$SL" report 999999999

# History.
expect 0 "user show --json" "$SL" user show "$ADA" --json
check "history: active bookings, spent, seats newest first" \
    "$(jsql "$OUT" "SELECT concat_ws(':', :'j'::json->>'active', :'j'::json->>'spent_cents', (SELECT string_agg(b->>'label', ' ') FROM json_array_elements(:'j'::json->'bookings') b))")" \
    "3:11100:CA1 A2 A1"
expect 0 "user show (text)" "$SL" user show "$ADA"
case "$OUT" in *"3 active bookings, 111.00 EUR"*) ok "history text" ;; *) bad "history text: $OUT" ;; esac
expect 4 "user show of nobody" "$SL" user show 999999999
expect 2 "user show of a bad id" "$SL" user show x
finish
