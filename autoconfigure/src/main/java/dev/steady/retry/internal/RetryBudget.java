package dev.steady.retry.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * How many retries one remote host may still get, Finagle style: over the last {@code ttl},
 * retries may be at most {@code ratio} of the requests plus {@code minPerSecond} x ttl. So an
 * outage adds at most a fifth (by default) to the traffic instead of multiplying it.
 * <p>
 * Requests and retries are counted in one-second slots of a ring covering the ttl; the
 * counts are approximate under races, which a budget can afford.
 */
final class RetryBudget {

	private final double ratio;

	private final long reserve;

	private final WindowCounter requests;

	private final WindowCounter retries;

	/**
	 * Create a budget.
	 * @param ratio share of recent requests that may be retried
	 * @param minPerSecond retries per second always allowed
	 * @param ttl window over which requests and retries are counted, in whole seconds
	 * @param clock source of the current time in milliseconds
	 */
	public RetryBudget(double ratio, int minPerSecond, Duration ttl, LongSupplier clock) {
		int seconds = (int) Math.max(1, ttl.toSeconds());
		this.ratio = ratio;
		this.reserve = (long) minPerSecond * seconds;
		this.requests = new WindowCounter(seconds, clock);
		this.retries = new WindowCounter(seconds, clock);
	}

	/**
	 * Count a first attempt of a request.
	 */
	public void recordRequest() {
		this.requests.increment();
	}

	/**
	 * Take one retry from the budget if there is one left.
	 * @return whether the retry may go ahead
	 */
	public boolean tryRetry() {
		if (this.retries.sum() >= this.ratio * this.requests.sum() + this.reserve) {
			return false;
		}
		this.retries.increment();
		return true;
	}

	/** Counts of the last N one-second slots. */
	private static final class WindowCounter {

		private final AtomicLongArray counts;

		private final AtomicLongArray slotSeconds;

		private final LongSupplier clock;

		WindowCounter(int seconds, LongSupplier clock) {
			this.counts = new AtomicLongArray(seconds);
			this.slotSeconds = new AtomicLongArray(seconds);
			this.clock = clock;
		}

		void increment() {
			long second = this.clock.getAsLong() / 1000;
			int slot = (int) (second % this.counts.length());
			long stamp = this.slotSeconds.get(slot);
			if (stamp != second && this.slotSeconds.compareAndSet(slot, stamp, second)) {
				this.counts.set(slot, 0);
			}
			this.counts.incrementAndGet(slot);
		}

		long sum() {
			long now = this.clock.getAsLong() / 1000;
			long sum = 0;
			for (int slot = 0; slot < this.counts.length(); slot++) {
				if (now - this.slotSeconds.get(slot) < this.counts.length()) {
					sum += this.counts.get(slot);
				}
			}
			return sum;
		}

	}

}
