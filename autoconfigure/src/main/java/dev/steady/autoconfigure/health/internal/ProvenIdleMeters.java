package dev.steady.autoconfigure.health.internal;

import java.util.function.Supplier;

import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.client.internal.ProvenIdle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import reactor.netty.Metrics;

/**
 * Counts, per client and remote host, the fresh connections that requests which must not be
 * sent twice took instead of reusing a connection idle for longer than the host has proven
 * safe: {@code steady.client.connections.fresh.for.safety}, tagged {@code client} and
 * {@code remote.address}, removed when the client forgets the host with its pool.
 */
public final class ProvenIdleMeters implements MeterBinder {

	static final String FRESH_FOR_SAFETY = "steady.client.connections.fresh.for.safety";

	private final Supplier<@Nullable LearnedIdleTimeouts> learned;

	/**
	 * Create the meters of what the clients learned.
	 * @param learned what each client learned and proved of its hosts, if Steady's clients
	 * are configured
	 */
	public ProvenIdleMeters(Supplier<@Nullable LearnedIdleTimeouts> learned) {
		this.learned = learned;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		LearnedIdleTimeouts timeouts = this.learned.get();
		if (timeouts == null) {
			return;
		}
		timeouts.onProvenIdle((client, host) -> FunctionCounter
			.builder(FRESH_FOR_SAFETY, host, ProvenIdle::freshConnections)
			.description("Fresh connections taken because an idle one had not been proven safe for a request "
					+ "that must not be sent twice")
			.tag(MicrometerPoolMeters.CLIENT_TAG, client)
			.tag(Metrics.REMOTE_ADDRESS, RemoteHost.of(host.remote()).toString())
			.register(registry));
		timeouts.onProvenIdleForgotten((client, host) -> {
			Meter meter = registry.find(FRESH_FOR_SAFETY)
				.tag(MicrometerPoolMeters.CLIENT_TAG, client)
				.tag(Metrics.REMOTE_ADDRESS, RemoteHost.of(host.remote()).toString())
				.meter();
			if (meter != null) {
				registry.remove(meter);
			}
		});
	}

}
