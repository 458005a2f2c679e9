# Sourced by the scripts that run a real server (schemathesis.sh, clients.sh): a work directory removed on exit, a
# free loopback port, and `start_server BIN LOG` to serve $work/data there and wait until it is ready.
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

cleanup() {
  if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  "$1" serve --listen "127.0.0.1:$port" --data-dir "$work/data" >"$2" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fsS "$base/health/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$base/health/ready" >/dev/null
}
