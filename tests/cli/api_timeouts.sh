#!/bin/sh
# Timeouts and the stop: a request that waits too long for a pooled
# connection gets 503 and gives nothing back it did not take; a client
# that sends half a request is cut off after api.request_timeout_s;
# SIGTERM lets the request in flight finish (201), ends event streams,
# refuses new connections, and exits 0.
. "$(dirname "$0")/../lib/api.sh"

show=$(mkshow 1 6)
user=$(mkuser)
conf 'database = { lock_timeout_ms = 15000; };
api = { pool_size = 1; pool_wait_ms = 300; request_timeout_s = 2; };'
api_start
port=${API##*:}

# hold_lock SECONDS: another session holds seat A1's row lock meanwhile.
hold_lock() {
	lock_seat "$show" A1 "$1"
}

# wait_api_lock: until the server's booking waits for that lock.
wait_api_lock() {
	i=0
	until [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE \
	    application_name = 'seatlock' AND wait_event_type = 'Lock'")" -ge 1 ] ||
	    [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

book_a1() {
	curl -s --max-time 40 -o "$T/a1.body" -w '%{http_code}' -H "$JSON" \
	    --data-binary "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A1\"]}" \
	    "$API/bookings" > "$T/a1.code"
}

echo "-- waiting for the pool"
hold_lock 4
book_a1 &
booker=$!
wait_api_lock
req GET /shows
check "the only connection is busy: 503" "$STATUS" 503
check "503 code" "$(jf .error)" unavailable
check_has "503 says when to retry" "$(cat "$T/headers")" "Retry-After:"
wait "$booker"
check "the waiting booking went through when the lock was gone" "$(cat "$T/a1.code")" 201
wait "$LOCKER"
req GET /health
check "the connection is back" "$(jf .pool.idle)" 1
check "one pool timeout counted" "$(jf .pool.timeouts)" 1
req GET /shows
check "and serves again" "$STATUS" 200

echo "-- half a request"
secs=$(timeout 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port
	printf 'GET /shows HTTP/1.1\r\nHost: x\r\n' >&3
	s=\$(date +%s); cat <&3 >/dev/null; echo \$((\$(date +%s) - s))")
check "the server hung up on it" "$(test -n "$secs" && echo yes)" yes
if [ -n "$secs" ] && [ "$secs" -le 10 ]; then
	ok "within the request timeout ($secs s, limit 2 s)"
else
	fail "half a request kept its connection ${secs:-20+} s"
fi

echo "-- SIGTERM drains"
sql "UPDATE booking SET status = 'cancelled', cancelled_at = now() WHERE show_id = $show;
    UPDATE show_seat SET state = 'available' WHERE show_id = $show" >/dev/null
curl -sN --max-time 30 "$API/shows/$show/events" > "$T/sse" &
sse=$!
hold_lock 3
book_a1 &
booker=$!
wait_api_lock
kill -TERM "$SRV_PID"
i=0
while curl -s -o /dev/null --max-time 1 "$API/health" && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
curl -s -o /dev/null --max-time 2 "$API/health"
check "new connections refused while draining (curl exit 7)" "$?" 7
wait "$sse"
check "the event stream ended by itself" "$?" 0
wait "$booker"
check "the booking in flight finished" "$(cat "$T/a1.code")" 201
check "and it is in the database" "$(sql "SELECT count(*) FROM booking WHERE \
    show_id = $show AND status = 'active'")" 1
wait "$LOCKER"
i=0
while kill -0 "$SRV_PID" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
wait "$SRV_PID"
check "the server exited 0" "$?" 0
SRV_PID=""
check_has "the log tells the drain" "$(cat "$T/server.log")" "draining"
check_has "and the stop" "$(cat "$T/server.log")" "stopped"
finish
