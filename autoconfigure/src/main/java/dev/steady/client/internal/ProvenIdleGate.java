package dev.steady.client.internal;

import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.util.context.Context;

/**
 * Stands between one acquire from a proven-idle-only pool and the request's observer. When
 * the pool hands over a reused connection that, by now, has been idle for longer than its
 * host proved safe ({@link ConnectionEvictionPolicy#rejectOnAcquire}), the gate closes it
 * and keeps every event of it from the request, which is then acquired again; the request
 * is never written on it.
 */
final class ProvenIdleGate implements ConnectionObserver {

	private final ConnectionObserver request;

	private final ConnectionEvictionPolicy policy;

	private volatile boolean rejected;

	ProvenIdleGate(ConnectionObserver request, ConnectionEvictionPolicy policy) {
		this.request = request;
		this.policy = policy;
	}

	@Override
	public void onStateChange(Connection connection, State state) {
		if (!this.rejected && state == State.ACQUIRED && this.policy.rejectOnAcquire(connection)) {
			this.rejected = true;
			connection.channel().close();
		}
		if (!this.rejected) {
			this.request.onStateChange(connection, state);
		}
	}

	@Override
	public void onUncaughtException(Connection connection, Throwable error) {
		if (!this.rejected) {
			this.request.onUncaughtException(connection, error);
		}
	}

	@Override
	public Context currentContext() {
		return this.request.currentContext();
	}

	boolean rejected() {
		return this.rejected;
	}

}
