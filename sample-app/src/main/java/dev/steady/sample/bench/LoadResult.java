package dev.steady.sample.bench;

/**
 * What one measured run of one client achieved.
 *
 * @param failed requests that failed
 * @param requestsPerSecond successful requests per second of the run
 * @param p50Millis median latency of the successful requests
 * @param p99Millis 99th percentile latency of the successful requests
 * @param cpuMicrosPerRequest CPU time of the whole process (clients, upstream, JIT and GC)
 * per successful request, the figure least moved by other work on a busy machine
 */
record LoadResult(long failed, double requestsPerSecond, double p50Millis, double p99Millis,
		double cpuMicrosPerRequest) {

}
