#!/bin/sh
# make bench: SeatLock measured against its yardsticks, side by side, in one
# run on a private PostgreSQL cluster ("bench", destroyed at the end).
#
# The yardsticks (issue 18) are fixed and live outside the project, in
# ANCHORS (default ../shared/anchors beside the repository; README there):
#  - pgbench/: the minimal booking (one round trip, no push) at the client
#    counts of CLIENT_SET, on a database of its own, TRUNCATEd between runs;
#  - seed-fastapi/: the seed design over HTTP (FastAPI + asyncpg, uvicorn
#    with one worker, POOL_SIZE=16) under wrk -c64 with its fa_distinct.lua,
#    its active bookings deleted between runs.
# Against them, in turn with them within every round: `seatlock bench
# --scenario spread --notify batched` at each client count, one show
# (`--scenario flash` on a show bigger than a run sells), hot seats (64
# clients on 8 seats), and `seatlock serve` under wrk (api_spread.lua,
# distinct seats, a pool of API_POOL, no token, loopback); then the push
# latency with LISTENERS listeners and serve's peak RSS; then TERMINALS
# simulated box offices (--scenario terminals) while 16 clients sell.  Each ratio is taken
# within a round and shown as median (min-max) over the REPEAT rounds.  When
# the anchors are absent, the table says so and skips their rows: nothing is
# made up.
#
# Writes tests/bench/results.jsonl (one tagged JSON object per run),
# tests/bench/results.md (tests/bench/table.awk), the parts of
# assets/doc/benchmarks.md and README.md between their bench markers, and
# the plans of the hot statements (plans.txt).
#
# Environment: ANCHORS, REPEAT (3 rounds), SECONDS_RUN (5 s a run),
# CLIENT_SET ("8 16 64"), LISTENERS (50), API_POOL (16), WRK_CONNS (64),
# TERMINALS (1000: the box offices of --scenario terminals),
# EXTRAS (1: also the sell-out check, the stadium through the core and in
# the box office, tests/bench/tui_stadium.sh, and the plans; 0: not),
# BENCH_BASE (a commit: also compare with it, tests/bench/base.sh).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
ANCHORS=${ANCHORS:-$top/../shared/anchors}
export ANCHORS
REPEAT=${REPEAT:-3}
SECS=${SECONDS_RUN:-5}
CLIENT_SET=${CLIENT_SET:-8 16 64}
LISTENERS=${LISTENERS:-50}
API_POOL=${API_POOL:-16}
WRK_CONNS=${WRK_CONNS:-64}
TERMINALS=${TERMINALS:-1000}
EXTRAS=${EXTRAS:-1}
dir=tests/bench
jsonl=$dir/results.jsonl
md=$dir/results.md
plans=$dir/plans.txt
log=build/bench.log
work=build/bench-work
bin=$top/seatlock
top_c=$(echo "$CLIENT_SET" | awk '{ print $NF }')

spid="" npid="" upid=""
cleanup() {
	for p in $spid $npid $upid; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	.ci/pgcluster.sh destroy bench
}
trap cleanup EXIT
trap 'exit 1' INT TERM
if ! envs=$(.ci/pgcluster.sh start bench); then
	echo "bench: could not start the private PostgreSQL cluster" >&2
	exit 1
fi
eval "$envs"
unset SEATLOCK_DSN SEATLOCK_CONFIG PGOPTIONS
export HOME="$top/build/bench-home"
rm -rf "$work"
mkdir -p "$HOME" "$work" build
"$bin" db migrate >/dev/null || { echo "bench: migrate failed" >&2; exit 1; }
: >"$jsonl"
: >"$log"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

. "$top/$dir/anchors.sh"
. "$top/$dir/serve.sh"

# emit TAG JSON: appends a JSON object ("{...}"), tagged, to results.jsonl
# (printf, not echo: the JSON holds backslashes).
emit() {
	printf '{"tag": "%s", %s\n' "$1" "${2#?}" >>"$jsonl"
}

failed() {
	echo "bench: $1 failed${2:+: $2} (see $log)" >&2
	printf '{"tag": "%s", "failed": true, "why": "%s"}\n' "$1" "${2:-}" \
	    >>"$jsonl"
}

# bench TAG ARGS...: one `seatlock bench` run.
bench() {
	tag=$1
	shift
	echo "bench: $tag: seatlock bench $*" >&2
	if line=$(timeout $((SECS + 120)) "$bin" bench --json "$@" 2>>"$log")
	then
		emit "$tag" "$line"
	else
		failed "$tag"
	fi
}

# WAL: wal_pos prints the cluster's flushed WAL position; wal_of FROM TO
# the bytes of WAL records and of full-page images between two (pg_walinspect,
# in a database of its own; full-page images follow checkpoints, not the
# work, so the table counts the records; without pg_walinspect all of it as
# records).
psql -q -c 'CREATE DATABASE bench_wal' >>"$log" 2>&1 &&
    psql -q -d bench_wal -c 'CREATE EXTENSION pg_walinspect' >>"$log" 2>&1 &&
    walinspect=1 || walinspect=0
wal_pos() {
	psql -Atc 'SELECT pg_current_wal_flush_lsn()'
}
wal_of() {
	if [ "$walinspect" = 1 ]; then
		psql -d bench_wal -At -F ' ' -c "SELECT
		    coalesce(sum(record_size), 0)::bigint,
		    coalesce(sum(fpi_size), 0)::bigint
		    FROM pg_get_wal_stats('$1', '$2')"
	else
		echo "$(psql -Atc "SELECT pg_wal_lsn_diff('$2', '$1')::bigint") 0"
	fi
}

# wal_spread N: the WAL per booking of `seatlock bench --scenario spread`
# at 16 clients, load-independent: a run of N + 1 bookings less a run of 1
# on as many seats (the set-up of the venue and shows cancels out), as the
# JSON "wal-seatlock" (wal_bytes: records, wal_fpi_bytes: page images).
wal_spread() {
	w=""
	for n in 1 $(($1 + 1)); do
		w0=$(wal_pos)
		"$bin" bench --json --scenario spread --clients 16 --count "$n" \
		    --seats $(($1 + 1000)) --notify batched >/dev/null \
		    2>>"$log" || { failed wal-seatlock "a run failed"; return; }
		w="$w $(wal_of "$w0" "$(wal_pos)")"
	done
	set -- $1 $w
	emit wal-seatlock "{\"bookings\": $1, \"wal_bytes\": $(($4 - $2)), \"wal_fpi_bytes\": $(($5 - $3)), \"walinspect\": $walinspect}"
}

seqscans=""
# The seats of a run: more than it sells (spread's default, 3,000 a second,
# would run out at the rate of the targets), on shows of 1,000 (spread) or
# on one show (flash, at most 200,000).
spread_seats=$((SECS * 10000))
oneshow_seats=$((SECS * 10000))
[ "$oneshow_seats" -gt 200000 ] && oneshow_seats=200000
[ "$oneshow_seats" -lt 2000 ] && oneshow_seats=2000

# ours anchors|ours: the client counts of round $r, the minimal booking
# before ours (anchors) or after it (ours).
ours() {
	for c in $CLIENT_SET; do
		[ "$1" = anchors ] && anchor_run "$c" "$r"
		bench "spread-$c-$r" --scenario spread --clients "$c" \
		    --seconds "$SECS" --seats "$spread_seats" \
		    --notify batched --seed "$r"
		[ "$1" = ours ] && anchor_run "$c" "$r"
	done
}

anchors_setup
serve_setup
for r in $(seq 1 "$REPEAT"); do
	echo "bench: round $r of $REPEAT" >&2
	# In turn: the yardstick first in odd rounds, ours first in even ones.
	if [ $((r % 2)) -eq 1 ]; then
		ours anchors
		seed_run "$r"
		serve_run "$r"
	else
		ours ours
		serve_run "$r"
		seed_run "$r"
	fi
	bench "oneshow-$r" --scenario flash --clients "$top_c" \
	    --seats "$oneshow_seats" --seconds "$SECS" --notify batched \
	    --seed "$r"
	bench "hot-$r" --scenario hot --clients 64 --seats 8 \
	    --seconds "$SECS" --notify batched --seed "$r"
done
seed_stop
# WAL per booking, 16 clients: the minimal booking and ours.
echo "bench: WAL per booking, 16 clients" >&2
anchor_wal 4000
wal_spread 4000
# Push: commit to screen with the listeners, paced at half the capacity
# just measured at the top client count (a saturated machine measures its
# run queue, not the push).
rate=$(grep "\"tag\": \"spread-$top_c-" "$jsonl" | sed -n \
    's/.*"bookings_per_s": \([0-9.]*\).*/\1/p' | sort -n |
    awk '{ a[NR] = $1 } END { r = NR ? a[int((NR + 1) / 2)] / 2 : 100
	print r < 10 ? 10 : r }')
bench "push" --scenario listen --clients "$top_c" --listeners "$LISTENERS" \
    --seconds "$SECS" --notify batched --rate "$rate"
# Issue 19: TERMINALS box offices on one database while 16 clients sell
# (target 1's bookings), through a relay of the bench's own: the socket of
# a configuration of this run only, where no relay answers (a relay found
# elsewhere could serve another database).
printf 'notify = { relay_socket = "%s"; };\n' "$top/$work/no-relay.sock" \
    >"$work/terminals.conf"
chmod 600 "$work/terminals.conf"
(
	SEATLOCK_CONFIG=$top/$work/terminals.conf
	export SEATLOCK_CONFIG
	bench "terminals" --scenario terminals --terminals "$TERMINALS" \
	    --clients 16 --seconds "$SECS" --notify batched
	# The same with the relay killed 5 s in (its outage would be most of
	# the other run's push p99): every terminal back within.
	bench "terminals-restart" --scenario terminals --terminals \
	    "$TERMINALS" --clients 16 --seconds 10 --notify batched \
	    --kill-relay-at 5
)

if [ "$EXTRAS" = 1 ]; then
	# The guarantees and the map, as before issue 18 (not targets of it).
	bench "flash-2000" --scenario flash --clients 64 --seats 2000 \
	    --seconds 120 --notify batched
	bench "stadium" --scenario stadium --seats 100000
	if command -v tmux >/dev/null; then
		echo "bench: tui-stadium: seatlock tui on 100,000 seats" >&2
		if line=$(sh "$dir/tui_stadium.sh" "$bin" "$work/tui" \
		    2>>"$log"); then
			printf '%s\n' "$line" >>"$jsonl"
		else
			failed tui-stadium
		fi
	fi
	if "$bin" bench --scenario explain --notify batched >"$plans.new" \
	    2>>"$log"; then
		mv "$plans.new" "$plans"
		seqscans=$(sed -n 's/^seq scans *\([0-9]*\).*/\1/p' "$plans")
	else
		rm -f "$plans.new"
		echo "bench: explain failed (see $log)" >&2
	fi
fi
base_md=""
if [ -n "${BENCH_BASE:-}" ]; then
	base_md=$work/base.md
	sh "$dir/base.sh" "$bin" >"$base_md" 2>>"$log" ||
	    echo "bench: the baseline comparison failed (see $log)" >&2
fi

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
took=$(($(date +%s) - started))
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
table() {
	awk -v nproc="$(nproc)" -v cpu="$cpu" -v mem="$mem" \
	    -v pgver="$(psql -Atc 'SHOW server_version')" \
	    -v fsync="$(psql -Atc 'SHOW fsync')" \
	    -v sync="$(psql -Atc 'SHOW synchronous_commit')" \
	    -v sbuf="$(psql -Atc 'SHOW shared_buffers')" \
	    -v l0="$load_start" -v l1="$load_end" -v took="$took" \
	    -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v secs="$SECS" \
	    -v repeat="$REPEAT" -v clients="$CLIENT_SET" \
	    -v listeners="$LISTENERS" -v api_pool="$API_POOL" \
	    -v wrk_conns="$WRK_CONNS" -v oneshow_seats="$oneshow_seats" \
	    -v seqscans="${seqscans:-}" "$@" -f "$dir/table.awk" "$jsonl"
}
table >"$md"
table -v readme=1 >"$work/readme.md"
if [ -n "$base_md" ] && [ -s "$base_md" ]; then
	cat "$base_md" >>"$md"
fi
echo "bench: wrote $md ($took s)" >&2
# assets/doc/benchmarks.md takes the machine and the table of results.md
# between its bench markers.
doc=assets/doc/benchmarks.md
if grep -q '^<!-- bench:begin' "$doc" && grep -q '^<!-- bench:end' "$doc"
then
	awk -v md="$md" '
	/^<!-- bench:begin/ {
		print
		while ((getline l < md) > 0) {
			if (l ~ /^## Machine/)
				on = 1
			if (l ~ /^## All runs/)
				break
			if (on) {
				sub(/^## /, "#### ", l)
				print l
			}
		}
		skip = 1
		next
	}
	/^<!-- bench:end/ { skip = 0 }
	!skip' "$doc" >"$doc.new" && mv "$doc.new" "$doc" &&
	    echo "bench: $doc updated" >&2
fi
# README.md shows the short form between its markers.
if grep -q '^<!-- bench:readme:begin' README.md &&
    grep -q '^<!-- bench:readme:end' README.md; then
	awk -v part="$work/readme.md" '
	/^<!-- bench:readme:begin/ {
		print
		while ((getline l < part) > 0)
			print l
		skip = 1
		next
	}
	/^<!-- bench:readme:end/ { skip = 0 }
	!skip' README.md >README.md.new && mv README.md.new README.md &&
	    echo "bench: README.md updated" >&2
fi
cat "$md"
