#!/bin/sh
# The seats' states through the relay (issue 19): for a change it reads
# the states of the seats the notification names, once, with one statement
# on its LISTEN connection (sl_relay_states), and sends them right after
# the "show" line as "seats SHOW ID:S ...", so no terminal of the host
# re-reads them.  A booking, a cancel and a hold: the line says what
# show_seat says.  A payload forged by another login claiming "booked": the
# line says what the table says.  A relay whose login may not call
# sl_relay_states: show lines without seats lines, said once in its log.
# A flood of 2000 NOTIFYs: a bounded number of statements (its log).  Two
# changes of 600 seats in one read: two statements of at most 1000 seats.
# About 20 s.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/relay.lib"

bare=rstates_$$
nf_pid=

cleanup() {
	[ -z "$nf_pid" ] || { kill "$nf_pid" && wait "$nf_pid"; } 2>/dev/null
	relay_stop KILL
	sql "DROP ROLE IF EXISTS $bare" >/dev/null 2>&1
	rm -rf "$tmp" "$rdir"
}
trap cleanup EXIT

"$SL" notifier >>"$rdir/notifier.log" 2>&1 &
nf_pid=$!
venue=$(new_venue 1 6)
show=$(new_show "$venue")
is_id "$show" || { not_ok "no show ($venue)"; exit 1; }

# expected IDS...: the seats line show_seat makes of these seats.
expected() {
	sql "SELECT 'seats $show ' || string_agg(seat_id || ':' ||
	    CASE state WHEN 'available' THEN 'a' WHEN 'held' THEN 'h'
	    WHEN 'booked' THEN 'b' ELSE 'x' END, ' ' ORDER BY seat_id)
	    FROM show_seat WHERE show_id = $show AND seat_id IN ($(echo "$@" |
	    tr ' ' ','))"
}

# seats_of LABEL: the seat id of a label of the show's venue.
seats_of() {
	sql "SELECT seat_id FROM seat WHERE venue_id = $venue AND
	    label = '$1'"
}

# lastseats: the last seats line client 0 heard.
lastseats() {
	field 0 seatl | python3 -c "import ast,sys; l = ast.literal_eval(
sys.stdin.read()); print(l[-1] if l else '')"
}

# step WHAT CMD...: one client watches, CMD runs, the notifier flushes.
step() {
	_what=$1
	shift
	clients_start "$show" 1 || exit 1
	"$@" >"$rdir/step.out" 2>"$rdir/step.err" ||
	    not_ok "$_what: $(cat "$rdir/step.err")"
	sleep 0.6
	clients_stop
}

relay_start || exit 1
a1=$(seats_of A1) a2=$(seats_of A2) a3=$(seats_of A3)
if ! { is_id "$a1" && is_id "$a2" && is_id "$a3"; }; then
	not_ok "no seat ids ($a1 $a2 $a3)"
	exit 1
fi

step "book A1" "$SL" book "$show" A1
check "a booking: a show line and a seats line ($(field 0 shows), \
$(field 0 seats))" test "$(field 0 shows):$(field 0 seats)" = 1:1
check "the seats line came right after its show line" \
    test "$(field 0 seats_loose)" = 0
check "booked: \"$(lastseats)\" is show_seat (b)" \
    test "$(lastseats)" = "$(expected "$a1")" -a \
    "$(lastseats)" = "seats $show $a1:b"

b=$(sql "SELECT booking_id FROM booking WHERE show_id = $show AND
    seat_id = $a1 AND status = 'active'")
step "cancel A1" "$SL" cancel "$b"
check "cancelled: \"$(lastseats)\" is show_seat (a)" \
    test "$(lastseats)" = "seats $show $a1:a" -a \
    "$(lastseats)" = "$(expected "$a1")"

step "hold A2" "$SL" hold "$show" A2
check "held: \"$(lastseats)\" is show_seat (h)" \
    test "$(lastseats)" = "seats $show $a2:h" -a \
    "$(lastseats)" = "$(expected "$a2")"

# A payload forged by another login: A3 is available, the payload says
# booked; the seats line says what the table says.
sql "CREATE ROLE $bare LOGIN" >/dev/null
forged="{\"show\":$show,\"seq\":99999,\"state\":\"booked\",\"seats\":[$a3]}"
step "a forged NOTIFY" psql -X -q -U "$bare" -c \
    "NOTIFY seatlock_show_$show, '$forged'"
check "forged \"booked\": the client heard it ($(field 0 last))" \
    test "$(field 0 last)" = "show $show $forged"
check "forged \"booked\": \"$(lastseats)\" is the table's (a)" \
    test "$(lastseats)" = "seats $show $a3:a"
relay_stop TERM
n=$(grep -c "with the seats' states" "$rlog")
st=$(sed -n "s/.*with the seats' states (\([0-9]*\) statement.*/\1/p" \
    "$rlog" | tail -n 1)
check "4 changes read with 4 statements ($st)" test "$st" = 4

# A flood of 2000 NOTIFYs in a burst: each read forwards at most 64 a show
# with their states (one statement), the rest become reloads.
: >"$rlog"
relay_start || exit 1
clients_start "$show" 1 || exit 1
sql "SELECT count(pg_notify('seatlock_show_$show', '{\"show\":$show,\"seq\":'
    || g || ',\"state\":\"booked\",\"seats\":[$a1,$a2]}'))
    FROM generate_series(1, 2000) g" >/dev/null
sleep 1
clients_stop
relay_stop TERM
st=$(sed -n "s/.*with the seats' states (\([0-9]*\) statement.*/\1/p" \
    "$rlog" | tail -n 1)
co=$(sed -n "s/.* \([0-9]*\) coalesced into reloads.*/\1/p" "$rlog" |
    tail -n 1)
check "a flood of 2000: $st statement(s) (at most 10), $co coalesced" \
    test -n "$st" -a "${st:-99}" -le 10 -a "${co:-0}" -gt 1900
check "a flood: the client's seats lines say what show_seat says" \
    test "$(lastseats)" = "$(expected "$a1" "$a2")"

# Two changes of 600 seats each in one read: the union of 1200 seats is
# read 1000 a statement (2), each line has its own 600.
big=$(new_show "$(new_venue 8 150)")
: >"$rlog"
relay_start || exit 1
clients_start "$big" 1 || exit 1
sql "BEGIN; SELECT pg_notify('seatlock_show_$big', '{\"show\":$big,\"seq\":'
    || k || ',\"state\":\"booked\",\"seats\":[' || (SELECT string_agg(
    seat_id::text, ',') FROM (SELECT seat_id FROM show_seat
    WHERE show_id = $big ORDER BY seat_id OFFSET 600 * k LIMIT 600) q)
    || ']}') FROM generate_series(0, 1) k; COMMIT" >/dev/null
sleep 0.6
clients_stop
relay_stop TERM
st=$(sed -n "s/.*with the seats' states (\([0-9]*\) statement.*/\1/p" \
    "$rlog" | tail -n 1)
check "two changes of 600 seats: 2 seats lines of 600 ($(field 0 seatn)), \
read in $st statements (2)" test "$(field 0 seatn):$st" = "[600, 600]:2"

# A relay whose login may not call sl_relay_states: show lines without
# seats lines, said once.
: >"$rlog"
PGUSER=$bare relay_start || exit 1
clients_start "$show" 1 || exit 1
"$SL" book "$show" A4 >/dev/null 2>&1
"$SL" book "$show" A5 >/dev/null 2>&1
sleep 0.6
clients_stop
check "no grant: show lines, no seats line ($(field 0 shows), \
$(field 0 seats))" test "$(field 0 shows):$(field 0 seats)" = 2:0
n=$(grep -c "cannot read the seats' states" "$rlog")
check "no grant: said once in the relay's log ($n)" test "$n" = 1
relay_stop TERM

done_testing
