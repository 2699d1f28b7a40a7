#!/bin/sh
# `make run`: uses the configured database if there is one ($SEATLOCK_DSN,
# $SEATLOCK_CONFIG or ./seatlock.conf), else a private PostgreSQL cluster
# kept between runs; migrates, loads the demo and opens the box office.
set -eu
cd "$(dirname "$0")/.."

if [ -n "${SEATLOCK_DSN:-}" ] || [ -n "${SEATLOCK_CONFIG:-}" ] ||
    [ -f seatlock.conf ]; then
	echo "seatlock: using the configured database" >&2
else
	envs=$(.ci/pgcluster.sh start run)
	eval "$envs"
	echo "seatlock: using the private cluster at $PGHOST" \
	    "(stop it with: make db-down)" >&2
fi
./seatlock db migrate
./seatlock db demo
exec ./seatlock "$@"
