#!/usr/bin/env bash
# Runs Steady's interop tests against a real nginx with keepalive_timeout 1s on 127.0.0.1:18080.
# Installs nginx from Debian packages when missing, starts it from .ci/nginx/nginx.conf in a
# scratch directory, runs `./mvnw -P interop`, and always stops nginx again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
  # the package starts a default site on port 80; the tests use their own instance only
  service nginx stop >/dev/null 2>&1 || true
fi

scratch=$(mktemp -d)
chmod 755 "$scratch"
stop_nginx() {
  if [ -f "$scratch/nginx.pid" ]; then
    kill "$(cat "$scratch/nginx.pid")" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap stop_nginx EXIT

nginx -p "$scratch" -c "$PWD/.ci/nginx/nginx.conf" -g "pid $scratch/nginx.pid; error_log $scratch/error.log;"
for _ in $(seq 1 50); do
  curl -sf http://127.0.0.1:18080/ >/dev/null && break
  sleep 0.1
done
curl -sf http://127.0.0.1:18080/ >/dev/null || { echo "interop: nginx did not start" >&2; cat "$scratch/error.log" >&2; exit 1; }
echo "interop: $(nginx -v 2>&1) listening on 127.0.0.1:18080 with keepalive_timeout 1s (18081: 60s)"

./mvnw -B -P interop -pl autoconfigure verify -Dsteady.interop.nginx-url=http://127.0.0.1:18080 \
  -Dsteady.interop.nginx-pid-file="$scratch/nginx.pid" -Dsteady.interop.nginx-reload-url=http://127.0.0.1:18081
