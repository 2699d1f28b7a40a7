#!/bin/sh
# Batched live push with no `seatlock notifier` running: the box offices
# themselves are the notifier's candidates (sl_notifier_auto).  The first
# box office leads (it holds the lease, notifier_lease); a sale made
# elsewhere in batched mode appears on both maps; when the leader quits,
# its notifier's backend goes with it and the other box office takes over:
# the next sale still appears.  At TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

TL_CONF='notify = { mode = "batched"; };'
printf '%s\n' "$TL_CONF" >"$TL_TMP/batched.conf"
chmod 600 "$TL_TMP/batched.conf"

# leaders: notifiers holding a fresh lease (sl_notifier.c).
leaders() {
	# the lease (0017; it was an advisory lock anyone could take)
	tl_sql "SELECT count(*) FROM notifier_lease l JOIN pg_stat_activity a
	    ON a.pid = l.pid WHERE a.application_name = 'seatlock notifier'
	    AND l.beat > clock_timestamp() - interval '3 s'"
}
# notifiers: connections of notifiers (leading or not).
notifiers() {
	tl_sql "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'seatlock notifier'"
}
# logged: the change log's identity (moves when a sale appends to it).
logged() {
	tl_sql "SELECT coalesce(last_value, 0) FROM pg_sequences
	    WHERE sequencename = 'show_change_change_id_seq'"
}
# wait_sql WHAT WANT MS: polls a function above until it prints WANT.
wait_sql() {
	_end=$(($(tl_ms) + $3))
	while [ "$(tl_ms)" -lt "$_end" ]; do
		[ "$($1)" = "$2" ] && return 0
		sleep 0.1
	done
	tl_fail "$1: $($1), want $2"
}
# sell LABEL: a booking in batched mode through the command line.
sell() {
	SEATLOCK_CONFIG="$TL_TMP/batched.conf" "$SEATLOCK_BIN" book \
	    "$TL_SHOW" "$1" --user "$TL_USER" >/dev/null 2>&1 ||
	    tl_fail "seatlock book $1"
}

wait_sql notifiers 0 10000
for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Bea Batched"
	a="batched-a-$term" b="batched-b-$term"
	tl_start "$a" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$a" " live  term-"
	wait_sql leaders 1 5000
	grep -q "batched push: this box office may send" "$TL_TMP/$a.log" ||
	    tl_fail "$a: its log does not say it is a notifier candidate"
	tl_start "$b" 100x30 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$b" " live  term-"
	wait_sql notifiers 2 5000
	[ "$(leaders)" = 1 ] || tl_fail "two leaders"
	tl_ok "$term: two box offices, two notifier candidates, one leader"

	l0=$(logged)
	sell A1
	[ "$(logged)" -gt "$l0" ] ||
	    tl_fail "the sale did not go to the change log (batched mode)"
	tl_wait_row "$a" A "$TL_SOLD($TL_FREE){9}" 5000
	tl_wait_row "$b" A "$TL_SOLD($TL_FREE){9}" 5000
	[ "$(tl_sql "SELECT count(*) FROM show_change
	    WHERE show_id = $TL_SHOW")" = 0 ] ||
	    tl_fail "the change log of the show was not flushed"
	tl_ok "$term: a batched sale appears on both maps, no notifier daemon"

	# The leader quits: its notifier goes with it, the other leads.
	T send-keys -t "$a" q
	[ "$(tl_exit_status "$a")" = 0 ] || tl_fail "$a: q did not exit 0"
	wait_sql notifiers 1 2000
	wait_sql leaders 1 5000
	sell A2
	tl_wait_row "$b" A "$TL_SOLD$TL_SOLD($TL_FREE){8}" 5000
	tl_ok "$term: the leader quit; the other box office took over"
	T send-keys -t "$b" q
	[ "$(tl_exit_status "$b")" = 0 ] || tl_fail "$b: q did not exit 0"
	wait_sql notifiers 0 2000
done
echo "tui_batched: all passed"
