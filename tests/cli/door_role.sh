#!/bin/sh
# A door's login (issue 16) checks tickets in and does nothing else: made
# with `seatlock clerk add NAME --role door` (a member of seatlock_door
# only), it may execute sl_checkin and no other function of ours, reads
# and writes no table or sequence, creates nothing in the schema; asked to,
# the database refuses it (42501), and its check-in through sl_checkin
# (SECURITY DEFINER) works and is recorded under its name.
. "$(dirname "$0")/../lib/api.sh"

door=sldoor_$$
clerk=sldoorclerk_$$
drop_roles_at_exit $door $clerk

# as_door SQL: the SQLSTATE of SQL run as the door's login, or its output.
as_door() {
	PGUSER=$door psql -X -Atq -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate \
	    -c "$1" 2>&1 | sed 's/^ERROR: *//' | tail -n 1
}

show=$(mkshow 1 4)
"$SL" book "$show" A1 A2 >/dev/null || { echo "FAIL the fixtures"; exit 1; }
b1=$(sql "SELECT min(booking_id) FROM booking WHERE show_id = $show")

"$SL" clerk add "$door" --role door
check "clerk add --role door: exit 0" "$?" 0
check "a login, a member of seatlock_door, not of the clerks" "$(sql "SELECT
    rolcanlogin, pg_has_role(oid, 'seatlock_door', 'MEMBER'),
    pg_has_role(oid, 'seatlock_clerk', 'MEMBER'),
    pg_has_role(oid, 'seatlock_supervisor', 'MEMBER')
    FROM pg_roles WHERE rolname = '$door'" | tr '|' ' ')" "t t f f"
check "the audit trail has it" "$(sql "SELECT detail->>'role' FROM audit_log
    WHERE action = 'clerk add' AND detail->>'name' = '$door'")" door
"$SL" clerk add "${door}x" --role usher 2>"$T/err"
check "another role: exit 2" "$?" 2
check_has "says which roles" "$(cat "$T/err")" "clerk, supervisor or door"
"$SL" clerk add "$clerk" --role clerk
PGUSER=$clerk "$SL" clerk add "${door}y" --role door 2>/dev/null
check "a clerk may not make a door's login (42501: exit 1)" "$? $(sql "SELECT
    count(*) FROM pg_roles WHERE rolname = '${door}y'")" "1 0"

echo "-- what the catalogue grants seatlock_door and its logins"
for who in seatlock_door "$door"; do
	check "$who: no privilege on any table, view or sequence" "$(sql "SELECT
	    string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
	    JOIN pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
	    AND has_table_privilege('$who', c.oid, 'SELECT, INSERT, UPDATE,
		DELETE, TRUNCATE, REFERENCES, TRIGGER')")" ""
	check "$who: no sequence" "$(sql "SELECT count(*) FROM pg_class c
	    JOIN pg_namespace n ON n.oid = c.relnamespace
	    WHERE n.nspname = 'public' AND CASE WHEN c.relkind = 'S' THEN
		has_sequence_privilege('$who', c.oid, 'USAGE, SELECT, UPDATE')
	    END")" 0
	check "$who: of our functions, only sl_checkin" "$(sql "SELECT
	    string_agg(DISTINCT p.proname, ' ') FROM pg_proc p
	    JOIN pg_namespace n ON n.oid = p.pronamespace
	    WHERE n.nspname = 'public'
	    AND has_function_privilege('$who', p.oid, 'EXECUTE')")" sl_checkin
	check "$who: creates nothing in the schema" "$(sql "SELECT
	    has_schema_privilege('$who', 'public', 'CREATE')")" f
done
check "the ticket key: nobody but the owner" "$(sql "SELECT count(*) FROM pg_roles
    WHERE rolname IN ('seatlock_door', 'seatlock_clerk', '$door')
    AND has_table_privilege(oid, 'ticket_key', 'SELECT')")" 0

echo "-- the door's login asks for more: refused"
for q in "SELECT count(*) FROM booking" "SELECT count(*) FROM checkin" \
    "SELECT count(*) FROM scan" "SELECT * FROM ticket_key" \
    "SELECT count(*) FROM app_user" "SELECT count(*) FROM payment" \
    "INSERT INTO checkin (booking_id, show_id, door, at) VALUES ($b1, $show, 'x', now())" \
    "DELETE FROM scan" "UPDATE booking SET status = 'cancelled'" \
    "SELECT * FROM sl_tickets(NULL, $b1)" "SELECT * FROM sl_door_tickets($show)" \
    "SELECT sl_sale_ref(1)" "SELECT sl_sale_by_ref('1-0000000000000000')" \
    "SELECT sl_ticket_raw($b1)" "SELECT sl_ticket_booking('\\x00'::bytea)" \
    "SELECT sl_cancel($b1)" "SELECT sl_clerk_add('${door}z', 'supervisor')" \
    "SELECT sl_is_supervisor()" "SELECT * FROM sl_price_list($show)" \
    "SELECT sl_shift_open(0, 't')" "CREATE TABLE public.door_junk (x int)"; do
	check "refused: $q" "$(as_door "$q")" 42501
done
check "nothing changed: A1 sold, not admitted, no role made" "$(sql "SELECT status
    FROM booking WHERE booking_id = $b1") $(sql "SELECT count(*) FROM checkin
    WHERE booking_id = $b1") $(sql "SELECT count(*) FROM pg_roles
    WHERE rolname = '${door}z'")" "active 0 0"
PGUSER=$door "$SL" book "$show" A3 >/dev/null 2>&1
check "the command line's book as the door: refused, nothing sold" "$? $(sql "SELECT
    count(*) FROM booking WHERE show_id = $show")" "1 2"

echo "-- and its one call works"
raw=$(sql "SELECT encode(sl_ticket_raw($b1), 'hex')")
check "sl_checkin as the door's login: admitted" "$(as_door "SELECT result || ' ' ||
    label || ' ' || admitted || '/' || sold FROM sl_checkin('\\x$raw'::bytea,
    $show, 'east')")" "admitted A1 1/2"
check "the checkin row names the door's login" "$(sql "SELECT door || ' ' || clerk
    FROM checkin WHERE booking_id = $b1")" "east $door"
check "again: already" "$(as_door "SELECT result || ' ' || first_door
    FROM sl_checkin('\\x$raw'::bytea, NULL, 'west')")" "already east"
check "a bad door name: SL400" "$(as_door "SELECT result FROM sl_checkin(
    '\\x$raw'::bytea, NULL, '')")" SL400
finish
