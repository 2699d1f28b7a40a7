#!/bin/sh
# Printing tickets through a real CUPS (issue 16): a private cupsd, started
# here as root on a unix socket of its own (its own configuration, spool,
# logs and state under a temporary directory; no network listener), with a
# cups-pdf virtual printer whose output goes to the temporary directory
# too.  A family's tickets are printed with `seatlock ticket --print`; the
# printed PDF's text has the show, the seats and the codes, and its QR
# codes decode back to exactly the codes; each is checked in by two doors
# at the same moment (`seatlock checkin`: one admits, one finds it in),
# the second entry is refused, and an offline door exported before admits
# one again, which its sync reports as a conflict (issue 16's whole story).
#
# cups-pdf reads its configuration from /etc/cups only: cupsd runs in a
# mount namespace of its own where a copy of /etc/cups is bound over it;
# where namespaces are not allowed, a configuration named for this run's
# queue is put in /etc/cups and removed at the end.
. "$(dirname "$0")/testlib"
. "$(dirname "$0")/tickets.lib"

if [ "$(id -u)" -ne 0 ]; then
	echo "FAIL tickets_cups.sh must run as root: it starts a private cupsd" \
	    "(CI runs as root; so does \`sudo make test\`)"
	exit 1
fi
for t in cupsd lpadmin lpstat pdftotext pdftoppm zbarimg python3; do
	command -v $t >/dev/null || {
		echo "FAIL $t is missing (.ci/deps.sh test installs it)"
		exit 1
	}
done
[ -x /usr/lib/cups/backend/cups-pdf ] || {
	echo "FAIL the cups-pdf backend is missing (printer-driver-cups-pdf)"
	exit 1
}

q=sltickets$$
d=$tmp/cups
conf_etc=""
cupsd_pid=""
cleanup() {
	[ -n "$cupsd_pid" ] && kill "$cupsd_pid" 2>/dev/null && wait "$cupsd_pid" 2>/dev/null
	[ -n "$conf_etc" ] && rm -f "$conf_etc"
	rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$d/etc/ppd" "$d/spool/tmp" "$d/cache" "$d/state" "$d/log" "$d/out"
# The filters run as lp: they must reach the spool.
chmod 755 "$tmp" "$d" "$d/spool" "$d/out"
chmod 1777 "$d/spool/tmp"
sock=$d/cups.sock

cat >"$d/etc/cupsd.conf" <<EOF
Listen $sock
LogLevel warn
Browsing No
WebInterface No
DefaultAuthType None
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
cat >"$d/etc/cups-files.conf" <<EOF
ServerRoot $d/etc
RequestRoot $d/spool
TempDir $d/spool/tmp
CacheDir $d/cache
StateDir $d/state
ErrorLog $d/log/error_log
AccessLog $d/log/access_log
PageLog $d/log/page_log
ServerBin /usr/lib/cups
DataDir /usr/share/cups
SystemGroup root
EOF
pdfconf="Out $d/out
AnonDirName $d/out
Label 0
UserUMask 0022
Grp root"

# cupsd in a mount namespace with its own /etc/cups, or the queue's
# configuration in the real one.
cp -a /etc/cups "$d/etc-cups"
printf '%s\n' "$pdfconf" >"$d/etc-cups/cups-pdf-$q.conf"
if unshare -m true 2>/dev/null; then
	unshare -m sh -c "mount --bind '$d/etc-cups' /etc/cups &&
	    exec cupsd -f -c '$d/etc/cupsd.conf' -s '$d/etc/cups-files.conf'" \
	    >"$d/log/cupsd.out" 2>&1 &
	cupsd_pid=$!
	echo "# cupsd in a mount namespace of its own"
else
	conf_etc=/etc/cups/cups-pdf-$q.conf
	printf '%s\n' "$pdfconf" >"$conf_etc"
	cupsd -f -c "$d/etc/cupsd.conf" -s "$d/etc/cups-files.conf" \
	    >"$d/log/cupsd.out" 2>&1 &
	cupsd_pid=$!
	echo "# cupsd with $conf_etc (no mount namespaces here)"
fi
export CUPS_SERVER=$sock
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "a private cupsd listens on $sock" test -S "$sock"
check "and on no network port" sh -c "! grep -q '^Port\|^Listen [^/]' '$d/etc/cupsd.conf'"
lpadmin -p "$q" -v "cups-pdf:/$q" -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd -E \
    -o pdftops-renderer-default=pdftops -o PDFVer=1.4 \
    >"$tmp/lpadmin" 2>&1
check "a cups-pdf queue $q" sh -c "lpstat -p '$q' >/dev/null"

ticket_sale "Printed show $uniq"
check "a family's sale" is_id "$sale"
expect 0 "the codes, as text" ticket --sale "$sale"
sed -n 's/^Code:     //p' "$tmp/out" >"$tmp/codes.seat"
sort "$tmp/codes.seat" >"$tmp/codes"
is() {
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3: \"$1\", want \"$2\""; fi
}
is "$(wc -l <"$tmp/codes")" 4 "four codes"

# printed N: waits (up to 60 s) for the Nth PDF cups-pdf writes; prints its
# name.
printed() {
	i=0
	while [ $i -lt 600 ]; do
		f=$(ls -t "$d"/out/*.pdf 2>/dev/null | head -1)
		if [ "$(ls "$d"/out/*.pdf 2>/dev/null | wc -l)" -ge "$1" ] &&
		    [ -z "$(lpstat -o "$q" 2>/dev/null)" ]; then
			echo "$f"
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

echo "-- --print QUEUE"
expect 0 "ticket --sale --print $q" ticket --sale "$sale" --print "$q" --page 2x5.5in
stderr_has "4 tickets sent to printer $q (job" "it says where, and the job"
pdf=$(printed 1)
check "cups-pdf wrote a PDF" test -n "$pdf"
if [ -z "$pdf" ]; then
	sed 's/^/     /' "$d/log/error_log" "$d/log/cupsd.out" 2>/dev/null | tail -20
fi
pdftotext -layout "$pdf" "$tmp/p.txt" 2>/dev/null
# A title wraps on narrow ticket stock: its words, one line.
check "the printed text has the show" \
    sh -c "tr -s ' \n' '  ' <'$tmp/p.txt' | grep -q 'Printed show $uniq'"
for l in A1 A2 A3 A4; do
	check "seat $l" grep -Eq "^ *$l *\$" "$tmp/p.txt"
done
while read -r c; do
	# (after CUPS's conversions pdftotext may see a gap in a line)
	check "code $c in words" sh -c "tr -d ' ' <'$tmp/p.txt' | grep -qF '$c'"
done <"$tmp/codes"
check "marked REPRINT (the text printing came first)" grep -q REPRINT "$tmp/p.txt"
pdf_qr "$pdf" >"$tmp/qr"
check "the printed QR codes decode to exactly the codes" cmp -s "$tmp/qr" "$tmp/codes"

echo "-- the codes read back at the door: two doors at once, then offline"
# The offline door's file is made first: it knows nothing of what the
# online doors admit next, so its sync must report a conflict.
expect 0 "an offline door's export" door --export "$show" "$tmp/door.db"
n=0
while read -r c; do
	"$SL" checkin "$c" --show "$show" --door north >"$tmp/n.out" 2>&1 &
	pn=$!
	"$SL" checkin "$c" --show "$show" --door south >"$tmp/s.out" 2>&1 &
	ps=$!
	wait "$pn"; rn=$?
	wait "$ps"; rs=$?
	# One door admits it (0), the other finds it in already (3).
	if [ "$((rn + rs))" -eq 3 ] && [ "$((rn * rs))" -eq 0 ]; then
		n=$((n + 1))
	else
		not_ok "$c at two doors at once: exits $rn and $rs, want 0 and 3"
	fi
	expect 3 "the second entry of $c is refused" checkin "$c" --door north
	stderr_has "already admitted" "it says it was in already"
done <"$tmp/qr"
is "$n" 4 "each QR code's ticket admitted once by two doors at once"
is "$(sql "SELECT count(*) FROM checkin c JOIN booking b USING (booking_id)
    WHERE b.request_id = $sale")" 4 "one admission a ticket in the database"

# The offline door scans a printed code the online doors let in already.
. "$(dirname "$0")/door.lib"
first=$(sed -n 1p "$tmp/qr")
door_start xterm-256color --offline "$tmp/door.db" --door garden
door_scan "$first"
door_wait "^ ADMIT: seat A1" && ok "the offline door admits A1 (it cannot know)" ||
    not_ok "offline ADMIT"
is "$(door_quit)" 0 "the offline door closes"
run door --sync "$tmp/door.db"
is "$rc" 3 "the sync reports a conflict (exit 3)"
check "A1: admitted at two doors, and where first" grep -q \
    "at garden: admitted at two doors: seat A1 was already in at .* at" \
    "$tmp/out"
is "$(sql "SELECT count(*) || ':' || bool_or(c.offline) || ':' || min(c.door)
    FROM checkin c JOIN booking b USING (booking_id) JOIN seat s USING (seat_id)
    WHERE b.request_id = $sale AND s.label = 'A1'")" "1:false:$(sql "SELECT
    min(door) FROM scan WHERE result = 'admitted' AND booking_id = (SELECT
    b.booking_id FROM booking b JOIN seat s USING (seat_id)
    WHERE b.request_id = $sale AND s.label = 'A1')")" \
    "A1 stays admitted once, online, at the door that let it in"

echo "-- ticket.printer"
printf 'ticket = {\n\tprinter = "%s";\n};\n' "$q" >"$tmp/p.conf"
chmod 600 "$tmp/p.conf"
expect 0 "--print with no name: the configured printer" \
    --config "$tmp/p.conf" ticket --booking "$b1" --print
stderr_has "1 ticket sent to printer $q" "to ticket.printer"
pdf=$(printed 2)
check "a second PDF" test -n "$pdf"
c=$(pdf_qr "$pdf")
check "its QR code, $c, is A1's" test "$c" = "$(sed -n 1p "$tmp/codes.seat")"
expect 1 "an unknown printer" ticket --booking "$b1" --print "no-such-$q"
stderr_has "printer no-such-$q:" "it names the printer and says why"
expect 0 "cancel A4" cancel "$b4"
expect 4 "a void ticket is not printed" ticket --booking "$b4" --print "$q"
stderr_has "is void" "it says why"

done_testing
