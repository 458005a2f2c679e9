#!/usr/bin/env bash
# Load benchmark of public voting for the WSIS Prizes, run by hand (never in CI, never asserted in tests).
#
#   bench/votes.sh                       # SQLite
#   BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/votes.sh   # also PostgreSQL (creates wsis_bench)
#
# Builds release, seeds a vote in progress (`wsis seed-voting`: five published nominees in each of the 18
# categories, BENCH_VOTERS verified voters signed in), and plans one vote per voter per category, in a shuffled
# order, each voter from an address of their own (X-Forwarded-For behind the trusted loopback proxy: one address
# may make 120 vote attempts an hour, as in production). wrk casts every vote of the plan once (BENCH_CONNECTIONS
# connections, from a second process on the same machine: bench/votes.lua). Prints votes/s (from the cast times in
# the database), p50 and p99, the answers that were not 201, then checks in the database that every vote of the plan
# counted once (no vote lost, none twice) and that each nominee's total is exactly the plan's; and the server's
# peak RSS. PostgreSQL runs with its defaults (fsync on, synchronous_commit on).
set -euo pipefail
cd "$(dirname "$0")/.."

VOTERS=${BENCH_VOTERS:-3000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
PORT=${BENCH_PORT:-18091}

trap '[ -z "${SERVER:-}" ] || kill "$SERVER" 2>/dev/null || true' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
WSIS=${BENCH_BINARY:-./target/release/wsis}
[ -n "${BENCH_BINARY:-}" ] || cargo build --release -q -p wsis

bench_backend() {
  local name=$1 url=$2 query=$3 dir out
  dir=$(mktemp -d)
  DATABASE_URL=$url WSIS_LOG=warn "$WSIS" seed-voting --voters "$VOTERS" --tokens "$dir/tokens" --nominees "$dir/nominees" --data-dir "$dir" 2>/dev/null
  # The plan: one vote per voter per category, shuffled; the expected total of each nominee.
  python3 - "$dir" <<'PY'
import random, sys
folder = sys.argv[1]
tokens = open(folder + "/tokens").read().split()
nominees = {}
for line in open(folder + "/nominees"):
    category, nomination = line.split()
    nominees.setdefault(int(category), []).append(nomination)
rng = random.Random(20250707)
plan, expected = [], {}
for i, token in enumerate(tokens):
    address = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
    for category, ids in nominees.items():
        # Skewed, as real votes are: the first nominee of each category draws the most.
        choice = ids[min(int(rng.expovariate(0.8)), len(ids) - 1)]
        plan.append(f"{token} {category} {choice} {address}")
        expected[choice] = expected.get(choice, 0) + 1
rng.shuffle(plan)
open(folder + "/plan", "w").write("\n".join(plan) + "\n")
open(folder + "/expected", "w").write("".join(f"{k}|{v}\n" for k, v in sorted(expected.items())))
PY
  DATABASE_URL=$url WSIS_LOG=warn WSIS_LISTEN=127.0.0.1:$PORT WSIS_TRUSTED_PROXIES=127.0.0.1/32 "$WSIS" serve --data-dir "$dir" &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.1; done
  out=$(BENCH_PLAN="$dir/plan" BENCH_CALL="vote-$(date -u +%Y)" BENCH_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${BENCH_SECONDS:-90}s" --latency -s bench/votes.lua "http://127.0.0.1:$PORT/")
  local planned counted distinct totals created
  planned=$(wc -l <"$dir/plan")
  counted=$($query "$url" "SELECT count(*) FROM prize_votes WHERE invalidated_at IS NULL")
  distinct=$($query "$url" "SELECT count(*) FROM (SELECT DISTINCT call_id, category, voter_id FROM prize_votes) d")
  totals=$($query "$url" "SELECT nominee_id || '|' || count(*) FROM prize_votes WHERE invalidated_at IS NULL GROUP BY nominee_id ORDER BY nominee_id")
  echo
  echo "### $name: $planned votes by $VOTERS voters in 18 categories ($(nproc) cores, wrk -t$THREADS -c$CONNECTIONS, same machine)"
  echo
  echo "| votes/s | p50 | p99 | answers |"
  echo "|---:|---:|---:|---|"
  echo "| $($query "$url" "$RATE") | $(awk '$1 == "50%" {print $2}' <<<"$out") | $(awk '$1 == "99%" {print $2}' <<<"$out") | $(grep -E '^answers' <<<"$out" | cut -d' ' -f2-)$(grep -E 'Socket errors' <<<"$out" | tr -s ' ') |"
  echo
  created=$(grep -E '^answers' <<<"$out" | awk '{print $2}')
  echo "votes planned: $planned; answered 201 Created: $created; counted in the database: $counted; distinct (voter, category): $distinct"
  if [ "$counted" = "$created" ] && [ "$distinct" = "$counted" ]; then
    echo "no vote lost, none counted twice"
  else
    echo "MISMATCH: every vote answered 201 must be counted exactly once"
  fi
  if [ "$planned" != "$counted" ]; then
    echo "the run ended before the plan did: raise BENCH_SECONDS"
  elif [ "$totals" = "$(sed '/^$/d' "$dir/expected")" ]; then
    echo "every nominee's total is exactly the plan's ($(wc -l <"$dir/expected") nominees)"
  else
    echo "TOTALS DIFFER from the plan:"; diff <(echo "$totals") "$dir/expected" | head -20
  fi
  echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' "/proc/$SERVER/status")"
  kill -TERM "$SERVER"; wait "$SERVER" || true
  SERVER=
  rm -rf "$dir"
}

query_sqlite() { sqlite3 "${1#sqlite://}" "$2"; }
query_postgres() { psql "$1" -Atc "$2"; }

# BENCH_ONLY=postgres skips SQLite (with BENCH_POSTGRES_URL).
if [ "${BENCH_ONLY:-}" != postgres ]; then
  SQLITE_DIR=$(mktemp -d)
  RATE="SELECT round(count(*) / ((julianday(max(cast_at)) - julianday(min(cast_at))) * 86400.0)) FROM prize_votes"
  bench_backend sqlite "sqlite://$SQLITE_DIR/bench.sqlite3" query_sqlite
  rm -rf "$SQLITE_DIR"
fi
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  admin=$BENCH_POSTGRES_URL
  psql "$admin" -qc 'DROP DATABASE IF EXISTS wsis_bench WITH (FORCE)' -c 'CREATE DATABASE wsis_bench'
  RATE="SELECT round(count(*) / extract(epoch FROM max(cast_at) - min(cast_at))) FROM prize_votes"
  bench_backend postgres "${admin%/*}/wsis_bench" query_postgres
  psql "$admin" -qc 'DROP DATABASE IF EXISTS wsis_bench WITH (FORCE)'
fi
