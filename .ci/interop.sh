#!/usr/bin/env bash
# Runs Steady's interop tests against a real nginx and a real HAProxy on loopback ports:
#   18080 nginx, keepalive_timeout 1s
#   18081 nginx, keepalive_timeout 60s (the test that reloads nginx)
#   18082 nginx, keepalive_timeout 75s (its default), logging each request's connection and id
#   18083 HAProxy, timeout http-keep-alive 1s, in front of 18082
# Installs nginx and HAProxy from Debian packages when missing, starts them from .ci/nginx/nginx.conf
# and .ci/haproxy/haproxy.cfg in a scratch directory, runs `./mvnw -P interop`, and always stops them.
set -euo pipefail
cd "$(dirname "$0")/.."

install_missing() {
  local command=$1 package=$2
  if ! command -v "$command" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null
    # the package starts a default service; the tests use their own instances only
    service "$command" stop >/dev/null 2>&1 || true
  fi
}
install_missing nginx nginx-light
install_missing haproxy haproxy

scratch=$(mktemp -d)
chmod 755 "$scratch"
stop_servers() {
  for pid_file in "$scratch/haproxy.pid" "$scratch/nginx.pid"; do
    if [ -f "$pid_file" ]; then
      kill "$(cat "$pid_file")" 2>/dev/null || true
    fi
  done
  rm -rf "$scratch"
}
trap stop_servers EXIT

await_answer() {
  local name=$1 url=$2 log=$3
  for _ in $(seq 1 50); do
    curl -sf "$url" >/dev/null && return 0
    sleep 0.1
  done
  echo "interop: $name did not start" >&2
  cat "$log" >&2 2>/dev/null || true
  exit 1
}

nginx -p "$scratch" -c "$PWD/.ci/nginx/nginx.conf" -g "pid $scratch/nginx.pid; error_log $scratch/error.log;"
await_answer nginx http://127.0.0.1:18080/ "$scratch/error.log"
haproxy -D -f .ci/haproxy/haproxy.cfg -p "$scratch/haproxy.pid" 2>"$scratch/haproxy.log"
await_answer haproxy http://127.0.0.1:18083/ "$scratch/haproxy.log"
echo "interop: $(nginx -v 2>&1) on 127.0.0.1:18080 (keepalive_timeout 1s), 18081 (60s), 18082 (75s);" \
  "$(haproxy -v | head -1 | cut -d' ' -f1-3) on 127.0.0.1:18083 (timeout http-keep-alive 1s)"

./mvnw -B -P interop -pl autoconfigure verify -Dsteady.interop.nginx-url=http://127.0.0.1:18080 \
  -Dsteady.interop.nginx-pid-file="$scratch/nginx.pid" -Dsteady.interop.nginx-reload-url=http://127.0.0.1:18081 \
  -Dsteady.interop.nginx-keepalive-url=http://127.0.0.1:18082 -Dsteady.interop.nginx-request-log="$scratch/requests.log" \
  -Dsteady.interop.haproxy-url=http://127.0.0.1:18083
