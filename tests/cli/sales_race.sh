#!/bin/sh
# The voucher race (issue 15): a voucher with one use left, 8 `seatlock
# book --voucher` processes (each its own connection, each for other
# seats) let go at the same moment.  Exactly one sells, 7 exit 3 ("used
# up") and sell nothing, and the voucher's uses reach its limit, not past.
. "$(dirname "$0")/testlib"

N=8
code=RACE-$$
venue=$(new_venue 1 10)
show=$(new_show "$venue")
check "a venue and a show for the race" is_id "$show"
expect 0 "a price" zone set "$show" A --price 40
expect 0 "every seat in zone A" zone assign "$show" A --section Main
expect 0 "a voucher of 3 uses" voucher add "$code" --amount 5 --uses 3
expect 0 "a first use" book "$show" A9 --voucher "$code" --pay card
expect 0 "a second use: one left" book "$show" A10 --voucher "$code" \
    --pay card
check "uses 2 of 3" test "$(sql "SELECT uses || '/' || uses_max FROM voucher
    WHERE code = '$code'")" = 2/3

# Each job waits at a gate (a FIFO this shell holds open), all let go with
# one write; see cli_race.sh.
mkfifo "$tmp/gate" || exit 1
exec 3<>"$tmp/gate"
i=0
while [ "$i" -lt "$N" ]; do
	(
		: >"$tmp/ready.$i"
		read -r _ <"$tmp/gate"
		exec "$SL" book "$show" "A$((i + 1))" --voucher "$code" \
		    --pay card >"$tmp/out.$i" 2>"$tmp/err.$i"
	) &
	eval "pid_$i=$!"
	i=$((i + 1))
done
n=0
while [ "$(ls "$tmp" | grep -c '^ready\.')" -lt "$N" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 0.3
i=0
lines=""
while [ "$i" -lt "$N" ]; do
	lines="$lines
"
	i=$((i + 1))
done
printf '%s' "$lines" >&3

won=0
used=0
other=""
i=0
while [ "$i" -lt "$N" ]; do
	eval "pid=\$pid_$i"
	wait "$pid"
	rc=$?
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
exec 3>&-
echo "voucher race: $N processes, $won sold, $used told the voucher is used up"
check "exactly one process sold with the last use" test "$won" -eq 1
check "the other $((N - 1)) exited 3, used up" test "$used" -eq $((N - 1))
check "no process failed otherwise ($other )" test -z "$other"
check "the voucher: 3 uses of 3" test "$(sql "SELECT uses || '/' || uses_max
    FROM voucher WHERE code = '$code'")" = 3/3
check "one of the raced seats sold, at 35.00" test "$(sql "SELECT count(*) ||
    ':' || sum(b.price_cents) FROM booking b JOIN seat s USING (seat_id)
    WHERE b.show_id = $show AND b.status = 'active'
    AND s.label NOT IN ('A9', 'A10')")" = 1:3500
check "three sales name the voucher" test "$(sql "SELECT count(*) FROM
    booking_request WHERE voucher = '$code'")" = 3
check "three card payments, no more" test "$(sql "SELECT count(*) FROM
    payment p JOIN booking_request r USING (request_id)
    WHERE r.voucher = '$code'")" = 3

done_testing
