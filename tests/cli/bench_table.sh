#!/bin/sh
# Issue 18: `make bench` prints one side-by-side table of SeatLock against
# the yardsticks of ../shared/anchors, each row with its ratio.  The
# table-making part (tests/bench/table.awk) on canned JSON lines of a run:
# every row and ratio column is there and the ratios are those of the
# figures; with the anchors absent the table says so, leaves their rows
# unmeasured and judges nothing against them (nothing is made up).  And the
# detection itself (tests/bench/anchors.sh) on a directory with no anchors.
# No database needed.
. "$(dirname "$0")/testlib"

top=$(cd "$(dirname "$0")/../.." && pwd)
awkf="$top/tests/bench/table.awk"

# The runs of one round, as tests/bench/run.sh writes them.
ours() {
	cat <<'J'
{"tag": "spread-8-1", "scenario": "spread", "notify": "batched", "clients": 8, "bookings": 2000, "errors": 0, "bookings_per_s": 4000.0, "conflicts_per_s": 0.0, "p50_ms": 2.000, "p99_ms": 5.000, "max_ms": 9.000, "double_bookings": 0, "first_error": ""}
{"tag": "spread-64-1", "scenario": "spread", "notify": "batched", "clients": 64, "bookings": 2000, "errors": 0, "bookings_per_s": 3000.0, "conflicts_per_s": 0.0, "p50_ms": 20.000, "p99_ms": 50.000, "max_ms": 90.000, "double_bookings": 0, "first_error": ""}
{"tag": "oneshow-1", "scenario": "flash", "notify": "batched", "clients": 64, "bookings": 2000, "errors": 0, "bookings_per_s": 2850.0, "conflicts_per_s": 0.1, "p50_ms": 20.000, "p99_ms": 50.000, "max_ms": 90.000, "double_bookings": 0, "first_error": ""}
{"tag": "hot-1", "scenario": "hot", "notify": "batched", "clients": 64, "bookings": 200, "errors": 0, "bookings_per_s": 100.0, "conflicts_per_s": 900.0, "p50_ms": 10.000, "p99_ms": 25.000, "max_ms": 40.000, "double_bookings": 0, "first_error": ""}
{"tag": "serve-1", "clients": 64, "pool": 16, "rss_peak_kb": 20480, "double_bookings": 0, "created": 9000, "conflicts": 0, "cancels": 0, "errors_4xx": 0, "errors_5xx": 0, "socket_errors": 0, "timeouts": 0, "seconds": 3.000, "requests_per_s": 3000.0, "bookings_per_s": 3000.0, "p50_ms": 20.000, "p99_ms": 40.000, "max_ms": 60.000}
{"tag": "wal-seatlock", "bookings": 4000, "wal_bytes": 13926400}
{"tag": "push", "scenario": "listen", "notify": "batched", "rate": 1500.0, "clients": 64, "listeners": 50, "errors": 0, "bookings_per_s": 1500.0, "p50_ms": 3.000, "p99_ms": 9.000, "max_ms": 12.000, "double_bookings": 0, "missed": 0, "seq_gaps": 0, "notify_p50_ms": 4.000, "notify_p99_ms": 20.000, "first_error": ""}
{"tag": "terminals", "scenario": "terminals", "notify": "batched", "clients": 16, "bookings": 5000, "errors": 0, "bookings_per_s": 1000.0, "p50_ms": 10.000, "p99_ms": 30.000, "max_ms": 50.000, "double_bookings": 0, "first_error": "", "terminals": 1000, "relay": "started", "push_samples": 100000, "push_missed": 0, "push_p50_ms": 20.000, "push_p99_ms": 80.000, "push_max_ms": 90.000, "reloads": 1000, "rereads": 9000, "stale_terminals": 0, "backends": 30, "server_rss_mb": 150.0, "notifier_leader": true}
{"tag": "terminals-restart", "scenario": "terminals", "notify": "batched", "clients": 16, "bookings": 9000, "errors": 0, "bookings_per_s": 900.0, "p50_ms": 10.000, "p99_ms": 30.000, "max_ms": 50.000, "double_bookings": 0, "first_error": "", "terminals": 1000, "relay": "started", "push_samples": 90000, "push_missed": 0, "push_p50_ms": 20.000, "push_p99_ms": 1500.000, "push_max_ms": 1900.000, "reloads": 2000, "rereads": 0, "stale_terminals": 0, "backends": 41, "server_rss_mb": 150.0, "relay_killed": true, "reconnect_max_ms": 1800.0, "reconnect_p50_ms": 1200.0, "notifier_leader": true}
J
}

table() {
	f=$1
	shift
	awk -v nproc=2 -v cpu="Test CPU" -v mem="1.0 GiB" -v pgver=15.0 \
	    -v fsync=on -v sync=on -v sbuf=128MB -v l0="0.10 0.20 0.30" \
	    -v l1="1.00 1.00 1.00" -v took=60 -v date=now -v secs=1 \
	    -v repeat=1 -v clients="8 64" -v listeners=50 -v api_pool=16 \
	    -v wrk_conns=64 -v oneshow_seats=6000 -v seqscans="" \
	    "$@" -f "$awkf" "$f"
}

# With the anchors: the yardsticks' figures and every ratio.
{
	echo '{"tag": "meta", "anchors": "/x/anchors", "minimal": "yes", "seed": "yes", "wrk": "yes"}'
	echo '{"tag": "anchor-8-1", "clients": 8, "tps": 5000.0, "latency_ms": 1.6, "booked": 5000, "seconds": 1}'
	echo '{"tag": "anchor-64-1", "clients": 64, "tps": 6000.0, "latency_ms": 10.6, "booked": 6000, "seconds": 1}'
	echo '{"tag": "wal-minimal", "bookings": 4000, "wal_bytes": 1638400}'
	echo '{"tag": "seed-1", "ok": 1000, "conflicts": 0, "other": 0, "seconds": 1.000, "bookings_per_s": 1000.0, "p50_ms": 60.0, "p99_ms": 90.0, "max_ms": 99.0, "socket_errors": 0, "timeouts": 0}'
	ours
} >"$tmp/with.jsonl"
table "$tmp/with.jsonl" >"$tmp/with.md" 2>"$tmp/err"
check "the table is made (awk exit $?)" [ -s "$tmp/with.md" ]
t="$tmp/with.md"
check "a machine section: nproc, CPU, PostgreSQL, fsync, load" sh -c \
    "grep -q '^| CPUs (nproc) | 2 |' '$t' && grep -q '^| CPU | Test CPU' '$t' &&
     grep -q '^| PostgreSQL | 15.0' '$t' && grep -q '^| fsync' '$t' &&
     grep -q '^| load average' '$t'"
check "the table's header has a yardstick, a ratio and a target column" \
    grep -q '^| workload | figure.* | yardstick | ratio.* | target | |$' "$t"
row() { grep -F -- "$1" "$t" | head -n 1; }
# has PATTERN...: the row of the first matches all the others.
has() {
	r=$(row "$1")
	[ -n "$r" ] || return 1
	shift
	for p in "$@"; do
		printf '%s\n' "$r" | grep -qF -- "$p" || return 1
	done
}
check "minimal booking at 8 clients: 5000/s, the yardstick" \
    has "minimal booking (pgbench" "8 clients | 5000/s" "yardstick"
check "minimal booking at 64 clients" has "64 clients | 6000/s" "yardstick"
check "the seed design: 1000/s, the yardstick" \
    has "the seed design over HTTP (" "| 1000/s |" "yardstick"
check "spread at 8 clients: 0.80x the minimal booking, met, moonshot met" \
    has "spread --notify batched\`, 8 clients" "4000/s" \
    "minimal booking, 8 clients | 0.80x" ">= 0.5x" "**met** (moonshot met)"
check "spread at 64 clients: 0.50x, met, no moonshot" \
    has "spread --notify batched\`, 64 clients" "3000/s" "0.50x" "**met** |"
check "one show: 0.95x the spread figure at 64 clients, met" \
    has "one show:" "2850/s" "\`spread\`, 64 clients | 0.95x" ">= 0.9x" \
    "**met**"
check "hot seats: p99/p50 2.5x, no error, met" \
    has "hot seats:" "errors 0" "2.5x" "p99 <= 3x p50" "**met**"
check "serve against the seed design: 3.00x, met" \
    has "\`seatlock serve\` (pool 16" "3000/s" \
    "the seed design over HTTP | 3.00x" ">= 2x" "**met**"
check "serve against spread at 64 clients: 1.00x, met" \
    has "| the same |" "\`spread\`, 64 clients | 1.00x" ">= 0.9x" "**met**"
check "push: p99 20.0 ms, met" has "push: commit to screen" "p99 20.0 ms" \
    "<= 25 ms" "**met**"
check "serve's RSS: 20.0 MB, met" has "resident set" "20.0 MB" "< 32 MB" \
    "**met**"
check "WAL per booking: 3.40 kB against 0.40 kB, 8.5x" \
    has "WAL records per single-seat booking" "3.40 kB (minimal booking 0.40 kB)" \
    "| minimal booking | 8.5x |"
check "terminals: push p99 80.0 ms with 1000 terminals, met" \
    has "terminals: \`seatlock bench --scenario terminals --terminals 1000\`" \
    "p99 80.0 ms (p50 20.0 ms; 100000 samples, missed 0" "<= 100 ms" "**met**"
check "terminals: no stale map, met" \
    has "terminals whose map differs" "| 0 |" "**met**"
check "terminals: 30 backends at the peak, <= 50, met" \
    has "client backends at the peak" "| 30 |" "<= 50" "**met**"
check "terminals: the server's memory, 150.0 MB" \
    has "the server's memory at the peak" "150.0 MB"
check "terminals: the relay restarted, all back within 1.8 s, met" \
    has "relay killed 5 s in" "1800.0 ms (median 1200.0 ms)" "<= 2 s" "**met**"
check "every run listed" sh -c "for r in anchor-8-1 anchor-64-1 seed-1 \
    spread-8-1 spread-64-1 oneshow-1 hot-1 serve-1 push terminals \
    terminals-restart; do
	grep -q \"^| \$r |\" '$t' || exit 1; done"

# README.md's short form: the machine in a line, every row with its ratio.
table "$tmp/with.jsonl" -v readme=1 >"$tmp/readme.md"
t="$tmp/readme.md"
check "README form: the machine" grep -q 'one `make bench` (now; 2 CPUs, Test CPU, 1.0 GiB, PostgreSQL 15.0, fsync on; load 0.10 before, 1.00 after' "$t"
check "README form: the minimal booking in one row" \
    grep -qF '| minimal booking, 8 / 64 clients; seed design over HTTP | 5000 / 6000 /s; 1000/s | 1 | (yardstick) |' "$t"
check "README form: rows with ratios and verdicts" sh -c \
    "grep -F '| \`seatlock bench\`, 8 clients | 4000/s | 0.80x of minimal booking, 8 clients | >= 0.5x (moonshot 0.75x) **met** (moonshot met) |' '$t' >/dev/null &&
     grep -F '| \`seatlock serve\`, wrk 64 | 3000/s (errors 0) | 3.00x of the seed design over HTTP; 1.00x of \`spread\`, 64 clients | >= 2x **met**; >= 0.9x **met** |' '$t' >/dev/null &&
     grep -F '| push p99, 50 listeners; \`seatlock serve\` RSS | p99 20.0 ms (p50 4.0 ms; missed 0, gaps 0); 20.0 MB |  | p99 <= 25 ms **met**; < 32 MB **met** |' '$t' >/dev/null"
check "README form: the terminals in one row" \
    grep -qF '| terminals: push p99, 1000 terminals; stale; backends; server memory; relay restarted | p99 80.0 ms (p50 20.0 ms; 100000 samples, missed 0; 1000.0 bookings/s); 0; 30; 150.0 MB; 1800.0 ms (median 1200.0 ms) |  | p99 <= 100 ms **met**; 0 **met**; <= 50 **met**; (no target); <= 2 s **met** |' "$t"
check "README form: 8 rows and the header, short" \
    sh -c "[ \$(grep -c '^|' '$t') -eq 10 ] && [ \$(wc -l <'$t') -le 18 ]"

# A target missed says so, with its ratio.
sed 's/"tps": 5000.0/"tps": 10000.0/' "$tmp/with.jsonl" >"$tmp/miss.jsonl"
table "$tmp/miss.jsonl" >"$tmp/miss.md"
t="$tmp/miss.md"
check "spread at 8 clients at 0.40x: missed" \
    has "spread --notify batched\`, 8 clients" "0.40x" "**missed**"

# The terminals' targets missed, or the run absent: said so.
sed -e 's/"push_p99_ms": 80.000/"push_p99_ms": 150.000/' \
    -e 's/"stale_terminals": 0/"stale_terminals": 2/' \
    -e 's/"backends": 30/"backends": 60/' \
    -e 's/"server_rss_mb": 150.0/"server_rss_mb": -1.0/' \
    -e 's/"reconnect_max_ms": 1800.0/"reconnect_max_ms": 2500.0/' \
    "$tmp/with.jsonl" >"$tmp/term.jsonl"
table "$tmp/term.jsonl" >"$tmp/term.md"
t="$tmp/term.md"
check "terminals: push p99 150 ms: missed" \
    has "terminals: \`seatlock bench" "p99 150.0 ms" "**missed**"
check "terminals: 2 stale maps: missed" \
    has "terminals whose map differs" "| 2 |" "**missed**"
check "terminals: 60 backends: missed" \
    has "client backends at the peak" "| 60 |" "**missed**"
check "terminals: the server's memory unreadable: not measured" \
    has "the server's memory at the peak" "not measured (server not readable here)"
check "terminals: the relay restarted, back within 2.5 s: missed" \
    has "relay killed 5 s in" "2500.0 ms" "**missed**"
sed 's/"reconnect_max_ms": 1800.0/"reconnect_max_ms": -1.0/' \
    "$tmp/with.jsonl" >"$tmp/back.jsonl"
table "$tmp/back.jsonl" >"$tmp/back.md"
t="$tmp/back.md"
check "terminals: a terminal that never came back: missed" \
    has "relay killed 5 s in" "not all came back" "**missed**"
grep -v '"tag": "terminals"' "$tmp/with.jsonl" >"$tmp/noterm.jsonl"
table "$tmp/noterm.jsonl" >"$tmp/noterm.md"
t="$tmp/noterm.md"
check "no terminals run: its rows not measured" \
    has "terminals: \`seatlock bench" "| not measured |" "not measured"

# Without the anchors: said, not faked.
{
	echo '{"tag": "meta", "anchors": "/nowhere/anchors", "minimal": "not found at /nowhere/anchors/pgbench", "seed": "not found at /nowhere/anchors/seed-fastapi", "wrk": "yes"}'
	ours
} >"$tmp/without.jsonl"
table "$tmp/without.jsonl" >"$tmp/without.md"
t="$tmp/without.md"
check "no anchors: the minimal booking is not measured, and why" \
    has "minimal booking (pgbench" "8 clients | not measured: not found at /nowhere/anchors/pgbench"
check "no anchors: the seed design is not measured, and why" \
    has "the seed design over HTTP (" "not measured: not found at /nowhere/anchors/seed-fastapi"
check "no anchors: spread is not judged against a missing yardstick" \
    has "spread --notify batched\`, 8 clients" "4000/s" "| - |" \
    "not judged: no yardstick (not found at /nowhere/anchors/pgbench)"
check "no anchors: no ratio to the minimal booking anywhere" \
    sh -c "! grep -E 'minimal booking, [0-9]+ clients \| [0-9]' '$t'"
check "no anchors: serve is not judged against the seed design" \
    has "\`seatlock serve\` (pool 16" "3000/s" "| - |" "not judged: no yardstick"
check "no anchors: the rows without them are still judged" sh -c \
    "grep -F 'one show:' '$t' | grep -qF '**met**' &&
     grep -F '| the same |' '$t' | grep -qF '1.00x'"
check "no anchors: our WAL per booking, no ratio" \
    has "WAL records per single-seat booking" "| 3.40 kB |" "| - |"
check "no anchors: no run of them listed" \
    sh -c "! grep -Eq '^\| (anchor|seed)-' '$t'"

# A run that failed is listed as failed, and its target not judged.
grep -v '"tag": "serve-1"' "$tmp/with.jsonl" >"$tmp/fail.jsonl"
echo '{"tag": "serve-1", "failed": true, "why": "seatlock serve did not start"}' \
    >>"$tmp/fail.jsonl"
table "$tmp/fail.jsonl" >"$tmp/fail.md"
t="$tmp/fail.md"
check "a failed run: listed with why" \
    grep -qF "| serve-1 | failed: seatlock serve did not start |" "$t"
check "a failed run: its targets not measured" \
    has "\`seatlock serve\` (pool 16" "not measured"

# The detection in run.sh's own code: a directory with no anchors.
(
	ANCHORS="$tmp/no-anchors" jsonl="$tmp/meta.jsonl" log=/dev/null
	API_POOL=16
	: >"$jsonl"
	. "$top/tests/bench/anchors.sh"
	anchors_setup
	anchor_run 8 1
	seed_run 1
)
check "anchors.sh: absent anchors are recorded as absent" \
    grep -qF "\"minimal\": \"not found at $tmp/no-anchors/pgbench\"" \
    "$tmp/meta.jsonl"
check "anchors.sh: the seed design too" \
    grep -qF "\"seed\": \"not found at $tmp/no-anchors/seed-fastapi\"" \
    "$tmp/meta.jsonl"
check "anchors.sh: and nothing is run for them" \
    sh -c "[ \$(wc -l <'$tmp/meta.jsonl') -eq 1 ]"
done_testing
