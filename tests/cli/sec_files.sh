#!/bin/sh
# Issue 17, finding 9: configuration from an untrusted place.  Run as root
# in another user's directory, seatlock read that user's ./seatlock.conf
# (it chose the database) and appended to whatever log.file pointed at
# through a symbolic link.  Now a configuration file owned by neither the
# user running seatlock nor root is refused whole (exit 2, the file and its
# owner named), and the log is opened with O_NOFOLLOW.
. "$(dirname "$0")/testlib"

if [ "$(id -u)" -ne 0 ]; then
	echo "ok - skipped: needs root to chown a file to another user"
	exit 0
fi
other=$(id -u nobody 2>/dev/null || echo 65534)
dir="$tmp/otherdir"
mkdir "$dir"
chmod 755 "$dir"

# The other user's file names a database that does not exist: if any of
# it were used the error would name it.
cat >"$dir/seatlock.conf" <<CONF
database = { dsn = "dbname=chosen_by_nobody connect_timeout=1"; };
CONF
chmod 644 "$dir/seatlock.conf"
chown "$other" "$dir/seatlock.conf"

# ./seatlock.conf in the working directory.
(cd "$dir" && "$SL" shows >"$tmp/out" 2>"$tmp/err"); rc=$?
check "./seatlock.conf owned by uid $other: exit 2 (got $rc)" [ "$rc" -eq 2 ]
stderr_has "seatlock.conf: owned by" "the message names the file and says who owns it"
check "the message names the owner's uid" grep -q "uid $other" "$tmp/err"
check "nothing of it used (its database never named)" \
    sh -c "! grep -q chosen_by_nobody '$tmp/err'"

# SEATLOCK_CONFIG and --config, the same.
SEATLOCK_CONFIG="$dir/seatlock.conf" "$SL" shows >"$tmp/out" 2>"$tmp/err"
rc=$?
unset SEATLOCK_CONFIG
check "SEATLOCK_CONFIG owned by another user: exit 2 (got $rc)" [ "$rc" -eq 2 ]
expect 2 "--config owned by another user" --config "$dir/seatlock.conf" shows
stderr_has "owned by" "--config: the owner is named"

# The group/other write check stays.
mine="$tmp/mine.conf"
echo 'booking = { retries = 5; };' >"$mine"
chmod 666 "$mine"
expect 2 "a group-writable file of one's own is still refused" \
    --config "$mine" shows
stderr_has "writable by group or others" "said why"

# A root-owned file (this user's) is read as before.
chmod 600 "$mine"
run --config "$mine" shows
check "a file owned by the user is read (exit $rc)" [ "$rc" -eq 0 ]

# log.file a symbolic link to a root-owned file: refused, target untouched.
target="$tmp/root-owned"
printf 'precious\n' >"$target"
ln -s "$target" "$dir/seatlock.log"
cat >"$tmp/log.conf" <<CONF
database = { dsn = "host=/nonexistent connect_timeout=1"; };
log = { file = "$dir/seatlock.log"; };
CONF
chmod 600 "$tmp/log.conf"
# The box office opens its log only on a terminal: script(1) gives it one.
TERM=xterm timeout 20 script -qec "'$SL' --config '$tmp/log.conf'" /dev/null \
    </dev/null >"$tmp/err" 2>&1
check "the box office stops (cannot connect)" grep -q "cannot connect" "$tmp/err"
stderr_has "is a symbolic link; refusing it" "a symlinked log.file is refused with a clear message"
check "the symlink's target is untouched" \
    sh -c "[ \"\$(cat '$target')\" = precious ]"

done_testing
