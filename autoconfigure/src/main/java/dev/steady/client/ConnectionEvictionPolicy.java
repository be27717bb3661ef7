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

	private final ClientSettings.Pool pool;

	private final StaleConnectionSuspects suspects;

	private final LearnedIdleTimeouts learned;

	ConnectionEvictionPolicy(String client, ClientSettings.Pool pool, StaleConnectionSuspects suspects,
			LearnedIdleTimeouts learned) {
		this.client = client;
		this.pool = pool;
		this.suspects = suspects;
		this.learned = learned;
	}

	@Override
	public boolean test(Connection connection, ConnectionMetadata metadata) {
		if (!connection.channel().isActive() || !connection.isPersistent()) {
			return true;
		}
		int maxRequests = this.pool.getMaxRequestsPerConnection();
		if (maxRequests > 0 && metadata.acquireCount() >= maxRequests) {
			return true;
		}
		SocketAddress remote = connection.channel().remoteAddress();
		if (idleMillis(connection, metadata) >= idleLimit(connection, remote).toMillis()) {
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
	 * The idle limit of one connection.
	 * @param connection the connection
	 * @param remote its remote address, if connected
	 * @return how long it may stay idle
	 */
	Duration idleLimit(Connection connection, @Nullable SocketAddress remote) {
		Duration limit = this.pool.getMaxIdleTime();
		Duration hint = this.pool.isHonorKeepAliveHints() ? ConnectionReuseTracker.keepAliveHint(connection.channel())
				: null;
		if (hint != null) {
			Duration capped = (hint.compareTo(this.pool.getMaxKeepAliveHint()) > 0) ? this.pool.getMaxKeepAliveHint()
					: hint;
			limit = capped.minus(this.pool.getKeepAliveHintMargin());
			limit = limit.isNegative() ? Duration.ZERO : limit;
		}
		Duration staleAfter = (this.pool.isLearnIdleTimeout() && remote != null)
				? this.learned.shortestStaleIdle(this.client, remote) : null;
		if (staleAfter != null) {
			Duration learnedLimit = Duration.ofMillis((long) (staleAfter.toMillis() * this.pool.getLearnFactor()));
			learnedLimit = (learnedLimit.compareTo(this.pool.getMinLearnedIdleTime()) < 0)
					? this.pool.getMinLearnedIdleTime() : learnedLimit;
			limit = (learnedLimit.compareTo(limit) < 0) ? learnedLimit : limit;
		}
		return limit;
	}

}
