#!/bin/sh
# Issue 17, finding 14: a NOTIFY flood from any login (the audit: 50,000
# payloads in 0.1 s from a login with no grants) wrote a line per payload
# into each box office's log.  Now such lines are limited (5 a second for
# forged payloads and gaps, 50 for re-reads and reloads) and summarised.
# A box office listens to a show; psql, as a login with no SeatLock grants,
# sends 20,000 notifications on its channel in one transaction (half
# malformed, half well-formed with gaps); the log grows by at most 300
# lines, and the box office is still live and exits 0 on q.
. "$(dirname "$0")/tuilib"

ROLE="sl_flood_$$"
tl_cleanup_flood() {
	psql -X -q -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
}
trap 'tl_cleanup_flood; tl_cleanup' EXIT
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE ROLE $ROLE LOGIN" >/dev/null ||
    tl_fail "CREATE ROLE"

tl_glyphs C.UTF-8
tl_venue
tl_user "Fiona Flood"
tl_start flood 80x24 xterm-256color C.UTF-8 --show "$TL_SHOW"
tl_wait flood " live  term-flood "
tl_ok "a box office listens to show $TL_SHOW"
before=$(wc -l <"$TL_TMP/flood.log")

psql -X -q -v ON_ERROR_STOP=1 -U "$ROLE" -d "${PGDATABASE:-seatlock}" \
    -c "SELECT count(pg_notify('seatlock_show_$TL_SHOW', CASE WHEN i % 2 = 0
	THEN 'forged ' || i
	ELSE format('{\"show\":%s,\"seq\":%s,\"seats\":[1]}', $TL_SHOW,
	    1000000 + 3 * i) END))
	FROM generate_series(1, 20000) i" >/dev/null ||
    tl_fail "psql could not NOTIFY"
tl_ok "a login with no grants sent 20,000 notifications in one transaction"

# Let the box office drain them: the log stops growing (15 s at most).
last=-1
end=$(($(tl_ms) + 15000))
while [ "$(tl_ms)" -lt "$end" ]; do
	n=$(wc -l <"$TL_TMP/flood.log")
	[ "$n" -eq "$last" ] && break
	last=$n
	sleep 1
done
after=$(wc -l <"$TL_TMP/flood.log")
added=$((after - before))
[ "$added" -le 300 ] ||
    tl_fail "the flood wrote $added log lines (limit 300)"
tl_ok "the flood wrote $added log lines, not 20,000"
# The count of what was held back is written with the next change after
# its second is over: a real sale, which the box office must still see.
sleep 1.2
"$SEATLOCK_BIN" book "$TL_SHOW" B5 --user "$TL_USER" >/dev/null ||
    tl_fail "book B5"
tl_wait_row flood B "($TL_FREE){4}$TL_SOLD($TL_FREE){5}" 5000
tl_ok "a real sale after the flood is still shown"
grep -q "more unexpected notifications not logged" "$TL_TMP/flood.log" ||
    tl_fail "no summary line of the notifications not logged"
tl_ok "the rest is summarised"

tl_wait flood " live  term-flood "
T send-keys -t flood q
[ "$(tl_exit_status flood)" = 0 ] || tl_fail "the box office did not exit 0"
tl_ok "still live after the flood, exits 0 on q"
echo "tui_flood: all passed"
