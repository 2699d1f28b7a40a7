#!/bin/sh
# Issue 17, finding 3: a box office knows when no notifier runs.  A box
# office of a plain clerk (not a notifier candidate) with `seatlock
# notifier` running says live; the notifier is killed: within about 5 s its
# status says "not live", and a sale made through the command line
# meanwhile shows on its map within a few seconds (it reloads); the
# notifier comes back: live again.  The heartbeat is read from the lease
# (notifier_lease), never from a NOTIFY.  At TERM=xterm-256color and
# TERM=vt100, 80x24.
. "$(dirname "$0")/tuilib"

clerk=tnl_c_$$
nl_cleanup() {
	psql -X -q -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1
	tl_cleanup
}
trap nl_cleanup EXIT

"$SEATLOCK_BIN" clerk add "$clerk" --role clerk >/dev/null 2>&1 ||
    tl_fail "clerk add"
# The box office logs in as the clerk: no candidate of its own.
TL_ENV="PGUSER=$clerk"
for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	s="notlive-$term"
	tl_notifier
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-" 8000
	grep -q "batched push: this box office may send" "$TL_TMP/$s.log" &&
	    tl_fail "a clerk's box office ran a notifier candidate"
	tl_ok "$term: a clerk's box office is live while a notifier runs"

	tl_notifier_stop
	t0=$(tl_ms)
	tl_wait "$s" "not live" 6000
	tl_ok "$term: the notifier gone, it says not live after $(($(tl_ms) - t0)) ms"
	"$SEATLOCK_BIN" book "$TL_SHOW" A1 >/dev/null 2>&1 ||
	    tl_fail "seatlock book A1"
	t0=$(tl_ms)
	tl_wait_row "$s" A "$TL_SOLD($TL_FREE){9}" 5000
	tl_ok "$term: a sale made meanwhile shows after $(($(tl_ms) - t0)) ms (reload)"

	tl_notifier
	tl_wait "$s" " live  term-" 5000
	tl_wait_gone "$s" "not live" 1000
	"$SEATLOCK_BIN" book "$TL_SHOW" A2 >/dev/null 2>&1 ||
	    tl_fail "seatlock book A2"
	tl_wait_row "$s" A "$TL_SOLD$TL_SOLD($TL_FREE){8}" 3000
	tl_ok "$term: the notifier back, live again and pushed"
	tl_notifier_stop
	T send-keys -t "$s" q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "$s: q did not exit 0"
done
echo "tui_notlive: all passed"
