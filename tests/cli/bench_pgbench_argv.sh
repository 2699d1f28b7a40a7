#!/bin/sh
# Issue 17, finding 18: `bench --compare-pgbench` put the DSN, password
# included, on pgbench's command line, where anyone on the machine sees it
# (ps).  Now pgbench gets the DSN without its password on the command line
# and the password in its environment (PGPASSWORD).  A fake pgbench records
# what it was given.
. "$(dirname "$0")/testlib"

secret="s3cret-$$-pw"
fake="$tmp/pgbench"
cat >"$fake" <<FAKE
#!/bin/sh
printf '%s\n' "\$@" >"$tmp/argv"
printf '%s\n' "\${PGPASSWORD-}" >"$tmp/pgpassword"
echo "fake pgbench: no run" >&2
exit 1
FAKE
chmod 755 "$fake"

# The test cluster trusts local logins: the password is carried, not checked.
dsn="host=${PGHOST:-/var/run/postgresql} port=${PGPORT:-5432} dbname=${PGDATABASE:-seatlock} user=${PGUSER:-postgres} password=$secret"
SEATLOCK_DSN=$dsn "$SL" bench --scenario spread --count 50 --clients 2 \
    --compare-pgbench --pgbench "$fake" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "the fake pgbench ran (bench exit $rc)" [ -s "$tmp/argv" ]
check "the password is not in pgbench's arguments" \
    sh -c "! grep -qF -- '$secret' '$tmp/argv'"
check "the DSN's other parts are (dbname)" grep -q "dbname=" "$tmp/argv"
check "the password is in pgbench's environment (PGPASSWORD)" \
    grep -qxF -- "$secret" "$tmp/pgpassword"

# A URI DSN, the same.
SEATLOCK_DSN="postgresql://${PGUSER:-postgres}:$secret@/${PGDATABASE:-seatlock}?host=${PGHOST:-/var/run/postgresql}&port=${PGPORT:-5432}" \
    "$SL" bench --scenario spread --count 50 --clients 2 \
    --compare-pgbench --pgbench "$fake" >"$tmp/out" 2>"$tmp/err"
check "URI: the password is not in pgbench's arguments" \
    sh -c "! grep -qF -- '$secret' '$tmp/argv'"
check "URI: the password is in PGPASSWORD" \
    grep -qxF -- "$secret" "$tmp/pgpassword"
done_testing
