#!/usr/bin/env bash
# Interop check of Steady's server time limits with the real slowhttptest tool.
# Starts the sample application on a free loopback port with short limits, attacks it with
# 1000 slow-header (slowloris) connections and then 1000 slow-body (R-U-Dead-Yet)
# connections, and fails unless the server closed the slow connections and answered
# /actuator/health throughout. Traffic goes to 127.0.0.1 only. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

HEADER_TIMEOUT=5s
READ_TIMEOUT=5s
REQUEST_TIMEOUT=10s
CONNECTIONS=1000
MAX_SECONDS=30
PROBE_SECONDS=10

install_package() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "slowhttptest check: missing $1; install it (needs root)" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; }
}

command -v slowhttptest >/dev/null 2>&1 || install_package slowhttptest
command -v curl >/dev/null 2>&1 || install_package curl

./mvnw -B -q -pl sample-app -am package -DskipTests

work=$(mktemp -d)
app_pid=""
probe_pid=""
stop() {
  [ -n "$probe_pid" ] && kill "$probe_pid" 2>/dev/null || true
  if [ -n "$app_pid" ]; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

java -jar sample-app/target/steady-sample-app-*.jar --server.address=127.0.0.1 --server.port=0 \
  --steady.server.request-header-timeout="$HEADER_TIMEOUT" --steady.server.read-timeout="$READ_TIMEOUT" \
  --steady.server.request-timeout="$REQUEST_TIMEOUT" >"$work/app.log" 2>&1 &
app_pid=$!

port=""
for _ in $(seq 120); do
  port=$(sed -n 's/.*Netty started on port \([0-9]*\).*/\1/p' "$work/app.log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { echo "slowhttptest check: the sample app did not start" >&2; cat "$work/app.log" >&2; exit 1; }
base="http://127.0.0.1:$port"
grep -o 'Steady server connection settings: .*' "$work/app.log"

# Health probe once a second for the whole attack: every probe must be answered. The
# ceiling is generous because CI machines are small and slowhttptest shares the CPU.
(
  while true; do
    curl -fsS -m "$PROBE_SECONDS" -o /dev/null -w '%{time_total}\n' "$base/actuator/health" 2>/dev/null \
      || echo failed
    sleep 1
  done
) >"$work/probes.log" &
probe_pid=$!

# Runs one slowhttptest mode; prints its parameters and final status, checks it.
attack() {
  local name=$1; shift
  local out="$work/$name.log"
  slowhttptest "$@" -c "$CONNECTIONS" -r 200 -l "$MAX_SECONDS" -p "$PROBE_SECONDS" >"$out" 2>&1 || true
  # strip colours and screen clearing; keep the last status block and the exit line
  sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out" | tr -d '\r' >"$out.txt"
  echo "== slowhttptest $name"
  grep -m 1 'test type:' "$out.txt" || true
  grep -E 'slow HTTP test status on|initializing:|pending:|connected:|error:|closed:|service available:' "$out.txt" \
    | tail -n 7
  grep -A 1 'Test ended on' "$out.txt" | tail -n 2
  local closed
  closed=$(grep -E '^closed:' "$out.txt" | tail -n 1 | tr -dc '0-9')
  if [ -z "$closed" ] || [ "$closed" -eq 0 ]; then
    echo "slowhttptest check: $name: the server closed no slow connection" >&2
    exit 1
  fi
  if ! grep -q 'No open connections left' "$out.txt"; then
    echo "slowhttptest check: $name: slow connections were still open after ${MAX_SECONDS}s" >&2
    exit 1
  fi
  if grep -qE 'service available:[[:space:]]*NO' "$out.txt"; then
    echo "slowhttptest check: $name: slowhttptest saw the service unavailable" >&2
    exit 1
  fi
}

attack slow-headers -H -i 1 -u "$base/actuator/health"
attack slow-body -B -i 2 -s 8192 -f text/plain -u "$base/demo/upload"

kill "$probe_pid" 2>/dev/null || true
probe_pid=""
probes=$(grep -c . "$work/probes.log" || true)
failed=$(grep -c failed "$work/probes.log" || true)
slowest=$(grep -v failed "$work/probes.log" | sort -n | tail -n 1)
echo "== /actuator/health during the attacks: $probes probes, $failed failed, slowest ${slowest:-n/a}s"
curl -fsS -m 3 "$base/demo/server"
echo
if [ "$failed" -ne 0 ]; then
  echo "slowhttptest check: /actuator/health failed $failed times during the attacks" >&2
  exit 1
fi
curl -fsS -m 3 "$base/actuator/health" | grep -q '"status":"UP"'
echo "slowhttptest check: passed"
