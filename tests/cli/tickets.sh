#!/bin/sh
# seatlock ticket (issue 16): a family's tickets as text and JSON, each
# with its seat, price type, sale number and a code the database knows as
# that seat's; every printing recorded (the second is a REPRINT, on the
# ticket and in the audit trail); a PDF with one page per ticket whose
# text has it all and whose QR codes decode to exactly the codes, on A4,
# Letter and ticket stock; a title in Cyrillic and Greek; a cancelled
# seat's ticket void: never printed, said so; bad page sizes refused on
# the command line and in the configuration.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/tickets.lib"

for t in pdftotext pdftoppm pdfinfo zbarimg python3; do
	command -v $t >/dev/null || {
		echo "FAIL $t is missing (.ci/deps.sh test installs it)"
		exit 1
	}
done

title="Гамлет · Άμλετ $uniq"
ticket_sale "$title"
check "a family's sale of 4 seats" is_id "$sale"

# pages PDF: the page count; size PDF: "W x H" in points.
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
size() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 x \2/p'; }
# audits: the print and reprint rows of the sale's bookings, in order.
audits() {
	sql "SELECT coalesce(string_agg(action, ' ' ORDER BY audit_id), '-')
	    FROM audit_log WHERE action IN ('print', 'reprint')
	    AND booking_ids && ARRAY[$b1, $b2, $b3, $b4]::bigint[]"
}
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3: \"$1\", want \"$2\""; fi
}

echo "-- text"
expect 0 "ticket --sale" ticket --sale "$sale"
is "$(grep -c '^TICKET$' "$tmp/out")" 4 "four tickets, none a reprint"
for l in A1 A2 A3 A4; do
	check "seat $l, as seatlock seats shows it" grep -qx "Seat:     $l" "$tmp/out"
done
check "the show in any script" grep -qxF "Show:     $title" "$tmp/out"
check "the date and time" grep -qx "Date:     2031-01-01 20:00" "$tmp/out"
check "section and row" grep -qx "Section:  Main" "$tmp/out"
check "a price type, its name and price" \
    grep -qxF "Price:    child (Child (under 16)) 20.50 EUR" "$tmp/out"
is "$(grep -c "^Price:    adult (Adult) 40.00 EUR\$" "$tmp/out")" 2 \
    "A1 adult, and A4 the zone's default type"
is "$(grep -c "^Sale:     $sale\$" "$tmp/out")" 4 "the sale number on each"
sed -n 's/^Code:     //p' "$tmp/out" >"$tmp/codes"
is "$(sort -u "$tmp/codes" | wc -l)" 4 "four different codes"
i=0
for b in $b1 $b2 $b3 $b4; do
	i=$((i + 1))
	c=$(sed -n "${i}p" "$tmp/codes")
	check "code $c has the form of a code" \
	    sh -c "echo '$c' | grep -Eqx '([0-9A-HJKMNP-TV-Z]{5}-){4}[0-9A-HJKMNP-TV-Z]{5}'"
	is "$(code_booking "$c")" "$b" "the database knows code $i as booking $b"
done
sort "$tmp/codes" >"$tmp/codes.sorted"
is "$(audits)" "print" "the printing is in the audit trail"
is "$(sql "SELECT count(*) FROM ticket_print WHERE booking_id = $b1 AND how = 'text'")" 1 \
    "and recorded per ticket"

echo "-- JSON, a reprint"
expect 0 "ticket --sale --json" ticket --sale "$sale" --json
printf '%s\n' "SELECT count(*) FROM json_array_elements(:'j'::json) e
    WHERE (e->>'valid')::boolean AND (e->>'reprint')::boolean" >"$tmp/q"
is "$(psql -X -A -t -q -v j="$(cat "$tmp/out")" -f "$tmp/q")" 4 \
    "four valid tickets, each printed before"
printf '%s\n' "SELECT string_agg(e->>'code', ' ' ORDER BY e->>'code')
    FROM json_array_elements(:'j'::json) e" >"$tmp/q"
is "$(psql -X -A -t -q -v j="$(cat "$tmp/out")" -f "$tmp/q")" \
    "$(tr '\n' ' ' <"$tmp/codes.sorted" | sed 's/ $//')" "the same codes"
printf '%s\n' "SELECT e->>'seat' || ' ' || (e->>'price_type') || ' ' ||
    (e->>'price') || ' ' || (e->>'sale') FROM json_array_elements(:'j'::json) e
    WHERE e->>'seat' = 'A2'" >"$tmp/q"
is "$(psql -X -A -t -q -v j="$(cat "$tmp/out")" -f "$tmp/q")" "A2 child 20.50 $sale" \
    "seat, price type, price and sale of A2"
is "$(audits)" "print reprint" "a reprint in the audit trail"
expect 0 "ticket --booking: one seat" ticket --booking "$b2"
check "a reprint says so" grep -qx "TICKET - REPRINT" "$tmp/out"
is "$(grep -c '^TICKET' "$tmp/out")" 1 "one ticket"

echo "-- PDF"
expect 0 "ticket --sale --pdf" ticket --sale "$sale" --pdf "$tmp/t.pdf"
check "nothing on stdout" test ! -s "$tmp/out"
stderr_has "4 tickets written to $tmp/t.pdf" "it says where"
is "$(pages "$tmp/t.pdf")" 4 "one page per ticket"
is "$(size "$tmp/t.pdf")" "595.276 x 841.89" "A4, the default"
pdftotext -layout "$tmp/t.pdf" "$tmp/t.txt"
check "the show's title, Cyrillic and Greek" grep -qF "$title" "$tmp/t.txt"
check "the venue" grep -q "Venue: CLI test" "$tmp/t.txt"
check "the date and time" grep -q "2031-01-01 20:00" "$tmp/t.txt"
check "the price type's name" grep -qF "Child (under 16) 20.50 EUR (child)" "$tmp/t.txt"
is "$(grep -c "Sale: $sale\$" "$tmp/t.txt")" 4 "the sale number on each page"
for l in A1 A2 A3 A4; do
	check "seat $l" grep -Eq "^ *$l *\$" "$tmp/t.txt"
done
while read -r c; do
	check "code $c in words" grep -qF "$c" "$tmp/t.txt"
done <"$tmp/codes"
is "$(grep -c REPRINT "$tmp/t.txt")" 4 "each page marked REPRINT"
pdf_qr "$tmp/t.pdf" >"$tmp/qr"
check "the QR codes decode to exactly the codes" cmp -s "$tmp/qr" "$tmp/codes.sorted"

echo "-- a first printing, page sizes"
ticket_sale "Second $uniq"
expect 0 "a new sale's PDF on ticket stock" \
    ticket --sale "$sale" --pdf "$tmp/s.pdf" --page 2x5.5in
is "$(size "$tmp/s.pdf")" "144 x 396" "2 x 5.5 in"
check "no REPRINT on a first printing" sh -c "! pdftotext '$tmp/s.pdf' - | grep -q REPRINT"
is "$(audits)" "print" "one print in the audit trail"
is "$(pdf_qr "$tmp/s.pdf" | wc -l)" 4 "four QR codes on ticket stock"
expect 0 "--page letter" ticket --booking "$b1" --pdf "$tmp/l.pdf" --page LETTER
is "$(size "$tmp/l.pdf")" "612 x 792" "Letter"
expect 0 "--page 80x200mm" ticket --booking "$b1" --pdf "$tmp/m.pdf" --page 80x200mm
is "$(size "$tmp/m.pdf")" "226.772 x 566.929" "80 x 200 mm"
expect 0 "a wide ticket, 5.5x2in" ticket --booking "$b1" --pdf "$tmp/w.pdf" --page 5.5x2in
check "its text fits: the code is there" sh -c "pdftotext '$tmp/w.pdf' - | grep -q '[0-9A-Z]\{5\}-[0-9A-Z]\{5\}-'"
is "$(pdf_qr "$tmp/w.pdf" | wc -l)" 1 "and its QR code reads"
for p in foo 0x5in 2x5.5 5x5cm 1000x10in 2x5.5inch "" 1.2345x4in; do
	expect 2 "--page \"$p\" refused" ticket --sale "$sale" --page "$p" --pdf "$tmp/x.pdf"
done
stderr_has 'a page is "a4", "letter" or WIDTHxHEIGHT' "it says what a page is"
check "no file written" test ! -e "$tmp/x.pdf"
printf 'ticket = {\n\tpage = "2x5.5in";\n\tprinter = "box1";\n};\n' >"$tmp/ok.conf"
printf 'ticket = {\n\tpage = "3x";\n};\n' >"$tmp/bad.conf"
chmod 600 "$tmp/ok.conf" "$tmp/bad.conf"
expect 0 "ticket.page from the configuration" \
    --config "$tmp/ok.conf" ticket --booking "$b2" --pdf "$tmp/c.pdf"
is "$(size "$tmp/c.pdf")" "144 x 396" "the configured size"
run --config "$tmp/bad.conf" ticket --booking "$b2"
check "a bad ticket.page refused (exit $rc)" test "$rc" -ne 0
stderr_has "bad.conf:2: ticket.page \"3x\": a page is" "with the file, line and reason"

echo "-- void tickets"
expect 0 "cancel A4" cancel "$b4"
before=$(audits)
expect 4 "ticket --booking of a cancelled seat" ticket --booking "$b4"
stderr_has "the ticket of seat A4 (booking $b4) is void: cancelled or exchanged" "it says void"
expect 4 "and no PDF of it" ticket --booking "$b4" --pdf "$tmp/v.pdf"
check "no file" test ! -e "$tmp/v.pdf"
is "$(audits)" "$before" "nothing recorded as printed"
# sl_tickets itself records no printing of void tickets only (it wrote an
# audit row 'print' for them).
sql "SELECT count(*) FROM sl_tickets(NULL, $b4, 'text', 't')" >/dev/null
is "$(audits)" "$before" "sl_tickets records no printing of a void ticket"
is "$(sql "SELECT count(*) FROM ticket_print WHERE booking_id = $b4")" \
    "$(sql "SELECT count(*) FROM ticket_print WHERE booking_id = $b3")" \
    "nor a ticket_print row (as many as its valid neighbour's)"
expect 0 "the sale's tickets" ticket --sale "$sale"
check "A4 is said to be void" grep -q "^VOID TICKET - not valid for entry" "$tmp/out"
is "$(grep -c '^Code:' "$tmp/out")" 3 "and has no code"
stderr_has "seat A4 (booking $b4) is void" "the void one said on stderr too"
expect 0 "--json" ticket --sale "$sale" --json
printf '%s\n' "SELECT (e->>'valid') || ' ' || coalesce(e->>'code', 'null')
    FROM json_array_elements(:'j'::json) e WHERE e->>'seat' = 'A4'" >"$tmp/q"
is "$(psql -X -A -t -q -v j="$(cat "$tmp/out")" -f "$tmp/q")" "false null" \
    "JSON: not valid, no code"
expect 0 "the sale's PDF" ticket --sale "$sale" --pdf "$tmp/v.pdf"
is "$(pages "$tmp/v.pdf")" 3 "only the valid tickets"
is "$(pdf_qr "$tmp/v.pdf" | wc -l)" 3 "three QR codes"

echo "-- bad usage"
expect 2 "neither --sale nor --booking" ticket
expect 2 "both" ticket --sale "$sale" --booking "$b1"
expect 2 "a bad sale number" ticket --sale x1
expect 2 "an operand without --print" ticket --sale "$sale" lp0
expect 2 "--pdf ''" ticket --sale "$sale" --pdf ""
expect 4 "an unknown sale" ticket --sale 999999999
expect 4 "an unknown booking" ticket --booking 999999999
before=$(audits)
expect 1 "an unwritable PDF" ticket --sale "$sale" --pdf /nonexistent/dir/t.pdf
is "$(audits)" "$before" "a PDF not written is not recorded as printed"

done_testing
