#!/bin/sh
# Least privilege (issue 5): a clerk is their own login, sells and cancels
# only through the sl_* functions, is named by the audit trail, and cannot
# change any table directly, call a supervisor's function, or touch the
# trail.  A supervisor login blocks, releases and adds shows.  The test's
# own connection (PGUSER of tests/run.sh) is the cluster's superuser.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"

clerk=slp_clerk_$$
boss=slp_boss_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $clerk" -c "DROP ROLE IF EXISTS $boss" \
    >/dev/null 2>&1; rm -rf "$tmp"' EXIT


# denied DESCRIPTION ROLE SQL: SQL as ROLE fails with 42501 or SL403.
denied() {
	_s=$(as "$2" "$3")
	case $_s in
	42501 | SL403) ok "$1: denied ($_s)" ;;
	*) not_ok "$1: $_s, want 42501 or SL403 [$3]" ;;
	esac
}

echo "-- seatlock clerk add"
expect 0 "a supervisor (here the superuser) adds a clerk" \
    clerk add "$clerk" --role clerk
check "clerk add prints nothing" [ ! -s "$tmp/out" ]
expect 0 "adds a supervisor" clerk add "$boss" --role supervisor
check "the clerk is a login in seatlock_clerk" [ "$(sql "SELECT rolcanlogin
    AND pg_has_role('$clerk', 'seatlock_clerk', 'MEMBER')
    AND NOT pg_has_role('$clerk', 'seatlock_supervisor', 'MEMBER')
    AND NOT rolsuper AND NOT rolcreaterole FROM pg_roles
    WHERE rolname = '$clerk'")" = t ]
check "the supervisor is a login in seatlock_supervisor" [ "$(sql "SELECT
    rolcanlogin AND pg_has_role('$boss', 'seatlock_supervisor', 'MEMBER')
    FROM pg_roles WHERE rolname = '$boss'")" = t ]
expect 3 "the same name again: conflict" clerk add "$clerk" --role clerk
expect 3 "an existing role that is not ours: conflict" \
    clerk add postgres --role clerk
for bad in "Robert'; DROP TABLE booking; --" 'a"b' 'UPPER' '1abc' 'pg_x' \
    'seatlock_clerk' 'x y' "$(printf 'a\033[31m')" '' \
    "$(printf 'a%.0s' $(seq 64))"; do
	n=$((${n:-0} + 1))
	expect 2 "bad name $n is refused" clerk add "$bad" --role clerk
done
expect 2 "a bad role is refused" clerk add "slp_x_$$" --role admin
expect 2 "no role: usage" clerk add "slp_x_$$"
check "no role was made by the refused calls" \
    [ "$(sql "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'slp\_x\_%'
    OR rolname LIKE 'robert%'")" = 0 ]
check "booking is still there" [ "$(sql "SELECT to_regclass('booking')
    IS NOT NULL")" = t ]
with_env PGUSER="$clerk" -- expect 1 "a clerk cannot add clerks" \
    clerk add "slp_x_$$" --role clerk
check "... and nothing was made" [ "$(sql "SELECT count(*) FROM pg_roles
    WHERE rolname = 'slp_x_$$'")" = 0 ]

echo "-- the clerk sells and cancels through the command line"
venue=$(new_venue 2 4)
show=$(new_show "$venue")
check "a venue and a show (as superuser)" is_id "$show"
l1=$(sql "SELECT label FROM seat WHERE venue_id = $venue ORDER BY seat_id
    LIMIT 1")
l2=$(sql "SELECT label FROM seat WHERE venue_id = $venue ORDER BY seat_id
    OFFSET 1 LIMIT 1")
with_env PGUSER="$clerk" -- expect 0 "the clerk registers a customer" \
    user register --name "Priv Customer" --email "priv-$uniq@example.com"
user=$(cat "$tmp/out")
check "a user id" is_id "$user"
with_env PGUSER="$clerk" -- expect 0 "the clerk books" \
    book "$show" "$l1" "$l2" --user "$user"
b1=$(head -n 1 "$tmp/out")
with_env PGUSER="$clerk" -- expect 0 "the clerk cancels" cancel "$b1"
check "one active booking left" [ "$(sql "SELECT count(*) FROM booking
    WHERE show_id = $show AND status = 'active'")" = 1 ]
check "the audit trail names the clerk for the sale" [ "$(sql "SELECT
    string_agg(DISTINCT actor, ',') FROM audit_log WHERE show_id = $show
    AND action IN ('book', 'cancel')")" = "$clerk" ]
check "... for the cancel" [ "$(sql "SELECT count(*) FROM audit_log
    WHERE show_id = $show AND action = 'cancel' AND actor = '$clerk'")" = 1 ]
check "... and for the registration" [ "$(sql "SELECT actor FROM audit_log
    WHERE action = 'user register' AND (detail->>'user')::bigint = $user")" \
    = "$clerk" ]
check "the clerk reads the map" [ "$(PGUSER=$clerk "$SL" seats "$show" |
    grep -c booked)" = 1 ]
check "the clerk is not a supervisor" [ "$(PGUSER=$clerk psql -X -A -t \
    -c 'SELECT sl_is_supervisor()')" = f ]
check "the clerk holds best available (sl_hold_best)" [ "$(as "$clerk" \
    "SELECT count(*) FROM sl_hold_best($show, 2, NULL, 60, 'priv')")" = ok ]
check "... a hold of 2 seats made by the clerk" [ "$(sql "SELECT count(*)
    FROM hold WHERE show_id = $show AND terminal = 'priv' AND actor = '$clerk'
    AND status = 'active' AND cardinality(seat_ids) = 2")" = 1 ]
check "... let go" [ "$(sql "SELECT outcome FROM sl_release((SELECT hold_id
    FROM hold WHERE show_id = $show AND terminal = 'priv'
    AND status = 'active'))")" = released ]

echo "-- the clerk changes no table directly"
for t in $(sql "SELECT tablename FROM pg_tables WHERE schemaname = 'public'
    ORDER BY 1"); do
	denied "INSERT into $t" "$clerk" "INSERT INTO $t DEFAULT VALUES"
	c=$(sql "SELECT attname FROM pg_attribute WHERE attrelid = '$t'::regclass
	    AND attnum > 0 AND NOT attisdropped AND attidentity = ''
	    ORDER BY attnum LIMIT 1")
	denied "UPDATE $t" "$clerk" "UPDATE $t SET $c = $c"
	denied "DELETE from $t" "$clerk" "DELETE FROM $t"
	denied "TRUNCATE $t" "$clerk" "TRUNCATE $t CASCADE"
done
denied "a booking written by hand" "$clerk" "INSERT INTO booking (show_id,
    seat_id, venue_id, user_id, request_id) SELECT show_id, seat_id,
    venue_id, user_id, request_id FROM booking WHERE show_id = $show"
denied "a seat freed by hand" "$clerk" "UPDATE show_seat SET state =
    'available' WHERE show_id = $show"
denied "SET ROLE to the supervisors" "$clerk" "SET ROLE seatlock_supervisor"
denied "a table of the clerk's own" "$clerk" "CREATE TABLE public.mine (x int)"

echo "-- the clerk calls no supervisor function, no internal helper"
denied "sl_show_add" "$clerk" "SELECT sl_show_add($venue, 'x', now())"
denied "sl_venue_create" "$clerk" "SELECT sl_venue_create('x', '{A1}',
    '{S}', '{A}', '{1}', '{1}', '{1}', '{f}', '{f}', '{f}', '{NULL}')"
denied "sl_clerk_add" "$clerk" "SELECT sl_clerk_add('slp_y_$$', 'supervisor')"
denied "sl_zone_set" "$clerk" "SELECT sl_zone_set($show, 'Z', 'Z', 100, 1)"
denied "a block (sl_hold with a reason)" "$clerk" "SELECT * FROM
    sl_hold($show, ARRAY['$l1'], NULL, 'house seats', 'priv')"
for f in "sl_sell_ids($show, $venue, '{1}', $user, 1)" \
    "sl_publish($show, 'booked', '{1}')" \
    "sl_seat_ids($venue, $show, '{A1}')" \
    "sl_check_request('k', $user)" "sl_show_venue($show)" \
    "sl_sale_venue($show, true)" "sl_hold_until($show, 60, true)" \
    "sl_best_lock($show, $venue, 1, NULL)" "sl_best_check($show, 1, NULL)" \
    "sl_hold_ids($show, '{1}', 60, NULL, 'priv', false)" \
    "sl_hold_check(60, NULL, 'priv')"; do
	denied "internal helper ${f%%(*}" "$clerk" "SELECT $f"
done
with_env PGUSER="$clerk" -- expect 1 "show add on the command line: refused" \
    show add --venue "$venue" --title "No" --starts "2031-02-01 20:00"

echo "-- the audit trail"
denied "UPDATE audit_log" "$clerk" "UPDATE audit_log SET actor = 'x'"
denied "DELETE audit_log" "$clerk" "DELETE FROM audit_log"
denied "TRUNCATE audit_log" "$clerk" "TRUNCATE audit_log"
denied "INSERT a forged row" "$clerk" "INSERT INTO audit_log (actor, action)
    VALUES ('somebody', 'book')"
denied "even the owner cannot UPDATE it" postgres \
    "UPDATE audit_log SET action = 'x' WHERE show_id = $show"
sql "INSERT INTO audit_log (actor, action, show_id) VALUES ('somebody',
    'forged', $show)" >/dev/null
check "an explicit actor is replaced by session_user" [ "$(sql "SELECT actor
    FROM audit_log WHERE show_id = $show AND action = 'forged'")" = \
    "$(sql 'SELECT session_user')" ]

echo "-- functions run as the owner with a pinned search_path"
check "every sl_* function that is not IMMUTABLE is SECURITY DEFINER" \
    [ "$(sql "SELECT count(*) FROM pg_proc WHERE proname LIKE 'sl\_%'
    AND provolatile <> 'i' AND NOT (prosecdef AND
    'search_path=pg_catalog, public, pg_temp' = ANY (proconfig))")" = 0 ]
check "no sl_* function is executable by PUBLIC" [ "$(sql "SELECT count(*)
    FROM pg_proc WHERE proname LIKE 'sl\_%'
    AND has_function_privilege('public', oid, 'EXECUTE')")" = 0 ]

echo "-- the supervisor blocks, releases and adds shows"
with_env PGUSER="$boss" -- expect 0 "the supervisor adds a show" \
    show add --venue "$venue" --title "Boss show $uniq" \
    --starts "2031-03-01 20:00"
show2=$(cat "$tmp/out")
check "a show id" is_id "$show2"
with_env PGUSER="$boss" -- expect 0 "the supervisor blocks seats" \
    hold "$show2" "$l1" --reason "house seats"
hold=$(cat "$tmp/out")
check "a block, made by the supervisor" [ "$(sql "SELECT kind || ' ' || actor
    FROM hold WHERE hold_id = $hold")" = "block $boss" ]
with_env PGUSER="$clerk" -- expect 3 "the clerk cannot release the block" \
    release "$hold"
with_env PGUSER="$boss" -- expect 0 "the supervisor releases it" \
    release "$hold"
with_env PGUSER="$boss" -- expect 0 "the supervisor sets a price zone" \
    zone set "$show2" Z --price 12.50
denied "the supervisor still writes no table" "$boss" \
    "DELETE FROM booking WHERE show_id = $show"
check "tables intact: the sale is still there" [ "$(sql "SELECT count(*)
    FROM booking WHERE show_id = $show AND status = 'active'")" = 1 ]

done_testing
