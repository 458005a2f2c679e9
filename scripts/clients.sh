#!/usr/bin/env bash
# Generated clients, used as integrators use them, against a real server built from this checkout (fresh SQLite
# database, real clock): TypeScript types from openapi/openapi.json with openapi-typescript, calls with openapi-fetch,
# compiled with `tsc --strict` (no cast allowed in the program), then run (tests/clients/typescript/src/main.ts).
# Exits non-zero on any failure. Usage: scripts/clients.sh [path to the wsis binary]. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/wsis}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
cleanup() {
  if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export WSIS_DATA_DIR="$work/data" WSIS_FRONTEND_URL="https://frontend.example" WSIS_LOG=warn
# A repository to search: the demo data (its call and projects).
"$bin" seed-demo --projects 20 --data-dir "$work/data" >/dev/null 2>&1
"$bin" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base/health/ready" >/dev/null
staff_password='a long staff passphrase for the clients'
printf '%s\n' "$staff_password" | "$bin" admin create-staff --email client-staff@example.org --data-dir "$work/data" \
  >/dev/null 2>&1

echo "TypeScript: openapi-typescript + openapi-fetch, tsc --strict"
(
  cd tests/clients/typescript
  npm ci --silent --no-audit --no-fund
  npx --no-install openapi-typescript ../../../openapi/openapi.json -o src/api.d.ts
  # The program may not cast its way around the generated types (read with the compiler's parser).
  node no-casts.mjs src/main.ts
  npx --no-install tsc -p tsconfig.json
  WSIS_BASE="$base" WSIS_OUTBOX="$work/data/outbox" WSIS_STAFF_EMAIL=client-staff@example.org \
    WSIS_STAFF_PASSWORD="$staff_password" node dist/main.js
)
if grep -E '"level":"ERROR"|ERROR' "$work/server.log"; then
  echo "the server logged errors while the clients ran" >&2
  exit 1
fi
