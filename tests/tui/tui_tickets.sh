#!/bin/sh
# The box office's print key (issue 16), at TERM=xterm-256color (UTF-8) and
# TERM=vt100 (ASCII), 80x24: a family's walk-up sale paid by card, then on
# its receipt `p` writes the sale's tickets (no ticket.printer configured:
# a PDF in the home directory, the message says where) whose text and QR
# codes are the tickets'; `p` again is a reprint, marked on the tickets
# and in the audit trail; any other key leaves the receipt.  With a
# printer configured that CUPS cannot reach, the message says why and the
# box office goes on.
. "$(dirname "$0")/tuilib"

for t in pdftotext pdftoppm zbarimg; do
	command -v $t >/dev/null || tl_fail "$t is missing (.ci/deps.sh test)"
done

# card_sale SEATS DUE: on session $s's map, selects SEATS (typed, e.g.
# A3-5), sells them to a walk-up paid by card (DUE in EUR) and waits for
# the receipt; sets $sale.
card_sale() {
	T send-keys -t "$s" -l "$1"
	T send-keys -t "$s" Enter
	tl_wait "$s" "[Ss]elected"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	T send-keys -t "$s" y
	tl_wait "$s" "Due +$2 EUR"
	T send-keys -t "$s" Tab
	tl_wait "$s" "Method: +cash +\\[card\\]"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Receipt - sale [0-9]+"
	sale=$(tl_sql "SELECT max(request_id) FROM booking_request WHERE \
	    show_id = $TL_SHOW")
}

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_prices "$TL_SHOW"
	home=$TL_TMP/home-$term
	mkdir -p "$home"
	s="tickets-$term"
	TL_ENV="HOME=$home" tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" "TUI test show"
	tl_wait "$s" " live "

	card_sale A3-5 75.00
	tl_wait "$s" "p: print the tickets"
	tl_ok "$term: sale $sale paid by card; its receipt offers p"

	pdf=$home/seatlock-tickets-$sale.pdf
	T send-keys -t "$s" p
	tl_wait "$s" "3 tickets written to"
	tl_wait "$s" "Receipt - sale $sale"
	[ -s "$pdf" ] || tl_fail "$term: no $pdf"
	txt=$(pdftotext "$pdf" - 2>/dev/null)
	for l in A3 A4 A5; do
		echo "$txt" | grep -qx "$l" || tl_fail "$term: seat $l not in the PDF"
	done
	echo "$txt" | grep -q "Sale: $sale" || tl_fail "$term: no sale number"
	echo "$txt" | grep -q REPRINT && tl_fail "$term: a first printing says REPRINT"
	rm -f "$TL_TMP"/qr-*.png
	pdftoppm -r 150 -png "$pdf" "$TL_TMP/qr"
	got=$(zbarimg -q --raw "$TL_TMP"/qr-*.png 2>/dev/null | sort | tr '\n' ' ')
	want=$("$SEATLOCK_BIN" ticket --sale "$sale" --json 2>/dev/null |
	    tr ',' '\n' | sed -n 's/^"code":"\(.*\)"$/\1/p' | sort | tr '\n' ' ')
	[ -n "$want" ] && [ "$got" = "$want" ] ||
	    tl_fail "$term: QR codes '$got', want '$want'"
	tl_ok "$term: p wrote the 3 tickets to $pdf; their QR codes are the codes"

	T send-keys -t "$s" p
	tl_wait "$s" "3 tickets \\(reprint\\) written to"
	n=$(pdftotext "$pdf" - 2>/dev/null | grep -c REPRINT)
	[ "$n" = 3 ] || tl_fail "$term: $n tickets say REPRINT, want 3"
	a=$(tl_sql "SELECT string_agg(action || ':' || (detail->>'how'), ' ' \
	    ORDER BY audit_id) FROM audit_log WHERE action IN ('print', \
	    'reprint') AND booking_ids && (SELECT array_agg(booking_id) FROM \
	    booking WHERE request_id = $sale)")
	[ "$a" = "print:box office reprint:json reprint:box office" ] ||
	    tl_fail "$term: audit trail '$a'"
	tl_ok "$term: p again is a reprint, on the tickets and in the audit trail"

	T send-keys -t "$s" Space
	tl_wait_gone "$s" "Receipt - sale"
	tl_ok "$term: any other key leaves the receipt"
	T send-keys -t "$s" q
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "$term: q exited with $rc"

	# A printer CUPS cannot reach: said so, nothing else happens.
	s="tickets-lp-$term"
	TL_CONF='ticket = { printer = "nowhere"; };' \
	    TL_ENV="HOME=$home CUPS_SERVER=$TL_TMP/no-cups.sock" \
	    tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live "
	card_sale B1 25.00
	T send-keys -t "$s" p
	tl_wait "$s" "Tickets not printed: printer nowhere"
	n=$(tl_sql "SELECT count(*) FROM ticket_print tp JOIN booking b USING \
	    (booking_id) WHERE b.request_id = $sale")
	[ "$n" = 0 ] || tl_fail "$term: a failed printing was recorded ($n)"
	T send-keys -t "$s" Space
	tl_wait_gone "$s" "Receipt - sale"
	T send-keys -t "$s" q
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "$term: q exited with $rc"
	tl_ok "$term: a printer CUPS cannot reach: said so, not recorded, the box office goes on"
done
echo "tui_tickets: all passed"
