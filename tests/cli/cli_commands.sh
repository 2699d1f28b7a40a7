#!/bin/sh
# Every command of the command-line contract (DESIGN.md) with its exit
# codes: 0 done, 1 database unreachable, 2 bad usage or input, 3 conflict,
# 4 not found; data on stdout, messages on stderr; the JSON outputs; the
# configuration traps.
. "$(dirname "$0")/testlib"

# ---- global options and unknown commands --------------------------------
expect 0 "--help" --help
check "--help prints the usage on stdout" grep -q "usage: seatlock" "$tmp/out"
check "--help lists every command" sh -c '
	for c in "db migrate" "db demo" "venue import" "show add" "shows" \
	    "seats SHOW" "user register" "book SHOW" "cancel BOOKING"; do
		grep -qF "$c" "$1" || exit 1
	done' sh "$tmp/out"
check "--help prints nothing on stderr" test ! -s "$tmp/err"
expect 0 "help" help
expect 0 "--version" --version
check "--version prints the version" grep -q "^seatlock ." "$tmp/out"
expect 2 "an unknown command" frobnicate
stderr_has "unknown command" "it says so"
expect 2 "an unknown option" --frobnicate shows
expect 2 "--config without a file" --config
expect 2 "db without a subcommand" db
expect 2 "db with an unknown subcommand" db drop

# ---- db migrate, db demo -------------------------------------------------
before=$(sql "SELECT count(*) FROM schema_migration")
expect 0 "db migrate (migrated already)" db migrate
check "db migrate prints no versions when there is nothing to do" \
    test ! -s "$tmp/out"
expect 0 "db migrate again" db migrate
check "db migrate applied nothing" \
    test "$(sql "SELECT count(*) FROM schema_migration")" = "$before"
expect 2 "db migrate with an argument" db migrate now

expect 0 "db demo" db demo
counts="SELECT (SELECT count(*) FROM venue) || ' ' || (SELECT count(*) FROM
    show) || ' ' || (SELECT count(*) FROM seat) || ' ' || (SELECT count(*)
    FROM show_seat)"
c1=$(sql "$counts")
expect 0 "db demo again" db demo
stderr_has "0 venues and 0 shows added" \
    "the second db demo says it added nothing"
check "the second db demo added no rows" test "$(sql "$counts")" = "$c1"
check "the demo theatre has 432 seats" test "$(sql "SELECT count(*) FROM seat s
    JOIN venue v USING (venue_id) WHERE v.name = 'The Playhouse'")" = 432
expect 2 "db demo with an argument" db demo please

# ---- venue import --------------------------------------------------------
cat >"$tmp/good.venue" <<EOF
# a small hall
venue = {
  name = "Good Hall $uniq";
  sections = ( { name = "Floor"; rows = (
    { row = "A"; seats = "1-6"; accessible = "1"; },
    { row = "B"; seats = "1-6"; }
  ); } );
};
EOF
nv=$(sql "SELECT count(*) FROM venue")
expect 0 "venue import of a good layout" venue import "$tmp/good.venue"
venue=$(cat "$tmp/out")
check "it prints the venue id alone" is_id "$venue"
check "the venue has its 12 seats" test "$(sql "SELECT count(*) FROM seat
    WHERE venue_id = $venue")" = 12
expect 3 "venue import of the same venue again" venue import "$tmp/good.venue"

cat >"$tmp/bad.venue" <<EOF
venue = {
  name = "Bad Hall $uniq";
  sections = ( { name = "Floor"; rows = (
    { row = "A"; seats = "1-6"; },
    { row = "A"; seats = "6-9"; }
  ); } );
};
EOF
nv=$(sql "SELECT count(*) FROM venue")
ns=$(sql "SELECT count(*) FROM seat")
expect 2 "venue import of a layout with a duplicate seat" \
    venue import "$tmp/bad.venue"
stderr_has "bad.venue:5:" "the message names the file and line"
stderr_has "A6" "the message names the seat"
check "the bad layout wrote no venue" \
    test "$(sql "SELECT count(*) FROM venue")" = "$nv"
check "the bad layout wrote no seat" \
    test "$(sql "SELECT count(*) FROM seat")" = "$ns"
wrapped='{ row = "B"; x = 4294967297; seats = "1"; }'
sed "s/{ row = \"A\"; seats = \"6-9\"; }/$wrapped/" "$tmp/bad.venue" \
    >"$tmp/wrap.venue"
expect 2 "venue import of a layout with a wrapping integer" \
    venue import "$tmp/wrap.venue"
stderr_has "wrap.venue:5:" "the message names the line"
check "it wrote nothing" test "$(sql "SELECT count(*) FROM venue")" = "$nv"
printf '@include "%s"\n' "$tmp/good.venue" >"$tmp/inc.venue"
expect 2 "venue import of a layout with @include" venue import "$tmp/inc.venue"
run venue import "$tmp/does-not-exist.venue"
check "venue import of a missing file fails ($rc)" test "$rc" -ne 0
expect 2 "venue import without a file" venue import
expect 2 "venue import with two files" venue import a b

# ---- show add ------------------------------------------------------------
expect 0 "show add" show add --venue "$venue" --title "Opening night" \
    --starts "2031-05-01 19:30"
show=$(cat "$tmp/out")
check "it prints the show id alone" is_id "$show"
check "the show has an inventory row per seat, all available" \
    test "$(sql "SELECT count(*) FROM show_seat WHERE show_id = $show AND
    state = 'available'")" = 12
expect 3 "show add at a time the venue is taken" show add --venue "$venue" \
    --title "Clash" --starts "2031-05-01 19:30"
expect 4 "show add of an unknown venue" show add --venue 9223372036854775807 \
    --title "Nowhere" --starts "2031-05-01 19:30"
expect 2 "show add with a bad time" show add --venue "$venue" --title "X" \
    --starts "the day after tomorrow"
expect 2 "show add with a bad venue id" show add --venue 12abc --title "X" \
    --starts "2031-05-02 19:30"
expect 2 "show add with a control character in the title" show add \
    --venue "$venue" --title "$(printf 'Bell\007')" --starts "2031-05-03 19:30"
long=$(printf '%201s' '' | tr ' ' t)
expect 2 "show add with a title of 201 characters" show add --venue "$venue" \
    --title "$long" --starts "2031-05-03 19:30"
stderr_has "too long" "it says the title is too long"
long=""
i=0
while [ "$i" -lt 200 ]; do
	long="${long}é"
	i=$((i + 1))
done
expect 0 "show add with a title of 200 two-byte characters" show add \
    --venue "$venue" --title "$long" --starts "2031-05-03 19:30"
long=$(printf '%201s' '' | tr ' ' n)
expect 2 "user register with a name of 201 characters" user register \
    --name "$long" --email "long.$uniq@example.com"
stderr_has "too long" "it says the name is too long"
expect 2 "show add without --title" show add --venue "$venue" \
    --starts "2031-05-04 19:30"
expect 2 "show add with an unknown option" show add --venue "$venue" \
    --title "X" --starts "2031-05-04 19:30" --colour red

# ---- shows, seats --------------------------------------------------------
expect 0 "shows" shows
check "shows lists the new show" grep -q "Opening night" "$tmp/out"
expect 0 "shows --json" shows --json
check "shows --json is a JSON array with the required keys" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and d
for s in d:
    for k in ("id", "title", "venue", "starts_at", "available"):
        assert k in s, k
    assert isinstance(s["id"], int) and isinstance(s["available"], int)
m = [s for s in d if s["id"] == int(sys.argv[2])]
assert len(m) == 1 and m[0]["available"] == 12, m
assert m[0]["title"] == "Opening night"
assert m[0]["venue"].startswith("Good Hall")
' "$tmp/out" "$show"
title='Say "hi" \ to Zoë & 王 </script>'
expect 0 "show add with quotes, a backslash and Unicode in the title" show add \
    --venue "$venue" --title "$title" --starts "2031-05-07 19:30"
show2=$(cat "$tmp/out")
expect 0 "shows --json" shows --json
check "the title comes back exactly through JSON" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = [s for s in d if s["id"] == int(sys.argv[2])]
assert len(m) == 1 and m[0]["title"] == sys.argv[3], m
' "$tmp/out" "$show2" "$title"
expect 2 "shows with an argument" shows 1
expect 2 "shows with an unknown option" shows --xml

expect 0 "seats" seats "$show"
check "seats lists the seat A1" grep -q "^A1 " "$tmp/out"
expect 0 "seats --json" seats "$show" --json
check "seats --json is a JSON array with the required keys" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) == 12, len(d)
for s in d:
    for k in ("id", "label", "section", "row", "number", "state"):
        assert k in s, k
    assert s["state"] in ("available", "held", "booked", "blocked")
assert sorted(s["label"] for s in d) == sorted(
    [r + str(n) for r in "AB" for n in range(1, 7)])
a1 = [s for s in d if s["label"] == "A1"][0]
assert a1["row"] == "A" and a1["number"] == 1 and a1["section"] == "Floor"
assert a1["state"] == "available"
' "$tmp/out"
expect 0 "seats --json before the show id" seats --json "$show"
expect 4 "seats of an unknown show" seats 9223372036854775807
expect 2 "seats of a bad id" seats 12x
expect 2 "seats of id 0" seats 0
expect 2 "seats of an id beyond 64 bits" seats 9223372036854775808
expect 2 "seats of a negative id" seats -3
expect 2 "seats without a show" seats
expect 2 "seats of two shows" seats "$show" "$show"

# ---- user register -------------------------------------------------------
email="Clerk.$uniq@Example.com"
expect 0 "user register" user register --name "Zoë Ångström" --email "$email" \
    --phone "+44 20 7946 0958"
user=$(cat "$tmp/out")
check "it prints the user id alone" is_id "$user"
check "the name is stored exactly as given" test "$(sql "SELECT name FROM
    app_user WHERE user_id = $user")" = "Zoë Ångström"
upper=$(printf '%s' "$email" | tr '[:lower:]' '[:upper:]')
expect 3 "user register with the same email in other case" user register \
    --name "Someone Else" --email "$upper"
stderr_has "registered already" "it says the email is taken"
expect 0 "user register of a Chinese name" user register --name "王小明" \
    --email "wang.$uniq@example.com"
check "stored exactly" test "$(sql "SELECT name FROM app_user WHERE
    user_id = $(cat "$tmp/out")")" = "王小明"
nu=$(sql "SELECT count(*) FROM app_user")
expect 2 "user register with a control character in the name" user register \
    --name "$(printf 'Evil\033[2JName')" --email "evil.$uniq@example.com"
check "the message escapes the control character" \
    sh -c '! grep -q "$(printf "\033")" "$1"' sh "$tmp/err"
expect 2 "user register with a newline in the name" user register \
    --name "$(printf 'Two\nLines')" --email "two.$uniq@example.com"
expect 2 "user register with a C1 control in the name" user register \
    --name "$(printf 'Nel\302\205')" --email "nel.$uniq@example.com"
expect 2 "user register with a bidi override in the name" user register \
    --name "$(printf 'abc\342\200\256def')" --email "bidi.$uniq@example.com"
expect 2 "user register with invalid UTF-8 in the name" user register \
    --name "$(printf 'Zo\353')" --email "latin1.$uniq@example.com"
expect 2 "user register with a bad email" user register --name "Ann" \
    --email "not-an-email"
expect 2 "user register with a space in the email" user register \
    --name "Ann" --email "a nn@example.com"
expect 2 "user register with a bad phone" user register --name "Ann" \
    --email "ann.$uniq@example.com" --phone "call me"
expect 2 "user register without --email" user register --name "Ann"
expect 2 "user register with a stray argument" user register --name "Ann" \
    --email "ann2.$uniq@example.com" extra
check "no refused customer was stored" \
    test "$(sql "SELECT count(*) FROM app_user")" = "$nu"

# ---- book ----------------------------------------------------------------
expect 0 "book two seats" book "$show" a2 A1 --user "$user"
check "stdout is exactly the booking ids, in seat order" sh -c '
	test "$(cat "$1")" = "$(psql -X -Atq -c "SELECT b.booking_id FROM
	    booking b JOIN seat s USING (seat_id) WHERE b.show_id = $2 AND
	    b.status = '"'active'"' ORDER BY s.seat_id")"' sh "$tmp/out" "$show"
check "two ids" test "$(wc -l <"$tmp/out")" -eq 2
b1=$(head -n 1 "$tmp/out")
check "the seats are booked" test "$(sql "SELECT string_agg(s.label || '=' ||
    ss.state, ' ' ORDER BY s.seat_id) FROM show_seat ss JOIN seat s USING
    (seat_id) WHERE ss.show_id = $show AND s.label IN ('A1','A2','A3')")" = \
    "A1=booked A2=booked A3=available"
expect 3 "book a taken seat" book "$show" A3 A1 --user "$user"
stderr_has "A1" "the message names the taken seat"
check "all or nothing: A3 was not booked" test "$(sql "SELECT state FROM
    show_seat ss JOIN seat s USING (seat_id) WHERE ss.show_id = $show AND
    s.label = 'A3'")" = available
expect 4 "book an unknown seat" book "$show" A3 Z99 --user "$user"
stderr_has "Z99" "the message names the unknown seat"
expect 4 "book for an unknown show" book 9223372036854775807 A1 --user "$user"
expect 4 "book for an unknown user" book "$show" A3 --user 9223372036854775807
expect 2 "book the same seat twice in one request" book "$show" A4 a4 \
    --user "$user"
expect 2 "book with a bad label" book "$show" "A 1" --user "$user"
expect 2 "book with a control character in a label" book "$show" \
    "$(printf 'A\0331')" --user "$user"
check "the message escapes it" \
    sh -c '! grep -q "$(printf "\033")" "$1"' sh "$tmp/err"
expect 2 "book with a bad show id" book 01 A3 --user "$user"
expect 2 "book with a bad user id" book "$show" A3 --user 1x
# Without --user a sale is a walk-up since issue 15 (tests/cli/sales.sh).
expect 2 "book with --user but no id" book "$show" A3 --user
expect 2 "book without seats" book "$show" --user "$user"
expect 2 "book with an empty key" book "$show" A3 --user "$user" --key ""
check "no failed request booked anything" test "$(sql "SELECT count(*) FROM
    booking WHERE show_id = $show")" = 2

key="cli-key-$uniq"
expect 0 "book with a request key" book "$show" B1 B2 --user "$user" \
    --key "$key"
cp "$tmp/out" "$tmp/first"
expect 0 "the same request key again" book "$show" B2 B1 --user "$user" \
    --key "$key"
check "answers with the same booking ids" cmp -s "$tmp/out" "$tmp/first"
check "and booked once" test "$(sql "SELECT count(*) FROM booking WHERE
    show_id = $show")" = 4
expect 2 "the same request key for other seats" book "$show" B3 \
    --user "$user" --key "$key"

# ---- cancel --------------------------------------------------------------
expect 0 "cancel" cancel "$b1"
check "cancel prints nothing on stdout" test ! -s "$tmp/out"
stderr_has "cancelled booking $b1" "cancel says what it did on stderr"
check "the seat is available again" test "$(sql "SELECT ss.state FROM booking b
    JOIN show_seat ss USING (show_id, seat_id) WHERE
    b.booking_id = $b1")" = available
expect 4 "cancel a cancelled booking" cancel "$b1"
expect 4 "cancel an unknown booking" cancel 9223372036854775807
expect 2 "cancel a bad id" cancel abc
expect 2 "cancel a negative id" cancel -5
expect 2 "cancel without an id" cancel
expect 2 "cancel two ids" cancel "$b1" "$b1"
expect 0 "book the cancelled seat again" book "$show" A1 --user "$user"
check "a new booking id" sh -c 'is=$(cat "$1"); test "$is" != "$2"' sh \
    "$tmp/out" "$b1"

# ---- the database unreachable: exit 1 ------------------------------------
cp "$tmp/good.venue" "$tmp/other.venue"
sed -i "s/Good Hall/Other Hall/" "$tmp/other.venue"
for cmd in "db migrate" "db demo" "shows" "seats $show" \
    "user register --name Ann --email ann.down.$uniq@example.com" \
    "book $show A5 --user $user" "cancel $b1" \
    "show add --venue $venue --title X --starts 2031-06-01" \
    "venue import $tmp/other.venue"; do
	# shellcheck disable=SC2086
	with_env PGHOST=/nonexistent -- expect 1 \
	    "$cmd with the database unreachable" $cmd
done
stderr_has "cannot connect" "the message says it cannot connect"
# bad input is reported before connecting
with_env PGHOST=/nonexistent -- expect 2 "bad usage wins over no database" \
    book x A1 --user 1
# SEATLOCK_DSN is used
with_env SEATLOCK_DSN="host=/nonexistent" -- expect 1 \
    "SEATLOCK_DSN names the database" shows

# ---- configuration -------------------------------------------------------
printf 'database = {\n  lock_timeout_ms = 4294967297;\n};\n' >"$tmp/wrap.conf"
chmod 600 "$tmp/wrap.conf"
expect 2 "a config file with a wrapping integer" --config "$tmp/wrap.conf" \
    shows
stderr_has "wrap.conf:2:" "the message names the file and line"
with_env SEATLOCK_CONFIG="$tmp/wrap.conf" -- expect 2 \
    "the same through SEATLOCK_CONFIG" shows
printf 'booking = { retries = 3; };\n' >"$tmp/open.conf"
chmod 620 "$tmp/open.conf"
expect 2 "a group-writable config file" --config "$tmp/open.conf" shows
stderr_has "writable" "the message says why"
chmod 600 "$tmp/open.conf"
expect 0 "the same file, no longer writable by others" \
    --config "$tmp/open.conf" shows
expect 2 "a config file that does not exist" --config "$tmp/none.conf" shows
printf 'database = { dsn = "host=/nonexistent"; };\n' >"$tmp/dsn.conf"
chmod 600 "$tmp/dsn.conf"
expect 1 "database.dsn is used" --config "$tmp/dsn.conf" shows
with_env SEATLOCK_DSN="host=$PGHOST port=$PGPORT dbname=$PGDATABASE" -- \
    expect 0 "SEATLOCK_DSN wins over database.dsn" --config "$tmp/dsn.conf" \
    shows
(cd "$tmp" && cp wrap.conf seatlock.conf && "$SL" shows >out2 2>err2
    echo $? >rc2)
check "./seatlock.conf is read (and refused)" test "$(cat "$tmp/rc2")" = 2

done_testing
