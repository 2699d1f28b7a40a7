#!/bin/sh
# A private PostgreSQL cluster for `make run` and `make test`: made with
# initdb, started with pg_ctl, reachable only on a unix socket in its own
# directory.  PostgreSQL refuses to run as root, so as root the cluster runs
# as the `postgres` user, in a directory that user can reach (not /root).
#
# Usage: .ci/pgcluster.sh start|stop|restart|destroy|env NAME
#   NAME is "run" (kept between runs) or "test" (thrown away by destroy).
# start prints the environment to use it (PGHOST, PGPORT, PGUSER,
# PGDATABASE) as shell `export` lines.
set -eu

cmd=${1:?usage: pgcluster.sh start|stop|destroy|env NAME}
name=${2:?usage: pgcluster.sh start|stop|destroy|env NAME}
top=$(cd "$(dirname "$0")/.." && pwd)
sum=$(printf '%s' "$top" | cksum | cut -d' ' -f1)
base=${SEATLOCK_PGDIR:-/var/tmp/seatlock-$(id -u)-$sum}/$name
data=$base/data
port=5432

bindir=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && bindir=$d
done
if [ -z "$bindir" ]; then
	echo "pgcluster: no PostgreSQL server found (apt-get install postgresql-15)" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	as_pg() { runuser -u postgres -- "$@"; }
else
	as_pg() { "$@"; }
fi
superuser=postgres

print_env() {
	echo "export PGHOST='$base' PGPORT=$port PGUSER=$superuser PGDATABASE=seatlock"
}

running() {
	[ -f "$data/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case "$cmd" in
start)
	if ! [ -f "$data/PG_VERSION" ]; then
		mkdir -p "$base"
		chmod 755 "$base"
		[ "$(id -u)" -eq 0 ] && chown postgres: "$base"
		as_pg "$bindir/initdb" -D "$data" -U "$superuser" -A trust \
		    -E UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 || {
			cat "$base/initdb.log" >&2
			exit 1
		}
		cat >>"$data/postgresql.conf" <<CONF
# seatlock private cluster: unix socket only
listen_addresses = ''
unix_socket_directories = '$base'
port = $port
max_connections = 300
shared_buffers = 256MB
logging_collector = off
CONF
	fi
	if ! running; then
		rm -f "$data/postmaster.pid"
		as_pg "$bindir/pg_ctl" -D "$data" -l "$base/postgres.log" -w \
		    -t 60 start >/dev/null || {
			tail -n 30 "$base/postgres.log" >&2
			exit 1
		}
	fi
	if ! "$bindir/psql" -h "$base" -p $port -U "$superuser" -d postgres \
	    -Atqc "SELECT 1 FROM pg_database WHERE datname = 'seatlock'" | grep -q 1; then
		"$bindir/createdb" -h "$base" -p $port -U "$superuser" seatlock
	fi
	print_env
	;;
stop)
	if running; then
		as_pg "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
	fi
	;;
destroy)
	if running; then
		as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null
	fi
	rm -rf "$base"
	;;
restart)
	# For fault tests: restart NAME [fast|immediate]
	mode=${3:-fast}
	as_pg "$bindir/pg_ctl" -D "$data" -m "$mode" -w -t 60 \
	    -l "$base/postgres.log" restart >/dev/null
	;;
env)
	print_env
	;;
*)
	echo "usage: pgcluster.sh start|stop|destroy|env NAME" >&2
	exit 2
	;;
esac
