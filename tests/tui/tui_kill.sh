#!/bin/sh
# pg_terminate_backend on either connection of a running box office: the
# listener (application_name seatlock-listen) comes back by itself, LISTENs
# and reloads, so a seat sold meanwhile appears; the booking connection
# (seatlock) is reconnected by the next sale, which sells; and a sale whose
# backend is terminated while it waits for a seat lock is looked up by its
# request key, sent again and sold exactly once.  The backends are found
# through the box office's own log and checked in pg_stat_activity.
. "$(dirname "$0")/tuilib"

term=xterm-256color lang=C.UTF-8
tl_glyphs "$lang"
tl_venue
tl_user "Kim Kill"
s=kill
# Long enough that the sale below waits for the test's lock, not for
# lock_timeout.
TL_CONF='database = { lock_timeout_ms = 30000; };'
tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
tl_wait "$s" " live  term-"

lpid=$(tl_backend "$s" listen)
dpid=$(tl_backend "$s" db)
[ -n "$lpid" ] && [ -n "$dpid" ] || tl_fail "no server pids in the log"
[ "$(tl_sql "SELECT application_name FROM pg_stat_activity \
    WHERE pid = $lpid")" = seatlock-listen ] || tl_fail "listener $lpid"
[ "$(tl_sql "SELECT application_name FROM pg_stat_activity \
    WHERE pid = $dpid")" = seatlock ] || tl_fail "booking connection $dpid"
tl_ok "backends: listener $lpid (seatlock-listen), bookings $dpid (seatlock)"

# 1. The listener.  A seat sold right after, while it may be down, must
# come in through the reload after it LISTENs again.
[ "$(tl_sql "SELECT pg_terminate_backend($lpid)")" = t ] ||
    tl_fail "cannot terminate the listener"
"$SEATLOCK_BIN" book "$TL_SHOW" A2 --user "$TL_USER" >/dev/null ||
    tl_fail "seatlock book"
t0=$(tl_ms)
while [ "$(tl_backend "$s" listen)" = "$lpid" ]; do
	[ $(($(tl_ms) - t0)) -lt 15000 ] || tl_fail "the listener is not back"
	sleep 0.05
done
grep -q "listener: connection to the database lost" "$TL_TMP/$s.log" ||
    tl_fail "the log does not say the listener was lost"
tl_wait "$s" " live  term-"
tl_wait_row "$s" A "$TL_FREE$TL_SOLD($TL_FREE){8}" 5000
tl_ok "listener terminated: back as $(tl_backend "$s" listen) after" \
    "$(($(tl_ms) - t0)) ms, the seat sold meanwhile is shown"
"$SEATLOCK_BIN" book "$TL_SHOW" A3 --user "$TL_USER" >/dev/null ||
    tl_fail "seatlock book"
tl_wait_row "$s" A "$TL_FREE$TL_SOLD$TL_SOLD($TL_FREE){7}" 5000
tl_ok "live again: the next sale elsewhere arrives by NOTIFY"

# sell LABEL: sells one seat through the screens, up to the confirm key.
sell() {
	T send-keys -t "$s" "$(echo "$1" | cut -c1)" "$(echo "$1" | cut -c2-)" \
	    Space
	tl_wait "$s" "Selected 1: $1"
	# Selecting holds the seat; a second argument runs after that.
	[ -z "${2:-}" ] || "$2"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" -l "Kim"
	tl_wait "$s" "Kim Kill"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	T send-keys -t "$s" y
}

# 2. The booking connection, idle: the next thing that uses it reconnects.
dpid=$(tl_backend "$s" db)
[ "$(tl_sql "SELECT pg_terminate_backend($dpid)")" = t ] ||
    tl_fail "cannot terminate the booking connection"
sell B1
tl_wait "$s" "Sold B1 to Kim Kill"
[ "$(tl_backend "$s" db)" != "$dpid" ] || tl_fail "did not reconnect"
tl_ok "booking connection terminated while idle: reconnected" \
    "($dpid -> $(tl_backend "$s" db)), B1 sold"

# 3. The booking connection, terminated while the sale waits for a lock
# that the test holds in an open transaction (psql in a tmux window; a
# trailing ; would end the tmux command, hence \;).
lock_c1() {
	T new-window -d -t "$s" -n locker "psql -X -q"
	T send-keys -t "$s:locker" "BEGIN; SELECT 1 FROM show_seat ss JOIN seat s \
	USING (seat_id) WHERE ss.show_id = $TL_SHOW AND s.label = 'C1' FOR UPDATE\\;" \
	    Enter
	t0=$(tl_ms)
	until [ "$(tl_sql "SELECT count(*) FROM pg_stat_activity WHERE \
	    application_name = 'psql' AND state = 'idle in transaction'")" -ge 1 ]; do
		[ $(($(tl_ms) - t0)) -lt 10000 ] || tl_fail "psql holds no lock"
		sleep 0.05
	done
	dpid=$(tl_backend "$s" db)
}
sell C1 lock_c1
waiting() {
	tl_sql "SELECT pid FROM pg_stat_activity WHERE application_name = \
	    'seatlock' AND wait_event_type = 'Lock' AND \
	    query LIKE '%sl_book%' AND pid <> ${1:-0} LIMIT 1"
}
t0=$(tl_ms)
until [ "$(waiting)" = "$dpid" ]; do
	[ $(($(tl_ms) - t0)) -lt 10000 ] || tl_fail "the sale does not wait"
	sleep 0.05
done
[ "$(tl_sql "SELECT pg_terminate_backend($dpid)")" = t ] ||
    tl_fail "cannot terminate the waiting booking"
t0=$(tl_ms)
until [ -n "$(waiting "$dpid")" ]; do
	[ $(($(tl_ms) - t0)) -lt 15000 ] ||
	    tl_fail "the sale was not sent again"
	sleep 0.05
done
tl_ok "sale terminated in its lock wait: sent again after" \
    "$(($(tl_ms) - t0)) ms, waiting on backend $(waiting "$dpid")"
T send-keys -t "$s:locker" "ROLLBACK\\;" Enter
tl_wait "$s" "Sold C1 to Kim Kill" 15000
# A held selection is sold by sl_sell_hold, which sends the same request
# key again (the server answers a key it knows from the first attempt);
# only sl_book_seats looks the key up first and logs it.
n=$(tl_sql "SELECT count(*) FROM booking b JOIN seat s USING (seat_id) \
    WHERE b.show_id = $TL_SHOW AND s.label = 'C1'")
[ "$n" = 1 ] || tl_fail "C1 has $n bookings"
[ "$(tl_sql "SELECT count(*) FROM booking WHERE show_id = $TL_SHOW AND \
    status = 'active'")" = 4 ] || tl_fail "not 4 active bookings"
tl_ok "C1 sold exactly once (sent again with the same request key)"

T send-keys -t "$s:0" q
rc=$(tl_exit_status "$s")
[ "$rc" = 0 ] || tl_fail "exit status $rc"
tl_ok "q exits 0"
echo "tui_kill: all passed"
