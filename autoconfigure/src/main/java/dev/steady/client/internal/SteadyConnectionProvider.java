package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.function.Supplier;

import io.netty.resolver.AddressResolverGroup;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;
import reactor.util.retry.Retry;

/**
 * The pool of one Steady client: one Reactor Netty pool for requests that must not be sent
 * twice, which reuses only connections of proven idle time, and, for a client with retry,
 * another for requests whose stale failures are retried ({@link LongIdleReuse}), which may
 * reuse connections idle for longer. The request's Reactor context picks the pool on every
 * acquire. With a tracker, every connection is watched by it whatever the HTTP client that
 * asks (so that hand-made clients on the global pool are tracked too).
 */
final class SteadyConnectionProvider implements ConnectionProvider {

	/**
	 * How often one request may be handed a connection that grew too idle: each rejection
	 * makes every idle connection to the host a suspect, so the next acquire opens a fresh one.
	 */
	private static final int MAX_REJECTIONS = 10;

	private static final IllegalStateException TOO_IDLE = new IllegalStateException(
			"Pooled connection idle for longer than its host proved safe") {

		@Override
		public synchronized Throwable fillInStackTrace() {
			return this;
		}

	};

	private static final Retry RETRY_TOO_IDLE = Retry.max(MAX_REJECTIONS)
		.filter((ex) -> ex == TOO_IDLE)
		.onRetryExhaustedThrow((spec, signal) -> signal.failure());

	private final ConnectionProvider provenIdleOnly;

	private final @Nullable ConnectionProvider longIdleAllowed;

	private final @Nullable ConnectionObserver tracker;

	private final ConnectionEvictionPolicy provenIdlePolicy;

	/**
	 * Create the pool of a client.
	 * @param provenIdleOnly the pool of requests that must not be sent twice
	 * @param longIdleAllowed the pool of requests whose stale failures are retried, or
	 * {@code null} to send every request through the first
	 * @param tracker observer of every connection, or {@code null} when the HTTP clients
	 * bring their own
	 * @param provenIdlePolicy the policy of the first pool, checked again when a connection is
	 * taken from it: a connection that has grown too idle since the pool's check is closed
	 * before its request is written, and another is acquired
	 */
	SteadyConnectionProvider(ConnectionProvider provenIdleOnly, @Nullable ConnectionProvider longIdleAllowed,
			@Nullable ConnectionObserver tracker, ConnectionEvictionPolicy provenIdlePolicy) {
		this.provenIdleOnly = provenIdleOnly;
		this.longIdleAllowed = longIdleAllowed;
		this.tracker = tracker;
		this.provenIdlePolicy = provenIdlePolicy;
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			@Nullable Supplier<? extends SocketAddress> remoteAddress, @Nullable AddressResolverGroup<?> resolverGroup) {
		ConnectionObserver watched = (this.tracker != null) ? observer.then(this.tracker) : observer;
		ConnectionProvider longIdle = this.longIdleAllowed;
		if (longIdle == null) {
			return acquireProvenIdle(config, watched, remoteAddress, resolverGroup);
		}
		return Mono.deferContextual((context) -> LongIdleReuse.isAllowed(context)
				? longIdle.acquire(config, watched, remoteAddress, resolverGroup)
				: acquireProvenIdle(config, watched, remoteAddress, resolverGroup));
	}

	private Mono<? extends Connection> acquireProvenIdle(TransportConfig config, ConnectionObserver observer,
			@Nullable Supplier<? extends SocketAddress> remoteAddress, @Nullable AddressResolverGroup<?> resolverGroup) {
		return Mono.defer(() -> {
			ProvenIdleGate gate = new ProvenIdleGate(observer, this.provenIdlePolicy);
			return this.provenIdleOnly.acquire(config, gate, remoteAddress, resolverGroup)
				.flatMap((connection) -> gate.rejected() ? Mono.error(TOO_IDLE) : Mono.just(connection));
		}).retryWhen(RETRY_TOO_IDLE);
	}

	@Override
	public Mono<Void> disposeLater() {
		return (this.longIdleAllowed != null)
				? Mono.whenDelayError(this.provenIdleOnly.disposeLater(), this.longIdleAllowed.disposeLater())
				: this.provenIdleOnly.disposeLater();
	}

	@Override
	public boolean isDisposed() {
		return this.provenIdleOnly.isDisposed() && (this.longIdleAllowed == null || this.longIdleAllowed.isDisposed());
	}

	@Override
	public void disposeWhen(SocketAddress address) {
		this.provenIdleOnly.disposeWhen(address);
		if (this.longIdleAllowed != null) {
			this.longIdleAllowed.disposeWhen(address);
		}
	}

	@Override
	public int maxConnections() {
		return this.provenIdleOnly.maxConnections();
	}

	@Override
	public Map<SocketAddress, Integer> maxConnectionsPerHost() {
		return this.provenIdleOnly.maxConnectionsPerHost();
	}

	@Override
	public String name() {
		return this.provenIdleOnly.name();
	}

}
