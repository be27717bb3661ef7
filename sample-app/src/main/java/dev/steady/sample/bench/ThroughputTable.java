package dev.steady.sample.bench;

import java.util.Map;

/**
 * Renders the loopback measurements as console tables: medians per client, and ratios of
 * one client to a baseline measured in the same rounds (CPU ratio: lower is better).
 */
final class ThroughputTable {

	private static final String ROW = "%11s  %-44s %9s %8s %8s %7s %10s %12s %12s %12s%n";

	private static final String RATIO_ROW = "%11s  %12s %12s %12s%n";

	private ThroughputTable() {
	}

	/**
	 * Median throughput and latency of every client, with its ratios to a baseline.
	 * @param results the runs at each concurrency
	 * @param baseline the client every other one is compared with
	 * @return the table
	 */
	static String render(Map<Integer, RoundResults> results, String baseline) {
		StringBuilder table = new StringBuilder(String.format(ROW, "concurrency", "client", "req/s", "p50 ms",
				"p99 ms", "failed", "CPU us/req", "req/s ratio", "p99 ratio", "CPU ratio"));
		results.forEach((concurrency, rounds) -> rounds.clients()
			.forEach((client) -> table.append(String.format(ROW, concurrency, client,
					String.format("%.0f", rounds.median(client, LoadResult::requestsPerSecond)),
					millis(rounds.median(client, LoadResult::p50Millis)),
					millis(rounds.median(client, LoadResult::p99Millis)), rounds.totalFailed(client),
					String.format("%.1f", rounds.median(client, LoadResult::cpuMicrosPerRequest)),
					ratio(rounds.medianRatio(client, baseline, LoadResult::requestsPerSecond)),
					ratio(rounds.medianRatio(client, baseline, LoadResult::p99Millis)),
					ratio(rounds.medianRatio(client, baseline, LoadResult::cpuMicrosPerRequest))))));
		return table.toString();
	}

	/**
	 * Ratios of one client to a baseline at each concurrency.
	 * @param results the runs at each concurrency
	 * @param client the client
	 * @param baseline the client it is compared with
	 * @return the table
	 */
	static String ratios(Map<Integer, RoundResults> results, String client, String baseline) {
		StringBuilder table = new StringBuilder(String.format(RATIO_ROW, "concurrency", "req/s ratio", "p99 ratio", "CPU ratio"));
		results.forEach((concurrency, rounds) -> table.append(String.format(RATIO_ROW, concurrency,
				ratio(rounds.medianRatio(client, baseline, LoadResult::requestsPerSecond)),
				ratio(rounds.medianRatio(client, baseline, LoadResult::p99Millis)),
				ratio(rounds.medianRatio(client, baseline, LoadResult::cpuMicrosPerRequest)))));
		return table.toString();
	}

	private static String millis(double millis) {
		return String.format("%.2f", millis);
	}

	private static String ratio(double ratio) {
		return String.format("%.3f", ratio);
	}

}
