#!/bin/sh
# The seatlock image's build steps, run here as the Dockerfile runs them
# (assets/deploy/build.sh into a scratch DESTDIR), and what they install:
#  - the tree under /usr/local: the binary (it runs, --version agrees with
#    the build), the man page (renders), the documentation;
#  - every shared library the installed binary links comes from a Debian
#    package that the runtime stage of the Dockerfile installs;
#  - every package the Dockerfiles name exists in Debian (when apt's lists
#    are there to ask);
#  - make install honours PREFIX and DESTDIR, and uninstall removes it all.
. "$(dirname "$0")/testlib"

top=$(cd "$(dirname "$0")/../.." && pwd)
dest=$tmp/dest
# As in the image: none of the variables a make test-asan run (V=asan)
# or a parent make passes down; make install below runs the same way, so
# it installs the release build and never relinks the sanitizer's objects.
clean_env() {
	env -u V -u CFLAGS -u LDFLAGS -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$@"
}
clean_env "$top/assets/deploy/build.sh" "$dest" >"$tmp/build.log" 2>&1
rc=$?
check "assets/deploy/build.sh DESTDIR succeeds (exit $rc)" test "$rc" -eq 0
[ "$rc" -ne 0 ] && tail -n 20 "$tmp/build.log" | sed 's/^/     /'

bin=$dest/usr/local/bin/seatlock
(cd "$dest" && find . \( -type f -o -type l \) | sort) >"$tmp/tree"
# The documentation: README.md, the example configuration and the
# reference of assets/doc/.
(cd "$top" && printf '%s\n' ./usr/local/bin/seatlock \
    ./usr/local/share/doc/seatlock/README.md \
    ./usr/local/share/doc/seatlock/seatlock.conf.example \
    ./usr/local/share/man/man1/seatlock.1 &&
    for f in assets/doc/*.md; do
	echo "./usr/local/share/doc/seatlock/${f#assets/doc/}"
    done) | sort >"$tmp/want"
check "it installed the binary, the man page and the documentation" \
    test "$(tr '\n' ' ' <"$tmp/tree")" = "$(tr '\n' ' ' <"$tmp/want")"
check "the binary is executable by all, writable by its owner only" \
    test "$(stat -c %a "$bin")" = 755
check "the man page and documents are 0644" test "$(stat -c %a \
    "$dest/usr/local/share/man/man1/seatlock.1" \
    "$dest/usr/local/share/doc/seatlock/"*.md | sort -u)" = 644
v=$("$bin" --version)
check "the installed binary runs: $v" test -n "$v"
check "its version is the build's ($("$top/seatlock" --version))" \
    test "$v" = "$("$top/seatlock" --version)"
case $v in
"seatlock "?*) ok "--version says \"seatlock VERSION\"" ;;
*) not_ok "--version says \"$v\"" ;;
esac
"$bin" --help >"$tmp/help"
check "the installed binary prints its help" grep -q "^commands:" "$tmp/help"
MANWIDTH=80 man -l "$dest/usr/local/share/man/man1/seatlock.1" 2>&1 |
    col -b >"$tmp/man"
check "the installed man page renders" grep -q "^SEATLOCK(1)" "$tmp/man"

# The runtime stage's packages: the apt-get install of the last FROM.
runtime_pkgs() {
	awk '/^FROM /{ s = "" } { s = s "\n" $0 } END { print s }' "$1" |
	    sed -n '/apt-get install/,/apt\/lists/p' | tr ' \\' '\n\n' |
	    grep -E '^[a-z0-9][a-z0-9.+-]+$' |
	    grep -Ev '^(apt-get|install|rm|update|apt)$' | sort -u
}
runtime_pkgs "$top/assets/deploy/Dockerfile" >"$tmp/pkgs"
check "the Dockerfile's runtime stage installs packages ($(tr '\n' ' ' <"$tmp/pkgs"))" \
    test -s "$tmp/pkgs"

# Each library the binary needs (DT_NEEDED), resolved as the loader does,
# and the package that ships it here.
objdump -p "$bin" | awk '$1 == "NEEDED" { print $2 }' >"$tmp/needed"
check "the binary links shared libraries ($(tr '\n' ' ' <"$tmp/needed"))" \
    test -s "$tmp/needed"
ldd "$bin" >"$tmp/ldd"
check "ldd resolves every library" sh -c '! grep -q "not found" "$1"' sh \
    "$tmp/ldd"
while read -r lib; do
	path=$(awk -v l="$lib" '$1 == l && $2 == "=>" { print $3 }' "$tmp/ldd")
	real=$(readlink -f "$path")
	pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null ||
	    dpkg -S "$(echo "$path" | sed 's|^/usr/lib/|/lib/|')" 2>/dev/null)
	pkg=$(echo "$pkg" | head -n 1 | cut -d: -f1)
	if [ -z "$pkg" ]; then
		not_ok "$lib ($path) belongs to no Debian package"
	else
		check "$lib comes from $pkg, which the image installs" \
		    grep -qx "$pkg" "$tmp/pkgs"
	fi
done <"$tmp/needed"

# The package names exist in Debian 12 (apt's lists are there after any
# apt-get update; without them this cannot be asked offline).
if [ -n "$(ls /var/lib/apt/lists/ 2>/dev/null | grep _Packages)" ]; then
	runtime_pkgs "$top/assets/deploy/Dockerfile.pgbouncer" >>"$tmp/pkgs"
	# one apt-cache for all: it reads its lists each time
	# shellcheck disable=SC2046
	apt-cache show --no-all-versions $(sort -u "$tmp/pkgs") 2>/dev/null |
	    sed -n 's/^Package: //p' >"$tmp/known"
	for p in $(sort -u "$tmp/pkgs"); do
		check "Debian has the package $p" grep -qx "$p" "$tmp/known"
	done
else
	echo "skip Debian package names: no apt lists (run apt-get update)"
fi

# make install with another PREFIX and DESTDIR, and uninstall.
clean_env make -s -C "$top" install PREFIX=/opt/sl DESTDIR="$tmp/d2" \
    >"$tmp/inst.log" 2>&1
check "make install PREFIX=/opt/sl DESTDIR=... puts the binary there" \
    test -x "$tmp/d2/opt/sl/bin/seatlock"
check "... and the man page" test -f "$tmp/d2/opt/sl/share/man/man1/seatlock.1"
check "... and nothing outside PREFIX" test "$(ls "$tmp/d2")" = opt
clean_env make -s -C "$top" uninstall PREFIX=/opt/sl DESTDIR="$tmp/d2" \
    >"$tmp/inst.log" 2>&1
check "make uninstall removes every file" test -z "$(find "$tmp/d2" -type f)"

done_testing
