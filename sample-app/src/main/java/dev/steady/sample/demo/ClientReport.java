package dev.steady.sample.demo;

import java.util.Map;

/**
 * What one client did in a comparison run.
 *
 * @param client which client this is
 * @param requests requests sent by the caller
 * @param ok requests that succeeded
 * @param failed requests that failed
 * @param failuresByCause failures per Steady failure cause
 * @param retries retries Steady made (always 0 for the plain client)
 * @param serverExecutions requests the upstream executed, retries included
 * @param duplicateExecutions POSTs (sent without an idempotency key) the upstream executed more than once
 * @param connections connections the client opened to the upstream
 * @param p50Ms median latency of successful requests
 * @param p99Ms 99th percentile latency of successful requests
 */
public record ClientReport(String client, int requests, int ok, int failed, Map<String, Integer> failuresByCause,
		long retries, int serverExecutions, int duplicateExecutions, int connections, long p50Ms, long p99Ms) {

}
