#!/bin/sh
# Issue 17, findings 3, 4 and 5: live push that no seller can stop or
# suppress, and no frozen show.
#  a) a login with no SeatLock grants holds the old election lock
#     (pg_advisory_lock(21324, 8)) and tries the lease and the flush: it is
#     refused, a notifier (a login of --role notifier) still leads, and a
#     clerk's sale reaches a LISTENing session with the sequence advanced;
#     a clerk's sl_notify_flush() is refused too;
#  b) a clerk's `SET seatlock.notify_mode = 'off'` sale, and a sale by a
#     command line whose configuration says notify.mode = "off", still
#     arrive at a listener with the show's change_seq advanced;
#  c) a clerk leaves `BEGIN; SELECT sl_book(...)` open: another clerk sells
#     another seat of the show at once (no "seat busy"), and the notifier
#     ends the idle transaction within its limit and a few seconds (its
#     seat is free again).
# Every wait is bounded; everything runs on the test cluster's socket.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"

c1=sln_a_$$
c2=sln_b_$$
nf=sln_n_$$
stranger=sln_x_$$
npid=""
bg=""
cleanup() {
	for p in $npid $bg; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	sql "SELECT sl_setting_set('idle_tx_limit_s', 10)" >/dev/null 2>&1
	for r in $c1 $c2 $nf $stranger; do
		psql -X -q -c "DROP OWNED BY $r" -c "DROP ROLE IF EXISTS $r" \
		    >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

expect 0 "a clerk" clerk add "$c1" --role clerk
expect 0 "another clerk" clerk add "$c2" --role clerk
expect 0 "the notifier's login" clerk add "$nf" --role notifier
sql "CREATE ROLE $stranger LOGIN" >/dev/null
venue=$(new_venue 1 8)
show=$(new_show "$venue")
check "a show" is_id "$show"

seq() { sql "SELECT change_seq FROM show WHERE show_id = $show"; }
# listen FILE SECONDS: a psql session LISTENing to the show for SECONDS,
# its notifications in FILE (psql prints them after each statement).
listen() {
	(
		echo "LISTEN seatlock_show_$show;"
		i=0
		while [ $i -lt $(($2 * 10)) ]; do
			echo "SELECT 1;"
			sleep 0.1
			i=$((i + 1))
		done
	) | psql -X -q -A -t >"$1" 2>&1 &
	bg="$bg $!"
	sleep 0.5
}
# heard FILE LABEL...: wait up to 5 s for a notification naming the seats.
heard() {
	_f=$1
	shift
	_ids=$(sql "SELECT string_agg(s.seat_id::text, ',' ORDER BY s.seat_id)
	    FROM seat s JOIN show sh ON sh.venue_id = s.venue_id
	    WHERE sh.show_id = $show AND s.label IN ($(printf "'%s'," "$@" |
	    sed 's/,$//'))")
	i=0
	while [ $i -lt 50 ]; do
		grep -q "seats\" *: *\[$_ids\]" "$_f" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
sell_sql() {
	echo "SELECT count(*) FROM sl_book($show, ARRAY['$1'], NULL,
	    'sln-$uniq-$1', 'T-$1')"
}

echo "-- a) the old election lock held by a stranger"
(
	echo "SELECT pg_advisory_lock(21324, 8);"
	sleep 30
) | PGUSER=$stranger psql -X -q >/dev/null 2>&1 &
bg="$bg $!"
i=0
while [ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
    AND classid = 21324 AND objid = 8 AND granted")" != 1 ] && [ $i -lt 50 ]
do
	sleep 0.1
	i=$((i + 1))
done
check "the stranger holds the old election lock" [ $i -lt 50 ]
check "the stranger cannot claim the lease" \
    [ "$(as "$stranger" "SELECT sl_notifier_claim(3000)")" = 42501 ]
check "nor flush" [ "$(as "$stranger" "SELECT sl_notify_flush()")" = 42501 ]
check "nor lock the lease's row" \
    [ "$(as "$stranger" "SELECT * FROM notifier_lease FOR UPDATE")" = 42501 ]
check "a clerk cannot flush" \
    [ "$(as "$c1" "SELECT sl_notify_flush()")" = 42501 ]
check "nor claim" [ "$(as "$c1" "SELECT sl_notifier_claim(3000)")" = 42501 ]
check "nor lock the lease's row" \
    [ "$(as "$c1" "BEGIN; SELECT * FROM notifier_lease FOR KEY SHARE")" = 42501 ]
PGUSER=$nf "$SL" notifier >"$tmp/notifier.log" 2>&1 &
npid=$!
i=0
while [ "$(sql "SELECT login FROM notifier_lease")" != "$nf" ] &&
    [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the notifier leads (the lease is its)" \
    [ "$(sql "SELECT login FROM notifier_lease")" = "$nf" ]
s0=$(seq)
listen "$tmp/l1" 6
check "a clerk sells A1" [ "$(as "$c1" "$(sell_sql A1)")" = ok ]
check "the sale reaches the listener" heard "$tmp/l1" A1
check "the show's change_seq advanced" [ "$(seq)" -gt "$s0" ]

echo "-- b) the seller's notify mode cannot suppress the announcement"
s0=$(seq)
listen "$tmp/l2" 8
check "a clerk sells A2 with notify_mode off" [ "$(as "$c1" "SET
    seatlock.notify_mode = 'off'; $(sell_sql A2)")" = ok ]
check "the sale reaches the listener" heard "$tmp/l2" A2
check "change_seq advanced" [ "$(seq)" -gt "$s0" ]
s1=$(seq)
printf 'notify = { mode = "off"; };\n' >"$tmp/off.conf"
chmod 600 "$tmp/off.conf"
PGUSER=$c2 "$SL" --config "$tmp/off.conf" book "$show" A3 \
    >"$tmp/out" 2>"$tmp/err"
check "a CLI with notify.mode \"off\" sells A3" [ $? -eq 0 ]
check "the sale reaches the listener" heard "$tmp/l2" A3
check "change_seq advanced" [ "$(seq)" -gt "$s1" ]

echo "-- c) a clerk's open transaction freezes nothing"
sql "SELECT sl_setting_set('idle_tx_limit_s', 2)" >/dev/null
(
	echo "BEGIN;"
	sell_sql A4
	echo ";"
	sleep 20
	echo "COMMIT;"
) | PGUSER=$c1 psql -X -q >/dev/null 2>&1 &
bg="$bg $!"
i=0
while [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE usename = '$c1'
    AND state = 'idle in transaction'")" != 1 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "clerk 1 sits in an open transaction holding A4" [ $i -lt 50 ]
t0=$(date +%s)
PGUSER=$c2 timeout 10 "$SL" book "$show" A5 >"$tmp/out" 2>"$tmp/err"
rc=$?
t1=$(date +%s)
check "clerk 2 sells A5 meanwhile (exit $rc, no seat busy)" [ $rc -eq 0 ]
check "at once ($((t1 - t0)) s)" [ $((t1 - t0)) -le 2 ]
i=0
while [ "$(sql "SELECT count(*) FROM pg_stat_activity
    WHERE usename = '$c1'")" != 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the notifier ended the idle transaction within 2 s + a few" \
    [ $i -lt 100 ]
check "A4 was never sold" [ "$(sql "SELECT count(*) FROM booking b
    JOIN seat s ON s.seat_id = b.seat_id WHERE b.show_id = $show
    AND s.label = 'A4' AND b.status = 'active'")" = 0 ]
PGUSER=$c2 timeout 10 "$SL" book "$show" A4 >"$tmp/out" 2>"$tmp/err"
check "A4 is free again: clerk 2 sells it" [ $? -eq 0 ]
i=0
while ! grep -q "ended the session" "$tmp/notifier.log" && [ $i -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "the notifier logged what it ended" grep -q "$c1" "$tmp/notifier.log"

done_testing
