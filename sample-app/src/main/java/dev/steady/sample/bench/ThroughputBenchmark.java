package dev.steady.sample.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Every client at each concurrency, in rounds. First every client runs once for the JIT
 * warm-up. Within a round the clients take turns, in an order rotated from round to round,
 * and each measured run follows a warm-up of the same client at the same concurrency (which
 * also reopens connections a pool evicted while the other clients ran).
 */
final class ThroughputBenchmark {

	private final BenchmarkSettings settings;

	private final IntSupplier upstreamConnections;

	private final Map<String, Integer> connectionsOpened = new LinkedHashMap<>();

	ThroughputBenchmark(BenchmarkSettings settings, IntSupplier upstreamConnections) {
		this.settings = settings;
		this.upstreamConnections = upstreamConnections;
	}

	/**
	 * Connections each client opened to the upstream in its warm-ups and measured runs.
	 * @return the count per client
	 */
	Map<String, Integer> connectionsOpened() {
		return this.connectionsOpened;
	}

	/**
	 * Measure the clients.
	 * @param targets the clients
	 * @return the runs at each concurrency
	 */
	Map<Integer, RoundResults> run(List<LoadTarget> targets) {
		int highest = this.settings.concurrencies().stream().mapToInt(Integer::intValue).max().orElseThrow();
		targets.forEach((target) -> ClosedLoopLoad.run(target, highest, this.settings.jitWarmup()));
		progress("JIT warm-up done");
		Map<Integer, RoundResults> results = new LinkedHashMap<>();
		for (int concurrency : this.settings.concurrencies()) {
			RoundResults rounds = new RoundResults();
			for (int round = 0; round < this.settings.rounds(); round++) {
				List<LoadTarget> order = new ArrayList<>(targets);
				Collections.rotate(order, -round);
				for (LoadTarget target : order) {
					rounds.add(target.name(), measure(target, concurrency));
				}
				progress("concurrency " + concurrency + ": round " + (round + 1) + " of " + this.settings.rounds());
			}
			results.put(concurrency, rounds);
		}
		return results;
	}

	private LoadResult measure(LoadTarget target, int concurrency) {
		int connectionsBefore = this.upstreamConnections.getAsInt();
		Duration warmup = this.settings.warmup();
		if (!warmup.isZero()) {
			ClosedLoopLoad.run(target, concurrency, warmup);
		}
		LoadResult result = ClosedLoopLoad.run(target, concurrency, this.settings.duration());
		this.connectionsOpened.merge(target.name(), this.upstreamConnections.getAsInt() - connectionsBefore,
				Integer::sum);
		return result;
	}

	private static void progress(String message) {
		System.err.println("  " + message);
	}

}
