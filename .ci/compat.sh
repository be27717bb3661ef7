#!/usr/bin/env bash
# Compatibility matrix: the tests of the client, retry, server and health paths on the other Spring Boot
# versions Steady supports. The parent pom imports spring-boot-dependencies at ${spring-boot.version}, and Boot's
# BOM imports Netty's at ${netty.version}, so both are overridden from the command line. Each entry compiles
# autoconfigure and its tests against that version and runs the subset below.
#
# The subset leaves out the longest real-server classes, whose paths the listed ones also cross:
# StaleConnectionTests and RequestTimeLimitTests (about 100 s each). Known difference on 4.0.7: its
# Reactor Netty closes a connection whose request body still trickles after an early response
# about 0.5 s after that response, before steady.server.request-timeout
# (RequestTimeLimitTests#bodyThatTricklesAfterAnEarlyResponseIsCutOffTheRequestTimeoutAfterIt).
set -euo pipefail
cd "$(dirname "$0")/.."

# Client (pools, stale connections, idle limits, TLS, Boot's builder and service groups), retry, server, health.
TESTS=$(paste -sd, <<'LIST'
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
