#!/bin/sh
# Installs the Debian packages SeatLock needs, or says how.
# Usage: .ci/deps.sh run|test|bench
#   run:   building and running (compiler, libraries, PostgreSQL server)
#   test:  the above and the test tools (cmocka, tmux, curl, wrk, jq,
#          valgrind, universal-ctags, nodejs and npm for npx, cups and
#          cups-pdf, poppler-utils, zbar-tools)
#   bench: the above and what make bench runs beside SeatLock: the seed
#          design of ../shared/anchors (python3-fastapi, python3-uvicorn,
#          python3-asyncpg); pgbench comes with postgresql-15, wrk with test
# As root it runs `apt-get update` once and `apt-get install -y
# --no-install-recommends` for what is missing; otherwise it prints the
# exact command and fails.
set -eu

what=${1:-run}
pkgs="gcc make pkg-config libc6-dev libncurses-dev libpq-dev libconfig-dev
      libmicrohttpd-dev libjansson-dev libsqlite3-dev postgresql-15 postgresql-client-15
      locales libcairo2-dev libpango1.0-dev libqrencode-dev libcups2-dev
      fonts-dejavu-core"
if [ "$what" = test ] || [ "$what" = bench ]; then
	pkgs="$pkgs libcmocka-dev tmux procps clang libclang-rt-14-dev curl wrk jq"
	# tests/tui/tui_stall.sh: a real network stall on loopback
	pkgs="$pkgs nftables python3 iproute2"
	# the deployment tests (tests/cli/deploy_*.sh, tests/tui/ssh_*.sh)
	pkgs="$pkgs docker-compose openssh-server openssh-client pgbouncer
	      man-db groff-base mandoc"
	pkgs="$pkgs valgrind"
	# tests/cli/checkin.sh, door_offline.sh: reading the door's file
	pkgs="$pkgs sqlite3"
	# tests/cli/tickets*.sh: a private cupsd with a PDF printer, the
	# printed PDF's text and QR codes
	pkgs="$pkgs cups printer-driver-cups-pdf poppler-utils zbar-tools"
	# tests/lint/structure.py: function lengths
	pkgs="$pkgs universal-ctags"
	# tests/cli/api_openapi.sh: Redocly CLI's lint, through npx
	pkgs="$pkgs nodejs"
	command -v npx >/dev/null 2>&1 || pkgs="$pkgs npm"
fi
if [ "$what" = bench ]; then
	pkgs="$pkgs python3-fastapi python3-uvicorn python3-asyncpg"
fi

missing=""
for p in $pkgs; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "seatlock: installing missing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing
else
	echo "seatlock: missing Debian packages:$missing" >&2
	echo "seatlock: install them with:" >&2
	# --no-install-recommends as above: cups would bring network daemons
	# (cups-browsed, avahi) along otherwise.
	echo "  sudo apt-get update && sudo apt-get install -y" \
	    "--no-install-recommends$missing" >&2
	exit 1
fi
