#!/bin/sh
# seatlock.conf.example documents every setting: it must load as it is
# (a config error is exit 2; with no database reachable the command then
# fails to connect instead, exit 1).
set -u
bin=${SEATLOCK_BIN:-./seatlock}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp seatlock.conf.example "$tmp/seatlock.conf"
chmod 600 "$tmp/seatlock.conf"
PGHOST=/nonexistent PGCONNECT_TIMEOUT=1 "$bin" --config "$tmp/seatlock.conf" \
    shows >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc -ne 1 ] || ! grep -q 'cannot connect' "$tmp/err"; then
	echo "not ok - the example configuration is refused (exit $rc):"
	cat "$tmp/err"
	exit 1
fi
echo "ok - seatlock.conf.example loads; every key in it is known and in range"
