package dev.steady.autoconfigure.health.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import reactor.netty.http.client.HttpConnectionPoolMetrics;
import reactor.netty.resources.ConnectionPoolMetrics;

/**
 * Live state of the pool one client keeps for one remote host, as Reactor Netty handed it
 * to the client's registrar, with the failures seen on it in the last minute.
 */
public final class HostPoolState {

	private static final long NOT_FULL = Long.MIN_VALUE;

	private final String client;

	private final String poolName;

	private final String id;

	private final RemoteHost host;

	private final ConnectionPoolMetrics metrics;

	private final Duration maxIdleTime;

	private final int http2MaxConnections;

	private final RecentEvents acquireTimeouts = new RecentEvents();

	private final RecentEvents prematureCloses = new RecentEvents();

	private final AtomicLong fullSince = new AtomicLong(NOT_FULL);

	HostPoolState(String client, String poolName, String id, RemoteHost host, ConnectionPoolMetrics metrics,
			Duration maxIdleTime, int http2MaxConnections) {
		this.client = client;
		this.poolName = poolName;
		this.id = id;
		this.host = host;
		this.metrics = metrics;
		this.maxIdleTime = maxIdleTime;
		this.http2MaxConnections = http2MaxConnections;
	}

	/**
	 * Name of the client that owns the pool.
	 * @return the client name
	 */
	public String client() {
		return this.client;
	}

	/**
	 * Reactor Netty's name of the client's connection provider ({@code steady-<client>}).
	 * @return the pool name
	 */
	public String poolName() {
		return this.poolName;
	}

	/**
	 * Reactor Netty's id of this per-host pool.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The remote host.
	 * @return {@code host:port}
	 */
	public String host() {
		return this.host.toString();
	}

	/**
	 * Live metrics of the pool.
	 * @return the metrics, read on every call
	 */
	public ConnectionPoolMetrics metrics() {
		return this.metrics;
	}

	RemoteHost remoteHost() {
		return this.host;
	}

	void acquireTimedOut(long nowNanos) {
		this.acquireTimeouts.record(nowNanos);
	}

	void closedPrematurely(long nowNanos) {
		this.prematureCloses.record(nowNanos);
	}

	PoolSnapshot snapshot(long nowNanos, int suspectedLeaks) {
		int acquired = this.metrics.acquiredSize();
		// Reactor Netty's HTTP/2 pool reports no connection limit of its own
		int max = (this.metrics instanceof HttpConnectionPoolMetrics) ? this.http2MaxConnections
				: this.metrics.maxAllocatedSize();
		int pending = this.metrics.pendingAcquireSize();
		return new PoolSnapshot(host(), max, acquired, this.metrics.idleSize(), pending,
				this.metrics.maxPendingAcquireSize(), this.acquireTimeouts.lastMinute(nowNanos),
				this.prematureCloses.lastMinute(nowNanos), suspectedLeaks, this.maxIdleTime,
				fullFor(acquired >= max && pending > 0, nowNanos),
				(this.metrics instanceof HttpConnectionPoolMetrics http2) ? http2.activeStreamSize() : -1);
	}

	/**
	 * How long the pool has been seen full with requests waiting: from the first snapshot
	 * that saw it so, until one that does not.
	 */
	private Duration fullFor(boolean fullWithRequestsWaiting, long nowNanos) {
		if (!fullWithRequestsWaiting) {
			this.fullSince.set(NOT_FULL);
			return Duration.ZERO;
		}
		long since = this.fullSince.updateAndGet((previous) -> (previous != NOT_FULL) ? previous : nowNanos);
		return Duration.ofNanos(Math.max(0, nowNanos - since));
	}

}
