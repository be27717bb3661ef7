package dev.steady.client;

import java.net.SocketAddress;
import java.util.function.BiPredicate;

import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

/**
 * Decides which pooled connections to close, on acquire, on release and in background
 * eviction: closed or non-persistent ones (Reactor Netty's own rule), those idle for
 * {@code max-idle-time} or longer, and {@link StaleConnectionSuspects}. Life time and its
 * variance stay with the pool's own {@code maxLifeTime}.
 */
final class ConnectionEvictionPolicy implements BiPredicate<Connection, ConnectionMetadata> {

	private final String client;

	private final long maxIdleMillis;

	private final StaleConnectionSuspects suspects;

	ConnectionEvictionPolicy(String client, ClientSettings.Pool pool, StaleConnectionSuspects suspects) {
		this.client = client;
		this.maxIdleMillis = pool.getMaxIdleTime().toMillis();
		this.suspects = suspects;
	}

	@Override
	public boolean test(Connection connection, ConnectionMetadata metadata) {
		if (!connection.channel().isActive() || !connection.isPersistent()) {
			return true;
		}
		if (metadata.idleTime() >= this.maxIdleMillis) {
			return true;
		}
		SocketAddress remote = connection.channel().remoteAddress();
		return remote != null && this.suspects.isSuspect(this.client, remote, metadata.releaseTimestamp());
	}

}
