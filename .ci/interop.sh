#!/usr/bin/env bash
# Runs Steady's interop tests against a real nginx and a real HAProxy on loopback ports:
#   18080 nginx, keepalive_timeout 1s
#   18081 nginx, keepalive_timeout 60s (the test that reloads nginx)
#   18082 nginx, keepalive_timeout 75s (its default), logging each request's connection and id
#   18083 HAProxy, timeout http-keep-alive 1s, in front of 18082
#   18084 nginx, h2c with prior knowledge, GOAWAY after 100 streams, keepalive_timeout 1s,
#         logging each request's connection and id (18087 is its backend)
#   18085 nginx, TLS offering h2 and http/1.1 by ALPN
#   18086 nginx, TLS with HTTP/1.1 only
# Installs nginx, HAProxy and openssl from Debian packages when missing, makes a self-signed
# certificate for 127.0.0.1, starts nginx from a copy of .ci/nginx/nginx.conf and HAProxy from
# .ci/haproxy/haproxy.cfg in a scratch directory, runs `./mvnw -P interop`, and always stops them.
# INTEROP_TESTS=H2cInteropTests (any -Dtest pattern) runs only those test classes.
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
install_missing openssl openssl

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

# await_answer <name> <url> <log> [curl option...]
await_answer() {
  local name=$1 url=$2 log=$3
  shift 3
  for _ in $(seq 1 50); do
    curl -sf "$@" "$url" >/dev/null && return 0
    sleep 0.1
  done
  echo "interop: $name did not start" >&2
  cat "$log" >&2 2>/dev/null || true
  exit 1
}

# nginx reads its certificate relative to its configuration file: both go in the scratch directory
mkdir "$scratch/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$scratch/tls/key.pem" -out "$scratch/tls/cert.pem" 2>"$scratch/openssl.log"
cp .ci/nginx/nginx.conf "$scratch/nginx.conf"
nginx -p "$scratch" -c "$scratch/nginx.conf" -g "pid $scratch/nginx.pid; error_log $scratch/error.log;"
await_answer nginx http://127.0.0.1:18080/ "$scratch/error.log"
if curl --version | grep -qw HTTP2; then
  await_answer "nginx h2c" http://127.0.0.1:18084/ "$scratch/error.log" --http2-prior-knowledge
else
  await_answer "nginx h2c backend" http://127.0.0.1:18087/ "$scratch/error.log"
fi
await_answer "nginx TLS" https://127.0.0.1:18085/ "$scratch/error.log" --cacert "$scratch/tls/cert.pem"
await_answer "nginx TLS, HTTP/1.1 only" https://127.0.0.1:18086/ "$scratch/error.log" --cacert "$scratch/tls/cert.pem"
haproxy -D -f .ci/haproxy/haproxy.cfg -p "$scratch/haproxy.pid" 2>"$scratch/haproxy.log"
await_answer haproxy http://127.0.0.1:18083/ "$scratch/haproxy.log"
echo "interop: $(nginx -v 2>&1) on 127.0.0.1:18080 (keepalive_timeout 1s), 18081 (60s), 18082 (75s)," \
  "18084 (h2c, keepalive_requests 100, keepalive_timeout 1s), 18085 (TLS, h2 and http/1.1), 18086 (TLS, http/1.1);" \
  "$(haproxy -v | head -1 | cut -d' ' -f1-3) on 127.0.0.1:18083 (timeout http-keep-alive 1s);" \
  "$(openssl version | cut -d' ' -f1-2) made the certificate"

only_tests=()
if [ -n "${INTEROP_TESTS:-}" ]; then
  only_tests=("-Dtest=$INTEROP_TESTS")
fi
./mvnw -B -P interop -pl autoconfigure verify "${only_tests[@]}" -Dsteady.interop.nginx-url=http://127.0.0.1:18080 \
  -Dsteady.interop.nginx-pid-file="$scratch/nginx.pid" -Dsteady.interop.nginx-reload-url=http://127.0.0.1:18081 \
  -Dsteady.interop.nginx-keepalive-url=http://127.0.0.1:18082 -Dsteady.interop.nginx-request-log="$scratch/requests.log" \
  -Dsteady.interop.haproxy-url=http://127.0.0.1:18083 \
  -Dsteady.interop.nginx-h2c-url=http://127.0.0.1:18084 -Dsteady.interop.nginx-h2c-request-log="$scratch/h2c-requests.log" \
  -Dsteady.interop.nginx-tls-url=https://127.0.0.1:18085 -Dsteady.interop.nginx-tls-http11-url=https://127.0.0.1:18086 \
  -Dsteady.interop.nginx-tls-cert="$scratch/tls/cert.pem"
