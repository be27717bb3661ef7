package dev.steady.client.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What each client has learned of its upstreams' real idle timeouts, from both sides:
 * <ul>
 * <li>when a reused connection dies stale after having been idle for t, or the host closes a
 * pooled connection idle for t, the host closes idle connections within t. The shortest such
 * t per host is kept; each pool turns it into an idle limit ({@code t x learn-factor}, at
 * least {@code min-learned-idle-time});</li>
 * <li>when a reused connection serves a request after having been idle for t, or the host
 * closes a pooled connection only after it had been idle for t, the host keeps idle
 * connections for at least t: t is proven safe. The longest proven t per host is kept
 * (and dropped when a connection dies stale after as long), together with how many fresh
 * connections requests that must not be sent twice took instead of reusing a connection
 * idle beyond it.</li>
 * </ul>
 * A host's idle timeout is the host's, whichever client asks: what one client proves of a
 * host, every client of the application may rely on, and a stale failure seen by one
 * withdraws the proofs of all. So a hand-made client without retry reuses connections as
 * long as Steady's client with retry proved safe on the same host.
 */
public final class LearnedIdleTimeouts {

	private static final Log logger = LogFactory.getLog(LearnedIdleTimeouts.class);

	private final Map<String, Map<SocketAddress, Long>> shortestStaleIdle = new ConcurrentHashMap<>();

	private final Map<String, Map<SocketAddress, ProvenIdle>> proven = new ConcurrentHashMap<>();

	private volatile BiConsumer<String, ProvenIdle> provenIdleListener = (client, host) -> {
	};

	/**
	 * Record that a reused connection died stale after having been idle for a while.
	 * @param client the client's name
	 * @param remote the host's address
	 * @param idleMillis how long the connection had been idle before the request
	 */
	public void staleAfterIdle(String client, SocketAddress remote, long idleMillis) {
		closesIdleConnectionsWithin(client, remote, idleMillis, "closed a connection that had been idle for ");
	}

	/**
	 * Record that a host closed a pooled connection (a FIN or a reset) while it sat idle, as
	 * nginx, Node and HAProxy do when their keep-alive timeout expires: the host closes idle
	 * connections after about that long. Like a stale failure, that lowers the client's idle
	 * limit and withdraws longer proofs; unlike one, the connection was open until then, so
	 * the idle time itself is proven safe, and requests that must not be sent twice reuse
	 * connections up to a share of it (the learn-factor) before any request raced a close.
	 * @param client the client's name
	 * @param remote the host's address
	 * @param idleMillis how long the connection had been idle when the host closed it
	 */
	public void closedWhileIdle(String client, SocketAddress remote, long idleMillis) {
		closesIdleConnectionsWithin(client, remote, idleMillis, "closed an idle connection after ");
		provenIdle(client, remote).provedSafe(idleMillis);
	}

	private void closesIdleConnectionsWithin(String client, SocketAddress remote, long idleMillis, String what) {
		Map<SocketAddress, Long> hosts = shortestStaleIdleOf(client);
		Long before = hosts.get(remote);
		Long after = hosts.merge(remote, idleMillis, Math::min);
		provenIdle(client, remote); // the client's record of the host exists from its first lesson on
		this.proven.values().forEach((provenHosts) -> {
			ProvenIdle host = provenHosts.get(remote);
			if (host != null) {
				host.disprovedAt(idleMillis);
			}
		});
		if (!after.equals(before) && logger.isInfoEnabled()) {
			logger.info("Steady client '" + client + "': " + remote + " " + what + after
					+ " ms; its connections are now evicted sooner (steady.client-defaults.pool.learn-factor of that)");
		}
	}

	/**
	 * Record that an idle connection was not reused by a request that must not be sent twice,
	 * because its idle time was not proven safe: the request takes a fresh connection.
	 * @param client the client's name
	 * @param remote the host's address
	 */
	public void freshConnectionTaken(String client, SocketAddress remote) {
		provenIdle(client, remote).freshConnectionTaken();
	}

	/**
	 * The shortest idle times after which a client saw its hosts' connections die stale or
	 * closed, live, for a pool that asks on every acquire and release.
	 * @param client the client's name
	 * @return milliseconds per host address, updated as the client learns
	 */
	Map<SocketAddress, Long> shortestStaleIdleOf(String client) {
		return this.shortestStaleIdle.computeIfAbsent(client, (name) -> new ConcurrentHashMap<>());
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
	 * The longest idle time after which any client's reused connection to a host served a
	 * request, since the last stale failure that contradicted it.
	 * @param remote the host's address
	 * @return the idle time in milliseconds, 0 when none is proven
	 */
	public long provenSafeIdleMillis(SocketAddress remote) {
		long longest = 0;
		for (Map<SocketAddress, ProvenIdle> hosts : this.proven.values()) {
			ProvenIdle host = hosts.get(remote);
			if (host != null) {
				longest = Math.max(longest, host.safeIdleMillis());
			}
		}
		return longest;
	}

	/**
	 * Everything a client learned, per host.
	 * @param client the client's name
	 * @return shortest stale idle time in milliseconds per host address
	 */
	public Map<SocketAddress, Long> of(String client) {
		return Collections.unmodifiableMap(this.shortestStaleIdle.getOrDefault(client, Map.of()));
	}

	/**
	 * What each host of a client proved safe, and the fresh connections taken for safety.
	 * @param client the client's name
	 * @return per host address
	 */
	public Map<SocketAddress, ProvenIdle> provenOf(String client) {
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.proven.getOrDefault(client, Map.of())));
	}

	/**
	 * Be told of every host a client starts keeping proofs for, with what is known so far.
	 * @param listener receives the client's name and the host's record, which stays live
	 */
	public void onProvenIdle(BiConsumer<String, ProvenIdle> listener) {
		this.provenIdleListener = listener;
		this.proven.forEach((client, hosts) -> hosts.values().forEach((host) -> listener.accept(client, host)));
	}

	/**
	 * The proofs of one host of a client, created on first use: reused connections that
	 * served a request prove their idle time safe on it.
	 * @param client the client's name
	 * @param remote the host's address
	 * @return the host's live record
	 */
	ProvenIdle provenIdle(String client, SocketAddress remote) {
		Map<SocketAddress, ProvenIdle> hosts = this.proven.computeIfAbsent(client, (name) -> new ConcurrentHashMap<>());
		ProvenIdle host = hosts.get(remote);
		if (host != null) {
			return host;
		}
		ProvenIdle created = new ProvenIdle(remote);
		ProvenIdle existing = hosts.putIfAbsent(remote, created);
		if (existing != null) {
			return existing;
		}
		this.provenIdleListener.accept(client, created);
		return created;
	}

}
