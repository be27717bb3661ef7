package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pooled connections are probably dead because a reused connection to the same host
 * just died under a request. A stale connection rarely comes alone: after a pause, every
 * connection that sat idle as long is just as dead. So when a reused connection fails that
 * way, every connection of that host that was idle at that moment is a suspect: the pool's
 * eviction predicate closes them, and a retry gets a live connection instead of the next
 * stale one. Connections that served a request since are not suspects.
 */
public final class StaleConnectionSuspects {

	private final Map<String, Map<SocketAddress, Long>> idleBefore = new ConcurrentHashMap<>();

	/**
	 * Record that a reused connection of a client to a host died before its response.
	 * @param client the client's name
	 * @param remote the host's address
	 */
	public void staleConnectionFailed(String client, SocketAddress remote) {
		of(client).merge(remote, System.currentTimeMillis(), Math::max);
	}

	/**
	 * The suspects of one client, live, for a pool that checks every connection it hands
	 * out or takes back: per host address, when a reused connection to it died; a connection
	 * released no later than that is a suspect.
	 * @param client the client's name
	 * @return the client's marks, updated as connections die
	 */
	Map<SocketAddress, Long> of(String client) {
		return this.idleBefore.computeIfAbsent(client, (name) -> new ConcurrentHashMap<>());
	}

	/**
	 * Forget a client's suspects of a host whose pool is gone, unused for
	 * {@code steady.health.forget-after}.
	 * @param client the client's name
	 * @param pool the address Reactor Netty keyed the host's pool by
	 */
	public void forgetHost(String client, SocketAddress pool) {
		Map<SocketAddress, Long> marks = this.idleBefore.get(client);
		if (marks != null) {
			PooledHost.of(pool).addressesAmong(marks.keySet()).forEach(marks::remove);
		}
	}

}
