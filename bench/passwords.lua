-- wrk script: password work at a high rate. BENCH_KIND=signin posts password grants for addresses nobody has (each
-- costs one Argon2 verification against the decoy); BENCH_KIND=register posts registrations of fresh addresses (each
-- costs one Argon2 hash). Every request names a different address, so no per-account limit answers early.
local kind = os.getenv("BENCH_KIND") or "signin"
local n = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

request = function()
  n = n + 1
  local who = string.format("bench-%d-%d@example.org", math.random(1, 1000000000), n)
  if kind == "register" then
    local body = string.format(
      '{"email": "%s", "password": "a long benchmark passphrase", "display_name": "Bench", "language": "en"}', who)
    return wrk.format("POST", "/api/v1/auth/register", {["Content-Type"] = "application/json"}, body)
  end
  local body = "grant_type=password&username=" .. who .. "&password=a+wrong+password+guess"
  return wrk.format("POST", "/api/v1/auth/token", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
