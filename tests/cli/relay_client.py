#!/usr/bin/env python3
"""relay_client.py - clients of `seatlock relay` for tests/cli/relay_*.sh.

  relay_client.py once SOCK
      connects, prints the first line the relay sends (or the error).
  relay_client.py clients SOCK SHOW N STOPFILE [STALL]
      N clients in this one process watch SHOW; prints "ready" once every
      one has its "watching SHOW"; reads until STOPFILE exists (at most
      60 s), then 0.5 s more; prints one JSON object a client: lines,
      shows (show lines with a payload), reloads ("show SHOW reload" and
      "reload"), lost, last (the last line).  The notifier's beat ("beat
      AGE_MS" / "beat none", once a second) is counted apart, in beats and
      beat (the last one), and in neither lines nor last; so are the
      seats' states ("seats SHOW ID:S ..."): seats counts them, seatl
      holds the last 10 (200 bytes of each), seatn their numbers of
      seats, and seats_loose counts those that did not come
      right after a "show SHOW PAYLOAD" line of the same show.  With STALL,
      client 0 reads nothing until STOPFILE exists (a terminal that stops
      reading).
  relay_client.py fake SOCK STOPFILE LINE...
      a fake relay at SOCK: greets each client, answers "watch N" with
      "watching N", and sends it the LINEs in turn, one every 200 ms,
      until STOPFILE exists (at most 60 s).  A LINE "@FILE" sends what
      FILE holds at that turn, in one write (nothing while it does not
      exist): lines the test decides on later, or a "show" line with its
      "seats" line.
Stops by itself; loopback unix sockets only.
"""
import json
import os
import resource
import select
import socket
import sys
import time


def once(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect(path)
        data = s.recv(4096).decode("ascii", "replace")
        print(data.split("\n")[0])
    except OSError as e:
        print("connect failed: %s" % e.strerror)


class Client:
    def __init__(self, path, show):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.sendall(b"watch %d\n" % show)
        self.s.setblocking(False)
        self.buf = b""
        self.st = {"lines": 0, "shows": 0, "reloads": 0, "resets": 0,
                   "lost": 0,
                   "watching": 0, "last": "", "beats": 0, "beat": "",
                   "seats": 0, "seatl": [], "seatn": [],
                   "seats_loose": 0}
        self.show = show
        self.prev = ""

    def read(self):
        try:
            data = self.s.recv(1 << 20)
        except BlockingIOError:
            return True
        if not data:
            return False
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for raw in lines:
            line = raw.decode("ascii", "replace")
            st = self.st
            if line.startswith("beat "):
                st["beats"] += 1
                st["beat"] = line[:80]
                continue
            if line.startswith("seats "):
                show = line.split(" ")[1]
                st["seats"] += 1
                st["seatl"] = (st["seatl"] + [line[:200]])[-10:]
                st["seatn"] = (st["seatn"] + [len(line.split()) - 2])[-10:]
                if not (self.prev.startswith("show %s " % show) and
                        self.prev != "show %s reload" % show):
                    st["seats_loose"] += 1
                self.prev = line
                continue
            self.prev = line
            st["lines"] += 1
            st["last"] = line[:80]
            if line == "watching %d" % self.show:
                st["watching"] += 1
            elif line == "reload":
                st["resets"] += 1
            elif line == "show %d reload" % self.show:
                st["reloads"] += 1
            elif line.startswith("show "):
                st["shows"] += 1
            elif line == "lost":
                st["lost"] += 1
        return True


def clients(path, show, n, stopfile, stall):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 64), hard))
    cl = [Client(path, show) for _ in range(n)]
    byfd = {c.s.fileno(): c for c in cl}
    deadline = time.time() + 60
    said = False
    stop_at = None
    while time.time() < deadline:
        stopped = os.path.exists(stopfile)
        if stopped and stop_at is None:
            stop_at = time.time() + 0.5
        if stop_at is not None and time.time() > stop_at:
            break
        live = [c for i, c in enumerate(cl)
                if not (stall and i == 0 and not stopped)]
        p = select.poll()
        for c in live:
            p.register(c.s, select.POLLIN)
        for fd, _ in p.poll(50):
            byfd[fd].read()
        if not said and all(c.st["watching"] for c in live):
            print("ready", flush=True)
            said = True
    for c in cl:
        print(json.dumps(c.st), flush=True)


def fake_line(line):
    if not line.startswith("@"):
        return (line + "\n").encode()
    try:
        with open(line[1:], "rb") as f:
            return f.read()
    except OSError:
        return b""


def fake(path, stopfile, lines):
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    srv.setblocking(False)
    peers = []
    deadline = time.time() + 60
    turn = 0
    while time.time() < deadline and not os.path.exists(stopfile):
        try:
            c, _ = srv.accept()
            c.sendall(b"hello seatlock-relay 1\n")
            c.setblocking(False)
            peers.append(c)
        except BlockingIOError:
            pass
        for c in list(peers):
            try:
                try:
                    data = c.recv(4096)
                except BlockingIOError:
                    data = None
                if data == b"":
                    raise OSError("closed")
                for req in (data or b"").decode("ascii", "replace").split("\n"):
                    if req.startswith("watch "):
                        c.sendall(("watching %s\n" % req[6:]).encode())
                c.sendall(fake_line(lines[turn % len(lines)]))
            except OSError:
                peers.remove(c)
                c.close()
        turn += 1
        time.sleep(0.2)
    os.unlink(path)


def main():
    if sys.argv[1] == "once":
        once(sys.argv[2])
    elif sys.argv[1] == "fake":
        fake(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        clients(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                sys.argv[5], len(sys.argv) > 6)


main()
