#!/bin/sh
# Holds across two box offices side by side: seats selected in A are held
# for A (checked in SQL) and shown held in B, with A's terminal name for
# the seat under B's cursor; unselecting in A frees the seat in B, and so
# does clearing the selection; a hold runs out (booking.hold_minutes = 1
# in A's config file): A drops it with a message and B shows the seat free;
# a supervisor's release elsewhere is reported as such; quitting A
# releases its hold.  At TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

# active_holds: the show's live holds, "terminal:seats" per line.
active_holds() {
	psql -Atqc "SELECT terminal || ':' || cardinality(seat_ids) FROM hold \
	    WHERE show_id = $TL_SHOW AND status = 'active' ORDER BY hold_id"
}

# wait_holds EXPECTED: waits (bounded) until active_holds says EXPECTED.
wait_holds() {
	_end=$(($(tl_ms) + 10000))
	while [ "$(tl_ms)" -lt "$_end" ]; do
		[ "$(active_holds)" = "$1" ] && return 0
		sleep 0.1
	done
	tl_fail "$term: expected holds '$1', got '$(active_holds)'"
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	s="holds-$term"
	T new-session -d -s "$s" -x 161 -y 24 "sleep 300" ||
	    tl_fail "tmux new-session"
	cat >"$TL_TMP/a.conf" <<CONF
terminal = { name = "term-a"; };
booking = { hold_minutes = 1; };
log = { file = "$TL_TMP/a-$term.log"; };
CONF
	cat >"$TL_TMP/b.conf" <<CONF
terminal = { name = "term-b"; };
log = { file = "$TL_TMP/b-$term.log"; };
CONF
	chmod 600 "$TL_TMP/a.conf" "$TL_TMP/b.conf"
	T respawn-pane -k -t "$s.0" "env TERM=$term LANG=$lang LC_ALL=$lang \
	    SEATLOCK_CONFIG=$TL_TMP/a.conf $SEATLOCK_BIN tui --show $TL_SHOW; \
	    echo \$? >$TL_TMP/$s-a.rc; sleep 30"
	T split-window -h -l 80 -t "$s.0" "env TERM=$term LANG=$lang \
	    LC_ALL=$lang SEATLOCK_CONFIG=$TL_TMP/b.conf $SEATLOCK_BIN tui \
	    --show $TL_SHOW; echo \$? >$TL_TMP/$s-b.rc; sleep 30"
	A="$s.0" B="$s.1"
	tl_wait "$A" " live  term-a "
	tl_wait "$B" " live  term-b "

	# A selects B3 and B4: one hold of term-a with both, shown in B.
	T send-keys -t "$A" B 3 Space l Space
	tl_wait "$A" "Selected 2: B3 B4  hold [01]:[0-9]{2}"
	[ "$(active_holds)" = "term-a:2" ] ||
	    tl_fail "$term: expected one hold of term-a with 2 seats, got '$(active_holds)'"
	tl_wait_row "$B" B "($TL_FREE){2}$TL_HELD$TL_HELD($TL_FREE){6}" 5000
	T send-keys -t "$B" B 3
	tl_wait "$B" "B3 .*row B seat 3 .*held by term-a until [0-9]{2}:[0-9]{2}"
	tl_ok "$term: B3 B4 selected in A are one hold of term-a, held by term-a in B"

	# A unselects B4 (the cursor is on it): free again in B.
	T send-keys -t "$A" Space
	tl_wait "$A" "Selected 1: B3  hold"
	tl_wait_row "$B" B "($TL_FREE){2}$TL_HELD($TL_FREE){7}" 5000
	[ "$(active_holds)" = "term-a:1" ] ||
	    tl_fail "$term: the hold should keep B3 alone, got '$(active_holds)'"
	tl_ok "$term: B4 unselected in A is free again in B and in the hold"

	# x clears the selection: no hold left, B3 free in B.
	T send-keys -t "$A" x
	tl_wait "$A" "Selection cleared"
	tl_wait_row "$B" B "($TL_FREE){10}" 5000
	[ -z "$(active_holds)" ] ||
	    tl_fail "$term: a hold is left after clearing: '$(active_holds)'"
	tl_ok "$term: clearing the selection releases the hold"

	# A supervisor (the test's superuser) releases A's hold at another
	# terminal: A says so, and does not blame expiry (issue 17, finding 7).
	T send-keys -t "$A" B 6 Space
	tl_wait "$A" "Selected 1: B6  hold"
	wait_holds "term-a:1"
	psql -Atqc "SELECT outcome FROM sl_release((SELECT hold_id FROM hold \
	    WHERE show_id = $TL_SHOW AND status = 'active'), 'desk')" >/dev/null
	tl_wait "$A" "Your hold on .*released at another terminal" 10000
	tl_wait_row "$B" B "($TL_FREE){10}" 5000
	tl_ok "$term: a hold released by a supervisor elsewhere: A says released at another terminal"

	# Expiry: A holds C2 for its one minute; then A drops it with a
	# message, B shows it free, and the database has no live hold.
	T send-keys -t "$A" C 2 Space
	tl_wait "$A" "Selected 1: C2  hold"
	tl_wait_row "$B" C "$TL_FREE$TL_HELD($TL_FREE){8}" 5000
	t0=$(tl_ms)
	tl_wait "$A" "Your hold on C2 ran out" 90000
	tl_wait_row "$B" C "($TL_FREE){10}" 10000
	[ -z "$(active_holds)" ] ||
	    tl_fail "$term: the expired hold is still active: '$(active_holds)'"
	n=$(psql -Atqc "SELECT count(*) FROM hold WHERE show_id = $TL_SHOW \
	    AND status = 'expired'")
	[ "$n" = 1 ] || tl_fail "$term: expected 1 expired hold, got $n"
	tl_ok "$term: the hold ran out after $((($(tl_ms) - t0) / 1000)) s: dropped in A, free in B"

	# Quitting A with seats selected asks, then releases the hold.  (The
	# message above still covers A's selection line.)
	T send-keys -t "$A" A 5 Space
	wait_holds "term-a:1"
	tl_wait_row "$B" A "($TL_FREE){4}$TL_HELD($TL_FREE){5}" 5000
	T send-keys -t "$A" q
	tl_wait "$A" "Quit\\?"
	T send-keys -t "$A" y
	[ "$(tl_exit_status "$s-a")" = 0 ] || tl_fail "A did not exit 0"
	[ -z "$(active_holds)" ] ||
	    tl_fail "$term: a hold is left after quitting: '$(active_holds)'"
	tl_wait_row "$B" A "($TL_FREE){10}" 5000
	tl_ok "$term: quitting A releases its hold; B shows A5 free"

	T send-keys -t "$B" q
	[ "$(tl_exit_status "$s-b")" = 0 ] || tl_fail "B did not exit 0"
	T kill-session -t "$s"
done
echo "tui_holds: all passed"
