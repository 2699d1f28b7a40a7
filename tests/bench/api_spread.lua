-- wrk script of make bench (tests/bench/run.sh): POST /bookings of one
-- seat each, every seat once, spread over several shows as `seatlock bench
-- --scenario spread` spreads them (bookings of one show queue on its row).
-- LABELS names a file of "SHOW LABEL" lines; wrk thread k of WRK_THREADS
-- takes lines k, k + WRK_THREADS, ...; a thread that runs out asks for its
-- seats again (answered 409: counted as conflicts, and the figures say so).
dofile(os.getenv("BENCH_LUA") .. "/api_common.lua")
local user = os.getenv("SL_USER")
local nthreads = tonumber(os.getenv("WRK_THREADS"))

function init(args)
	mine = {}
	local i = 0
	for line in io.lines(os.getenv("LABELS")) do
		if i % nthreads == tid - 1 then
			local show, label = string.match(line, "^(%d+) (%S+)$")
			table.insert(mine, '{"user_id":' .. user ..
			    ',"show_id":' .. show .. ',"seats":["' .. label ..
			    '"]}')
		end
		i = i + 1
	end
	next_seat = 1
	counters()
end

function request()
	local body = mine[next_seat]
	next_seat = next_seat % #mine + 1
	return wrk.format("POST", "/bookings",
	    { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
	count(status)
end
