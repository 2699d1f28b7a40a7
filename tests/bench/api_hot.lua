-- wrk script of make bench (tests/bench/run.sh): the `hot` scenario over
-- HTTP.  Every request books one random seat of A1..A<NSEATS> of SHOW;
-- a thread that wins sends a DELETE of its booking as its next request,
-- as `seatlock bench --scenario hot` cancels at once, so the seats stay
-- contested.  The latency is of every request, bookings and cancels.
dofile(os.getenv("BENCH_LUA") .. "/api_common.lua")
local show = os.getenv("SHOW")
local user = os.getenv("SL_USER")
local nseats = tonumber(os.getenv("NSEATS"))

function init(args)
	math.randomseed(os.time() * 100 + tid)
	won = {}
	counters()
end

function request()
	local id = table.remove(won)
	if id ~= nil then
		return wrk.format("DELETE", "/bookings/" .. id)
	end
	return wrk.format("POST", "/bookings",
	    { ["Content-Type"] = "application/json" },
	    '{"user_id":' .. user .. ',"show_id":' .. show ..
	    ',"seats":["A' .. math.random(1, nseats) .. '"]}')
end

function response(status, headers, body)
	count(status)
	if status == 201 then
		local id = string.match(body, '"id": *(%d+)')
		if id ~= nil then
			table.insert(won, id)
		end
	end
end
