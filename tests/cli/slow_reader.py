#!/usr/bin/env python3
# tests/cli/slow_reader.py - the attack of issue 17, finding 8, for
# sec_slow_reader.sh (not a test itself: no .sh suffix).
#
#   slow_reader.py PORT PID SHOW SOCKETS HOLD_S
#
# Opens SOCKETS connections from 127.0.0.2 to 127.0.0.1:PORT, each with a
# small receive buffer, each sending GET /shows/SHOW/seats and never
# reading; holds them HOLD_S seconds while it samples the server's VmRSS
# (/proc/PID/status) and probes GET /health (1 s limit) and GET /shows
# (5 s limit: its count of a 100,000-seat show's free seats is the
# database's work, slow on a busy test machine) from 127.0.0.1; then
# closes them.  Prints one JSON object: peak_rss_kb, probes, health_fail,
# shows_fail, health_max_ms, shows_max_ms.  Bounded: everything stops by
# itself after HOLD_S seconds plus a few.
import json
import socket
import sys
import time

port, pid, show, nsock, hold = (int(a) for a in sys.argv[1:6])


def rss_kb():
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def probe(path, limit):
    """Status line of a 200 to a GET from 127.0.0.1 within limit s, or
    None; and the time it took."""
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=limit)
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                   "Connection: close\r\n\r\n" % (path, port)).encode())
        data = b""
        while b"\r\n" not in data and time.monotonic() - t0 < limit:
            s.settimeout(max(0.01, limit - (time.monotonic() - t0)))
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        s.close()
    except OSError:
        return None, (time.monotonic() - t0) * 1000
    ms = (time.monotonic() - t0) * 1000
    if ms > limit * 1000 or not data.startswith(b"HTTP/1.1 200"):
        return None, ms
    return data.split(b"\r\n", 1)[0].decode(), ms


socks = []
req = ("GET /shows/%d/seats HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
       % (show, port)).encode()
for i in range(nsock):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.bind(("127.0.0.2", 0))
    s.settimeout(2.0)
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(req)
    except OSError:
        pass
    socks.append(s)

peak = rss_kb()
probes = 0
fail = {"/health": 0, "/shows": 0}
worst = {"/health": 0.0, "/shows": 0.0}
end = time.monotonic() + hold
while time.monotonic() < end:
    probes += 1
    for path, limit in (("/health", 1.0), ("/shows", 5.0)):
        st, ms = probe(path, limit)
        worst[path] = max(worst[path], ms)
        if st is None:
            fail[path] += 1
        peak = max(peak, rss_kb())
    time.sleep(0.2)
    peak = max(peak, rss_kb())
for s in socks:
    s.close()
print(json.dumps({"peak_rss_kb": peak, "probes": probes,
                  "health_fail": fail["/health"], "shows_fail": fail["/shows"],
                  "health_max_ms": round(worst["/health"]),
                  "shows_max_ms": round(worst["/shows"])}))
