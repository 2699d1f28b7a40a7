#!/bin/sh
# The build steps of the seatlock image (assets/deploy/Dockerfile): Debian
# packages, make, make install into DESTDIR.  tests run the same script on
# the development machine with a scratch DESTDIR.
# Usage: assets/deploy/build.sh DESTDIR
set -eu
cd "$(dirname "$0")/../.."
destdir=${1:?usage: build.sh DESTDIR}
.ci/deps.sh run
make seatlock
make install DESTDIR="$destdir" PREFIX=/usr/local
