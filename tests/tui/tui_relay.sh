#!/bin/sh
# A box office attached to the host's relay (issue 19): it opens no LISTEN
# connection of its own (no seatlock-listen backend, one seatlock-relay),
# and a sale elsewhere arrives through the relay.  The relay killed
# mid-stream: the box office says so, reloads and listens directly within
# 2 s, and a sale meanwhile is on its map.  A relay started again is used at
# the next reconnect.  A relay restarted while seats sell: nothing is lost,
# the map equals the database afterwards.  At 80x24, TERM=xterm-256color
# (UTF-8) and TERM=vt100 (ASCII).
. "$(dirname "$0")/tuilib"

relay_start() {
	"$SEATLOCK_BIN" relay --socket "$TL_TMP/relay.sock" \
	    >>"$TL_TMP/relay.log" 2>&1 &
	RELAY=$!
	_t0=$(tl_ms)
	until [ -S "$TL_TMP/relay.sock" ] &&
	    grep -q "relay: listening" "$TL_TMP/relay.log"; do
		[ $(($(tl_ms) - _t0)) -lt 5000 ] || tl_fail "the relay did not start"
		sleep 0.05
	done
}

relay_stop() {
	kill "-${1:-TERM}" "$RELAY" 2>/dev/null
	wait "$RELAY" 2>/dev/null
	RELAY=
}
RELAY=
trap 'relay_stop KILL; tl_cleanup' EXIT

# backends APP: how many server processes of application_name APP.
backends() {
	tl_sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1'"
}

# expected ROW: the row's glyphs as the database has them (sold or free).
expected() {
	tl_sql "SELECT string_agg(CASE WHEN b.booking_id IS NULL THEN '$TL_FREE' \
	    ELSE '$TL_SOLD' END, '' ORDER BY s.seat_id) FROM seat s \
	    JOIN show_seat ss ON ss.seat_id = s.seat_id AND ss.show_id = $TL_SHOW \
	    LEFT JOIN booking b ON b.seat_id = s.seat_id AND b.show_id = $TL_SHOW \
	    AND b.status = 'active' WHERE s.label LIKE '$1%'"
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Rita Relay"
	s="relay-$term"
	: >"$TL_TMP/relay.log"
	relay_start
	TL_CONF="notify = { relay_socket = \"$TL_TMP/relay.sock\"; };"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"
	grep -q "listening on seatlock_show_$TL_SHOW through the relay" \
	    "$TL_TMP/$s.log" || tl_fail "not attached to the relay"
	[ "$(backends seatlock-listen)" = 0 ] ||
	    tl_fail "a LISTEN connection of its own: $(backends seatlock-listen)"
	rpid=$(sed -n 's/.*relay: listening (server pid \([0-9]*\)).*/\1/p' \
	    "$TL_TMP/relay.log" | tail -n 1)
	[ "$(tl_sql "SELECT application_name FROM pg_stat_activity \
	    WHERE pid = ${rpid:-0}")" = seatlock-relay ] ||
	    tl_fail "the relay's backend ${rpid:-?} is not seatlock-relay"
	"$SEATLOCK_BIN" book "$TL_SHOW" A2 --user "$TL_USER" >/dev/null 2>&1 ||
	    tl_fail "seatlock book"
	tl_wait_row "$s" A "$TL_FREE$TL_SOLD($TL_FREE){8}" 5000
	tl_ok "$term: attached to the relay (0 seatlock-listen backends;" \
	    "the relay's is $rpid); a sale elsewhere arrives through it"

	# Killed mid-stream: the status says so, the map reloads, and within
	# 2 s it listens directly; a seat sold at once is on the map.
	t0=$(tl_ms)
	relay_stop KILL
	"$SEATLOCK_BIN" book "$TL_SHOW" A3 --user "$TL_USER" >/dev/null 2>&1 ||
	    tl_fail "seatlock book"
	tl_wait "$s" "Relay gone - listening directly|relay lost" 5000
	tl_wait_row "$s" A "$TL_FREE$TL_SOLD$TL_SOLD($TL_FREE){7}" 5000
	at=$(tl_log_ms "$TL_TMP/$s.log" \
	    "listener: listening on seatlock_show_$TL_SHOW \\(server pid" "$t0")
	[ -n "$at" ] || tl_fail "not listening directly after the relay died"
	[ $((at - t0)) -le 2000 ] ||
	    tl_fail "listening directly only after $((at - t0)) ms"
	grep -q "listener: relay lost" "$TL_TMP/$s.log" ||
	    tl_fail "the log does not say the relay was lost"
	tl_wait "$s" " live  term-"
	tl_ok "$term: relay killed: listening directly after $((at - t0)) ms," \
	    "the seat sold meanwhile is on the map"

	# A relay started again is used at the next reconnect.
	relay_start
	lpid=$(tl_backend "$s" listen)
	[ "$(tl_sql "SELECT pg_terminate_backend($lpid)")" = t ] ||
	    tl_fail "cannot end the direct listener"
	t0=$(tl_ms)
	until [ "$(grep -c "through the relay" "$TL_TMP/$s.log")" -ge 2 ]; do
		[ $(($(tl_ms) - t0)) -lt 5000 ] || tl_fail "not back on the relay"
		sleep 0.05
	done
	"$SEATLOCK_BIN" book "$TL_SHOW" A4 --user "$TL_USER" >/dev/null 2>&1 ||
	    tl_fail "seatlock book"
	tl_wait_row "$s" A "$TL_FREE$TL_SOLD$TL_SOLD$TL_SOLD($TL_FREE){6}" 5000
	tl_ok "$term: the relay started again is used at the next reconnect"

	# Restarted while seats sell: the map equals the database after.
	for seat in B1 B2 B3 B4 B5 B6 B7 B8 C1 C2 C3 C4; do
		"$SEATLOCK_BIN" book "$TL_SHOW" "$seat" --user "$TL_USER" \
		    >/dev/null 2>&1
		sleep 0.05
	done &
	seller=$!
	sleep 0.2
	relay_stop TERM
	relay_start
	wait "$seller"
	n=$(tl_sql "SELECT count(*) FROM booking WHERE show_id = $TL_SHOW \
	    AND status = 'active'")
	[ "$n" = 15 ] || tl_fail "$n active bookings, not 15"
	for row in A B C; do
		tl_wait_row "$s" "$row" "$(expected "$row")" 5000
	done
	tl_ok "$term: relay restarted while 12 seats sold: rows A, B, C equal" \
	    "the database"

	T send-keys -t "$s" q
	tl_wait_gone "$s" "Seats" 5000 2>/dev/null
	relay_stop TERM
	T kill-session -t "$s" 2>/dev/null
done
echo "tui_relay: all passed"
