#!/bin/sh
# The server restarts under a running box office: the status bar says
# "reconnecting", the program does not exit, it reconnects with back-off,
# LISTENs, reloads, and a booking made elsewhere after the restart (even
# before it is back) appears on its map.  Stops and starts the test
# cluster, so it restores the cluster on the way out whatever happens.
. "$(dirname "$0")/tuilib"

pgc="$TL_TOP/.ci/pgcluster.sh"
restore() {
	"$pgc" start test >/dev/null 2>&1
	tl_cleanup
}
trap restore EXIT

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Rita Restart"
	s="restart-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"
	tl_ok "$term: live on show $TL_SHOW"

	# B1 selected, to see that the selection survives the restart.
	T send-keys -t "$s" B 1 Space
	tl_wait "$s" "Selected 1: B1"

	"$pgc" stop test >/dev/null || tl_fail "cannot stop the cluster"
	tl_wait "$s" "reconnecting" 15000
	tl_wait "$s" "may be out of date"
	tl_ok "$term: server down: the status bar says reconnecting"

	"$pgc" start test >/dev/null || tl_fail "cannot start the cluster"
	# Booked at once, while the box office may still be waiting to
	# retry: the reload after reconnecting must bring it in.
	"$SEATLOCK_BIN" book "$TL_SHOW" A2 --user "$TL_USER" >/dev/null ||
	    tl_fail "seatlock book after restart"
	tl_wait "$s" " live  term-" 20000
	tl_wait_row "$s" A "$TL_FREE$TL_SOLD($TL_FREE){8}" 5000
	tl_ok "$term: reconnected, and the booking made meanwhile is shown"

	# Live again: the next one arrives through NOTIFY.
	"$SEATLOCK_BIN" book "$TL_SHOW" A3 --user "$TL_USER" >/dev/null ||
	    tl_fail "seatlock book"
	t0=$(tl_ms)
	tl_wait_row "$s" A "$TL_FREE$TL_SOLD$TL_SOLD($TL_FREE){7}" 5000
	tl_ok "$term: a booking after the reconnect appears ($(($(tl_ms) - t0)) ms)"
	tl_wait "$s" "Selected 1: B1"
	tl_ok "$term: the selection survived the restart"

	# And it still sells: the booking connection reconnects too.
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	# By this run's own email: other tests have their Ritas too.
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	tl_wait "$s" "Rita Restart +<$TL_EMAIL>"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	T send-keys -t "$s" y
	tl_wait "$s" "Sold B1 to Rita Restart"
	tl_ok "$term: sells after the restart"

	T send-keys -t "$s" q
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "$term: exit status $rc"
	grep -q "listening on seatlock_show_$TL_SHOW" "$TL_TMP/$s.log" ||
	    tl_fail "no LISTEN in the log"
	tl_ok "$term: q exits 0; the log tells the story"
done
echo "tui_restart: all passed"
