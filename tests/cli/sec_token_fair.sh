#!/bin/sh
# Issue 17, finding 15: one token must not starve the others in the shared
# pool of database connections.  Token A floods `seatlock serve` (pool of 4)
# with 24 clients booking a seat that another session holds locked, so
# each of A's calls keeps a connection for the lock timeout (1 s); token
# B's GET /shows meanwhile must be answered 200 within a second every
# time.  Before per-client fairness B queued behind A's calls: 3.5-5 s or
# 503.  Bounded: the flood stops after 9 s, the lock after 15 s.
. "$(dirname "$0")/../lib/api.sh"

ra=sl_fair_a_$$
rb=sl_fair_b_$$
psql -X -q -c "CREATE ROLE $ra NOLOGIN" -c "CREATE ROLE $rb NOLOGIN" \
    -c "GRANT seatlock_clerk TO $ra, $rb" >/dev/null
drop_roles_at_exit "$ra" "$rb"

A=fair-a-0123456789abcdefghij
B=fair-b-0123456789abcdefghij
show=$(mkshow 1 10)
conf "database = { lock_timeout_ms = 1000; };
booking = { retries = 0; };
api = {
	pool_size = 4;
	tokens = (
		{ token = \"$A\"; role = \"$ra\"; },
		{ token = \"$B\"; role = \"$rb\"; }
	);
};"
api_start

post /users/register '{"name":"Fair A","email":"fair-a-'$$'@example.com"}' \
    -H "Authorization: Bearer $A"
check "token A registers its customer" "$STATUS" 201
user=$(jf '.user_id // .id')

# Another session holds seat A1's row lock for 15 s.
lock_seat "$show" A1 15

# Token A's flood: 24 clients, each booking A1 again and again for 9 s.
end=$(($(date +%s) + 9))
n=0
pids=""
while [ $n -lt 24 ]; do
	(
		while [ "$(date +%s)" -lt "$end" ]; do
			curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 \
			    -X POST -H "$JSON" -H "Authorization: Bearer $A" \
			    --data-binary "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}" \
			    "$API/bookings"
		done
	) >>"$T/flood.$n" &
	pids="$pids $!"
	n=$((n + 1))
done
sleep 2

# Token B's probes while the flood goes on.
slow=0
bad=0
for i in 1 2 3 4 5 6; do
	t0=$(date +%s%N)
	req GET /shows -H "Authorization: Bearer $B"
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "probe $i: $STATUS in $ms ms"
	[ "$STATUS" = 200 ] || bad=$((bad + 1))
	[ "$ms" -lt 1000 ] || slow=$((slow + 1))
	sleep 0.5
done
check "token B's GET /shows all answered 200 during A's flood" "$bad" 0
check "token B's GET /shows all within 1 s during A's flood" "$slow" 0
# shellcheck disable=SC2086
wait $pids
cat "$T"/flood.* > "$T/flood"
check "token A's flood was slow (seat busy) calls" \
    "$(grep -c '^409$' "$T/flood" | awk '{ print ($1 >= 10) }')" 1
kill "$LOCKER" 2>/dev/null
wait "$LOCKER" 2>/dev/null
api_stop
finish
