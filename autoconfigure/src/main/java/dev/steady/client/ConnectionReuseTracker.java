package dev.steady.client;

import java.net.SocketAddress;
import java.time.Duration;

import dev.steady.retry.FailureCause;
import dev.steady.retry.FailureClassifier;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.HttpClientState;

/**
 * Observes a client's connections and records on each channel what the pool needs to
 * decide when to close it: when it was last released, since when it had been idle before
 * the request it carries, and the idle timeout its server announced in a
 * {@code Keep-Alive} header. When a reused connection dies stale, the idle time it had
 * survived is reported to {@link LearnedIdleTimeouts}.
 */
final class ConnectionReuseTracker implements ConnectionObserver {

	private static final AttributeKey<Long> LAST_RELEASE = AttributeKey.valueOf("steady.lastRelease");

	private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("steady.idleSinceBeforeThisUse");

	private static final AttributeKey<Long> ACQUIRED_AT = AttributeKey.valueOf("steady.acquiredAt");

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
			channel.attr(IDLE_SINCE).set(channel.attr(LAST_RELEASE).get());
			channel.attr(ACQUIRED_AT).set(System.currentTimeMillis());
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
		Long acquiredAt = channel.attr(ACQUIRED_AT).get();
		SocketAddress remote = channel.remoteAddress();
		if (idleSince != null && acquiredAt != null && remote != null
				&& FailureClassifier.classify(error) == FailureCause.STALE_CONNECTION) {
			this.learned.staleAfterIdle(this.client, remote, acquiredAt - idleSince);
		}
	}

	static @Nullable Long idleSince(Channel channel) {
		return channel.attr(IDLE_SINCE).get();
	}

	static @Nullable Duration keepAliveHint(Channel channel) {
		return channel.attr(KEEP_ALIVE_HINT).get();
	}

}
