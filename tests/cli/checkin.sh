#!/bin/sh
# seatlock checkin (issue 16): the exit code is the answer (0 admitted, 3
# already in, 4 refused, 2 not a code) and the message says why; a show
# that has ended, another show than --show, a cancelled and an exchanged
# ticket are refused; a typo is caught by the check symbol; the door's name
# is recorded; 8 processes checking one code in at the same moment admit it
# once.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/sales.lib"
. "$(dirname "$0")/door.lib"

priced_show 2 10
other=$show
priced_show 2 10
expect 0 "a family's four seats" book "$show" A1:adult A2:adult A3:child \
    A4:child B1 B2 B3 --pay card
a1=$(code_of "$show" A1)
a2=$(code_of "$show" A2)
a3=$(code_of "$show" A3)
b1=$(code_of "$show" B1)
check "the export gives the codes" test -n "$a1" -a -n "$a2" -a -n "$b1"

expect 0 "A1 admitted" checkin "$a1" --door north
grep -q "admitted: CLI show $uniq, .*seat A1 (1 of 7 in)" "$tmp/out" &&
    ok "says show, seat and the count" || not_ok "admitted line"
is "$(sql "SELECT door || ' ' || NOT offline FROM checkin c
    JOIN booking b USING (booking_id) WHERE b.show_id = $show")" \
    "north true" "the door's name recorded"
expect 3 "A1 again: already" checkin "$a1" --door south
stderr_has "already admitted: seat A1" "says already, the seat"
stderr_has "at door north" "and which door"
run checkin "$a1" --json
is "$rc" 3 "--json already: exit 3"
is "$(j result) $(j first_door) $(j label) $(j admitted) $(j sold)" \
    "already north A1 1 7" "--json fields"
is "$(sql "SELECT count(*) FROM checkin c JOIN booking b USING
    (booking_id) WHERE b.show_id = $show")" 1 "one admission"

# Lower case, spaces and O for 0 are read; a typo is caught.
low=$(printf '%s' "$a2" | tr 'A-Z' 'a-z' | tr '-' ' ')
expect 0 "A2 typed in lower case with spaces" checkin "$low" --json
is "$(j label)" A2 "A2's seat"
last=$(printf '%s' "$a3" | cut -c29)
case $last in 1) typo=2 ;; *) typo=1 ;; esac
bad=$(printf '%s' "$a3" | cut -c1-28)$typo
expect 2 "a typo in the check symbol" checkin "$bad"
stderr_has "check symbol is wrong" "says it is the check symbol"
swap=$(printf '%s' "$a3" | sed 's/^\(.......\)\(.\)\(.\)/\1\3\2/')
[ "$swap" != "$a3" ] && {
	expect 2 "two swapped neighbours" checkin "$swap"
	stderr_has "check symbol" "caught by the check symbol"
}
expect 2 "wrong characters" checkin "0K3QF-7ZC2M-9XB4T-WQ1RD-HV8N!"
stderr_has "is not in one" "says which character"
expect 2 "too short" checkin "0K3QF-7ZC2M"
stderr_has "a code has 25" "says the length"
expect 2 "empty" checkin ""
expect 2 "no code at all" checkin
expect 2 "a bad --show" checkin "$a3" --show abc
is "$(sql "SELECT count(*) FROM checkin c JOIN booking b USING
    (booking_id) WHERE b.show_id = $show")" 2 "no admission from bad codes"

# Another show than --show: refused, says which.
expect 4 "A3 at the other show's door" checkin "$a3" --show "$other"
stderr_has "another show: CLI show $uniq" "says which show"
expect 0 "A3 at its own show's door" checkin "$a3" --show "$show"

# Unknown: a well-formed code of no ticket (its check symbol is the one
# of the 32 that the parser takes).
for c in 0 1 2 3 4 5 6 7 8 9 A B C D E F G H J K M N P Q R S T V W X Y Z; do
	"$SL" checkin "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZ$c" >/dev/null 2>&1
	[ $? -ne 2 ] && break
done
expect 4 "a code of no ticket" checkin "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZ$c"
stderr_has "unknown code" "says unknown"

# Cancelled and exchanged tickets are void.
bk=$(sql "SELECT booking_id FROM booking b JOIN seat s USING (seat_id)
    WHERE b.show_id = $show AND s.label = 'B1' AND b.status = 'active'")
b2=$(code_of "$show" B2)
expect 0 "B1 cancelled" cancel "$bk" --refund card
expect 4 "a cancelled ticket" checkin "$b1"
stderr_has "voided" "says voided"
bk2=$(sql "SELECT booking_id FROM booking b JOIN seat s USING (seat_id)
    WHERE b.show_id = $show AND s.label = 'B2' AND b.status = 'active'")
expect 0 "B2 exchanged for B5" exchange "$bk2" B5 --pay card
run checkin "$b2" --json
is "$rc $(j result) $(j reason)" "4 refused voided" \
    "the exchanged seat's old code: refused, voided"
b5=$(code_of "$show" B5)
check "the new seat has its own code" test -n "$b5" -a "$b5" != "$b2"
expect 0 "the new code admitted" checkin "$b5"

# A show that has ended (6 hours after it starts).
sql "UPDATE show SET starts_at = now() - interval '7 hours'
    WHERE show_id = $other" >/dev/null
expect 0 "a seat of the other show" book "$other" A1 --pay card \
    --override
o1=$(code_of "$other" A1)
expect 4 "a ticket of a show that has ended" checkin "$o1"
stderr_has "ended" "says it has ended"
is "$(sql "SELECT count(*) FROM checkin WHERE show_id = $other")" 0 \
    "not admitted"
is "$(sql "SELECT count(*) FROM scan WHERE show_id = $other
    AND result = 'refused' AND reason = 'ended'")" 1 "the scan recorded"

# The race: 8 processes, one code, one moment.
b3=$(code_of "$show" B3)
race 8 checkin "$b3" --door 'race$i'
won=0 already=0 i=0
while [ "$i" -lt 8 ]; do
	case $(cat "$tmp/rc.$i") in
	0) won=$((won + 1)) ;;
	3) grep -q "already admitted" "$tmp/err.$i" &&
	    already=$((already + 1)) ;;
	esac
	i=$((i + 1))
done
is "$won/$already" "1/7" "the race: one admitted, seven already"
bk3=$(sql "SELECT booking_id FROM booking b JOIN seat s USING (seat_id)
    WHERE b.show_id = $show AND s.label = 'B3'")
is "$(sql "SELECT count(*) FROM checkin WHERE booking_id = $bk3")" 1 \
    "one checkin row"
is "$(sql "SELECT count(*) || ' ' || count(*) FILTER (WHERE result =
    'already') FROM scan WHERE booking_id = $bk3")" "8 7" \
    "eight scans recorded, seven already"

# The report: admitted (A1 A2 A3 B5 B3), not yet (A4), scans refused (A3
# at the other show, B1 cancelled, B2 exchanged), already (2 + 7).
expect 0 "the show's report" report "$show" --json
is "$(j sales door 0 admitted) $(j sales door 0 not_admitted) $(j sales \
    door 0 refused_scans) $(j sales door 0 already_scans)" "5 1 3 9" \
    "the report's door: admitted, not yet, refused, already"
is "$(j sales total seats)" 6 "the report's other fields stay"
expect 0 "the report in text" report "$show"
grep -Eq "^ +$show +5 +1 +3 +9$" "$tmp/out" && ok "the text report's door" ||
    not_ok "text door line"

# A door's login (clerk add --role door) checks tickets in, nothing else.
dl=door_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $dl" >/dev/null 2>&1
    rm -rf "$tmp"' EXIT
expect 0 "a door's login" clerk add "$dl" --role door
with_env PGUSER="$dl" -- expect 0 "the door's login checks A4 in" \
    checkin "$(code_of "$show" A4)" --door gate
is "$(sql "SELECT clerk || ' ' || door FROM checkin c JOIN booking b
    USING (booking_id) JOIN seat s USING (seat_id) WHERE b.show_id = $show
    AND s.label = 'A4'")" "$dl gate" "recorded with its login and door"
with_env PGUSER="$dl" -- expect 1 "the door's login reads no report" \
    report "$show"
stderr_has "permission denied" "permission denied"
with_env PGUSER="$dl" -- expect 1 "nor books" book "$show" A8 --pay card
done_testing
