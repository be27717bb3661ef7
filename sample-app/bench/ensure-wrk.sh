#!/usr/bin/env bash
# Makes sure the wrk load generator, which the benchmark's server section runs in a process of
# its own, is installed: installs the Debian package when it is missing (needs root), or says
# how to. Run by the benchmark profile before the benchmark.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "benchmark: wrk is missing; install it (Debian/Ubuntu: apt-get install wrk) and run again" >&2
  exit 1
fi
echo "benchmark: installing wrk" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v wrk >/dev/null 2>&1
