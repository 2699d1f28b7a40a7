#!/bin/sh
# The man page assets/man/seatlock.1: it renders without a warning (groff,
# mandoc's lint when installed, man -l), and it covers what the program
# has: every command of `seatlock --help`, every setting of
# seatlock.conf.example, the environment variables, the exit codes, and the
# box office's keys as the box office guide (assets/doc/boxoffice.md) lists
# them.
. "$(dirname "$0")/testlib"

top=$(cd "$(dirname "$0")/../.." && pwd)
page=$top/assets/man/seatlock.1

groff -man -Tutf8 -ww -z "$page" >"$tmp/groff" 2>&1
check "groff -ww renders it without a warning" test ! -s "$tmp/groff"
if command -v mandoc >/dev/null; then
	mandoc -Tlint -W warning "$page" >"$tmp/lint" 2>&1
	check "mandoc -Tlint finds nothing" test ! -s "$tmp/lint"
	[ -s "$tmp/lint" ] && sed 's/^/     /' "$tmp/lint"
fi
MANWIDTH=80 man -l "$page" 2>"$tmp/manerr" | col -b >"$tmp/page"
check "man -l renders it" test -s "$tmp/page"
check "man -l says nothing on stderr" test ! -s "$tmp/manerr"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "THE BOX OFFICE" \
    CONFIGURATION ENVIRONMENT "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
	check "section $s" grep -qx "$s" "$tmp/page"
done

# section NAME: the rendered text of one section.
section() {
	awk -v s="$1" '/^[A-Z]/ { on = ($0 == s); next } on' "$tmp/page"
}

# Every command of --help: its name is the words of its usage up to the
# first argument or option.
"$SL" --help >"$tmp/help"
sed -n '/^commands:/,/^$/p' "$tmp/help" | sed '1d;/^$/d' |
    sed 's/^  //; s/  .*//' | awk '{
	n = ""
	for (i = 1; i <= NF; i++) {
		if ($i !~ /^[a-z][a-z-]*$/)
			break
		n = n (n == "" ? "" : " ") $i
	}
	print n
}' >"$tmp/cmds"
check "--help lists commands ($(wc -l <"$tmp/cmds"))" test -s "$tmp/cmds"
section COMMANDS >"$tmp/commands"
while read -r c; do
	[ -n "$c" ] || continue	# a help line continued below its usage
	check "command \"$c\" has an entry (add a .TP under COMMANDS)" \
	    grep -Eq "^       $c( |\$)" "$tmp/commands"
done <"$tmp/cmds"

# Every setting of the example configuration, as group.name.
awk '
	/^[a-z_]+ = \{/ { g = $1; next }
	/^\};/ { g = ""; next }
	g != "" && /^[ \t]+[a-z_]+ = / { sub(/^[ \t]+/, ""); print g "." $1 }
' "$top/seatlock.conf.example" >"$tmp/keys"
check "seatlock.conf.example has settings ($(wc -l <"$tmp/keys"))" \
    test -s "$tmp/keys"
section CONFIGURATION >"$tmp/config"
while read -r k; do
	check "setting $k is documented" grep -q "^       $k " "$tmp/config"
done <"$tmp/keys"

section ENVIRONMENT >"$tmp/env"
for v in SEATLOCK_DSN SEATLOCK_LISTEN_DSN SEATLOCK_CONFIG PGHOST NO_COLOR; do
	check "environment variable $v" grep -q "$v" "$tmp/env"
done
# ... and every SEATLOCK_ variable the binary reads.
strings "$SL" | grep -o '^SEATLOCK_[A-Z_]*$' | sort -u >"$tmp/vars"
while read -r v; do
	check "the binary's $v is documented" grep -q "$v" "$tmp/env"
done <"$tmp/vars"

# The exit codes --help names.
section "EXIT STATUS" >"$tmp/exit"
for code in $(grep -o '[0-9] [a-z]' "$tmp/help" | cut -c1 | sort -u); do
	check "exit status $code" grep -Eq "^       $code +[A-Z]" "$tmp/exit"
done

# The keys of the box office: those the box office guide writes as code in
# its keys tables, and the named ones.
section "THE BOX OFFICE" >"$tmp/keysec"
# (assets/doc/boxoffice.md's "### Keys" tables of the box office.)
sed -n '/^### Keys/,/^### /p' "$top/assets/doc/boxoffice.md" | grep '^|' |
    grep -o '`[^`]*`' | tr -d '`' | sort -u >"$tmp/tuikeys"
check "assets/doc/boxoffice.md lists keys ($(wc -l <"$tmp/tuikeys"))" \
    test -s "$tmp/tuikeys"
for k in $(cat "$tmp/tuikeys") Enter Space Esc Tab PgUp PgDn Home End F1 F5 \
    F8 F10 Ctrl-L Ctrl-R; do
	check "key $k" grep -Fqw -- "$k" "$tmp/keysec"
done

done_testing
