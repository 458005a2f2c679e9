-- wrk script: each request submits the next draft of the file named by BENCH_DRAFTS, each draft once: thread k of
-- n takes every n-th line from line k, and goes idle when its drafts run out (wrk runs to its duration; the rate is
-- taken from the receive times in the database). BENCH_TOKEN is the bearer token. At the end it prints how many
-- answers were 200 and how many were not, to compare with the receipts in the database.
local threads, ids = {}, {}
local thread_count = tonumber(os.getenv("BENCH_THREADS") or "2")

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function init(args)
  local all, k = {}, 0
  for line in io.lines(os.getenv("BENCH_DRAFTS")) do
    all[#all + 1] = line
  end
  for i = thread_index, #all, thread_count do
    k = k + 1
    ids[k] = all[i]
  end
  next_draft, ok, other = 1, 0, 0
  token = "Bearer " .. os.getenv("BENCH_TOKEN")
end

request = function()
  local id = ids[next_draft]
  next_draft = next_draft + 1
  if id == nil then
    wrk.thread:stop()
    return wrk.format("GET", "/health/live")
  end
  return wrk.format("POST", "/api/v1/submissions/" .. id .. "/submit", { ["Authorization"] = token }, "")
end

response = function(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  io.write(string.format("answers: %d ok, %d other\n", total_ok, total_other))
end
