#!/bin/sh
# The command-line race: 32 `seatlock book` processes for one seat, let go
# at the same moment.  Exactly one exits 0 and prints its booking id, 31
# exit 3 ("taken", not "busy"), and the database holds exactly one active
# booking of the seat.
. "$(dirname "$0")/testlib"

N=32
venue=$(new_venue 1 4)
show=$(new_show "$venue")
user=$(new_user)
check "a venue, show and customer for the race" sh -c \
    'for i in "$@"; do case $i in ""|*[!0-9]*) exit 1;; esac; done' sh \
    "$venue" "$show" "$user"

# Each job waits at a gate - one line from a FIFO that this shell holds open
# for reading and writing, so nobody blocks opening it - and all are let go
# with one write, rather than starting in the order the shell forked them.
mkfifo "$tmp/gate" || exit 1
exec 3<>"$tmp/gate"
i=0
while [ "$i" -lt "$N" ]; do
	(
		: >"$tmp/ready.$i"
		read -r _ <"$tmp/gate"
		exec "$SL" book "$show" A1 --user "$user" \
		    >"$tmp/out.$i" 2>"$tmp/err.$i"
	) &
	eval "pid_$i=$!"
	i=$((i + 1))
done
# all forked (bounded: 60 s), then a moment to reach the gate
n=0
while [ "$(ls "$tmp" | grep -c '^ready\.')" -lt "$N" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 0.3
# one line per job: each read takes exactly one
i=0
lines=""
while [ "$i" -lt "$N" ]; do
	lines="$lines
"
	i=$((i + 1))
done
printf '%s' "$lines" >&3

won=0
taken=0
other=""
i=0
while [ "$i" -lt "$N" ]; do
	eval "pid=\$pid_$i"
	wait "$pid"
	rc=$?
	case $rc in
	0)
		won=$((won + 1))
		winner=$i
		;;
	3)
		taken=$((taken + 1))
		if grep -q "busy" "$tmp/err.$i"; then
			other="$other $i:busy"
		fi
		;;
	*)
		other="$other $i:exit$rc"
		;;
	esac
	i=$((i + 1))
done
exec 3>&-
echo "cli race: $N processes, $won booked, $taken told the seat is taken"
check "exactly one process booked the seat" test "$won" -eq 1
check "the other $((N - 1)) exited 3" test "$taken" -eq $((N - 1))
check "no process failed otherwise or was told \"busy\" ($other )" \
    test -z "$other"
if [ "$won" -eq 1 ]; then
	id=$(cat "$tmp/out.$winner")
	check "the winner printed its booking id alone" is_id "$id"
	check "the losers printed nothing on stdout" sh -c '
		for f in "$1"/out.*; do
			[ "$f" = "$1/out.$2" ] && continue
			[ -s "$f" ] && exit 1
		done
		exit 0' sh "$tmp" "$winner"
	check "the seat has exactly one active booking, the winner's" test \
	    "$(sql "SELECT string_agg(b.booking_id::text, ' ') FROM booking b
	    JOIN seat s USING (seat_id) WHERE b.show_id = $show AND
	    s.label = 'A1' AND b.status = 'active'")" = "$id"
fi
check "the seat has exactly one booking at all" test "$(sql "SELECT count(*)
    FROM booking b JOIN seat s USING (seat_id) WHERE b.show_id = $show AND
    s.label = 'A1'")" = 1
check "the inventory says booked" test "$(sql "SELECT ss.state FROM show_seat
    ss JOIN seat s USING (seat_id) WHERE ss.show_id = $show AND
    s.label = 'A1'")" = booked

done_testing
