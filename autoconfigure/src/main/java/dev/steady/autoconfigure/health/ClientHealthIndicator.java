package dev.steady.autoconfigure.health;

import dev.steady.autoconfigure.health.internal.ClientPoolState;
import dev.steady.autoconfigure.health.internal.PoolSnapshot;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one client's pools: {@code SATURATED} when any per-host pool is, otherwise UP.
 * Never DOWN: an unreachable upstream is the upstream's health, not this application's.
 * Details hold one entry per remote host the client's pool has served recently.
 */
final class ClientHealthIndicator implements ReactiveHealthIndicator {

	private final ClientPoolState state;

	private final SaturationRule saturation;

	ClientHealthIndicator(ClientPoolState state, SaturationRule saturation) {
		this.state = state;
		this.saturation = saturation;
	}

	@Override
	public Mono<Health> health() {
		return Mono.fromSupplier(this::currentHealth);
	}

	private Health currentHealth() {
		List<PoolSnapshot> pools = this.state.snapshots();
		boolean saturated = pools.stream().anyMatch(this.saturation::isSaturated);
		return Health.status(saturated ? SteadyHealthContributor.SATURATED : Status.UP)
			.withDetail("pool", this.state.client().poolName())
			.withDetail("hosts", PoolSnapshot.byHost(pools))
			.build();
	}

}
