package dev.steady.autoconfigure.health.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
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
 */
public record PoolSnapshot(String host, int maxConnections, int acquired, int idle, int pending, int maxPending,
		int acquireTimeoutsLastMinute, int prematureClosesLastMinute, int suspectedLeaks, Duration maxIdleTime,
		Duration fullFor) {

	/**
	 * Whether every connection of the pool is in use.
	 * @return {@code true} when no more connections can be opened or handed out
	 */
	public boolean full() {
		return this.acquired >= this.maxConnections;
	}

	/**
	 * The snapshot as health and endpoint details, durations in ISO-8601 ({@code PT4S}).
	 * @return the details, in a stable order
	 */
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
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
