#!/bin/sh
# Issue 17 ("Also:"): every piece of a deployment logs in as a login of its
# own with only what it needs; nobody but migrate and setup is the owner.
#  (a) docker-compose.yml, rendered: no service but migrate and setup logs
#      in as the image's superuser (POSTGRES_USER); the kiosks are several
#      services with a login each, all different; no secret file is held by
#      services of two different logins (setup, which sets the passwords,
#      excepted); the ssh service holds no password file and sshd allows a
#      group of sellers, not one shared account.  The SSH forced command
#      (assets/deploy/ssh-login, run here with a stub box office) starts
#      the box office as the account that logged in, with that account's
#      own ~/.pgpass, and refuses a key that names another seller.
#  (b) the compose setup service's script (assets/deploy/setup-logins) run
#      against this cluster with throwaway logins and pgpass files: no
#      login it makes is a superuser or may create roles or databases; a
#      kiosk sells through sl_book but cannot UPDATE booking nor call a
#      supervisor's function; the API's login has no right of its own, may
#      SET ROLE to the web role and to no other, and `seatlock serve`
#      logged in as it answers a token; the notifier's login is a member of
#      seatlock_notifier (skipped with a message while that role does not
#      exist); passwords are set from each login's own file; a second run
#      is harmless; a name that is not a clerk is not taken over.
# Also shellcheck-clean (when shellcheck is installed).
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/roles.lib"

top=$(cd "$(dirname "$0")/../.." && pwd)
k1=sldk1_$$ k2=sldk2_$$ api=sldapi_$$ web=sldweb_$$ ntf=sldntf_$$
other=sldother_$$
SRV_PID=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID"
	for r in "$k1" "$k2" "$api" "$ntf" "$web" "$other"; do
		psql -X -q -c "DROP OWNED BY $r" -c "DROP ROLE IF EXISTS $r" \
		    >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- (a) the compose file ----------------------------------------------

if ! command -v docker-compose >/dev/null; then
	not_ok "docker-compose is not installed (.ci/deps.sh test)"
else
	s=$tmp/secrets
	mkdir -p "$s/sellers"
	sed -n 's|.*file: .{SEATLOCK_SECRETS:-\./secrets}/||p' \
	    "$top/docker-compose.yml" | while read -r f; do
		: >"$s/$f"
	done
	(cd "$top" && unset COMPOSE_FILE COMPOSE_PROJECT_NAME COMPOSE_PROFILES &&
	    SEATLOCK_SECRETS=$s docker-compose -f docker-compose.yml config \
	    >"$tmp/rendered.yml" 2>"$tmp/err")
	check "docker-compose renders the file" test -s "$tmp/rendered.yml"
	python3 - "$tmp/rendered.yml" "$top" >"$tmp/checks" 2>&1 <<'PY'
import re, sys, yaml

c = yaml.safe_load(open(sys.argv[1]))
top = sys.argv[2]
svc = c.get("services", {})

def check(ok, what):
    print(("ok " if ok else "FAIL ") + what)

def env(n):
    return svc[n].get("environment") or {}

def logins(n):
    e = env(n)
    out = set()
    if e.get("PGUSER"):
        out.add(e["PGUSER"])
    for k in ("SEATLOCK_DSN", "SEATLOCK_LISTEN_DSN"):
        m = re.search(r"\buser=(\S+)", e.get(k, ""))
        if m:
            out.add(m.group(1))
    return out

owner = env("db").get("POSTGRES_USER", "postgres")
for n in sorted(svc):
    if n in ("db", "migrate", "setup"):
        continue
    check(owner not in logins(n),
          "%s does not log in as the superuser %s (%s)"
          % (n, owner, " ".join(sorted(logins(n))) or "no login of its own"))
check("setup" in svc and owner in logins("setup") and
      svc["setup"].get("depends_on", {}).get("migrate", {})
      .get("condition") == "service_completed_successfully",
      "a one-shot setup service makes the logins after migrate")
kiosks = sorted(n for n in svc if n.startswith("kiosk"))
kl = [sorted(logins(n)) for n in kiosks]
check(len(kiosks) >= 2 and all(len(l) == 1 for l in kl) and
      len({l[0] for l in kl}) == len(kiosks),
      "the kiosks (%s) have a login each, all different (%s)"
      % (" ".join(kiosks), " ".join(",".join(l) for l in kl)))
for n in ("api", "notifier"):
    check(n in svc and len(logins(n)) == 1 and
          not logins(n) & {l for k in kiosks for l in logins(k)},
          "%s has a login of its own (%s)"
          % (n, " ".join(sorted(logins(n))) if n in svc else "no service"))

def secrets(n):
    return {x["source"] if isinstance(x, dict) else x
            for x in svc[n].get("secrets", [])}
holders = {}
for n in svc:
    if n == "setup":
        continue
    for x in secrets(n):
        holders.setdefault(x, set()).update(logins(n) or {"<" + n + ">"})
shared = sorted("%s (%s)" % (x, " ".join(sorted(h)))
                for x, h in holders.items() if len(h) > 1)
check(not shared, "no secret file is shared by two logins (%s)"
      % (", ".join(shared) or "none"))
check(all(re.search("pgpass|password", x) is None for x in secrets("ssh")),
      "the ssh service holds no password file (%s)"
      % " ".join(sorted(secrets("ssh"))))
cfg = open(top + "/assets/deploy/sshd_config").read()
check(not re.search(r"^AllowUsers ", cfg, re.M) and
      re.search(r"^AllowGroups \S+$", cfg, re.M),
      "sshd allows a group of sellers, not one shared account")
check("PGPASSFILE" not in cfg,
      "sshd_config names no password file shared by the sellers")
PY
	verdicts "$tmp/checks"
	check "the compose checks ran ($(wc -l <"$tmp/checks"))" \
	    test "$(wc -l <"$tmp/checks")" -ge 10
fi

# The SSH forced command, with a stub box office that prints what it got.
me=$(id -un)
cat >"$tmp/stub" <<'EOF'
#!/bin/sh
echo "args=$* dsn=$SEATLOCK_DSN passfile=${PGPASSFILE:-} pguser=${PGUSER:-}"
EOF
chmod 755 "$tmp/stub"
echo "publickey ssh-ed25519 AAAAmine" >"$tmp/auth-mine"
echo "publickey ssh-ed25519 AAAAtheirs" >"$tmp/auth-theirs"
{
	echo "# sellers"
	echo "restrict,pty ssh-ed25519 AAAAmine $me"
	echo "restrict,pty ssh-ed25519 AAAAtheirs alice"
} >"$tmp/keys"
login() {
	env SEATLOCK_BIN="$tmp/stub" SEATLOCK_CLERK_KEYS="$tmp/keys" \
	    SSH_USER_AUTH="$1" PGPASSFILE=/run/secrets/clerk_pgpass \
	    PGUSER=alice "$top/assets/deploy/ssh-login" >"$tmp/out" 2>"$tmp/err"
}
case $me in
"" | [!a-z_]* | *[!a-z0-9_]*)
	ok "ssh-login: skipped, this account's name ($me) is no login name" ;;
*)
	login "$tmp/auth-mine"
	check "ssh-login starts the box office as the account that logged in ($(cat "$tmp/out"))" \
	    grep -qx "args=tui dsn=user=$me passfile= pguser=" "$tmp/out"
	login "$tmp/auth-theirs"
	rc=$?
	check "a key that names another seller (alice) is refused (exit $rc)" \
	    test "$rc" -ne 0 -a ! -s "$tmp/out"
	check "... saying whose key it is" grep -q "belongs to alice" "$tmp/err"
	;;
esac

# ---- (b) the setup script against this cluster --------------------------

sec=$tmp/run-secrets
mkdir -p "$sec"
pw() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
for r in "$k1" "$api" "$ntf"; do
	printf 'db:5432:seatlock:%s:%s\npgbouncer:6432:seatlock:%s:x\n' \
	    "$r" "$(pw)" "$r" >"$sec/${r}_pgpass"
done
chmod 600 "$sec"/*
setup() {
	env SEATLOCK_BIN="$SL" SEATLOCK_SECRETS_DIR="$sec" \
	    SEATLOCK_KIOSKS="$k1 $k2" SEATLOCK_API_LOGIN="$api" \
	    SEATLOCK_WEB_ROLES="$web" SEATLOCK_NOTIFIER_LOGIN="$ntf" \
	    SEATLOCK_RELAY_LOGIN= SEATLOCK_POOL_AUTH_LOGIN= \
	    "$top/assets/deploy/setup-logins" >"$tmp/out" 2>"$tmp/err"
}
script=$top/assets/deploy/setup-logins
if ! [ -x "$script" ]; then
	not_ok "there is no setup script ($script)"
	done_testing
fi
setup
rc=$?
check "setup-logins runs as the owner (exit $rc)" test "$rc" -eq 0
[ "$rc" -ne 0 ] && sed 's/^/     /' "$tmp/err"

q() { psql -X -A -t -q -c "$1"; }
n=$(q "SELECT count(*) FROM pg_roles WHERE rolname IN
    ('$k1', '$k2', '$api', '$ntf', '$web') AND NOT rolsuper
    AND NOT rolcreaterole AND NOT rolcreatedb AND NOT rolbypassrls")
check "it made 5 roles, none a superuser or able to make roles ($n)" \
    test "$n" = 5
n=$(q "SELECT count(*) FROM pg_authid WHERE rolname IN ('$k1', '$api', '$ntf')
    AND rolpassword LIKE 'SCRAM-SHA-256\$%'")
check "the three logins with a pgpass file have a SCRAM password ($n)" \
    test "$n" = 3
check "the kiosk without one has none" \
    test "$(q "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = '$k2'")" = t

venue=$(new_venue 1 6)
show=$(new_show "$venue")
user=$(new_user)
check "a show and a customer" is_id "$user"
r=$(as "$k1" "SELECT count(*) FROM sl_book($show, ARRAY['A1'], $user,
    'sld-$uniq', 'kiosk1')")
check "a kiosk sells through sl_book ($r)" [ "$r" = ok ]
n=$(q "SELECT count(*) FROM booking WHERE show_id = $show AND status = 'active'")
check "... the seat is sold ($n)" [ "$n" = 1 ]
SEATLOCK_DSN="user=$k2" "$SL" book "$show" A2 --user "$user" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "the other kiosk sells with seatlock book (exit $rc)" [ "$rc" = 0 ]
r=$(as "$k1" "UPDATE booking SET status = 'cancelled' WHERE show_id = $show")
check "a kiosk cannot UPDATE booking directly ($r)" [ "$r" = 42501 ]
r=$(as "$k1" "SELECT * FROM sl_show_set_window($show, NULL, NULL)")
check "a kiosk cannot call a supervisor's function ($r: 42501 or SL403)" \
    test "$r" = 42501 -o "$r" = SL403

check "the API's login inherits nothing (NOINHERIT)" \
    test "$(q "SELECT rolinherit FROM pg_roles WHERE rolname = '$api'")" = f
r=$(as "$api" "SELECT count(*) FROM booking")
check "the API's login reads no table as itself ($r)" [ "$r" = 42501 ]
r=$(as "$api" "SELECT count(*) FROM sl_book($show, ARRAY['A3'], $user,
    'sld2-$uniq', 'api')")
check "the API's login cannot sell as itself ($r)" [ "$r" = 42501 ]
# A token's role books only for its own customers (issue 17, finding 1).
wuser=$(PGUSER=$api psql -X -q -A -t -c "SET ROLE $web; SELECT
    sl_user_add('Web $uniq', 'web-$uniq@example.org', NULL)" | tail -n 1)
check "the web role registers a customer of its own ($wuser)" is_id "$wuser"
r=$(as "$api" "SET ROLE $web; SELECT count(*) FROM sl_book($show,
    ARRAY['A3'], $wuser, 'sld3-$uniq', 'web')")
check "the API's login sells after SET ROLE to the web role ($r)" [ "$r" = ok ]
for target in "$k1" seatlock_supervisor "$(q "SELECT current_user")"; do
	r=$(as "$api" "SET ROLE $target")
	check "the API's login cannot SET ROLE $target ($r)" [ "$r" = 42501 ]
done
check "the web role is a member of seatlock_clerk and cannot log in" test \
    "$(q "SELECT NOT rolcanlogin AND pg_has_role('$web', 'seatlock_clerk',
    'MEMBER') FROM pg_roles WHERE rolname = '$web'")" = t

# seatlock serve as the API's login, a token mapped to the web role.
token=tok-$(pw)$(pw)
printf 'api = { tokens = ( { token = "%s"; role = "%s"; } ); };\n' \
    "$token" "$web" >"$tmp/api.conf"
chmod 600 "$tmp/api.conf"
SEATLOCK_DSN="user=$api" "$SL" --config "$tmp/api.conf" serve \
    --listen 127.0.0.1:0 >"$tmp/addr" 2>"$tmp/serve.log" &
SRV_PID=$!
i=0
while [ ! -s "$tmp/addr" ] && [ $i -lt 100 ] && kill -0 "$SRV_PID" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if [ -s "$tmp/addr" ]; then
	a=http://$(head -n 1 "$tmp/addr")
	st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
	    -H "Authorization: Bearer $token" "$a/shows/$show/seats")
	check "serve, logged in as the API's login, answers the token ($st)" \
	    [ "$st" = 200 ]
	# An event stream of the token's role hears a kiosk's sale, sent
	# by the notifier service's login (serve's own login may not lead).
	SEATLOCK_DSN="user=$ntf" "$SL" notifier >/dev/null 2>"$tmp/ntf.log" &
	NTF_PID=$!
	: >"$tmp/events"
	curl -s -N --max-time 4 -H "Authorization: Bearer $token" \
	    "$a/shows/$show/events" >"$tmp/events" 2>/dev/null &
	cpid=$!
	i=0
	while ! grep -q "event: open" "$tmp/events" && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	r=$(as "$k1" "SELECT count(*) FROM sl_book($show, ARRAY['A4'], $user,
	    'sld5-$uniq', 'kiosk1')")
	wait "$cpid"
	check "... and its event stream tells of a kiosk's sale ($r)" \
	    grep -q "event: seats" "$tmp/events"
	kill "$NTF_PID" 2>/dev/null
	wait "$NTF_PID"
	kill "$SRV_PID"
	wait "$SRV_PID"
else
	not_ok "serve as the API's login did not start: $(head -c 300 "$tmp/serve.log")"
fi
SRV_PID=""

if [ "$(q "SELECT count(*) FROM pg_roles WHERE rolname = 'seatlock_notifier'")" = 1 ]; then
	check "the notifier's login is a member of seatlock_notifier" test \
	    "$(q "SELECT pg_has_role('$ntf', 'seatlock_notifier', 'MEMBER')")" = t
else
	ok "skipped: no role seatlock_notifier in this database yet (migration 0017)"
fi
r=$(as "$ntf" "SELECT count(*) FROM sl_book($show, ARRAY['A5'], $user,
    'sld4-$uniq', 'x')")
check "the notifier's login cannot sell ($r)" [ "$r" = 42501 ]

setup
rc=$?
check "a second run succeeds (exit $rc)" test "$rc" -eq 0
n=$(q "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member
    WHERE r.rolname IN ('$k1', '$k2', '$api', '$ntf', '$web')")
check "... adds no membership twice ($n)" test "$n" -le 6
n=$(q "SELECT count(*) FROM pg_authid WHERE rolname IN ('$k1', '$api', '$ntf')
    AND rolpassword LIKE 'SCRAM-SHA-256\$%'")
check "... and the three logins still have their SCRAM password ($n)" \
    test "$n" = 3

sql "CREATE ROLE $other LOGIN" >/dev/null
env SEATLOCK_BIN="$SL" SEATLOCK_SECRETS_DIR="$sec" SEATLOCK_KIOSKS="$other" \
    SEATLOCK_API_LOGIN= SEATLOCK_NOTIFIER_LOGIN= SEATLOCK_RELAY_LOGIN= \
    SEATLOCK_POOL_AUTH_LOGIN= "$script" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a kiosk name that exists and is no clerk is not taken over (exit $rc)" \
    test "$rc" -eq 2
check "... and stays no clerk" test \
    "$(q "SELECT pg_has_role('$other', 'seatlock_clerk', 'MEMBER')")" = f
printf 'db:5432:seatlock:%s:pw\n' "$k2" >"$sec/${k1}_pgpass"
setup
rc=$?
check "a pgpass file whose line is another login's is refused (exit $rc)" \
    test "$rc" -eq 2

if command -v shellcheck >/dev/null; then
	for f in setup-logins ssh-login ssh-sellers; do
		check "shellcheck: assets/deploy/$f" \
		    shellcheck -s sh "$top/assets/deploy/$f"
	done
	check "shellcheck: tests/cli/deploy_logins.sh" \
	    shellcheck -s sh -x "$top/tests/cli/deploy_logins.sh"
else
	ok "skipped: shellcheck is not installed"
fi
done_testing
