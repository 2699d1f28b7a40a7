#!/bin/sh
# seatlock bench: a short run of every scenario with --json against the
# test cluster; each prints one JSON object with the documented keys, no
# errors and no seat sold twice (checked by bench in SQL).  Also: flash sells
# exactly its seats, batched mode's listeners hear every booking without a
# sequence gap, the pgbench comparison runs, best sells a show out with
# no seat sold twice, and bad options exit 2.
set -u
bin=${SEATLOCK_BIN:-./seatlock}
out=$(mktemp)
trap 'rm -f "$out" "$out.err"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# The number after "key": in the JSON of $out.
num() {
	sed -n "s/.*\"$1\": \(-\{0,1\}[0-9][0-9.]*\).*/\1/p" "$out"
}

# run NAME ARGS...: runs bench, checks exit 0 and the common keys.
run() {
	name=$1
	shift
	echo "-- bench $*"
	if ! "$bin" bench --json --clients 4 "$@" >"$out" 2>"$out.err"; then
		fail "$name: exit $?: $(tail -n 3 "$out.err")"
		return 1
	fi
	for k in bookings_per_s conflicts_per_s errors p50_ms p95_ms p99_ms \
	    max_ms double_bookings; do
		grep -q "\"$k\": " "$out" || fail "$name: no key $k"
	done
	[ "$(num errors)" = 0 ] || fail "$name: errors $(num errors)"
	[ "$(num double_bookings)" = 0 ] ||
		fail "$name: double bookings $(num double_bookings)"
	[ "$(num state_mismatches)" = 0 ] ||
		fail "$name: state mismatches $(num state_mismatches)"
	[ "$(wc -l <"$out")" -eq 1 ] || fail "$name: not one line of JSON"
	echo "   $(num bookings) bookings, $(num conflicts) conflicts," \
	    "p50 $(num p50_ms) ms, p99 $(num p99_ms) ms"
	return 0
}

run spread --scenario spread --seconds 1 &&
	{ [ "$(num bookings)" -gt 0 ] || fail "spread: no bookings"; }
run hot --scenario hot --seconds 1 &&
	{ [ "$(num bookings)" -gt 0 ] || fail "hot: no bookings"; }
run toggle --scenario toggle --seconds 1 &&
	{ [ "$(num cancels)" = "$(num bookings)" ] ||
		fail "toggle: $(num cancels) cancels of $(num bookings)"; }
run multi --scenario multi --seconds 1 &&
	{ [ "$(num seats_booked)" -ge $((2 * $(num bookings))) ] ||
		fail "multi: fewer than 2 seats per booking"; }
run flash --scenario flash --seats 200 --seconds 60 &&
	{ [ "$(num bookings)" = 200 ] && [ "$(num active_bookings)" = 200 ] ||
		fail "flash: $(num bookings) bookings," \
		    "$(num active_bookings) active, not 200"; }
run listen --scenario listen --listeners 4 --notify batched --seconds 1 \
    --rate 200 &&
	{ [ "$(num missed)" = 0 ] && [ "$(num seq_gaps)" = 0 ] &&
	    [ "$(num notified)" -gt 0 ] ||
		fail "listen: $(num notified) heard, $(num missed) missed," \
		    "$(num seq_gaps) gaps"; }
run listen-per-commit --scenario spread --listeners 2 --notify per-commit --cleanup \
    --count 40 &&
	{ [ "$(num missed)" = 0 ] && [ "$(num seq_gaps)" = 0 ] ||
		fail "per-commit listeners: $(num missed) missed," \
		    "$(num seq_gaps) gaps"; }
run pgbench --scenario spread --count 200 --compare-pgbench &&
	{ grep -q '"ratio": ' "$out" && [ "$(num pgbench_failed)" = 0 ] ||
		fail "pgbench: no ratio, or failed transactions"; }

echo "-- bench --scenario stadium --seats 5000"
if "$bin" bench --json --scenario stadium --seats 5000 >"$out" 2>"$out.err"
then
	[ "$(num venue_seats)" = 5000 ] || fail "stadium: $(num venue_seats)"
	grep -q '"load_p50_ms": ' "$out" || fail "stadium: no load time"
else
	fail "stadium: exit $?: $(tail -n 3 "$out.err")"
fi

echo "-- bench --scenario best"
if "$bin" bench --scenario best --clients 8 --seats 300 --seconds 60 \
    --json >"$out" 2>"$out.err"; then
	grep -q '"errors": 0,' "$out" || fail "best: errors"
	grep -q '"double_bookings": 0,' "$out" || fail "best: double bookings"
	grep -q '"state_mismatches": 0,' "$out" || fail "best: states"
	grep -q '"exhausted": true' "$out" || fail "best: not sold out"
	sold=$(sed -n 's/.*"seats_booked": \([0-9]*\).*/\1/p' "$out")
	# 300 seats of the bench venue, no wheelchair places: all sold.
	[ "${sold:-0}" -eq 300 ] || fail "best: $sold seats sold, not 300"
else
	fail "best: exit $?: $(tail -n 3 "$out.err")"
fi

for bad in "--clients 0" "--seconds 0" "--scenario nope" "--notify often" \
    "--count x" "--scenario hot --listeners 3"; do
	# shellcheck disable=SC2086
	"$bin" bench $bad >/dev/null 2>&1
	rc=$?
	[ $rc -eq 2 ] || fail "bench $bad: exit $rc, not 2"
done

[ $fails -eq 0 ] && echo "bench smoke: all scenarios ok"
[ $fails -eq 0 ]
