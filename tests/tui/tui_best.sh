#!/bin/sh
# Best available, prices and the report in the box office: with zone A
# (45.00 EUR) on row B, the confirmation of a selection lists each seat's
# zone and price and the total; the b key with "3 A" holds 3 adjacent seats
# of zone A, names them with their total on the confirmation, and sells
# them to a chosen customer (checked in SQL: same row, consecutive
# numbers, 45.00 each); the report screen (s) shows the
# zone's sold seats and revenue.  At TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Bea Best"
	"$SEATLOCK_BIN" zone set "$TL_SHOW" A --price 45 --name "Stalls A" \
	    --rank 1 >/dev/null 2>&1 || tl_fail "zone set"
	"$SEATLOCK_BIN" zone assign "$TL_SHOW" A --section Main --row B \
	    >/dev/null 2>&1 || tl_fail "zone assign"
	s="best-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"

	# Prices on the confirmation: B1 (zone A) and C1 (no zone).
	T send-keys -t "$s" B 1 Space C 1 Space Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	tl_wait "$s" "Bea Best +<$TL_EMAIL>"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	tl_wait "$s" "B1 +zone A +45.00 EUR"
	tl_wait "$s" "C1 +no zone +0.00 EUR"
	tl_wait "$s" "Total \\(2 seats\\) +45.00 EUR"
	tl_ok "$term: the confirmation shows each seat's zone, price and the total"
	T send-keys -t "$s" Escape
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" Escape
	T send-keys -t "$s" x
	tl_wait_row "$s" B "($TL_FREE){10}"

	# b: 3 best available seats of zone A for Bea.
	T send-keys -t "$s" b
	tl_wait "$s" "Best available - seats"
	T send-keys -t "$s" -l "3 A"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Sell best available B[0-9]+ B[0-9]+ B[0-9]+ \\(3 seats\\)"
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	tl_wait "$s" "Bea Best +<$TL_EMAIL>"
	T send-keys -t "$s" Enter
	# The seats are held before the sale: the confirmation names them
	# and their prices.
	tl_wait "$s" "B[0-9]+ B[0-9]+ B[0-9]+ \\(3, best available in zone A\\)"
	tl_wait "$s" "Total \\(3 seats\\) +135.00 EUR"
	T send-keys -t "$s" y
	# Something is due: the payment screen; b sells with it due.
	tl_wait "$s" "Payment - 3 seats, Bea Best"
	T send-keys -t "$s" b
	tl_wait "$s" "Sold best available B[0-9]+ B[0-9]+ B[0-9]+ to Bea Best - total 135.00 EUR"
	tl_wait_row "$s" B "($TL_FREE)*$TL_SOLD$TL_SOLD$TL_SOLD($TL_FREE)*"
	r=$(psql -Atqc "SELECT count(*), count(DISTINCT s.row_label), \
	    max(s.number) - min(s.number), sum(b.price_cents), \
	    bool_and(b.zone = 'A') FROM booking b JOIN seat s USING (seat_id) \
	    WHERE b.show_id = $TL_SHOW AND b.user_id = $TL_USER \
	    AND b.status = 'active'")
	[ "$r" = "3|1|2|13500|t" ] ||
	    tl_fail "$term: best available sold '$r' (want 3 adjacent seats of one row, 135.00, zone A)"
	tl_ok "$term: b sold 3 adjacent seats of zone A for 135.00 EUR (SQL: $r)"

	# The report screen.
	T send-keys -t "$s" s
	tl_wait "$s" "Sales report: TUI test show"
	tl_wait "$s" "^ +A +Stalls A +10 +3 +0 +0 +7 +135.00"
	tl_wait "$s" "Total +30 +3 +0 +0 +27 +135.00"
	tl_ok "$term: the report screen shows zone A: 3 sold, 135.00"
	T send-keys -t "$s" Escape
	tl_wait "$s" " live  term-"
	T send-keys -t "$s" q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "$term: q did not exit 0"
	T kill-session -t "$s"
done
echo "tui_best: all passed"
