package dev.steady.autoconfigure.health;

import dev.steady.autoconfigure.health.internal.PoolSnapshot;

import java.time.Duration;

/**
 * When a pool counts as saturated: every connection is in use, and either requests have
 * been waiting for one for at least {@code saturatedAfter}, or at least
 * {@code acquireTimeouts} requests gave up waiting in the last minute.
 *
 * @param saturatedAfter how long a full pool may have requests waiting
 * @param acquireTimeouts acquire timeouts in the last minute that make a full pool saturated
 */
record SaturationRule(Duration saturatedAfter, int acquireTimeouts) {

	/**
	 * Whether a pool is saturated.
	 * @param pool the pool's state
	 * @return {@code true} when the pool is saturated
	 */
	public boolean isSaturated(PoolSnapshot pool) {
		return pool.full() && ((pool.pending() > 0 && pool.fullFor().compareTo(this.saturatedAfter) >= 0)
				|| pool.acquireTimeoutsLastMinute() >= this.acquireTimeouts);
	}

}
