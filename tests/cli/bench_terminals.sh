#!/bin/sh
# Issue 19: `seatlock bench --scenario terminals`, small.  60 simulated box
# offices attached to a relay the bench starts itself (none answers at the
# configured socket) while 4 clients sell: every terminal's map equals
# show_seat at the end, pushes reach the maps, the backends stay those of
# the bench (clients, the terminals' pool of 8, a few of its own: no
# LISTEN connection per terminal), the relay runs in a session of its own
# (as a service's would) and is stopped and its socket gone afterwards.  A relay killed mid-run is replaced and every
# terminal comes back within 2 s.  A relay that never serves: exit 1,
# and still no terminal listens directly.  Bounded: each run under 60 s.
. "$(dirname "$0")/testlib"

conf=$tmp/seatlock.conf
printf 'notify = { relay_socket = "%s"; };\n' "$tmp/none.sock" >"$conf"
chmod 600 "$conf"

# The number after "key": in the JSON of $tmp/out.
num() {
	sed -n "s/.*\"$1\": \(-\{0,1\}[0-9][0-9.]*\).*/\1/p" "$tmp/out"
}
str() {
	sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" "$tmp/out"
}
gt0() { awk -v x="$1" 'BEGIN { exit !(x + 0 > 0) }'; }
le() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x != "" && x + 0 <= y) }'; }
listening() {
	sql "SELECT count(*) FROM pg_stat_activity
	    WHERE datname = current_database()
	    AND application_name = 'seatlock-listen'"
}

# bench_bg ARGS...: runs the bench in the background ($bpid); while it
# runs, notes its relay (pid and socket, from the relay's command line)
# and the most LISTEN connections of their own at once.
bench_bg() {
	SEATLOCK_CONFIG=$conf timeout 60 "$SL" bench --json --scenario \
	    terminals "$@" >"$tmp/out" 2>"$tmp/err" &
	bpid=$!
	rpid="" rsock="" maxlisten=0
	while kill -0 "$bpid" 2>/dev/null; do
		# timeout's child is the bench; the bench's child, its relay.
		for b in $(pgrep -P "$bpid"); do
			for p in $(pgrep -P "$b"); do
				[ -z "$rpid" ] || continue
				rpid=$p
				rsock=$(tr '\0' ' ' </proc/$p/cmdline |
				    sed -n 's/.*relay --socket \([^ ]*\).*/\1/p')
				rsid=$(ps -o sid= -p "$p" | tr -d ' ')
			done
		done
		n=$(listening)
		[ "${n:-0}" -gt "$maxlisten" ] && maxlisten=$n
		sleep 0.2
	done
	wait "$bpid"
	rc=$?
}

bench_bg --terminals 60 --clients 4 --seconds 3
check "a small terminals run exits 0 (rc $rc)" [ "$rc" -eq 0 ]
check "one line of JSON, scenario terminals" \
    sh -c "[ \$(wc -l <'$tmp/out') -eq 1 ] && grep -q '\"scenario\": \"terminals\"' '$tmp/out'"
check "60 terminals, 4 clients" \
    [ "$(num terminals)" = 60 ] && [ "$(num clients)" = 4 ]
check "bookings were made ($(num bookings))" gt0 "$(num bookings)"
check "no terminal's map differs from show_seat" \
    [ "$(num stale_terminals)" = 0 ]
check "pushes reached the maps ($(num push_samples) samples)" \
    gt0 "$(num push_samples)"
check "push p99 above 0 ($(num push_p99_ms) ms)" gt0 "$(num push_p99_ms)"
check "no booked seat missed by a map" [ "$(num push_missed)" = 0 ]
check "no statement of a terminal failed" [ "$(num terminal_errors)" = 0 ]
check "every terminal loaded its show ($(num reloads) reloads)" \
    [ "$(num reloads)" -ge 60 ]
# 4 clients + the terminals' pool of 20 (BENCH_TERM_POOL, PgBouncer's pool
# in the deployment) + the bench's own connection, the monitor's, the
# notifier's and the relay's; a few more for slack.
check "backends at the peak: $(num backends) <= 4 + 20 + 8" \
    le "$(num backends)" 32
check "no terminal listened directly (seatlock-listen at most $maxlisten)" \
    [ "$maxlisten" -eq 0 ]
check "the server's memory is measured or said not to be" \
    sh -c "grep -Eq '\"server_rss_mb\": ([1-9][0-9.]*|-1.0)' '$tmp/out'"
check "the bench started a relay of its own" [ "$(str relay)" = started ]
check "the relay was seen running ($rpid on $rsock)" [ -n "$rpid" ]
# As a service's relay: a session of its own (the kernel shares the CPU
# between sessions first, and every PostgreSQL backend has one of its own).
check "it runs in a session of its own (session $rsid)" [ "$rsid" = "$rpid" ]
check "the relay is stopped afterwards" \
    sh -c "[ -n '$rpid' ] && ! kill -0 '$rpid' 2>/dev/null"
check "its socket and directory are gone" \
    sh -c "[ -n '$rsock' ] && [ ! -e '$rsock' ] && [ ! -e \"\$(dirname '$rsock')\" ]"

# The relay killed one second in: replaced, and every terminal is back.
bench_bg --terminals 60 --clients 4 --seconds 3 --kill-relay-at 1
check "with the relay killed: exit 0 (rc $rc)" [ "$rc" -eq 0 ]
check "the relay was killed" grep -q '"relay_killed": true' "$tmp/out"
check "every terminal attached again and reloaded within 2 s ($(num reconnect_max_ms) ms)" \
    sh -c "gt() { awk -v x=\"\$1\" 'BEGIN { exit !(x + 0 > 0) }'; }
	gt '$(num reconnect_max_ms)' && [ \"\$(echo '$(num reconnect_max_ms)' | cut -d. -f1)\" -le 2000 ]"
check "and no map is stale" [ "$(num stale_terminals)" = 0 ]
check "no relay left behind ($rpid)" \
    sh -c "[ -n '$rpid' ] && ! kill -0 '$rpid' 2>/dev/null && [ ! -e '$rsock' ]"

# A relay that greets but never serves (never says "watching"): the
# bench finds it, its terminals cannot load, and it fails rather than
# listening directly.
python3 - "$tmp/fake.sock" "$tmp/fake.stop" <<'EOF' &
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(64); s.settimeout(0.2)
held, end = [], time.time() + 50
while time.time() < end and not os.path.exists(sys.argv[2]):
    try:
        c, _ = s.accept()
        c.sendall(b"hello seatlock-relay 1\n")
        held.append(c)
    except socket.timeout:
        pass
EOF
fpid=$!
i=0
while [ ! -S "$tmp/fake.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf 'notify = { relay_socket = "%s"; };\n' "$tmp/fake.sock" >"$conf"
bench_bg --terminals 20 --clients 2 --seconds 2
touch "$tmp/fake.stop"
wait "$fpid"
check "a relay that never serves: exit 1 (rc $rc)" [ "$rc" -eq 1 ]
check "and says so" grep -q "terminals could not attach to the relay" \
    "$tmp/err"
check "no terminal listened directly meanwhile ($maxlisten)" \
    [ "$maxlisten" -eq 0 ]

# Usage.
run bench --scenario terminals --terminals 0
check "--terminals 0: exit 2 (rc $rc)" [ "$rc" -eq 2 ]
run bench --scenario terminals --terminals 5001
check "--terminals 5001: exit 2 (rc $rc)" [ "$rc" -eq 2 ]
run bench --scenario spread --terminals 10
check "--terminals with spread: exit 2 (rc $rc)" [ "$rc" -eq 2 ]
done_testing
