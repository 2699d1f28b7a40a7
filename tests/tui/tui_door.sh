#!/bin/sh
# The door screen (issue 16), the real binary in tmux at 80x24, with
# TERM=xterm-256color and vt100: a ticket gets ADMIT, a second scan ALREADY
# IN (when and where), garbage, an empty scan and a ticket of another show
# REFUSED with the reason, the count of admitted against sold follows, and
# a burst of 12 scans typed at once (the same code twice among them) gets
# 12 answers and the next scan still works.  The database rows after.
. "$(dirname "$0")/tuilib"

sql() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
tl_venue
other=$("$SEATLOCK_BIN" show add --venue "$(sql "SELECT venue_id FROM show
    WHERE show_id = $TL_SHOW")" --title "Other show" \
    --starts "2031-01-02 20:00") || tl_fail "show add"
"$SEATLOCK_BIN" book "$other" A1 --pay card >/dev/null 2>&1 ||
    tl_fail "book other"
"$SEATLOCK_BIN" book "$TL_SHOW" A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 B1 B2 \
    --pay card >/dev/null 2>&1 || tl_fail "book"
"$SEATLOCK_BIN" door --export "$TL_SHOW" "$TL_TMP/c.db" >/dev/null &&
    "$SEATLOCK_BIN" door --export "$other" "$TL_TMP/o.db" >/dev/null ||
    tl_fail "export"
code() { sqlite3 "$TL_TMP/$1.db" "SELECT code FROM ticket
    WHERE label = '$2'"; }
foreign=$(code o A1)

# door_at NAME TERM: the door screen for the show in session NAME.
door_at() {
	T new-session -d -s "$1" -x 80 -y 24 "env TERM=$2 \
	    $SEATLOCK_BIN door --show $TL_SHOW --door door-$1; \
	    echo \$? >$TL_TMP/$1.rc; sleep 30" || tl_fail "tmux"
	tl_wait "$1" "^Scan:"
}
scan() {
	_s=$1
	shift
	for _c in "$@"; do
		[ -n "$_c" ] && T send-keys -t "$_s" -l -- "$_c"
		T send-keys -t "$_s" Enter
	done
}

n=0
for tt in xterm-256color vt100; do
	s=d$n
	door_at "$s" "$tt"
	tl_wait "$s" "SeatLock door door-$s  TUI test show"
	a=$(code c "A$((n * 4 + 1))")
	scan "$s" "$a"
	tl_wait "$s" "^ ADMIT: seat A$((n * 4 + 1))$"
	tl_wait "$s" "Admitted $((n * 6 + 1)) of 12 sold"
	tl_ok "$tt: ADMIT, the seat and the count"
	scan "$s" "$a"
	tl_wait "$s" "^ ALREADY IN: seat A$((n * 4 + 1)), in since 20.* at door-$s"
	tl_ok "$tt: ALREADY IN, when and where"
	scan "$s" "#garbage#"
	tl_wait "$s" "^ REFUSED: not a ticket code: '#' is not in one"
	scan "$s" ""
	tl_wait "$s" "^ REFUSED: empty scan"
	scan "$s" "$foreign"
	tl_wait "$s" "^ REFUSED: another show: Other show"
	tl_ok "$tt: garbage, empty, another show REFUSED with the reason"
	# A burst: six codes, one twice, garbage between, all typed at once.
	b1=$(code c "A$((n * 4 + 2))") b2=$(code c "A$((n * 4 + 3))")
	b3=$(code c "A$((n * 4 + 4))")
	b4=$(code c "B$((n + 1))") b5=$(code c "A$((n + 9))")
	scan "$s" "$b1" "$b1" "x" "$b2" "" "$b3" "$b4" "!!" "$b5" "$b5" \
	    "0000" "$b2"
	tl_wait "$s" "scans $((5 + 12))$"
	tl_wait "$s" "Admitted $((n * 6 + 6)) of 12 sold"
	tl_ok "$tt: a burst of 12 scans, 12 answers, 5 admitted"
	tl_cap "$s" | grep -q "^  ALREADY IN $b2" || tl_fail "last scan of burst"
	# The connection lost: that scan says so, the next one works.
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	    WHERE pid <> pg_backend_pid() AND query LIKE '%sl_checkin(%'" \
	    >/dev/null
	scan "$s" "$b1"
	tl_wait "$s" "^ ERROR: no answer, scan again"
	scan "$s" "$b1"
	tl_wait "$s" "^ ALREADY IN: seat A$((n * 4 + 2)), in since"
	tl_wait "$s" "scans $((5 + 14))$"
	tl_ok "$tt: a lost connection: an answer, and the next scan works"
	T send-keys -t "$s" F1
	tl_wait "$s" "Ctrl-D or Ctrl-C  leave the door"
	T send-keys -t "$s" F1
	tl_wait "$s" "^Last scans:"
	tl_ok "$tt: F1 shows and hides the keys"
	T send-keys -t "$s" C-d
	[ "$(tl_exit_status "$s")" = 0 ] || tl_fail "exit status"
	n=$((n + 1))
done
[ "$(sql "SELECT count(*) FROM checkin WHERE show_id = $TL_SHOW")" = 12 ] ||
    tl_fail "12 admissions in the database"
[ "$(sql "SELECT count(DISTINCT door) FROM checkin
    WHERE show_id = $TL_SHOW")" = 2 ] || tl_fail "two doors recorded"
[ "$(sql "SELECT count(*) FROM scan WHERE show_id = $TL_SHOW
    AND result = 'already'")" -ge 10 ] || tl_fail "10 already scans recorded"
[ "$(sql "SELECT count(*) FROM checkin WHERE show_id = $other")" = 0 ] ||
    tl_fail "the other show's ticket not admitted"
tl_ok "the database: 12 admitted at two doors, every scan recorded"
