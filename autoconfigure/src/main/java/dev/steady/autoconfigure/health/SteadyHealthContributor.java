package dev.steady.autoconfigure.health;

import dev.steady.autoconfigure.health.internal.ClientPoolState;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;

import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code steady} health contributor: one member per client, each reporting its
 * per-host pools. Clients appear as their pools are built.
 *
 * @since 0.1.0
 */
public final class SteadyHealthContributor implements CompositeReactiveHealthContributor {

	/**
	 * A pool has every connection in use and requests waiting too long for one, or giving
	 * up. Boot maps it to HTTP 200 unless
	 * {@code management.endpoint.health.status.http-mapping.saturated} says otherwise.
	 */
	public static final Status SATURATED = new Status("SATURATED",
			"Every connection of a pool is in use and requests wait too long for one");

	private final PoolStateRegistry registry;

	private final SaturationRule saturation;

	/**
	 * Create the contributor.
	 * @param registry the pools to report
	 * @param saturation when a pool counts as saturated
	 */
	SteadyHealthContributor(PoolStateRegistry registry, SaturationRule saturation) {
		this.registry = registry;
		this.saturation = saturation;
	}

	@Override
	public @Nullable ReactiveHealthContributor getContributor(String name) {
		ClientPoolState client = this.registry.client(name);
		return (client != null) ? new ClientHealthIndicator(client, this.saturation) : null;
	}

	@Override
	public Stream<Entry> stream() {
		return this.registry.clients()
			.stream()
			.map((client) -> new Entry(client.client().name(), new ClientHealthIndicator(client, this.saturation)));
	}

}
