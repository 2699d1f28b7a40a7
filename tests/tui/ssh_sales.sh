#!/bin/sh
# Remote sales over SSH, for real: Debian's sshd on a loopback port runs the
# committed assets/deploy/sshd_config, changed only in its port and paths
# (and the group allowed in; the pool its bookings go to is the database
# itself here: tests/cli/deploy_relay.sh books through a real PgBouncer),
# with a throwaway host key and clerk key made
# here.  The seller has a Unix account of their own, named like their
# PostgreSQL login; the committed ssh-login runs the box office as it.
#  - a clerk connects with `ssh -tt` inside tmux and sells a seat through
#    the box office; the booking is in the database under the clerk's role,
#    and a second, local box office shows the seat sold;
#  - a command (`ssh host echo ...`), sftp, environment from the client,
#    -W, -L and -R forwarding, password and root logins all get nothing but
#    the box office or a refusal; a key whose comment is no role name is
#    refused;
#  - killing the ssh client leaves no server process, no backend and no
#    lock of the clerk behind within a few seconds.
# Needs root (sshd); makes the unprivileged account sl_ssh_clerk if missing
# and the group sellers if missing (and leaves them: no password, no key of
# its own, nothing else is removed).
. "$(dirname "$0")/tuilib"

if [ "$(id -u)" -ne 0 ]; then
	echo "ssh_sales: skipped (sshd needs root)"
	exit 0
fi
for p in /usr/sbin/sshd ssh ssh-keygen sftp; do
	command -v "$p" >/dev/null || tl_fail "$p is missing (.ci/deps.sh test)"
done

# The seller's account and database login have the same name.
ACCOUNT=sl_ssh_clerk
ROLE=$ACCOUNT
SSHD_PID=""
FWD_PID=""
# The keys file must pass sshd's StrictModes: no directory on its path may
# be writable by group or others, which rules out /tmp (and a checkout
# under /tmp): as root, /run; else the checkout's tests/out.
if [ -w /run ]; then
	D=$(mktemp -d /run/seatlock-ssh.XXXXXX) || exit 1
else
	mkdir -p "$TL_TOP/tests/out"
	D=$(mktemp -d "$TL_TOP/tests/out/ssh.XXXXXX") || exit 1
fi
chmod 755 "$D"

ssh_cleanup() {
	[ -n "$FWD_PID" ] && kill "$FWD_PID" 2>/dev/null
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
	if [ "$TL_FAILED" -ne 0 ] && [ -f "$D/sshd.log" ]; then
		echo "--- sshd log"
		tail -n 40 "$D/sshd.log"
	fi
	tl_cleanup
	rm -rf "$D"
}
trap ssh_cleanup EXIT

# ---- the account, the role, the keys ----------------------------------

# The seller's account and ~/.pgpass, made as the compose ssh service
# makes them at its start (assets/deploy/ssh-sellers, from a file of the
# seller's own).
mkdir "$D/sellers" && chmod 700 "$D/sellers" || tl_fail "mkdir sellers"
line="db:5432:seatlock:$ACCOUNT:pw-$$"
printf '%s\n' "$line" >"$D/sellers/$ACCOUNT"
printf 'db:5432:seatlock:someone:x\n' >"$D/sellers/$ACCOUNT"_not_theirs
SEATLOCK_SELLERS=$D/sellers "$TL_TOP/assets/deploy/ssh-sellers" true \
    2>"$D/sellers.log" || tl_fail "ssh-sellers: $(cat "$D/sellers.log")"
id "$ACCOUNT" >/dev/null 2>&1 || tl_fail "ssh-sellers made no account $ACCOUNT"
pgpass=$(getent passwd "$ACCOUNT" | cut -d: -f6)/.pgpass
[ "$(stat -c '%U %a' "$pgpass")" = "$ACCOUNT 600" ] ||
    tl_fail "$pgpass: $(stat -c '%U %a' "$pgpass"), not $ACCOUNT's with mode 600"
# (issue 19: and the same line for PgBouncer, where the bookings go)
[ "$(cat "$pgpass")" = "$(printf '%s\npgbouncer:6432:seatlock:%s:pw-%s' \
    "$line" "$ACCOUNT" "$$")" ] || tl_fail "$pgpass holds something else"
if id "$ACCOUNT"_not_theirs >/dev/null 2>&1; then
	tl_fail "ssh-sellers made an account for a file whose line is another's"
fi
tl_ok "ssh-sellers: the account and its own ~/.pgpass (mode 600); a file for another login is skipped"
# '*': no password, but not locked ('!'): sshd without PAM refuses a
# locked account even with a key.
usermod -p '*' "$ACCOUNT" || tl_fail "usermod $ACCOUNT"
[ "$(id -u "$ACCOUNT")" -ne 0 ] || tl_fail "$ACCOUNT must not be root"
# It must reach the binary, the login script and the database socket.
runuser -u "$ACCOUNT" -- test -x "$SEATLOCK_BIN" ||
    tl_fail "$ACCOUNT cannot run $SEATLOCK_BIN"
runuser -u "$ACCOUNT" -- test -x "$TL_TOP/assets/deploy/ssh-login" ||
    tl_fail "$ACCOUNT cannot run assets/deploy/ssh-login"
tl_ok "the unprivileged account $ACCOUNT (uid $(id -u "$ACCOUNT"))"

# The clerk's database login: a member of seatlock_clerk, as
# `seatlock clerk add` makes them (clerks sell only through the functions).
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || tl_fail "CREATE ROLE"
DO \$\$ BEGIN
	CREATE ROLE $ROLE LOGIN;
EXCEPTION WHEN duplicate_object THEN NULL;
END \$\$;
GRANT seatlock_clerk TO $ROLE;
SQL
tl_ok "the database role $ROLE for the clerk"

ssh-keygen -q -t ed25519 -N '' -C host -f "$D/ssh_host_ed25519_key" ||
    tl_fail "ssh-keygen host"
ssh-keygen -q -t ed25519 -N '' -C clerk -f "$D/clerk" ||
    tl_fail "ssh-keygen clerk"
ssh-keygen -q -t ed25519 -N '' -C other -f "$D/other" ||
    tl_fail "ssh-keygen other"
ssh-keygen -q -t ed25519 -N '' -C seller2 -f "$D/seller2" ||
    tl_fail "ssh-keygen seller2"
# Options before the key, as an admin would harden it; the comment is the
# role.  A second key is mapped to no valid role name.
{
	echo "# clerks of the test"
	echo "restrict,pty $(cut -d' ' -f1,2 "$D/clerk.pub") $ROLE"
	echo "$(cut -d' ' -f1,2 "$D/other.pub") Not-A-Role"
	echo "restrict,pty $(cut -d' ' -f1,2 "$D/seller2.pub") sl_ssh_seller2"
} >"$D/clerk_keys"
chmod 644 "$D/clerk_keys"

# ---- sshd with the committed configuration ----------------------------

# start_sshd PORT: 0 when it listens.
start_sshd() {
	sed -e "s|^Port .*|Port $1|" \
	    -e "s|/run/secrets/|$D/|g" \
	    -e "s|^AllowGroups .*|AllowGroups $(id -gn "$ACCOUNT")|" \
	    -e "s|^ForceCommand .*|ForceCommand $TL_TOP/assets/deploy/ssh-login|" \
	    -e "s|SEATLOCK_BIN=[^ ]*|SEATLOCK_BIN=$SEATLOCK_BIN|" \
	    -e "s|PGHOST=[^ ]*|PGHOST=$PGHOST|" \
	    -e "s|PGPORT=[^ ]*|PGPORT=${PGPORT:-5432}|" \
	    -e "s|SEATLOCK_POOL_HOST=[^ ]*|SEATLOCK_POOL_HOST=$PGHOST|" \
	    -e "s|SEATLOCK_POOL_PORT=[^ ]*|SEATLOCK_POOL_PORT=${PGPORT:-5432}|" \
	    "$TL_TOP/assets/deploy/sshd_config" >"$D/sshd_config"
	: >"$D/sshd.log"
	/usr/sbin/sshd -D -e -f "$D/sshd_config" -o ListenAddress=127.0.0.1 \
	    2>>"$D/sshd.log" &
	SSHD_PID=$!
	_end=$(($(tl_ms) + 10000))
	while [ "$(tl_ms)" -lt "$_end" ]; do
		grep -q "Server listening on 127.0.0.1 port $1" "$D/sshd.log" &&
		    return 0
		kill -0 "$SSHD_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=""
	return 1
}

# sshd needs its privilege separation directory.
[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd; }
/usr/sbin/sshd -t -f "$TL_TOP/assets/deploy/sshd_config" \
    -o HostKey="$D/ssh_host_ed25519_key" 2>"$D/check.log" ||
    { cat "$D/check.log"; tl_fail "sshd -t refuses the committed sshd_config"; }
tl_ok "sshd -t accepts the committed sshd_config"

# free_port: a loopback TCP port nobody listens on (a guess, checked).
free_port() {
	for _t in 1 2 3 4 5 6 7 8 9 10; do
		_p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
		if ! ss -Hltn "sport = :$_p" 2>/dev/null | grep -q .; then
			echo "$_p"
			return 0
		fi
	done
	return 1
}

PORT=""
for try in 1 2 3 4 5; do
	p=$(free_port) || break
	if start_sshd "$p"; then
		PORT=$p
		break
	fi
done
[ -n "$PORT" ] || { cat "$D/sshd.log"; tl_fail "sshd did not start"; }
tl_ok "sshd listens on 127.0.0.1:$PORT (pid $SSHD_PID)"

# Only the port, the paths, the binary, the database and the group may
# differ from the committed file: every security setting is as committed.
diff "$TL_TOP/assets/deploy/sshd_config" "$D/sshd_config" |
    sed -n 's/^[<>] *\([A-Za-z]*\).*/\1/p' | sort -u >"$D/changed"
bad=$(grep -v -x -e Port -e HostKey -e AuthorizedKeysFile -e ForceCommand \
    -e SetEnv -e AllowGroups "$D/changed" | tr '\n' ' ')
[ -z "$bad" ] || tl_fail "the test's sshd_config differs in: $bad"
tl_ok "the test's sshd_config differs only in: $(tr '\n' ' ' <"$D/changed")"

echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" \
    >"$D/known_hosts"
# The ssh client, with nothing of root's own configuration.
SSH="ssh -F /dev/null -p $PORT -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile=$D/known_hosts -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -o SendEnv=LANG"

# ---- selling over SSH --------------------------------------------------

tl_venue
tl_user "Sam Secure $$"
uniq_venue=$TL_VNAME
T new-session -d -s remote -x 80 -y 24 \
    "exec env TERM=xterm-256color LANG=C.UTF-8 $SSH -tt -i $D/clerk \
    $ACCOUNT@127.0.0.1 2>$TL_TMP/ssh-remote.err" ||
    tl_fail "tmux new-session"
tl_wait remote "SeatLock box office" 15000
tl_ok "ssh -tt: the box office's show list arrived over SSH"

T send-keys -t remote -l "$uniq_venue"
tl_wait remote " 1 of [0-9]+ shows"
tl_wait remote "^ +$TL_SHOW  .*TUI test show / "
T send-keys -t remote Enter
tl_wait remote " live "
tl_wait_row remote A "(○){10}"
tl_ok "the show's seat map over SSH, live"

tl_start local 80x24 xterm-256color C.UTF-8 --show "$TL_SHOW"
tl_wait local " live "
tl_wait_row local A "(○){10}"

T send-keys -t remote A 2 Space
tl_wait remote "Selected 1: A2"
T send-keys -t remote Enter
tl_wait remote "Customer - type a name"
T send-keys -t remote -l "${TL_EMAIL%%@*}"
tl_wait remote "Sam Secure $$ +<$TL_EMAIL>"
T send-keys -t remote Enter
tl_wait remote "Confirm the sale"
T send-keys -t remote y
tl_wait remote "Sold A2 to Sam Secure $$ - booking [0-9]+"
tl_wait_row remote A "○●○{8}"
tl_ok "sold A2 through the box office over SSH"

n=$(psql -Atqc "SELECT count(*) FROM booking b JOIN seat s USING (seat_id)
    WHERE b.show_id = $TL_SHOW AND s.label = 'A2' AND b.status = 'active'
    AND b.user_id = $TL_USER")
[ "$n" = 1 ] || tl_fail "the booking of A2 is not in the database ($n)"
actor=$(psql -Atqc "SELECT actor FROM audit_log WHERE action IN ('book', 'book hold')
    AND show_id = $TL_SHOW")
[ "$actor" = "$ROLE" ] || tl_fail "the audit trail names '$actor', not $ROLE"
tl_ok "the database has the booking; the audit trail names $ROLE"

tl_wait_row local A "○●○{8}" 5000
tl_ok "the local box office shows A2 sold"

# ---- nothing but the box office ----------------------------------------

# A command with a terminal: the box office, and no trace of the command.
T new-session -d -s cmd -x 80 -y 24 \
    "exec env TERM=xterm-256color $SSH -tt -i $D/clerk \
    $ACCOUNT@127.0.0.1 'echo SL''PWNED; id' 2>/dev/null" ||
    tl_fail "tmux new-session"
tl_wait cmd "SeatLock box office" 15000
if tl_cap cmd | grep -q "SLPWNED\|uid="; then
	tl_fail "the command ran"
fi
T send-keys -t cmd q
tl_ok "ssh -tt host 'echo ...; id' gets the box office, not the command"

# Without a terminal: the box office refuses, nothing else runs, and the
# client cannot choose the binary through its environment.
$SSH -T -i "$D/clerk" -o SetEnv=SEATLOCK_BIN=/usr/bin/env \
    "$ACCOUNT@127.0.0.1" 'echo SL''PWNED; id' >"$D/out" 2>"$D/err"
rc=$?
if grep -q "SLPWNED\|uid=\|SEATLOCK_BIN=" "$D/out" "$D/err"; then
	tl_fail "ssh -T: a command or the client's binary ran: $(cat "$D/out")"
fi
[ "$rc" -ne 0 ] || tl_fail "ssh -T host cmd exited 0"
grep -q "the box office needs a terminal" "$D/err" ||
    tl_fail "ssh -T: no box office refusal: $(cat "$D/err")"
tl_ok "ssh -T host cmd with SetEnv=SEATLOCK_BIN: only the box office's refusal (exit $rc)"

sftp -F /dev/null -P "$PORT" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$D/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -i "$D/clerk" -b /dev/null "$ACCOUNT@127.0.0.1" >"$D/out" 2>&1 &&
    tl_fail "sftp worked: $(cat "$D/out")"
tl_ok "sftp gets no file access"

# -W: stdio forwarding to the sshd itself would show its banner.
timeout 15 $SSH -i "$D/clerk" -W "127.0.0.1:$PORT" "$ACCOUNT@127.0.0.1" \
    </dev/null >"$D/out" 2>"$D/err"
if grep -q "SSH-2.0" "$D/out"; then
	tl_fail "ssh -W forwarded a connection"
fi
grep -q "prohibited\|open failed" "$D/err" ||
    tl_fail "ssh -W: no refusal: $(cat "$D/err")"
tl_ok "ssh -W is refused ($(grep -o 'administratively prohibited' "$D/err" |
    head -n 1))"

# -L: the client listens, but the server refuses each forwarded connection.
LPORT=$(free_port) || tl_fail "no free port for -L"
$SSH -N -i "$D/clerk" -L "127.0.0.1:$LPORT:127.0.0.1:$PORT" \
    "$ACCOUNT@127.0.0.1" 2>"$D/fwd.err" &
FWD_PID=$!
end=$(($(tl_ms) + 10000))
while [ "$(tl_ms)" -lt "$end" ] &&
    ! ss -Hltn "sport = :$LPORT" 2>/dev/null | grep -q .; do
	sleep 0.1
done
banner=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$LPORT &&
    timeout 3 head -c 7 <&3" 2>/dev/null)
[ "$banner" != "SSH-2.0" ] || tl_fail "ssh -L forwarded a connection"
end=$(($(tl_ms) + 5000))
while [ "$(tl_ms)" -lt "$end" ] && ! grep -q "prohibited\|open failed" \
    "$D/fwd.err"; do
	sleep 0.1
done
grep -q "prohibited\|open failed" "$D/fwd.err" ||
    tl_fail "ssh -L: no refusal: $(cat "$D/fwd.err")"
kill "$FWD_PID" 2>/dev/null
wait "$FWD_PID" 2>/dev/null
FWD_PID=""
tl_ok "ssh -L: the forwarded connection is refused"

timeout 15 $SSH -N -i "$D/clerk" -o ExitOnForwardFailure=yes \
    -R "127.0.0.1:0:127.0.0.1:$PORT" "$ACCOUNT@127.0.0.1" >"$D/out" \
    2>"$D/err" && tl_fail "ssh -R stayed up"
grep -q "forwarding failed" "$D/err" ||
    tl_fail "ssh -R: no refusal: $(cat "$D/err")"
tl_ok "ssh -R is refused"

$SSH -T -o PreferredAuthentications=password,keyboard-interactive \
    "$ACCOUNT@127.0.0.1" true >"$D/out" 2>"$D/err" &&
    tl_fail "a login without a key worked"
grep -q "Permission denied" "$D/err" || tl_fail "no key: $(cat "$D/err")"
$SSH -T -i "$D/clerk" "root@127.0.0.1" true >"$D/out" 2>"$D/err" &&
    tl_fail "root logged in"
grep -q "Permission denied" "$D/err" || tl_fail "root: $(cat "$D/err")"
tl_ok "password and root logins are refused"

$SSH -T -i "$D/other" "$ACCOUNT@127.0.0.1" >"$D/out" 2>"$D/err" &&
    tl_fail "the unmapped key logged in"
grep -q "not mapped to a clerk" "$D/err" ||
    tl_fail "unmapped key: $(cat "$D/err")"
tl_ok "a key whose comment is no role name gets no box office"

# Another seller's key opens no account but theirs (the keys file is
# shared by sshd; ssh-login checks that the key names this account).
$SSH -tt -i "$D/seller2" "$ACCOUNT@127.0.0.1" </dev/null >"$D/out" 2>"$D/err" &&
    tl_fail "another seller's key logged in to $ACCOUNT"
grep -q "belongs to sl_ssh_seller2, not to the account $ACCOUNT" "$D/out" "$D/err" ||
    tl_fail "another seller's key: $(cat "$D/out" "$D/err")"
tl_ok "another seller's key gets no box office in $ACCOUNT's account"

# ---- a dropped connection ----------------------------------------------

# The clerk selects a seat and goes to the customer screen; then the ssh
# client dies.
T send-keys -t remote A 5 Space
tl_wait remote "Selected 1: A5"
T send-keys -t remote Enter
tl_wait remote "Customer - type a name"
n=$(psql -Atqc "SELECT count(*) FROM pg_stat_activity
    WHERE usename = '$ROLE'")
[ "$n" -ge 2 ] || tl_fail "expected the clerk's 2 backends, found $n"
tl_ok "the clerk's box office has $n backends before the drop"
ssh_pid=$(T display -p -t remote '#{pane_pid}')
kill -9 "$ssh_pid" || tl_fail "kill the ssh client"
t0=$(tl_ms)
end=$((t0 + 15000))
while [ "$(tl_ms)" -lt "$end" ]; do
	n=$(psql -Atqc "SELECT count(*) FROM pg_stat_activity
	    WHERE usename = '$ROLE'")
	l=$(psql -Atqc "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a
	    USING (pid) WHERE a.usename = '$ROLE'")
	p=$(pgrep -u "$ACCOUNT" | wc -l)
	[ "$n" = 0 ] && [ "$l" = 0 ] && [ "$p" = 0 ] && break
	sleep 0.2
done
[ "$n" = 0 ] || tl_fail "$n backends of $ROLE left after the drop"
[ "$l" = 0 ] || tl_fail "$l locks of $ROLE left after the drop"
[ "$p" = 0 ] || tl_fail "$p processes of $ACCOUNT left: $(pgrep -a -u "$ACCOUNT")"
tl_ok "ssh client killed: no process, backend or lock left ($(($(tl_ms) - t0)) ms)"
n=$(psql -Atqc "SELECT count(*) FROM booking b JOIN seat s USING (seat_id)
    WHERE b.show_id = $TL_SHOW AND s.label = 'A5'")
[ "$n" = 0 ] || tl_fail "A5 was booked"
st=$(psql -Atqc "SELECT ss.state FROM show_seat ss JOIN seat s USING
    (seat_id) WHERE ss.show_id = $TL_SHOW AND s.label = 'A5'")
[ "$st" = available ] || tl_fail "A5 is $st"
tl_ok "A5, selected when the connection dropped, is still available"
grep -q "SL""PWNED" "$D/sshd.log" && tl_fail "the sshd log shows a command ran"

T send-keys -t local q
rc=$(tl_exit_status local)
[ "$rc" = 0 ] || tl_fail "the local box office exited $rc"
echo "ssh_sales: all passed"
