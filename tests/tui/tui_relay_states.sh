#!/bin/sh
# The relay's seat states (issue 19): after the "show" line of a change the
# relay sends "seats SHOW ID:S ...", the states it read from show_seat, and
# a box office applies them to the seats the change named instead of
# reading them itself.  A fake relay (tests/cli/relay_client.py fake):
# (a) a seat really booked in the database, then its "show" line and
# "seats ... ID:b": the map shows it sold, the log says "(from the relay)"
# and the box office's own booking connection ran no statement (checked as
# tui_relay_beat.sh checks idleness; the fake relay sends "beat 0" so that
# no beat query runs either); (b) hostile "seats" lines - a bad state
# code, ids out of order, a seat the "show" line did not name: ignored
# (logged), the box office re-reads the named seats, and the map shows what
# the tables say, never what the line claimed.  A plain clerk, 80x24, at
# TERM=xterm-256color (UTF-8) and TERM=vt100 (ASCII).
. "$(dirname "$0")/tuilib"

clerk=trs_c_$$

trap 'psql -X -q -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1; tl_cleanup' EXIT

# id LABEL: the seat id of LABEL in the show's venue.
id() {
	tl_sql "SELECT s.seat_id FROM seat s JOIN show w ON w.venue_id = \
	    s.venue_id WHERE w.show_id = $TL_SHOW AND s.label = '$1'"
}

# tell SEQ SEATS-LINE LABEL...: from now on the fake relay sends a change
# naming the LABELs (its payload as sl_change_payload makes it) followed
# by SEATS-LINE, in one write, every other turn.
tell() {
	_seq=$1 _line=$2
	shift 2
	_ids=
	for _l in "$@"; do
		_ids="$_ids${_ids:+,}$(id "$_l")"
	done
	printf 'show %s {"show" : %s, "seq" : %s, "state" : "booked", "seats" : [%s]}\n%s\n' \
	    "$TL_SHOW" "$TL_SHOW" "$_seq" "$_ids" "$_line" >"$TL_TMP/lines.new"
	mv "$TL_TMP/lines.new" "$TL_TMP/lines"
}

# rereads NAME: the box office's re-reads of its own ("live: re-read N
# seat(s) of show S" without " (from the relay)").
rereads() {
	grep -c "live: re-read [0-9]* seat(s) of show $TL_SHOW\$" \
	    "$TL_TMP/$1.log"
}

"$SEATLOCK_BIN" clerk add "$clerk" --role clerk >/dev/null 2>&1 ||
    tl_fail "clerk add"

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	F=$TL_FREE S=$TL_SOLD
	rm -f "$TL_TMP/lines"
	seq=$(($(tl_sql "SELECT change_seq FROM show WHERE show_id = \
	    $TL_SHOW") + 1))
	tl_fake_start "$TL_TMP/fake.sock" "beat 0" "@$TL_TMP/lines"
	TL_CONF="notify = { relay_socket = \"$TL_TMP/fake.sock\"; };"
	s="states-$term"
	TL_ENV="PGUSER=$clerk" tl_start "$s" 80x24 "$term" "$lang" \
	    --show "$TL_SHOW"
	tl_wait "$s" " live  term-" 8000
	tl_wait_row "$s" A "$F{10}" 3000
	grep -q "listening on seatlock_show_$TL_SHOW through the relay" \
	    "$TL_TMP/$s.log" || tl_fail "not attached to the fake relay"
	sleep 1.5	# a first beat may have been read before the relay's
	db=$(tl_backend "$s" db)
	[ -n "$db" ] || tl_fail "no booking connection in the log"

	# (a) The relay's states, for a seat really booked.
	q0=$(tl_last_statement "$db")
	"$SEATLOCK_BIN" book "$TL_SHOW" A1 >/dev/null 2>&1 || tl_fail "book A1"
	tell "$seq" "seats $TL_SHOW $(id A1):b" A1
	tl_wait_row "$s" A "$S$F{9}" 5000
	grep -q "live: re-read 1 seat(s) of show $TL_SHOW (from the relay)" \
	    "$TL_TMP/$s.log" || tl_fail "no \"(from the relay)\" line"
	sleep 1	# the fake relay says it again, twice: applied again
	q1=$(tl_last_statement "$db")
	[ -n "$q0" ] && [ "$q0" = "$q1" ] ||
	    tl_fail "the box office ran statements ($q0 -> $q1):" \
	    "$(tl_sql "SELECT query FROM pg_stat_activity WHERE pid = $db")"
	[ "$(rereads "$s")" = 0 ] || tl_fail "re-read seats itself"
	tl_ok "$term: a change and its states from the relay: A1 sold on the" \
	    "map, no statement of its own"

	# (b) Hostile "seats" lines: ignored, the named seats re-read.
	"$SEATLOCK_BIN" book "$TL_SHOW" A3 >/dev/null 2>&1 || tl_fail "book A3"
	tell "$seq" "seats $TL_SHOW $(id A3):a $(id A4):q" A3 A4
	tl_wait_row "$s" A "$S$F$S$F{7}" 5000
	grep -q "unexpected seats line from the relay" "$TL_TMP/$s.log" ||
	    tl_fail "a bad state code not logged"
	[ "$(rereads "$s")" -gt 0 ] || tl_fail "A3 not re-read"
	tl_ok "$term: a bad state code: ignored, A3 re-read (sold), A4 free"

	n0=$(rereads "$s")
	"$SEATLOCK_BIN" book "$TL_SHOW" A5 >/dev/null 2>&1 || tl_fail "book A5"
	tell "$seq" "seats $TL_SHOW $(id A6):b $(id A5):a" A5 A6
	tl_wait_row "$s" A "$S$F$S$F$S$F{5}" 5000
	[ "$(rereads "$s")" -gt "$n0" ] || tl_fail "A5 not re-read"
	tl_ok "$term: ids out of order: ignored, A5 re-read (sold), A6 free"

	n0=$(rereads "$s")
	"$SEATLOCK_BIN" book "$TL_SHOW" A7 >/dev/null 2>&1 || tl_fail "book A7"
	tell "$seq" "seats $TL_SHOW $(id A8):b" A7
	tl_wait_row "$s" A "$S$F$S$F$S$F$S$F{3}" 5000
	[ "$(rereads "$s")" -gt "$n0" ] || tl_fail "A7 not re-read"
	sleep 1	# the line again: A8 must stay free
	tl_wait_row "$s" A "$S$F$S$F$S$F$S$F{3}" 100
	tl_ok "$term: a seat the change did not name: ignored, A7 re-read" \
	    "(sold), A8 free"
	tl_quit "$s"
	tl_fake_stop
done
echo "tui_relay_states: all passed"
