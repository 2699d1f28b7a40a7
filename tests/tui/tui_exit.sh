#!/bin/sh
# Ending the box office: SIGTERM, SIGHUP, a closed terminal (tmux
# kill-pane, kill-session) and SIGTERM in the middle of a sale that waits
# for a seat lock each end the program and both of its server backends
# within 2 seconds (the process is gone and pg_stat_activity no longer
# lists either backend).  And no CPU spin: idle on a seat map, and while
# reconnecting to a stopped server, its CPU time (utime + stime from
# /proc/PID/stat) stays near zero.  Stops and starts the test cluster, so
# it restores the cluster on the way out whatever happens.
. "$(dirname "$0")/tuilib"

pgc="$TL_TOP/.ci/pgcluster.sh"
restore() {
	"$pgc" start test >/dev/null 2>&1
	tl_cleanup
}
trap restore EXIT

term=xterm-256color lang=C.UTF-8
tl_glyphs "$lang"
tl_venue
tl_user "Ezra Exit"
TL_CONF='database = { lock_timeout_ms = 30000; };'
LIMIT_MS=2000

# start NAME: a box office on the test show, live; sets pid, dpid, lpid.
start() {
	tl_start "$1" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$1" " live  term-"
	pid=$(tl_pid "$1")
	dpid=$(tl_backend "$1" db)
	lpid=$(tl_backend "$1" listen)
	[ -n "$pid" ] && [ -n "$dpid" ] && [ -n "$lpid" ] ||
	    tl_fail "$1: no process or backends ($pid, $dpid, $lpid)"
	[ "$(tl_sql "SELECT count(*) FROM pg_stat_activity WHERE pid IN \
	    ($dpid, $lpid)")" = 2 ] || tl_fail "$1: backends not listed"
}

# running: whether $pid still runs.  A zombie does not: it has ended and
# closed everything, and only waits for whoever reaps it (after a closed
# terminal that is init, in its own time, since the shell around the
# program died of the hangup too).
running() {
	[ -r "/proc/$pid/stat" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" \
	    2>/dev/null | cut -d' ' -f1)" != Z ]
}

# gone WHAT T0: waits until the process and both backends are gone;
# fails if that takes more than LIMIT_MS from T0.
gone() {
	while running || [ "$(tl_sql "SELECT count(*) \
	    FROM pg_stat_activity WHERE pid IN ($dpid, $lpid)")" != 0 ]; do
		if [ $(($(tl_ms) - $2)) -gt $((LIMIT_MS + 3000)) ]; then
			break
		fi
		sleep 0.02
	done
	ms=$(($(tl_ms) - $2))
	running && tl_fail "$1: still running after $ms ms"
	[ "$(tl_sql "SELECT count(*) FROM pg_stat_activity WHERE pid IN \
	    ($dpid, $lpid)")" = 0 ] || tl_fail "$1: backends left after $ms ms"
	[ "$ms" -le "$LIMIT_MS" ] || tl_fail "$1: took $ms ms"
	tl_ok "$1: program and its backends $dpid, $lpid gone in $ms ms"
}

# idle_cpu WHAT SECONDS MAX: CPU ticks used by $pid over SECONDS, at most
# MAX (a spinning loop would use about 100 a second).
idle_cpu() {
	c0=$(tl_cpu "$pid")
	sleep "$2"
	c1=$(tl_cpu "$pid")
	used=$((c1 - c0))
	[ "$used" -le "$3" ] || tl_fail "$1: $used CPU ticks in $2 s"
	tl_ok "$1: $used CPU ticks (of $(getconf CLK_TCK)/s) in $2 s"
}

s=idle
start "$s"
idle_cpu "idle on the seat map" 3 5
"$pgc" stop test >/dev/null || tl_fail "cannot stop the cluster"
tl_wait "$s" "reconnecting" 15000
idle_cpu "reconnecting to a stopped server" 4 10
"$pgc" start test >/dev/null || tl_fail "cannot start the cluster"
tl_wait "$s" " live  term-" 20000
tl_ok "live again after the server came back"
T send-keys -t "$s" q
[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "q did not exit 0"

s=sigterm
start "$s"
t0=$(tl_ms)
kill -TERM "$pid"
gone "SIGTERM" "$t0"
[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "SIGTERM: exit status"

s=sighup
start "$s"
t0=$(tl_ms)
kill -HUP "$pid"
gone "SIGHUP" "$t0"
[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "SIGHUP: exit status"

# Under make test-asan: LeakSanitizer's check at exit stops the process
# with ptrace, and after a terminal hangup that hangs about one time in
# two, spinning inside the sanitizer (the release build exits in 0.1 s
# every time, and with detect_leaks=0 the ASan build does too).  The two
# hangup cases run without the leak check; every other test checks leaks.
case $SEATLOCK_BIN in
*-asan) TL_ENV="ASAN_OPTIONS=detect_leaks=0:abort_on_error=0" ;;
esac
s=killpane
start "$s"
t0=$(tl_ms)
T kill-pane -t "$s"
gone "closed terminal (tmux kill-pane)" "$t0"

s=killsession
start "$s"
t0=$(tl_ms)
T kill-session -t "$s"
gone "closed terminal (tmux kill-session)" "$t0"
TL_ENV=""

# SIGTERM while a sale waits for a lock the test holds: the wait ends at
# once, and so does the backend that waited (the server checks for a
# vanished client twice a second while a statement runs).
locker="$TL_TMP/locker"
mkfifo "$locker.in"
psql -X -q <"$locker.in" >/dev/null 2>&1 &
lockpid=$!
exec 3>"$locker.in"
s=busy
start "$s"
T send-keys -t "$s" C 1 Space
tl_wait "$s" "Selected 1: C1"
# Locked once this terminal holds it: selecting holds the seat, so the
# sale is what waits for the lock.
echo "BEGIN; SELECT 1 FROM show_seat ss JOIN seat s USING (seat_id) \
WHERE ss.show_id = $TL_SHOW AND s.label = 'C1' FOR UPDATE;" >&3
sleep 0.5
T send-keys -t "$s" Enter
tl_wait "$s" "Customer - type a name"
T send-keys -t "$s" -l "Ezra"
tl_wait "$s" "Ezra Exit"
T send-keys -t "$s" Enter
tl_wait "$s" "Confirm the sale"
T send-keys -t "$s" y
t1=$(tl_ms)
until [ "$(tl_sql "SELECT count(*) FROM pg_stat_activity WHERE pid = \
    $dpid AND wait_event_type = 'Lock'")" = 1 ]; do
	[ $(($(tl_ms) - t1)) -lt 10000 ] || tl_fail "the sale does not wait"
	sleep 0.05
done
t0=$(tl_ms)
kill -TERM "$pid"
gone "SIGTERM during a sale waiting for a lock" "$t0"
[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "busy SIGTERM: exit status"
echo "ROLLBACK;" >&3
exec 3>&-
wait "$lockpid"
[ "$(tl_sql "SELECT count(*) FROM booking WHERE show_id = $TL_SHOW")" = 0 ] ||
    tl_fail "something was booked"
tl_ok "nothing was booked"
echo "tui_exit: all passed"
