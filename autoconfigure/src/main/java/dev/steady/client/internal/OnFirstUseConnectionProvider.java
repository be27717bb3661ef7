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

/**
 * A client's pool that is built when it is first needed (the first acquire, or a question
 * about its size), not when the application starts: an application that starts and serves
 * without calling a client pays nothing for that client's pool. Built once, by one thread;
 * disposing it before it was built leaves nothing to build.
 */
final class OnFirstUseConnectionProvider implements ConnectionProvider {

	private final String name;

	private final Supplier<ConnectionProvider> builder;

	private final Object lock = new Object();

	private volatile @Nullable ConnectionProvider pool;

	private volatile boolean disposed;

	/**
	 * Create a pool that is built on first use.
	 * @param name the pool's name, the one the built pool has
	 * @param builder builds the pool, once
	 */
	OnFirstUseConnectionProvider(String name, Supplier<ConnectionProvider> builder) {
		this.name = name;
		this.builder = builder;
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			@Nullable Supplier<? extends SocketAddress> remoteAddress, @Nullable AddressResolverGroup<?> resolverGroup) {
		ConnectionProvider built = this.pool;
		if (built != null) {
			// the hot path, once built: no wrapper per acquire
			return built.acquire(config, observer, remoteAddress, resolverGroup);
		}
		return Mono.defer(() -> pool().acquire(config, observer, remoteAddress, resolverGroup));
	}

	private ConnectionProvider pool() {
		ConnectionProvider pool = this.pool;
		if (pool != null) {
			return pool;
		}
		synchronized (this.lock) {
			if (this.disposed) {
				throw new IllegalStateException("Connection pool '" + this.name + "' was disposed");
			}
			if (this.pool == null) {
				this.pool = this.builder.get();
			}
			return this.pool;
		}
	}

	@Override
	public Mono<Void> disposeLater() {
		return Mono.defer(() -> {
			ConnectionProvider pool;
			synchronized (this.lock) {
				this.disposed = true;
				pool = this.pool;
			}
			return (pool != null) ? pool.disposeLater() : Mono.empty();
		});
	}

	@Override
	public ConnectionProvider.@Nullable Builder mutate() {
		return pool().mutate();
	}

	@Override
	public boolean isDisposed() {
		ConnectionProvider pool = this.pool;
		return (pool != null) ? pool.isDisposed() : this.disposed;
	}

	@Override
	public void disposeWhen(SocketAddress address) {
		ConnectionProvider pool = this.pool;
		if (pool != null) {
			pool.disposeWhen(address);
		}
	}

	@Override
	public int maxConnections() {
		return pool().maxConnections();
	}

	@Override
	public Map<SocketAddress, Integer> maxConnectionsPerHost() {
		return pool().maxConnectionsPerHost();
	}

	@Override
	public String name() {
		return this.name;
	}

}
