package dev.steady.sample.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

import com.sun.management.OperatingSystemMXBean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Closed-loop load: a number of workers each send their next request as soon as the previous
 * one answered, until the duration is over. Successful requests are timed from subscription
 * to body; failed ones are counted; the process's CPU time is divided by the successful ones.
 */
final class ClosedLoopLoad {

	private static final OperatingSystemMXBean PROCESS = (OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	/** How long the last requests of a run may take after its end. */
	private static final Duration DRAIN_LIMIT = Duration.ofMinutes(1);

	private ClosedLoopLoad() {
	}

	static LoadResult run(LoadTarget target, int concurrency, Duration duration) {
		List<LatencySamples> workers = IntStream.range(0, concurrency).mapToObj((i) -> new LatencySamples()).toList();
		LongAdder failed = new LongAdder();
		long cpuStart = PROCESS.getProcessCpuTime();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		Flux.fromIterable(workers)
			.flatMap((samples) -> worker(target, samples, failed, end), concurrency)
			.blockLast(duration.plus(DRAIN_LIMIT));
		double seconds = (System.nanoTime() - start) / 1e9;
		long cpuNanos = PROCESS.getProcessCpuTime() - cpuStart;
		long[] latencies = LatencySamples.sorted(workers);
		return new LoadResult(failed.sum(), latencies.length / seconds, LatencySamples.percentileMillis(latencies, 50),
				LatencySamples.percentileMillis(latencies, 99), cpuNanos / 1000.0 / Math.max(1, latencies.length));
	}

	private static Mono<Void> worker(LoadTarget target, LatencySamples samples, LongAdder failed, long end) {
		return Mono.defer(() -> {
			long sent = System.nanoTime();
			return target.request()
				.get()
				.doOnNext((body) -> samples.add(System.nanoTime() - sent))
				.onErrorResume((ex) -> {
					failed.increment();
					return Mono.empty();
				});
		}).repeat(() -> System.nanoTime() < end).then();
	}

}
