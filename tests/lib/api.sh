# tests/lib/api.sh - what the HTTP API tests (tests/cli/api_*.sh) share:
# a `seatlock serve` on 127.0.0.1 with a free port, requests with curl,
# checks that count failures, fixtures made with the command line.
# Sourced, not run; needs SEATLOCK_BIN and PG* (tests/run.sh sets them).

set -u
SL=${SEATLOCK_BIN:?SEATLOCK_BIN is not set}
T=$(mktemp -d "${TMPDIR:-/tmp}/sl-api.XXXXXX")
FAILS=0
SRV_PID=""
API=""
JSON='Content-Type: application/json'

cleanup() {
	if [ -n "$SRV_PID" ]; then
		kill -KILL "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# drop_roles_at_exit ROLE...: the roles a test made go when it ends.
drop_roles_at_exit() {
	DROP_ROLES="$*"
	trap 'cleanup; for r in $DROP_ROLES; do psql -X -q -c \
	    "DROP OWNED BY $r; DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done' EXIT
}
trap 'exit 1' INT TERM

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; FAILS=$((FAILS + 1)); }

# check WHAT GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else fail "$1: got '$2', want '$3'"; fi
}

# check_has WHAT TEXT NEEDLE
check_has() {
	case "$2" in
	*"$3"*) ok "$1" ;;
	*) fail "$1: '$3' not in: $(printf '%s' "$2" | head -c 300)" ;;
	esac
}

finish() {
	if [ "$FAILS" -ne 0 ]; then
		echo "$FAILS check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

# conf TEXT: writes the configuration the server starts with (mode 600).
CONF=""
conf() {
	CONF="$T/seatlock.conf"
	printf '%s\n' "$1" > "$CONF"
	chmod 600 "$CONF"
}

# api_start [ARGS...]: starts the server in the background on a free port;
# sets API (http://127.0.0.1:PORT) and SRV_PID; its stderr (the access log)
# goes to $T/server.log.
api_start() {
	: > "$T/addr"
	if [ -n "$CONF" ]; then
		"$SL" --config "$CONF" serve --listen 127.0.0.1:0 "$@" \
		    > "$T/addr" 2> "$T/server.log" &
	else
		"$SL" serve --listen 127.0.0.1:0 "$@" \
		    > "$T/addr" 2> "$T/server.log" &
	fi
	SRV_PID=$!
	i=0
	while [ ! -s "$T/addr" ] && [ $i -lt 100 ]; do
		if ! kill -0 "$SRV_PID" 2>/dev/null; then
			cat "$T/server.log"
			echo "FAIL the server did not start"
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$T/addr" ] || { echo "FAIL the server did not say its address"; exit 1; }
	API="http://$(head -n 1 "$T/addr")"
	echo "server at $API (pid $SRV_PID)"
}

# api_stop: SIGTERM; the server must exit 0 within 30 s.
api_stop() {
	kill -TERM "$SRV_PID"
	i=0
	while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$SRV_PID" 2>/dev/null; then
		fail "the server did not stop within 30 s of SIGTERM"
		return
	fi
	wait "$SRV_PID"
	check "exit status after SIGTERM" "$?" 0
	SRV_PID=""
}

# req METHOD PATH [CURL ARGS...]: sets STATUS, BODY (and $T/headers).
req() {
	m=$1
	p=$2
	shift 2
	STATUS=$(curl -s -g --max-time 15 -X "$m" -D "$T/headers" -o "$T/body" \
	    -w '%{http_code}' "$@" "$API$p")
	BODY=$(cat "$T/body")
}

# post PATH JSON [CURL ARGS...]
post() {
	p=$1
	d=$2
	shift 2
	req POST "$p" -H "$JSON" --data-binary "$d" "$@"
}

# sse_open SHOW SECONDS: streams GET /shows/SHOW/events into $T/sse for at
# most SECONDS in the background (SSE_PID) and waits for its open event.
sse_open() {
	curl -sN --max-time "$2" "$API/shows/$1/events" > "$T/sse" &
	SSE_PID=$!
	i=0
	until grep -q '^event: open' "$T/sse" || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# jf FILTER: a jq filter on BODY.
jf() { printf '%s' "$BODY" | jq -r "$1" 2>/dev/null; }

sql() { psql -X -Atq -v ON_ERROR_STOP=1 -c "$1"; }

# mkshow ROWS PER_ROW: a fresh venue (rows A.., seats 1..PER_ROW) and show;
# prints the show id.
NAMES=0
mkshow() {
	NAMES=$((NAMES + 1))
	name="API test $$-$(date +%s%N)-$NAMES"
	{
		printf 'venue = { name = "%s"; sections = ( { name = "Main"; rows = (' "$name"
		r=0
		for row in A B C D E F G H; do
			[ $r -ge "$1" ] && break
			[ $r -gt 0 ] && printf ', '
			printf '{ row = "%s"; seats = "1-%s"; }' "$row" "$2"
			r=$((r + 1))
		done
		printf '); } ); };\n'
	} > "$T/venue.conf"
	v=$("$SL" venue import "$T/venue.conf") || { echo "FAIL venue import"; exit 1; }
	"$SL" show add --venue "$v" --title "API test" --starts "2031-01-01 20:00"
}

# mkuser: a fresh customer; prints the user id.
mkuser() {
	NAMES=$((NAMES + 1))
	"$SL" user register --name "API Tester" \
	    --email "api$$-$(date +%s%N)-$NAMES@example.com"
}

# lock_seat SHOW LABEL SECONDS: another session holds the seat's row lock
# for SECONDS in the background (LOCKER is its pid); returns once it does.
lock_seat() {
	ls_seat=$(sql "SELECT seat_id FROM seat s JOIN show sh USING (venue_id) \
	    WHERE sh.show_id = $1 AND s.label = '$2'")
	psql -X -q -c "BEGIN; SELECT 1 FROM show_seat WHERE show_id = $1 AND \
	    seat_id = $ls_seat FOR UPDATE; SELECT pg_sleep($3); COMMIT;" >/dev/null &
	LOCKER=$!
	i=0
	until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE \
	    '%pg_sleep($3)%' AND state = 'active' AND pid <> pg_backend_pid()")" = 1 ] ||
	    [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
