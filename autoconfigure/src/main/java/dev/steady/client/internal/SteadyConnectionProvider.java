package dev.steady.client.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.ConnectionProvider.Builder;
import reactor.netty.transport.TransportConfig;

/**
 * The pool of one Steady client: one Reactor Netty pool per host (one max-connections, one
 * pending queue), and a last-moment {@link ProvenIdleGate} for each request that must not be
 * sent twice: a reused connection that has been idle for longer than its host proved safe
 * is closed before such a request is written, and another is acquired. Requests whose stale
 * failures are retried ({@link LongIdleReuse} in the request's Reactor context) reuse any
 * connection the pool keeps, which proves longer idle times safe. With a tracker, every
 * connection is watched by it whatever the HTTP client that asks (so that hand-made clients
 * on the global pool are tracked too).
 */
final class SteadyConnectionProvider implements ConnectionProvider {

	private final ConnectionProvider pool;

	private final @Nullable ConnectionObserver tracker;

	private final ConnectionEvictionPolicy policy;

	// the policies of the hosts whose pool settings override the client's, by the address an acquire asks for
	private final Map<SocketAddress, ConnectionEvictionPolicy> hostPolicies;

	// the settings of Reactor Netty's HTTP/2 pool on top of this one, for a client that may speak HTTP/2
	private final @Nullable Supplier<Builder> http2;

	// the connections of a client that may speak HTTP/2: an HTTP/2 pool never returns them, so they are closed here
	private final @Nullable ChannelGroup connections;

	/**
	 * Create the pool of a client.
	 * @param pool the Reactor Netty pool
	 * @param tracker observer of every connection, or {@code null} when the HTTP clients
	 * bring their own
	 * @param policy the pool's policy, which decides on the last moment whether a reused
	 * connection is too idle for a request that must not be sent twice
	 * @param hostPolicies the policies of hosts with pool settings of their own
	 * @param http2 the settings of the HTTP/2 pool Reactor Netty builds on this one, or
	 * {@code null} for a client that speaks HTTP/1.1 only
	 */
	SteadyConnectionProvider(ConnectionProvider pool, @Nullable ConnectionObserver tracker,
			ConnectionEvictionPolicy policy, Map<SocketAddress, ConnectionEvictionPolicy> hostPolicies,
			@Nullable Supplier<Builder> http2) {
		this.pool = pool;
		this.tracker = tracker;
		this.policy = policy;
		this.hostPolicies = Map.copyOf(hostPolicies);
		this.http2 = http2;
		this.connections = (http2 != null) ? new DefaultChannelGroup(GlobalEventExecutor.INSTANCE) : null;
	}

	/**
	 * The settings Reactor Netty's HTTP/2 pool takes from this pool when the client speaks
	 * HTTP/2: its connections, streams, timeouts and meters.
	 */
	@Override
	public @Nullable Builder mutate() {
		return (this.http2 != null) ? this.http2.get() : null;
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			@Nullable Supplier<? extends SocketAddress> remoteAddress, @Nullable AddressResolverGroup<?> resolverGroup) {
		return new Acquire(config, observer, remoteAddress, resolverGroup);
	}

	@Override
	public Mono<Void> disposeLater() {
		if (this.connections != null) {
			this.connections.close();
		}
		return this.pool.disposeLater();
	}

	@Override
	public boolean isDisposed() {
		return this.pool.isDisposed();
	}

	@Override
	public void disposeWhen(SocketAddress address) {
		this.pool.disposeWhen(address);
	}

	@Override
	public int maxConnections() {
		return this.pool.maxConnections();
	}

	@Override
	public Map<SocketAddress, Integer> maxConnectionsPerHost() {
		return this.pool.maxConnectionsPerHost();
	}

	@Override
	public String name() {
		return this.pool.name();
	}

	/**
	 * One acquire. Whether its request may reuse long-idle connections is read from the
	 * subscriber's context when it subscribes: such a request takes the pool's connection as
	 * it comes; any other goes through a gate. Nothing else is assembled per acquire.
	 */
	private final class Acquire extends Mono<Connection>
			implements Function<ConnectionObserver, Mono<? extends Connection>> {

		private final TransportConfig config;

		private final ConnectionObserver observer;

		private final @Nullable Supplier<? extends SocketAddress> remoteAddress;

		private final @Nullable AddressResolverGroup<?> resolverGroup;

		Acquire(TransportConfig config, ConnectionObserver observer,
				@Nullable Supplier<? extends SocketAddress> remoteAddress,
				@Nullable AddressResolverGroup<?> resolverGroup) {
			this.config = config;
			this.observer = observer;
			this.remoteAddress = remoteAddress;
			this.resolverGroup = resolverGroup;
		}

		@Override
		public void subscribe(CoreSubscriber<? super Connection> actual) {
			SteadyConnectionProvider provider = SteadyConnectionProvider.this;
			if (!LongIdleReuse.isAllowed(actual.currentContext())) {
				new ProvenIdleGate(this.observer, provider.tracker, policy(), this).subscribe(actual);
			}
			else {
				ConnectionObserver watched = (provider.tracker != null) ? this.observer.then(provider.tracker)
						: this.observer;
				apply(watched).subscribe(actual);
			}
		}

		/** The policy of the host asked for: its own when its pool settings override the client's. */
		private ConnectionEvictionPolicy policy() {
			SteadyConnectionProvider provider = SteadyConnectionProvider.this;
			if (provider.hostPolicies.isEmpty() || this.remoteAddress == null) {
				return provider.policy;
			}
			return provider.hostPolicies.getOrDefault(this.remoteAddress.get(), provider.policy);
		}

		@Override
		public Mono<? extends Connection> apply(ConnectionObserver observer) {
			Mono<? extends Connection> acquired = SteadyConnectionProvider.this.pool.acquire(this.config, observer,
					this.remoteAddress, this.resolverGroup);
			ChannelGroup connections = SteadyConnectionProvider.this.connections;
			return (connections != null) ? acquired.doOnNext((connection) -> connections.add(connection.channel()))
					: acquired;
		}

	}

}
