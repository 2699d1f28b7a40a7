#!/bin/sh
# The notifier's beat through the relay (issue 19): the relay reads it once
# a second on its LISTEN connection (that backend's statement) and sends
# it to every client, "beat AGE_MS", and at once to a client that attaches;
# the notifier stopped, the age it sends grows past 3 s (not live); no
# notifier ever beat: "beat none".  A relay whose login may not read the
# beat sends none (its box offices read it themselves, as without a relay),
# says so once in its log, and still forwards notifications.  About 12 s.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/relay.lib"

show=$((920000 + $$ % 10000))
bare=rbeat_$$
nf_pid=
beat0=$(sql "SELECT beat FROM notifier_lease WHERE lease_id = 1")

notifier_start() {
	"$SL" notifier >>"$tmp/notifier.log" 2>&1 &
	nf_pid=$!
	_t0=$(ms)
	until [ "$(sql "SELECT coalesce(sl_notifier_beat_age() < 1000, false)")" = t ]; do
		[ $(($(ms) - _t0)) -lt 5000 ] || break
		sleep 0.05
	done
}

notifier_stop() {
	[ -z "$nf_pid" ] || { kill "$nf_pid" && wait "$nf_pid"; } 2>/dev/null
	nf_pid=
}

cleanup() {
	notifier_stop
	relay_stop KILL
	sql "UPDATE notifier_lease SET beat = '$beat0' WHERE lease_id = 1" \
	    >/dev/null 2>&1
	sql "DROP ROLE IF EXISTS $bare" >/dev/null 2>&1
	rm -rf "$tmp" "$rdir"
}
trap cleanup EXIT

# beat_ms N: the age in the last beat client N heard ("none": -1).
beat_ms() {
	_b=$(field "$1" beat)
	case $_b in
	"beat none") echo -1 ;;
	"beat "*) echo "${_b#beat }" ;;
	*) echo "no beat" ;;
	esac
}

notifier_start
relay_start || exit 1
clients_start "$show" 3 || exit 1
sleep 2.5
rpid=$(relay_backend)
q=$(sql "SELECT query FROM pg_stat_activity WHERE pid = $rpid")
clients_stop
n=0
for i in 0 1 2; do
	b=$(field "$i" beats) age=$(beat_ms "$i")
	[ "$b" -ge 2 ] && [ "$b" -le 6 ] && [ "$age" -ge 0 ] &&
	    [ "$age" -lt 3000 ] && n=$((n + 1))
done
check "each of 3 clients heard the beat about once a second, live \
($(field 0 beats) beats in 3 s, the last $(beat_ms 0) ms)" test "$n" = 3
check "the relay's LISTEN backend reads it ($q)" \
    test "$q" = "SELECT coalesce(sl_notifier_beat_age(), -1)"

# A client that attaches hears it at once, after the greeting.
out=$(python3 -c "
import socket, time
s = socket.socket(socket.AF_UNIX); s.connect('$sock'); s.settimeout(2)
t0 = time.time(); d = b''
while b'beat ' not in d:
    b = s.recv(4096)
    if not b: break
    d += b
l = d.decode().split(chr(10))
print(int((time.time() - t0) * 1000), l[0], l[1].split(' ')[0])")
set -- $out
check "on attach: \"$2 $3 $4\", then a beat after $1 ms" \
    test "$2 $3 $4:$5" = "hello seatlock-relay 1:beat" -a "$1" -lt 500

# The notifier stopped: the age grows, past 3 s.
notifier_stop
clients_start "$show" 1 || exit 1
sleep 4
clients_stop
age=$(beat_ms 0)
check "the notifier stopped: the beat's age grew to $age ms (over 3000)" \
    test "$age" -gt 3000 -a "$age" -lt 10000

# No notifier ever beat: "beat none".
sql "UPDATE notifier_lease SET beat = '-infinity' WHERE lease_id = 1" \
    >/dev/null
clients_start "$show" 1 || exit 1
sleep 1.5
clients_stop
check "no notifier ever beat: \"$(field 0 beat)\"" \
    test "$(field 0 beat)" = "beat none"
relay_stop TERM

# A relay whose login may not read the beat: none sent, one log line,
# notifications still forwarded.
sql "CREATE ROLE $bare LOGIN" >/dev/null
: >"$rlog"
PGUSER=$bare relay_start || exit 1
clients_start "$show" 2 || exit 1
sleep 2.5
sql "SELECT pg_notify('seatlock_show_$show', 'after no beat')" >/dev/null
sleep 0.3
clients_stop
check "no grant: no beat sent ($(field 0 beats), $(field 1 beats))" \
    test "$(field 0 beats):$(field 1 beats)" = "0:0"
n=$(grep -c "cannot read the notifier's beat" "$rlog")
check "no grant: said once in the relay's log ($n)" test "$n" = 1
check "no grant: notifications still forwarded ($(field 1 last))" \
    test "$(field 1 last)" = "show $show after no beat"
relay_stop TERM

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
