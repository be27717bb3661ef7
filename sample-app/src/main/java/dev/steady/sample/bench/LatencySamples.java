package dev.steady.sample.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Latencies of the requests of one load worker, in nanoseconds. A worker has one request in
 * flight at a time, so one thread at a time adds to it.
 */
final class LatencySamples {

	private long[] nanos = new long[1024];

	private int size;

	void add(long latencyNanos) {
		if (this.size == this.nanos.length) {
			this.nanos = Arrays.copyOf(this.nanos, this.size * 2);
		}
		this.nanos[this.size++] = latencyNanos;
	}

	/**
	 * All samples of several workers, sorted.
	 * @param workers the workers' samples
	 * @return the latencies in ascending order
	 */
	static long[] sorted(List<LatencySamples> workers) {
		long[] all = new long[workers.stream().mapToInt((samples) -> samples.size).sum()];
		int next = 0;
		for (LatencySamples samples : workers) {
			System.arraycopy(samples.nanos, 0, all, next, samples.size);
			next += samples.size;
		}
		Arrays.sort(all);
		return all;
	}

	/**
	 * Nearest-rank percentile of sorted latencies.
	 * @param sorted latencies in ascending order, in nanoseconds
	 * @param percentile the percentile, such as 99
	 * @return the percentile in milliseconds, or 0 without samples
	 */
	static double percentileMillis(long[] sorted, double percentile) {
		if (sorted.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

}
