#!/bin/sh
# GET /sales/{ref}/tickets.pdf (issue 16): a web sale's document names its
# tickets' PDF by an unguessable reference; the PDF has a page per ticket
# whose QR codes are the codes `seatlock ticket` gives; a second download
# says REPRINT and is in the audit trail; a forged, altered or bare
# reference is 404, so is a box office sale's (another channel); every
# ticket void is 409; with tokens the route needs one, and the access log
# never has the reference.
. "$(dirname "$0")/../lib/api.sh"

for t in pdftotext pdftoppm zbarimg; do
	command -v $t >/dev/null || { fail "$t is missing (.ci/deps.sh test)"; finish; }
done

# qr PDF: the PDF's QR codes, sorted.
qr() {
	rm -f "$T"/qr-*.png
	pdftoppm -r 150 -png "$1" "$T/qr" && zbarimg -q --raw "$T"/qr-*.png 2>/dev/null | sort
}

show=$(mkshow 1 6)
token=tickets-test-token-0123456789abcdef
conf "api = { tokens = ( { token = \"$token\"; role = \"$(sql 'SELECT current_user')\"; } ); };
ticket = { page = \"2x5.5in\"; };"
api_start
AUTH="Authorization: Bearer $token"

post /sales "{\"show_id\":$show,\"seats\":[\"A1\",\"A2\"]}" -H "$AUTH"
check "a web sale" "$STATUS" 201
sale=$(jf .sale)
path=$(jf .tickets_pdf)
check "its document names the tickets' PDF" \
    "$(echo "$path" | grep -Ec '^/sales/[0-9]+-[0-9a-f]{16}/tickets\.pdf$')" 1
check "by the sale's reference" "$path" \
    "/sales/$(sql "SELECT sl_sale_ref($sale)")/tickets.pdf"
req GET "/sales/$sale" -H "$AUTH"
check "GET /sales/{id} names it too" "$(jf .tickets_pdf)" "$path"

req GET "$path"
check "without a token: 401" "$STATUS" 401
req GET "$path" -H "$AUTH"
check "the PDF" "$STATUS" 200
check "as application/pdf" \
    "$(grep -i '^content-type:' "$T/headers" | tr -d '\r' | sed 's/^[^:]*: *//')" \
    application/pdf
cp "$T/body" "$T/t.pdf"
check "two pages" "$(pdfinfo "$T/t.pdf" | awk '/^Pages:/ { print $2 }')" 2
check "on the configured ticket stock" \
    "$(pdfinfo "$T/t.pdf" | sed -n 's/^Page size: *\([0-9.]* x [0-9.]*\).*/\1/p')" "144 x 396"
"$SL" ticket --sale "$sale" --json > "$T/json" 2>/dev/null
check "its QR codes are the tickets' codes" "$(qr "$T/t.pdf" | tr '\n' ' ')" \
    "$(jq -r '.[].code' "$T/json" | sort | tr '\n' ' ')"
pdftotext "$T/t.pdf" "$T/t.txt"
check_has "the seat, the sale" "$(cat "$T/t.txt")" "Sale: $sale"
check "the first download is not a reprint" \
    "$(grep -c REPRINT "$T/t.txt")" 0
req GET "$path" -H "$AUTH"
pdftotext "$T/body" "$T/t2.txt" 2>/dev/null
check "a second download says REPRINT" "$(grep -c REPRINT "$T/t2.txt")" 2
check "and the audit trail has each" "$(sql "SELECT string_agg(action, ' ' ORDER BY audit_id)
    FROM audit_log WHERE action IN ('print', 'reprint')
    AND booking_ids && (SELECT array_agg(booking_id) FROM booking WHERE request_id = $sale)")" \
    "print reprint reprint"
check "recorded as web" "$(sql "SELECT count(*) FROM ticket_print tp JOIN booking b
    USING (booking_id) WHERE b.request_id = $sale AND tp.how = 'web'")" 4
req HEAD "$path" -H "$AUTH"
check "HEAD" "$STATUS" 200

ref=${path#/sales/}
ref=${ref%/tickets.pdf}
mac=${ref#*-}
other=$((sale + 1))
for bad in "$sale" "$sale-0000000000000000" "$other-$mac" \
    "$sale-$(echo "$mac" | tr '0-9a-f' '1-9a-f0')" "$(echo "$ref" | tr a-f A-F)" \
    "x" "$ref$ref$ref"; do
	req GET "/sales/$bad/tickets.pdf" -H "$AUTH"
	check "reference \"$bad\": 404" "$STATUS" 404
done
check "no such sale" "$(jf .error)" not_found

bo=$("$SL" book "$show" A5 2>/dev/null)
bo_sale=$(sql "SELECT request_id FROM booking WHERE booking_id = $bo")
req GET "/sales/$(sql "SELECT sl_sale_ref($bo_sale)")/tickets.pdf" -H "$AUTH"
check "a box office sale's tickets are not the web's: 404" "$STATUS" 404

req DELETE "/sales/$sale" -H "$AUTH"
check "the web sale cancelled" "$STATUS" 200
req GET "$path" -H "$AUTH"
check "its tickets are void: 409" "$STATUS" 409
check "said so" "$(jf .error)" void
check "no PDF" "$(head -c 4 "$T/body")" "{\"er"

check "the access log has the route, not the reference" \
    "$(grep -c "$mac" "$T/server.log")" 0
check_has "the route is logged" "$(cat "$T/server.log")" "GET /sales/{ref}/tickets.pdf 200"
api_stop
finish
