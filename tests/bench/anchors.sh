# tests/bench/anchors.sh - sourced by tests/bench/run.sh: the yardsticks of
# ANCHORS (../shared/anchors), run on the bench cluster as their README
# says, never changed.  Each run appends one tagged JSON object (emit); an
# anchor that is absent or cannot run is written down as such in the "meta"
# object, and its runs are skipped.
#
# anchors_setup: finds pgbench, the seed design's Python and wrk, makes the
#   anchors' databases (bench_anchor, bench_seed) and starts the seed design.
# anchor_run CLIENTS ROUND: the minimal booking, pgbench -M prepared.
# anchor_wal N: the WAL per booking of the minimal booking at 16 clients,
#   over N transactions (load-independent), as "wal-minimal" (wal_pos and
#   wal_of are run.sh's).
# seed_run ROUND: the seed design under wrk with fa_distinct.lua.
# seed_stop: stops the seed design.

have_anchor=0
have_seed=0
seed_url=""

# seed_python: a Python that has the seed design's Debian packages (the
# Debian one first: a python3 earlier in PATH may lack them).
seed_python() {
	for p in /usr/bin/python3 python3; do
		if "$p" -c 'import fastapi, uvicorn, asyncpg' 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

anchors_setup() {
	pgb_why="" seed_why=""
	pgbench=$(command -v pgbench ||
	    ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)
	if ! [ -f "$ANCHORS/pgbench/schema.sql" ]; then
		pgb_why="not found at $ANCHORS/pgbench"
	elif [ -z "$pgbench" ]; then
		pgb_why="pgbench is not installed"
	elif ! { createdb bench_anchor && psql -q -d bench_anchor \
	    -f "$ANCHORS/pgbench/schema.sql"; } >>"$log" 2>&1; then
		pgb_why="its schema did not load"
	else
		have_anchor=1
	fi
	if ! [ -f "$ANCHORS/seed-fastapi/app.py" ]; then
		seed_why="not found at $ANCHORS/seed-fastapi"
	elif ! command -v wrk >/dev/null; then
		seed_why="wrk is not installed"
	elif ! py=$(seed_python); then
		seed_why="python3-fastapi, python3-uvicorn or python3-asyncpg is missing"
	elif ! { createdb bench_seed && psql -q -d bench_seed \
	    -f "$ANCHORS/seed-fastapi/schema.sql"; } >>"$log" 2>&1; then
		seed_why="its schema did not load"
	else
		seed_start "$py" || seed_why="uvicorn did not start"
	fi
	[ -z "$seed_why" ] && have_seed=1
	printf '{"tag": "meta", "anchors": "%s", "minimal": "%s", "seed": "%s", "wrk": "%s"}\n' \
	    "$ANCHORS" "${pgb_why:-yes}" "${seed_why:-yes}" \
	    "$(command -v wrk >/dev/null && echo yes || echo no)" >>"$jsonl"
}

# seed_start PYTHON: uvicorn with one worker on a free loopback port, a pool
# of API_POOL, on the bench cluster's socket; waits until it answers.
seed_start() {
	port=$("$1" -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') || return 1
	# No bytecode written into the anchors' directory.
	PYTHONDONTWRITEBYTECODE=1 POOL_SIZE=$API_POOL \
	SEATLOCK_DSN="postgresql://$PGUSER@/bench_seed?host=$PGHOST&port=$PGPORT" \
	    "$1" -m uvicorn --app-dir "$ANCHORS/seed-fastapi" app:app \
	    --host 127.0.0.1 --port "$port" --workers 1 --log-level warning \
	    >>"$log" 2>&1 &
	upid=$!
	seed_url="http://127.0.0.1:$port"
	n=0
	while [ $n -lt 300 ]; do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$seed_url/shows")
		[ "$code" = 200 ] && return 0
		kill -0 "$upid" 2>/dev/null || return 1
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

seed_stop() {
	[ -n "$upid" ] || return 0
	kill -TERM "$upid" 2>/dev/null
	wait "$upid" 2>/dev/null
	upid=""
}

anchor_run() {
	[ "$have_anchor" = 1 ] || return 0
	echo "bench: anchor-$1-$2: pgbench -c $1 (the minimal booking)" >&2
	psql -q -d bench_anchor -c 'TRUNCATE bookings' >>"$log" 2>&1
	out=$(timeout $((SECS + 60)) "$pgbench" -n -c "$1" -j 2 -T "$SECS" \
	    -M prepared -f "$ANCHORS/pgbench/book_spread_1rt_nonotify.sql" \
	    bench_anchor 2>>"$log")
	tps=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' |
	    head -n 1)
	lat=$(printf '%s\n' "$out" |
	    sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p')
	if [ -z "$tps" ]; then
		failed "anchor-$1-$2" "pgbench printed no tps"
		return 0
	fi
	booked=$(psql -Atc 'SELECT count(*) FROM bookings' bench_anchor)
	emit "anchor-$1-$2" "{\"clients\": $1, \"tps\": $tps, \"latency_ms\": ${lat:-0}, \"booked\": ${booked:-0}, \"seconds\": $SECS}"
}

anchor_wal() {
	[ "$have_anchor" = 1 ] || return 0
	psql -q -d bench_anchor -c 'TRUNCATE bookings' >>"$log" 2>&1
	w0=$(wal_pos)
	timeout 120 "$pgbench" -n -c 16 -j 2 -t $(($1 / 16)) -M prepared \
	    -f "$ANCHORS/pgbench/book_spread_1rt_nonotify.sql" bench_anchor \
	    >/dev/null 2>>"$log" || { failed wal-minimal "pgbench"; return 0; }
	set -- $(wal_of "$w0" "$(wal_pos)")
	booked=$(psql -Atc 'SELECT count(*) FROM bookings' bench_anchor)
	emit wal-minimal "{\"bookings\": ${booked:-0}, \"wal_bytes\": $1, \"wal_fpi_bytes\": $2, \"walinspect\": $walinspect}"
}

seed_run() {
	[ "$have_seed" = 1 ] || return 0
	echo "bench: seed-$1: wrk -c$WRK_CONNS the seed design" >&2
	psql -q -d bench_seed -c "DELETE FROM bookings WHERE status = 'active'" \
	    >>"$log" 2>&1
	out=$(WRK_DIR="$ANCHORS/seed-fastapi" timeout $((SECS + 60)) \
	    wrk -t2 -c"$WRK_CONNS" -d"${SECS}s" --timeout 10s \
	    -s "$ANCHORS/seed-fastapi/fa_distinct.lua" "$seed_url" -- 2 \
	    2>>"$log")
	line=$(printf '%s\n' "$out" | awk '
	function unit(s) {
		if (s ~ /ms$/) return substr(s, 1, length(s) - 2) / 1000
		if (s ~ /m$/) return substr(s, 1, length(s) - 1) * 60
		if (s ~ /s$/) return substr(s, 1, length(s) - 1) + 0
		return s + 0
	}
	/requests in/ { s = $4; sub(/,$/, "", s); secs = unit(s) }
	/^STATUS / {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); st[kv[1]] = kv[2] }
	}
	/^PCT / {
		for (i = 2; i <= NF; i++) {
			split($i, kv, "="); gsub(/ms/, "", kv[2]); pct[kv[1]] = kv[2]
		}
		n = split(pct["errors(connect/read/write/status/timeout)"], e, "/")
		for (i = 1; i <= 3; i++) sock += e[i]
		tmo = e[5]
	}
	END {
		if (secs <= 0 || st["ok"] == "") exit 1
		printf "{\"ok\": %d, \"conflicts\": %d, \"other\": %d, " \
		    "\"seconds\": %.3f, \"bookings_per_s\": %.1f, " \
		    "\"p50_ms\": %s, \"p99_ms\": %s, \"max_ms\": %s, " \
		    "\"socket_errors\": %d, \"timeouts\": %d}\n", st["ok"],
		    st["conflict"], st["other"], secs, st["ok"] / secs,
		    pct["p50"], pct["p99"], pct["max"], sock, tmo
	}') || { failed "seed-$1" "wrk printed no STATUS"; return 0; }
	emit "seed-$1" "$line"
}
