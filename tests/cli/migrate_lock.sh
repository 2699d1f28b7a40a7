#!/bin/sh
# Issue 17, finding 16: any login holding pg_advisory_lock(74150001) made
# `seatlock db migrate` wait silently forever.  Now it waits at most 10 s,
# then fails with exit 3 (conflict) and a message naming the lock and the
# server pid of the session that holds it.
. "$(dirname "$0")/testlib"

# The holder: a psql session that takes the lock and keeps it 40 s at most.
psql -X -q -v ON_ERROR_STOP=1 -c "SELECT pg_advisory_lock(74150001)" \
    -c "SELECT pg_sleep(40)" >/dev/null 2>&1 &
holder=$!
i=0
pid=
while [ $i -lt 50 ]; do
	pid=$(psql -X -qAt -c "SELECT pid FROM pg_locks WHERE locktype = \
'advisory' AND granted AND classid = 0 AND objid = 74150001")
	[ -n "$pid" ] && break
	sleep 0.1
	i=$((i + 1))
done
check "a psql session holds the migration lock (pid $pid)" [ -n "$pid" ]

start=$(date +%s)
timeout 60 "$SL" db migrate >"$tmp/out" 2>"$tmp/err"
rc=$?
took=$(( $(date +%s) - start ))
check "db migrate gives up: exit 3 (got $rc)" [ "$rc" -eq 3 ]
check "within the bound (took $took s, at most 15)" [ "$took" -le 15 ]
stderr_has "holds the migration lock" "the message says another session holds the migration lock"
stderr_has "server pid $pid" "the message names the holder's pid"

# The holder gone, migrate runs as before.
psql -X -q -c "SELECT pg_terminate_backend($pid)" >/dev/null 2>&1
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect 0 "with the lock free, db migrate runs" db migrate
done_testing
