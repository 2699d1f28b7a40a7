#!/bin/sh
# Exchange at the box office (issue 15), at 80x24: a paid sale (sold in SQL
# with sl_book and a card payment) found by its sale number; cheaper: both
# seats for two others of the same show, one changed to the child price
# type, the old total, new total and difference shown, the refund method
# asked, and the rows checked (the money moved to the new sale, the card
# refund); dearer: one seat of that new sale for a seat of another show at
# the adult price, the difference taken by card, the rows checked.  At
# TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

# pays SALE: the sale's payments, "kind:method:cents" in order.
pays() {
	tl_sql "SELECT string_agg(kind || ':' || method || ':' || amount_cents,
	    ' ' ORDER BY payment_id) FROM payment WHERE request_id = $1"
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_venue
	tl_prices "$TL_SHOW"
	other=$("$SEATLOCK_BIN" show add --venue "$_v" --title "Other $$ $term" \
	    --starts "2031-02-01 20:00") || tl_fail "show add"
	tl_prices "$other"
	sale=$(tl_sql "SELECT sale_id FROM sl_book($TL_SHOW, ARRAY['A1','A2'],
	    NULL, 'exch-$$-$term', 'sql', false, '{\"pay\": [{\"method\":
	    \"card\"}]}') LIMIT 1") || tl_fail "$term: sl_book"
	s="exch-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-$s "

	# Cheaper: A1 A2 (adult, 50.00 paid) for B1 adult and B2 child.
	T send-keys -t "$s" e
	tl_wait "$s" "Sale or booking number"
	T send-keys -t "$s" -l "$sale"
	T send-keys -t "$s" Enter
	tl_wait "$s" "^ +sale $sale +2: A1 A2 "
	tl_sale_row "$s" "$sale"
	tl_wait "$s" "\\[x\\] booking [0-9]+ +A2 +25\\.00 EUR"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Exchange: select 2 new seats"
	T send-keys -t "$s" B 1 Enter
	tl_wait "$s" "B1 . Main . row B seat 1 . selected"
	T send-keys -t "$s" B 2 Enter
	tl_wait "$s" "B2 . Main . row B seat 2 . selected"
	T send-keys -t "$s" e
	tl_wait "$s" "giving up: A1 A2"
	T send-keys -t "$s" Down Right
	tl_wait "$s" "B2 +zone A +child +10\\.00 EUR"
	tl_wait "$s" "Old total +50\\.00 EUR"
	tl_wait "$s" "New total +35\\.00 EUR"
	tl_wait "$s" "Difference +-15\\.00 EUR"
	tl_wait "$s" "To refund +15\\.00 EUR"
	T send-keys -t "$s" y
	tl_wait "$s" "Choose how to refund"
	T send-keys -t "$s" 2 y
	tl_wait "$s" "Exchanged sale $sale for B1 B2 - new sale [0-9]+ - refunded 15\\.00 EUR by card"
	new=$(tl_sql "SELECT DISTINCT request_id FROM booking b JOIN seat s
	    USING (seat_id) WHERE b.show_id = $TL_SHOW AND b.status = 'active'
	    AND s.label IN ('B1', 'B2')")
	[ "$(pays "$sale")" = "payment:card:5000 refund:exchange:5000" ] ||
	    tl_fail "$term: old sale's payments '$(pays "$sale")'"
	[ "$(pays "$new")" = "payment:exchange:5000 refund:card:1500" ] ||
	    tl_fail "$term: new sale's payments '$(pays "$new")'"
	got=$(tl_sql "SELECT string_agg(s.label || ':' || b.price_type || ':' ||
	    b.price_cents, ' ' ORDER BY s.label) FROM booking b JOIN seat s
	    USING (seat_id) WHERE b.request_id = $new AND b.status = 'active'")
	[ "$got" = "B1:adult:2500 B2:child:1000" ] ||
	    tl_fail "$term: new seats '$got'"
	[ "$(tl_sql "SELECT count(*) FROM booking WHERE request_id = $sale
	    AND status = 'active'")" = 0 ] || tl_fail "$term: old seats active"
	tl_ok "$term: cheaper exchange: difference -15.00 shown, refunded by card, rows checked"

	# Dearer, to another show: B2 (child 10.00) for C1 there (adult 25.00).
	T send-keys -t "$s" e
	tl_wait "$s" "Sale or booking number"
	T send-keys -t "$s" -l "$new"
	T send-keys -t "$s" Enter
	tl_wait "$s" "^ +sale $new +2: B1 B2 "
	tl_sale_row "$s" "$new"
	tl_wait "$s" "\\[x\\] booking [0-9]+ +B1 "
	T send-keys -t "$s" Space
	tl_wait "$s" "\\[ \\] booking [0-9]+ +B1 "
	T send-keys -t "$s" Enter
	tl_wait "$s" "Exchange: select 1 new seat "
	T send-keys -t "$s" Escape
	tl_wait_gone "$s" "Spc select"
	T send-keys -t "$s" -l "Other $$ $term"
	tl_wait "$s" "Other $$ $term"
	T send-keys -t "$s" Enter
	tl_wait "$s" "^ Other $$ $term"
	tl_wait "$s" " live  term-$s "
	T send-keys -t "$s" C 1 Enter
	tl_wait "$s" "C1 . Main . row C seat 1 . selected"
	T send-keys -t "$s" e
	tl_wait "$s" "giving up: B2"
	tl_wait "$s" "New seats: Other $$ $term"
	tl_wait "$s" "Old total +10\\.00 EUR"
	tl_wait "$s" "New total +25\\.00 EUR"
	tl_wait "$s" "Difference +15\\.00 EUR"
	tl_wait "$s" "To pay +15\\.00 EUR"
	T send-keys -t "$s" 2 y
	tl_wait "$s" "Exchanged sale $new for C1 - new sale [0-9]+ - 15\\.00 EUR paid by card"
	third=$(tl_sql "SELECT request_id FROM booking WHERE show_id = $other
	    AND status = 'active'")
	[ "$(pays "$third")" = "payment:exchange:1000 payment:card:1500" ] ||
	    tl_fail "$term: dearer sale's payments '$(pays "$third")'"
	[ "$(tl_sql "SELECT d->>'total_cents' || ':' || (d->>'due_cents') FROM
	    sl_sale_doc($third) d")" = "2500:0" ] || tl_fail "$term: due"
	[ "$(tl_sql "SELECT string_agg(s.label, ' ') FROM booking b JOIN seat s
	    USING (seat_id) WHERE b.request_id = $new AND b.status =
	    'active'")" = B1 ] || tl_fail "$term: B1 should stay in sale $new"
	tl_ok "$term: dearer exchange to another show: 15.00 taken by card, rows checked"
	T send-keys -t "$s" q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "$term: exit status"
done
echo "tui_exchange: all ok"
