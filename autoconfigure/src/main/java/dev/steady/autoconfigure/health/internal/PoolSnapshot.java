package dev.steady.autoconfigure.health.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State of one per-host pool at one moment.
 *
 * @param host the remote host, {@code host:port}
 * @param maxConnections most connections the pool opens
 * @param acquired connections in use by requests
 * @param idle connections open and waiting in the pool
 * @param pending requests waiting for a connection
 * @param maxPending most requests that may wait for a connection
 * @param acquireTimeoutsLastMinute requests that gave up waiting for a connection in the
 * last minute
 * @param prematureClosesLastMinute connections the server closed before or during a
 * response in the last minute
 * @param suspectedLeaks connections held now for longer than the leak detection threshold
 * @param maxIdleTime idle time after which the pool closes a connection
 * @param fullFor how long the pool has been seen full with requests waiting, zero when it
 * is not
 * @param activeStreams for the HTTP/2 pool of a host, the streams open on its connections
 * (acquired and idle then count its connections, pending its streams waiting); -1 for an
 * HTTP/1.1 pool
 */
public record PoolSnapshot(String host, int maxConnections, int acquired, int idle, int pending, int maxPending,
		int acquireTimeoutsLastMinute, int prematureClosesLastMinute, int suspectedLeaks, Duration maxIdleTime,
		Duration fullFor, int activeStreams) {

	/**
	 * Whether this is the HTTP/2 pool of its host, on top of its HTTP/1.1 pool.
	 * @return {@code true} for an HTTP/2 pool
	 */
	public boolean http2() {
		return this.activeStreams >= 0;
	}

	/**
	 * The details of each host's pools, for health and the endpoint: its HTTP/1.1 pool's, with
	 * its HTTP/2 pool's under {@code http2} when it has one.
	 * @param pools the snapshots of a client's pools
	 * @return details by host, in the pools' order
	 */
	public static Map<String, Map<String, Object>> byHost(List<PoolSnapshot> pools) {
		Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
		pools.stream().filter((pool) -> !pool.http2()).forEach((pool) -> hosts.putIfAbsent(pool.host(), pool.details()));
		pools.stream()
			.filter(PoolSnapshot::http2)
			.forEach((pool) -> hosts.computeIfAbsent(pool.host(), (host) -> new LinkedHashMap<>())
				.putIfAbsent("http2", pool.details()));
		return hosts;
	}

	/**
	 * Whether every connection of the pool is in use.
	 * @return {@code true} when no more connections can be opened or handed out
	 */
	public boolean full() {
		return this.acquired >= this.maxConnections;
	}

	/**
	 * The snapshot as health and endpoint details, durations in ISO-8601 ({@code PT4S}); an
	 * HTTP/2 pool's are its connections and streams.
	 * @return the details, in a stable order
	 */
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		if (http2()) {
			details.put("connections", this.acquired + this.idle);
			details.put("maxConnections", this.maxConnections);
			details.put("activeStreams", this.activeStreams);
			details.put("pendingStreams", this.pending);
			details.put("acquireTimeoutsLastMinute", this.acquireTimeoutsLastMinute);
			details.put("prematureClosesLastMinute", this.prematureClosesLastMinute);
			return details;
		}
		details.put("maxConnections", this.maxConnections);
		details.put("acquired", this.acquired);
		details.put("idle", this.idle);
		details.put("pending", this.pending);
		details.put("maxPending", this.maxPending);
		details.put("acquireTimeoutsLastMinute", this.acquireTimeoutsLastMinute);
		details.put("prematureClosesLastMinute", this.prematureClosesLastMinute);
		details.put("suspectedLeaks", this.suspectedLeaks);
		details.put("maxIdleTime", this.maxIdleTime.toString());
		details.put("fullFor", this.fullFor.toString());
		return details;
	}

}
