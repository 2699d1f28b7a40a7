#!/bin/sh
# make bench: the standard set of `seatlock bench` runs against a private
# PostgreSQL cluster ("bench", destroyed at the end), written as a markdown
# table to tests/bench/results.md (the raw JSON lines beside it, in
# tests/bench/results.jsonl; the query plans in tests/bench/plans.txt).
#
# Figures on a shared machine are noisy: every target is a ratio measured
# within one run, each ratio is measured REPEAT times (default 3), and the
# table gives the median and the range.
#
# The booking path is also measured against a baseline commit, in turn
# with it (tests/bench/base.sh: BENCH_BASE, ROUNDS).
#
# Environment: REPEAT (3), SECONDS_RUN (5: length of each timed run),
# CLIENTS (64: the concurrency of the comparisons), LISTENERS (50),
# API_POOL (16: `seatlock serve`'s database pool, and the clients of the
# `seatlock bench` runs it is compared with), WRK_CONNS (64: wrk's HTTP
# connections).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
REPEAT=${REPEAT:-3}
SECS=${SECONDS_RUN:-5}
CLIENTS=${CLIENTS:-64}
LISTENERS=${LISTENERS:-50}
API_POOL=${API_POOL:-16}
WRK_CONNS=${WRK_CONNS:-64}
dir=tests/bench
jsonl=$dir/results.jsonl
md=$dir/results.md
plans=$dir/plans.txt
log=build/bench.log
bin=$top/seatlock

trap '.ci/pgcluster.sh destroy bench' EXIT INT TERM
if ! envs=$(.ci/pgcluster.sh start bench); then
	echo "bench: could not start the private PostgreSQL cluster" >&2
	exit 1
fi
eval "$envs"
unset SEATLOCK_DSN SEATLOCK_CONFIG PGOPTIONS
export HOME="$top/build/bench-home"
mkdir -p "$HOME" build
"$bin" db migrate >/dev/null || { echo "bench: migrate failed" >&2; exit 1; }
: >"$jsonl"
: >"$log"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)

# bench TAG ARGS...: one run; its JSON line, tagged, goes to results.jsonl.
bench() {
	tag=$1
	shift
	echo "bench: $tag: seatlock bench $*" >&2
	if line=$("$bin" bench --json "$@" 2>>"$log"); then
		# printf, not echo: the JSON holds backslashes.
		printf '{"tag": "%s", %s\n' "$tag" "${line#?}" >>"$jsonl"
	else
		echo "bench: $tag failed (see $log)" >&2
		echo "{\"tag\": \"$tag\", \"failed\": true}" >>"$jsonl"
	fi
}

i=1
while [ "$i" -le "$REPEAT" ]; do
	# Target 1: our clients against pgbench running the same function at
	# the same concurrency, in both push modes (pgbench's sessions get the
	# same mode through PGOPTIONS; the batched notifier runs for both).
	bench "pgbench-batched-$i" --scenario spread --clients "$CLIENTS" \
	    --seconds "$SECS" --notify batched --compare-pgbench --seed "$i"
	bench "pgbench-percommit-$i" --scenario spread --clients "$CLIENTS" \
	    --seconds "$SECS" --notify per-commit --compare-pgbench --seed "$i"
	# Target 2: the same bookings with no push, and with batched push
	# heard by the listeners; per-commit push with listeners for the
	# table.
	bench "nopush-$i" --scenario spread --clients "$CLIENTS" \
	    --seconds "$SECS" --notify off --seed "$i"
	bench "batched-listen-$i" --scenario listen --clients "$CLIENTS" \
	    --listeners "$LISTENERS" --seconds "$SECS" --notify batched \
	    --seed "$i"
	# The latency of the push at half the capacity just measured (a
	# saturated machine measures its run queue, not the push).
	rate=$(grep "\"tag\": \"nopush-$i\"" "$jsonl" | sed -n \
	    's/.*"bookings_per_s": \([0-9.]*\).*/\1/p' |
	    awk '{ r = $1 / 2; print r < 10 ? 10 : r }')
	bench "batched-paced-$i" --scenario listen --clients "$CLIENTS" \
	    --listeners "$LISTENERS" --seconds "$SECS" --notify batched \
	    --rate "${rate:-100}" --seed "$i"
	i=$((i + 1))
done
bench "percommit-listen" --scenario listen --clients "$CLIENTS" \
    --listeners "$LISTENERS" --seconds "$SECS" --notify per-commit
bench "percommit-paced" --scenario listen --clients "$CLIENTS" \
    --listeners "$LISTENERS" --seconds "$SECS" --notify per-commit \
    --rate "${rate:-100}"
# Targets 3 and 5, and the other scenarios.
for mode in batched per-commit; do
	bench "hot-$mode" --scenario hot --clients 64 --seconds "$SECS" \
	    --notify "$mode"
	bench "toggle-$mode" --scenario toggle --clients 64 --seconds "$SECS" \
	    --notify "$mode"
done
# The same 64 clients through a pool of 16 connections served in turn:
# the shape of box offices behind PgBouncer or of the API's workers.
bench "hot-pooled" --scenario hot --clients 64 --pool 16 --seconds "$SECS" \
    --notify batched
bench "toggle-pooled" --scenario toggle --clients 64 --pool 16 \
    --seconds "$SECS" --notify batched
bench "flash-batched" --scenario flash --clients 64 --seats 2000 \
    --seconds 120 --notify batched
bench "flash-percommit" --scenario flash --clients 64 --seats 2000 \
    --seconds 120 --notify per-commit
bench "multi-batched" --scenario multi --clients 16 --seconds "$SECS" \
    --notify batched
bench "best-batched" --scenario best --clients 64 --seats 2000 \
    --seconds 120 --notify batched
# The HTTP API (issue 7): wrk against `seatlock serve` booking distinct
# seats and racing for hot ones, and the same bookings through `seatlock
# bench` with as many database connections as the server's pool.
api_bench() {
	command -v wrk >/dev/null || {
		echo "bench: wrk is not installed: no HTTP figures" >&2
		return 0
	}
	a=build/bench-api
	rm -rf "$a"
	mkdir -p "$a"
	printf 'api = { pool_size = %d; max_connections = 1024; };\n' \
	    "$API_POOL" >"$a/conf"
	printf 'notify = { mode = "batched"; };\n' >>"$a/conf"
	chmod 600 "$a/conf"
	# 24 rows of 400: more seats than the server sells in a run.
	awk -v name="bench api $$ $(date +%s)" 'BEGIN {
		printf "venue = { name = \"%s\"; sections = ( { name = " \
		    "\"Main\"; rows = (", name
		L = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		for (r = 1; r <= 24; r++)
			printf("%s{ row = \"%s\"; seats = \"1-400\"; }",
			    (r > 1 ? ", " : ""), substr(L, r, 1))
		printf "); } ); };\n"
	}' >"$a/venue"
	venue=$("$bin" venue import "$a/venue") || return 1
	user=$("$bin" user register --name "Bench API" \
	    --email "bench-api-$$@bench.invalid") || return 1
	# Eight shows, as `seatlock bench` spreads its bookings over shows of
	# 1,000 seats: the bookings of one show queue on the show's row.
	spread_shows=""
	for d in 1 2 3 4 5 6 7 8; do
		s=$("$bin" show add --venue "$venue" --title "bench api" \
		    --starts "2100-01-0$d 20:00") || return 1
		spread_shows="$spread_shows${spread_shows:+,}$s"
	done
	show_hot=$("$bin" show add --venue "$venue" --title "bench api hot" \
	    --starts "2100-01-09 20:00") || return 1
	psql -Atc "SELECT h.show_id || ' ' || s.label FROM seat s,
	    unnest('{$spread_shows}'::bigint[]) h(show_id)
	    WHERE s.venue_id = $venue ORDER BY md5(h.show_id || s.label)" \
	    >"$a/labels"
	"$bin" --config "$a/conf" notifier >/dev/null 2>>"$log" &
	npid=$!
	"$bin" --config "$a/conf" serve --listen 127.0.0.1:0 \
	    >"$a/addr" 2>"$a/access.log" &
	spid=$!
	n=0
	while ! [ -s "$a/addr" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	url="http://$(head -n 1 "$a/addr")"
	echo "bench: api: seatlock serve at $url (pool $API_POOL)" >&2
	# wrk_run TAG SCRIPT SHOWS: one wrk run; its JSON line, tagged, with
	# the double bookings of the shows (ids, comma-separated) found
	# afterwards.
	wrk_run() {
		echo "bench: $1: wrk -t2 -c$WRK_CONNS -d${SECS}s $2" >&2
		out=$(BENCH_LUA="$top/$dir" LABELS="$a/labels" SHOW=$3 \
		    SL_USER=$user NSEATS=8 WRK_THREADS=2 timeout $((SECS + 60)) \
		    wrk -t2 -c"$WRK_CONNS" -d"${SECS}s" --timeout 10s \
		    -s "$top/$dir/$2" "$url" 2>>"$log" | grep '^{"created"')
		dbl=$(psql -Atc "SELECT count(*) FROM (SELECT seat_id FROM
		    booking WHERE show_id IN ($3) AND status = 'active'
		    GROUP BY show_id, seat_id HAVING count(*) > 1) d")
		if [ -n "$out" ]; then
			printf '{"tag": "%s", "clients": %d, "pool": %d, "double_bookings": %s, %s\n' \
			    "$1" "$WRK_CONNS" "$API_POOL" "${dbl:-?}" \
			    "${out#?}" >>"$jsonl"
		else
			echo "bench: $1 failed (see $log)" >&2
			echo "{\"tag\": \"$1\", \"failed\": true}" >>"$jsonl"
		fi
	}
	if [ -s "$a/addr" ]; then
		wrk_run api-wrk-spread api_spread.lua "$spread_shows"
		wrk_run api-wrk-hot api_hot.lua "$show_hot"
	else
		echo "bench: seatlock serve did not start (see $a/access.log)" >&2
	fi
	kill -TERM "$spid" 2>/dev/null
	wait "$spid"
	kill -TERM "$npid" 2>/dev/null
	wait "$npid"
	bench api-bench-spread --scenario spread --clients "$API_POOL" \
	    --seconds "$SECS" --notify batched
	bench api-bench-hot --scenario hot --clients "$API_POOL" --seats 8 \
	    --seconds "$SECS" --notify batched
}
api_bench
# Target 4: the 100,000-seat stadium.
bench "stadium" --scenario stadium --seats 100000
# Target 4 in the box office itself: the real TUI on the stadium, in tmux,
# its memory, and its drawing under callgrind.
if command -v tmux >/dev/null; then
	echo "bench: tui-stadium: seatlock tui on 100,000 seats" >&2
	if line=$(sh "$dir/tui_stadium.sh" "$bin" build/bench-tui 2>>"$log"); then
		printf '%s\n' "$line" >>"$jsonl"
	else
		echo "bench: tui-stadium failed (see $log)" >&2
		echo '{"tag": "tui-stadium", "failed": true}' >>"$jsonl"
	fi
fi
# The booking path against a baseline commit (tests/bench/base.sh).
sh "$dir/base.sh" "$bin" >"$dir/base.md" 2>>"$log" ||
	echo "bench: the baseline comparison failed (see $log)" >&2
# The plans of the hot statements, after all that load.
"$bin" bench --scenario explain --notify batched >"$plans" 2>>"$log" ||
	echo "bench: explain failed (see $log)" >&2

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
took=$(($(date +%s) - started))
pgver=$(psql -Atc "SHOW server_version")
fsync=$(psql -Atc "SHOW fsync")
sync=$(psql -Atc "SHOW synchronous_commit")
sbuf=$(psql -Atc "SHOW shared_buffers")
wmem=$(psql -Atc "SHOW work_mem")
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
seqscans=$(sed -n 's/^seq scans *\([0-9]*\).*/\1/p' "$plans")

# The table, from the JSON lines (flat objects: awk is enough).
awk -v repeat="$REPEAT" -v nproc="$(nproc)" -v cpu="$cpu" -v mem="$mem" \
    -v pgver="$pgver" -v fsync="$fsync" -v sync="$sync" -v sbuf="$sbuf" \
    -v wmem="$wmem" -v l0="$load_start" -v l1="$load_end" -v took="$took" \
    -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v secs="$SECS" \
    -v clients="$CLIENTS" -v listeners="$LISTENERS" \
    -v seqscans="${seqscans:-?}" -v api_pool="$API_POOL" \
    -v wrk_conns="$WRK_CONNS" -f "$dir/table.awk" "$jsonl" >"$md"
# The baseline section goes before "All runs" (and so into the doc too).
awk -v base="$dir/base.md" '/^## All runs/ { while ((getline l < base) > 0)
	print l } { print }' "$md" >"$md.new" && mv "$md.new" "$md"
echo "bench: wrote $md ($took s)" >&2
# assets/doc/benchmarks.md includes the machine, the targets and the HTTP
# API table of results.md between its bench markers.
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
cat "$md"
