package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one host proved to one client: the longest idle time after which a reused connection
 * still served a request, how many fresh connections were taken instead of reusing one
 * idle for longer than that, by requests that must not be sent twice, and how many pooled
 * connections the host closed while they sat idle.
 */
public final class ProvenIdle {

	private final SocketAddress remote;

	private final AtomicLong safeIdleMillis = new AtomicLong();

	private final AtomicLong freshConnections = new AtomicLong();

	private final AtomicLong idleCloses = new AtomicLong();

	ProvenIdle(SocketAddress remote) {
		this.remote = remote;
	}

	/**
	 * The host's address.
	 * @return the address
	 */
	public SocketAddress remote() {
		return this.remote;
	}

	/**
	 * Longest idle time proven safe.
	 * @return milliseconds, 0 when none is proven
	 */
	public long safeIdleMillis() {
		return this.safeIdleMillis.get();
	}

	/**
	 * Fresh connections taken for safety so far.
	 * @return the count
	 */
	public long freshConnections() {
		return this.freshConnections.get();
	}

	/**
	 * Pooled connections the host closed while they sat idle, so far, whatever they taught.
	 * @return the count
	 */
	public long idleCloses() {
		return this.idleCloses.get();
	}

	void provedSafe(long idleMillis) {
		if (idleMillis > this.safeIdleMillis.get()) {
			this.safeIdleMillis.accumulateAndGet(idleMillis, Math::max);
		}
	}

	/** A connection died stale after this long idle: nothing that long or longer is proven any more. */
	void disprovedAt(long idleMillis) {
		this.safeIdleMillis.getAndUpdate((proven) -> (proven >= idleMillis) ? 0 : proven);
	}

	void freshConnectionTaken() {
		this.freshConnections.incrementAndGet();
	}

	void closedWhileIdle() {
		this.idleCloses.incrementAndGet();
	}

}
