#!/bin/sh
# `make ledger`: the ledger test with faults for SECONDS (default 300) on a
# private cluster of its own, destroyed afterwards.
set -eu
cd "$(dirname "$0")/.."
trap '.ci/pgcluster.sh destroy test' EXIT INT TERM
eval "$(.ci/pgcluster.sh start test)"
./seatlock db migrate >/dev/null
SEATLOCK_LEDGER_SECONDS=${1:-300} build/release/tests/integ_ledger
