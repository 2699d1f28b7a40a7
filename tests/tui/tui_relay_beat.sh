#!/bin/sh
# The notifier's beat through the host's relay (issue 19).  A box office of
# a plain clerk attached to the relay reads the beat from it: its own
# booking connection runs no statement at all while it sits idle (without
# a relay it reads the beat every second), while the relay's backend does.
# The notifier stopped: "not live" as without a relay (within about 5 s)
# and a sale meanwhile shows (the map reloads); back: live again.  A fake
# relay sending hostile beats ("beat -5", "beat 999999999999999999999",
# "beat x", "beat 86400001") with no notifier running: the terminal says
# "not live" and stays so.  A fake relay sending "beat 0" makes it say
# live with no notifier: the beat comes from the relay, not a query of its
# own (which is why only the relay's user and group may open its socket,
# security.md).  TERM=xterm-256color, 80x24 (the status bar is the same on
# every terminal; tui_notlive.sh covers vt100).
. "$(dirname "$0")/tuilib"

clerk=trb_c_$$
RELAY=

relay_stop() {
	[ -z "$RELAY" ] || { kill "$RELAY" && wait "$RELAY"; } 2>/dev/null
	RELAY=
}

rb_cleanup() {
	relay_stop
	psql -X -q -c "DROP ROLE IF EXISTS $clerk" >/dev/null 2>&1
	tl_cleanup
}
trap rb_cleanup EXIT

"$SEATLOCK_BIN" clerk add "$clerk" --role clerk >/dev/null 2>&1 ||
    tl_fail "clerk add"
TL_ENV="PGUSER=$clerk"
tl_glyphs C.UTF-8
tl_venue
term=xterm-256color lang=C.UTF-8

# 1. The real relay: the box office runs no beat query of its own.
tl_notifier
"$SEATLOCK_BIN" relay --socket "$TL_TMP/relay.sock" \
    >>"$TL_TMP/relay.log" 2>&1 &
RELAY=$!
t0=$(tl_ms)
until grep -q "relay: listening" "$TL_TMP/relay.log" 2>/dev/null; do
	[ $(($(tl_ms) - t0)) -lt 5000 ] || tl_fail "the relay did not start"
	sleep 0.05
done
TL_CONF="notify = { relay_socket = \"$TL_TMP/relay.sock\"; };"
s=beat-relay
tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
tl_wait "$s" " live  term-" 8000
grep -q "listening on seatlock_show_$TL_SHOW through the relay" \
    "$TL_TMP/$s.log" || tl_fail "not attached to the relay"
sleep 1.5	# the first beat may have been read before the relay's came
db=$(tl_backend "$s" db)
[ -n "$db" ] || tl_fail "no booking connection in the log"
q0=$(tl_last_statement "$db")
sleep 3.5
q1=$(tl_last_statement "$db")
[ -n "$q0" ] && [ "$q0" = "$q1" ] ||
    tl_fail "the box office ran statements while idle ($q0 -> $q1):" \
    "$(tl_sql "SELECT query FROM pg_stat_activity WHERE pid = $db")"
rpid=$(sed -n 's/.*relay: listening (server pid \([0-9]*\)).*/\1/p' \
    "$TL_TMP/relay.log" | tail -n 1)
q=$(tl_sql "SELECT query FROM pg_stat_activity WHERE pid = ${rpid:-0}")
[ "$q" = "SELECT coalesce(sl_notifier_beat_age(), -1)" ] ||
    tl_fail "the relay's backend does not read the beat: $q"
tl_cap "$s" | grep -q "not live" && tl_fail "not live while a notifier runs"
tl_ok "attached: live, and no statement of its own in 3.5 s idle" \
    "(the relay's backend reads the beat)"

tl_notifier_stop
t0=$(tl_ms)
tl_wait "$s" "not live" 6000
tl_ok "the notifier gone, it says not live after $(($(tl_ms) - t0)) ms"
"$SEATLOCK_BIN" book "$TL_SHOW" A1 >/dev/null 2>&1 || tl_fail "book A1"
tl_wait_row "$s" A "$TL_SOLD($TL_FREE){9}" 5000
tl_ok "a sale made meanwhile shows (the map reloads)"
tl_notifier
tl_wait_gone "$s" "not live" 5000
tl_wait "$s" " live  term-" 1000
tl_ok "the notifier back: live again"
tl_notifier_stop
tl_quit "$s"
relay_stop

# 2. A fake relay's hostile beats, no notifier: not live, and it stays so.
tl_fake_start "$TL_TMP/fake.sock" "beat -5" "beat 999999999999999999999" \
    "beat x" "beat 86400001"
TL_CONF="notify = { relay_socket = \"$TL_TMP/fake.sock\"; };"
s=beat-hostile
tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
tl_wait "$s" "not live" 8000
grep -q "through the relay" "$TL_TMP/$s.log" ||
    tl_fail "not attached to the fake relay"
t0=$(tl_ms)
while [ $(($(tl_ms) - t0)) -lt 3000 ]; do
	tl_cap "$s" | grep -q "not live" ||
	    tl_fail "hostile beats made it say live: $(tl_cap "$s" | tail -n 2)"
	sleep 0.1
done
tl_ok "hostile beats from a fake relay: not live, for 3 s on end"
tl_quit "$s"
tl_fake_stop

# 3. A fake relay saying "beat 0", no notifier: live, so the beat came from
# the relay and not from a query.
tl_fake_start "$TL_TMP/fake.sock" "beat 0"
s=beat-zero
tl_start "$s" 80x24 "$term" "$lang" --show "$TL_SHOW"
tl_wait "$s" " live  term-" 8000
sleep 3.5
tl_cap "$s" | grep -q "not live" &&
    tl_fail "not live: the box office did not take the relay's beat"
tl_ok "\"beat 0\" from the relay and no notifier: live (no query of its own)"
tl_quit "$s"
tl_fake_stop
echo "tui_relay_beat: all passed"
