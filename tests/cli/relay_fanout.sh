#!/bin/sh
# `seatlock relay` (issue 19): its socket (0660), a second relay on the same
# socket refused, and what it saves: 1,000 clients from one process (as
# 1,000 box offices would attach, all at once) on one LISTEN backend
# instead of 1,000 (the relay's VmRSS meanwhile), each getting
# every notification; a payload with a newline becomes "show SHOW reload";
# 8 shows first watched at once are LISTENed to in one statement;
# a client that sends garbage is answered and closed, the others are not
# disturbed; its database connection ended: "lost", then "reload" once it
# is back, and notifications flow again; SIGTERM: exit 0, socket removed.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/relay.lib"

show=$((900000 + $$ % 10000))

relay_start || exit 1
check "the socket is mode 0660" test "$(stat -c %a "$sock")" = 660
expect 3 "a second relay on the same socket" relay --socket "$sock"
stderr_has "another relay runs at" "it says another relay runs there"
check "the first relay still answers" test "$(python3 "$rdir/client.py" \
    once "$sock")" = "hello seatlock-relay 1"

# 1,000 clients from one process, one LISTEN backend.
clients_start "$show" 1000 || exit 1
rpid=$(relay_backend)
check "the relay's backend $rpid is seatlock-relay" test \
    "$(sql "SELECT application_name FROM pg_stat_activity WHERE pid = $rpid")" \
    = seatlock-relay
n=$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name IN \
    ('seatlock-relay', 'seatlock-listen')")
check "1000 clients attached: $n listening backend(s) in all, not 1000" \
    test "$n" = 1
rss=$(rss_kb "$relay_pid") max=65536
[ "${V:-release}" = asan ] && max=512000
check "the relay with 1000 clients: VmRSS $rss kB (under $((max / 1024)) MB)" \
    test "$rss" -lt "$max"
for i in 1 2 3; do
	sql "SELECT pg_notify('seatlock_show_$show', \
	    '{\"show\":$show,\"seq\":$i,\"state\":\"booked\",\"seats\":[$i]}')" \
	    >/dev/null
done
sql "SELECT pg_notify('seatlock_show_$show', E'two\\nlines')" >/dev/null
sql "SELECT pg_notify('seatlock_show_$((show + 1))', 'not watched')" >/dev/null
sleep 0.5
clients_stop
n=$(grep '^{' "$rdir/clients.out" | python3 -c "
import json, sys
print(sum(1 for l in sys.stdin
          if (lambda c: c['shows'] == 3 and c['reloads'] == 1)(json.loads(l))))")
check "each of the 1000 clients got the 3 notifications and 1 reload ($n)" \
    test "$n" = 1000
check "a payload with a newline became \"show $show reload\"" \
    test "$(field 7 last)" = "show $show reload"

# Garbage from one client: answered and closed; the relay serves on.
out=$(printf 'watch 1\nrm -rf /\n' | python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect('$sock'); s.settimeout(3)
s.sendall(sys.stdin.read().encode()); d = b''
while True:
    b = s.recv(4096)
    if not b: break
    d += b
print('|'.join(l for l in d.decode().split(chr(10))
               if not l.startswith('beat '))) # the beat: relay_beat.sh")
# (Its "watch 1" is answered once the LISTENs of the relay's turn are in
# effect, one statement for all the shows first watched in it; a client
# closed before then is owed nothing.)
check "garbage is answered \"error bad request\" and closed ($out)" \
    test "$out" = "hello seatlock-relay 1|error bad request|"

# 8 shows watched for the first time in one turn (a relay restarted, its
# terminals back at once): their LISTENs are one statement, one round trip,
# and every watch is answered.  The relay's backend shows it as its last
# query until the next beat read (a second); tried up to 3 times.
listens=0
for try in 1 2 3; do
	out=$(python3 -c "
import socket, subprocess
s = socket.socket(socket.AF_UNIX); s.connect('$sock'); s.settimeout(3)
s.sendall(''.join('watch %d\n' % (990000 + i) for i in range(8)).encode())
d = b''
while d.count(b'watching ') < 8:
    b = s.recv(65536)
    if not b: break
    d += b
# still attached: the relay's last statement is the LISTENs'
q = subprocess.run(['psql', '-X', '-A', '-t', '-q', '-c',
    'SELECT query FROM pg_stat_activity WHERE pid = $rpid'],
    capture_output=True, text=True).stdout
print(d.count(b'watching '), q.count('LISTEN \"seatlock_show_99'))")
	got=${out% *} listens=${out#* }
	[ "$listens" = 8 ] && break
done
check "8 new shows watched at once: all $got answered" test "$got" = 8
check "... after one statement of $listens LISTENs" test "$listens" = 8

# The relay's database connection ends: lost, then reload when it is back.
clients_start "$show" 3 || exit 1
sql "SELECT pg_terminate_backend($rpid)" >/dev/null
t0=$(ms)
until [ "$(relay_backend)" != "$rpid" ]; do
	[ $(($(ms) - t0)) -lt 10000 ] || break
	sleep 0.05
done
check "the relay reconnected ($rpid -> $(relay_backend))" \
    test "$(relay_backend)" != "$rpid"
sleep 0.2
sql "SELECT pg_notify('seatlock_show_$show', \
    '{\"show\":$show,\"seq\":9,\"state\":\"booked\",\"seats\":[9]}')" >/dev/null
sleep 0.3
clients_stop
check "the clients heard \"lost\", then \"reload\", then the next change" \
    test "$(field 0 lost):$(field 0 resets):$(field 2 shows)" = "1:1:1"
check "the relay logged the loss in one line" \
    test "$(grep -c "connection to the database lost" "$rlog")" = 1

relay_stop TERM
check "SIGTERM: the relay exits 0" test "$relay_rc" = 0
check "SIGTERM: its socket is removed" test ! -e "$sock"

echo "$checks checks, $fails failed"
[ "$fails" -eq 0 ]
