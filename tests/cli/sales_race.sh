#!/bin/sh
# The voucher race (issue 15): a voucher with one use left, 8 `seatlock
# book --voucher` processes (each its own connection, each for other
# seats) let go at the same moment.  Exactly one sells, 7 exit 3 ("used
# up") and sell nothing, and the voucher's uses reach its limit, not past.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/sales.lib"

N=8
code=RACE-$$
priced_show 1 10
expect 0 "a voucher of 3 uses" voucher add "$code" --amount 5 --uses 3
expect 0 "a first use" book "$show" A9 --voucher "$code" --pay card
expect 0 "a second use: one left" book "$show" A10 --voucher "$code" \
    --pay card
is "$(sql "SELECT uses || '/' || uses_max FROM voucher
    WHERE code = '$code'")" 2/3 "uses 2 of 3"

race "$N" book "$show" 'A$((i + 1))' --voucher "$code" --pay card

won=0
used=0
other=""
i=0
while [ "$i" -lt "$N" ]; do
	rc=$(cat "$tmp/rc.$i" 2>/dev/null)
	case $rc in
	0) won=$((won + 1)) ;;
	3)
		if grep -q "used up" "$tmp/err.$i"; then
			used=$((used + 1))
		else
			other="$other $i:$(head -c 80 "$tmp/err.$i")"
		fi
		;;
	*) other="$other $i:exit$rc" ;;
	esac
	i=$((i + 1))
done
echo "voucher race: $N processes, $won sold, $used told the voucher is used up"
is "$won" 1 "exactly one process sold with the last use"
is "$used" $((N - 1)) "the other $((N - 1)) exited 3, used up"
is "$other" "" "no process failed otherwise"
is "$(sql "SELECT uses || '/' || uses_max FROM voucher
    WHERE code = '$code'")" 3/3 "the voucher: 3 uses of 3"
is "$(sql "SELECT count(*) || ':' || sum(b.price_cents) FROM booking b
    JOIN seat s USING (seat_id) WHERE b.show_id = $show
    AND b.status = 'active' AND s.label NOT IN ('A9', 'A10')")" 1:3500 \
    "one of the raced seats sold, at 35.00"
is "$(sql "SELECT count(*) FROM booking_request
    WHERE voucher = '$code'")" 3 "three sales name the voucher"
is "$(sql "SELECT count(*) FROM payment p JOIN booking_request r
    USING (request_id) WHERE r.voucher = '$code'")" 3 \
    "three card payments, no more"

done_testing
