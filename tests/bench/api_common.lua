-- What the wrk scripts of make bench (api_spread.lua) use:
-- numbering the threads, and done(), which sums the answers the threads
-- counted by class and prints the figures as one JSON object.  Loaded by
-- them with dofile from BENCH_LUA (the directory of these files).
threads = {}
local n = 0

function setup(thread)
	n = n + 1
	thread:set("tid", n)
	table.insert(threads, thread)
end

function counters()
	created, conflicts, cancels, errors_4xx, errors_5xx = 0, 0, 0, 0, 0
end

function count(status)
	if status == 201 then
		created = created + 1
	elseif status == 204 then
		cancels = cancels + 1
	elseif status == 409 then
		conflicts = conflicts + 1
	elseif status >= 500 then
		errors_5xx = errors_5xx + 1
	else
		errors_4xx = errors_4xx + 1
	end
end

function done(summary, latency, requests)
	local t = { created = 0, conflicts = 0, cancels = 0, errors_4xx = 0,
	    errors_5xx = 0 }
	for _, thread in ipairs(threads) do
		for k, _ in pairs(t) do
			t[k] = t[k] + thread:get(k)
		end
	end
	local s = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format('{"created": %d, "conflicts": %d, ' ..
	    '"cancels": %d, "errors_4xx": %d, "errors_5xx": %d, ' ..
	    '"socket_errors": %d, "timeouts": %d, "seconds": %.3f, ' ..
	    '"requests_per_s": %.1f, "bookings_per_s": %.1f, ' ..
	    '"p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
	    t.created, t.conflicts, t.cancels, t.errors_4xx, t.errors_5xx,
	    e.connect + e.read + e.write, e.timeout, s,
	    summary.requests / s, t.created / s,
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000))
end
