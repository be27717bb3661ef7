package dev.steady.client;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What each client has learned of its upstreams' real idle timeouts: when a reused
 * connection dies stale after having been idle for t, the host closes idle connections
 * within t. The shortest such t per host is kept; each pool turns it into an idle limit
 * ({@code t x learn-factor}, at least {@code min-learned-idle-time}).
 */
public final class LearnedIdleTimeouts {

	private static final Log logger = LogFactory.getLog(LearnedIdleTimeouts.class);

	private final Map<String, Map<SocketAddress, Long>> shortestStaleIdle = new ConcurrentHashMap<>();

	/**
	 * Record that a reused connection died stale after having been idle for a while.
	 * @param client the client's name
	 * @param remote the host's address
	 * @param idleMillis how long the connection had been idle before the request
	 */
	public void staleAfterIdle(String client, SocketAddress remote, long idleMillis) {
		Map<SocketAddress, Long> hosts = this.shortestStaleIdle.computeIfAbsent(client,
				(name) -> new ConcurrentHashMap<>());
		Long before = hosts.get(remote);
		Long after = hosts.merge(remote, idleMillis, Math::min);
		if (!after.equals(before) && logger.isInfoEnabled()) {
			logger.info("Steady client '" + client + "': " + remote + " closed a connection that had been idle for "
					+ after + " ms; its connections are now evicted sooner (steady.client.pool.learn-factor of that)");
		}
	}

	/**
	 * The shortest idle time after which a client saw a host's connection die stale.
	 * @param client the client's name
	 * @param remote the host's address
	 * @return the idle time, or {@code null} if nothing was learned
	 */
	public @Nullable Duration shortestStaleIdle(String client, SocketAddress remote) {
		Map<SocketAddress, Long> hosts = this.shortestStaleIdle.get(client);
		Long millis = (hosts != null) ? hosts.get(remote) : null;
		return (millis != null) ? Duration.ofMillis(millis) : null;
	}

	/**
	 * Everything a client learned, per host.
	 * @param client the client's name
	 * @return shortest stale idle time in milliseconds per host address
	 */
	public Map<SocketAddress, Long> of(String client) {
		return Collections.unmodifiableMap(this.shortestStaleIdle.getOrDefault(client, Map.of()));
	}

}
