#!/bin/sh
# Issue 17, finding 1: an API token acts only on its own channel.  Two
# partners' tokens map to two roles that are both members of seatlock_clerk
# (the issue's setup); partner B attacks partner A's sale, booking, hold and
# customer and the box office's sale by their (sequential) ids: every answer
# is 404 with the message a missing id gets, and the database is unchanged.
# Partner A still does all of it on its own; a token whose role is a member
# of seatlock_api_admin acts on every channel; the sale, the customer and the
# audit trail name the role that acted (the database sets it, not the body).
. "$(dirname "$0")/../lib/api.sh"

ra=slch_a_$$
rb=slch_b_$$
radm=slch_adm_$$
drop_roles_at_exit $ra $rb $radm
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || { echo "FAIL roles"; exit 1; }
CREATE ROLE $ra NOLOGIN IN ROLE seatlock_clerk;
CREATE ROLE $rb NOLOGIN IN ROLE seatlock_clerk;
CREATE ROLE $radm NOLOGIN IN ROLE seatlock_clerk;
SQL
# (Before migration 0018 the role does not exist: the admin is a clerk.)
sql "GRANT seatlock_api_admin TO $radm" >/dev/null 2>&1 ||
    fail "no role seatlock_api_admin"

TA=partner-a-0123456789abcdefghij
TB=partner-b-0123456789abcdefghij
TADM=partner-admin-0123456789abcdef
conf "api = {
	tokens = (
		{ token = \"$TA\"; role = \"$ra\"; },
		{ token = \"$TB\"; role = \"$rb\"; },
		{ token = \"$TADM\"; role = \"$radm\"; }
	);
};"
A="Authorization: Bearer $TA"
B="Authorization: Bearer $TB"
ADM="Authorization: Bearer $TADM"

show=$(mkshow 3 10)
"$SL" zone set "$show" A --price 40 --rank 1 >/dev/null 2>&1 &&
    "$SL" zone assign "$show" A --section Main >/dev/null 2>&1 ||
    { echo "FAIL the show's prices"; exit 1; }
bo_user=$(mkuser)
bo_book=$("$SL" book "$show" C1 --user "$bo_user" 2>/dev/null | head -n 1)
[ -n "$bo_book" ] || { echo "FAIL the box office's sale"; exit 1; }
bo_sale=$(sql "SELECT request_id FROM booking WHERE booking_id = $bo_book")
api_start

echo "-- partner A: a customer, a sale with a balance due, a booking, a hold"
post /users/register "{\"name\":\"Ann A\",\"email\":\"ann$$@example.com\"}" -H "$A"
check "A registers a customer" "$STATUS" 201
ua=$(jf .id)
post /sales "{\"show_id\":$show,\"user_id\":$ua,\"seats\":[\"A1\",\"A2\"]}" -H "$A"
check "A's sale: 201" "$STATUS" 201
sa=$(jf .sale)
ref=$(jf .tickets_pdf)
post /bookings "{\"user_id\":$ua,\"show_id\":$show,\"seats\":[\"A5\"]}" -H "$A"
check "A's booking: 201" "$STATUS" 201
ba=$(jf '.bookings[0].id')
post /holds "{\"show_id\":$show,\"seats\":[\"B1\"],\"seconds\":600}" -H "$A"
check "A's hold: 201" "$STATUS" 201
ha=$(jf .id)
post /sales "{\"show_id\":$show,\"seats\":[\"B5\"]}" -H "$B"
check "B's own sale: 201" "$STATUS" 201
sb=$(jf .sale)

# state: what B's attacks must leave as it is.
state() {
	sql "SELECT (SELECT string_agg(booking_id || status, ',' ORDER BY booking_id)
	    FROM booking WHERE show_id = $show) || ' ' ||
	    (SELECT count(*) FROM payment p JOIN booking_request r USING (request_id)
	    WHERE r.show_id = $show) || ' ' ||
	    (SELECT count(*) FROM booking_request WHERE show_id = $show) || ' ' ||
	    (SELECT string_agg(hold_id || status, ',') FROM hold
	    WHERE show_id = $show) || ' ' ||
	    (SELECT count(*) FROM ticket_print tp JOIN booking b USING (booking_id)
	    WHERE b.show_id = $show)"
}
before=$(state)

# notfound WHAT WANT_MESSAGE: a 404 that reads as a missing id's.
notfound() {
	check "$1: 404" "$STATUS" 404
	check "$1: the error" "$(jf .error)" not_found
	check "$1: the message" "$(jf .message)" "$2"
}

echo "-- partner B on A's and the box office's: not found, nothing changed"
req DELETE "/bookings/999999999" -H "$B"
check "a missing booking (the pattern to match)" "$(jf .message)" \
    "booking 999999999 not found"
req DELETE "/bookings/$ba" -H "$B"
notfound "B cancels A's booking" "booking $ba not found"
req DELETE "/bookings/$bo_book" -H "$B"
notfound "B cancels the box office's booking" "booking $bo_book not found"
req GET "/sales/$sa" -H "$B"
notfound "B reads A's sale" "sale $sa not found"
req GET "/sales/$bo_sale" -H "$B"
notfound "B reads the box office's sale" "sale $bo_sale not found"
req DELETE "/sales/$sa?refund=card" -H "$B"
notfound "B cancels A's sale" "sale $sa not found"
post "/sales/$sa/payments" '{"method":"card"}' -H "$B"
notfound "B pays A's sale" "sale $sa not found"
req GET "$ref" -H "$B"
check "B fetches A's tickets by their reference: 404" "$STATUS" 404
check "  as an unknown reference" "$(jf .message)" "no such sale"
req DELETE "/holds/$ha" -H "$B"
notfound "B releases A's hold" "hold $ha not found"
post /bookings "{\"user_id\":$ua,\"show_id\":$show,\"seats\":[\"C5\"]}" -H "$B"
notfound "B books in A's customer's name" "user $ua not found"
post /bookings "{\"user_id\":$bo_user,\"show_id\":$show,\"seats\":[\"C6\"]}" -H "$B"
notfound "B books in the box office's customer's name" "user $bo_user not found"
post /sales "{\"show_id\":$show,\"user_id\":$ua,\"seats\":[\"C7\"]}" -H "$B"
notfound "B sells in A's customer's name" "user $ua not found"
post /holds "{\"show_id\":$show,\"seats\":[\"C8\"],\"holder\":\"X\",\"user_id\":$ua,
    \"until\":\"$(date -u -d '+2 days' '+%Y-%m-%d %H:%M')+00\"}" -H "$B"
check "B reserves in A's customer's name: 404" "$STATUS" 404
check "nothing changed in the database" "$(state)" "$before"
post /users/register "{\"name\":\"Ann B\",\"email\":\"ANN$$@example.com\"}" -H "$B"
check "B registers an email A has: its own customer, no conflict to tell" "$STATUS" 201
check "  a customer of B's" "$(sql "SELECT api_role FROM app_user
    WHERE user_id = $(jf .id)")" "$rb"
post /users/register "{\"name\":\"Ann B\",\"email\":\"ann$$@example.com\"}" -H "$B"
check "  twice in B's channel: 409" "$STATUS" 409

echo "-- partner A does all of it on its own"
req GET "/sales/$sa" -H "$A"
check "A reads its sale" "$STATUS" 200
post "/sales/$sa/payments" '{"method":"card"}' -H "$A"
check "A pays its sale" "$STATUS" 201
req GET "$ref" -H "$A"
check "A fetches its tickets" "$STATUS" 200
req DELETE "/holds/$ha" -H "$A"
check "A releases its hold" "$STATUS" 204
req DELETE "/bookings/$ba" -H "$A"
check "A cancels its booking" "$STATUS" 204
req DELETE "/sales/$sa?refund=card" -H "$A"
check "A cancels its sale" "$STATUS" 200
check "A's seats are free" "$(sql "SELECT count(*) FROM booking
    WHERE show_id = $show AND status = 'active'")" 2

echo "-- who acted, as the database recorded it"
check "A's sale names role A" "$(sql "SELECT api_role FROM booking_request
    WHERE request_id = $sa")" "$ra"
check "A's customer names role A" "$(sql "SELECT api_role FROM app_user
    WHERE user_id = $ua")" "$ra"
check "A's hold names role A" "$(sql "SELECT api_role FROM hold
    WHERE hold_id = $ha")" "$ra"
check "the box office's sale names no role" "$(sql "SELECT coalesce(api_role, '-')
    FROM booking_request WHERE request_id = $bo_sale")" "-"
check "the audit trail names role A for each of A's acts" "$(sql "SELECT
    string_agg(action, ',' ORDER BY audit_id) FROM audit_log
    WHERE show_id = $show AND api_role = '$ra'")" \
    "book,book,hold,pay,print,release,cancel,cancel sale"
check "and A's customer's registration" "$(sql "SELECT count(*) FROM audit_log
    WHERE action = 'user register' AND api_role = '$ra'
    AND detail ->> 'user' = '$ua'")" 1
check "B's sale names role B, the box office's none" "$(sql "SELECT
    string_agg(coalesce(api_role, '-'), ',' ORDER BY audit_id) FROM audit_log
    WHERE show_id = $show AND action = 'book' AND api_role IS DISTINCT FROM '$ra'")" \
    "-,$rb"

echo "-- a member of seatlock_api_admin acts on every channel"
req GET "/sales/$sb" -H "$ADM"
check "admin reads B's sale" "$STATUS" 200
req DELETE "/bookings/$bo_book" -H "$ADM"
check "admin cancels the box office's booking" "$STATUS" 204
post /bookings "{\"user_id\":$ua,\"show_id\":$show,\"seats\":[\"C9\"]}" -H "$ADM"
check "admin books in A's customer's name" "$STATUS" 201

echo "-- the command line still acts on every sale"
out=$("$SL" sale "$sb" 2>&1)
check "the command line reads B's sale" "$?" 0
out=$("$SL" cancel --sale "$sb" 2>&1)
check "the command line cancels B's sale" "$?" 0
api_stop
finish
