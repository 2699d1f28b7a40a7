#!/bin/sh
# Bookings through Debian's PgBouncer in transaction pooling, in front of
# the test cluster, with the committed assets/deploy/pgbouncer.ini changed
# only in where things are (database socket, its own socket, the auth file)
# plus, for these tests, a one-connection pool and an admin user:
#  - SCRAM logins with a userlist made from pg_authid, as the deployment
#    README says; a wrong password is refused;
#  - `seatlock book` through the pool; the 32-process race for one seat
#    through a pool of 20 server connections: one exit 0, 31 exit 3, one
#    booking in SQL;
#  - the core leaves no session state on the pooled server connection
#    (the pool does carry it: shown with psql), and its timeouts hold even
#    on a server connection that another client left with a long
#    lock_timeout;
#  - a box office with its bookings through the pool and its listener
#    direct (SEATLOCK_LISTEN_DSN) is live: a sale elsewhere shows on its map.
#  - `seatlock bench`, run by a supervisor, with 500 client connections
#    through the pool of 20 server connections: no errors, the
#    double-booking check clean.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/pgb.lib"

top=$(cd "$(dirname "$0")/../.." && pwd)
if ! [ -x "$PGB" ]; then
	not_ok "pgbouncer is not installed (.ci/deps.sh test)"
	done_testing
fi
ROLE=sl_pool_user
SUPER=sl_pool_super	# runs seatlock bench, which imports its venue
B=$(mktemp -d "${TMPDIR:-/tmp}/slpgb.XXXXXX") || exit 1
TMUX_SOCK="slpgb-$$"
LOCKER=""
cleanup() {
	[ -n "$LOCKER" ] && kill "$LOCKER" 2>/dev/null
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	[ -n "$PGB_PID" ] && kill "$PGB_PID" 2>/dev/null
	if [ "$fails" -ne 0 ] && [ -f "$B/pgbouncer.log" ]; then
		echo "--- pgbouncer log"
		tail -n 30 "$B/pgbouncer.log"
	fi
	rm -rf "$tmp" "$B"
}
trap cleanup EXIT

# ---- a pooled role, its SCRAM secret, the ini ---------------------------

pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || exit 1
SET password_encryption = 'scram-sha-256';
DO \$\$ BEGIN
	CREATE ROLE $ROLE LOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END \$\$;
ALTER ROLE $ROLE PASSWORD '$pw';
-- A clerk, as seatlock clerk add makes one: sells through the functions.
GRANT seatlock_clerk TO $ROLE;
DO \$\$ BEGIN
	CREATE ROLE $SUPER LOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END \$\$;
ALTER ROLE $SUPER PASSWORD '$pw';
GRANT seatlock_supervisor TO $SUPER;
SQL
# The userlist as the README makes it: the role's secret from pg_authid.
sql "SELECT format('\"%s\" \"%s\"', rolname, rolpassword) FROM pg_authid
    WHERE rolname IN ('$ROLE', '$SUPER') ORDER BY rolname" >"$B/userlist"
check "the userlist holds a SCRAM secret, not the password" sh -c \
    'grep -q "SCRAM-SHA-256\\$" "$1" && ! grep -q "$2" "$1"' sh \
    "$B/userlist" "$pw"

sed -e "s|^seatlock = host=db port=5432 |seatlock = host=$PGHOST port=${PGPORT:-5432} |" \
    -e "s|^listen_addr = .*|listen_addr =|" \
    -e "s|^unix_socket_dir =.*|unix_socket_dir = $B|" \
    -e "s|^auth_file = .*|auth_file = $B/userlist|" \
    -e "/^\[databases\]/a\\
seatlock_one = host=$PGHOST port=${PGPORT:-5432} dbname=seatlock pool_size=1" \
    "$top/assets/deploy/pgbouncer.ini" >"$B/pgbouncer.ini"
echo "admin_users = $ROLE" >>"$B/pgbouncer.ini"
diff "$top/assets/deploy/pgbouncer.ini" "$B/pgbouncer.ini" |
    sed -n 's/^[<>] *\([a-z_]*\) *=.*/\1/p' | sort -u >"$B/changed"
check "the test's ini differs only in paths, sockets and test pools ($(tr '\n' ' ' <"$B/changed"))" \
    test -z "$(grep -v -x -e seatlock -e seatlock_one -e listen_addr \
    -e unix_socket_dir -e auth_file -e admin_users "$B/changed")"
check "transaction pooling as committed" \
    grep -qx "pool_mode = transaction" "$B/pgbouncer.ini"
check "SCRAM logins as committed" \
    grep -qx "auth_type = scram-sha-256" "$B/pgbouncer.ini"

printf '*:*:*:%s:%s\n*:*:*:%s:%s\n' "$ROLE" "$pw" "$SUPER" "$pw" \
    >"$tmp/pgpass"
chmod 600 "$tmp/pgpass"

pgb_start "$B/pgbouncer.ini" "$tmp/pgbouncer.err"
cp "$tmp/pgbouncer.err" "$B/pgbouncer.log" 2>/dev/null
if ! [ -S "$B/.s.PGSQL.6432" ]; then
	not_ok "pgbouncer did not start: $(tail -n 5 "$tmp/pgbouncer.err")"
	done_testing
fi
ok "pgbouncer $($PGB --version | head -n 1 | cut -d' ' -f2) up on $B"

POOL="host=$B port=6432 dbname=seatlock user=$ROLE"
ONE="host=$B port=6432 dbname=seatlock_one user=$ROLE"
export PGPASSFILE="$tmp/pgpass"

# pool_sql DSN QUERY: one value through the pool.
pool_sql() {
	psql -X -A -t -q -v ON_ERROR_STOP=1 "$1" -c "$2"
}
# admin QUERY COLUMN: one column of PgBouncer's admin console, for the
# seatlock database.
admin() {
	psql -X -q "host=$B port=6432 dbname=pgbouncer user=$ROLE" -c "$1" \
	    --csv 2>/dev/null | awk -F, -v col="$2" '
	NR == 1 {
		for (i = 1; i <= NF; i++) {
			if ($i == col)
				c = i
			if ($i == "database")
				d = i
		}
		next
	}
	c && d && $d == "seatlock" { print $c }'
}

# ---- logins ---------------------------------------------------------------

check "psql logs in through the pool with SCRAM" test \
    "$(pool_sql "$POOL" "SELECT current_user")" = "$ROLE"
printf '*:*:*:%s:wrong\n' "$ROLE" >"$tmp/badpass"
chmod 600 "$tmp/badpass"
PGPASSFILE="$tmp/badpass" psql -X -q "$POOL" -c "SELECT 1" \
    >"$tmp/out" 2>"$tmp/err"
check "a wrong password is refused" grep -q "authentication failed" "$tmp/err"

# ---- booking through the pool ------------------------------------------

venue=$(new_venue 3 8)
show=$(new_show "$venue")
user=$(new_user)
check "a venue, show and customer" is_id "$show"
x0=$(admin "SHOW STATS" total_xact_count)
with_env SEATLOCK_DSN="$POOL" -- expect 0 "seatlock book through PgBouncer" \
    book "$show" A1 A2 --user "$user"
x1=$(admin "SHOW STATS" total_xact_count)
check "the booking went through the pool ($x0 -> $x1 transactions)" \
    test "${x1:-0}" -gt "${x0:-0}"
check "both seats are booked, for the customer" test "$(sql "SELECT count(*)
    FROM booking b JOIN seat s USING (seat_id) WHERE b.show_id = $show AND
    s.label IN ('A1', 'A2') AND b.status = 'active' AND
    b.user_id = $user")" = 2
check "the audit trail names the pooled role" test "$(sql "SELECT actor
    FROM audit_log WHERE action = 'book' AND show_id = $show")" = "$ROLE"
with_env SEATLOCK_DSN="$POOL" -- expect 3 "a taken seat through the pool" \
    book "$show" A2 --user "$user"
with_env SEATLOCK_DSN="$POOL" -- run shows --json
check "seatlock shows --json through the pool" grep -q "\"id\": *$show" \
    "$tmp/out"
# A map read: its transaction (BEGIN, holds, zones, cursor, first chunk
# and COMMIT) is one pipeline, one round trip, through the pool too.
with_env SEATLOCK_DSN="$POOL" -- run seats "$show"
check "seatlock seats (the map, one round trip) through the pool" \
    grep -q "^A1 *booked" "$tmp/out"

# ---- the 32-process race through a pool of 20 --------------------------

N=32
mkfifo "$tmp/gate" || exit 1
exec 3<>"$tmp/gate"
i=0
while [ "$i" -lt "$N" ]; do
	(
		: >"$tmp/ready.$i"
		read -r _ <"$tmp/gate"
		SEATLOCK_DSN="$POOL" exec "$SL" book "$show" B3 --user "$user" \
		    >"$tmp/rout.$i" 2>"$tmp/rerr.$i"
	) &
	eval "rpid_$i=$!"
	i=$((i + 1))
done
n=0
while [ "$(ls "$tmp" | grep -c '^ready\.')" -lt "$N" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 0.3
i=0
lines=""
while [ "$i" -lt "$N" ]; do
	lines="$lines
"
	i=$((i + 1))
done
printf '%s' "$lines" >&3
won=0 taken=0 other=""
i=0
while [ "$i" -lt "$N" ]; do
	eval "pid=\$rpid_$i"
	wait "$pid"
	rc=$?
	case $rc in
	0) won=$((won + 1)) ;;
	3) taken=$((taken + 1)) ;;
	*) other="$other $i:exit$rc:$(head -c 200 "$tmp/rerr.$i")" ;;
	esac
	i=$((i + 1))
done
exec 3>&-
echo "race through PgBouncer: $N processes, $won booked, $taken told taken"
check "exactly one process booked B3" test "$won" -eq 1
check "the other $((N - 1)) exited 3" test "$taken" -eq $((N - 1))
check "no other outcome ($other )" test -z "$other"
check "B3 has exactly one booking in SQL" test "$(sql "SELECT count(*) FROM
    booking b JOIN seat s USING (seat_id) WHERE b.show_id = $show AND
    s.label = 'B3'")" = 1
sv=$(pool_sql "host=$PGHOST port=${PGPORT:-5432} dbname=seatlock" \
    "SELECT count(*) FROM pg_stat_activity WHERE usename = '$ROLE'
    AND datname = 'seatlock'")
check "the pool kept to its 20 server connections ($sv)" test "$sv" -le 20

# ---- seatlock bench: 500 clients through the pool of 20 -------------

# Every client thread has its own connection to PgBouncer and waits for
# the others before the load starts, so all 500 are the pool's clients at
# once; a sampler records the most clients PgBouncer saw and the most
# server connections PostgreSQL saw meanwhile.
BSECS=${SEATLOCK_PGB_BENCH_S:-5}
: >"$tmp/sampling"
(
	mc=0 ms=0
	while [ -e "$tmp/sampling" ]; do
		# A row per user of the seatlock database: summed.
		n=$( { admin "SHOW POOLS" cl_active
		    admin "SHOW POOLS" cl_waiting; } |
		    awk '{ s += $1 } END { print s + 0 }')
		[ "$n" -gt "$mc" ] && mc=$n
		s=$(sql "SELECT count(*) FROM pg_stat_activity WHERE
		    usename = '$SUPER' AND datname = 'seatlock'")
		[ "${s:-0}" -gt "$ms" ] && ms=$s
		echo "$mc $ms" >"$tmp/peak"
		sleep 0.2
	done
) &
SAMPLER=$!
t0=$(date +%s)
# 500 SCRAM logins at once take PgBouncer a while on 2 cores (longer for
# the ASan build of make test-asan): a connect timeout of a minute, not 5 s.
printf 'database = { connect_timeout_s = 60; };\n' >"$tmp/bench.conf"
chmod 600 "$tmp/bench.conf"
with_env SEATLOCK_DSN="host=$B port=6432 dbname=seatlock user=$SUPER" -- \
    expect 0 "seatlock bench, 500 clients through PgBouncer" \
    --config "$tmp/bench.conf" bench --scenario spread --clients 500 \
    --seconds "$BSECS" --json
rm -f "$tmp/sampling"
wait "$SAMPLER"
cp "$tmp/out" "$tmp/bench.json"
jv() { jq -r ".$1" "$tmp/bench.json" 2>/dev/null; }
echo "bench through PgBouncer ($(($(date +%s) - t0)) s):" \
    "$(jv bookings) bookings, $(jv bookings_per_s)/s, p50 $(jv p50_ms) ms," \
    "p99 $(jv p99_ms) ms, errors $(jv errors), busy $(jv busy)," \
    "peak clients/servers $(cat "$tmp/peak" 2>/dev/null)"
check "the bench ran its 500 clients" test "$(jv clients)" = 500
check "they booked ($(jv bookings))" test "$(jv bookings)" -gt 0
check "no errors ($(jv errors): $(jv first_error))" test "$(jv errors)" = 0
check "no lock timeouts ($(jv busy))" test "$(jv busy)" = 0
check "the double-booking check is clean" test "$(jv double_bookings)" = 0
check "seat states agree with the bookings" \
    test "$(jv state_mismatches)" = 0
read -r peak_cl peak_sv <"$tmp/peak"
check "PgBouncer held the 500 clients at once (peak $peak_cl)" \
    test "${peak_cl:-0}" -ge 500
check "through at most 20 server connections (peak $peak_sv)" \
    test "${peak_sv:-99}" -ge 1 -a "${peak_sv:-99}" -le 20

# ---- session state ---------------------------------------------------

# The hazard is real: a session setting stays on the pooled server
# connection for whoever comes next.
pool_sql "$ONE" "SELECT set_config('lock_timeout', '4321ms', false)" \
    >/dev/null
check "the pool hands a session setting to the next client" test \
    "$(pool_sql "$ONE" "SHOW lock_timeout")" = 4321ms
pool_sql "$ONE" "RESET ALL" >/dev/null
check "RESET ALL cleared it" test "$(pool_sql "$ONE" "SHOW lock_timeout")" = 0

cat >"$tmp/conf" <<CONF
database = { lock_timeout_ms = 1234; statement_timeout_ms = 56789; };
CONF
chmod 600 "$tmp/conf"
with_env SEATLOCK_DSN="$ONE" -- expect 0 "seatlock book through the pool of one" \
    --config "$tmp/conf" book "$show" C1 --user "$user"
with_env SEATLOCK_DSN="$ONE" -- expect 3 "and a conflict through it" \
    --config "$tmp/conf" book "$show" C1 --user "$user"
check "seatlock left no lock_timeout on the server connection" test \
    "$(pool_sql "$ONE" "SHOW lock_timeout")" = 0
check "seatlock left no statement_timeout on the server connection" test \
    "$(pool_sql "$ONE" "SHOW statement_timeout")" = 0

# Another client leaves the one server connection with a long lock wait;
# seatlock's own lock_timeout still holds for its booking.
pool_sql "$ONE" "SELECT set_config('lock_timeout', '60s', false)" >/dev/null
seat=$(sql "SELECT seat_id FROM seat WHERE venue_id = $venue AND label = 'C2'")
psql -X -q -c "BEGIN; SELECT 1 FROM show_seat WHERE show_id = $show AND
    seat_id = $seat FOR UPDATE; SELECT pg_sleep(20); COMMIT" >/dev/null 2>&1 &
LOCKER=$!
i=0
until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE
    '%pg_sleep(20)%' AND state = 'active' AND pid <> pg_backend_pid()")" = 1 ] ||
    [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
printf 'database = { lock_timeout_ms = 300; };\n' >"$tmp/conf"
t0=$(date +%s)
with_env SEATLOCK_DSN="$ONE" -- expect 3 "a locked seat through the pool: busy" \
    --config "$tmp/conf" book "$show" C2 --user "$user"
t1=$(date +%s)
stderr_has "busy" "the message says the seat is busy"
check "answered within the client's lock_timeout, not the leftover 60 s ($((t1 - t0)) s)" \
    test $((t1 - t0)) -le 10
# (killing psql would leave its backend sleeping with the lock)
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query
    LIKE '%pg_sleep(20)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$LOCKER" 2>/dev/null
LOCKER=""
pool_sql "$ONE" "RESET ALL" >/dev/null

# ---- a box office behind the pool ------------------------------------

if command -v tmux >/dev/null; then
	DIRECT="host=$PGHOST port=${PGPORT:-5432} dbname=seatlock user=$ROLE"
	printf 'log = { file = "%s"; };\n' "$tmp/tui.log" >"$tmp/tui.conf"
	chmod 600 "$tmp/tui.conf"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -x 80 -y 24 \
	    "env TERM=xterm-256color LANG=C.UTF-8 PGPASSFILE=$PGPASSFILE \
	    SEATLOCK_CONFIG=$tmp/tui.conf SEATLOCK_DSN='$POOL' \
	    SEATLOCK_LISTEN_DSN='$DIRECT' $SL tui --show $show; sleep 30"
	# cap REGEX: waits up to 10 s for the screen to match.
	cap() {
		_i=0
		while [ $_i -lt 100 ]; do
			tmux -L "$TMUX_SOCK" capture-pane -p | grep -Eq -- "$1" &&
			    return 0
			sleep 0.1
			_i=$((_i + 1))
		done
		tmux -L "$TMUX_SOCK" capture-pane -p | sed 's/^/     | /'
		return 1
	}
	check "the box office opens the show through the pool, live" cap " live "
	clients=$(admin "SHOW CLIENTS" application_name | sort | tr '\n' ' ')
	check "its booking connection is a client of the pool ($clients)" \
	    sh -c 'echo "$1" | grep -qw seatlock' sh "$clients"
	check "its listener is not" sh -c \
	    'case $1 in *seatlock-listen*) exit 1 ;; esac' sh "$clients"
	check "its listener is a direct backend, listening" test "$(sql "SELECT
	    count(*) FROM pg_stat_activity WHERE application_name =
	    'seatlock-listen' AND usename = '$ROLE' AND query LIKE
	    '%LISTEN%seatlock_show_$show%'")" = 1
	"$SL" book "$show" A8 --user "$user" >/dev/null 2>&1
	check "a sale elsewhere appears on its map" cap "^ +A +● ● (○ ){5}● +A"
	tmux -L "$TMUX_SOCK" send-keys q
fi

done_testing
