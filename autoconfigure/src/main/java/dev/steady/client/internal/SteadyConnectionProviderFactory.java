package dev.steady.client.internal;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;
import dev.steady.client.SteadyConnectionProviderCustomizer;

import java.net.SocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.Http2AllocationStrategy;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.ConnectionProvider.ConnectionPoolSpec;

import org.springframework.util.ClassUtils;

/**
 * Builds the Reactor Netty {@link ConnectionProvider} of a client from its settings: pool
 * size, pending queue, leasing order, life time, the {@link ConnectionEvictionPolicy} (idle
 * limits from settings, Keep-Alive hints and learning, request counts, stale suspects,
 * proven idle times) with background eviction, per-host overrides and, when Micrometer is
 * present, Reactor Netty's pool metrics. With a {@link SteadyClientObserver}, every per-host
 * pool is handed to the observer's registrar instead.
 * <p>
 * The pool is a {@link SteadyConnectionProvider}: still one pool per host, with a
 * last-moment gate that keeps requests that must not be sent twice off connections idle for
 * longer than their host proved safe. For the global pool of hand-made clients, which have no
 * retry, that is every request.
 */
public final class SteadyConnectionProviderFactory {

	/** Spread of connection life times, in percent, so connections do not expire together. */
	static final double MAX_LIFE_TIME_VARIANCE_PERCENT = 10;

	private static final boolean MICROMETER_PRESENT = ClassUtils
		.isPresent("io.micrometer.core.instrument.MeterRegistry", SteadyConnectionProviderFactory.class.getClassLoader());

	private final List<SteadyConnectionProviderCustomizer> customizers;

	private final StaleConnectionSuspects suspects;

	private final LearnedIdleTimeouts learned;

	private final @Nullable SteadyClientObserver observer;

	/**
	 * Create a factory that applies the given customizers last, in order.
	 * @param customizers the customizers
	 * @param suspects connections to evict because a reused one to the same host died stale
	 * @param learned the idle timeouts learned of each host
	 */
	public SteadyConnectionProviderFactory(List<SteadyConnectionProviderCustomizer> customizers,
			StaleConnectionSuspects suspects, LearnedIdleTimeouts learned) {
		this(customizers, suspects, learned, null);
	}

	/**
	 * Create a factory that applies the given customizers last, in order, and hands every
	 * per-host pool to the observer.
	 * @param customizers the customizers
	 * @param suspects connections to evict because a reused one to the same host died stale
	 * @param learned the idle timeouts learned of each host
	 * @param observer the observer of the pools, or {@code null}
	 */
	public SteadyConnectionProviderFactory(List<SteadyConnectionProviderCustomizer> customizers,
			StaleConnectionSuspects suspects, LearnedIdleTimeouts learned, @Nullable SteadyClientObserver observer) {
		this.customizers = List.copyOf(customizers);
		this.suspects = suspects;
		this.learned = learned;
		this.observer = observer;
	}

	/**
	 * Build the pool of one client, on its first use.
	 * @param client the client's effective settings
	 * @return a new connection provider, to be disposed by the caller
	 */
	public ConnectionProvider create(ResolvedClient client) {
		ConnectionProvider.MeterRegistrar registrar = registrar(client);
		return onFirstUse(client, () -> build(client, null, registrar));
	}

	/**
	 * Build the pool of clients that have no retry and no tracking of their own, such as the
	 * hand-made clients on Reactor Netty's global pool: every request reuses only connections
	 * of proven idle time, and every connection is tracked for Keep-Alive hints, learning and
	 * proofs. Built on its first use.
	 * @param client the pool's effective settings
	 * @return a new connection provider, to be disposed by the caller
	 */
	public ConnectionProvider createWithoutRetry(ResolvedClient client) {
		ConnectionProvider.MeterRegistrar registrar = registrar(client);
		return onFirstUse(client,
				() -> build(client, new ConnectionReuseTracker(client.name(), this.learned), registrar));
	}

	/**
	 * The pool is built on first use, so that starting an application builds no pool; the
	 * observer sees the client at once, so health and the endpoint show it from the start.
	 */
	private ConnectionProvider onFirstUse(ResolvedClient client, Supplier<ConnectionProvider> builder) {
		return new OnFirstUseConnectionProvider(client.poolName(), builder);
	}

	private ConnectionProvider.@Nullable MeterRegistrar registrar(ResolvedClient client) {
		return (this.observer != null) ? this.observer.poolRegistrar(client) : null;
	}

	private ConnectionEvictionPolicy policy(ResolvedClient client, ClientSettings.Pool pool) {
		return new ConnectionEvictionPolicy(client.name(), pool, this.suspects, this.learned,
				pool.reuseProvenIdleOnly(), System::currentTimeMillis,
				KernelTcpState::millisSinceLastData);
	}

	/**
	 * Build the pool of a client: the default pool evicts by the client's policy, each host
	 * pool by a policy of its own settings, and the gate of each request asks the policy of
	 * the host it goes to.
	 */
	private ConnectionProvider build(ResolvedClient client, @Nullable ConnectionObserver tracker,
			ConnectionProvider.@Nullable MeterRegistrar registrar) {
		ConnectionEvictionPolicy policy = policy(client, client.settings().pool());
		Map<SocketAddress, ConnectionEvictionPolicy> hostPolicies = new HashMap<>();
		ConnectionProvider.Builder builder = ConnectionProvider.builder(client.poolName());
		configure(builder, policy, client.settings().pool(), registrar);
		client.hostPools().forEach((address, pool) -> {
			ConnectionEvictionPolicy hostPolicy = policy(client, pool);
			hostPolicies.put(address, hostPolicy);
			builder.forRemoteHost(address, (spec) -> configure(spec, hostPolicy, pool, registrar));
		});
		this.customizers.forEach((customizer) -> customizer.customize(client.name(), builder));
		Supplier<ConnectionProvider.Builder> http2 = client.settings().mayUseHttp2()
				? () -> http2(client, policy, registrar) : null;
		return new SteadyConnectionProvider(builder.build(), tracker, policy, hostPolicies, http2);
	}

	/**
	 * The settings of the HTTP/2 pool Reactor Netty builds on the client's pool: its own
	 * connections and streams per host, the client's timeouts, idle limits ({@link Http2EvictionPolicy})
	 * and life time, and meters. Its connections are taken from the client's pool, new ones only.
	 */
	private ConnectionProvider.Builder http2(ResolvedClient client, ConnectionEvictionPolicy policy,
			ConnectionProvider.@Nullable MeterRegistrar registrar) {
		ClientSettings.Http2 http2 = client.settings().http2();
		Http2AllocationStrategy.Builder streams = Http2AllocationStrategy.builder()
			.maxConnections(http2.maxConnections())
			.minConnections(http2.minConnections());
		if (http2.maxConcurrentStreams() > 0) {
			streams.maxConcurrentStreams(http2.maxConcurrentStreams());
		}
		ClientSettings.Pool pool = client.settings().pool();
		ConnectionProvider.Builder builder = ConnectionProvider.builder(client.poolName())
			.allocationStrategy(streams.build())
			.pendingAcquireTimeout(pool.pendingAcquireTimeout())
			.evictionPredicate(new Http2EvictionPolicy(policy, pool.maxLifeTime().toMillis()))
			.evictInBackground(pool.effectiveEvictionInterval());
		// Reactor Netty never disposes an HTTP/2 pool built on a pool of Steady's: its own meters, in Micrometer's
		// global registry, would outlive the client and show in every later registry; Steady's registrar keeps them
		// in the application's, which goes with it
		return (registrar != null) ? builder.metrics(true, () -> registrar) : builder;
	}

	private <S extends ConnectionPoolSpec<S>> void configure(S spec, ConnectionEvictionPolicy policy,
			ClientSettings.Pool pool, ConnectionProvider.@Nullable MeterRegistrar registrar) {
		spec.maxConnections(pool.maxConnections())
			.pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
			.pendingAcquireTimeout(pool.pendingAcquireTimeout())
			.evictionPredicate(policy)
			.maxLifeTime(pool.maxLifeTime())
			.maxLifeTimeVariance(MAX_LIFE_TIME_VARIANCE_PERCENT)
			.evictInBackground(pool.effectiveEvictionInterval());
		withMetrics(spec, registrar);
		if (pool.leasingStrategy() == ClientSettings.LeasingStrategy.FIFO) {
			spec.fifo();
		}
		else {
			spec.lifo();
		}
	}

	/** Meters through the observer's registrar, or Reactor Netty's own when Micrometer is present. */
	private static <S extends ConnectionPoolSpec<S>> S withMetrics(S spec,
			ConnectionProvider.@Nullable MeterRegistrar registrar) {
		return (registrar != null) ? spec.metrics(true, () -> registrar) : spec.metrics(MICROMETER_PRESENT);
	}

}
