package dev.steady.autoconfigure.health.internal;

import java.util.concurrent.TimeUnit;

/**
 * Counts events of the last minute in one-second buckets, so that a burst of failures
 * long ago does not keep a pool marked as failing.
 */
final class RecentEvents {

	private static final int BUCKETS = 60;

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final long[] bucketSecond = new long[BUCKETS];

	private final int[] bucketCount = new int[BUCKETS];

	/**
	 * Record one event.
	 * @param nowNanos the current {@link System#nanoTime()}
	 */
	synchronized void record(long nowNanos) {
		long second = nowNanos / SECOND;
		int bucket = (int) Math.floorMod(second, (long) BUCKETS);
		if (this.bucketSecond[bucket] != second) {
			this.bucketSecond[bucket] = second;
			this.bucketCount[bucket] = 0;
		}
		this.bucketCount[bucket]++;
	}

	/**
	 * Events recorded in the last minute.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @return the count
	 */
	synchronized int lastMinute(long nowNanos) {
		long second = nowNanos / SECOND;
		int count = 0;
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			if (this.bucketCount[bucket] > 0 && second - this.bucketSecond[bucket] < BUCKETS) {
				count += this.bucketCount[bucket];
			}
		}
		return count;
	}

}
