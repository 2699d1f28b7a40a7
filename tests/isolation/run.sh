#!/bin/sh
# Runs PostgreSQL's isolation tester on every spec in specs/ against the
# migrated database named by the PG* variables, comparing with expected/.
# Usage: tests/isolation/run.sh OUTDIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run.sh OUTDIR}
regress=""
for d in /usr/lib/postgresql/*/lib/pgxs/src/test/isolation; do
	[ -x "$d/pg_isolation_regress" ] && regress=$d/pg_isolation_regress
done
if [ -z "$regress" ]; then
	echo "isolation: pg_isolation_regress not found (postgresql-client-15)" >&2
	exit 1
fi
specs=$(cd "$here/specs" && ls *.spec | sed 's/\.spec$//')
mkdir -p "$out"
# The specs' wrappers (fixture.sql), defined once for all of them.
psql -X -q -v ON_ERROR_STOP=1 -d "${PGDATABASE:-seatlock}" \
    -f "$here/fixture.sql" || exit 1
# shellcheck disable=SC2086
"$regress" --use-existing --dbname="${PGDATABASE:-seatlock}" \
    --inputdir="$here" --outputdir="$out" $specs
rc=$?
psql -X -q -d "${PGDATABASE:-seatlock}" -c \
    'DROP FUNCTION iso_book(text[], text, text); DROP FUNCTION iso_cancel(text)'
[ $rc -ne 0 ] && [ -f "$out/regression.diffs" ] && cat "$out/regression.diffs"
exit $rc
