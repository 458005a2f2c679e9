#!/usr/bin/env bash
# Load benchmark of the write path at its busiest, a deadline rush, run by hand (never in CI, never asserted in tests).
#
#   bench/submit.sh                       # SQLite
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/submit.sh   # also PostgreSQL (creates wsis_bench)
#
# Builds release, seeds the demo call (every track open) with its demo owner, creates BENCH_DRAFTS trust fund drafts
# of one organisation through the API, then submits each exactly once with wrk (BENCH_CONNECTIONS connections, from a
# second process on the same machine: bench/submit.lua), all on the same track, so that every submit competes for the
# track's receipt counter. Prints submits/s, p50 and p99, the answers that were not 200, and checks in the database
# that every draft has a receipt and that the numbers are distinct. PostgreSQL runs with its defaults (fsync on,
# synchronous_commit on).
set -euo pipefail
cd "$(dirname "$0")/.."

DRAFTS=${BENCH_DRAFTS:-6000}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18090}
PASSWORD="demo account, not for production"

trap '[ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
# BENCH_BINARY runs another build (an earlier commit's, to compare on the same machine).
WSIS=${BENCH_BINARY:-./target/release/wsis}
[ -n "${BENCH_BINARY:-}" ] || cargo build --release -q -p wsis

bench_backend() {
  local name=$1 url=$2 count=$3 dir
  dir=$(mktemp -d)
  DATABASE_URL=$url WSIS_LOG=warn "$WSIS" seed-demo --projects 25 --data-dir "$dir" >/dev/null 2>&1
  DATABASE_URL=$url WSIS_LOG=warn WSIS_LISTEN=127.0.0.1:$PORT "$WSIS" serve --data-dir "$dir" &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
  python3 - "$PORT" "$DRAFTS" "$dir" "$PASSWORD" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, drafts, folder, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}/api/v1"
def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.load(response)
token = call("POST", "/auth/token", {"grant_type": "password", "username": "demo-owner@wsis.invalid", "password": password})["access_token"]
me = call("GET", "/me", token=token)
organisation = me["organisations"][0]["id"]
call_slug = call("GET", "/calls")["items"][0]["slug"]
pledge = {"kind": "financial", "amount": "2500", "currency": "CHF", "earmark": "Fellowships"}
def create(_):
    return call("POST", "/submissions", {"call": call_slug, "track": "trust_fund", "organisation_id": organisation, "language": "en", "content": pledge}, token)["id"]
with ThreadPoolExecutor(8) as pool:
    ids = list(pool.map(create, range(drafts)))
open(folder + "/drafts", "w").write("\n".join(ids) + "\n")
open(folder + "/token", "w").write(token)
PY
  local out
  out=$(BENCH_DRAFTS="$dir/drafts" BENCH_TOKEN=$(cat "$dir/token") BENCH_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${BENCH_SECONDS:-45}s" --latency -s bench/submit.lua "http://127.0.0.1:$PORT/")
  echo
  echo "### $name: $DRAFTS submits on one track ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS, same machine)"
  echo
  echo "| submits/s | p50 | p99 | answers |"
  echo "|---:|---:|---:|---|"
  echo "| $($count "$url" rate) | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $(grep -E '^answers' <<<"$out" | cut -d' ' -f2-)$(grep -E 'Socket errors' <<<"$out" | tr -s ' ') |"
  echo
  echo "receipts (submitted, distinct numbers): $($count "$url" receipts)"
  echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$SERVER/status")"
  kill -TERM "$SERVER"; wait "$SERVER" || true
  rm -rf "$dir"
}

# The receipts, and the rate: submits divided by the time between the first and the last receive time.
SUBMITTED="FROM submissions WHERE track_kind = 'trust_fund' AND status = 'submitted'"
RECEIPTS="SELECT count(*) || ', ' || count(DISTINCT receipt_number) $SUBMITTED"
count_sqlite() {
  if [ "$2" = rate ]; then
    sqlite3 "${1#sqlite://}" "SELECT round(count(*) / ((julianday(max(received_at)) - julianday(min(received_at))) * 86400.0)) $SUBMITTED"
  else
    sqlite3 "${1#sqlite://}" "$RECEIPTS"
  fi
}
count_postgres() {
  if [ "$2" = rate ]; then
    psql "$1" -Atc "SELECT round(count(*) / extract(epoch FROM max(received_at) - min(received_at))) $SUBMITTED"
  else
    psql "$1" -Atc "$RECEIPTS"
  fi
}

# BENCH_ONLY=postgres skips SQLite (with BENCH_POSTGRES_URL).
if [ "${BENCH_ONLY:-}" != postgres ]; then
  SQLITE_DIR=$(mktemp -d)
  bench_backend sqlite "sqlite://$SQLITE_DIR/bench.sqlite3" count_sqlite
  rm -rf "$SQLITE_DIR"
fi
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  admin=$BENCH_POSTGRES_URL
  psql "$admin" -qc 'DROP DATABASE IF EXISTS wsis_bench WITH (FORCE)' -c 'CREATE DATABASE wsis_bench'
  bench_backend postgres "${admin%/*}/wsis_bench" count_postgres
  psql "$admin" -qc 'DROP DATABASE IF EXISTS wsis_bench WITH (FORCE)'
fi
