#!/bin/sh
# The structure check finds what it is meant to find: a tree made here with
# one of each violation must be refused with each named, and the same tree
# mended must pass.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
mkdir -p "$tmp/core" "$tmp/tui/cli" "$tmp/sql/functions"

# A function of 104 lines (ctags: end - line + 1).
{
	printf 'int\nlong_one(void)\n{\n'
	i=0
	while [ $i -lt 100 ]; do printf '\t(void)0;\n'; i=$((i + 1)); done
	printf '\treturn 0;\n}\n'
} >"$tmp/core/sl_long.c"
# A loop: a.c calls b.c, which calls a.c.
printf 'int b_fn(void);\nint\na_fn(void)\n{\n\treturn b_fn();\n}\n' >"$tmp/tui/cli/a.c"
printf 'int a_fn(void);\nint\nb_fn(void)\n{\n\treturn a_fn();\n}\n' >"$tmp/tui/cli/b.c"
# The library reaching into a program, printing, spawning, keeping state.
printf '#include "cli/x.h"\n' >"$tmp/core/sl_bad.c"
printf '#include <stdio.h>\nstatic int counter;\nvoid\nsl_bad(void)\n{\n\tcounter++;\n\tprintf("hi");\n\tsystem("true");\n}\n' >>"$tmp/core/sl_bad.c"
printf '/* x.h */\n' >"$tmp/tui/cli/x.h"
# SQL in a program.
printf 'static const char *q =\n    "SELECT a, b "\n    "FROM t";\n' >"$tmp/tui/cli/q.c"
# One SQL function defined in two files.
printf 'CREATE OR REPLACE FUNCTION sl_twice(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;\n' >"$tmp/sql/functions/one.sql"
printf 'CREATE FUNCTION sl_twice(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;\n' >"$tmp/sql/functions/two.sql"
i=0
while [ $i -lt 201 ]; do echo "line $i"; i=$((i + 1)); done >"$tmp/README.md"

out=$(python3 "$here/structure.py" --root "$tmp")
rc=$?
echo "$out"
expect() {
	if printf '%s\n' "$out" | grep -q "$1"; then
		echo "ok: found $2"
	else
		echo "FAILED: did not find $2"
		fail=1
	fi
}
[ $rc -eq 1 ] || { echo "FAILED: exit $rc, not 1"; fail=1; }
expect 'long_one() is 104 lines' "the long function"
expect 'a loop among files: tui/cli/a.c -> tui/cli/b.c' "the loop"
expect 'core/sl_bad.c reaches into the programs: tui/cli/x.h' "core including tui"
expect 'sl_bad.c:8: terminal output in the library' "printf in core"
expect 'sl_bad.c:9: process spawning in the library' "system() in core"
expect "mutable static state 'counter'" "the static counter"
expect 'tui/cli/q.c:2: SQL text in a program' "SQL in tui"
expect 'SQL function sl_twice is defined in 2 files' "the function defined twice"
expect 'README.md has 201 lines' "the long README"

# Mended, the same tree passes.
rm "$tmp/core/sl_long.c" "$tmp/tui/cli/b.c" "$tmp/core/sl_bad.c" \
    "$tmp/tui/cli/q.c" "$tmp/sql/functions/two.sql"
head -n 200 "$tmp/README.md" >"$tmp/R" && mv "$tmp/R" "$tmp/README.md"
if out=$(python3 "$here/structure.py" --root "$tmp"); then
	echo "ok: the mended tree passes"
else
	echo "$out"
	echo "FAILED: the mended tree is refused"
	fail=1
fi
[ $fail -eq 0 ] && echo "selftest: passed"
exit $fail
