package dev.steady.client.internal;

import java.net.SocketAddress;
import java.time.Duration;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.HttpClientState;

/**
 * Observes a client's connections and records on each channel what the pool needs to
 * decide when to close it: when it last read from its server, whether it was reused and
 * since when it had been idle before the request it carries, and the idle timeout its
 * server announced in a {@code Keep-Alive} header, all in its {@link ConnectionHistory}. When a
 * reused connection dies stale, the idle time it had survived is reported to
 * {@link LearnedIdleTimeouts}; when it serves its request, the idle time it had when taken
 * from the pool is reported as proven safe; when its server closes it while it sits idle in
 * the pool (nginx, Node and HAProxy send a FIN when their keep-alive timeout expires), how long
 * it had been idle tells the host's idle timeout.
 * <p>
 * Idle time is counted from the last byte read, which is about when the server finished
 * writing and started its own idle clock, rather than from the release to the pool, which
 * comes later when the application is slow to consume a response.
 */
final class ConnectionReuseTracker implements ConnectionObserver, ConnectionHistory.IdleCloseListener {

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
			ConnectionHistory.keep(channel, this);
			return;
		}
		// the other states of a request need nothing: the channel's history is not looked up for them
		boolean responseReceived = state == HttpClientState.RESPONSE_RECEIVED;
		if (state != State.RELEASED && state != State.ACQUIRED && !responseReceived) {
			return;
		}
		ConnectionHistory history = ConnectionHistory.of(channel);
		if (history == null) {
			return;
		}
		if (state == State.RELEASED) {
			history.released(System.currentTimeMillis());
		}
		else if (state == State.ACQUIRED) {
			history.acquired(System.currentTimeMillis());
		}
		else if (connection instanceof HttpClientResponse response) {
			Duration hint = KeepAliveHint.timeout(response.responseHeaders().get("Keep-Alive"));
			if (hint != null && hint.toMillis() != history.keepAliveHintMillis()) {
				history.keepAliveHint(hint.toMillis());
				ProvenIdle proven = provenIdle(history, channel);
				if (proven != null) {
					proven.announced(hint.toMillis());
				}
			}
			long idleWhenTaken = history.takeIdleWhenTaken();
			ProvenIdle proven = (idleWhenTaken != ConnectionHistory.NEVER) ? provenIdle(history, channel) : null;
			if (proven != null) {
				proven.provedSafe(idleWhenTaken);
			}
		}
	}

	@Override
	public void onUncaughtException(Connection connection, Throwable error) {
		Channel channel = connection.channel();
		ConnectionHistory history = ConnectionHistory.of(channel);
		long idleSince = (history != null) ? history.idleSinceBeforeThisUse() : ConnectionHistory.NEVER;
		SocketAddress remote = channel.remoteAddress();
		if (idleSince != ConnectionHistory.NEVER && remote != null
				&& FailureClassifier.classify(error) == FailureCause.STALE_CONNECTION) {
			// up to the failure, not the acquire: a request written late (a busy event loop)
			// reached the server after this long, and must not teach a shorter timeout
			this.learned.staleAfterIdle(this.client, remote, System.currentTimeMillis() - idleSince);
		}
	}

	@Override
	public void closedWhileIdle(SocketAddress remote, long idleMillis, long mostIdleMillis) {
		this.learned.closedWhileIdle(this.client, remote, idleMillis, mostIdleMillis);
	}

	/** The proofs of the channel's host, looked up once per connection. */
	private @Nullable ProvenIdle provenIdle(ConnectionHistory history, Channel channel) {
		ProvenIdle proven = history.provenIdle();
		SocketAddress remote = channel.remoteAddress();
		if (proven == null && remote != null) {
			proven = this.learned.provenIdle(this.client, remote);
			history.provenIdle(proven);
		}
		return proven;
	}

}
