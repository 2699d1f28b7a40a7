#!/bin/sh
# Issue 17, finding 7: a hold belongs to its maker, the login and the
# terminal that made it.  Another clerk (even one declaring the same
# terminal name), or the maker at another terminal, cannot sell, release or
# change it (SL403, exit 3); a supervisor can; the maker sells and releases
# it; a held seat is never sold by label, even by its maker.  Reservations
# are still sold at any terminal.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"

c1=slh_a_$$
c2=slh_b_$$
boss=slh_s_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $c1" -c "DROP ROLE IF EXISTS $c2" \
    -c "DROP ROLE IF EXISTS $boss" >/dev/null 2>&1; rm -rf "$tmp"' EXIT

expect 0 "a clerk" clerk add "$c1" --role clerk
expect 0 "another clerk" clerk add "$c2" --role clerk
expect 0 "a supervisor" clerk add "$boss" --role supervisor
venue=$(new_venue 1 8)
show=$(new_show "$venue")
user=$(new_user)
check "a show and a customer" is_id "$user"

# hold LOGIN TERMINAL LABEL: LOGIN holds LABEL at TERMINAL; prints its id.
hold() {
	PGUSER=$1 psql -X -q -A -t -c "SELECT hold_id FROM sl_hold($show,
	    ARRAY['$3'], 600, NULL, '$2')"
}
active() {
	sql "SELECT status || ':' || (SELECT count(*) FROM show_seat
	    WHERE hold_id = $1) FROM hold WHERE hold_id = $1"
}

echo "-- another clerk, even at the same terminal name"
h=$(hold "$c1" T1 A1)
check "clerk 1 holds A1 at T1" is_id "$h"
check "clerk 2 cannot sell it" [ "$(as "$c2" "SELECT * FROM sl_book_hold(
    $show, $h, $user, 'slh-$uniq-1', 'T1')")" = SL403 ]
check "clerk 2 cannot release it" [ "$(as "$c2" "SELECT * FROM sl_release(
    $h, 'T1')")" = SL403 ]
check "clerk 2 cannot change it" [ "$(as "$c2" "SELECT * FROM sl_hold_change(
    $h, ARRAY['A2'], '{}', 600, 'T1')")" = SL403 ]
check "clerk 2 cannot take its seats out" [ "$(as "$c2" "SELECT * FROM
    sl_hold_change($h, '{}', ARRAY['A1'], 600, 'T1')")" = SL403 ]
check "clerk 1 at another terminal cannot release it" [ "$(as "$c1" "SELECT *
    FROM sl_release($h, 'T2')")" = SL403 ]
check "clerk 1 at another terminal cannot sell it" [ "$(as "$c1" "SELECT *
    FROM sl_book_hold($show, $h, $user, 'slh-$uniq-2', 'T2')")" = SL403 ]
check "the hold is untouched" [ "$(active "$h")" = active:1 ]

echo "-- a held seat is never sold by label"
check "clerk 2 cannot sell A1 by label" [ "$(as "$c2" "SELECT * FROM sl_book(
    $show, ARRAY['A1'], $user, 'slh-$uniq-3', 'T1')")" = SL409 ]
check "nor can its maker" [ "$(as "$c1" "SELECT * FROM sl_book($show,
    ARRAY['A1'], $user, 'slh-$uniq-4', 'T1')")" = SL409 ]

echo "-- the maker changes, sells and releases it"
check "clerk 1 adds A2" [ "$(as "$c1" "SELECT * FROM sl_hold_change($h,
    ARRAY['A2'], '{}', 600, 'T1')")" = ok ]
check "clerk 1 sells it" [ "$(as "$c1" "SELECT * FROM sl_book_hold($show, $h,
    $user, 'slh-$uniq-5', 'T1')")" = ok ]
check "... both seats sold" [ "$(sql "SELECT count(*) FROM booking
    WHERE show_id = $show AND status = 'active'")" = 2 ]
h2=$(hold "$c1" T1 A3)
check "clerk 1 releases its own hold" [ "$(as "$c1" "SELECT * FROM
    sl_release($h2, 'T1')")" = ok ]

echo "-- a supervisor can; the command line refuses another login"
h3=$(hold "$c1" T1 A4)
check "a supervisor releases another's hold" [ "$(as "$boss" "SELECT * FROM
    sl_release($h3, 'desk')")" = ok ]
with_env PGUSER="$c1" -- expect 0 "clerk 1 holds A5 on the command line" \
    hold "$show" A5 --seconds 600
h4=$(cat "$tmp/out")
with_env PGUSER="$c2" -- expect 3 "clerk 2: book --hold of it is refused" \
    book "$show" --hold "$h4" --user "$user"
with_env PGUSER="$c2" -- expect 3 "clerk 2: release of it is refused" \
    release "$h4"
check "... still held" [ "$(active "$h4")" = active:1 ]
with_env PGUSER="$c1" -- expect 0 "clerk 1: book --hold sells it" \
    book "$show" --hold "$h4" --user "$user"

echo "-- a reservation is sold at any terminal"
r=$(PGUSER=$c1 psql -X -q -A -t -c "SELECT hold_id FROM sl_reserve($show,
    ARRAY['A6'], $user, NULL, now() + interval '1 day', 'T1')")
check "clerk 1 reserves A6" is_id "$r"
check "clerk 2 at another terminal sells it" [ "$(as "$c2" "SELECT * FROM
    sl_book_hold($show, $r, NULL, 'slh-$uniq-6', 'T9')")" = ok ]
done_testing
