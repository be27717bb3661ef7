package dev.steady.autoconfigure.health.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import reactor.netty.Metrics;
import reactor.netty.http.client.HttpConnectionPoolMetrics;
import reactor.netty.resources.ConnectionPoolMetrics;

/**
 * Keeps Steady's pools visible in the application's {@link MeterRegistry}: Reactor Netty's
 * {@code reactor.netty.connection.provider.*} gauges for every per-host pool, with Reactor
 * Netty's own tags plus {@code client}, removed when the pool goes away (an HTTP/2 pool,
 * named {@code http2.steady-<client>}, adds {@code active.streams} and
 * {@code pending.streams});
 * {@code steady.client.lease.duration} (how long requests held a connection) and
 * {@code steady.client.leases.leaked} (suspected leaks), tagged by client.
 */
public final class MicrometerPoolMeters implements PoolEventListener {

	/** Tag naming the Steady client. */
	public static final String CLIENT_TAG = "client";

	static final String LEASE_DURATION = "steady.client.lease.duration";

	static final String LEASES_LEAKED = "steady.client.leases.leaked";

	private final MeterRegistry registry;

	private final Map<HostPoolState, List<Meter>> poolMeters = new ConcurrentHashMap<>();

	private final Map<String, Timer> leaseDurations = new ConcurrentHashMap<>();

	/**
	 * Create the meters in the given registry.
	 * @param registry the application's meter registry
	 */
	public MicrometerPoolMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void poolAdded(HostPoolState pool) {
		Tags tags = Tags.of(Metrics.ID, pool.id(), Metrics.REMOTE_ADDRESS, pool.host(), Metrics.NAME, pool.poolName(),
				CLIENT_TAG, pool.client());
		List<Meter> meters = new ArrayList<>();
		PoolGauges.ALL.forEach((name, value) -> meters.add(gauge(name, pool.metrics(), value, tags)));
		if (pool.metrics() instanceof HttpConnectionPoolMetrics http2) {
			meters.add(gauge(Metrics.ACTIVE_STREAMS, http2, HttpConnectionPoolMetrics::activeStreamSize, tags));
			meters.add(gauge(Metrics.PENDING_STREAMS, http2, HttpConnectionPoolMetrics::pendingAcquireSize, tags));
		}
		this.poolMeters.put(pool, meters);
	}

	private <M> Meter gauge(String name, M metrics, ToDoubleFunction<M> value, Tags tags) {
		return Gauge.builder(Metrics.CONNECTION_PROVIDER_PREFIX + name, metrics, value).tags(tags).register(this.registry);
	}

	@Override
	public void poolRemoved(HostPoolState pool) {
		List<Meter> meters = this.poolMeters.remove(pool);
		if (meters != null) {
			meters.forEach(this.registry::remove);
		}
	}

	@Override
	public void leaseEnded(String client, long heldNanos) {
		this.leaseDurations.computeIfAbsent(client,
				(name) -> Timer.builder(LEASE_DURATION)
					.description("Time requests held a pooled connection")
					.tag(CLIENT_TAG, name)
					.register(this.registry))
			.record(heldNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void leakSuspected(String client) {
		Counter.builder(LEASES_LEAKED)
			.description("Connections held longer than the leak detection threshold")
			.tag(CLIENT_TAG, client)
			.register(this.registry)
			.increment();
	}

	/** Reactor Netty's pool gauges, loaded with the first per-host pool, not with the application's start. */
	private static final class PoolGauges {

		static final Map<String, ToDoubleFunction<ConnectionPoolMetrics>> ALL = Map.of(Metrics.TOTAL_CONNECTIONS,
				ConnectionPoolMetrics::allocatedSize, Metrics.ACTIVE_CONNECTIONS, ConnectionPoolMetrics::acquiredSize,
				Metrics.IDLE_CONNECTIONS, ConnectionPoolMetrics::idleSize, Metrics.PENDING_CONNECTIONS,
				ConnectionPoolMetrics::pendingAcquireSize, Metrics.MAX_CONNECTIONS,
				ConnectionPoolMetrics::maxAllocatedSize, Metrics.MAX_PENDING_CONNECTIONS,
				ConnectionPoolMetrics::maxPendingAcquireSize);

	}

}
