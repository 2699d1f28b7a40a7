#!/bin/sh
# docker-compose.yml and the Dockerfiles, without a Docker engine:
#  - Debian's docker-compose (1.29) accepts the committed file, with
#    throwaway secret files made here ($SEATLOCK_SECRETS) and with the
#    default ./secrets;
#  - from its rendered form: the services db, migrate, setup, kiosk1..3,
#    ssh, api, notifier, pgbouncer and relay (issue 19: its checks are
#    tests/cli/deploy_relay.sh's); only ssh and api publish ports; one private bridge network;
#    the start order; who connects where (LISTEN never through the
#    transaction pool); every /run/secrets path that a service, the sshd
#    configuration or the PgBouncer configuration uses is a secret of that
#    service, and no secret is unused;
#  - no secret or password value in the compose file, the Dockerfiles or
#    the rendered configuration; secrets stay out of the build context;
#  - the paths and accounts the files name agree with each other.
. "$(dirname "$0")/testlib"

top=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v docker-compose >/dev/null; then
	not_ok "docker-compose is not installed (.ci/deps.sh test)"
	done_testing
fi
# Nothing of the caller's compose settings, no .env of anybody's.
unset COMPOSE_FILE COMPOSE_PROJECT_NAME COMPOSE_PROFILES DOCKER_HOST \
    SEATLOCK_SECRETS
check "no .env file beside the compose file" test ! -e "$top/.env"

# Throwaway secrets with values that must never show up anywhere.
s=$tmp/secrets
mkdir "$s"
rnd() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
dbpw=$(rnd) clerkpw=$(rnd) token=$(rnd)$(rnd)
printf '%s\n' "$dbpw" >"$s/db_password"
printf 'db:5432:seatlock:seatlock:%s\n' "$dbpw" >"$s/pgpass"
for l in kiosk1 kiosk2 kiosk3 api notifier; do
	printf 'db:5432:seatlock:%s:%s\n' "$l" "$clerkpw" >"$s/${l}_pgpass"
done
mkdir "$s/sellers"
printf 'db:5432:seatlock:alice:%s\n' "$clerkpw" >"$s/sellers/alice"
printf 'api = { tokens = ( { token = "%s"; role = "seatlock_web"; } ); };\n' \
    "$token" >"$s/api.conf"
printf '"seatlock" "SCRAM-SHA-256$4096:%s"\n' "$(rnd)" >"$s/pgbouncer_userlist"
ssh-keygen -q -t ed25519 -N '' -C host -f "$s/ssh_host_ed25519_key" ||
    not_ok "ssh-keygen"
printf '%s alice\n' "$(cut -d' ' -f1,2 "$s/ssh_host_ed25519_key.pub")" \
    >"$s/clerk_keys"
keyline=$(sed -n 2p "$s/ssh_host_ed25519_key")

cd "$top" || exit 1
SEATLOCK_SECRETS=$s docker-compose -f docker-compose.yml config -q \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "docker-compose config -q accepts the file (exit $rc)" test "$rc" -eq 0
[ "$rc" -ne 0 ] && sed 's/^/     /' "$tmp/err"
SEATLOCK_SECRETS=$s docker-compose -f docker-compose.yml config \
    >"$tmp/rendered.yml" 2>"$tmp/err"
check "docker-compose config renders it" test -s "$tmp/rendered.yml"
docker-compose -f docker-compose.yml config >"$tmp/default.yml" 2>"$tmp/err"
check "without \$SEATLOCK_SECRETS the secrets are in ./secrets" \
    grep -q "file: $top/secrets/db_password" "$tmp/default.yml"
check "SEATLOCK_SECRETS moves them" \
    grep -q "file: $s/db_password" "$tmp/rendered.yml"

# The rest is read from the rendered file (YAML; python3-yaml comes with
# docker-compose).  One line per check: "ok WHAT" or "FAIL WHAT".
python3 - "$tmp/rendered.yml" "$top" "$s" >"$tmp/checks" 2>&1 <<'PY'
import os, re, sys, yaml

rendered, top, sdir = sys.argv[1:4]
c = yaml.safe_load(open(rendered))
svc = c.get("services", {})

def check(ok, what):
    print(("ok " if ok else "FAIL ") + what)

# (kiosk became kiosk1..3, each its own login; setup makes the logins and
# notifier runs batched push as its own login: tests/cli/deploy_logins.sh)
kiosks = ["kiosk1", "kiosk2", "kiosk3"]
check(set(svc) == {"db", "migrate", "setup", "ssh", "api", "notifier",
                   "pgbouncer", "relay"} | set(kiosks),
      "the services are db, migrate, setup, kiosk1..3, ssh, api, notifier, "
      "pgbouncer, relay (%s)" % " ".join(sorted(svc)))
published = sorted(n for n, v in svc.items() if v.get("ports"))
check(published == ["api", "ssh"], "only ssh and api publish ports (%s)"
      % " ".join(published))
def targets(n):
    return sorted(int(p["target"]) if isinstance(p, dict) else
                  int(str(p).split(":")[-1]) for p in svc[n].get("ports", []))
check(targets("ssh") == [2222] and targets("api") == [8080],
      "ssh publishes 2222, api 8080")
nets = c.get("networks", {})
check(list(nets) == ["boxoffice"] and
      nets["boxoffice"].get("driver") == "bridge" and
      not nets["boxoffice"].get("external"),
      "one network, boxoffice, a bridge of this project")
for n, v in sorted(svc.items()):
    check(list(v.get("networks", {})) == ["boxoffice"] and
          "network_mode" not in v, "%s is on boxoffice only" % n)
    check(not v.get("privileged") and not v.get("cap_add") and
          "pid" not in v and "ipc" not in v,
          "%s has no privileges, host pid or ipc" % n)
    check(not any(str(vol).startswith("/var/run/docker")
                  for vol in v.get("volumes", [])),
          "%s does not mount the Docker socket" % n)

def dep(n, on, cond):
    return svc[n].get("depends_on", {}).get(on, {}).get("condition") == cond
check("healthcheck" in svc["db"], "db has a health check")
check(dep("migrate", "db", "service_healthy"), "migrate waits for a healthy db")
check(dep("pgbouncer", "db", "service_healthy"),
      "pgbouncer waits for a healthy db")
check(dep("setup", "migrate", "service_completed_successfully") and
      svc["setup"].get("restart") == "no",
      "setup runs once, after the migration")
for n in kiosks + ["api", "ssh", "notifier"]:
    check(dep(n, "setup", "service_completed_successfully"),
          "%s waits for the migration and the logins" % n)
check(svc["migrate"].get("command") == ["db", "migrate"] and
      svc["migrate"].get("restart") == "no", "migrate runs db migrate once")
for n in kiosks:
    check(svc[n].get("tty") and svc[n].get("stdin_open") and
          svc[n].get("profiles") == ["kiosk"],
          "%s has a terminal and starts only with `run`" % n)
check(svc["api"].get("command", [None])[0] == "serve", "api runs serve")
check(svc["notifier"].get("command") == ["notifier"], "notifier runs notifier")
ep = svc["ssh"].get("entrypoint", [""])
check(svc["ssh"].get("user") == "root" and
      ep[0] == "/usr/local/lib/seatlock/ssh-sellers" and
      ep[1:2] == ["/usr/sbin/sshd"],
      "ssh runs sshd as root, after making the sellers' accounts "
      "(sessions run as the seller)")

for n, v in sorted(svc.items()):
    b = v.get("build")
    if b is None:
        continue
    check(os.path.realpath(b["context"]) == os.path.realpath(top) and
          os.path.isfile(os.path.join(top, b["dockerfile"])),
          "%s builds from the repository with %s" % (n, b["dockerfile"]))

# Who connects where.
def env(n):
    return svc[n].get("environment", {})
for n in kiosks:
    check("host=pgbouncer" in env(n).get("SEATLOCK_DSN", "") and
          "host=db" in env(n).get("SEATLOCK_LISTEN_DSN", ""),
          "%s books through pgbouncer and listens directly" % n)
for n in ["api"] + kiosks:
    check("pgbouncer" not in env(n).get("SEATLOCK_LISTEN_DSN", "pgbouncer"),
          "%s's listener does not go through the transaction pool" % n)
check("pgbouncer" not in env("api").get("SEATLOCK_DSN", ""),
      "api connects directly (its token roles are session state)")
for n in ("migrate", "setup"):
    check("SEATLOCK_DSN" not in env(n) and env(n).get("PGHOST") == "db",
          "%s connects directly (its advisory lock is session state)" % n)

# Secrets: all from files in the secrets directory, all used, and every
# /run/secrets/NAME a service names is one of its own.
secrets = c.get("secrets", {})
check(all(os.path.dirname(v.get("file", "")) == sdir
          for v in secrets.values()) and secrets,
      "every secret is a file in the secrets directory (%d)" % len(secrets))
used = set()
def names(n):
    return {s["source"] if isinstance(s, dict) else s
            for s in svc[n].get("secrets", [])}
for n in svc:
    used |= names(n)
check(used == set(secrets), "every secret is used (unused: %s)"
      % " ".join(sorted(set(secrets) - used)))
def refs(text):
    return set(re.findall(r"/run/secrets/([A-Za-z0-9_.-]+)", text))
for n in sorted(svc):
    missing = refs(" ".join(str(x) for x in env(n).values())) - names(n)
    check(not missing, "%s has the secrets its environment names (%s)"
          % (n, " ".join(sorted(missing)) or "all"))
for n, f in (("ssh", "assets/deploy/sshd_config"),
             ("ssh", "assets/deploy/ssh-login"),
             ("pgbouncer", "assets/deploy/pgbouncer.ini")):
    missing = refs(open(os.path.join(top, f)).read()) - names(n)
    check(not missing, "%s has the secrets %s names (%s)"
          % (n, f, " ".join(sorted(missing)) or "all"))

# No password in the environment, only files.
for n, v in sorted(svc.items()):
    bad = [k for k in env(n) if re.search("PASSW|SECRET|TOKEN", k)
           and not k.endswith("_FILE")]
    check(not bad, "%s has no password variable (%s)"
          % (n, " ".join(bad) or "only *_FILE"))
PY
verdicts "$tmp/checks"
check "the compose checks ran ($(wc -l <"$tmp/checks"))" \
    test "$(wc -l <"$tmp/checks")" -gt 40

# No secret value anywhere it could leak from.
for f in "$tmp/rendered.yml" docker-compose.yml assets/deploy/Dockerfile \
    assets/deploy/Dockerfile.pgbouncer assets/deploy/sshd_config \
    assets/deploy/pgbouncer.ini assets/deploy/ssh-login \
    assets/deploy/ssh-sellers assets/deploy/setup-logins; do
	check "no throwaway secret value in $(basename "$f")" sh -c '
	    f=$1; shift
	    for v in "$@"; do grep -qF -- "$v" "$f" && exit 1; done
	    exit 0' sh "$f" "$dbpw" "$clerkpw" "$token" "$keyline"
done
for f in docker-compose.yml assets/deploy/Dockerfile \
    assets/deploy/Dockerfile.pgbouncer assets/deploy/pgbouncer.ini \
    assets/deploy/sshd_config; do
	check "no private key in $f" sh -c '! grep -q "PRIVATE KEY" "$1"' sh "$f"
	# (a password= in a connection string, PGPASSWORD, a literal after
	# POSTGRES_PASSWORD: only *_FILE and secret files are allowed)
	check "no password value in $f" sh -c '! grep -Eiq \
	    "password[[:space:]]*=|PGPASSWORD|POSTGRES_PASSWORD[[:space:]]*[:=]" \
	    "$1"' sh "$f"
done
for f in assets/deploy/Dockerfile assets/deploy/Dockerfile.pgbouncer; do
	check "$f has no ARG or ENV of a password or token" sh -c '! grep -Ei \
	    "^(ARG|ENV) .*(PASSW|SECRET|TOKEN|KEY)" "$1"' sh "$f"
	check "$f copies nothing from secrets/" sh -c '! grep -Eiq \
	    "^(COPY|ADD) .*secrets" "$1"' sh "$f"
done
check ".dockerignore keeps secrets/ out of the build context" \
    grep -qx "secrets" .dockerignore
check ".dockerignore keeps .git and build/ out" sh -c \
    'grep -qx .git .dockerignore && grep -qx build .dockerignore'
check "the image deletes the host keys its openssh-server package made" \
    grep -q "rm -f /etc/ssh/ssh_host_\*" assets/deploy/Dockerfile

# The files name the same paths and accounts.
df=assets/deploy/Dockerfile
fc=$(sed -n 's/^ForceCommand //p' assets/deploy/sshd_config)
check "ForceCommand ($fc) is where the image puts ssh-login" \
    grep -q "^COPY assets/deploy/ssh-login $fc\$" "$df"
sf=$(sed -n 's/.*"-f", "\([^"]*\)".*/\1/p' docker-compose.yml)
check "sshd reads the sshd_config the image holds ($sf)" \
    grep -q "^COPY assets/deploy/sshd_config $sf\$" "$df"
ag=$(sed -n 's/^AllowGroups //p' assets/deploy/sshd_config)
check "the image makes the group sshd allows ($ag)" \
    grep -q "groupadd .*$ag" "$df"
check "ssh-sellers puts each seller in it, with an account not locked" sh -c \
    'grep -q "useradd .*--gid $1 --shell /bin/sh" "$2" &&
    grep -q "usermod -p .\*. " "$2"' sh "$ag" assets/deploy/ssh-sellers
for f in ssh-sellers setup-logins; do
	check "the image installs $f where compose runs it" sh -c \
	    'grep -q "^COPY assets/deploy/$1 /usr/local/lib/seatlock/$1\$" "$2" &&
	    grep -q "\"/usr/local/lib/seatlock/$1\"" docker-compose.yml' \
	    sh "$f" "$df"
done
bin=$(sed -n 's/.*SEATLOCK_BIN=\([^ ]*\).*/\1/p' assets/deploy/sshd_config)
check "sshd's SEATLOCK_BIN ($bin) is the image's entry point" \
    grep -q "ENTRYPOINT \[\"$bin\"\]" "$df"
check "build.sh installs under /usr/local, where the image runs it" \
    grep -q "PREFIX=/usr/local" assets/deploy/build.sh
check "the PgBouncer image runs its ini" sh -c \
    'grep -q "^COPY assets/deploy/pgbouncer.ini /etc/pgbouncer/pgbouncer.ini" "$1" &&
    grep -q "/etc/pgbouncer/pgbouncer.ini\"\]" "$1"' sh \
    assets/deploy/Dockerfile.pgbouncer
check "the kiosk's pgbouncer DSN names the port PgBouncer listens on" sh -c \
    'p=$(sed -n "s/^listen_port = //p" assets/deploy/pgbouncer.ini);
    grep -q "host=pgbouncer port=$p " docker-compose.yml' sh

done_testing
