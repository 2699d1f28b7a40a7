#!/bin/sh
# sl_reservations (issue 15, the box office's reservations list): a
# reservation is found by part of its name or by its number; a plain hold
# (`seatlock hold`, a longer hold a phone clerk made on the command line)
# only by its number, its holder then "hold at TERMINAL", so the box office
# can sell it; a block and an ended hold never; the seats come in the
# hold's own order (the order of sl_book_hold's price types).
. "$(dirname "$0")/testlib"

v=$(new_venue 2 10)
show=$(new_show "$v")
user=$(new_user)
resv=$(sql "SELECT hold_id FROM sl_reserve($show, ARRAY['A5','A3'], $user,
    NULL, now() + interval '2 days', 'term-r')")
check "a reservation is made" is_id "$resv"
long=$("$SL" hold "$show" B2 B1 --seconds 3600 2>/dev/null)
check "seatlock hold prints its id" is_id "$long"
block=$("$SL" hold "$show" B9 --reason "house seats" 2>/dev/null)
check "a block is made" is_id "$block"
gone=$("$SL" hold "$show" B7 --seconds 3600 2>/dev/null)
"$SL" release "$gone" >/dev/null 2>&1

# row QUERY: the rows sl_reservations gives, "hold:holder:seats".
row() {
	sql "SELECT string_agg(hold_id || ':' || holder || ':' || seats, ' | '
	    ORDER BY hold_id) FROM sl_reservations($1) WHERE show_id = $show"
}
check "the reservation by part of its customer's name" \
    [ "$(row "'cli cust'")" = "$resv:CLI Customer:A3 A5" ]
check "the reservation by its number" \
    [ "$(row "'$resv'")" = "$resv:CLI Customer:A3 A5" ]
got=$(row "'$long'")
check "a plain hold by its number, seats in the hold's order ($got)" \
    [ "$got" = "$long:hold at $(sql "SELECT terminal FROM hold WHERE
    hold_id = $long"):$(sql "SELECT string_agg(s.label, ' ' ORDER BY u.n)
    FROM hold h, unnest(h.seat_ids) WITH ORDINALITY u(id, n) JOIN seat s ON
    s.seat_id = u.id WHERE h.hold_id = $long")" ]
check "a plain hold is not found by a name" \
    [ -z "$(row "'hold at'")" ]
check "all reservations: the plain hold is not among them" \
    [ "$(row NULL)" = "$resv:CLI Customer:A3 A5" ]
check "a block is never listed" [ -z "$(row "'$block'")" ]
check "a released hold is not listed" [ -z "$(row "'$gone'")" ]
sold=$(sql "SELECT count(*) FROM sl_book_hold($show, $long, NULL,
    'resv-$uniq', 't', false, NULL)")
check "the plain hold is sold like a reservation" [ "$sold" = 2 ]
check "a sold hold is not listed" [ -z "$(row "'$long'")" ]

done_testing
