#!/usr/bin/env python3
"""The house plan's limits (issue 14), checked on every `make test`.

- no function in core/ or tui/ longer than 100 lines (universal-ctags);
- no loop of any length among the files of core/ and tui/ (A calls a function
  defined in B, or includes B, ..., back to A), and nothing in core/ reaches
  tui/;
- core/ is a library: no curses, no terminal output, no exit, no process
  spawning, no environ, no mutable static state;
- tui/ holds no SQL text and no libpq;
- every SQL function is defined (CREATE [OR REPLACE] FUNCTION name() in
  exactly one file of sql/;
- README.md has at most 200 lines.

Prints one line per violation and "structure: N problems"; exits 1 on any.
Usage: structure.py [--root DIR] (default: this checkout).
"""
import os
import re
import subprocess
import sys

MAX_FUNC = 100
MAX_README = 200
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if len(sys.argv) == 3 and sys.argv[1] == "--root":
    TOP = os.path.abspath(sys.argv[2])  # the self-test's tree (selftest.sh)
problems = []


def bad(msg):
    problems.append(msg)
    print("structure: " + msg)


def sources(*dirs, exts=(".c", ".h")):
    out = []
    for d in dirs:
        for root, _, files in os.walk(os.path.join(TOP, d)):
            for f in files:
                if f.endswith(exts):
                    out.append(os.path.relpath(os.path.join(root, f), TOP))
    return sorted(out)


def ctags(kinds, paths):
    if not paths:
        return []
    cmd = ["ctags", "--fields=+neKS", "--c-kinds=" + kinds, "-o", "-"] + paths
    res = subprocess.run(cmd, cwd=TOP, capture_output=True, text=True)
    if res.returncode != 0:
        bad("ctags failed: " + res.stderr.strip())
        return []
    tags = []
    for line in res.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) < 4:
            continue
        t = {"name": cols[0], "file": cols[1], "pattern": cols[2], "static": False}
        for c in cols[3:]:
            if ":" in c:
                k, v = c.split(":", 1)
                if k == "file":
                    t["static"] = True
                elif k not in ("name", "pattern"):
                    t[k] = v
            else:
                t["kind"] = c
        tags.append(t)
    return tags


def strip_c(text):
    """Comments and string/char literals blanked, line structure kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j]) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def check_lengths(files):
    for t in ctags("f", files):
        if "end" in t and "line" in t:
            n = int(t["end"]) - int(t["line"]) + 1
            if n > MAX_FUNC:
                bad("%s: %s() is %d lines (at most %d)" % (t["file"], t["name"], n, MAX_FUNC))


def resolve_include(src, name):
    for base in (os.path.dirname(src), "core", "tui"):
        p = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(TOP, p)):
            return p
    return None


def graph(files):
    defs = {}
    for t in ctags("f", files):
        if t["static"] or t["pattern"].startswith("/^static"):
            continue
        defs.setdefault(t["name"], set()).add(t["file"])
    edges = {f: set() for f in files}
    ident = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
    for f in files:
        raw = open(os.path.join(TOP, f), encoding="utf-8", errors="replace").read()
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', raw, re.M):
            p = resolve_include(f, m.group(1))
            if p in edges and p != f:
                edges[f].add(p)
        if not f.endswith(".c"):
            continue
        text = strip_c(raw)
        for name in set(ident.findall(text)):
            for d in defs.get(name, ()):
                if d != f:
                    edges[f].add(d)
    return edges


def cycles(edges):
    """Tarjan's strongly connected components of more than one file."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def check_graph(files):
    edges = graph(files)
    for comp in cycles(edges):
        bad("a loop among files: " + " -> ".join(comp))
    for f, tos in sorted(edges.items()):
        if f.startswith("core/"):
            for t in sorted(tos):
                if t.startswith("tui/"):
                    bad("%s reaches into the programs: %s" % (f, t))


CORE_FORBIDDEN = [
    (r"#\s*include\s*<n?curses", "curses"),
    (r"\b(printf|puts|putchar|vprintf)\s*\(", "terminal output"),
    (r"\bf?printf\s*\(\s*std(out|err)\b", "terminal output"),
    (r"\b(exit|_exit|abort)\s*\(", "exit"),
    (r"\b(fork|vfork|posix_spawnp?|execv|execvp|execl|execlp|execve|system|popen)\s*\(", "process spawning"),
    (r"\benviron\b", "environ"),
]
TUI_FORBIDDEN = [
    (r"#\s*include\s*<libpq", "libpq"),
    (r"\bPG(conn|result)\b", "libpq"),
]
SQL_TEXT = re.compile(r'"\s*(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|WITH\s+\w+\s+AS\b|(CREATE|ALTER|DROP)\s+(TABLE|FUNCTION|INDEX)\s|LISTEN\s|NOTIFY\s)')


def check_rooms():
    for f in sources("core"):
        text = strip_c(open(os.path.join(TOP, f), encoding="utf-8", errors="replace").read())
        raw = open(os.path.join(TOP, f), encoding="utf-8", errors="replace").read()
        for pat, what in CORE_FORBIDDEN:
            src = raw if what == "curses" else text
            for m in re.finditer(pat, src):
                line = src.count("\n", 0, m.start()) + 1
                bad("%s:%d: %s in the library" % (f, line, what))
    for f in sources("tui"):
        raw = open(os.path.join(TOP, f), encoding="utf-8", errors="replace").read()
        text = strip_c(raw)
        for pat, what in TUI_FORBIDDEN:
            src = raw if "include" in pat else text
            for m in re.finditer(pat, src):
                line = src.count("\n", 0, m.start()) + 1
                bad("%s:%d: %s in a program" % (f, line, what))
        for m in SQL_TEXT.finditer(raw):
            line = raw.count("\n", 0, m.start()) + 1
            bad("%s:%d: SQL text in a program" % (f, line))


def check_static_state():
    files = [f for f in sources("core") if f.endswith(".c")]
    for t in ctags("vl", files):
        pat = t.get("pattern", "")
        if t.get("kind") in ("local", "l") and not re.search(r"^/\^\s*static\b", pat):
            continue
        if t.get("kind") in ("variable", "v") and "extern" in pat:
            continue
        decl = pat.split(t["name"])[0]
        if decl.startswith("/^}") and "line" in t:
            # "} name[] = {" closes a struct written in the declaration:
            # its qualifiers stand on the line that opened it.
            lines = open(os.path.join(TOP, t["file"]), encoding="utf-8").read().splitlines()
            i = int(t["line"]) - 1
            while i > 0 and not re.match(r"^(static|const)\b", lines[i]):
                i -= 1
            decl = lines[i]
        if "*" in decl:
            if re.search(r"\*\s*const\s*$", decl):
                continue
        elif re.search(r"\bconst\b", decl):
            continue
        bad("%s:%s: mutable static state '%s'" % (t["file"], t.get("line", "?"), t["name"]))


def check_sql():
    where = {}
    pat = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([A-Za-z0-9_.\"]+)\s*\(", re.I)
    for f in sources("sql", exts=(".sql",)):
        text = open(os.path.join(TOP, f), encoding="utf-8").read()
        text = re.sub(r"--[^\n]*", "", text)
        for m in pat.finditer(text):
            name = m.group(1).lower().replace('"', "")
            name = name.split(".")[-1]
            where.setdefault(name, set()).add(f)
    for name, fs in sorted(where.items()):
        if len(fs) > 1:
            bad("SQL function %s is defined in %d files: %s" % (name, len(fs), ", ".join(sorted(fs))))
    return len(where)


def main():
    files = sources("core", "tui")
    check_lengths([f for f in files if f.endswith(".c")])
    check_graph(files)
    check_rooms()
    check_static_state()
    nsql = check_sql()
    with open(os.path.join(TOP, "README.md"), encoding="utf-8") as fh:
        n = sum(1 for _ in fh)
    if n > MAX_README:
        bad("README.md has %d lines (at most %d)" % (n, MAX_README))
    print("structure: %d files of core/ and tui/, %d SQL functions, README %d lines: %d problems"
          % (len(files), nsql, n, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
