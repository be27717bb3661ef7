#!/usr/bin/env bash
# Compatibility matrix: the tests of the client, retry, server and health paths on the other Spring Boot
# versions Steady supports. The parent pom imports spring-boot-dependencies at ${spring-boot.version}, and Boot's
# BOM imports Netty's at ${netty.version}, so both are overridden from the command line. Each entry compiles
# autoconfigure and its tests against that version and runs the subset below (about two minutes each on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

# Client (pools, stale connections, idle limits, TLS, Boot's builder and service groups), retry, server, health.
TESTS=$(paste -sd, <<'LIST'
StaleConnectionTests
ServerClosingIdleConnectionsTests
PoolSizingTests
HttpClientTuningTests
KeepAliveHintTests
ResponseTimeoutTests
SteadyClientTlsTests
SteadyClientAutoConfigurationTests
SteadyGlobalPoolAutoConfigurationTests
HttpServiceGroupTests
SafeRetryTests
SteadyRetryAutoConfigurationTests
SteadyServerAutoConfigurationTests
RequestTimeLimitTests
ConnectionCapTests
KeepAliveTests
SteadyClientAgainstSteadyServerTests
SteadyHealthAutoConfigurationTests
PoolSaturationTests
PoolMetricsTests
SteadyEndpointAutoConfigurationTests
LIST
)

run() {
  local label=$1; shift
  local start=$SECONDS
  echo "compat: $label"
  ./mvnw -B -q -pl autoconfigure test -Dsurefire.failIfNoSpecifiedTests=false -Dtest="$TESTS" "$@"
  echo "compat: $label passed in $((SECONDS - start)) s"
}

run "Spring Boot 4.0.7" -Dspring-boot.version=4.0.7
run "Spring Boot 4.1.2, Netty 4.2.18.Final" -Dspring-boot.version=4.1.2 -Dnetty.version=4.2.18.Final
