#!/bin/sh
# Two box offices side by side on one show stay in agreement: a sale in
# one appears in the other within 1 second; a seat booked or cancelled
# through the command line appears in both; a seat in one clerk's
# selection that another terminal sells is dropped from it with a message.
# At TERM=xterm-256color (UTF-8) and TERM=vt100 (ASCII).
. "$(dirname "$0")/tuilib"

# within TARGET LOG ROW REGEX T0 WHAT: the row must show REGEX, and the
# box office must have re-read the seats within 1 s of T0, taken just before
# the change was asked for (its log says when it acted; the screen itself
# is polled with a looser bound, as tmux may lag on a loaded machine).
within() {
	tl_wait_row "$1" "$3" "$4" 5000
	_at=$(tl_log_ms "$2" "live: re-read|live: reloaded" "$5")
	[ -n "$_at" ] || tl_fail "$6: nothing re-read in $2 after $5"
	_dt=$((_at - $5))
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

	# B selects C1; A sells A1 then C1 (typed labels, Space, Enter).
	T send-keys -t "$B" C 1 Space
	tl_wait "$B" "Selected 1: C1"
	T send-keys -t "$A" A 1 Space C 1 Space Enter
	tl_wait "$A" "Customer - type a name"
	T send-keys -t "$A" -l "Lisa"
	tl_wait "$A" "Lisa Live"
	T send-keys -t "$A" Enter
	tl_wait "$A" "Confirm the sale"
	t0=$(tl_ms)
	T send-keys -t "$A" y
	tl_wait "$A" "Sold A1 C1 to Lisa Live"
	within "$B" "$TL_TMP/b-$term.log" A "$TL_SOLD($TL_FREE){9}" "$t0" \
	    "$term: the sale in A appears in B within 1 s"
	tl_wait "$B" "C1 was just sold at another terminal - removed from your selection"
	tl_wait_gone "$B" "Selected 1"
	tl_ok "$term: B's selected C1, sold by A, left B's selection with a message"

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
