#!/bin/sh
# Issue 17, finding 2: the HTTP API cannot be shut out by one client.  The
# attack comes from one loopback address (127.0.0.2, the client binds its
# source address), the probes from another (127.0.0.1), against a server
# scaled down to 16 connection slots (8 per address, the default half)
# with a 3 s header deadline and a 2 s keep-alive idle limit:
#   1. slowloris: 16 sockets, each sending one header byte a second (and
#      reconnecting when cut off), for 8 s;
#   2. a keep-alive flood: 16 clients sending requests back to back on
#      kept-alive connections, for 5 s;
#   3. 16 kept-alive connections that go idle after one request.
# Every probe (GET /health and GET /shows, a fresh connection each) must
# get its 200 within a second; the slow sockets must be cut off by the
# header deadline and the idle ones by the idle limit.  Bounded: each
# phase stops by itself; everything is on loopback.
. "$(dirname "$0")/../lib/api.sh"

mkshow 1 4 >/dev/null
conf 'api = { max_connections = 16; header_timeout_s = 3; keepalive_idle_s = 2; };'
api_start
port=${API##*:}

python3 - "$port" >"$T/attack" 2>&1 <<'PY'
import http.client, socket, sys, threading, time

PORT = int(sys.argv[1])
ATT = "127.0.0.2"
stop = threading.Event()
lock = threading.Lock()
probes = []          # (what, status or error, seconds)
cut = []             # seconds a slow socket lived before the server cut it
survived = []        # slow sockets still open at the end, past the deadline
# Cut off by the 3 s deadline: seen within a second (a byte a second) plus
# the watchdog's tick; later than this is late, even on a loaded machine.
LATE = 3 + 2.5
HEADER = b"GET /shows HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 64

def probe(path):
    t0 = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1.0,
                                       source_address=("127.0.0.1", 0))
        c.request("GET", path, headers={"Host": "127.0.0.1:%d" % PORT})
        st = c.getresponse().status
        c.close()
    except Exception as e:
        st = type(e).__name__
    with lock:
        probes.append((path, st, time.monotonic() - t0))

def probe_loop(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        probe("/health")
        probe("/shows")
        time.sleep(0.5)

def slow_client():
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=1,
                                         source_address=(ATT, 0))
        except OSError:
            time.sleep(0.2)
            continue
        t0 = time.monotonic()
        s.settimeout(0)
        i = 0
        gone = False
        while not stop.is_set() and i < len(HEADER):
            try:
                s.send(HEADER[i:i + 1])
                i += 1
                if s.recv(1) == b"":
                    gone = True
            except BlockingIOError:
                pass
            except OSError:
                gone = True
            if gone:
                break
            stop.wait(1.0)
        if not gone and not stop.is_set():
            s.close()      # the whole header went out in time: not slow
            continue
        with lock:
            if gone:
                cut.append(time.monotonic() - t0)
            elif time.monotonic() - t0 > LATE:
                survived.append(time.monotonic() - t0)
        s.close()

def flood_client():
    while not stop.is_set():
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2,
                                           source_address=(ATT, 0))
            while not stop.is_set():
                c.request("GET", "/health",
                          headers={"Host": "127.0.0.1:%d" % PORT})
                c.getresponse().read()
        except Exception:
            time.sleep(0.05)

def phase(name, target, n, seconds):
    stop.clear()
    ts = [threading.Thread(target=target) for _ in range(n)]
    for t in ts:
        t.start()
    time.sleep(1.0)
    probe_loop(seconds)
    stop.set()
    for t in ts:
        t.join()

phase("slowloris", slow_client, 16, 7)
with lock:
    refused = len([c for c in cut if c < 2.5])
    n_cut = len(cut) - refused
    late = len([c for c in cut if c > LATE]) + len(survived)
print("slow sockets refused at once: %d" % refused)
print("slow sockets cut off: %d (late: %d)" % (n_cut, late))
phase("flood", flood_client, 16, 4)

# Idle kept-alive connections: one request each, then silence (after the
# flood's connections are gone, so that several fit the address's share).
time.sleep(0.5)
idle = []
for _ in range(16):
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2,
                                       source_address=(ATT, 0))
        c.request("GET", "/health", headers={"Host": "127.0.0.1:%d" % PORT})
        c.getresponse().read()
        idle.append(c)
    except Exception:
        pass
t0 = time.monotonic()
probe("/health")
probe("/shows")
closed = 0
for c in idle:
    c.sock.settimeout(max(0.1, 2 + 1.5 - (time.monotonic() - t0)))
    try:
        if c.sock.recv(1) == b"":
            closed += 1
    except OSError:
        pass
print("idle kept-alive connections: %d, closed by the server within 3.5 s: %d"
      % (len(idle), closed))
bad = [p for p in probes if p[1] != 200 or p[2] >= 1.0]
for p in probes:
    print("probe %s %s %.3f s" % p)
print("probes: %d, bad: %d" % (len(probes), len(bad)))
PY
cat "$T/attack" | grep -v '^probe /' 
grep '^probe /' "$T/attack" | awk '$3 != 200 || $4 >= 1' | head -5
check "every probe from 127.0.0.1 answered 200 within 1 s" \
    "$(sed -n 's/^probes: [0-9]*, bad: //p' "$T/attack")" 0
check "there were probes" \
    "$(sed -n 's/^probes: \([0-9]*\),.*/\1/p' "$T/attack" | awk '{ print ($1 >= 20) }')" 1
check "slow sockets cut off by the header deadline, none late" \
    "$(sed -n 's/^slow sockets cut off: \([0-9]*\) (late: \([0-9]*\))/\1 \2/p' "$T/attack" |
    awk '{ print ($1 >= 8 && $2 == 0) }')" 1
check "idle kept-alive connections closed by the idle limit" \
    "$(sed -n 's/^idle kept-alive connections: \([0-9]*\), .*: \([0-9]*\)$/\1 \2/p' "$T/attack" |
    awk '{ print ($1 >= 4 && $1 == $2) }')" 1
req GET /health
check "the server still answers" "$STATUS" 200
check_has "the log says it cut connections off" "$(cat "$T/server.log")" \
    "sent no complete request in time"
check "refused and cut-off connections logged one line a second at most" \
    "$(grep -c 'libmicrohttpd: \|over one address.s share\|no complete request in time' \
    "$T/server.log" | awk '{ print ($1 <= 60) }')" 1
check_has "the log says it refused connections over the address's share" \
    "$(cat "$T/server.log")" "over one address's share"
api_stop
finish
