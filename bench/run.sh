#!/usr/bin/env bash
# Load benchmark of the read endpoints, run by hand (never in CI, never asserted in tests).
#
#   bench/run.sh                       # SQLite
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/run.sh   # also PostgreSQL (creates wsis_bench)
#
# Builds release, starts `wsis serve` on a loopback port, loads it with wrk (Debian package) from a second process on
# the same machine, and prints a table per backend: requests/s, p50 and p99 latency, and the server's peak RSS. Each
# backend is loaded twice: with kept pages (the default), then without (WSIS_PAGE_CACHE_BYTES=0), each time with one
# URL per route and with many different URLs at random (bench/spread.lua); then the full CSV export is timed.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
PROJECTS=${BENCH_PROJECTS:-100000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18089}

# A server left running by a failed step is stopped on the way out.
trap '[ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 >/dev/null; }
cargo build --release -q -p wsis

ROUTES=(
  "/health/live"
  "/api/v1/reference/countries"
  "/api/v1/reference/action-lines?lang=ar"
  "/api/v1/calls/wsis-2025/tracks"
  "/api/v1/calls/wsis-2025/tracks/ocp?tz=America/New_York"
  "/api/v1/stocktaking/projects/PROJECT_ID"
  "/api/v1/stocktaking/projects?action_line=C3&limit=50"
  "/api/v1/stocktaking/projects?q=libraries&limit=50"
  "/api/v1/stocktaking/projects?sort=title&limit=50"
)
# The repository routes again with WSIS_PAGE_CACHE_BYTES=0: every request renders its page from the database.
UNCACHED_ROUTES=(
  "/api/v1/stocktaking/projects/PROJECT_ID"
  "/api/v1/stocktaking/projects?action_line=C3&limit=50"
  "/api/v1/stocktaking/projects?q=libraries&limit=50"
  "/api/v1/stocktaking/projects?sort=title&limit=50"
)

load() {
  local route=$1 out rps p50 p99 errors
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${@:2}" "http://127.0.0.1:$PORT$route")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)
  echo "| \`$route\` | $rps | $p50 | $p99 |${errors:+ $errors}"
  sleep 2 # let queued work drain before the next route
}

serve() {
  local url=$1 dir=$2 cache=$3
  DATABASE_URL=$url WSIS_LOG=warn WSIS_LISTEN=127.0.0.1:$PORT WSIS_PAGE_CACHE_BYTES=$cache ./target/release/wsis serve --data-dir "$dir" &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
}

# Many different pages at random (bench/spread.lua): 10,000 projects, and 300 different searches (words and pairs of
# adjacent words from the titles), so that most requests are not the page another request just asked for.
spread() {
  local dir=$1
  if [ ! -s "$dir/searches" ]; then
    curl -fs -o "$dir/export.jsonl" "http://127.0.0.1:$PORT/api/v1/stocktaking/projects/export?format=jsonl"
    python3 -c '
import itertools, json, sys, urllib.parse
queries, projects = {}, []
for line in itertools.islice(open(sys.argv[1] + "/export.jsonl"), 10000):
    p = json.loads(line)
    projects.append("/api/v1/stocktaking/projects/" + p["id"])
    words = p["title"].split()
    for q in words + [a + " " + b for a, b in zip(words, words[1:])]:
        queries.setdefault(q, None)
print("\n".join(projects), file=open(sys.argv[1] + "/projects", "w"))
print("\n".join("/api/v1/stocktaking/projects?limit=50&q=" + urllib.parse.quote(q) for q in list(queries)[:300]), file=open(sys.argv[1] + "/searches", "w"))
' "$dir"
    rm "$dir/export.jsonl"
  fi
  echo "| 10,000 different projects at random | $(load_spread "$dir/projects")"
  echo "| $(wc -l <"$dir/searches") different searches at random | $(load_spread "$dir/searches")"
}

load_spread() {
  BENCH_PATHS=$1 load "/" -s bench/spread.lua | cut -d'|' -f3-
}

bench_backend() {
  local name=$1 url=$2 dir
  dir=$(mktemp -d)
  local seeded=$SECONDS
  DATABASE_URL=$url WSIS_LOG=warn ./target/release/wsis seed-demo --projects "$PROJECTS" --data-dir "$dir" >/dev/null 2>&1
  local seed_seconds=$((SECONDS - seeded))
  serve "$url" "$dir" 33554432
  local project
  project=$(curl -fs "http://127.0.0.1:$PORT/api/v1/stocktaking/projects?limit=1" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  echo
  echo "### $name ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, same machine; $PROJECTS projects seeded in ${seed_seconds} s)"
  echo
  echo "| route | requests/s | p50 | p99 |"
  echo "|---|---:|---:|---:|"
  for route in "${ROUTES[@]}"; do
    load "${route/PROJECT_ID/$project}"
  done
  spread "$dir"
  echo
  echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$SERVER/status")"
  kill -TERM "$SERVER"; wait "$SERVER" || true

  serve "$url" "$dir" 0
  echo
  echo "Without kept pages (WSIS_PAGE_CACHE_BYTES=0):"
  echo
  echo "| route | requests/s | p50 | p99 |"
  echo "|---|---:|---:|---:|"
  for route in "${UNCACHED_ROUTES[@]}"; do
    load "${route/PROJECT_ID/$project}"
  done
  spread "$dir"
  local before after timing
  before=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
  timing=$(curl -s -o /dev/null -w '%{time_total} s, %{size_download} bytes' "http://127.0.0.1:$PORT/api/v1/stocktaking/projects/export?format=csv")
  after=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
  echo
  echo "full CSV export: $timing; server RSS $((before / 1024)) MB before, peak $((after / 1024)) MB"
  echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$SERVER/status")"
  kill -TERM "$SERVER"; wait "$SERVER" || true
  rm -rf "$dir"
}

bench_backend sqlite "sqlite://$(mktemp -d)/bench.sqlite3"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  admin=$BENCH_POSTGRES_URL
  psql "$admin" -qc 'DROP DATABASE IF EXISTS wsis_bench WITH (FORCE)' -c 'CREATE DATABASE wsis_bench'
  bench_backend postgres "${admin%/*}/wsis_bench"
  psql "$admin" -qc 'DROP DATABASE IF EXISTS wsis_bench WITH (FORCE)'
fi
