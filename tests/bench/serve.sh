# tests/bench/serve.sh - sourced by tests/bench/run.sh: `seatlock serve`
# under wrk, as outside scripts drive it (`seatlock serve --listen
# 127.0.0.1:0`, its address on its first line; no token on loopback).
#
# serve_setup: the server's configuration (a pool of API_POOL, batched
#   push), a venue of 24 rows of 400 and a customer.
# serve_run ROUND: eight fresh shows (the distinct seats of api_spread.lua,
#   more than a run sells), a notifier and the server started, wrk with
#   WRK_CONNS connections, the server's peak resident set (VmHWM) read
#   before it stops, and the double bookings of the shows counted.

have_serve=0

serve_setup() {
	if ! command -v wrk >/dev/null; then
		echo "bench: wrk is not installed: no HTTP figures" >&2
		return 0
	fi
	a=$work/serve
	mkdir -p "$a"
	printf 'api = { pool_size = %d; max_connections = 1024; };\n' \
	    "$API_POOL" >"$a/conf"
	printf 'notify = { mode = "batched"; };\n' >>"$a/conf"
	chmod 600 "$a/conf"
	awk -v name="bench api $$ $(date +%s)" 'BEGIN {
		printf "venue = { name = \"%s\"; sections = ( { name = " \
		    "\"Main\"; rows = (", name
		L = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		for (r = 1; r <= 24; r++)
			printf("%s{ row = \"%s\"; seats = \"1-400\"; }",
			    (r > 1 ? ", " : ""), substr(L, r, 1))
		printf "); } ); };\n"
	}' >"$a/venue"
	serve_venue=$("$bin" venue import "$a/venue" 2>>"$log") &&
	    serve_user=$("$bin" user register --name "Bench API" \
	    --email "bench-api-$$@bench.invalid" 2>>"$log") &&
	    have_serve=1
}

# serve_stop: stops the server and the notifier of a round.
serve_stop() {
	for p in $spid $npid; do
		kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	spid="" npid=""
}

serve_run() {
	[ "$have_serve" = 1 ] || { failed "serve-$1" "wrk or the setup"; return 0; }
	shows=""
	for d in 1 2 3 4 5 6 7 8; do
		s=$("$bin" show add --venue "$serve_venue" --title "bench api" \
		    --starts "$(printf '2100-%02d-%02d 20:00' "$d" "$1")" \
		    2>>"$log") ||
		    { failed "serve-$1" "show add"; return 0; }
		shows="$shows${shows:+,}$s"
	done
	psql -Atc "SELECT h.show_id || ' ' || s.label FROM seat s,
	    unnest('{$shows}'::bigint[]) h(show_id)
	    WHERE s.venue_id = $serve_venue ORDER BY md5(h.show_id || s.label)" \
	    >"$a/labels"
	"$bin" --config "$a/conf" notifier >/dev/null 2>>"$log" &
	npid=$!
	: >"$a/addr"
	"$bin" --config "$a/conf" serve --listen 127.0.0.1:0 \
	    >"$a/addr" 2>"$a/access.log" &
	spid=$!
	n=0
	while ! [ -s "$a/addr" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if ! [ -s "$a/addr" ]; then
		serve_stop
		failed "serve-$1" "seatlock serve did not start"
		return 0
	fi
	url="http://$(head -n 1 "$a/addr")"
	echo "bench: serve-$1: wrk -c$WRK_CONNS $url (pool $API_POOL)" >&2
	out=$(BENCH_LUA="$top/$dir" LABELS="$a/labels" SL_USER=$serve_user \
	    WRK_THREADS=2 timeout $((SECS + 60)) wrk -t2 -c"$WRK_CONNS" \
	    -d"${SECS}s" --timeout 10s -s "$top/$dir/api_spread.lua" "$url" \
	    2>>"$log" | grep '^{"created"')
	rss=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' \
	    "/proc/$spid/status" 2>/dev/null)
	serve_stop
	dbl=$(psql -Atc "SELECT count(*) FROM (SELECT seat_id FROM booking
	    WHERE show_id IN ($shows) AND status = 'active'
	    GROUP BY show_id, seat_id HAVING count(*) > 1) d")
	if [ -z "$out" ]; then
		failed "serve-$1" "wrk printed no figures"
		return 0
	fi
	emit "serve-$1" "{\"clients\": $WRK_CONNS, \"pool\": $API_POOL, \"rss_peak_kb\": ${rss:-\"unknown\"}, \"double_bookings\": ${dbl:-\"unknown\"}, ${out#?}"
}
