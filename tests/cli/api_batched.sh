#!/bin/sh
# Batched live push behind the API with no `seatlock notifier` running:
# `seatlock serve` is a notifier candidate itself (sl_notifier_auto).  A
# booking through the API goes to the change log and is flushed: the
# show's change sequence moves and the log empties.  SIGTERM ends the
# notifier's connection with the server.
. "$(dirname "$0")/../lib/api.sh"

notifiers() {
	sql "SELECT count(*) FROM pg_stat_activity
	    WHERE application_name = 'seatlock notifier'"
}
leaders() {
	# the lease (0017; it was an advisory lock anyone could take)
	sql "SELECT count(*) FROM notifier_lease l JOIN pg_stat_activity a
	    ON a.pid = l.pid WHERE a.application_name = 'seatlock notifier'
	    AND l.beat > clock_timestamp() - interval '3 s'"
}
# wait_for FUNCTION WANT: up to 5 s.
wait_for() {
	i=0
	while [ "$($1)" != "$2" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "$1" "$($1)" "$2"
}

check "no notifier runs before" "$(notifiers)" 0
show=$(mkshow 1 4)
user=$(mkuser)
seq0=$(sql "SELECT change_seq FROM show WHERE show_id = $show")
# The change log's identity moves only when a booking appends to it.
logged() { sql "SELECT coalesce(last_value, 0) FROM
    pg_sequences WHERE sequencename = 'show_change_change_id_seq'"; }
log0=$(logged)
conf 'notify = { mode = "batched"; };'
api_start
wait_for notifiers 1
wait_for leaders 1
post /bookings "{\"user_id\":$user,\"show_id\":$show,\"seats\":[\"A2\"]}"
check "POST /bookings in batched mode" "$STATUS" 201
log1=$(logged)
if [ "$log1" -gt "$log0" ]; then
	ok "the booking went to the change log ($log0 -> $log1)"
else
	fail "the booking did not use the change log ($log0 -> $log1)"
fi
changes() {
	sql "SELECT count(*) FROM show_change WHERE show_id = $show"
}
wait_for changes 0
seq1=$(sql "SELECT change_seq FROM show WHERE show_id = $show")
if [ "$seq1" -gt "$seq0" ]; then
	ok "the notifier flushed the change (change_seq $seq0 -> $seq1)"
else
	fail "change_seq did not move ($seq0 -> $seq1)"
fi
api_stop
wait_for notifiers 0
finish
