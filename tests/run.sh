#!/bin/sh
# Runs every test: unit tests (no database), then a private PostgreSQL
# cluster for the integration, race, command-line and TUI tests, destroyed
# again at the end.  Prints a summary line "N passed, N failed".
#
# Environment: V=release|asan (which build to test; default release),
# SEATLOCK_BIN (the binary the shell tests run; default ./seatlock).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
V=${V:-release}
bindir=build/$V/tests
export SEATLOCK_BIN="${SEATLOCK_BIN:-$top/seatlock}"
out=tests/out
rm -rf "$out"
mkdir -p "$out"

passed=0
failed=0
failures=""

# Runs one test program; a cmocka program counts its test cases, anything
# else counts as one test.
run_one() {
	name=$1
	shift
	log="$out/$(basename "$name").log"
	echo "== $name"
	start=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	if [ -n "$p" ] || [ -n "$f" ]; then
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
		[ "$rc" -ne 0 ] && [ -z "$f" ] && failed=$((failed + 1))
	elif [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
	if [ "$rc" -ne 0 ]; then
		failures="$failures $name"
		echo "-- FAILED: $name (exit $rc, $((end - start)) s); its log:"
		tail -n 60 "$log"
	else
		tail -n 3 "$log" | sed 's/^/   /'
		echo "   ($((end - start)) s)"
	fi
}

for t in "$bindir"/unit_*; do
	[ -x "$t" ] && run_one "$t" "$t"
done

# The house plan's limits: function length, no file loops, rooms, SQL
# functions defined once, README length (tests/lint/structure.py).
run_one tests/lint/selftest.sh sh tests/lint/selftest.sh
run_one tests/lint/structure.py python3 tests/lint/structure.py

# The parsers under libFuzzer: 20 s each (make fuzz runs longer).
run_one tests/fuzz "tests/fuzz/run.sh" "${SEATLOCK_FUZZ_SECONDS:-20}"

# A cluster left by a run that was killed is thrown away first: every run
# starts from an empty database.
.ci/pgcluster.sh destroy test
trap '.ci/pgcluster.sh destroy test' EXIT INT TERM
if ! envs=$(.ci/pgcluster.sh start test); then
	echo "tests: could not start the private PostgreSQL cluster" >&2
	exit 1
fi
eval "$envs"
unset SEATLOCK_DSN SEATLOCK_CONFIG
# Tests run from a directory without a seatlock.conf of the developer's.
export HOME="$top/$out/home"
mkdir -p "$HOME"
"$SEATLOCK_BIN" db migrate >/dev/null || { echo "tests: migrate failed" >&2; exit 1; }

for t in "$bindir"/integ_*; do
	[ -x "$t" ] && run_one "$t" "$t"
done
# Isolation specs: one test per spec.
echo "== tests/isolation"
tests/isolation/run.sh "$top/$out/isolation" >"$out/isolation.log" 2>&1
irc=$?
ip=$(grep -c '^test .* \.\.\. ok' "$out/isolation.log")
ifl=$(grep -c '^test .* FAILED' "$out/isolation.log")
passed=$((passed + ip))
failed=$((failed + ifl))
if [ $irc -ne 0 ]; then
	[ "$ifl" -eq 0 ] && failed=$((failed + 1))
	failures="$failures tests/isolation"
	tail -n 80 "$out/isolation.log"
else
	grep '^test ' "$out/isolation.log" | sed 's/^/   /'
fi

for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] && run_one "$t" sh "$t"
done

echo
if [ -n "$failures" ]; then
	echo "failed:$failures"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ -z "$failures" ]
