#!/bin/sh
# upgrade.sh - a database made and used by the last release before the
# baseline (2c3ff29, whose sql/0001-0010 sql/migrations/0001_baseline.sql
# replaced) is upgraded by this seatlock: `db migrate` keeps every row,
# re-applies none of the old migrations (the baseline is recognised), and
# booking works afterwards; the upgraded schema (functions, tables,
# indexes, grants) is the one of a database made fresh by this seatlock.
#
# Builds the old release from git (the clone needs its history) in a
# temporary folder, or takes SEATLOCK_OLD_BIN when set; makes two
# databases in the test cluster and drops them again.
. "$(dirname "$0")/testlib"

top=$(cd "$(dirname "$0")/../.." && pwd)
old_rev=2c3ff29
upgraded=upgrade_$$
fresh=upgrade_fresh_$$

cleanup() {
	for d in "$upgraded" "$fresh"; do
		PGDATABASE=postgres dropdb --if-exists --force "$d" \
		    >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

# ---- the old release -------------------------------------------------------
old=${SEATLOCK_OLD_BIN:-}
if [ -z "$old" ]; then
	if ! git -C "$top" cat-file -e "$old_rev^{commit}" 2>/dev/null; then
		not_ok "commit $old_rev (the release before the baseline) is not \
in the git history of $top: the upgrade test needs a clone with its \
history (git fetch --unshallow)"
		done_testing
	fi
	mkdir "$tmp/old"
	git -C "$top" archive "$old_rev" | tar -x -C "$tmp/old"
	# A release build, whatever make or build variant runs this test.
	if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u V -u CFLAGS -u LDFLAGS \
	    make -C "$tmp/old" -j2 seatlock >"$tmp/build.log" 2>&1; then
		ok "built seatlock $old_rev"
	else
		tail -n 20 "$tmp/build.log"
		not_ok "could not build seatlock $old_rev"
		done_testing
	fi
	old=$tmp/old/seatlock
fi

# old ARGS...: runs the old seatlock on the database to upgrade.
old() {
	PGDATABASE=$upgraded "$old" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# new ARGS...: runs this seatlock on the database to upgrade.
new() {
	PGDATABASE=$upgraded "$SL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# is CODE DESCRIPTION: the last old or new run exited with CODE.
is() {
	if [ "$rc" -eq "$1" ]; then
		ok "$2 (exit $rc)"
	else
		not_ok "$2: exit $rc, want $1"
	fi
}

# usql QUERY: one value from the database to upgrade.
usql() {
	psql -d "$upgraded" -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"
}

# tables: the tables of the database to upgrade but the bookkeeping of
# migrations.
tables() {
	usql "SELECT tablename FROM pg_tables WHERE schemaname = 'public'
	    AND tablename NOT LIKE 'schema\_%' ORDER BY 1"
}

# rows [TABLE...]: every table (or those named) of the database to
# upgrade, with its number of rows and a digest of its contents.
rows() {
	for t in ${*:-$(tables)}; do
		# The columns the table had at the first call (the old
		# release's): a later migration may add columns (0013: the
		# shows' on-sale window), and the rows are kept all the same.
		[ -f "$tmp/cols.$t" ] || usql "SELECT string_agg(
		    quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
		    WHERE attrelid = 'public.$t'::regclass AND attnum > 0
		    AND NOT attisdropped" >"$tmp/cols.$t"
		usql "SELECT '$t ' || count(*) || ' ' ||
		    md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))
		    FROM (SELECT $(cat "$tmp/cols.$t") FROM $t) t"
	done
}

# schema DATABASE: its schema as pg_dump writes it (without the random
# \restrict key of newer pg_dumps).
schema() {
	pg_dump --schema-only "$1" | grep -v '^\\\(un\)\{0,1\}restrict '
}

# ---- a database of the old release, in use ---------------------------------
createdb "$upgraded" || { not_ok "createdb $upgraded"; done_testing; }
old db migrate
is 0 "old: db migrate"
check "old: applied 0001 to 0010" \
    test "$(tr '\n' ' ' <"$tmp/out")" = \
    "0001 0002 0003 0004 0005 0006 0007 0008 0009 0010 "
old db demo
is 0 "old: db demo"
show=$(usql "SELECT min(show_id) FROM show")
later=$(usql "SELECT max(show_id) FROM show")
old user register --name "Upgrade Customer" --email "upgrade-$uniq@example.com"
is 0 "old: user register"
user=$(cat "$tmp/out")
old zone set "$show" A --price 40 --rank 1
is 0 "old: zone set"
old zone assign "$show" A C1 C2 C3 C4 C5 C6
is 0 "old: zone assign"
old book "$show" A1 A2 --user "$user" --key "upgrade-a-$uniq"
is 0 "old: book two seats with a key"
old book "$show" --best 2 --zone A --user "$user"
is 0 "old: book --best in a zone"
old book "$show" B1 --user "$user"
is 0 "old: book one seat"
gone=$(cat "$tmp/out")
old cancel "$gone"
is 0 "old: cancel it"
old hold "$show" D1 D2 --seconds 600
is 0 "old: hold"
old hold "$show" E1 --reason "house seat"
is 0 "old: block"
old hold "$later" F1 F2 --seconds 600
is 0 "old: hold to sell"
old book "$later" --hold "$(cat "$tmp/out")" --user "$user"
is 0 "old: book the hold"
before_tables=$(tables)
before_rows=$(rows)
before_chain=$(usql "SELECT string_agg(version || name || checksum, ' '
    ORDER BY version) FROM schema_migration")

# ---- the upgrade -------------------------------------------------------------
new db migrate
is 0 "new: db migrate upgrades"
check "new: none of 0001 to 0010 applied again" \
    test -z "$(grep -E '^00(0[1-9]|10)$' "$tmp/out")"
check "new: every row kept" test "$(rows $before_tables)" = "$before_rows"
# The tables that later migrations add (price_type...) start empty, but
# for setting, which holds the venue's defaults (0014), ticket_key, which
# holds the ticket codes' key (0015), and notifier_lease, the notifier's one
# lease row (0017).
added=$(tables | grep -vxF "$before_tables" | grep -vx setting |
    grep -vx ticket_key | grep -vx notifier_lease)
check "new: the tables it adds ($(echo $added)) are empty" \
    test -z "$(if [ -n "$added" ]; then rows $added; fi | grep -v ' 0 ')"
check "new: one ticket key, of 64-byte pads" test "$(usql "SELECT count(*)
    || ':' || min(length(ipad)) || ':' || min(length(opad)) FROM ticket_key")" \
    = "1:64:64"
check "new: setting holds the defaults" test "$(usql "SELECT string_agg(
    name || '=' || value, ' ' ORDER BY name) FROM setting")" = \
    "idle_tx_limit_s=10 refund_limit_cents=10000"
check "new: one notifier lease, held by nobody" test "$(usql "SELECT
    count(*) || ':' || count(pid) FROM notifier_lease")" = "1:0"
check "new: the old chain's bookkeeping kept" \
    test "$(usql "SELECT string_agg(version || name || checksum, ' '
    ORDER BY version) FROM schema_migration WHERE version <= 10")" = \
    "$before_chain"
new db migrate
is 0 "new: db migrate again"
check "new: nothing applied the second time" test ! -s "$tmp/out"

# ---- booking after the upgrade -------------------------------------------------
new book "$show" G5 --user "$user"
is 0 "new: book a seat"
booked=$(cat "$tmp/out")
new book "$show" G5 --user "$user"
is 3 "new: the seat is taken"
new cancel "$booked"
is 0 "new: cancel it"
new cancel "$booked"
is 4 "new: cancel it again: not active"
new book "$show" A1 --user "$user"
is 3 "new: a seat booked before the upgrade is taken"
new book "$show" A1 A2 --user "$user" --key "upgrade-a-$uniq"
is 0 "new: the request key of a booking before the upgrade"
check "new: it answers the first booking" \
    test "$(tr '\n' ' ' <"$tmp/out")" = "$(usql "SELECT string_agg(
    b.booking_id::text, ' ' ORDER BY b.seat_id) || ' ' FROM booking b JOIN
    booking_request r USING (request_id) WHERE r.request_key =
    'upgrade-a-$uniq'")"
new book "$show" H1 --user "$user" --key "upgrade-a-$uniq"
is 2 "new: the key for other seats"
new book "$show" --best 3 --user "$user"
is 0 "new: book --best"

# ---- the schema is a fresh database's ----------------------------------------
createdb "$fresh" || { not_ok "createdb $fresh"; done_testing; }
PGDATABASE=$fresh "$SL" db migrate >"$tmp/out" 2>"$tmp/err"
rc=$?
is 0 "new: db migrate of a fresh database"
schema "$upgraded" >"$tmp/upgraded.sql"
schema "$fresh" >"$tmp/fresh.sql"
if diff -u "$tmp/fresh.sql" "$tmp/upgraded.sql" >"$tmp/schema.diff"; then
	ok "the upgraded schema is a fresh database's"
else
	head -n 60 "$tmp/schema.diff"
	not_ok "the upgraded schema differs from a fresh database's"
fi
check "the schema has the functions" \
    grep -q 'CREATE FUNCTION public.sl_book(' "$tmp/fresh.sql"

done_testing
