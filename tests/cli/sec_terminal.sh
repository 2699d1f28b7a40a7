#!/bin/sh
# Issue 17, finding 12: the terminal is what a caller declares, so it is
# bounded (1..255 characters, no control characters) and refused with SL400
# before anything is written; who did something is the login (session_user)
# in every table that records it, whatever the caller writes there.  The
# attacker is a clerk's login; the test's own connection is the superuser.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"

c1=slt_a_$$
c2=slt_b_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $c1" -c "DROP ROLE IF EXISTS $c2" \
    >/dev/null 2>&1; rm -rf "$tmp"' EXIT

expect 0 "a clerk" clerk add "$c1" --role clerk
expect 0 "another clerk" clerk add "$c2" --role clerk
venue=$(new_venue 1 6)
show=$(new_show "$venue")
check "a venue and a show" is_id "$show"
user=$(new_user)
check "a customer" is_id "$user"
audit0=$(sql "SELECT count(*) FROM audit_log")
last0=$(sql "SELECT max(audit_id) FROM audit_log")
req0=$(sql "SELECT count(*) FROM booking_request")

echo "-- a 20 MB terminal"
big="repeat('x', 20 * 1024 * 1024)"
check "sl_book with a 20 MB terminal: SL400" [ "$(as "$c1" "SELECT * FROM
    sl_book($show, ARRAY['A1'], $user, 'slt-$uniq-1', $big)")" = SL400 ]
check "sl_hold with a 20 MB terminal: SL400" [ "$(as "$c1" "SELECT * FROM
    sl_hold($show, ARRAY['A2'], 600, NULL, $big)")" = SL400 ]
check "a 256-character terminal: SL400" [ "$(as "$c1" "SELECT * FROM
    sl_book($show, ARRAY['A1'], $user, 'slt-$uniq-2', repeat('t', 256))")" = SL400 ]
check "a terminal with a newline: SL400" [ "$(as "$c1" "SELECT * FROM
    sl_hold($show, ARRAY['A2'], 600, NULL, E'till 1\\nforged line')")" = SL400 ]
check "an empty terminal: SL400" [ "$(as "$c1" "SELECT * FROM
    sl_hold($show, ARRAY['A2'], 600, NULL, '')")" = SL400 ]
check "nothing was written (trail, sales, holds, bookings)" [ "$(sql "SELECT
    (SELECT count(*) FROM audit_log) = $audit0
    AND (SELECT count(*) FROM booking_request) = $req0
    AND NOT EXISTS (SELECT 1 FROM hold WHERE show_id = $show)
    AND NOT EXISTS (SELECT 1 FROM booking WHERE show_id = $show)")" = t ]
check "the trail has no terminal over 255 characters from today" [ "$(sql \
    "SELECT count(*) FROM audit_log WHERE length(terminal) > 255
    AND audit_id > (SELECT max(audit_id) - 100 FROM audit_log)")" = 0 ]
check "the table refuses one too (constraint of migration 0016)" [ "$(sql \
    "SELECT count(*) FROM pg_constraint
    WHERE conname = 'audit_log_terminal_bounded'")" = 1 ]

echo "-- a terminal of 255 characters and a usual one still work"
r=$(as "$c1" "SELECT * FROM sl_hold($show, ARRAY['A3'], 600, NULL,
    repeat('t', 255))")
check "sl_hold with 255 characters ($r)" [ "$r" = ok ]
check "sl_book with a usual terminal naming another clerk" [ "$(as "$c1" \
    "SELECT * FROM sl_book($show, ARRAY['A4'], $user, 'slt-$uniq-3',
    '$c2')")" = ok ]

echo "-- who did it is the login"
check "the sale records the login, not the declared name" [ "$(sql "SELECT
    clerk FROM booking_request WHERE request_key = 'slt-$uniq-3'")" = "$c1" ]
check "the trail names the login" [ "$(sql "SELECT string_agg(DISTINCT actor,
    ',') FROM audit_log WHERE audit_id > $last0")" = "$c1" ]
check "the hold names the login" [ "$(sql "SELECT string_agg(DISTINCT actor,
    ',') FROM hold WHERE show_id = $show")" = "$c1" ]
# Whoever inserts (even the owner, as a function would), the login is
# recorded: a default can be overridden, the triggers cannot.
for t in booking_request payment shift ticket_print checkin scan; do
	check "$t has a trigger that sets clerk to the login" [ "$(sql "SELECT
	    count(*) FROM pg_trigger WHERE tgrelid = '$t'::regclass
	    AND tgfoid = 'clerk_is_session_user'::regproc")" = 1 ]
done
shift_id=$(sql "INSERT INTO shift (clerk, terminal, float_cents)
    VALUES ('$c2', 'slt', 0) RETURNING shift_id")
check "an INSERT naming another clerk records the login" [ "$(sql "SELECT
    clerk FROM shift WHERE shift_id = $shift_id")" = "$(sql "SELECT
    session_user")" ]
sql "DELETE FROM shift WHERE shift_id = $shift_id" >/dev/null
done_testing
