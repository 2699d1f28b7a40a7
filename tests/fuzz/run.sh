#!/bin/sh
# Builds the libFuzzer harnesses (clang) and runs each for SECONDS (default
# 20), starting from the committed corpus, plus every saved crash input in
# regress/NAME/ once.  New corpus entries go to a scratch directory, never
# into the repository.  Usage: tests/fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-20}
out=build/fuzz
mkdir -p "$out"
cflags="$(pkg-config --cflags libconfig)"
libs="$(pkg-config --libs libconfig)"
core="core/sl_config.c core/sl_layout.c core/sl_parse.c core/sl_err.c"
status=0
# libconfig 1.5 leaks a string on some syntax errors (its scanner); ours
# are still reported.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp:print_suppressions=0"
for name in layout config parse; do
	bin=$out/fuzz_$name
	# shellcheck disable=SC2086
	clang -std=c11 -D_DEFAULT_SOURCE -g -O1 \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -Icore $cflags -o "$bin" tests/fuzz/fuzz_$name.c $core $libs
	if [ -d "tests/fuzz/regress/$name" ] &&
	    [ -n "$(ls "tests/fuzz/regress/$name")" ]; then
		echo "fuzz_$name: replaying saved crash inputs"
		"$bin" -runs=0 tests/fuzz/regress/$name/* || status=1
	fi
	work=$out/corpus-$name
	mkdir -p "$work"
	echo "fuzz_$name: ${secs} s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$out/crash-$name-" -print_final_stats=1 \
	    "$work" "tests/fuzz/corpus/$name" >"$out/fuzz_$name.log" 2>&1; then
		status=1
		tail -n 40 "$out/fuzz_$name.log"
		echo "fuzz_$name: FAILED; the input is in $out/crash-$name-*;" \
		    "save it under tests/fuzz/regress/$name/ as a regression test"
	else
		grep -E 'stat::number_of_executed_units|cov:' "$out/fuzz_$name.log" |
		    tail -n 2
		echo "fuzz_$name: ok"
	fi
done
exit $status
