#!/bin/sh
# The offline door (issue 16): `door --export` writes the show's valid
# codes into a file; `door --offline` (the door screen, driven in tmux)
# checks codes against it with no server, a code scanned twice is ALREADY
# IN; `door --sync` sends the admissions back with their times: a ticket
# cancelled after the export and one admitted online meanwhile are
# reported (exit 3) and not admitted again, the others are admitted at
# their offline times; a second sync sends nothing again.  A ticket
# cancelled before an export is not in it.  Bad files get clear errors.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/sales.lib"
. "$(dirname "$0")/door.lib"
trap 'DT kill-server 2>/dev/null; rm -rf "$tmp"' EXIT

priced_show 1 10
expect 0 "six seats sold" book "$show" A1 A2 A3 A4 A5 A6 --pay card
for l in A1 A2 A3 A4 A5 A6; do
	eval "c_$l=\$(code_of $show $l)"
done
bk() {
	sql "SELECT booking_id FROM booking b JOIN seat s USING (seat_id)
	    WHERE b.show_id = $show AND s.label = '$1'"
}

f=$tmp/door.db
expect 0 "the export" door --export "$show" "$f"
grep -q "^6 valid tickets of show $show (CLI show $uniq, .*) exported at" \
    "$tmp/out" && ok "says what it wrote" || not_ok "export line"
expect 3 "no export over an existing file" door --export "$show" "$f"
stderr_has "exists" "says it exists"
expect 4 "the export of no show" door --export 99999999 "$tmp/none.db"
check "no file is left" test ! -e "$tmp/none.db"
cp "$f" "$tmp/door2.db"

# After the export: A2 admitted online, A3 cancelled.
expect 0 "A2 admitted online" checkin "$c_A2" --door main
expect 0 "A3 cancelled" cancel "$(bk A3)" --refund card

# The offline door: no server (a DSN that goes nowhere).
door_start xterm-256color --offline "$f" --door side
grep -q "OFFLINE" "$tmp/screen" && ok "the screen says OFFLINE" ||
    not_ok "OFFLINE"
grep -q "Admitted 0 of 6 sold" "$tmp/screen" && ok "the file's count" ||
    not_ok "count 0 of 6"
door_scan "$c_A1"
door_wait "^ ADMIT: seat A1" && ok "A1 admitted offline" ||
    not_ok "A1 offline"
door_scan "$c_A1"
door_wait "^ ALREADY IN: seat A1, in since .* at side" &&
    ok "A1 twice: ALREADY IN, when and where" || not_ok "A1 twice"
door_scan "$c_A2" "$c_A3" "not-a-code" "$c_A4"
door_wait "Admitted 4 of 6 sold" && ok "A2, A3, A4 admitted offline" ||
    not_ok "count 4"
grep -q "REFUSED    not-a-code" "$tmp/screen" && ok "garbage refused" ||
    not_ok "garbage"
is "$(door_quit)" 0 "Ctrl-D leaves the door (exit 0)"
is "$(sqlite3 "$f" "SELECT group_concat(result, ' ') FROM (SELECT result
    FROM scan ORDER BY scan_id)")" \
    "admitted already admitted admitted refused admitted" \
    "every scan recorded in the file"

# A second offline door (the copy) admits A4 too.
door_start vt100 --offline "$tmp/door2.db" --door back
door_scan "$c_A4" "$c_A5"
door_wait "Admitted 2 of 6 sold" && ok "the other door admits A4, A5" ||
    not_ok "door 2"
door_quit >/dev/null

# Sync: what the main database says.
run door --sync "$f"
is "$rc" 3 "sync with conflicts: exit 3"
grep -q "^$c_A2 scanned .* at side: admitted at two doors: seat A2 was \
already in at .* at main" "$tmp/out" && ok "A2 reported: admitted online" ||
    not_ok "A2 conflict"
grep -q "^$c_A3 scanned .* at side: refused by the database: voided" \
    "$tmp/out" && ok "A3 reported: cancelled after the export" ||
    not_ok "A3 conflict"
grep -q "4 offline admissions sent for show $show: 2 admitted, 2 conflicts" \
    "$tmp/out" && ok "the summary" || not_ok "summary"
is "$(sql "SELECT door || ' ' || offline FROM checkin
    WHERE booking_id = $(bk A1)")" "side true" "A1 admitted, offline, at side"
at1=$(sqlite3 "$f" "SELECT at FROM scan WHERE code = '$c_A1'
    AND result = 'admitted'")
is "$(sql "SELECT at = '$at1'::timestamptz FROM checkin
    WHERE booking_id = $(bk A1)")" t "at its offline time"
is "$(sql "SELECT door FROM checkin WHERE booking_id = $(bk A2)")" main \
    "A2 stays admitted at main"
is "$(sql "SELECT count(*) FROM checkin WHERE booking_id = $(bk A3)")" 0 \
    "the cancelled A3 is never admitted"
is "$(sql "SELECT count(*) FROM checkin c JOIN booking b
    USING (booking_id) WHERE b.show_id = $show")" 3 "A1, A2, A4 in"
run door --sync "$f"
is "$rc $(cat "$tmp/out")" \
    "0 0 offline admissions sent for show $show: 0 admitted, 0 conflicts" \
    "a second sync sends nothing again"

run door --sync "$tmp/door2.db"
is "$rc" 3 "the other door's sync: exit 3"
grep -q "^$c_A4 scanned .* at back: admitted at two doors: seat A4 was \
already in at .* at side" "$tmp/out" && ok "A4 at two offline doors" ||
    not_ok "A4 conflict"
is "$(sql "SELECT door FROM checkin WHERE booking_id = $(bk A5)")" back \
    "A5 admitted at back"

# A ticket cancelled before the export is not in it.
expect 0 "a new export" door --export "$show" "$tmp/door3.db"
is "$(sqlite3 "$tmp/door3.db" "SELECT count(*) FROM ticket
    WHERE label = 'A3'") $(sqlite3 "$tmp/door3.db" "SELECT count(*) FROM
    ticket")" "0 5" "A3 (cancelled) is not in the new export"
door_start vt100 --offline "$tmp/door3.db" --door side
grep -q "Admitted 4 of 5 sold" "$tmp/screen" &&
    ok "admitted online before the export are counted" || not_ok "count 4/5"
door_scan "$c_A3" "$c_A1" ""
door_wait "empty scan" && ok "an empty scan answered" || not_ok "empty"
grep -q "REFUSED .*$c_A3  unknown code" "$tmp/screen" &&
    ok "the cancelled A3 is refused" || not_ok "A3 refused"
grep -q "ALREADY IN $c_A1  seat A1, in since before the export" \
    "$tmp/screen" && ok "A1, in before the export: ALREADY IN" ||
    not_ok "A1 already"
door_quit >/dev/null

# Bad files.
echo "hello" >"$tmp/text.db"
expect 2 "a text file" door --sync "$tmp/text.db"
stderr_has "not a door file" "says it is not a door file"
sqlite3 "$tmp/other.db" "CREATE TABLE t (x)"
expect 2 "another SQLite file" door --offline "$tmp/other.db"
stderr_has "is not a door file of seatlock door --export" \
    "says whose it is not"
head -c 3000 "$f" >"$tmp/cut.db"
expect 2 "a truncated file" door --sync "$tmp/cut.db"
stderr_has "cut.db" "names the file"
expect 2 "no such file" door --sync "$tmp/missing.db"
stderr_has "cannot open" "says it cannot open it"
expect 2 "the list of another show" door --offline "$f" --show 99999
stderr_has "is the list of show $show" "says whose list it is"
done_testing
