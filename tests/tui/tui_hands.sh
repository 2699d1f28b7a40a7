#!/bin/sh
# Faster hands at the seat map, at 80x24, TERM=xterm-256color and vt100: a
# typed label and one Enter selects (holds) that seat; a range typed as
# A12-15 and Enter selects its four seats (checked in the database's holds
# and on the screen); a bad range (backwards, too long, over a sold seat)
# says why and changes nothing; best available holds its seats before the
# confirmation, which shows their labels, prices and total before `y`; `n`
# lets them go (no hold left), `y` sells exactly the seats it showed; two
# box offices asking at once hold different seats.
. "$(dirname "$0")/tuilib"

# held: the labels of the show's live holds, sorted, one line.
held() {
	psql -Atqc "SELECT coalesce(string_agg(s.label, ' ' ORDER BY s.row_label, \
	    s.number), '') FROM hold h CROSS JOIN unnest(h.seat_ids) AS u(seat_id) \
	    JOIN seat s ON s.seat_id = u.seat_id WHERE h.show_id = $TL_SHOW \
	    AND h.status = 'active'"
}

# wait_held EXPECTED: waits (bounded) until held says EXPECTED.
wait_held() {
	_end=$(($(tl_ms) + 10000))
	while [ "$(tl_ms)" -lt "$_end" ]; do
		[ "$(held)" = "$1" ] && return 0
		sleep 0.1
	done
	tl_fail "$term: expected held '$1', got '$(held)'"
}

# best3: b, 3 seats of zone P, the customer: on to the confirmation.
best3() {
	T send-keys -t "$s" b
	tl_wait "$s" "Best available - seats"
	T send-keys -t "$s" -l "3 P"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Sell best available C[0-9]+ C[0-9]+ C[0-9]+ \\(3 seats\\)"
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	tl_wait "$s" "Hana Hands +<$TL_EMAIL>"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	# Rows of 20 seats: A12-15 is inside row A.
	TL_VNAME="TUI hands $$ $(tl_ms)"
	cat >"$TL_TMP/venue.conf" <<VENUE
venue = {
  name = "$TL_VNAME";
  sections = (
    { name = "Main"; rows = (
        { row = "A"; seats = "1-20"; },
        { row = "B"; seats = "1-20"; },
        { row = "C"; seats = "1-10 _ 11-20"; }
    ); }
  );
};
VENUE
	v=$("$SEATLOCK_BIN" venue import "$TL_TMP/venue.conf" 2>/dev/null) ||
	    tl_fail "venue import"
	TL_SHOW=$("$SEATLOCK_BIN" show add --venue "$v" --title \
	    "TUI test show" --starts "2031-01-01 20:00") || tl_fail "show add"
	tl_user "Hana Hands"
	"$SEATLOCK_BIN" zone set "$TL_SHOW" P --price 20 --name "Premium" \
	    --rank 1 >/dev/null 2>&1 || tl_fail "zone set"
	"$SEATLOCK_BIN" zone assign "$TL_SHOW" P --section Main --row C \
	    >/dev/null 2>&1 || tl_fail "zone assign"
	"$SEATLOCK_BIN" book "$TL_SHOW" B3 --user "$TL_USER" >/dev/null 2>&1 ||
	    tl_fail "book B3"
	s="hands-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"

	# The help says how, whole at 80x24.
	T send-keys -t "$s" ?
	tl_wait "$s" "A12-15 Enter +selects A12 to A15, all or none"
	tl_wait "$s" "Any key closes this help"
	T send-keys -t "$s" Space
	tl_wait_gone "$s" "Any key closes this help"

	# A typed label and one Enter: selected and held.
	T send-keys -t "$s" A 3 Enter
	tl_wait "$s" "Selected 1: A3"
	wait_held "A3"
	tl_wait_row "$s" A "($TL_FREE){2}$TL_SEL($TL_FREE){17}"
	tl_ok "$term: A3 and one Enter selected A3 (held in the database)"

	# The same label and Enter again keeps it; Enter alone sells (the
	# customer screen), as before.
	T send-keys -t "$s" A 3 Enter
	tl_wait "$s" "A3 is selected already"
	wait_held "A3"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" Escape
	tl_wait "$s" "Selected 1: A3"
	tl_ok "$term: A3 Enter again keeps it; Enter on the selection sells"

	# A range: A12-15 and Enter adds four seats to the selection.
	T send-keys -t "$s" A 1 2 - 1 5
	tl_wait "$s" "A12-15 .* row A seats 12 to 15 - Enter selects them"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Selected A12 to A15 \\(4 seats\\)"
	wait_held "A3 A12 A13 A14 A15"
	tl_wait_row "$s" A "($TL_FREE){2}$TL_SEL($TL_FREE){8}($TL_SEL){4}($TL_FREE){5}"
	tl_ok "$term: A12-15 and Enter selected A12 to A15 (held: $(held))"

	# Bad ranges say why and change nothing.
	T send-keys -t "$s" A 1 5 - 1 2 Enter
	tl_wait "$s" "A15-12: a range goes from the lower seat number to the higher"
	T send-keys -t "$s" A 1 - 2 5 Enter
	tl_wait "$s" "A1-25: at most 20 seats in one range - nothing selected"
	T send-keys -t "$s" B 1 - 5 Enter
	tl_wait "$s" "B3 is sold - nothing selected"
	wait_held "A3 A12 A13 A14 A15"
	tl_wait_row "$s" B "($TL_FREE){2}$TL_SOLD($TL_FREE){17}"
	T send-keys -t "$s" A 1 9 - 2 0 Enter
	tl_wait "$s" "Selected A19 to A20"
	wait_held "A3 A12 A13 A14 A15 A19 A20"
	T send-keys -t "$s" x
	wait_held ""
	T send-keys -t "$s" A 1 9 - 2 5 Enter
	tl_wait "$s" "Selected A19 to A20 \\(2 seats\\)"	# A21-25: none
	wait_held "A19 A20"
	T send-keys -t "$s" x
	wait_held ""
	n=$(psql -Atqc "SELECT count(*) FROM booking WHERE show_id = $TL_SHOW")
	[ "$n" = 1 ] || tl_fail "$term: expected only B3 booked, got $n bookings"
	tl_ok "$term: bad ranges are refused with their reason, nothing held"

	# Best available: the seats and the total before the sale; n lets go.
	best3
	b1=$(held)
	echo "$b1" | grep -Eq '^C[0-9]+ C[0-9]+ C[0-9]+$' ||
	    tl_fail "$term: best available holds '$b1'"
	tl_wait "$s" "Seats: +C[0-9]+ C[0-9]+ C[0-9]+ \\(3, best available in zone P\\)"
	for l in $b1; do
		tl_wait "$s" "$l +zone P +20.00 EUR"
	done
	tl_wait "$s" "Total \\(3 seats\\) +60.00 EUR"
	tl_ok "$term: best available's confirmation shows $b1 and 60.00 EUR before the sale"
	T send-keys -t "$s" n
	tl_wait "$s" "Let go of best available C[0-9]+ to C[0-9]+ - nothing was sold"
	wait_held ""
	tl_wait_row "$s" C "($TL_FREE){20}"
	tl_ok "$term: n let the seats go (no hold left)"

	# ... and y sells the seats it showed.
	best3
	b2=$(held)
	tl_wait "$s" "Total \\(3 seats\\) +60.00 EUR"
	T send-keys -t "$s" y
	# Something is due: the payment screen; b sells with it due.
	tl_wait "$s" "Payment - 3 seats, Hana Hands"
	T send-keys -t "$s" b
	tl_wait "$s" "Sold best available $b2 to Hana Hands - total 60.00 EUR"
	wait_held ""
	sold=$(psql -Atqc "SELECT string_agg(s.label, ' ' ORDER BY s.number) || \
	    '|' || sum(b.price_cents) FROM booking b JOIN seat s USING \
	    (seat_id) WHERE b.show_id = $TL_SHOW AND b.status = 'active' \
	    AND s.label <> 'B3'")
	[ "$sold" = "$b2|6000" ] ||
	    tl_fail "$term: sold '$sold', the confirmation showed '$b2' for 60.00"
	tl_ok "$term: y sold the seats shown ($sold)"

	T send-keys -t "$s" q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "$term: q did not exit 0"
	T kill-session -t "$s"
done

# Two box offices ask for best available at the same moment: each holds
# seats of its own (the one that loses a seat to the other reads its map
# again and picks again), none is held twice; Esc lets both go.
term=race
for r in ra rb; do
	tl_start "$r" 80x24 xterm-256color C.UTF-8 --show "$TL_SHOW"
	tl_wait "$r" " live  term-"
	T send-keys -t "$r" b
	tl_wait "$r" "Best available - seats"
	T send-keys -t "$r" -l "4 P"
done
T send-keys -t ra Enter
T send-keys -t rb Enter
for r in ra rb; do
	tl_wait "$r" "Sell best available C[0-9]+ C[0-9]+ C[0-9]+ C[0-9]+ \\(4 seats\\)"
done
r=$(psql -Atqc "SELECT count(DISTINCT h.terminal), count(*), \
    count(DISTINCT u.seat_id) FROM hold h CROSS JOIN unnest(h.seat_ids) \
    AS u(seat_id) WHERE h.show_id = $TL_SHOW AND h.status = 'active'")
[ "$r" = "2|8|8" ] || tl_fail "two best availables hold '$r' (want 2|8|8)"
tl_ok "two box offices at once: 8 distinct seats held, 4 each ($(held))"
for r in ra rb; do
	T send-keys -t "$r" Escape
	tl_wait "$r" "Let go of best available"
done
wait_held ""
tl_ok "Esc on the customer screen let both go"
echo "tui_hands: all passed"
