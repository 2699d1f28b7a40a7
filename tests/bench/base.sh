#!/bin/sh
# make bench, part: the booking path against a baseline commit.  A change to
# the booking path keeps its speed: this builds BASE (default 2ef398b, main
# before the sale of issue 15 added price types, payments and the sale
# record to every booking) from git into build/bench-base, gives each binary
# its own database in the bench cluster, and runs `seatlock bench --scenario
# spread --notify batched` of the two in turn (the order alternating), ROUNDS
# times at 16 and at 64 clients.  When the fixed yardstick is there
# (../shared/anchors/pgbench: the minimal booking), it runs in the same
# rounds, and both binaries are given as ratios to it too.
#
# Usage: base.sh HEAD_BINARY, in the bench cluster's environment (PG*).
# Environment: BENCH_BASE (the commit), ROUNDS (3), SECONDS_RUN (5).
# Prints a markdown section on stdout; progress and failures on stderr.
set -u
head_bin=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
base=${BENCH_BASE:-2ef398b}
rounds=${ROUNDS:-3}
secs=${SECONDS_RUN:-5}
anchors=${ANCHORS:-$top/../shared/anchors}/pgbench
src=$top/build/bench-base
out=$top/build/bench-base.log

echo "## The booking path against $base"
echo
if ! git -C "$top" rev-parse --verify -q "$base^{commit}" >/dev/null; then
	echo "Not measured: commit $base is not in this checkout."
	exit 0
fi
rm -rf "$src" && mkdir -p "$src"
if ! git -C "$top" archive "$base" | tar -x -C "$src" ||
    ! make -C "$src" -j2 seatlock >"$out" 2>&1; then
	echo "Not measured: $base did not build (build/bench-base.log)."
	exit 0
fi
base_bin=$src/seatlock
for d in bench_base bench_head; do
	dropdb --if-exists "$d" && createdb "$d" || exit 1
done
PGDATABASE=bench_base "$base_bin" db migrate >/dev/null &&
    PGDATABASE=bench_head "$head_bin" db migrate >/dev/null || exit 1
have_anchor=0
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null |
    tail -n 1)
if [ -f "$anchors/schema.sql" ] && [ -n "$pgbench" ]; then
	dropdb --if-exists bench_anchor && createdb bench_anchor &&
	    psql -q -d bench_anchor -f "$anchors/schema.sql" >/dev/null 2>&1 &&
	    have_anchor=1
fi

# spread BINARY DB CLIENTS: bookings per second of one run ("" failed).
spread() {
	PGDATABASE=$2 "$1" bench --scenario spread --clients "$3" \
	    --seconds "$secs" --notify batched --json 2>>"$out" |
	    sed -n 's/.*"bookings_per_s": *\([0-9.]*\).*/\1/p'
}

# anchor CLIENTS: transactions per second of the minimal booking.
anchor() {
	[ "$have_anchor" = 1 ] || return 0
	psql -q -d bench_anchor -c 'TRUNCATE bookings' >/dev/null 2>&1
	"$pgbench" -n -c "$1" -j 2 -T "$secs" -M prepared \
	    -f "$anchors/book_spread_1rt_nonotify.sql" bench_anchor 2>>"$out" |
	    sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

echo "\`seatlock bench --scenario spread --notify batched\` of this build and of $base,"
echo "in turn, $rounds rounds of $secs s at each client count (each binary on its own"
echo "database in this cluster); the minimal booking of ../shared/anchors/pgbench in the"
echo "same rounds where it is present. Median (min-max)."
echo
echo "| clients | $base bookings/s | this build bookings/s | this / $base | $base / minimal | this / minimal |"
echo "|---|---|---|---|---|---|"
for c in 16 64; do
	r=1 rows=""
	while [ "$r" -le "$rounds" ]; do
		echo "bench: base $base vs head, $c clients, round $r" >&2
		a=$(anchor "$c")
		if [ $((r % 2)) -eq 1 ]; then
			o=$(spread "$base_bin" bench_base "$c")
			n=$(spread "$head_bin" bench_head "$c")
		else
			n=$(spread "$head_bin" bench_head "$c")
			o=$(spread "$base_bin" bench_base "$c")
		fi
		rows="$rows${o:-0} ${n:-0} ${a:-0}
"
		r=$((r + 1))
	done
	printf '%s' "$rows" | awk -v c="$c" '
	function med(a, n,    i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function sp(a, n, fmt,    m) {
		if (n == 0)
			return "-"
		m = med(a, n)
		return sprintf(fmt " (" fmt "-" fmt ")", m, a[1], a[n])
	}
	$1 > 0 && $2 > 0 {
		n++; o[n] = $1; h[n] = $2; r[n] = $2 / $1
		if ($3 > 0) {
			k++; ra[k] = $1 / $3; rb[k] = $2 / $3
		}
	}
	END {
		printf "| %s | %s | %s | %s | %s | %s |\n", c, sp(o, n, "%.0f"),
		    sp(h, n, "%.0f"), sp(r, n, "%.2fx"), sp(ra, k, "%.3fx"),
		    sp(rb, k, "%.3fx")
	}'
done
echo
