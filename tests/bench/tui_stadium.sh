#!/bin/sh
# The box office on the 100,000-seat stadium (issue 6, target 4), for
# make bench: run by tests/bench/run.sh against its cluster (PG* set),
# prints one JSON object of the figures on stdout.
#  - the real `seatlock tui --show ID` in tmux at 80x24: the time it takes
#    to open the show (its log line "opened show"), and its peak and
#    current resident set (VmHWM, VmRSS) once the map is up and live;
#  - the same under callgrind, collecting only inside the map screen's
#    draw (map_draw) and curses' doupdate (the terminal output):
#    instructions per drawn 80x24 viewport, over the first draw and a few
#    redraws (the cursor moved), in all and of map_draw alone.
# Usage: tui_stadium.sh BINARY WORKDIR
set -u
bin=$1
a=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
sock="slbench-tui-$$"
T() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'T kill-server 2>/dev/null' EXIT
mkdir -p "$a"

# cap REGEX SECONDS: waits for the pane to match.
cap() {
	n=0
	while [ $n -lt $(($2 * 10)) ]; do
		T capture-pane -p | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	T capture-pane -p >&2
	return 1
}
# stop: quits the box office (q, then yes) and waits for its pane.
stop() {
	T send-keys q
	sleep 0.5
	T send-keys y
	n=0
	while T has-session 2>/dev/null && [ $n -lt 600 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

sh "$top/assets/stadium.sh" "$a/stadium.venue" || exit 1
sed -i "0,/name = \"[^\"]*\"/s//name = \"bench stadium tui $$ $(date +%s)\"/" \
    "$a/stadium.venue"
venue=$("$bin" venue import "$a/stadium.venue") || exit 1
show=$("$bin" show add --venue "$venue" --title "bench stadium" \
    --starts "2100-03-01 20:00") || exit 1
psql -Xqc "ANALYZE seat, show_seat" >/dev/null

printf 'log = { file = "%s"; };\n' "$a/tui.log" >"$a/tui.conf"
chmod 600 "$a/tui.conf"
: >"$a/tui.log"
T new-session -d -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 \
    SEATLOCK_CONFIG=$a/tui.conf $bin tui --show $show"
cap " live " 60 || { echo "tui_stadium: the map did not open" >&2; exit 1; }
sleep 1
pid=$(T display -p '#{pane_pid}')
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
open_ms=$(sed -n 's/.*opened show [0-9]*: [0-9]* seats, map in \([0-9]*\) ms.*/\1/p' \
    "$a/tui.log" | head -n 1)
stop

draws="-" instr="-" instr_map="-"
if command -v valgrind >/dev/null; then
	: >"$a/tui.log"
	T new-session -d -x 80 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 \
	    SEATLOCK_CONFIG=$a/tui.conf valgrind --tool=callgrind \
	    --callgrind-out-file=$a/callgrind.out --toggle-collect=map_draw \
	    --toggle-collect=doupdate $bin tui --show $show 2>$a/valgrind.log"
	if cap " live " 300; then
		for k in Right Right Down Down Left; do
			T send-keys "$k"
			sleep 0.5
		done
		stop
		# The calls of map_draw, and the instructions collected.
		draws=$(awk '
		/^c?fn=\([0-9]+\) map_draw$/ {
			match($0, /\([0-9]+\)/)
			id = substr($0, RSTART, RLENGTH)
		}
		/^cfn=/ {
			incall = id != "" && index($0, "cfn=" id) == 1
			next
		}
		/^calls=/ && incall { split($0, c, /[= ]/); n += c[2]; incall = 0 }
		END { print n + 0 }' "$a/callgrind.out")
		total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$a/callgrind.out")
		[ -z "$total" ] && total=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' \
		    "$a/callgrind.out")
		# map_draw alone (our drawing), inclusive of what it calls.
		mapi=$(callgrind_annotate --inclusive=yes "$a/callgrind.out" \
		    2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*:map_draw .*/\1/p' |
		    head -n 1 | tr -d ,)
		if [ "${draws:-0}" -gt 0 ] && [ -n "$total" ]; then
			instr=$((total / draws))
			[ -n "$mapi" ] && instr_map=$((mapi / draws))
		fi
	else
		echo "tui_stadium: the map did not open under callgrind" >&2
		T kill-server 2>/dev/null
	fi
fi
printf '{"tag": "tui-stadium", "venue_seats": %s, "open_ms": %s, ' \
    "$(psql -XAtc "SELECT count(*) FROM seat WHERE venue_id = $venue")" \
    "${open_ms:-null}"
printf '"rss_peak_kb": %s, "rss_kb": %s, "draws": %s, ' "${hwm:-null}" \
    "${rss:-null}" "$(echo "$draws" | sed 's/^-$/null/')"
printf '"instr_per_draw": %s, "instr_map_per_draw": %s}\n' \
    "$(echo "$instr" | sed 's/^-$/null/')" \
    "$(echo "$instr_map" | sed 's/^-$/null/')"
