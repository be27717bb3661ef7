package dev.steady.client.internal;

import java.util.function.BiPredicate;

import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider.ConnectionMetadata;

/**
 * Which HTTP/2 connections the HTTP/2 pool closes, on acquire and in background eviction:
 * closed ones, those past max-life-time, those with streams open that opened as many streams as
 * their host serves on one connection ({@link Http2StreamLimits}: they take no new stream; the
 * pool, which closes only connections without streams, leaves their end to the server), and
 * those with no stream open for their host's idle
 * limit ({@link ConnectionEvictionPolicy#http2IdleLimitMillis}): max-idle-time, lowered to half
 * of the idle timeout the host taught ({@link Http2ConnectionWatch}). A connection its server
 * is about to close for idleness then carries no new stream, which would race the GOAWAY and
 * could be lost in the close before the GOAWAY is read. The HTTP/2 pool counts idle time from
 * its last stream's end.
 */
final class Http2EvictionPolicy implements BiPredicate<Connection, ConnectionMetadata> {

	private final ConnectionEvictionPolicy policy;

	private final long maxLifeMillis;

	/**
	 * Evict HTTP/2 connections by a client's policy.
	 * @param policy the policy of the client's pool, for the idle limit of each host
	 * @param maxLifeMillis max-life-time in milliseconds
	 */
	Http2EvictionPolicy(ConnectionEvictionPolicy policy, long maxLifeMillis) {
		this.policy = policy;
		this.maxLifeMillis = maxLifeMillis;
	}

	@Override
	public boolean test(Connection connection, ConnectionMetadata metadata) {
		if (!connection.channel().isActive()) {
			return true;
		}
		if (metadata.lifeTime() >= this.maxLifeMillis) {
			return true;
		}
		// only while streams are open, so the pool never closes a full connection for it: Reactor Netty's pool can
		// hand a connection to an acquire before it counts the stream, and a full idle one gets the server's GOAWAY
		Http2ConnectionWatch watch = Http2ConnectionWatch.of(connection.channel());
		if (watch != null && watch.hasOpenStreams()
				&& watch.streamsOpened() >= this.policy.http2StreamLimit(connection.channel().remoteAddress())) {
			return true;
		}
		// an HTTP/2 pool's idle time is 0 while a stream is open
		long idle = metadata.idleTime();
		return idle > 0 && idle >= this.policy.http2IdleLimitMillis(connection.channel().remoteAddress());
	}

}
