#!/bin/sh
# Two box offices side by side on one show stay in agreement: a sale in
# one appears in the other within 1 second; a seat booked or cancelled
# through the command line appears in both; a seat in one clerk's
# selection is held for that terminal and cannot be taken by the other.
# At TERM=xterm-256color (UTF-8) and TERM=vt100 (ASCII).
. "$(dirname "$0")/tuilib"

# within TARGET LOG ROW REGEX T0 WHAT: the row must show REGEX, and the
# box office must have re-read the seats within 1 s of T0, taken just before
# the change was asked for (its log says when it acted; the screen itself
# is polled with a looser bound, as tmux may lag on a loaded machine).
within() {
	tl_wait_row "$1" "$3" "$4" 5000
	# The re-read is looked for from $7 (the key press) if given: the
	# other box office may hear of a commit before the seller's own log
	# line that $5 is read from.
	_at=$(tl_log_ms "$2" "live: re-read|live: reloaded" "${7:-$5}")
	[ -n "$_at" ] || tl_fail "$6: nothing re-read in $2 after ${7:-$5}"
	_dt=$((_at - $5))
	[ "$_dt" -ge 0 ] || _dt=0
	[ "$_dt" -le 1000 ] || tl_fail "$6 took $_dt ms (limit 1000 ms)"
	tl_ok "$6 ($_dt ms after the request; on screen after $(($(tl_ms) - $5)) ms)"
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Lisa Live"
	s="live-$term"
	# One window, two panes of 80x24 side by side.
	T new-session -d -s "$s" -x 161 -y 24 "sleep 120" ||
	    tl_fail "tmux new-session"
	for p in a b; do
		cat >"$TL_TMP/$p.conf" <<CONF
terminal = { name = "term-$p"; };
log = { file = "$TL_TMP/$p-$term.log"; };
CONF
	done
	T respawn-pane -k -t "$s.0" "env TERM=$term LANG=$lang LC_ALL=$lang \
	    SEATLOCK_CONFIG=$TL_TMP/a.conf $SEATLOCK_BIN tui --show $TL_SHOW; \
	    echo \$? >$TL_TMP/$s-a.rc; sleep 30"
	T split-window -h -l 80 -t "$s.0" "env TERM=$term LANG=$lang \
	    LC_ALL=$lang SEATLOCK_CONFIG=$TL_TMP/b.conf $SEATLOCK_BIN tui \
	    --show $TL_SHOW; echo \$? >$TL_TMP/$s-b.rc; sleep 30"
	A="$s.0" B="$s.1"
	tl_wait "$A" " live  term-a "
	tl_wait "$B" " live  term-b "
	tl_ok "$term: two box offices side by side on show $TL_SHOW"

	# B selects C1: that holds it for B, and A sees it held by term-b.
	T send-keys -t "$B" C 1 Space
	tl_wait "$B" "Selected 1: C1  hold [0-9]+:[0-9]{2}"
	tl_wait_row "$A" C "$TL_HELD($TL_FREE){9}" 5000
	T send-keys -t "$A" C 1 Space
	tl_wait "$A" "C1 is held at term-b - pick another seat"
	tl_ok "$term: C1 selected in B is held for term-b in A, not selectable"

	# A sells A1 (typed label, Space, Enter): B sees it within 1 s.
	T send-keys -t "$A" A 1 Space Enter
	tl_wait "$A" "Customer - type a name"
	T send-keys -t "$A" -l "Lisa"
	tl_wait "$A" "Lisa Live"
	T send-keys -t "$A" Enter
	tl_wait "$A" "Confirm the sale"
	t0=$(tl_ms)
	T send-keys -t "$A" y
	tl_wait "$A" "Sold A1 to Lisa Live"
	within "$B" "$TL_TMP/b-$term.log" A "$TL_SOLD($TL_FREE){9}" "$t0" \
	    "$term: the sale in A appears in B within 1 s"
	tl_wait "$B" "Selected 1: C1"

	# B sells its held C1: A sees it sold within 1 s.
	T send-keys -t "$B" Enter
	tl_wait "$B" "Customer - type a name"
	T send-keys -t "$B" -l "Lisa"
	tl_wait "$B" "Lisa Live"
	T send-keys -t "$B" Enter
	tl_wait "$B" "Confirm the sale"
	t0=$(tl_ms)
	T send-keys -t "$B" y
	tl_wait "$B" "Sold C1 to Lisa Live"
	# From the moment B's sale was done (its log): the key's way through
	# tmux to B is not what is measured here.
	t1=$(tl_log_ms "$TL_TMP/b-$term.log" "book show [0-9]+ for user" "$t0")
	[ -n "$t1" ] || tl_fail "$term: B's log has no sale after $t0"
	within "$A" "$TL_TMP/a-$term.log" C "$TL_SOLD($TL_FREE){9}" "$t1" \
	    "$term: B's sale of its hold appears in A within 1 s" "$t0"

	# The command line sells B5: both maps show it.
	t0=$(tl_ms)
	"$SEATLOCK_BIN" book "$TL_SHOW" B5 --user "$TL_USER" >/dev/null ||
	    tl_fail "seatlock book"
	within "$A" "$TL_TMP/a-$term.log" B "($TL_FREE){4}$TL_SOLD($TL_FREE){5}" \
	    "$t0" "$term: a CLI booking appears in A within 1 s"
	within "$B" "$TL_TMP/b-$term.log" B "($TL_FREE){4}$TL_SOLD($TL_FREE){5}" \
	    "$t0" "$term: a CLI booking appears in B within 1 s"

	# And a cancel through the command line frees it in both.
	id=$(psql -Atqc "SELECT b.booking_id FROM booking b JOIN seat s \
	    USING (seat_id) WHERE b.show_id = $TL_SHOW AND s.label = 'B5'")
	t0=$(tl_ms)
	"$SEATLOCK_BIN" cancel "$id" 2>/dev/null || tl_fail "seatlock cancel"
	within "$A" "$TL_TMP/a-$term.log" B "($TL_FREE){10}" "$t0" \
	    "$term: a CLI cancel appears in A"
	within "$B" "$TL_TMP/b-$term.log" B "($TL_FREE){10}" "$t0" \
	    "$term: a CLI cancel appears in B"

	# The counts agree with the database.
	free=$(psql -Atqc "SELECT count(*) FROM show_seat WHERE show_id = \
	    $TL_SHOW AND state = 'available'")
	tl_wait "$A" "free $free  sold 2"
	tl_wait "$B" "free $free  sold 2"
	tl_ok "$term: both show free $free, sold 2, as the database says"

	T send-keys -t "$A" q
	T send-keys -t "$B" q
	[ "$(tl_exit_status "$s-a")" = 0 ] || tl_fail "A did not exit 0"
	[ "$(tl_exit_status "$s-b")" = 0 ] || tl_fail "B did not exit 0"
	tl_ok "$term: both exit 0 on q"
	T kill-session -t "$s"
done
echo "tui_live: all passed"
