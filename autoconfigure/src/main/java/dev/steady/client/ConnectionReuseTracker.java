package dev.steady.client;

import java.net.SocketAddress;
import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.HttpClientState;

/**
 * Observes a client's connections and records on each channel what the pool needs to
 * decide when to close it: when it last read from its server, whether it was reused and
 * since when it had been idle before the request it carries, and the idle timeout its
 * server announced in a {@code Keep-Alive} header. When a reused connection dies stale, the
 * idle time it had survived is reported to {@link LearnedIdleTimeouts}.
 * <p>
 * Idle time is counted from the last byte read, which is about when the server finished
 * writing and started its own idle clock, rather than from the release to the pool, which
 * comes later when the application is slow to consume a response.
 */
final class ConnectionReuseTracker implements ConnectionObserver {

	private static final AttributeKey<Long> LAST_RELEASE = AttributeKey.valueOf("steady.lastRelease");

	private static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("steady.lastRead");

	private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("steady.idleSinceBeforeThisUse");

	private static final AttributeKey<Duration> KEEP_ALIVE_HINT = AttributeKey.valueOf("steady.keepAliveHint");

	private final String client;

	private final LearnedIdleTimeouts learned;

	ConnectionReuseTracker(String client, LearnedIdleTimeouts learned) {
		this.client = client;
		this.learned = learned;
	}

	@Override
	public void onStateChange(Connection connection, State state) {
		Channel channel = connection.channel();
		if (state == State.RELEASED) {
			channel.attr(LAST_RELEASE).set(System.currentTimeMillis());
		}
		else if (state == State.ACQUIRED) {
			boolean reused = channel.attr(LAST_RELEASE).get() != null;
			channel.attr(IDLE_SINCE).set(reused ? idleSinceLastRead(channel) : null);
		}
		else if (state == HttpClientState.RESPONSE_RECEIVED && connection instanceof HttpClientResponse response) {
			Duration hint = KeepAliveHint.timeout(response.responseHeaders().get("Keep-Alive"));
			if (hint != null) {
				channel.attr(KEEP_ALIVE_HINT).set(hint);
			}
		}
	}

	@Override
	public void onUncaughtException(Connection connection, Throwable error) {
		Channel channel = connection.channel();
		Long idleSince = channel.attr(IDLE_SINCE).get();
		SocketAddress remote = channel.remoteAddress();
		if (idleSince != null && remote != null && FailureClassifier.classify(error) == FailureCause.STALE_CONNECTION) {
			// up to the failure, not the acquire: a request written late (a busy event loop)
			// reached the server after this long, and must not teach a shorter timeout
			this.learned.staleAfterIdle(this.client, remote, System.currentTimeMillis() - idleSince);
		}
	}

	/**
	 * Record the time of every read on a new channel, ahead of any other handler.
	 * @param observer the connection observer
	 * @param channel the new channel
	 * @param remote the remote address
	 */
	static void recordReads(ConnectionObserver observer, Channel channel, @Nullable SocketAddress remote) {
		channel.pipeline().addFirst("steady.lastRead", new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				ctx.channel().attr(LAST_READ).set(System.currentTimeMillis());
				ctx.fireChannelRead(msg);
			}
		});
	}

	/**
	 * Since when an idle channel has been idle: its last read, or its release to the pool.
	 * @param channel the channel
	 * @return epoch millis, or {@code null} if the channel never served a request
	 */
	static @Nullable Long idleSinceLastRead(Channel channel) {
		Long lastRead = channel.attr(LAST_READ).get();
		return (lastRead != null) ? lastRead : channel.attr(LAST_RELEASE).get();
	}

	static @Nullable Long lastRead(Channel channel) {
		return channel.attr(LAST_READ).get();
	}

	static @Nullable Long idleSince(Channel channel) {
		return channel.attr(IDLE_SINCE).get();
	}

	static @Nullable Duration keepAliveHint(Channel channel) {
		return channel.attr(KEEP_ALIVE_HINT).get();
	}

}
