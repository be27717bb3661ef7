package dev.steady.sample.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * Connections opened under continuous load: each client, at each concurrency, runs its
 * warm-up and then, with no pause, a measured run of {@code bench.continuous.duration}; the
 * connections the upstream accepted during the measured run are counted. A client that keeps
 * reusing its connections opens none; one that closes connections it still needs (an idle
 * limit or a safety rule met by connections busy all along) opens more.
 */
final class ContinuousLoadConnections {

	/** The clients measured, by their names in {@link BenchmarkClients}. */
	static final List<String> CLIENTS = List.of(BenchmarkClients.BARE, BenchmarkClients.STEADY,
			BenchmarkClients.STEADY_NO_RETRY, BenchmarkClients.HAND_MADE);

	private static final String LINE = System.lineSeparator();

	private final Duration warmup;

	private final Duration duration;

	private final IntSupplier upstreamConnections;

	ContinuousLoadConnections(Duration warmup, IntSupplier upstreamConnections) {
		this.warmup = warmup;
		this.duration = BenchmarkSettings.duration("bench.continuous.duration", "3s");
		this.upstreamConnections = upstreamConnections;
	}

	/**
	 * Measure the clients.
	 * @param targets every client, of which those in {@link #CLIENTS} run
	 * @param concurrencies the concurrencies
	 * @return connections opened per concurrency and client, and the table
	 */
	String run(List<LoadTarget> targets, List<Integer> concurrencies) {
		Map<Integer, Map<String, Integer>> opened = new LinkedHashMap<>();
		for (int concurrency : concurrencies) {
			Map<String, Integer> byClient = new LinkedHashMap<>();
			for (LoadTarget target : targets) {
				if (CLIENTS.contains(target.name())) {
					ClosedLoopLoad.run(target, concurrency, this.warmup);
					int before = this.upstreamConnections.getAsInt();
					ClosedLoopLoad.run(target, concurrency, this.duration);
					byClient.put(target.name(), this.upstreamConnections.getAsInt() - before);
				}
			}
			opened.put(concurrency, byClient);
			System.err.println("  continuous load, concurrency " + concurrency + " done");
		}
		return render(opened);
	}

	private String render(Map<Integer, Map<String, Integer>> opened) {
		return "   Connections opened under continuous load: a run of " + this.duration.toMillis()
				+ " ms right after a warm-up of " + this.warmup.toMillis() + " ms, no pause (" + BenchmarkClients.BARE
				+ " is the baseline; target: within 5% of it)" + LINE
				+ String.format("   %11s  %-40s %8s %8s%n", "concurrency", "client", "opened", "over bare")
				+ opened.entrySet().stream().map((concurrency) -> {
					int bare = concurrency.getValue().getOrDefault(BenchmarkClients.BARE, 0);
					return concurrency.getValue()
						.entrySet()
						.stream()
						.map((client) -> String.format("   %11d  %-40s %8d %+8d%n", concurrency.getKey(),
								client.getKey(), client.getValue(), client.getValue() - bare))
						.collect(Collectors.joining());
				}).collect(Collectors.joining()) + LINE;
	}

}
