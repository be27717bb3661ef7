package dev.steady.client.internal;

import java.net.SocketAddress;
import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
 * idle time it had survived is reported to {@link LearnedIdleTimeouts}; when it serves its
 * request, the idle time it had when taken from the pool is reported as proven safe.
 * <p>
 * Idle time is counted from the last byte read, which is about when the server finished
 * writing and started its own idle clock, rather than from the release to the pool, which
 * comes later when the application is slow to consume a response.
 */
final class ConnectionReuseTracker implements ConnectionObserver {

	private static final AttributeKey<Long> LAST_RELEASE = AttributeKey.valueOf("steady.lastRelease");

	static final AttributeKey<Long> LAST_READ = AttributeKey.valueOf("steady.lastRead");

	private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("steady.idleSinceBeforeThisUse");

	private static final AttributeKey<Long> IDLE_WHEN_TAKEN = AttributeKey.valueOf("steady.idleWhenTaken");

	private static final AttributeKey<ProvenIdle> PROVEN_IDLE = AttributeKey.valueOf("steady.provenIdle");

	static final AttributeKey<Duration> KEEP_ALIVE_HINT = AttributeKey.valueOf("steady.keepAliveHint");

	private static final String LAST_READ_HANDLER = "steady.lastRead";

	private final String client;

	private final LearnedIdleTimeouts learned;

	ConnectionReuseTracker(String client, LearnedIdleTimeouts learned) {
		this.client = client;
		this.learned = learned;
	}

	@Override
	public void onStateChange(Connection connection, State state) {
		Channel channel = connection.channel();
		if (state == State.CONNECTED) {
			recordReads(channel);
		}
		else if (state == State.RELEASED) {
			channel.attr(LAST_RELEASE).set(System.currentTimeMillis());
		}
		else if (state == State.ACQUIRED) {
			boolean reused = channel.attr(LAST_RELEASE).get() != null;
			Long idleSince = reused ? idleSinceLastRead(channel) : null;
			channel.attr(IDLE_SINCE).set(idleSince);
			channel.attr(IDLE_WHEN_TAKEN).set((idleSince != null) ? System.currentTimeMillis() - idleSince : null);
		}
		else if (state == HttpClientState.RESPONSE_RECEIVED && connection instanceof HttpClientResponse response) {
			Duration hint = KeepAliveHint.timeout(response.responseHeaders().get("Keep-Alive"));
			if (hint != null) {
				channel.attr(KEEP_ALIVE_HINT).set(hint);
			}
			Long idleWhenTaken = channel.attr(IDLE_WHEN_TAKEN).getAndSet(null);
			ProvenIdle proven = (idleWhenTaken != null) ? provenIdle(channel) : null;
			if (proven != null) {
				proven.provedSafe(idleWhenTaken);
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

	/** The proofs of the channel's host, looked up once per connection. */
	private @Nullable ProvenIdle provenIdle(Channel channel) {
		ProvenIdle proven = channel.attr(PROVEN_IDLE).get();
		SocketAddress remote = channel.remoteAddress();
		if (proven == null && remote != null) {
			proven = this.learned.provenIdle(this.client, remote);
			channel.attr(PROVEN_IDLE).set(proven);
		}
		return proven;
	}

	/**
	 * Record the time of every read on a newly connected channel, ahead of any other handler.
	 * @param channel the channel
	 */
	private static void recordReads(Channel channel) {
		if (channel.pipeline().get(LAST_READ_HANDLER) == null) {
			channel.pipeline().addFirst(LAST_READ_HANDLER, LastReadRecorder.INSTANCE);
		}
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

	/** Stamps each channel with the time of its last read. */
	@ChannelHandler.Sharable
	private static final class LastReadRecorder extends ChannelInboundHandlerAdapter {

		static final LastReadRecorder INSTANCE = new LastReadRecorder();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ctx.channel().attr(LAST_READ).set(System.currentTimeMillis());
			ctx.fireChannelRead(msg);
		}

	}

}
