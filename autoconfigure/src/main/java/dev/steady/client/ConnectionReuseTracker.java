package dev.steady.client;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;

/**
 * Remembers on each channel when it was last released to the pool and, while it carries a
 * request, since when it had been idle before that request ({@code null} for a new
 * connection). Read back through {@link ConnectionUse}.
 */
final class ConnectionReuseTracker {

	private static final AttributeKey<Long> LAST_RELEASE = AttributeKey.valueOf("steady.lastRelease");

	private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("steady.idleSinceBeforeThisUse");

	private ConnectionReuseTracker() {
	}

	static void onStateChange(Connection connection, ConnectionObserver.State state) {
		Channel channel = connection.channel();
		if (state == ConnectionObserver.State.RELEASED) {
			channel.attr(LAST_RELEASE).set(System.currentTimeMillis());
		}
		else if (state == ConnectionObserver.State.ACQUIRED) {
			channel.attr(IDLE_SINCE).set(channel.attr(LAST_RELEASE).get());
		}
	}

	static @Nullable Long idleSince(Channel channel) {
		return channel.attr(IDLE_SINCE).get();
	}

}
