#!/bin/sh
# floor.sh: where a booking's server time goes, against the minimal booking.
#
# Issue 18 asks for half the minimal booking's rate with every guarantee
# kept.  This measures, one client at a time (so the figures barely depend
# on the machine's other load), the server CPU of one transaction of:
#   minimal   the minimal booking of ANCHORS/pgbench (one row, one index)
#   rows      the rows a plain sale writes (sale, booking, audit, change, the
#             seat's state) in ONE plain SQL statement: every constraint,
#             index, trigger and foreign key, no PL/pgSQL of ours
#   bare      the same rows with triggers and foreign keys off
#             (session_replication_role = replica): indexes and WAL only
#   two       the sale and booking rows and the seat's state only (no audit
#             row, no change row), triggers and foreign keys on
#   sale      sl_book itself, prepared, as the box office calls it
# The ratio rows/minimal is the floor of what the guarantees cost; sale/rows
# is what the function's structure adds.  Server CPU is perf's task-clock of
# the postmaster and its new backends (perf installed) or else the
# postmaster's reaped children's time from /proc (coarser).
#
# Runs on the database of the environment (PG*, migrated, a superuser: the
# bare variant sets session_replication_role), in a venue and shows of its
# own ("floor ..."), and on a database bench_anchor it creates.  Prints one
# line a measurement and a summary; exit 0, or 1 when something is missing.
# Usage: sh tests/bench/floor.sh [TRANSACTIONS (2000)] [ROUNDS (3)]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ANCHORS=${ANCHORS:-$top/../shared/anchors}
N=${1:-2000}
ROUNDS=${2:-3}
bin=${SEATLOCK_BIN:-$top/seatlock}
pgbench=$(command -v pgbench ||
    ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -n 1)
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

fail() { echo "floor: $*" >&2; exit 1; }
[ -n "$pgbench" ] || fail "pgbench is not installed"
[ -f "$ANCHORS/pgbench/schema.sql" ] || fail "no minimal booking at $ANCHORS/pgbench"
[ -x "$bin" ] || fail "no seatlock binary at $bin"

# A venue of 1000 seats and enough shows for every transaction of every run.
setup() {
	nshows=$(( (N * ROUNDS * 4) / 1000 + 2 ))
	layout=$work/floor.cfg
	{
		printf 'venue = { name = "floor %s"; sections = ( { name = "Main"; rows = (' "$$-$(date +%s)"
		for r in A B C D E F G H I J K L M N O P Q R S T; do
			[ "$r" = A ] || printf ', '
			printf '{ row = "%s"; seats = "1-50"; }' "$r"
		done
		printf '); } ); };\n'
	} >"$layout"
	venue=$("$bin" venue import "$layout" 2>"$work/err") || fail "venue import failed"
	i=0
	while [ $i -lt "$nshows" ]; do
		"$bin" show add --venue "$venue" --title "floor $i" --starts \
		    "$(date -u -d "2102-01-01 00:00 UTC + $i hours" \
		    '+%Y-%m-%d %H:%M')" >/dev/null || fail "show add failed"
		i=$((i + 1))
	done
	psql -Xq -v ON_ERROR_STOP=1 -v venue="$venue" <<'EOF' || fail "setup failed"
DROP SEQUENCE IF EXISTS floor_seq; CREATE SEQUENCE floor_seq;
DROP TABLE IF EXISTS floor_seat, floor_show;
CREATE TABLE floor_seat AS SELECT row_number() OVER (ORDER BY seat_id) - 1 AS i,
    seat_id, label FROM seat WHERE venue_id = :venue;
CREATE TABLE floor_show AS SELECT row_number() OVER (ORDER BY show_id) - 1 AS i,
    show_id FROM show WHERE venue_id = :venue;
CREATE UNIQUE INDEX ON floor_seat (i); CREATE UNIQUE INDEX ON floor_show (i);
ANALYZE floor_seat; ANALYZE floor_show;
EOF
	nshow=$(psql -XAtc "SELECT count(*) FROM floor_show")
	# transaction n sells seat n / nshow of show n % nshow: never twice
	pick="WITH n AS (SELECT nextval('floor_seq') AS n),
p AS (SELECT s.show_id AS show, f.seat_id, f.label, md5(random()::text) AS k
      FROM n JOIN floor_seat f ON f.i = n / $nshow JOIN floor_show s ON s.i = n % $nshow)"
	cat >"$work/sale.sql" <<EOF
$pick
SELECT b.* FROM p, LATERAL sl_book(p.show, ARRAY[p.label], NULL, p.k, 'floor', false, NULL) b;
EOF
	cat >"$work/rows.sql" <<EOF
$pick,
l AS (SELECT ss.show_id, ss.seat_id, ss.zone, ss.venue_id FROM show_seat ss
      JOIN p ON ss.show_id = p.show AND ss.seat_id = p.seat_id
      WHERE ss.state = 'available' FOR UPDATE OF ss),
r AS (INSERT INTO booking_request (request_key, show_id, seat_ids, terminal)
      SELECT p.k, l.show_id, ARRAY[l.seat_id], 'floor' FROM l, p
      RETURNING request_id),
u AS (UPDATE show_seat ss SET state = 'booked', hold_id = NULL, changed_at = now()
      FROM l WHERE ss.show_id = l.show_id AND ss.seat_id = l.seat_id),
b AS (INSERT INTO booking (show_id, seat_id, venue_id, request_id, zone, price_cents)
      SELECT l.show_id, l.seat_id, l.venue_id, r.request_id, l.zone, 0 FROM l, r
      RETURNING booking_id, show_id, seat_id),
a AS (INSERT INTO audit_log (terminal, action, show_id, seat_ids, booking_ids, detail)
      SELECT 'floor', 'book', b.show_id, ARRAY[b.seat_id], ARRAY[b.booking_id],
      json_build_object('user', NULL, 'request_key', p.k, 'sale', r.request_id)
      FROM b, r, p),
c AS (INSERT INTO show_change (show_id, state, seats)
      SELECT l.show_id, 'booked', ARRAY[l.seat_id] FROM l)
SELECT b.booking_id FROM b;
EOF
	# the same without the audit row and the change row
	sed -e '/^a AS (INSERT INTO audit_log/,/FROM b, r, p),$/d' \
	    -e '/^c AS (INSERT INTO show_change/,/FROM l)$/d' \
	    -e 's/^      RETURNING booking_id, show_id, seat_id),$/      RETURNING booking_id, show_id, seat_id)/' \
	    "$work/rows.sql" >"$work/two.sql"
	dropdb --if-exists bench_anchor >/dev/null 2>&1
	createdb bench_anchor && psql -Xq -d bench_anchor \
	    -f "$ANCHORS/pgbench/schema.sql" >/dev/null 2>&1 ||
	    fail "the minimal booking's schema did not load"
}

pm_pid() {
	head -n 1 "$(psql -XAtc 'SHOW data_directory')/postmaster.pid"
}

# cpu NAME DB SCRIPT [PGOPTIONS]: ms of server CPU per transaction
cpu() {
	pm=$(pm_pid)
	if command -v perf >/dev/null; then
		perf stat -x, -e task-clock -p "$pm" -o "$work/perf" & ps=$!
		sleep 0.3
	else
		t0=$(awk '{print $14+$15+$16+$17}' /proc/"$pm"/stat)
	fi
	out=$(PGOPTIONS=${4:-} "$pgbench" -n -M prepared -c 1 -t "$N" \
	    -f "$3" "$2" 2>&1)
	sleep 0.5
	if command -v perf >/dev/null; then
		kill -INT $ps; wait $ps 2>/dev/null
		ms=$(awk -F, '/task-clock/{print $1}' "$work/perf")
	else
		t1=$(awk '{print $14+$15+$16+$17}' /proc/"$pm"/stat)
		ms=$(( (t1 - t0) * 10 ))
	fi
	echo "$out" | grep -q "number of failed transactions: 0 " ||
	    fail "$1: pgbench failed: $(echo "$out" | tail -n 2)"
	awk -v n="$N" -v ms="$ms" -v s="$1" 'BEGIN {
	    printf "%-8s %.3f ms server CPU per transaction\n", s, ms / n }' |
	    tee -a "$work/lines"
}

db=${PGDATABASE:-$(id -un)}
setup
r=1
while [ "$r" -le "$ROUNDS" ]; do
	cpu minimal bench_anchor "$ANCHORS/pgbench/book_spread_1rt_nonotify.sql"
	cpu rows "$db" "$work/rows.sql"
	cpu bare "$db" "$work/rows.sql" "-c session_replication_role=replica"
	cpu two "$db" "$work/two.sql"
	cpu sale "$db" "$work/sale.sql"
	r=$((r + 1))
done
# every transaction sold its seat (a statement that found it taken would
# have measured nothing)
sold=$(psql -XAtc "SELECT count(*) FROM booking b JOIN floor_show f
    ON f.show_id = b.show_id WHERE b.status = 'active'")
[ "$sold" = $((N * ROUNDS * 4)) ] ||
    fail "$sold bookings made, not $((N * ROUNDS * 4)): the figures are void"
sort -k1,1 -k2,2n "$work/lines" | awk '
	{ v[$1, ++n[$1]] = $2 }
	END {
		for (k in n) med[k] = v[k, int((n[k] + 1) / 2)]
		printf "medians: minimal %.3f, rows %.3f (%.1fx), bare %.3f (%.1fx), two %.3f (%.1fx), sale %.3f (%.1fx) ms\n",
		    med["minimal"], med["rows"], med["rows"] / med["minimal"],
		    med["bare"], med["bare"] / med["minimal"],
		    med["two"], med["two"] / med["minimal"],
		    med["sale"], med["sale"] / med["minimal"]
	}'
dropdb --if-exists bench_anchor >/dev/null 2>&1
exit 0
