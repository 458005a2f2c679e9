-- wrk script: each request casts the next vote of the plan named by BENCH_PLAN, each once: one line per vote,
-- "token category nominee address"; thread k of n takes every n-th line from line k, asks for /health/live while
-- its last votes are in flight, and stops once they are all answered (the rate is taken from the cast times in the
-- database). The address goes in
-- X-Forwarded-For (the server trusts the loopback proxy), so that each voter votes from an address of their own,
-- as real voters do. At the end it prints how many answers were 201 and how many were not.
local threads = {}
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")
local path = "/api/v1/calls/" .. os.getenv("BENCH_CALL") .. "/prizes/votes"

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function init(args)
  votes = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_PLAN")) do
    i = i + 1
    if (i - thread_index) % thread_count == 0 then
      votes[#votes + 1] = line
    end
  end
  -- wrk calls request() once on the first thread to check what it returns, before any connection: that call is
  -- given a health check, so that no vote of the plan is spent on it.
  next_vote, created, other = (thread_index == 1) and 0 or 1, 0, 0
end

request = function()
  local line = votes[next_vote]
  next_vote = next_vote + 1
  if line == nil then -- the check, or the plan is done
    return wrk.format("GET", "/health/live")
  end
  local token, category, nominee, address = line:match("^(%S+) (%S+) (%S+) (%S+)$")
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = address,
  }
  return wrk.format("POST", path, headers, '{"category": ' .. category .. ', "nominee": "' .. nominee .. '"}')
end

-- A vote is answered 201 or a problem, a health check 200. Once every vote of the thread is answered, the thread
-- stops, so that wrk's latencies are the votes' (give or take the few health checks sent while the last votes were
-- in flight).
response = function(status, headers, body)
  if status == 201 then created = created + 1 elseif status ~= 200 then other = other + 1 end
  if created + other >= #votes then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_created, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("answers: %d created, %d other\n", total_created, total_other))
end
