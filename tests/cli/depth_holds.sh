#!/bin/sh
# seatlock hold / release / holds / sweep / book --hold: output, JSON, exit
# codes (0 done, 2 usage, 3 conflict, 4 not found), blocks and supervisors.
. "$(dirname "$0")/depth.lib"

roles
S=$(new_show '{ name = "Main"; rows = ( { row = "A"; seats = "1-8"; }, { row = "B"; seats = "1-8"; } ); }')
USER_ID=$(new_user holds)
export SEATLOCK_CONFIG
SEATLOCK_CONFIG=$(config box-one)

expect 0 "hold prints a hold id" "$SL" hold "$S" a1 A2 --seconds 120
H=$OUT
case "$H" in *[!0-9]* | "") bad "hold id \"$H\"" ;; *) ok "hold id $H" ;; esac
case "$ERR" in *"held 2 seats for box-one until"*) ok "hold message" ;; *) bad "hold message: $ERR" ;; esac

expect 0 "seats --json" "$SL" seats "$S" --json
check "A1 is held by this terminal, with the hold and its expiry" \
    "$(jsql "$OUT" "SELECT e->>'state', e->>'held_by', e->>'hold_id', (e->>'hold_expires_at')::timestamptz > now() + interval '100 s' FROM json_array_elements(:'j'::json) e WHERE e->>'label' = 'A1'")" \
    "held|box-one|$H|t"
check "A3 is available, with no hold" \
    "$(jsql "$OUT" "SELECT e->>'state', coalesce(e->>'held_by', 'null') FROM json_array_elements(:'j'::json) e WHERE e->>'label' = 'A3'")" \
    "available|null"

# Another terminal sees it and cannot take it.
SEATLOCK_CONFIG=$(config box-two)
expect 0 "holds --json" "$SL" holds "$S" --json
check "the hold as another terminal lists it" \
    "$(jsql "$OUT" "SELECT e->>'id', e->>'kind', e->>'held_by', e->'seats' FROM json_array_elements(:'j'::json) e")" \
    "$H|hold|box-one|[\"A1\",\"A2\"]"
expect 3 "booking a held seat is a conflict" "$SL" book "$S" A2 A3 --user "$USER_ID"
expect 3 "holding a held seat is a conflict" "$SL" hold "$S" A3 A2
expect 0 "holds (text)" "$SL" holds "$S"
case "$OUT" in *box-one*"A1 A2"*) ok "holds text names terminal and seats" ;; *) bad "holds text: $OUT" ;; esac

# The holder turns it into bookings.
SEATLOCK_CONFIG=$(config box-one)
expect 0 "book --hold" "$SL" book "$S" --hold "$H" --user "$USER_ID"
check "book --hold prints one booking id a line" "$(echo "$OUT" | grep -c '^[0-9][0-9]*$')" 2
expect 4 "release of a booked hold: not active" "$SL" release "$H"
expect 4 "book --hold again with a new request: not active" "$SL" book "$S" --hold "$H" --user "$USER_ID"

# Release; an expired hold never blocks a sale; the sweep.
expect 0 "hold B1" "$SL" hold "$S" B1
H2=$OUT
expect 0 "release" "$SL" release "$H2"
expect 0 "book the released seat" "$SL" book "$S" B1 --user "$USER_ID"
expect 0 "a one-second hold" "$SL" hold "$S" B2 B3 --seconds 1
sleep 2
expect 0 "an expired hold does not block a sale" "$SL" book "$S" B2 --user "$USER_ID"
expect 0 "sweep" "$SL" sweep "$S"
check "sweep ended one hold" "$OUT" 1
expect 0 "sweep again" "$SL" sweep "$S"
check "nothing left to sweep" "$OUT" 0
expect 0 "sweep of every show" "$SL" sweep
case "$OUT" in *[!0-9]* | "") bad "sweep prints a count: $OUT" ;; *) ok "sweep prints a count" ;; esac
check "B3 is free after the sweep" \
    "$(psql -XAtqc "SELECT ss.state FROM show_seat ss JOIN seat s USING (seat_id) WHERE ss.show_id = $S AND s.label = 'B3'")" \
    available

# Blocks: only a supervisor.
expect 0 "a supervisor blocks with a reason" "$SL" hold "$S" A7 A8 --reason "house seats"
B=$OUT
expect 0 "seats --json" "$SL" seats "$S" --json
check "blocked seat with its reason and no expiry" \
    "$(jsql "$OUT" "SELECT e->>'state', e->>'hold_reason', coalesce(e->>'hold_expires_at', 'never') FROM json_array_elements(:'j'::json) e WHERE e->>'label' = 'A8'")" \
    "blocked|house seats|never"
export SEATLOCK_DSN="user=sl_test_clerk"
expect 3 "a clerk cannot block" "$SL" hold "$S" A6 --reason kills
case "$ERR" in *"only a supervisor"*) ok "says a supervisor is needed" ;; *) bad "message: $ERR" ;; esac
expect 3 "a clerk cannot sell a blocked seat" "$SL" book "$S" A7 --user "$USER_ID"
expect 3 "a clerk cannot hold a blocked seat" "$SL" hold "$S" A8
expect 3 "a clerk cannot release a block" "$SL" release "$B"
expect 0 "a clerk holds other seats" "$SL" hold "$S" A6
unset SEATLOCK_DSN
expect 0 "the supervisor releases the block" "$SL" release "$B"

# Usage and not found.
expect 2 "hold without seats" "$SL" hold "$S"
expect 2 "hold of a bad show id" "$SL" hold abc A1
expect 2 "hold of a bad label" "$SL" hold "$S" 'A 1'
expect 2 "--seconds 0" "$SL" hold "$S" A5 --seconds 0
expect 2 "--seconds too long" "$SL" hold "$S" A5 --seconds 86401
expect 2 "a reason with a control character" "$SL" hold "$S" A5 --reason "$(printf 'a\tb')"
expect 2 "release without an id" "$SL" release
expect 2 "release of a bad id" "$SL" release x1
expect 4 "release of an unknown hold" "$SL" release 999999999
expect 4 "hold in an unknown show" "$SL" hold 999999999 A1
expect 4 "hold of an unknown seat" "$SL" hold "$S" Z99
expect 4 "holds of an unknown show" "$SL" holds 999999999
expect 2 "book --hold and --best together" "$SL" book "$S" --hold 1 --best 2 --user "$USER_ID"
expect 2 "book --hold and labels together" "$SL" book "$S" A5 --hold 1 --user "$USER_ID"
expect 4 "book --hold of an unknown hold" "$SL" book "$S" --hold 999999999 --user "$USER_ID"
finish
