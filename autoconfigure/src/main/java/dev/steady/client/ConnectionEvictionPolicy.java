package dev.steady.client;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.BiPredicate;

import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

/**
 * The one rule that decides which pooled connections to close, on acquire, on release and
 * in background eviction:
 * <ul>
 * <li>closed or non-persistent connections (Reactor Netty's own rule);</li>
 * <li>connections idle for their idle limit or longer: max-idle-time, or the server's own
 * Keep-Alive hint less a margin, lowered to what was learned of the host;</li>
 * <li>connections that served max-requests-per-connection requests;</li>
 * <li>{@link StaleConnectionSuspects}.</li>
 * </ul>
 * Life time and its variance stay with the pool's own {@code maxLifeTime}.
 */
final class ConnectionEvictionPolicy implements BiPredicate<Connection, ConnectionMetadata> {

	private final String client;

	private final StaleConnectionSuspects suspects;

	private final LearnedIdleTimeouts learned;

	// the pool's settings in milliseconds, read once: the predicate runs on every acquire and release
	private final long maxIdleMillis;

	private final boolean honorKeepAliveHints;

	private final long maxKeepAliveHintMillis;

	private final long keepAliveHintMarginMillis;

	private final boolean learnIdleTimeout;

	private final double learnFactor;

	private final long minLearnedIdleMillis;

	private final int maxRequestsPerConnection;

	ConnectionEvictionPolicy(String client, ClientSettings.Pool pool, StaleConnectionSuspects suspects,
			LearnedIdleTimeouts learned) {
		this.client = client;
		this.suspects = suspects;
		this.learned = learned;
		this.maxIdleMillis = pool.maxIdleTime().toMillis();
		this.honorKeepAliveHints = pool.honorKeepAliveHints();
		this.maxKeepAliveHintMillis = pool.maxKeepAliveHint().toMillis();
		this.keepAliveHintMarginMillis = pool.keepAliveHintMargin().toMillis();
		this.learnIdleTimeout = pool.learnIdleTimeout();
		this.learnFactor = pool.learnFactor();
		this.minLearnedIdleMillis = pool.minLearnedIdleTime().toMillis();
		this.maxRequestsPerConnection = pool.maxRequestsPerConnection();
	}

	@Override
	public boolean test(Connection connection, ConnectionMetadata metadata) {
		if (!connection.channel().isActive() || !connection.isPersistent()) {
			return true;
		}
		if (this.maxRequestsPerConnection > 0 && metadata.acquireCount() >= this.maxRequestsPerConnection) {
			return true;
		}
		SocketAddress remote = connection.channel().remoteAddress();
		if (idleMillis(connection, metadata) >= idleLimitMillis(connection, remote)) {
			return true;
		}
		return remote != null && this.suspects.isSuspect(this.client, remote, metadata.releaseTimestamp());
	}

	/**
	 * How long an idle connection has been idle as its server sees it: since its last read,
	 * which comes before its release to the pool.
	 */
	private static long idleMillis(Connection connection, ConnectionMetadata metadata) {
		Long lastRead = ConnectionReuseTracker.lastRead(connection.channel());
		return (lastRead != null) ? Math.max(metadata.idleTime(), System.currentTimeMillis() - lastRead)
				: metadata.idleTime();
	}

	/**
	 * The idle limit of one connection: max-idle-time, or its server's Keep-Alive hint less
	 * the margin, lowered to what was learned of its host.
	 * @param connection the connection
	 * @param remote its remote address, if connected
	 * @return how long it may stay idle, in milliseconds
	 */
	long idleLimitMillis(Connection connection, @Nullable SocketAddress remote) {
		long limit = this.maxIdleMillis;
		Duration hint = this.honorKeepAliveHints ? ConnectionReuseTracker.keepAliveHint(connection.channel()) : null;
		if (hint != null) {
			limit = Math.max(0, Math.min(hint.toMillis(), this.maxKeepAliveHintMillis) - this.keepAliveHintMarginMillis);
		}
		Duration staleAfter = (this.learnIdleTimeout && remote != null)
				? this.learned.shortestStaleIdle(this.client, remote) : null;
		if (staleAfter != null) {
			long learnedLimit = Math.max(this.minLearnedIdleMillis, (long) (staleAfter.toMillis() * this.learnFactor));
			limit = Math.min(limit, learnedLimit);
		}
		return limit;
	}

}
