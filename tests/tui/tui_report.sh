#!/bin/sh
# The box office's report screen at 80x24, at TERM=xterm-256color and
# TERM=vt100: s opens the show's report (zones, clerks), d the chart of
# its sales per day of the last 14 days; the chart is read off the screen:
# one line a day, today's (the biggest) the longest bar, a day without
# sales an empty bar, the seats and revenue beside each bar as stored.
. "$(dirname "$0")/tuilib"

tl_venue
"$SEATLOCK_BIN" zone set "$TL_SHOW" Z --price 25 >/dev/null 2>&1 &&
    "$SEATLOCK_BIN" zone assign "$TL_SHOW" Z --section Main >/dev/null 2>&1 ||
    tl_fail "zone"
k="tuirep-$$-$(tl_ms)"
# Three seats today, one 3 days ago (its created_at moved back).
tl_sql "SELECT count(*) FROM sl_book($TL_SHOW, ARRAY['A1','A2','A3'], NULL, '$k-1', 'rep', false, '{}')" >/dev/null ||
    tl_fail "sale today"
tl_sql "SELECT count(*) FROM sl_book($TL_SHOW, ARRAY['B1'], NULL, '$k-2', 'rep', false, '{}')" >/dev/null ||
    tl_fail "sale 3 days ago"
tl_sql "UPDATE booking_request SET created_at = created_at - interval '3 days' WHERE request_key = '$k-2'" >/dev/null
TODAY=$(tl_sql "SELECT current_date")
DAY3=$(tl_sql "SELECT current_date - 3")
DAY1=$(tl_sql "SELECT current_date - 1")
FIRST=$(tl_sql "SELECT current_date - 13")

for tl in $TL_TERMS; do
	term=${tl%%:*} lang=${tl#*:}
	s="rep-$term"
	tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
	tl_wait "$s" "TUI test show"
	T send-keys -t "$s" s
	tl_wait "$s" "Sales report"
	tl_wait "$s" "Total .* 100\\.00"
	tl_wait "$s" "d sales per day"
	tl_ok "$term: the report shows the zones and the status names d"

	T send-keys -t "$s" d
	tl_wait "$s" "Sales per day, last 14 days"
	tl_wait "$s" "^ *$TODAY \\|"
	cap=$(tl_cap "$s")
	lines=$(printf '%s\n' "$cap" | grep -cE "^ *[0-9]{4}-[0-9]{2}-[0-9]{2} \\|")
	[ "$lines" = 14 ] || tl_fail "$term: $lines day lines, want 14"
	printf '%s\n' "$cap" | grep -qE "^ *$FIRST \\|" ||
	    tl_fail "$term: the first day is not $FIRST"
	bar() { printf '%s\n' "$cap" | sed -n "s/^ *$1 |\\(#*\\) *|.*/\\1/p" | tr -d '\n' | wc -c; }
	w=$(printf '%s\n' "$cap" | sed -n "s/^ *$TODAY |\\([# ]*\\)|.*/\\1/p" | tr -d '\n' | wc -c)
	[ "$(bar "$TODAY")" = "$w" ] && [ "$w" -gt 20 ] ||
	    tl_fail "$term: today's bar is $(bar "$TODAY") of $w"
	[ "$(bar "$DAY3")" = $(((25 * w + 37) / 75)) ] ||
	    tl_fail "$term: 3 days ago the bar is $(bar "$DAY3"), want a third of $w"
	[ "$(bar "$DAY1")" = 0 ] || tl_fail "$term: yesterday's bar is not empty"
	printf '%s\n' "$cap" | grep -qE "^ *$TODAY \\|#+\\| +3 +75\\.00 *\$" ||
	    tl_fail "$term: today's figures"
	printf '%s\n' "$cap" | grep -qE "^ *$DAY3 \\|#+ +\\| +1 +25\\.00 *\$" ||
	    tl_fail "$term: the figures of 3 days ago"
	printf '%s\n' "$cap" | grep -qE "total +4 seats sold, 100\\.00 EUR" ||
	    tl_fail "$term: the total"
	tl_ok "$term: the chart has 14 days, bars in proportion, figures as sold"

	T send-keys -t "$s" d
	tl_wait "$s" "Sales by clerk"
	T send-keys -t "$s" Escape
	tl_wait_gone "$s" "Sales report"
	T send-keys -t "$s" q
	rc=$(tl_exit_status "$s")
	[ "$rc" = 0 ] || tl_fail "$term: q exited with $rc"
	tl_ok "$term: d goes back to the zones, Esc to the map, q quits"
done
