-- wrk script for tests/cli/api_load.sh: POST /bookings of one random seat
-- among the hot ones (A1..A<NSEATS>) of SHOW for SL_USER, and a count of
-- the answers by class, summed over wrk's threads at the end.
local show = os.getenv("SHOW")
local user = os.getenv("SL_USER")
local nseats = tonumber(os.getenv("NSEATS"))
local threads = {}
local nthreads = 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("tid", nthreads)
	table.insert(threads, thread)
end

function init(args)
	math.randomseed(os.time() * 100 + tid)
	created, conflicts, client_errors, server_errors, other = 0, 0, 0, 0, 0
end

function request()
	local seat = "A" .. math.random(1, nseats)
	local body = '{"user_id":' .. user .. ',"show_id":' .. show ..
	    ',"seats":["' .. seat .. '"]}'
	return wrk.format("POST", "/bookings",
	    { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	elseif status == 409 then
		conflicts = conflicts + 1
	elseif status >= 500 then
		server_errors = server_errors + 1
	elseif status >= 400 then
		client_errors = client_errors + 1
	else
		other = other + 1
	end
end

function done(summary, latency, requests)
	local t = { created = 0, conflicts = 0, client_errors = 0,
	    server_errors = 0, other = 0 }
	for _, thread in ipairs(threads) do
		for k, _ in pairs(t) do
			t[k] = t[k] + thread:get(k)
		end
	end
	io.write(string.format("answers created=%d conflicts=%d " ..
	    "client_errors=%d server_errors=%d other=%d\n", t.created,
	    t.conflicts, t.client_errors, t.server_errors, t.other))
	io.write(string.format("latency p50=%.1fms p99=%.1fms max=%.1fms\n",
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000))
end
