-- wrk script: each request asks for one of the paths listed in the file named by BENCH_PATHS, at random, so the
-- load spreads over many different pages (a crowd reading different projects and searching different words)
-- instead of repeating one URL.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
