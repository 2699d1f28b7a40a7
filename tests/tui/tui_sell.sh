#!/bin/sh
# The box office end to end, at TERM=xterm-256color (UTF-8) and TERM=vt100
# (ASCII): open a show, move with the keys, select two seats, sell them to a
# registered customer found by email, see the booking in the database;
# register a new customer in the form and sell to them; cancel a booking
# found by its number, find bookings by the customer; quit with q (exit
# status 0).
. "$(dirname "$0")/tuilib"

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Tess Tmux"
	s="sell-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" "TUI test show"
	tl_wait "$s" " live "
	tl_wait_row "$s" A "($TL_FREE){10}"
	tl_ok "$term: the map of show $TL_SHOW is drawn, live"

	# Go to A3 by typing its label, one seat right, select; one row
	# down, select.
	T send-keys -t "$s" A 3
	tl_wait "$s" "A3 .*Main .*row A seat 3"
	T send-keys -t "$s" l Space j Space
	tl_wait "$s" "Selected 2: A4 B4"
	tl_wait_row "$s" A "($TL_FREE){3}$TL_SEL($TL_FREE){6}"
	tl_ok "$term: moved to A4 and B4 and selected them"

	# Sell: the customer by email prefix, then confirm.
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	tl_wait "$s" "Tess Tmux +<$TL_EMAIL>"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	tl_wait "$s" "Seats: +A4 B4 \\(2\\)"
	T send-keys -t "$s" y
	tl_wait "$s" "Sold A4 B4 to Tess Tmux - booking [0-9]+, [0-9]+"
	tl_wait_row "$s" A "($TL_FREE){3}$TL_SOLD($TL_FREE){6}"
	tl_wait_row "$s" B "($TL_FREE){3}$TL_SOLD($TL_FREE){6}"
	tl_ok "$term: sold A4 and B4, the map shows them sold"

	n=$(psql -Atqc "SELECT count(*) FROM booking b JOIN seat s USING \
	    (seat_id) WHERE b.show_id = $TL_SHOW AND b.user_id = $TL_USER \
	    AND b.status = 'active' AND s.label IN ('A4', 'B4')")
	[ "$n" = 2 ] || tl_fail "$term: expected 2 bookings in the database, got $n"
	n=$(psql -Atqc "SELECT count(*) FROM booking WHERE show_id = $TL_SHOW")
	[ "$n" = 2 ] || tl_fail "$term: expected no other booking, got $n"
	tl_ok "$term: the database has both bookings for customer $TL_USER"

	# Selling a seat that is sold says so.
	T send-keys -t "$s" Space
	tl_wait "$s" "B4 is sold - pick another seat"
	tl_ok "$term: a sold seat cannot be selected"

	# A new customer through the form: select A7, sell, Tab, fill in.
	T send-keys -t "$s" A 7 Escape Enter
	tl_wait "$s" "Customer - type a name"
	nora="Nora New $TL_USER"
	T send-keys -t "$s" -l "$nora"
	tl_wait "$s" "No customer found - Tab registers a new one"
	T send-keys -t "$s" Tab
	tl_wait "$s" "New customer"
	tl_wait "$s" "Name: +$nora"
	T send-keys -t "$s" -l "nora.$TL_EMAIL"
	T send-keys -t "$s" Tab
	T send-keys -t "$s" -l "+44 20 7946 0000"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	tl_wait "$s" "$nora <nora.$TL_EMAIL>"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Sold A7 to $nora"
	n=$(psql -Atqc "SELECT count(*) FROM booking b JOIN app_user u USING \
	    (user_id) WHERE b.show_id = $TL_SHOW AND u.email = \
	    'nora.$TL_EMAIL' AND u.phone = '+44 20 7946 0000'")
	[ "$n" = 1 ] || tl_fail "$term: the new customer's booking is missing"
	tl_ok "$term: registered a new customer in the form and sold A7"

	# Cancel B4 by booking number: c, number, Enter, Enter, y.
	id=$(psql -Atqc "SELECT b.booking_id FROM booking b JOIN seat s USING \
	    (seat_id) WHERE b.show_id = $TL_SHOW AND s.label = 'B4'")
	T send-keys -t "$s" c
	tl_wait "$s" "Cancel a booking"
	T send-keys -t "$s" -l "$id"
	T send-keys -t "$s" Enter
	tl_wait "$s" "^ +$id +B4 +active"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Cancel this booking\?"
	T send-keys -t "$s" y
	tl_wait "$s" "Cancelled booking $id - seat B4 is free again"
	tl_wait "$s" "^ +$id +B4 +cancelled"
	st=$(psql -Atqc "SELECT status FROM booking WHERE booking_id = $id")
	[ "$st" = cancelled ] || tl_fail "$term: booking $id is $st"
	T send-keys -t "$s" Escape
	tl_wait_row "$s" B "($TL_FREE){10}"
	tl_ok "$term: cancelled booking $id from the cancel screen; B4 is free"

	# Cancel by customer: both of Tess's A4 is listed, by email.
	T send-keys -t "$s" c
	tl_wait "$s" "Cancel a booking"
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	T send-keys -t "$s" Enter
	tl_wait "$s" " A4 +active .*Tess Tmux"
	tl_wait_gone "$s" " B4 +active"
	T send-keys -t "$s" Escape
	tl_ok "$term: bookings are found by the customer's email"

	T send-keys -t "$s" q
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "$term: q exited with $rc"
	tl_ok "$term: q exits with status 0"
done
echo "tui_sell: all passed"
