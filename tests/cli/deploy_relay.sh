#!/bin/sh
# Issue 19 in the deployments: one relay per host and bookings through
# PgBouncer's transaction pool, for the kiosks and the SSH sellers.
#  (a) docker-compose.yml, rendered (no Docker engine here): a relay
#      service runs `seatlock relay` on /run/seatlock/relay.sock, on a named
#      volume that the kiosks and ssh mount read-write at the same place
#      (the box office's default notify.relay_socket); its group is the
#      image's fixed gid of sellers (the sellers' primary group), it runs
#      as the kiosks' user, logs in directly as a login of its own with its
#      own secret, which setup makes; kiosks and sellers book through
#      pgbouncer (sshd's SetEnv, ssh-sellers' ~/.pgpass line and the
#      PgBouncer port agree); PgBouncer's auth_user is the login setup
#      makes for it, and its auth_query calls sl_pool_auth.
#  (b) ssh-login (a stub box office): with a pool, bookings go to it and
#      the fallback listener to the database; a pool setting that is no
#      host is refused.  ssh-sellers, with stubs for the account tools
#      (it would make accounts on this machine): each seller's ~/.pgpass
#      holds their line for the database and the same for the pool.
#  (c) setup-logins against this cluster: the relay's login may LISTEN,
#      read the notifier's beat and the seats' states (sl_relay_states,
#      which no clerk may call), and may not book, read customers, lead the
#      notifier or read secrets; PgBouncer's auth_user gets a clerk's SCRAM
#      secret and nothing for the relay, the owner or a door; a clerk may
#      not call sl_pool_auth; a second run is harmless; a role that is a
#      member of another is not taken over.
#  (d) `seatlock relay` logged in as the relay's login, with a group: a
#      member (primary group, like a seller) attaches, another user is
#      refused.
#  (e) Debian's PgBouncer with the committed ini (paths and the auth_user's
#      name changed) and a userlist holding only the auth_user: a seller
#      (a clerk not in any file) books with `seatlock book` through the
#      transaction pool with their own password, with a relay client
#      watching the show, which hears the sale and its seats' states, and
#      the relay reads the notifier's beat as its login; a wrong password, the
#      relay's login and the owner are refused; a seller added while
#      PgBouncer runs logs in at once.
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"
. "$(dirname "$0")/relay.lib"
. "$(dirname "$0")/pgb.lib"

top=$(cd "$(dirname "$0")/../.." && pwd)
rly=sldrly_$$ pa=sldpa_$$ sel=sldsel_$$ sel2=sldsel2_$$ door=slddoor_$$
other=sldoth_$$
NTF_PID="" B=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$PGB_PID" ] && kill "$PGB_PID" 2>/dev/null && wait "$PGB_PID"
	[ -n "$NTF_PID" ] && kill "$NTF_PID" 2>/dev/null && wait "$NTF_PID"
	relay_stop KILL
	for r in "$rly" "$pa" "$sel" "$sel2" "$door" "$other"; do
		psql -X -q -c "DROP OWNED BY $r" -c "DROP ROLE IF EXISTS $r" \
		    >/dev/null 2>&1
	done
	rm -rf "$tmp" "$rdir" "$B"
}
trap cleanup EXIT

# ---- (a) the compose file ----------------------------------------------

if ! command -v docker-compose >/dev/null; then
	not_ok "docker-compose is not installed (.ci/deps.sh test)"
else
	unset COMPOSE_FILE COMPOSE_PROJECT_NAME COMPOSE_PROFILES DOCKER_HOST
	s=$tmp/secrets
	mkdir -p "$s/sellers"
	sed -n 's|.*file: .{SEATLOCK_SECRETS:-\./secrets}/||p' \
	    "$top/docker-compose.yml" | while read -r f; do
		: >"$s/$f"
	done
	(cd "$top" && SEATLOCK_SECRETS=$s docker-compose -f docker-compose.yml \
	    config) >"$tmp/rendered.yml" 2>"$tmp/err"
	check "docker-compose config renders the file" test -s "$tmp/rendered.yml"
	python3 - "$tmp/rendered.yml" "$top" >"$tmp/checks" 2>&1 <<'PY'
import re, shlex, sys, yaml

rendered, top = sys.argv[1:3]
c = yaml.safe_load(open(rendered))
svc = c.get("services", {})
def check(ok, what):
    print(("ok " if ok else "FAIL ") + what)
def env(n):
    return svc.get(n, {}).get("environment", {}) or {}
def text(f):
    return open(top + "/" + f).read()

check("relay" in svc, "there is a relay service")
r = svc.get("relay", {})
cmd = r.get("command", [])
check(cmd[:3] == ["relay", "--socket", "/run/seatlock/relay.sock"] and
      len(cmd) == 5 and cmd[3] == "--group",
      "it runs seatlock relay --socket /run/seatlock/relay.sock --group G "
      "(%s)" % " ".join(cmd))
group = cmd[4] if len(cmd) == 5 else None
df = text("assets/deploy/Dockerfile")
m = re.search(r"groupadd --gid (\d+) %s\b" % re.escape(str(group)), df)
gid = m.group(1) if m else None
check(gid is not None, "the image makes its group %s with a fixed gid (%s)"
      % (group, gid))
check([str(g) for g in r.get("group_add", [])] == [gid],
      "the relay is a member of it (group_add %s), so it may give the "
      "socket to it" % r.get("group_add"))
m = re.search(r"^AllowGroups (\S+)$", text("assets/deploy/sshd_config"), re.M)
check(m and m.group(1) == group,
      "it is the sellers' group, the one sshd allows (%s)"
      % (m and m.group(1)))
check(re.search(r'useradd .*--gid %s ' % re.escape(str(group)),
                text("assets/deploy/ssh-sellers")) is not None,
      "ssh-sellers makes it each seller's primary group (what the relay "
      "checks across containers: SO_PEERCRED's gid)")
kiosks = ["kiosk1", "kiosk2", "kiosk3"]
check(all("user" not in svc[n] for n in kiosks + ["relay"]) and
      re.search(r"^USER seatlock$", df, re.M) and
      re.search(r"useradd --system --uid 990 --gid 990 .*seatlock", df),
      "the relay runs as the kiosks' user (seatlock, 990), whom it lets in")
check(re.search(r"chown 990:%s /run/seatlock && chmod 0750 /run/seatlock"
                % gid, df) is not None,
      "the image's /run/seatlock (the volume's first content) is the "
      "relay's, entered by the group, 0750")

def mounts(n):
    out = {}
    for v in svc.get(n, {}).get("volumes", []):
        if isinstance(v, dict):
            out[v.get("target")] = (v.get("source"), v.get("type"),
                                    bool(v.get("read_only")))
        else:
            p = str(v).split(":")
            out[p[1]] = (p[0], "volume" if "/" not in p[0] else "bind",
                         len(p) > 2 and "ro" in p[2].split(","))
    return out
vol = mounts("relay").get("/run/seatlock")
check(vol is not None and vol[1] == "volume" and
      vol[0] in (c.get("volumes") or {}),
      "the relay's /run/seatlock is a named volume (%s)" % (vol,))
for n in kiosks + ["ssh"]:
    check(mounts(n).get("/run/seatlock") == (vol[0], "volume", False)
          if vol else False,
          "%s mounts it read-write at /run/seatlock (%s)"
          % (n, mounts(n).get("/run/seatlock")))
    check(svc[n].get("depends_on", {}).get("relay", {}).get("condition")
          == "service_started", "%s starts after the relay" % n)
    check("SEATLOCK_CONFIG" not in env(n),
          "%s keeps the default notify.relay_socket" % n)
m = re.search(r'SL_RELAY_SOCKET_DEFAULT\s+"([^"]+)"', text("core/sl_config.h"))
check(m and m.group(1) == "/run/seatlock/relay.sock",
      "the box office's default socket is the relay's (%s)" % (m and m.group(1)))

# The relay's login.
check(r.get("depends_on", {}).get("setup", {}).get("condition") ==
      "service_completed_successfully" and
      r.get("restart") == "unless-stopped",
      "the relay starts after setup and is restarted")
login = env("relay").get("PGUSER")
check(login and login == env("setup").get("SEATLOCK_RELAY_LOGIN") and
      login not in ("seatlock", "notifier", "seatlock_server") and
      all(env(n).get("PGUSER") != login for n in svc if n != "relay"),
      "the relay logs in as its own login, which setup makes (%s)" % login)
for k in ("SEATLOCK_DSN", "SEATLOCK_LISTEN_DSN"):
    d = env("relay").get(k, "")
    check("host=db " in d and "pgbouncer" not in d and
          ("user=%s" % login) in d.split(),
          "its %s is direct, as that login (%s)" % (k, d))
sec = [x["source"] if isinstance(x, dict) else x
       for x in r.get("secrets", [])]
check(sec == ["relay_pgpass"] and
      env("relay").get("PGPASSFILE") == "/run/secrets/relay_pgpass",
      "its password is its own secret, relay_pgpass (%s)" % sec)
setup_sec = [x["source"] if isinstance(x, dict) else x
             for x in svc["setup"].get("secrets", [])]
check("relay_pgpass" in setup_sec and "pgbouncer_auth_pgpass" in setup_sec,
      "setup sets the relay's and PgBouncer's auth_user's passwords")

# Bookings through the pool.
ini = text("assets/deploy/pgbouncer.ini")
def ini_get(k):
    m = re.search(r"^%s = (.*)$" % k, ini, re.M)
    return m.group(1) if m else None
port = ini_get("listen_port")
check(ini_get("pool_mode") == "transaction", "PgBouncer pools transactions")
for n in kiosks:
    check("host=pgbouncer port=%s " % port in env(n).get("SEATLOCK_DSN", "")
          and "host=db " in env(n).get("SEATLOCK_LISTEN_DSN", ""),
          "%s books through pgbouncer, its fallback listener is direct" % n)
se = re.search(r"^SetEnv (.*)$", text("assets/deploy/sshd_config"), re.M)
se = dict(x.split("=", 1) for x in shlex.split(se.group(1))) if se else {}
check(se.get("SEATLOCK_POOL_HOST") == "pgbouncer" and
      se.get("SEATLOCK_POOL_PORT") == port and se.get("PGHOST") == "db",
      "sellers book through pgbouncer:%s, their fallback listener is db "
      "(sshd SetEnv %s)" % (port, se))
ss = text("assets/deploy/ssh-sellers")
check("${SEATLOCK_POOL_HOST-%s}" % se.get("SEATLOCK_POOL_HOST") in ss and
      "${SEATLOCK_POOL_PORT:-%s}" % port in ss,
      "ssh-sellers writes each seller's pool line for that host and port")
check(svc["ssh"].get("depends_on", {}).get("pgbouncer", {}).get("condition")
      == "service_started", "ssh starts after pgbouncer")
check(ini_get("auth_user") == env("setup").get("SEATLOCK_POOL_AUTH_LOGIN")
      and ini_get("auth_user"),
      "PgBouncer's auth_user is the login setup makes (%s)"
      % ini_get("auth_user"))
check(ini_get("auth_query") == "SELECT usename, passwd FROM sl_pool_auth($1)",
      "its auth_query asks sl_pool_auth (%s)" % ini_get("auth_query"))
PY
	verdicts "$tmp/checks"
	check "the compose checks ran ($(wc -l <"$tmp/checks"))" \
	    test "$(wc -l <"$tmp/checks")" -ge 30
fi

# ---- (b) ssh-login and ssh-sellers -------------------------------------

me=$(id -un)
cat >"$tmp/stub" <<'EOF'
#!/bin/sh
echo "args=$* dsn=$SEATLOCK_DSN listen=${SEATLOCK_LISTEN_DSN:-}"
EOF
chmod 755 "$tmp/stub"
echo "publickey ssh-ed25519 AAAAmine" >"$tmp/auth"
echo "restrict,pty ssh-ed25519 AAAAmine $me" >"$tmp/keys"
sshlogin() {
	env SEATLOCK_BIN="$tmp/stub" SEATLOCK_CLERK_KEYS="$tmp/keys" \
	    SSH_USER_AUTH="$tmp/auth" SEATLOCK_LISTEN_DSN=host=elsewhere "$@" \
	    "$top/assets/deploy/ssh-login" >"$tmp/out" 2>"$tmp/err"
}
case $me in
"" | [!a-z_]* | *[!a-z0-9_]*)
	ok "ssh-login: skipped, this account's name ($me) is no login name" ;;
*)
	sshlogin SEATLOCK_POOL_HOST=pgbouncer SEATLOCK_POOL_PORT=6432
	check "ssh-login: bookings through the pool, the fallback listener direct ($(cat "$tmp/out"))" \
	    grep -qx "args=tui dsn=host=pgbouncer port=6432 user=$me listen=user=$me" \
	    "$tmp/out"
	sshlogin
	check "ssh-login without a pool: all direct, as before ($(cat "$tmp/out"))" \
	    grep -qx "args=tui dsn=user=$me listen=" "$tmp/out"
	sshlogin "SEATLOCK_POOL_HOST=pgbouncer user=postgres"
	rc=$?
	check "a pool setting that is no host is refused (exit $rc)" \
	    test "$rc" -ne 0 -a ! -s "$tmp/out"
	;;
esac

# ssh-sellers with stubs for the account tools, in a scratch home.
sb=$tmp/sbin
mkdir -p "$sb" "$tmp/sellers" "$tmp/home"
for t in groupadd useradd usermod; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/accounts.log"\n' "$t" "$tmp" \
	    >"$sb/$t"
done
cat >"$sb/id" <<'EOF'
#!/bin/sh
[ "$1" = -u ] && { echo 1001; exit 0; }
exit 0
EOF
# shellcheck disable=SC2016 # $1 and $2 are the stub's
printf '#!/bin/sh\n[ "$1" = passwd ] && echo "$2:x:1001:991::%s/home/$2:/bin/sh"\nexit 0\n' \
    "$tmp" >"$sb/getent"
# runuser -u NAME -- CMD...: CMD, as this user
printf '#!/bin/sh\nshift 3\nexec "$@"\n' >"$sb/runuser"
chmod 755 "$sb"/*
mkdir "$tmp/home/alice"
printf 'db:5432:seatlock:alice:s3cret\n' >"$tmp/sellers/alice"
printf 'db:5432:seatlock:alice:s3cret\n' >"$tmp/sellers/bob"
env PATH="$sb:$PATH" SEATLOCK_SELLERS="$tmp/sellers" \
    "$top/assets/deploy/ssh-sellers" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "ssh-sellers runs (exit $rc)" test "$rc" -eq 0
printf 'db:5432:seatlock:alice:s3cret\npgbouncer:6432:seatlock:alice:s3cret\n' \
    >"$tmp/want"
check "a seller's ~/.pgpass: the database's line and the pool's" \
    cmp -s "$tmp/want" "$tmp/home/alice/.pgpass"
check "... mode 0600" test "$(stat -c %a "$tmp/home/alice/.pgpass")" = 600
check "a file whose line is another's makes no ~/.pgpass" \
    test ! -e "$tmp/home/bob/.pgpass"
check "... and says so" grep -q "bob: its line is not for bob" "$tmp/err"
mkdir -p "$tmp/home/alice"
env PATH="$sb:$PATH" SEATLOCK_SELLERS="$tmp/sellers" SEATLOCK_POOL_HOST= \
    "$top/assets/deploy/ssh-sellers" >/dev/null 2>&1
check "SEATLOCK_POOL_HOST empty: no pool line" \
    test "$(cat "$tmp/home/alice/.pgpass")" = "db:5432:seatlock:alice:s3cret"

# ---- (c) setup-logins: the relay's and the pool's logins ----------------

sec=$tmp/run-secrets
mkdir -p "$sec"
pw() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
papw=$(pw)
printf 'db:5432:seatlock:%s:%s\n' "$rly" "$(pw)" >"$sec/${rly}_pgpass"
printf 'db:5432:seatlock:%s:%s\n' "$pa" "$papw" >"$sec/${pa}_pgpass"
chmod 600 "$sec"/*
setup() {
	env SEATLOCK_BIN="$SL" SEATLOCK_SECRETS_DIR="$sec" SEATLOCK_KIOSKS= \
	    SEATLOCK_API_LOGIN= SEATLOCK_WEB_ROLES= SEATLOCK_NOTIFIER_LOGIN= \
	    SEATLOCK_RELAY_LOGIN="$rly" SEATLOCK_POOL_AUTH_LOGIN="$pa" "$@" \
	    "$top/assets/deploy/setup-logins" >"$tmp/out" 2>"$tmp/err"
}
setup
rc=$?
check "setup-logins makes the relay's and the pool's logins (exit $rc)" \
    test "$rc" -eq 0
[ "$rc" -ne 0 ] && sed 's/^/     /' "$tmp/err"
q() { psql -X -A -t -q -c "$1"; }
n=$(q "SELECT count(*) FROM pg_authid WHERE rolname IN ('$rly', '$pa')
    AND rolcanlogin AND NOT rolsuper AND NOT rolcreaterole AND NOT rolcreatedb
    AND NOT rolreplication AND NOT rolbypassrls
    AND rolpassword LIKE 'SCRAM-SHA-256\$%'")
check "two logins, no special right, each with a SCRAM password ($n)" \
    test "$n" = 2
n=$(q "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r
    ON r.oid = m.member WHERE r.rolname IN ('$rly', '$pa')")
check "... members of no role ($n)" test "$n" = 0

# Throwaway clerks and a door, as a supervisor makes them.
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || not_ok "the clerks"
SET password_encryption = 'scram-sha-256';
CREATE ROLE $sel LOGIN PASSWORD '$papw-sel';
GRANT seatlock_clerk TO $sel;
CREATE ROLE $door LOGIN PASSWORD '$papw-door';
GRANT seatlock_door TO $door;
SQL
venue=$(new_venue 1 6)
show=$(new_show "$venue")
user=$(new_user)
check "a show and a customer" is_id "$user"

# rights LOGIN: one line a statement, "STATE WHAT|SQL", on standard input;
# checks that the statement, run as LOGIN, ends in STATE (ok or a SQLSTATE).
rights() {
	while IFS='|' read -r _what _sql; do
		_r=$(as "$1" "$_sql" </dev/null)
		check "${_what#* } ($_r)" [ "$_r" = "${_what%% *}" ]
	done
}
book="SELECT count(*) FROM sl_book($show, ARRAY['A1'], $user, 'sld-$uniq', 'x')"
rights "$rly" <<EOF
ok the relay's login may LISTEN|LISTEN seatlock_show_$show
ok ... and read the notifier's beat|SELECT sl_notifier_beat_age()
ok ... and the seats' states|SELECT count(*) FROM sl_relay_states(ARRAY[$show]::bigint[], ARRAY[1]::bigint[])
42501 ... may not book|$book
42501 ... may not read customers|SELECT count(*) FROM app_user
42501 ... nor bookings|SELECT count(*) FROM booking
42501 ... may not lead the notifier|SELECT sl_notifier_claim(3000)
42501 ... nor read a clerk's secret|SELECT * FROM sl_pool_auth('$sel')
EOF

secret() { PGUSER=$1 psql -X -A -t -q -c "SELECT usename || ' ' ||
    left(passwd, 14) FROM sl_pool_auth('$2')" 2>&1; }
r=$(secret "$pa" "$sel")
check "PgBouncer's auth_user gets a clerk's SCRAM secret ($r)" \
    test "$r" = "$sel SCRAM-SHA-256\$"
for who in "$rly" "$door" "$pa" "$(q "SELECT current_user")" nobody_$$; do
	r=$(secret "$pa" "$who")
	check "... and nothing for $who (${r:-nothing})" test -z "$r"
done
rights "$pa" <<EOF
42501 ... may not book|$book
42501 ... nor read customers|SELECT count(*) FROM app_user
42501 ... nor call any other function|SELECT sl_notifier_beat_age()
42501 ... nor read the seats' states|SELECT count(*) FROM sl_relay_states(ARRAY[$show]::bigint[], ARRAY[1]::bigint[])
EOF
rights "$sel" <<EOF
42501 a clerk may not call sl_pool_auth|SELECT * FROM sl_pool_auth('$sel')
42501 ... nor sl_relay_states (the relay's only)|SELECT count(*) FROM sl_relay_states(ARRAY[$show]::bigint[], ARRAY[1]::bigint[])
EOF

setup
rc=$?
check "a second run succeeds (exit $rc)" test "$rc" -eq 0
n=$(q "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r
    ON r.oid = m.member WHERE r.rolname IN ('$rly', '$pa')")
check "... and still no membership ($n)" test "$n" = 0
sql "CREATE ROLE $other LOGIN" >/dev/null
sql "GRANT seatlock_clerk TO $other" >/dev/null
setup SEATLOCK_RELAY_LOGIN="$other"
rc=$?
check "a relay name that is a clerk's role is not taken over (exit $rc)" \
    test "$rc" -eq 2
check "... it gets no right to the beat nor the states" test "$(q "SELECT
    (has_function_privilege('$other', 'sl_notifier_beat_age()', 'EXECUTE')
    OR has_function_privilege('$other',
	'sl_relay_states(bigint[],bigint[])', 'EXECUTE'))
    AND NOT pg_has_role('$other', 'seatlock_clerk', 'MEMBER')")" = f
r=$(as "$other" "SELECT * FROM sl_pool_auth('$sel')")
check "... (nor to the secrets: $r)" [ "$r" = 42501 ]

# ---- (d) the relay as its login, with a group ----------------------------

export SEATLOCK_DSN="user=$rly" SEATLOCK_LISTEN_DSN="user=$rly"
relay_start --group nogroup || exit 1
unset SEATLOCK_DSN SEATLOCK_LISTEN_DSN
rpid=$(relay_backend)
check "the relay's LISTEN connection is its login's ($rpid)" test \
    "$(q "SELECT usename FROM pg_stat_activity WHERE pid = ${rpid:-0}")" = "$rly"
check "its socket belongs to the group (nogroup, 0660)" \
    test "$(stat -c '%G %a' "$sock")" = "nogroup 660"
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
	r=$(runuser -u nobody -- python3 "$rdir/client.py" once "$sock")
	check "a member of the group (primary, like a seller) attaches ($r)" \
	    test "$r" = "hello seatlock-relay 1"
	r=$(runuser -u daemon -- python3 "$rdir/client.py" once "$sock")
	check "another user is refused by the socket's mode ($r)" \
	    test "$r" != "hello seatlock-relay 1"
else
	ok "skipped: attaching as other users needs root"
fi

# ---- (e) a seller books through PgBouncer with auth_query ---------------

if ! [ -x "$PGB" ]; then
	not_ok "pgbouncer is not installed (.ci/deps.sh test)"
	done_testing
fi
B=$(mktemp -d "${TMPDIR:-/tmp}/sldrb.XXXXXX") || exit 1
# The auth_user's password, as the deployment's userlist holds it; no
# clerk is in the file.
printf '"%s" "%s"\n' "$pa" "$papw" >"$B/userlist"
sed -e "s|^seatlock = host=db port=5432 |seatlock = host=$PGHOST port=${PGPORT:-5432} |" \
    -e "s|^listen_addr = .*|listen_addr =|" \
    -e "s|^unix_socket_dir =.*|unix_socket_dir = $B|" \
    -e "s|^auth_file = .*|auth_file = $B/userlist|" \
    -e "s|^auth_user = .*|auth_user = $pa|" \
    "$top/assets/deploy/pgbouncer.ini" >"$B/pgbouncer.ini"
diff "$top/assets/deploy/pgbouncer.ini" "$B/pgbouncer.ini" |
    sed -n 's/^[<>] *\([a-z_]*\) *=.*/\1/p' | sort -u >"$B/changed"
check "the test's ini differs only in paths and the auth_user's name ($(tr '\n' ' ' <"$B/changed"))" \
    test -z "$(grep -v -x -e seatlock -e listen_addr -e unix_socket_dir \
    -e auth_file -e auth_user "$B/changed")"
if ! pgb_start "$B/pgbouncer.ini" "$B/log"; then
	not_ok "pgbouncer did not start: $(tail -n 5 "$B/log")"
	done_testing
fi
printf '*:*:*:%s:%s\n' "$sel" "$papw-sel" >"$tmp/pgpass"
chmod 600 "$tmp/pgpass"
POOL="host=$B port=6432 dbname=seatlock"
# (a notifier, as the owner, in case this database pushes batched)
"$SL" notifier >/dev/null 2>"$tmp/ntf.log" &
NTF_PID=$!
clients_start "$show" 1 || exit 1
PGPASSFILE=$tmp/pgpass SEATLOCK_DSN="$POOL user=$sel" \
    SEATLOCK_LISTEN_DSN="user=$sel" "$SL" book "$show" A1 --user "$user" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a seller books through the pool with their own password (exit $rc)" \
    test "$rc" -eq 0
[ "$rc" -ne 0 ] && sed 's/^/     /' "$tmp/err"
check "... logged in to PgBouncer, which has them in no file (auth_query)" \
    grep -q "login attempt: db=seatlock user=$sel" "$B/log"
check "... the audit trail names the seller" test "$(sql "SELECT actor
    FROM audit_log WHERE action = 'book' AND show_id = $show")" = "$sel"
sleep 1.5
clients_stop
check "the relay's client watching the show heard the sale ($(field 0 shows) show line(s), last: $(field 0 last))" \
    test "$(field 0 shows)" -ge 1
check "... and the seats' states the relay read as its login ($(field 0 seatl))" \
    test "$(field 0 seats)" -ge 1 -a "$(field 0 seats_loose)" = 0
# The beat the relay reads as its login (issue 19's beat: a relay that has
# it sends "beat AGE" once a second; one whose login may not read it sends
# "beat none" and logs why).
python3 - "$sock" >"$tmp/beats" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(0.2)
data, end = b"", time.time() + 2.5
while time.time() < end:
    try:
        b = s.recv(4096)
        if not b:
            break
        data += b
    except socket.timeout:
        pass
print("\n".join(l for l in data.decode().split("\n") if l.startswith("beat ")))
PY
if grep -q "^beat " "$tmp/beats"; then
	check "the relay, as its login, reads the notifier's beat ($(tail -n 1 "$tmp/beats"))" \
	    grep -qx "beat [0-9][0-9]*" "$tmp/beats"
	check "... with no error in its log" \
	    test -z "$(grep -i "permission denied" "$rlog")"
else
	ok "skipped: this relay sends no beat lines"
fi
printf '*:*:*:%s:wrong\n' "$sel" >"$tmp/badpass"
chmod 600 "$tmp/badpass"
PGPASSFILE=$tmp/badpass psql -X -q "$POOL user=$sel" -c "SELECT 1" \
    >/dev/null 2>"$tmp/err"
check "a wrong password is refused" grep -q "authentication failed" "$tmp/err"
for who in "$rly" postgres; do
	printf '*:*:*:%s:x\n' "$who" >"$tmp/other"
	chmod 600 "$tmp/other"
	PGPASSFILE=$tmp/other psql -X -q "$POOL user=$who" -c "SELECT 1" \
	    >/dev/null 2>"$tmp/err"
	check "$who cannot log in through the pool ($(head -n 1 "$tmp/err" |
	    sed 's/.*FATAL: *//'))" grep -q "no such user\|authentication failed" \
	    "$tmp/err"
done
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL || not_ok "a second seller"
SET password_encryption = 'scram-sha-256';
CREATE ROLE $sel2 LOGIN PASSWORD '$papw-sel2';
GRANT seatlock_clerk TO $sel2;
SQL
printf '*:*:*:%s:%s\n' "$sel2" "$papw-sel2" >"$tmp/pgpass2"
chmod 600 "$tmp/pgpass2"
r=$(PGPASSFILE=$tmp/pgpass2 psql -X -A -t -q "$POOL user=$sel2" \
    -c "SELECT session_user" 2>&1)
check "a seller added while PgBouncer runs logs in at once ($r)" \
    test "$r" = "$sel2"

if command -v shellcheck >/dev/null; then
	check "shellcheck: tests/cli/deploy_relay.sh" \
	    shellcheck -s sh -x "$top/tests/cli/deploy_relay.sh"
else
	ok "skipped: shellcheck is not installed"
fi
done_testing
