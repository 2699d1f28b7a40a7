#!/bin/sh
# The relay's faults (issue 19): a client that stops reading (its queue is
# bounded: dropped and "reload" instead, logged once; the relay's memory
# stays bounded and a client that reads gets every line meanwhile), a
# NOTIFY flood (coalesced per show into a reload, a bounded number of lines
# out, no log flood, the relay answers after), and a socket opened by a user
# outside the group (with the socket's mode opened up on purpose the
# relay's own credential check refuses with "error not allowed", logged once
# however often; with its 0660 the kernel refuses first).  About 15 s.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/relay.lib"

show=$((910000 + $$ % 10000))
RSS_MAX_KB=51200	# 50 MB
[ "${V:-release}" = asan ] && RSS_MAX_KB=512000

relay_start || exit 1
rss0=$(rss_kb "$relay_pid")

# 1. A client that stops reading, and one that reads: 600 notifications
# of 7,000 bytes (4 MB), each its own transaction.
clients_start "$show" 2 stall || exit 1
pad=$(head -c 6900 /dev/zero | tr '\0' x)
i=0
while [ "$i" -lt 600 ]; do
	echo "SELECT pg_notify('seatlock_show_$show', '{\"show\":$show,\"seq\":$i,\"state\":\"booked\",\"seats\":[1],\"pad\":\"$pad\"}');"
	i=$((i + 1))
done >"$tmp/flood.sql"
psql -X -q -f "$tmp/flood.sql" >/dev/null
rss=$(rss_kb "$relay_pid")
sleep 0.5
clients_stop
check "the relay's memory stayed bounded (VmRSS $rss0 -> $rss kB)" \
    test "$rss" -lt "$RSS_MAX_KB"
check "the stalled client was asked to reload (last: $(field 0 last))" \
    test "$(field 0 resets)" -ge 1
last=$(field 1 last)
case $last in
"show $show reload" | *'"seq":599,'*) fine=$(field 1 resets) ;;
*) fine=no ;;
esac
check "the reading client was not: $(field 1 shows) of 600 lines, none \
dropped, the last one last" test "$fine" = 0
n=$(grep -c "does not read" "$rlog")
check "the stalled client was logged once ($n line)" test "$n" = 1

# 2. A flood: 20,000 NOTIFYs in one transaction arrive together: one
# reload of the show every 100 ms at most while it lasts.
clients_start "$show" 1 || exit 1
lines0=$(wc -l <"$rlog")
sql "SELECT count(pg_notify('seatlock_show_$show', '{\"show\":$show,\"seq\":' \
    || g || ',\"state\":\"booked\",\"seats\":[1]}')) \
    FROM generate_series(1, 20000) g" >/dev/null
sleep 1
sql "SELECT pg_notify('seatlock_show_$show', 'after the flood')" >/dev/null
sleep 0.3
clients_stop
got=$(field 0 lines)
check "20,000 notifications came out as $got lines (coalesced)" \
    test "$got" -lt 200
check "the flood ended in a reload of the show" test "$(field 0 reloads)" -ge 1
check "the relay still forwards after the flood" \
    test "$(field 0 last)" = "show $show after the flood"
kill -HUP "$relay_pid" 2>/dev/null	# stops it: the summary line
wait "$relay_pid"
relay_pid=
n=$(($(wc -l <"$rlog") - lines0))
check "no log flood: $n line(s) for the flood and the stop" test "$n" -le 4
grep -q "coalesced into reloads" "$rlog"
check "its summary counts what it coalesced" test $? = 0

# 3. A user outside the group (runuser: as root only).
if [ "$(id -u)" -ne 0 ]; then
	ok "skipped: a user outside the group needs root (runuser)"
	echo "$checks checks, $fails failed"
	[ "$fails" -eq 0 ]
	exit
fi
: >"$rlog"
relay_start || exit 1
out=$(runuser -u nobody -- python3 "$rdir/client.py" once "$sock")
check "0660: nobody cannot open the socket ($out)" \
    test "$out" = "connect failed: Permission denied"
chmod 0666 "$sock"	# a mistake the relay's own check must catch
out=$(runuser -u nobody -- python3 "$rdir/client.py" once "$sock")
check "mode opened up: the relay itself refuses nobody ($out)" \
    test "$out" = "error not allowed"
runuser -u nobody -- python3 "$rdir/client.py" once "$sock" >/dev/null
runuser -u nobody -- python3 "$rdir/client.py" once "$sock" >/dev/null
n=$(grep -c "refused uid $(id -u nobody)" "$rlog")
check "refused 3 times, logged once ($n)" test "$n" = 1
check "the relay's own user is still served" test "$(python3 \
    "$rdir/client.py" once "$sock")" = "hello seatlock-relay 1"
relay_stop TERM

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
