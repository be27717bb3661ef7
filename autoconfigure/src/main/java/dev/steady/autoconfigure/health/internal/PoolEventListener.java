package dev.steady.autoconfigure.health.internal;

/**
 * Told what happens to Steady's pools: per-host pools appearing and going away, leases
 * ending, leaks suspected. {@link MicrometerPoolMeters} turns these into meters.
 */
public interface PoolEventListener {

	/** A listener that ignores every event. */
	PoolEventListener NONE = new PoolEventListener() {
	};

	/**
	 * Reactor Netty created a pool for a remote host.
	 * @param pool the new pool
	 */
	default void poolAdded(HostPoolState pool) {
	}

	/**
	 * Reactor Netty disposed a pool: the client's pools closed, or the host was not used
	 * for a while.
	 * @param pool the pool that went away
	 */
	default void poolRemoved(HostPoolState pool) {
	}

	/**
	 * A request gave its connection back to the pool, or the connection closed.
	 * @param client the client's name
	 * @param heldNanos how long the request held the connection, in nanoseconds
	 */
	default void leaseEnded(String client, long heldNanos) {
	}

	/**
	 * A request has held its connection for longer than the leak detection threshold.
	 * @param client the client's name
	 */
	default void leakSuspected(String client) {
	}

}
