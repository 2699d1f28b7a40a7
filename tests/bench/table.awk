# table.awk - turns tests/bench/results.jsonl (one flat JSON object per
# `seatlock bench --json` run, with a "tag") into the markdown of
# tests/bench/results.md.  Variables come from tests/bench/run.sh.

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

# "median (min-max)" of the n values in a, with fmt.
function spread(a, n, fmt,    m) {
	if (n == 0)
		return "-"
	sortn(a, n)
	m = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	if (n == 1)
		return sprintf(fmt, m)
	return sprintf(fmt " (" fmt "-" fmt ")", m, a[1], a[n])
}

function median(a, n) {
	if (n == 0)
		return -1
	sortn(a, n)
	return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
}

function v(tag, k) {
	return (tag, k) in val ? val[tag, k] : ""
}

# The same as a number (awk compares strings as strings).
function num(tag, k) {
	return v(tag, k) + 0
}

function f1(x) { return x == "" ? "-" : sprintf("%.1f", x) }
function f2(x) { return x == "" ? "-" : sprintf("%.2f", x) }
function yes(c) { return c ? "**met**" : "**missed**" }

{
	tag = get($0, "tag")
	order[++ntags] = tag
	line[tag] = $0
	nk = split("scenario notify clients listeners rate bookings_per_s " \
	    "steady_per_s pgbench_tps_all " \
	    "conflicts_per_s errors busy p50_ms p95_ms p99_ms max_ms " \
	    "notify_p50_ms notify_p99_ms notify_max_ms missed seq_gaps " \
	    "pgbench_tps ratio double_bookings state_mismatches bookings " \
	    "active_bookings seats_booked cancels failed load_p50_ms " \
	    "load_max_ms import_ms show_add_ms venue_seats seq_scans " \
	    "notifier_round_ms exhausted conflicts states_p50_ms " \
	    "states_seq_scans load_fresh_p50_ms seconds created cancels " \
	    "errors_4xx errors_5xx socket_errors timeouts requests_per_s " \
	    "pool open_ms rss_peak_kb rss_kb instr_per_draw " \
	    "instr_map_per_draw draws", keys, " ")
	for (i = 1; i <= nk; i++)
		val[tag, keys[i]] = get($0, keys[i])
}

END {
	print "# seatlock bench results"
	print ""
	print "Written by `make bench` (tests/bench/run.sh) on " date "; " \
	    "the raw figures are in results.jsonl, the plans of the hot " \
	    "queries in plans.txt."
	print "Rates: bookings/s is over the whole run; steady/s leaves out " \
	    "the first second (the sessions' first calls compile and plan " \
	    "the booking function); the pgbench ratio compares steady rates " \
	    "(pgbench runs 4 s longer, connecting its clients and compiling " \
	    "the function meanwhile, and its last seconds of per-second " \
	    "progress count), and so does the frontier ratio."
	print "Every target is a ratio or a figure measured within one run of " \
	    "this set; the comparisons ran " repeat " times each (" secs \
	    " s runs, " clients " clients, " listeners " listeners), shown " \
	    "as median (min-max)."
	print ""
	print "## Machine"
	print ""
	print "| | |"
	print "|---|---|"
	print "| CPUs (nproc) | " nproc " |"
	print "| CPU | " cpu " |"
	print "| memory | " mem " |"
	print "| PostgreSQL | " pgver " (private cluster: shared_buffers " \
	    sbuf ", work_mem " wmem ", otherwise defaults) |"
	print "| fsync / synchronous_commit | " fsync " / " sync " |"
	split(l0, la, " ")
	print "| load average (1, 5, 15 min) | " l0 " at the start" \
	    (la[1] + 0 > nproc + 0 ? " (the machine was busy with other " \
	    "work)" : "") ", " l1 " at the end (the set's own clients and " \
	    "backends count in it) |"
	print "| duration of the set | " took " s |"
	print ""

	# Target 1
	nb = np = 0
	for (i = 1; i <= repeat; i++) {
		x = v("pgbench-batched-" i, "ratio")
		if (x != "") rb[++nb] = x
		x = v("pgbench-percommit-" i, "ratio")
		if (x != "") rp[++np] = x
	}
	mb = median(rb, nb)
	# Target 2
	nf = nl = nc = 0
	ns = 0
	for (i = 1; i <= repeat; i++) {
		off = num("nopush-" i, "steady_per_s")
		b = v("batched-listen-" i, "steady_per_s")
		if (off > 0 && b != "") rf[++nf] = b / off
		x = v("batched-paced-" i, "notify_p99_ms")
		if (x != "") lp[++nl] = x
		x = v("batched-listen-" i, "notify_p99_ms")
		if (x != "") ls[++ns] = x
	}
	mf = median(rf, nf)
	ml = median(lp, nl)
	c = v("percommit-listen", "steady_per_s")
	if (c != "" && num("nopush-1", "steady_per_s") > 0)
		pc = sprintf("%.2f", c / num("nopush-1", "steady_per_s"))
	else
		pc = "-"
	# Target 3: a connection per client, and through a pool
	hot_ok = pool_ok = 1
	split("hot-batched toggle-batched hot-pooled toggle-pooled", t3, " ")
	for (j = 1; j <= 4; j++) {
		p50 = num(t3[j], "p50_ms"); p99 = num(t3[j], "p99_ms")
		q3[j] = p50 > 0 ? p99 / p50 : -1
		if (!(p50 > 0 && p99 <= 3 * p50 && v(t3[j], "errors") == "0")) {
			if (j <= 2)
				hot_ok = 0
			else
				pool_ok = 0
		}
	}
	# Target 5
	flash_ok = num("flash-batched", "bookings") == 2000 && \
	    num("flash-batched", "active_bookings") == 2000 && \
	    v("flash-batched", "double_bookings") == "0"

	print "## Targets"
	print ""
	print "| # | target | measured | |"
	print "|---|---|---|---|"
	print "| 1 | single-seat `spread` with live push >= 0.9x pgbench " \
	    "running our booking function at the same concurrency | " \
	    "batched push: " spread(rb, nb, "%.2f") "x; per-commit push: " \
	    spread(rp, np, "%.2f") "x | " yes(mb >= 0.9) " |"
	print "| 2 | batched push >= 0.75x the same bookings with no push; " \
	    "p99 commit-to-notification <= 25 ms with " listeners \
	    " listeners | " spread(rf, nf, "%.2f") "x (per-commit push: " \
	    pc "x); p99 " spread(lp, nl, "%.1f") " ms at half the capacity " \
	    "(" spread(ls, ns, "%.1f") " ms with the machine saturated) | " \
	    yes(mf >= 0.75) " / " yes(ml >= 0 && ml <= 25) " |"
	print "| 3 | `hot` and `toggle`, 64 clients: p99 within 3x of p50, " \
	    "no error but conflicts | a connection per client: hot p99/p50 " \
	    f1(q3[1]) ", toggle " f1(q3[2]) "; errors " \
	    v("hot-batched", "errors") " and " v("toggle-batched", "errors") \
	    ", busy " v("hot-batched", "busy") " and " \
	    v("toggle-batched", "busy") ". Through a pool of " \
	    v("hot-pooled", "pool") " connections served in turn " \
	    "(`--pool`): hot " f1(q3[3]) ", toggle " f1(q3[4]) "; errors " \
	    v("hot-pooled", "errors") " and " v("toggle-pooled", "errors") \
	    " (batched push) | per client " yes(hot_ok) " / pooled " \
	    yes(pool_ok) " |"
	tu = "tui-stadium"
	print "| 4 | 100,000-seat stadium: map load <= 300 ms; seat-state " \
	    "query served by an index; TUI RSS <= 30 MB; one 80x24 " \
	    "viewport drawn in <= 1M instructions | map load through " \
	    "sl_show_seats: p50 " f1(v("stadium", "load_p50_ms")) \
	    " ms, max " f1(v("stadium", "load_max_ms")) " ms (" \
	    v("stadium", "seq_scans") " Seq Scan(s) in its plan); states " \
	    "alone: p50 " f1(v("stadium", "states_p50_ms")) " ms (" \
	    v("stadium", "states_seq_scans") " Seq Scan(s)); the box " \
	    "office (`seatlock tui` in tmux) opens the show in " \
	    v(tu, "open_ms") " ms, RSS " f1(num(tu, "rss_kb") / 1024) \
	    " MB once live (peak " f1(num(tu, "rss_peak_kb") / 1024) \
	    " MB, during its first live reload); callgrind: " \
	    v(tu, "instr_per_draw") " instructions per draw with curses' " \
	    "terminal output (doupdate), " v(tu, "instr_map_per_draw") \
	    " in the map's own drawing (map_draw), over " v(tu, "draws") \
	    " draws | load " yes(v("stadium", "load_p50_ms") != "" && \
	    num("stadium", "load_p50_ms") <= 300) " / index " \
	    yes(v("stadium", "states_seq_scans") == "0") " / RSS " \
	    yes(v(tu, "rss_kb") != "" && num(tu, "rss_kb") <= 30720) \
	    " (peak " yes(v(tu, "rss_peak_kb") != "" && \
	    num(tu, "rss_peak_kb") <= 30720) ") / draw " \
	    yes(v(tu, "instr_per_draw") != "" && \
	    num(tu, "instr_per_draw") <= 1000000) " (map_draw " \
	    yes(v(tu, "instr_map_per_draw") != "" && \
	    num(tu, "instr_map_per_draw") <= 1000000) ") |"
	print "| 5 | `flash`: 64 clients sell out a 2,000-seat show with " \
	    "exactly 2,000 bookings | " v("flash-batched", "bookings") \
	    " bookings, " v("flash-batched", "active_bookings") \
	    " active, " v("flash-batched", "double_bookings") \
	    " double (batched); " v("flash-percommit", "bookings") \
	    " bookings (per-commit) | " yes(flash_ok) " |"
	print ""
	print "Plans after the load (`seatlock bench --scenario explain`): " \
	    seqscans " Seq Scan(s) in the statements of a booking, a " \
	    "cancel, a seat map and the show list (plans.txt)."
	print ""
	print "## HTTP API"
	print ""
	print "wrk (2 threads, " wrk_conns " connections) against `seatlock " \
	    "serve` (a pool of " api_pool " database connections, batched " \
	    "push), and the same bookings through `seatlock bench` with " \
	    api_pool " clients: one seat a booking. Distinct: every seat " \
	    "once. Hot: 8 seats, a winner cancels at once (the API's " \
	    "latency counts both its POSTs and its DELETEs)."
	print ""
	print "| load | through | bookings/s | conflicts/s | cancels/s | " \
	    "errors | p50 ms | p99 ms | max ms | double bookings | " \
	    "API / bench |"
	print "|---|---|---|---|---|---|---|---|---|---|---|"
	split("spread hot", al, " ")
	split("distinct seats|hot seats", an, "|")
	for (j = 1; j <= 2; j++) {
		w = "api-wrk-" al[j]
		b = "api-bench-" al[j]
		if (v(w, "failed") == "true" || v(w, "created") == "") {
			print "| " an[j] " | HTTP (wrk) | not run or failed " \
			    "| | | | | | | | |"
		} else {
			secs_w = num(w, "seconds")
			r = num(b, "bookings_per_s") > 0 ? sprintf("%.2fx",
			    num(w, "bookings_per_s") / \
			    num(b, "bookings_per_s")) : "-"
			print "| " an[j] " | HTTP (wrk) | " \
			    f1(v(w, "bookings_per_s")) " | " \
			    f1(num(w, "conflicts") / secs_w) " | " \
			    f1(num(w, "cancels") / secs_w) " | " \
			    (num(w, "errors_4xx") + num(w, "errors_5xx") + \
			    num(w, "socket_errors") + num(w, "timeouts")) \
			    " (5xx " v(w, "errors_5xx") ", timeouts " \
			    v(w, "timeouts") ") | " f1(v(w, "p50_ms")) " | " \
			    f1(v(w, "p99_ms")) " | " f1(v(w, "max_ms")) " | " \
			    v(w, "double_bookings") " | " r " |"
		}
		print "| " an[j] " | `seatlock bench` | " \
		    f1(v(b, "bookings_per_s")) " | " \
		    f1(v(b, "conflicts_per_s")) " | " \
		    (num(b, "seconds") > 0 ? f1(num(b, "cancels") / \
		    num(b, "seconds")) : "-") " | " v(b, "errors") " | " \
		    f1(v(b, "p50_ms")) " | " f1(v(b, "p99_ms")) " | " \
		    f1(v(b, "max_ms")) " | " v(b, "double_bookings") " | |"
	}
	print ""
	print "## All runs"
	print ""
	print "| run | notify | clients | listeners | paced at/s | " \
	    "bookings/s | steady/s | " \
	    "conflicts/s | errors | p50 ms | p95 ms | p99 ms | max ms | " \
	    "notify p50 ms | notify p99 ms | pgbench tps | ratio | " \
	    "double bookings |"
	print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" \
	    "---|---|---|"
	for (k = 1; k <= ntags; k++) {
		t = order[k]
		if (v(t, "failed") == "true") {
			print "| " t " | failed | | | | | | | | | | | | | | | | |"
			continue
		}
		if (v(t, "scenario") == "stadium" || t ~ /^api-wrk-/ ||
		    t == "tui-stadium")
			continue
		print "| " t " | " v(t, "notify") " | " v(t, "clients") " | " \
		    (v(t, "listeners") == "" ? "-" : v(t, "listeners")) " | " \
		    (num(t, "rate") > 0 ? f1(v(t, "rate")) : "-") " | " \
		    f1(v(t, "bookings_per_s")) " | " \
		    f1(v(t, "steady_per_s")) " | " \
		    f1(v(t, "conflicts_per_s")) " | " v(t, "errors") " | " \
		    f1(v(t, "p50_ms")) " | " f1(v(t, "p95_ms")) " | " \
		    f1(v(t, "p99_ms")) " | " f1(v(t, "max_ms")) " | " \
		    f1(v(t, "notify_p50_ms")) " | " \
		    f1(v(t, "notify_p99_ms")) " | " \
		    f1(v(t, "pgbench_tps")) " | " f2(v(t, "ratio")) " | " \
		    v(t, "double_bookings") " |"
	}
	print ""
	print "Stadium: " v("stadium", "venue_seats") " seats, imported in " \
	    f1(v("stadium", "import_ms")) " ms, show added in " \
	    f1(v("stadium", "show_add_ms")) " ms; map load p50 " \
	    f1(v("stadium", "load_p50_ms")) " ms, max " \
	    f1(v("stadium", "load_max_ms")) " ms (p50 " \
	    f1(v("stadium", "load_fresh_p50_ms")) " ms right after the " \
	    "import, before ANALYZE); the states alone (seat_id, state) " \
	    "p50 " f1(v("stadium", "states_p50_ms")) " ms."
}
