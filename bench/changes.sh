#!/usr/bin/env bash
# Load benchmark of the change feed and webhook deliveries, run by hand (never in CI, never asserted in tests).
#
#   bench/changes.sh                      # SQLite
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/changes.sh   # also PostgreSQL (creates wsis_bench)
#
# Builds release, seeds the demo call with its demo owner and a staff account, starts a webhook receiver (Python, on
# the same machine) and registers it for `submission.submitted`, creates BENCH_DRAFTS trust fund drafts, then:
#   1. a rush: wrk submits drafts as fast as BENCH_CONNECTIONS connections can (bench/submit.lua) for BENCH_SECONDS;
#      events appended per second are counted in the database (one `submission.submitted` per submit);
#   2. steady load: BENCH_RATE submits per second for BENCH_STEADY_SECONDS, from a Python client;
#   3. delivery latency: for every delivery, the receiver's arrival time minus the event's `timestamp` (the arrival
#      of the request that made the change, so it bounds commit-to-receiver from above), p50/p99/max, for the rush
#      (deliveries queue behind it) and for the steady load; every event delivered once is checked;
#   4. feed reads: wrk reads `GET /changes?limit=100` pages as staff (each item with its object rendered) for 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."

DRAFTS=${BENCH_DRAFTS:-6000}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18095}
RECEIVER_PORT=$((PORT + 1))
RATE=${BENCH_RATE:-50}
STEADY=${BENCH_STEADY_SECONDS:-20}
PASSWORD="demo account, not for production"

trap '[ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true; [ -z "${RECEIVER:-}" ] || kill "$RECEIVER" 2>/dev/null || true' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
WSIS=${BENCH_BINARY:-./target/release/wsis}
[ -n "${BENCH_BINARY:-}" ] || cargo build --release -q -p wsis

bench_backend() {
  local name=$1 url=$2 count=$3 dir
  dir=$(mktemp -d)
  DATABASE_URL=$url WSIS_LOG=warn "$WSIS" seed-demo --projects 25 --data-dir "$dir" >/dev/null 2>&1
  printf '%s\n' "$PASSWORD" | DATABASE_URL=$url WSIS_LOG=warn "$WSIS" admin create-staff --email bench-staff@wsis.invalid --data-dir "$dir" >/dev/null
  python3 - "$RECEIVER_PORT" "$dir/received" <<'PY' &
import sys, time, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "w", buffering=1)
lock = threading.Lock()
class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        arrived = time.time()
        with lock:
            out.write(f"{arrived:.6f} {self.headers.get('webhook-id')} {body.decode()}\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", port), Hook).serve_forever()
PY
  RECEIVER=$!
  DATABASE_URL=$url WSIS_LOG=warn WSIS_WEBHOOK_ALLOW_PRIVATE=1 WSIS_LISTEN=127.0.0.1:$PORT "$WSIS" serve --data-dir "$dir" &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
  python3 - "$PORT" "$((DRAFTS + RATE * STEADY))" "$dir" "$PASSWORD" "$RECEIVER_PORT" "$DRAFTS" <<'PY'
import json, sys, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, drafts, folder, password, receiver, rush = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6])
base = f"http://127.0.0.1:{port}/api/v1"
def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.load(response)
def sign_in(user):
    return call("POST", "/auth/token", {"grant_type": "password", "username": user, "password": password})["access_token"]
token, staff = sign_in("demo-owner@wsis.invalid"), sign_in("bench-staff@wsis.invalid")
call("POST", "/webhooks", {"url": f"http://127.0.0.1:{receiver}/hook", "types": ["submission.submitted"]}, staff)
organisation = call("GET", "/me", token=token)["organisations"][0]["id"]
call_slug = call("GET", "/calls")["items"][0]["slug"]
pledge = {"kind": "financial", "amount": "2500", "currency": "CHF", "earmark": "Fellowships"}
def create(_):
    return call("POST", "/submissions", {"call": call_slug, "track": "trust_fund", "organisation_id": organisation, "language": "en", "content": pledge}, token)["id"]
with ThreadPoolExecutor(8) as pool:
    ids = list(pool.map(create, range(drafts)))
open(folder + "/drafts", "w").write("\n".join(ids[:rush]) + "\n")
open(folder + "/steady", "w").write("\n".join(ids[rush:]) + "\n")
open(folder + "/token", "w").write(token)
open(folder + "/staff", "w").write(staff)
PY
  local rush steady_from
  rush=$(BENCH_DRAFTS="$dir/drafts" BENCH_TOKEN=$(cat "$dir/token") BENCH_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${BENCH_SECONDS:-30}s" --latency -s bench/submit.lua "http://127.0.0.1:$PORT/")
  local submitted rate_rush
  submitted=$($count "$url" submitted)
  rate_rush=$($count "$url" rate)
  # Wait for the rush's deliveries to drain before the steady load begins.
  for _ in $(seq 1 600); do [ "$(wc -l <"$dir/received")" -ge "$submitted" ] && break; sleep 0.2; done
  steady_from=$(wc -l <"$dir/received")
  python3 - "$PORT" "$dir" "$RATE" "$STEADY" <<'PY'
import sys, time, urllib.request
port, folder, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
token = open(folder + "/token").read()
left = [i for i in open(folder + "/steady").read().split() if i]
start = time.time()
for k, draft in enumerate(left[: rate * seconds]):
    pause = start + k / rate - time.time()
    if pause > 0:
        time.sleep(pause)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/submissions/{draft}/submit", method="POST")
    request.add_header("Authorization", "Bearer " + token)
    try:
        urllib.request.urlopen(request).read()
    except Exception as error:
        print("steady submit failed:", error, file=sys.stderr)
PY
  submitted=$($count "$url" submitted)
  for _ in $(seq 1 600); do [ "$(wc -l <"$dir/received")" -ge "$submitted" ] && break; sleep 0.2; done
  local feed
  feed=$(wrk -t"$THREADS" -c8 -d15s --latency -H "Authorization: Bearer $(cat "$dir/staff")" \
    "http://127.0.0.1:$PORT/api/v1/changes?limit=100&type=submission.submitted")
  echo
  echo "### $name ($(nproc) cores, the server, wrk and the receiver on one machine)"
  echo
  echo "Rush (wrk -t$THREADS -c$CONNECTIONS, ${BENCH_SECONDS:-30} s): submits $(grep -E '^answers' <<<"$rush" | cut -d' ' -f2-), p50 $(awk '$1 == "50%" {print $2}' <<<"$rush"), p99 $(awk '$1 == "99%" {print $2}' <<<"$rush")"
  echo "events appended per second during the rush: $rate_rush"
  python3 - "$dir/received" "$steady_from" "$submitted" <<'PY'
import json, sys
from datetime import datetime
lines = [l.split(" ", 2) for l in open(sys.argv[1]).read().splitlines() if l]
steady_from, expected = int(sys.argv[2]), int(sys.argv[3])
ids = [l[1] for l in lines]
seqs = [json.loads(l[2])["seq"] for l in lines]
def latency(rows):
    values = sorted((float(a) - datetime.fromisoformat(json.loads(b)["timestamp"].replace("Z", "+00:00")).timestamp()) * 1000 for a, _, b in rows)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return f"p50 {pick(0.5):.0f} ms, p99 {pick(0.99):.0f} ms, max {values[-1]:.0f} ms ({len(values)} deliveries)"
print(f"deliveries: {len(lines)} for {expected} events; distinct ids {len(set(ids))}; in feed order: {seqs == sorted(seqs)}")
print("latency, rush (queued behind it):", latency(lines[:steady_from]))
if len(lines) > steady_from:
    print("latency, steady load:", latency(lines[steady_from:]))
PY
  echo "feed reads (GET /changes?limit=100, wrk -c8, 15 s): $(awk '/Requests\/sec/ {print $2}' <<<"$feed") pages/s, p50 $(awk '$1 == "50%" {print $2}' <<<"$feed"), p99 $(awk '$1 == "99%" {print $2}' <<<"$feed")"
  echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$SERVER/status")"
  kill -TERM "$SERVER"; wait "$SERVER" || true
  kill "$RECEIVER"; wait "$RECEIVER" 2>/dev/null || true
  SERVER= RECEIVER=
  rm -rf "$dir"
}

EVENTS="FROM change_events WHERE event_type = 'submission.submitted' AND track_kind = 'trust_fund'"
count_sqlite() {
  if [ "$2" = rate ]; then
    sqlite3 "${1#sqlite://}" "SELECT round(count(*) / ((julianday(max(occurred_at)) - julianday(min(occurred_at))) * 86400.0)) $EVENTS"
  else
    sqlite3 "${1#sqlite://}" "SELECT count(*) $EVENTS"
  fi
}
count_postgres() {
  if [ "$2" = rate ]; then
    psql "$1" -Atc "SELECT round(count(*) / extract(epoch FROM max(occurred_at) - min(occurred_at))) $EVENTS"
  else
    psql "$1" -Atc "SELECT count(*) $EVENTS"
  fi
}

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
