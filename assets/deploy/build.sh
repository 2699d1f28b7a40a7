#!/bin/sh
# The build steps of the seatlock image (assets/deploy/Dockerfile): Debian
# packages, make, make install into DESTDIR.  tests/cli/deploy_build.sh runs
# the same script on the development machine with a scratch DESTDIR.
# Usage: assets/deploy/build.sh DESTDIR
# $SEATLOCK_VERSION, if set, is what `seatlock --version` says (the image is
# built without .git, where the Makefile would ask git).
set -eu
cd "$(dirname "$0")/../.."
destdir=${1:?usage: build.sh DESTDIR}
case $destdir in
/*) ;;
*) echo "build.sh: DESTDIR must be an absolute path" >&2; exit 2 ;;
esac
.ci/deps.sh run
if [ -n "${SEATLOCK_VERSION:-}" ]; then
	make seatlock VERSION="$SEATLOCK_VERSION"
	make install DESTDIR="$destdir" PREFIX=/usr/local \
	    VERSION="$SEATLOCK_VERSION"
else
	make seatlock
	make install DESTDIR="$destdir" PREFIX=/usr/local
fi
