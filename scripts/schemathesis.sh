#!/usr/bin/env bash
# Runs schemathesis (every check) against a real server built from this checkout, on a fresh SQLite database:
# once anonymously and once as a signed-in, verified user who owns an organisation, with an open call to submit to.
# Exits non-zero on any failure. Usage: scripts/schemathesis.sh [path to the wsis binary]
# Needs schemathesis on PATH (`pip install schemathesis==4.32.5`, pinned in .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/wsis}
examples=${SCHEMATHESIS_MAX_EXAMPLES:-25}
# A fixed seed makes CI's run the same every time; explore others by hand with SCHEMATHESIS_SEED=random.
seed=${SCHEMATHESIS_SEED:-20261129}
. scripts/server.sh
log="$work/server.log"

export WSIS_DATA_DIR="$work/data" WSIS_LOG_FORMAT=json WSIS_FRONTEND_URL="https://frontend.example" \
  WSIS_WORKERS=2 WSIS_LOG=warn
start_server "$bin" "$log"

json() { python3 -c 'import json, sys; print(json.load(sys.stdin)'"$1"')'; }

# Staff, to open a call whose tracks are open now (the 2025 call is closed).
printf '%s\n' 'a long staff passphrase for fuzzing' | "$bin" admin create-staff --email fuzz-staff@example.org \
  --data-dir "$work/data" >/dev/null 2>&1
staff=$(curl -fsS "$base/api/v1/auth/token" -d grant_type=password -d username=fuzz-staff@example.org \
  -d 'password=a long staff passphrase for fuzzing' | json '["access_token"]')
today=$(date -u +%F)
until=$(date -u -d '+30 days' +%F)
curl -fsS -o /dev/null "$base/api/v1/calls" -H "Authorization: Bearer $staff" -H 'Content-Type: application/json' -d '{
  "slug": "fuzz-open", "year": '"$(date -u +%Y)"', "timezone": "Europe/Zurich",
  "title": {"ar": "دعوة", "zh": "征集", "en": "Open call", "fr": "Appel", "ru": "Призыв", "es": "Convocatoria"},
  "tracks": [
    {"kind": "ocp", "opens": {"rule": "start_of_local_day", "date": "'"$today"'"}, "closes": {"rule": "end_of_local_day", "date": "'"$until"'"}},
    {"kind": "stocktaking", "opens": {"rule": "start_of_local_day", "date": "'"$today"'"}, "closes": {"rule": "end_of_local_day", "date": "'"$until"'"}},
    {"kind": "prizes", "opens": {"rule": "start_of_local_day", "date": "'"$today"'"}, "closes": {"rule": "end_of_local_day", "date": "'"$until"'"}},
    {"kind": "trust_fund", "opens": {"rule": "start_of_local_day", "date": "'"$today"'"}, "closes": {"rule": "end_of_local_day", "date": "'"$until"'"}}],
  "session_formats": ["interactive_session", "knowledge_cafe", "workshop"]}'

# A verified user with an organisation: registered, verified through the mailed link, signed in.
curl -fsS -o /dev/null "$base/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email": "tester@example.org", "password": "a long fuzzing passphrase", "display_name": "Fuzz", "language": "en"}'
token=$(grep -rhoE 'token=wsis_ev_[A-Za-z0-9_-]+' "$work/data/outbox" | head -n 1 | cut -d= -f2)
curl -fsS -o /dev/null "$base/api/v1/auth/verify-email" -H 'Content-Type: application/json' -d "{\"token\": \"$token\"}"
user=$(curl -fsS "$base/api/v1/auth/token" -d grant_type=password -d username=tester@example.org \
  -d 'password=a long fuzzing passphrase' | json '["access_token"]')
curl -fsS -o /dev/null "$base/api/v1/organisations" -H "Authorization: Bearer $user" -H 'Content-Type: application/json' \
  -d '{"name": "Fuzzing Org", "stakeholder_category": "civil_society", "country": "KE"}'

# Real clients read every kind of error: Node's fetch and Python's requests both send Accept-Encoding with gzip and
# decode what they get (a compressed error body they could not decode is what they met before).
errors=(/api/v1/submarines /api/v1/calls/wsis-1999 "/api/v1/calls?lang=xx" /api/v1/submissions)
node --input-type=module -e '
  const base = process.argv[1];
  for (const path of process.argv.slice(2)) {
    const response = await fetch(base + path);
    const body = await response.json();
    if (body.status !== response.status) throw new Error(`${path}: ${JSON.stringify(body)}`);
  }
  const bad = await fetch(base + "/api/v1/organisations", {method: "POST", headers: {"content-type": "application/json"}, body: "{oops"});
  if ((await bad.json()).status !== bad.status) throw new Error("malformed JSON answer unreadable");
  console.log("node fetch read every error");
' "$base" "${errors[@]}"
python3 - "$base" "${errors[@]}" <<'PY'
import sys, requests
base = sys.argv[1]
for path in sys.argv[2:]:
    response = requests.get(base + path, timeout=10)
    assert response.json()["status"] == response.status_code, path
bad = requests.post(base + "/api/v1/organisations", data="{oops", headers={"content-type": "application/json"}, timeout=10)
assert bad.json()["status"] == bad.status_code
print("python requests read every error")
PY
# And a browser: headless Chromium (Debian's package) renders each error body; before the fix it showed
# ERR_CONTENT_DECODING_FAILED instead.
for path in "${errors[@]}"; do
  dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$work/chromium" \
    --dump-dom "$base$path" 2>/dev/null || true)
  grep -q '"type":"/problems/' <<<"$dom" || { echo "chromium could not read the error at $path" >&2; exit 1; }
done
echo "chromium read every error"

st=$(command -v st || echo "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/st")
status=0
run() {
  local name=$1
  shift
  echo "==> schemathesis: $name"
  "$st" --config-file scripts/schemathesis.toml run "$base/api/v1/openapi.json" --checks all --max-examples "$examples" --workers 2 \
    --phases examples,coverage,fuzzing --request-timeout 20 --suppress-health-check all \
    $([ "$seed" = random ] || echo --seed "$seed") \
    --report junit --report-dir "$work/report-$name" "$@" || status=1
}
run anonymous
# Signed in, every operation but the two that end the caller's own session by design (a fuzzer that learns its
# session id from `GET /me/sessions` revokes it, and the rest of the run is 401): both are tested end to end
# (tests/api/accounts.rs), and fuzzed anonymously above.
run signed-in -H "Authorization: Bearer $user" --exclude-operation-id revoke_my_session --exclude-operation-id erase_me
# Every 5xx is logged at error level with its cause (schemathesis sees the status too; this shows why).
if grep '"level":"ERROR"' "$log" | grep -q '"message":"request completed"'; then
  echo "the server answered 5xx during the run:" >&2
  grep '"level":"ERROR"' "$log" | grep -v '"target":"actix_http' | head -n 20 >&2
  status=1
fi
exit $status
