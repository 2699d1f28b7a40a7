#!/bin/sh
# On-sale windows in the box office (issue 15): before the show's on-sale
# time, selecting a seat and best available (which holds its seats first)
# say "not on sale until ..." in the message line and hold or book nothing; once the window opens the
# seat is held; after the off-sale time, selling that hold says "sales for
# this show closed at ..." and books nothing.  A supervisor's explicit
# choice (!) sells outside the window; a clerk's is refused.  At 80x24,
# TERM=xterm-256color and TERM=vt100.
. "$(dirname "$0")/tuilib"

clerk=slt_onsale_$$
trap 'psql -X -q -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1; tl_cleanup' EXIT
"$SEATLOCK_BIN" clerk add "$clerk" --role clerk >/dev/null 2>&1 ||
    tl_fail "clerk add"

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	tl_glyphs "$lang"
	tl_venue
	tl_user "Olga Onsale"
	"$SEATLOCK_BIN" show set "$TL_SHOW" --on-sale "2030-12-10 10:00" \
	    >/dev/null 2>&1 || tl_fail "show set"
	s="onsale-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" " live  term-"

	T send-keys -t "$s" b
	tl_wait "$s" "Best available - seats"
	T send-keys -t "$s" -l "2"
	T send-keys -t "$s" Enter
	# Best available holds its seats first: the hold is refused.
	tl_wait "$s" "Cannot hold best available: not on sale until 2030-12-10 10:00"
	tl_ok "$term: best available says when sales open"

	T send-keys -t "$s" B 1 Space
	tl_wait "$s" "Cannot hold B1: not on sale until 2030-12-10 10:00"
	tl_ok "$term: selecting a seat says when sales open"
	r=$(psql -Atqc "SELECT (SELECT count(*) FROM booking WHERE show_id = \
	    $TL_SHOW), (SELECT count(*) FROM hold WHERE show_id = $TL_SHOW)")
	[ "$r" = "0|0" ] || tl_fail "$term: bookings|holds '$r', want 0|0"
	tl_ok "$term: nothing booked or held"

	# A supervisor's explicit choice (!) sells outside the window; being
	# a supervisor alone did not (above).  This login is the cluster's
	# superuser, a supervisor.
	T send-keys -t "$s" '!'
	tl_wait "$s" "OVERRIDE: this show sells outside its on-sale window"
	tl_wait "$s" "term-$s +OVERRIDE"
	T send-keys -t "$s" B 2 Space
	tl_wait "$s" "Selected 1: B2"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	# (B2 has no zone: nothing is due, so y sells at once.)
	T send-keys -t "$s" y
	tl_wait "$s" "Sold B2 to walk-up"
	r=$(psql -Atqc "SELECT count(*) FROM booking b JOIN seat s USING \
	    (seat_id) WHERE b.show_id = $TL_SHOW AND s.label = 'B2' \
	    AND b.status = 'active'")
	[ "$r" = 1 ] || tl_fail "$term: B2 has $r active bookings, want 1"
	tl_ok "$term: a supervisor's override (!) sells before the on-sale time"
	T send-keys -t "$s" '!'
	tl_wait "$s" "Override off: the on-sale window applies again"
	T send-keys -t "$s" B 3 Space
	tl_wait "$s" "Cannot hold B3: not on sale until 2030-12-10 10:00"
	tl_ok "$term: ! again ends the override"

	# A clerk's override is refused by the database.
	c="onsale-clerk-$term"
	TL_ENV="PGUSER=$clerk" tl_start "$c" 80x24 "$term" "$lang" \
	    --show "$TL_SHOW"
	tl_wait "$c" " live  term-"
	T send-keys -t "$c" '!'
	tl_wait "$c" "OVERRIDE"
	T send-keys -t "$c" B 4 Space
	tl_wait "$c" "only a supervisor can sell outside"
	r=$(psql -Atqc "SELECT count(*) FROM hold WHERE show_id = $TL_SHOW \
	    AND status = 'active'")
	[ "$r" = 0 ] || tl_fail "$term: $r active holds after a clerk's override"
	tl_ok "$term: a clerk's override is refused, nothing held"
	T send-keys -t "$c" q
	T kill-session -t "$c"

	"$SEATLOCK_BIN" show set "$TL_SHOW" --on-sale none >/dev/null 2>&1 ||
	    tl_fail "show set --on-sale none"
	T send-keys -t "$s" B 1 Space Enter
	tl_wait "$s" "Customer - type a name"
	T send-keys -t "$s" -l "${TL_EMAIL%%@*}"
	tl_wait "$s" "Olga Onsale +<$TL_EMAIL>"
	T send-keys -t "$s" Enter
	tl_wait "$s" "Confirm the sale"
	"$SEATLOCK_BIN" show set "$TL_SHOW" --off-sale "2020-01-01 12:00" \
	    >/dev/null 2>&1 || tl_fail "show set --off-sale"
	T send-keys -t "$s" y
	tl_wait "$s" "sales for this show closed at 2020-01-01 12:00 - nothing was booked"
	tl_ok "$term: selling after the off-sale time says sales closed"
	r=$(psql -Atqc "SELECT count(*) FROM booking WHERE show_id = $TL_SHOW")
	[ "$r" = 1 ] || tl_fail "$term: $r bookings, want 1 (B2's)"
	T send-keys -t "$s" q
	T kill-session -t "$s"
done
echo "tui_onsale: all passed"
