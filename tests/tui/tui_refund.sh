#!/bin/sh
# Cancel with a refund at the box office (issue 15), run by a clerk's login
# at 80x24: a seat of a paid walk-up sale (sold in SQL with sl_book and a
# card payment) is found by its booking number; the box shows the price,
# what was paid and the refund, and asks for the method; cash with no open
# shift is refused with the core's message and changes nothing; the refund
# is above the venue's limit, so a supervisor's code is asked, and the
# refund row is then in the database with its method, amount, booking and
# who authorised it.  Then the rest of the sale is cancelled as a whole by
# its sale number.  At TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

clerk=slt_refund_$$
limit=$(tl_sql "SELECT value FROM setting WHERE name = 'refund_limit_cents'")
trap 'tl_cleanup; psql -X -q -c "UPDATE setting SET value = $limit
    WHERE name = '"'"'refund_limit_cents'"'"'" -c "DROP ROLE IF EXISTS $clerk" \
    >/dev/null 2>&1' EXIT
"$SEATLOCK_BIN" clerk add "$clerk" --role clerk || tl_fail "clerk add"
tl_sql "SELECT sl_setting_set('refund_limit_cents', 2000)" >/dev/null ||
    tl_fail "refund limit"
TL_ENV="PGUSER=$clerk"
# A clerk's box office is live only beside a notifier (issue 17).
tl_notifier

# cancel_row S NUMBER: types NUMBER on the cancel screen and chooses the
# booking with that number (listed first).
cancel_row() {
	T send-keys -t "$1" -l "$2"
	T send-keys -t "$1" Enter
	tl_wait "$1" "^ +$2 +A1 +active "
	T send-keys -t "$1" Enter
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_prices "$TL_SHOW"
	sale=$(tl_sql "SELECT sale_id FROM sl_book($TL_SHOW, ARRAY['A1','A2'],
	    NULL, 'refund-$$-$term', 'sql', false, '{\"types\": [\"adult\",
	    \"child\"], \"pay\": [{\"method\": \"card\"}]}') LIMIT 1") ||
	    tl_fail "$term: sl_book"
	b1=$(tl_sql "SELECT b.booking_id FROM booking b JOIN seat s USING
	    (seat_id) WHERE b.request_id = $sale AND s.label = 'A1'")
	s="refund-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-$s "

	# The booking by its number (a walk-up: no customer).
	T send-keys -t "$s" c
	tl_wait "$s" "Sale or booking number"
	cancel_row "$s" "$b1"
	tl_wait "$s" "Booking $b1: seat A1 \\(sale $sale\\)"
	tl_wait "$s" "walk-up"
	tl_wait "$s" "Price of the seat: +25\\.00 EUR"
	tl_wait "$s" "The sale was paid: +35\\.00 EUR"
	tl_wait "$s" "To refund: +25\\.00 EUR"
	tl_wait "$s" "Refund by: +1 cash +2 card"
	T send-keys -t "$s" y
	tl_wait "$s" "Choose how to refund: 1 to 2"
	tl_ok "$term: the box shows seat, paid and refund, and asks the method"

	# Cash: above the limit (20.00), a supervisor's code; then the clerk
	# has no open shift for cash.
	T send-keys -t "$s" 1 y
	tl_wait "$s" "Supervisor code:"
	tl_wait "$s" "a refund of 25\\.00 needs a supervisor"
	code=$(tl_sql "SELECT code FROM sl_auth_issue(5)")
	T send-keys -t "$s" -l "$code"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Cannot cancel: no open shift"
	[ "$(tl_sql "SELECT count(*) FROM payment WHERE request_id = $sale
	    AND kind = 'refund'")" = 0 ] ||
	    tl_fail "$term: a refund row after the refused cash refund"
	[ "$(tl_sql "SELECT status FROM booking WHERE booking_id = $b1")" = \
	    active ] || tl_fail "$term: the booking was cancelled anyway"
	tl_ok "$term: a refund above the limit asks a supervisor's code; cash without an open shift is refused, nothing changed"

	# Card, with the code given.
	T send-keys -t "$s" 2 y
	tl_wait "$s" "Cancelled booking $b1 - seat A1 is free again - refunded 25\\.00 EUR by card"
	row=$(tl_sql "SELECT method || ':' || amount_cents || ':' ||
	    coalesce(booking_id, 0) || ':' || (authorised_by IS NOT NULL) || ':'
	    || clerk FROM payment WHERE request_id = $sale AND kind = 'refund'")
	[ "$row" = "card:2500:$b1:true:$clerk" ] ||
	    tl_fail "$term: refund row '$row'"
	[ "$(tl_sql "SELECT status FROM booking WHERE booking_id = $b1")" = \
	    cancelled ] || tl_fail "$term: booking $b1 not cancelled"
	tl_ok "$term: a supervisor's code lets the clerk refund 25.00 by card (row checked)"

	# The rest of the sale, as a whole, by its number.
	T send-keys -t "$s" C-u
	T send-keys -t "$s" -l "$sale"
	T send-keys -t "$s" Enter
	tl_wait "$s" "^ +sale $sale +1: A2 "
	tl_sale_row "$s" "$sale"
	tl_wait "$s" "Cancel this whole sale\\?"
	tl_wait "$s" "To refund: +10\\.00 EUR"
	T send-keys -t "$s" 2 y
	tl_wait "$s" "Cancelled sale $sale - A2 free again - refunded 10\\.00 EUR by card"
	doc=$(tl_sql "SELECT d->>'total_cents' || ':' || (d->>'paid_cents') ||
	    ':' || (SELECT count(*) FROM payment WHERE request_id = $sale AND
	    kind = 'refund') FROM sl_sale_doc($sale) d")
	[ "$doc" = "0:0:2" ] || tl_fail "$term: sale after cancel '$doc'"
	tl_ok "$term: the whole sale cancelled by its number, 10.00 refunded"

	T send-keys -t "$s" Escape
	tl_wait "$s" "Spc select"
	tl_wait_row "$s" A "($TL_FREE){10}" 5000
	T send-keys -t "$s" q
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "$term: exit status"
	tl_ok "$term: A1 and A2 free again on the map"
done
echo "tui_refund: all ok"
