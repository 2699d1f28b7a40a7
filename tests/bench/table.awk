# table.awk - turns tests/bench/results.jsonl (one flat JSON object a run,
# each with a "tag"; tests/bench/run.sh writes them) into the markdown of
# tests/bench/results.md: the machine, then one side-by-side table of
# SeatLock against its yardsticks (../shared/anchors) with every ratio taken
# within a round, then every run.
#
# Tags: meta (where the anchors are, or why one is missing), anchor-C-R
# (pgbench, the minimal booking), seed-R (the seed design under wrk),
# spread-C-R, oneshow-R, hot-R (`seatlock bench`), serve-R (`seatlock
# serve` under wrk), push, and the extras flash-2000, stadium.  C is a
# client count of `clients`, R a round 1..repeat.
# Variables (-v): clients ("8 16 64"), repeat, secs, listeners, api_pool,
# wrk_conns, oneshow_seats, seqscans, and the machine: nproc, cpu, mem,
# pgver, fsync, sync, sbuf, l0, l1 (load averages), took, date; readme=1
# prints the short form README.md shows instead.

# The value of "key" in a flat JSON object ("" when absent).
function get(s, k,    r, p) {
	p = "\"" k "\": "
	if (!match(s, p "(\"[^\"]*\"|[^,}]*)"))
		return ""
	r = substr(s, RSTART + length(p), RLENGTH - length(p))
	gsub(/"/, "", r)
	return r
}

# Sorts a[1..n] (numbers) in place.
function sortn(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
}

function median(a, n) {
	if (n == 0)
		return -1
	sortn(a, n)
	return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
}

# "median (min-max)" of the n values in a, with fmt; "-" when none.
function spread(a, n, fmt,    m) {
	if (n == 0)
		return "-"
	m = median(a, n)
	if (n == 1)
		return sprintf(fmt, m)
	return sprintf(fmt " (" fmt "-" fmt ")", m, a[1], a[n])
}

function v(tag, k) {
	return (tag, k) in val ? val[tag, k] : ""
}

function num(tag, k) {
	return v(tag, k) + 0
}

# A run that is there and did not fail.
function ran(tag) {
	return (tag in line) && v(tag, "failed") != "true"
}

function f1(x) { return x == "" ? "-" : sprintf("%.1f", x) }

# The values of key of the runs PREFIX1..PREFIXrepeat into out; their count.
function collect(prefix, key, out,    r, n) {
	split("", out)
	n = 0
	for (r = 1; r <= repeat; r++)
		if (ran(prefix r) && v(prefix r, key) != "")
			out[++n] = v(prefix r, key)
	return n
}

# The ratios a/b within each round; their count.
function ratios(pa, ka, pb, kb, out,    r, n) {
	split("", out)
	n = 0
	for (r = 1; r <= repeat; r++)
		if (ran(pa r) && ran(pb r) && num(pb r, kb) > 0 &&
		    v(pa r, ka) != "")
			out[++n] = num(pa r, ka) / num(pb r, kb)
	return n
}

# The verdict of a target: met / missed by the median ratio, or why not.
function verdict(n, m, ok, why) {
	if (why != "")
		return why
	if (n == 0)
		return "not measured"
	return ok ? "**met**" : "**missed**"
}

# Why a yardstick has no figures ("" when it has).
function why(which,    w) {
	if (!("meta" in line))
		return "no record of the anchors in this run"
	w = v("meta", which)
	return w == "yes" ? "" : w
}

function absent(which) {
	return why(which) == "" ? "" : "not judged: no yardstick (" \
	    why(which) ")"
}

# One row of the table; with readme=1 the short form of README.md, kept in
# B_* until readme_out prints it: no yardstick column (the ratio says
# against what), a nick for a name; a nick "+NAME" joins the row before
# ("+" alone: without a name), an empty nick is left out.
function row(nick, work, fig, yard, ratio, target, judged,    rc, tc) {
	if (!readme) {
		print "| " work " | " fig " | " yard " | " ratio " | " \
		    target " | " judged " |"
		return
	}
	if (nick == "")
		return
	rc = yard == "" || ratio == "-" ? ratio : ratio " of " yard
	tc = target (target != "" && judged != "" ? " " : "") judged
	if (substr(nick, 1, 1) == "+" && nb > 0) {
		if (nick != "+")
			B_n[nb] = B_n[nb] "; " substr(nick, 2)
		if (fig != "")
			B_f[nb] = B_f[nb] "; " fig
		# A cell the same as the row's, or empty, adds nothing.
		if (rc != "" && rc != B_rl[nb])
			B_r[nb] = B_r[nb] "; " rc
		if (tc != "" && tc != B_tl[nb])
			B_t[nb] = B_t[nb] "; " tc
		return
	}
	nb++
	B_n[nb] = nick; B_f[nb] = fig; B_r[nb] = rc; B_t[nb] = tc
	B_rl[nb] = rc; B_tl[nb] = tc
}

{
	tag = get($0, "tag")
	if (!(tag in line))
		order[++ntags] = tag
	line[tag] = $0
	nk = split("failed why anchors minimal seed wrk clients tps " \
	    "latency_ms booked ok conflicts other seconds bookings_per_s " \
	    "steady_per_s conflicts_per_s errors busy p50_ms p95_ms p99_ms " \
	    "max_ms notify_p50_ms notify_p99_ms missed seq_gaps rate " \
	    "double_bookings state_mismatches bookings active_bookings " \
	    "created errors_4xx errors_5xx socket_errors timeouts " \
	    "rss_peak_kb pool load_p50_ms states_p50_ms states_seq_scans " \
	    "venue_seats import_ms exhausted first_error open_ms rss_kb " \
	    "instr_per_draw instr_map_per_draw draws wal_bytes wal_fpi_bytes " \
	    "terminals push_p50_ms push_p99_ms push_samples push_missed " \
	    "stale_terminals backends server_rss_mb reloads relay " \
	    "relay_killed reconnect_max_ms reconnect_p50_ms",
	    keys, " ")
	for (i = 1; i <= nk; i++)
		val[tag, keys[i]] = get($0, keys[i])
}

function machine(    la) {
	print "## Machine"
	print ""
	print "| | |"
	print "|---|---|"
	print "| CPUs (nproc) | " nproc " |"
	print "| CPU | " cpu " |"
	print "| memory | " mem " |"
	print "| PostgreSQL | " pgver " (private cluster: shared_buffers " \
	    sbuf ", otherwise defaults; every side on it, over its unix " \
	    "socket) |"
	print "| fsync / synchronous_commit | " fsync " / " sync " |"
	split(l0, la, " ")
	print "| load average (1, 5, 15 min) | " l0 " before" \
	    (la[1] + 0 > nproc + 0 ? " (the machine was busy with other " \
	    "work)" : "") ", " l1 " after (the set's own clients and " \
	    "backends count in it) |"
	print "| the set | " repeat " rounds of " secs " s runs, in turn; " \
	    took " s in all |"
	print ""
}

# The minimal booking and the seed design: the yardsticks' own rows.
function yardsticks(    j, c, n, a, w, figs, ncl_rows) {
	w = absent("minimal")
	if (readme) {
		for (j = 1; j <= ncl; j++)
			figs = figs (j > 1 ? " / " : "") \
			    sprintf("%.0f", median(a, collect("anchor-" \
			    cl[j] "-", "tps", a)))
		c = clients
		gsub(/ +/, " / ", c)
		row("minimal booking, " c " clients", "", w != "" ? \
		    "not measured: " why("minimal") : figs " /s", "", "1",
		    "", "(yardstick)")
		ncl_rows = 0
	} else
		ncl_rows = ncl
	for (j = 1; j <= ncl_rows; j++) {
		c = cl[j]
		n = collect("anchor-" c "-", "tps", a)
		row("minimal booking, " c " clients",
		    "minimal booking (pgbench `-M prepared`, " \
		    "`../shared/anchors/pgbench/book_spread_1rt_nonotify.sql`), " \
		    c " clients", w != "" ? "not measured: " why("minimal") : \
		    spread(a, n, "%.0f") "/s", "", "1", "", "(yardstick)")
	}
	w = absent("seed")
	n = collect("seed-", "bookings_per_s", a)
	row("+seed design over HTTP",
	    "the seed design over HTTP (`../shared/anchors/seed-fastapi/`: " \
	    "FastAPI + asyncpg, uvicorn one worker, pool " api_pool "; wrk " \
	    wrk_conns " connections, `fa_distinct.lua`), successful bookings",
	    w != "" ? "not measured: " why("seed") : spread(a, n, "%.0f") \
	    "/s", "", "1", "",
	    "(yardstick)")
}

# Targets 1 and 2: `seatlock bench` at each client count, one show.
function core_rows(    j, c, n, a, q, m, w, r, out) {
	w = absent("minimal")
	for (j = 1; j <= ncl; j++) {
		c = cl[j]
		n = collect("spread-" c "-", "bookings_per_s", a)
		q = ratios("spread-" c "-", "bookings_per_s", "anchor-" c "-",
		    "tps", rs)
		m = median(rs, q)
		out = 0
		for (r = 1; r <= repeat; r++)
			if (v("spread-" c "-" r, "exhausted") == "true")
				out = 1
		row("`seatlock bench`, " c " clients",
		    "`seatlock bench --scenario spread --notify batched`, " c \
		    " clients", spread(a, n, "%.0f") "/s" (out ? " (a run " \
		    "ran out of seats: a floor)" : ""),
		    "minimal booking, " c " clients", spread(rs, q, "%.2fx"),
		    ">= 0.5x (moonshot 0.75x)", verdict(q, m, m >= 0.5, \
		    w) (q > 0 && m >= 0.75 ? " (moonshot met)" : ""))
	}
	n = collect("oneshow-", "bookings_per_s", a)
	out = 0
	for (r = 1; r <= repeat; r++)
		if (ran("oneshow-" r) && oneshow_seats > 0 &&
		    num("oneshow-" r, "bookings") >= oneshow_seats)
			out = 1
	q = ratios("oneshow-", "bookings_per_s", "spread-" top "-",
	    "bookings_per_s", rs)
	m = median(rs, q)
	row("one show, " top " clients",
	    "one show: `seatlock bench --scenario flash --seats " \
	    oneshow_seats "`, " top " clients on one show, batched push",
	    spread(a, n, "%.0f") "/s" (out ? " (a run sold the show out: " \
	    "a floor)" : ""), "`spread`, " top " clients",
	    spread(rs, q, "%.2fx"), ">= 0.9x", verdict(q, m, m >= 0.9, ""))
}

# WAL per booking, load-independent: ours against the minimal booking; the
# records (full-page images follow the checkpoints, not the work).
function wal_row(    o, m, fig, r, fo, fm) {
	o = m = -1
	if (ran("wal-seatlock") && num("wal-seatlock", "bookings") > 0) {
		o = num("wal-seatlock", "wal_bytes") / \
		    num("wal-seatlock", "bookings")
		fo = num("wal-seatlock", "wal_fpi_bytes") / \
		    num("wal-seatlock", "bookings")
	}
	if (ran("wal-minimal") && num("wal-minimal", "bookings") > 0) {
		m = num("wal-minimal", "wal_bytes") / \
		    num("wal-minimal", "bookings")
		fm = num("wal-minimal", "wal_fpi_bytes") / \
		    num("wal-minimal", "bookings")
	}
	fig = o > 0 ? sprintf("%.2f kB", o / 1024) : "not measured"
	if (m > 0)
		fig = fig " (minimal booking " sprintf("%.2f kB", m / 1024) ")"
	# The difference of two runs' page images can come out below 0.
	fo = fo > 0 ? fo : 0
	fm = fm > 0 ? fm : 0
	if (!readme && (fo > 0 || fm > 0))
		fig = fig sprintf("; page images after checkpoints besides: " \
		    "%.2f kB and %.2f kB", fo / 1024, fm / 1024)
	r = o > 0 && m > 0 ? sprintf("%.1fx", o / m) : "-"
	row("", "WAL records per single-seat " \
	    "booking, 16 clients (`spread`, " num("wal-seatlock", "bookings") \
	    " bookings, less a run of one on as many shows; the minimal " \
	    "booking over " num("wal-minimal", "bookings") ")", fig,
	    r == "-" ? "" : "minimal booking", r, "", "(no target; lower is " \
	    "less work)")
}

# Target 3: hot seats.
function hot_rows(    r, n, q, m, e, c, a, b, p) {
	q = e = 0
	split("", p)
	for (r = 1; r <= repeat; r++)
		if (ran("hot-" r) && num("hot-" r, "p50_ms") > 0) {
			p[++q] = num("hot-" r, "p99_ms") / num("hot-" r, "p50_ms")
			e += num("hot-" r, "errors")
		}
	m = median(p, q)
	n = collect("hot-", "p50_ms", a)
	c = collect("hot-", "p99_ms", b)
	fig = "p50 " spread(a, n, "%.1f") " ms, p99 " spread(b, c, "%.1f") \
	    " ms; errors " e
	n = collect("hot-", "conflicts_per_s", a)
	row("hot seats, 64 clients on 8",
	    "hot seats: `seatlock bench --scenario hot --seats 8`, 64 " \
	    "clients on 8 seats (a winner cancels at once)", fig \
	    ", conflicts " spread(a, n, "%.0f") "/s", "",
	    spread(p, q, "%.1fx") " (p99/p50)", "p99 <= 3x p50, no error " \
	    "but conflicts", verdict(q, m, m <= 3 && e == 0, ""))
}

# Target 4: `seatlock serve` against the seed design and `seatlock bench`.
function serve_rows(    n, q, m, a, w, e, r) {
	n = collect("serve-", "bookings_per_s", a)
	e = 0
	for (r = 1; r <= repeat; r++)
		if (ran("serve-" r))
			e += num("serve-" r, "errors_4xx") + \
			    num("serve-" r, "errors_5xx") + \
			    num("serve-" r, "socket_errors") + \
			    num("serve-" r, "timeouts")
	fig = spread(a, n, "%.0f") "/s" (n > 0 ? " (errors " e ")" : "")
	w = absent("seed")
	q = ratios("serve-", "bookings_per_s", "seed-", "bookings_per_s", rs)
	m = median(rs, q)
	row("`seatlock serve`, wrk " wrk_conns,
	    "`seatlock serve` (pool " api_pool ", no token, loopback, " \
	    "batched push), wrk " wrk_conns " connections, " \
	    "`tests/bench/api_spread.lua` (distinct seats, `POST /bookings`), " \
	    "successful bookings", fig, "the seed design over HTTP",
	    spread(rs, q, "%.2fx"), ">= 2x", verdict(q, m, m >= 2, w))
	q = ratios("serve-", "bookings_per_s", "spread-" top "-",
	    "bookings_per_s", rs)
	m = median(rs, q)
	row("+", "the same", "", "`spread`, " top " clients",
	    spread(rs, q,
	    "%.2fx"), ">= 0.9x", verdict(q, m, m >= 0.9, ""))
}

# Target 5: the push and serve's memory.
function push_rows(    r, x, best, p99) {
	p99 = v("push", "notify_p99_ms")
	row("push p99, " listeners " listeners",
	    "push: commit to screen with " listeners " listeners, " top \
	    " clients paced at " f1(v("push", "rate")) "/s (half the " \
	    "`spread` median)", ran("push") ? "p99 " f1(p99) " ms (p50 " \
	    f1(v("push", "notify_p50_ms")) " ms; missed " \
	    v("push", "missed") ", gaps " v("push", "seq_gaps") ")" : \
	    "not measured", "", "", "p99 <= 25 ms", verdict(ran("push") && \
	    p99 != "", 0, p99 + 0 <= 25 && num("push", "missed") == 0, ""))
	best = -1
	for (r = 1; r <= repeat; r++) {
		x = v("serve-" r, "rss_peak_kb")
		if (ran("serve-" r) && x ~ /^[0-9]+$/ && x + 0 > best)
			best = x + 0
	}
	row("+`seatlock serve` RSS",
	    "`seatlock serve`'s resident set: peak (VmHWM) over its runs",
	    best > 0 ? sprintf("%.1f MB", best / 1024) : "not measured", "",
	    "", "< 32 MB", verdict(best > 0, 0, best < 32768, ""))
}

# Issue 19: 1,000 terminals on one database (the run tagged terminals).
function terminals_rows(    t, n, ok, p99, b, rss, s) {
	t = "terminals"
	ok = ran(t) && v(t, "push_p99_ms") != ""
	n = ok ? v(t, "terminals") : "1000"
	p99 = v(t, "push_p99_ms")
	row("terminals: push p99, " n " terminals",
	    "terminals: `seatlock bench --scenario terminals --terminals " n \
	    "`, " v(t, "clients") " clients selling (`spread`, batched " \
	    "push), each terminal its show's map, attached to a relay, " \
	    "loading through a pool of 20: commit to a terminal's map",
	    ok ? "p99 " f1(p99) " ms (p50 " f1(v(t, "push_p50_ms")) \
	    " ms; " v(t, "push_samples") " samples, missed " \
	    v(t, "push_missed") "; " f1(v(t, "bookings_per_s")) \
	    " bookings/s)" : "not measured", "", "", "p99 <= 100 ms",
	    verdict(ok, 0, p99 + 0 <= 100 && num(t, "push_missed") == 0, ""))
	s = v(t, "stale_terminals")
	row("+stale", "the same: terminals whose map differs from " \
	    "`show_seat` at the end", ok ? s : "not measured", "", "", "0",
	    verdict(ok && s != "", 0, s == "0", ""))
	b = v(t, "backends")
	row("+backends", "the same: PostgreSQL client backends at the peak " \
	    "(clients, the terminals' pool, relay, notifier, the bench's own)",
	    ok ? b : "not measured", "", "", "<= 50",
	    verdict(ok && b != "", 0, b + 0 <= 50, ""))
	rss = v(t, "server_rss_mb")
	row("+server memory", "the same: the server's memory at the peak " \
	    "(Pss of the postmaster and its children)", !ok ? \
	    "not measured" : rss + 0 < 0 ? "not measured (server not " \
	    "readable here)" : f1(rss) " MB", "", "", "", "(no target)")
	restart_row()
}

# The run tagged terminals-restart: the relay killed mid-run.
function restart_row(    t, ok, mx) {
	t = "terminals-restart"
	ok = ran(t) && v(t, "relay_killed") == "true" && \
	    v(t, "reconnect_max_ms") != ""
	mx = v(t, "reconnect_max_ms")
	row("+relay restarted", "the same in a run of its own, the relay " \
	    "killed 5 s in and started again while the clients sell: every " \
	    "terminal attached to the new relay and reloaded within",
	    !ok ? "not measured" : mx + 0 < 0 ? "not all came back" : \
	    f1(mx) " ms (median " f1(v(t, "reconnect_p50_ms")) " ms)", "", "",
	    "<= 2 s", verdict(ok, 0, mx + 0 >= 0 && mx + 0 <= 2000, ""))
}

# Every run's own figures.
function all_runs(    k, t, fig) {
	print "## All runs"
	print ""
	print "| run | clients | figure | conflicts | errors | p50 ms | " \
	    "p99 ms | max ms | double bookings |"
	print "|---|---|---|---|---|---|---|---|---|"
	for (k = 1; k <= ntags; k++) {
		t = order[k]
		if (t == "meta" || t == "stadium" || t == "tui-stadium" ||
		    t ~ /^wal-/)
			continue
		if (v(t, "failed") == "true") {
			print "| " t " | failed: " v(t, "why") " | | | | | | | |"
			continue
		}
		if (t ~ /^anchor-/) {
			print "| " t " | " v(t, "clients") " | " \
			    f1(v(t, "tps")) " tps (" v(t, "booked") \
			    " booked) | | | " f1(v(t, "latency_ms")) \
			    " (mean) | | | |"
			continue
		}
		if (t ~ /^seed-/) {
			print "| " t " | " wrk_conns " | " \
			    f1(v(t, "bookings_per_s")) "/s | " \
			    v(t, "conflicts") " | " (num(t, "other") + \
			    num(t, "socket_errors") + num(t, "timeouts")) \
			    " | " f1(v(t, "p50_ms")) " | " f1(v(t, "p99_ms")) \
			    " | " f1(v(t, "max_ms")) " | |"
			continue
		}
		if (t ~ /^serve-/) {
			print "| " t " | " v(t, "clients") " | " \
			    f1(v(t, "bookings_per_s")) "/s | " \
			    v(t, "conflicts") " | " (num(t, "errors_4xx") + \
			    num(t, "errors_5xx") + num(t, "socket_errors") + \
			    num(t, "timeouts")) " | " f1(v(t, "p50_ms")) " | " \
			    f1(v(t, "p99_ms")) " | " f1(v(t, "max_ms")) " | " \
			    v(t, "double_bookings") " |"
			continue
		}
		fig = f1(v(t, "bookings_per_s")) "/s"
		if (t == "push")
			fig = fig ", notify p99 " f1(v(t, "notify_p99_ms")) " ms"
		if (t == "terminals")
			fig = fig ", push p99 " f1(v(t, "push_p99_ms")) " ms"
		if (t == "terminals-restart")
			fig = fig ", all back within " \
			    f1(v(t, "reconnect_max_ms")) " ms"
		if (t == "flash-2000")
			fig = v(t, "bookings") " bookings, " \
			    v(t, "active_bookings") " active"
		print "| " t " | " v(t, "clients") " | " fig " | " \
		    f1(v(t, "conflicts_per_s")) "/s | " v(t, "errors") " | " \
		    f1(v(t, "p50_ms")) " | " f1(v(t, "p99_ms")) " | " \
		    f1(v(t, "max_ms")) " | " v(t, "double_bookings") " |"
	}
	print ""
}

function extras() {
	if (!ran("flash-2000") && !ran("stadium") && !ran("tui-stadium") &&
	    seqscans == "")
		return
	print "## Other checks (not targets of issue 18)"
	print ""
	if (ran("flash-2000"))
		print "- Sell-out (`flash`, 64 clients, a 2,000-seat show): " \
		    v("flash-2000", "bookings") " bookings, " \
		    v("flash-2000", "active_bookings") " active, " \
		    v("flash-2000", "double_bookings") " sold twice."
	if (ran("stadium"))
		print "- Stadium (" v("stadium", "venue_seats") " seats): map " \
		    "load through sl_show_seats p50 " \
		    f1(v("stadium", "load_p50_ms")) " ms, the states alone " \
		    f1(v("stadium", "states_p50_ms")) " ms (" \
		    v("stadium", "states_seq_scans") " Seq Scan(s))."
	if (ran("tui-stadium"))
		print "- The box office on it (`seatlock tui` in tmux at 80x24, " \
		    "tests/bench/tui_stadium.sh): opens the show in " \
		    v("tui-stadium", "open_ms") " ms, RSS " \
		    f1(num("tui-stadium", "rss_kb") / 1024) " MB once live " \
		    "(peak " f1(num("tui-stadium", "rss_peak_kb") / 1024) \
		    " MB); " v("tui-stadium", "instr_per_draw") " instructions " \
		    "per drawn viewport with curses' output (" \
		    v("tui-stadium", "instr_map_per_draw") " in map_draw)."
	if (seqscans != "")
		print "- Plans after the load (`seatlock bench --scenario " \
		    "explain`, plans.txt): " seqscans " Seq Scan(s) in the " \
		    "statements of a booking, a cancel, a seat map and the " \
		    "show list."
	print ""
}

# README.md's short form: the machine in a line, the rows.
function readme_out(    la, k) {
	split(l0, la, " ")
	print "SeatLock against the yardsticks of `../shared/anchors`, side " \
	    "by side in one `make bench` (" date "; " nproc " CPUs, " cpu \
	    ", " mem ", PostgreSQL " pgver ", fsync " fsync "; load " \
	    la[1] " before, " substr(l1, 1, index(l1 " ", " ") - 1) \
	    " after; " repeat (repeat == 1 ? " round" : " rounds") " of " \
	    secs " s, median (min-max); " \
	    "[benchmarks.md](assets/doc/benchmarks.md)):"
	print ""
	print "| | figure | ratio | target |"
	print "|---|---|---|---|"
	rows()
	for (k = 1; k <= nb; k++)
		print "| " B_n[k] " | " B_f[k] " | " B_r[k] " | " B_t[k] " |"
}

# The rows of the table, in either form.
function rows() {
	yardsticks()
	core_rows()
	hot_rows()
	serve_rows()
	push_rows()
	terminals_rows()
	wal_row()
}

END {
	ncl = split(clients, cl, " ")
	top = cl[ncl]
	if (readme) {
		readme_out()
		exit
	}
	print "# seatlock bench results"
	print ""
	print "Written by `make bench` (tests/bench/run.sh) on " date "; the " \
	    "raw figures are in results.jsonl."
	print "SeatLock against the yardsticks of `../shared/anchors` " \
	    "(README there), on the same cluster, in turn within each " \
	    "round (the yardstick first in odd rounds, SeatLock first in " \
	    "even ones); every ratio is taken within a round and given as " \
	    "median (min-max) over the rounds. Rates: pgbench's tps " \
	    "without its connection time; `seatlock bench`'s bookings_per_s " \
	    "over its whole timed run; wrk's successful bookings (201) over " \
	    "its run. An anchor that is absent is said to be, and its rows " \
	    "and ratios are left out, never estimated."
	print ""
	machine()
	print "## Side by side"
	print ""
	print "| workload | figure, median (min-max) | yardstick | ratio, " \
	    "median (min-max) | target | |"
	print "|---|---|---|---|---|---|"
	rows()
	print ""
	all_runs()
	extras()
}
