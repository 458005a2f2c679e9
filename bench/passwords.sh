#!/usr/bin/env bash
# Password hashing under attack, run by hand (never in CI): 500 concurrent sign-ins, then 500 concurrent
# registrations, each for a different address (so no per-account limit answers early; the per-address limit is
# raised for the run), while a second wrk reads GET /api/v1/calls over 8 connections. Prints, per load, the rate and
# the answers of the password requests (503 is the hashing gate's "busy"), the p50/p99 of the concurrent reads, and
# the server's peak RSS. Targets (issue 10): peak RSS under 300 MB, reads p99 under 100 ms.
#
#   bench/passwords.sh                 # SQLite, release build
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-15s}
PORT=${BENCH_PORT:-18090}
trap '[ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true' EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p wsis

dir=$(mktemp -d)
WSIS_LOG=warn WSIS_LOG_FORMAT=json WSIS_LOGIN_MAX_ADDRESS_FAILURES=100000 ./target/release/wsis serve --listen "127.0.0.1:$PORT" \
  --data-dir "$dir" 2>"$dir/server.log" &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.1; done

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$SERVER/status"; }
peak() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status"; }

echo "| load | password requests/s | their answers | GET /calls p50 | GET /calls p99 | RSS before → after, MB | peak RSS, MB |"
echo "|---|---:|---|---:|---:|---|---:|"
for kind in signin register; do
  before=$(rss)
  reads=$(mktemp)
  wrk -t1 -c8 -d"$DURATION" --latency "http://127.0.0.1:$PORT/api/v1/calls" >"$reads" &
  readers=$!
  out=$(BENCH_KIND=$kind wrk -t2 -c500 -d"$DURATION" --timeout 10s -s bench/passwords.lua \
    "http://127.0.0.1:$PORT")
  wait "$readers"
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  shed=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  busy=$(grep -c '"http.status":503\|http.status=503' "$dir/server.log" || true)
  answers="$total in all; ${shed:-0} not 2xx, of which $busy were 503 (gate full)"
  : >"$dir/server.log"
  p50=$(awk '$1 == "50%" {print $2}' "$reads")
  p99=$(awk '$1 == "99%" {print $2}' "$reads")
  echo "| 500 concurrent $kind | $rps | $answers | $p50 | $p99 | $before → $(rss) | $(peak) |"
  sleep 3
done
