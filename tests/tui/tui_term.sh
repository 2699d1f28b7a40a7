#!/bin/sh
# Terminal behaviour: resizing to 80x24 and 200x60 (and below the minimum:
# a notice, no crash); TERM=vt100 and NO_COLOR still tell a free seat from
# a sold one by its glyph; colour only when allowed; hostile text from the
# database drawn harmless; the help overlay; SIGTERM and SIGHUP exit
# cleanly with status 0 and release the hold; q exits 0.
. "$(dirname "$0")/tuilib"

# A title with an escape sequence, a bell, C1 CSI and a bidi override, put
# straight into the table (the command line would refuse it).
hostile() {
	psql -Atqc "UPDATE show SET title = 'Evil' || chr(27) || '[2J' || \
	    chr(7) || chr(155) || 'x' || chr(8238) || 'Title' \
	    WHERE show_id = $TL_SHOW" >/dev/null || tl_fail "psql update"
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Terry Term"
	hostile
	"$SEATLOCK_BIN" book "$TL_SHOW" A1 A3 --user "$TL_USER" >/dev/null ||
	    tl_fail "seatlock book"
	for nc in "" 1; do
		s="term-$term-nc$nc"
		TL_ENV="NO_COLOR=$nc"
		tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
		tl_wait "$s" " live  term-"
		tl_wait_row "$s" A "$TL_SOLD$TL_FREE$TL_SOLD($TL_FREE){7}"
		tl_ok "$term NO_COLOR='$nc': sold and free seats differ by glyph"
		esc=$(T capture-pane -p -e -t "$s" | grep -c "$(printf \
		    '\033')\\[[0-9;]*3[0-7]m" || true)
		if [ -n "$nc" ] || [ "$term" = vt100 ]; then
			[ "$esc" = 0 ] || tl_fail "colour used with" \
			    "NO_COLOR='$nc' TERM=$term"
			tl_ok "$term NO_COLOR='$nc': no colour"
		else
			[ "$esc" -gt 0 ] || tl_fail "no colour on $term"
			tl_ok "$term: colour"
		fi
		T send-keys -t "$s" q
		[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "q did not exit 0"
	done
	TL_ENV=""

	s="size-$term"
	tl_start "$s" 200x60 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"
	tl_wait_row "$s" C "($TL_FREE){10}"
	tl_wait "$s" "STAGE"
	tl_ok "$term: 200x60 draws the whole map"
	# The title: printable text only, nothing interpreted.
	tl_cap "$s" | grep -qF 'Evil?[2J??x?Title' ||
	    { tl_cap "$s" | head -n 2; tl_fail "hostile title not neutralized"; }
	tl_ok "$term: escape sequence, bell, C1 and bidi override shown as ?"

	T resize-window -t "$s" -x 80 -y 24
	tl_wait "$s" "Spc select"
	tl_wait_row "$s" A "$TL_SOLD$TL_FREE$TL_SOLD($TL_FREE){7}"
	tl_ok "$term: resized to 80x24, fully drawn"
	T resize-window -t "$s" -x 40 -y 10
	tl_wait "$s" "Terminal too small"
	tl_ok "$term: 40x10 shows a notice"
	T resize-window -t "$s" -x 200 -y 60
	tl_wait_gone "$s" "Terminal too small"
	tl_wait_row "$s" C "($TL_FREE){10}"
	tl_ok "$term: back to 200x60"

	# Help overlay, then Ctrl-L.
	T send-keys -t "$s" "?"
	tl_wait "$s" "Any key closes this help"
	T send-keys -t "$s" Space
	tl_wait_gone "$s" "Any key closes this help"
	T send-keys -t "$s" C-l
	tl_wait "$s" "Spc select"
	tl_ok "$term: help overlay opens and closes; Ctrl-L redraws"

	# SIGTERM, with a seat selected: exits at once, status 0.
	T send-keys -t "$s" B 2 Space
	tl_wait "$s" "Selected 1: B2"
	T send-keys -t "$s" q
	tl_wait "$s" "1 seat is selected and not sold"
	T send-keys -t "$s" n
	tl_wait_gone "$s" "selected and not sold"
	tl_ok "$term: q with seats selected asks first; n stays"
	pid=$(pgrep -P "$(T display -p -t "$s" '#{pane_pid}')" -f seatlock)
	[ -n "$pid" ] || tl_fail "no seatlock process"
	kill -TERM "$pid"
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "SIGTERM: exit status $rc"
	n=$(psql -Atqc "SELECT count(*) FROM hold WHERE show_id = $TL_SHOW \
	    AND status = 'active'")
	[ "$n" = 0 ] || tl_fail "SIGTERM: $n hold(s) of B2 left active"
	tl_ok "$term: SIGTERM exits cleanly with status 0, hold on B2 released"

	s="hup-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"
	T send-keys -t "$s" B 3 Space
	tl_wait "$s" "Selected 1: B3"
	pid=$(pgrep -P "$(T display -p -t "$s" '#{pane_pid}')" -f seatlock)
	kill -HUP "$pid"
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "SIGHUP: exit status $rc"
	grep -q "signal 1: exiting" "$TL_TMP/$s.log" || tl_fail "no log line"
	n=$(psql -Atqc "SELECT count(*) FROM hold WHERE show_id = $TL_SHOW \
	    AND status = 'active'")
	[ "$n" = 0 ] || tl_fail "SIGHUP: $n hold(s) of B3 left active"
	tl_ok "$term: SIGHUP exits cleanly with status 0, hold on B3 released"

	# The show list, typing to filter, and q there.
	s="list-$term"
	tl_start "$s" 80x24 "$term" "$lang"
	tl_wait "$s" "SeatLock box office"
	T send-keys -t "$s" -l "$TL_VNAME"
	tl_wait "$s" "^ +$TL_SHOW +2031-01-01 20:00"
	tl_wait "$s" " 1 of [0-9]+ shows"
	T send-keys -t "$s" Enter
	tl_wait "$s" " live  term-"
	T send-keys -t "$s" Escape
	tl_wait "$s" "SeatLock box office"
	T send-keys -t "$s" Escape q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "q in the list"
	tl_ok "$term: show list filters, opens the map, q exits 0"
done
echo "tui_term: all passed"
