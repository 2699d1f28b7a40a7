#!/bin/sh
# Reservations (phone bookings) across two box offices (issue 15), at
# 80x24: box office A reserves its selection for a customer (by customer
# number) until a date and time typed by the clerk; box office B, in
# another tmux window, sees the seats held, finds the reservation by part
# of the customer's name and sells it with a price type changed and a card
# payment: the hold is booked, the sale's customer is the reservation's,
# the payment row is there.  A longer hold made with `seatlock hold` is
# found in B by its number and sold with the balance left due.  At
# TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_prices "$TL_SHOW"
	name="Rita Phone$$ $(echo "$term" | tr -dc a-z)"
	tl_user "$name"
	until=$(date -d "+2 days" "+%Y-%m-%d 12:30")
	a="resa-$term" b="resb-$term"
	tl_start "$a" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_start "$b" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$a" " live  term-$a "
	tl_wait "$b" " live  term-$b "

	# A: A3 A4 reserved for the customer until the day after tomorrow.
	T send-keys -t "$a" p
	tl_wait "$a" "Select the seats to reserve first"
	T send-keys -t "$a" A 3 Enter
	tl_wait "$a" "A3 . Main . row A seat 3 . selected"
	T send-keys -t "$a" A 4 Enter
	tl_wait "$a" "A4 . Main . row A seat 4 . selected"
	T send-keys -t "$a" p
	tl_wait "$a" "Reserve the selection"
	tl_wait "$a" "2 seats of TUI test show"
	T send-keys -t "$a" -l "$TL_USER"
	T send-keys -t "$a" Tab C-u
	T send-keys -t "$a" -l "$until"
	T send-keys -t "$a" Enter
	tl_wait "$a" "Reservation [0-9]+ for $TL_USER until $until: A3 A4"
	hold=$(tl_sql "SELECT hold_id FROM hold WHERE show_id = $TL_SHOW AND
	    kind = 'reservation' AND status = 'active'")
	got=$(tl_sql "SELECT holder || ':' || user_id || ':' ||
	    to_char(expires_at, 'YYYY-MM-DD HH24:MI') || ':' ||
	    cardinality(seat_ids) FROM hold WHERE hold_id = $hold")
	[ "$got" = "$name:$TL_USER:$until:2" ] ||
	    tl_fail "$term: reservation row '$got'"
	[ "$(tl_sql "SELECT count(*) FROM hold WHERE show_id = $TL_SHOW AND
	    status = 'active'")" = 1 ] || tl_fail "$term: a selection hold is left"
	tl_wait_row "$b" A "($TL_FREE){2}$TL_HELD$TL_HELD($TL_FREE){6}" 5000
	tl_ok "$term: A reserved A3 A4 for customer $TL_USER until $until (row checked); B shows them held"

	# B: found by name, sold with A4 at the child price, paid by card.
	T send-keys -t "$b" o
	tl_wait "$b" "Name or reservation number"
	T send-keys -t "$b" -l "phone$$"
	T send-keys -t "$b" Enter
	tl_wait "$b" "^ *$hold +Rita Phone"
	T send-keys -t "$b" Enter
	tl_wait "$b" "Sell reservation $hold - $name"
	T send-keys -t "$b" Down Right
	tl_wait "$b" "A4 +zone A +child +10\\.00 EUR"
	tl_wait "$b" "Total +35\\.00 EUR"
	T send-keys -t "$b" y
	tl_wait "$b" "Choose how it is paid"
	T send-keys -t "$b" 2 y
	tl_wait "$b" "Sold reservation $hold: sale [0-9]+, 35\\.00 EUR paid by card - Rita"
	sale=$(tl_sql "SELECT DISTINCT request_id FROM booking WHERE show_id =
	    $TL_SHOW AND status = 'active'")
	got=$(tl_sql "SELECT r.user_id || ':' || r.terminal || ':' || (SELECT
	    string_agg(s.label || '=' || b.price_type, ' ' ORDER BY s.label)
	    FROM booking b JOIN seat s USING (seat_id) WHERE b.request_id =
	    r.request_id) || ':' || (SELECT string_agg(p.method || '=' ||
	    p.amount_cents, ' ') FROM payment p WHERE p.request_id =
	    r.request_id) || ':' || h.status FROM booking_request r, hold h
	    WHERE r.request_id = $sale AND h.hold_id = $hold")
	[ "$got" = "$TL_USER:term-$b:A3=adult A4=child:card=3500:booked" ] ||
	    tl_fail "$term: sold reservation '$got'"
	tl_wait_row "$a" A "($TL_FREE){2}$TL_SOLD$TL_SOLD($TL_FREE){6}" 5000
	tl_ok "$term: B found it by name and sold it: the reservation's customer, types and card payment checked"

	# A longer hold made on the command line, sold in B by its number.
	long=$("$SEATLOCK_BIN" hold "$TL_SHOW" B5 --seconds 7200) ||
	    tl_fail "$term: seatlock hold"
	T send-keys -t "$b" C-u
	T send-keys -t "$b" -l "$long"
	T send-keys -t "$b" Enter
	tl_wait "$b" "^ *$long +hold at "
	T send-keys -t "$b" Enter
	tl_wait "$b" "Sell reservation $long - hold at"
	T send-keys -t "$b" 0 y
	tl_wait "$b" "Sold reservation $long: sale [0-9]+, 25\\.00 EUR due - hold at"
	got=$(tl_sql "SELECT h.status || ':' || coalesce(r.user_id::text, 'walk-up')
	    || ':' || (d->>'due_cents') FROM hold h, booking b, booking_request
	    r, sl_sale_doc(r.request_id) d WHERE h.hold_id = $long AND
	    b.show_id = $TL_SHOW AND b.seat_id = h.seat_ids[1] AND b.status =
	    'active' AND r.request_id = b.request_id")
	[ "$got" = "booked:walk-up:2500" ] ||
	    tl_fail "$term: the command line's hold sold '$got'"
	tl_ok "$term: a hold made with seatlock hold is sold in B by its number, 25.00 left due"
	T send-keys -t "$b" Escape
	T send-keys -t "$b" q
	T send-keys -t "$a" q
	[ "$(tl_exit_status "$a")" = 0 ] || tl_fail "$term: A's exit status"
	[ "$(tl_exit_status "$b")" = 0 ] || tl_fail "$term: B's exit status"
done
echo "tui_reserve: all ok"
