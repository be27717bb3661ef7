package dev.steady.autoconfigure.health;

import java.time.Duration;

import dev.steady.autoconfigure.health.internal.PoolEventListener;
import dev.steady.autoconfigure.health.internal.MicrometerPoolMeters;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.autoconfigure.health.internal.ProvenIdleMeters;
import dev.steady.client.internal.HostStateEviction;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.client.internal.StaleConnectionSuspects;
import dev.steady.client.internal.SteadyClientFilterFactory;
import dev.steady.client.SteadyClientObserver;
import dev.steady.client.SteadyConnectionProviderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * Follows every Steady pool: a {@link PoolStateRegistry} that each client's pool and HTTP
 * client are built with (live per-host state, lease durations, leak detection), pools of
 * hosts unused for {@code steady.health.forget-after} closed (and what clients kept of those
 * hosts dropped, by {@link HostStateEviction}), and, with a
 * {@link MeterRegistry}, the pools' meters in it. Needs no actuator: leak detection works
 * without it. An application's own {@link SteadyClientObserver} beans observe the clients
 * as well; they add to the registry, never replace it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "dev.steady.autoconfigure.client.SteadyClientAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(HttpClient.class)
@EnableConfigurationProperties(SteadyHealthProperties.class)
public final class SteadyPoolStateAutoConfiguration {

	@Bean
	PoolStateRegistry steadyPoolStateRegistry(SteadyHealthProperties properties,
			ObjectProvider<PoolEventListener> listener) {
		PoolEventListener unique = listener.getIfUnique();
		return new PoolStateRegistry(properties.checkedMaxHosts(), (unique != null) ? unique : PoolEventListener.NONE);
	}

	@Bean
	SteadyConnectionProviderCustomizer steadyUnusedHostPoolDisposal(SteadyHealthProperties properties) {
		Duration forgetAfter = properties.checkedForgetAfter();
		Duration checkEvery = forgetAfter.dividedBy(10);
		return (clientName, builder) -> builder.disposeInactivePoolsInBackground(checkEvery, forgetAfter);
	}

	/** What clients keep of a host goes with the pool disposed above; filter factories are looked up when needed. */
	@Bean
	@ConditionalOnBean({ LearnedIdleTimeouts.class, StaleConnectionSuspects.class })
	HostStateEviction steadyHostStateEviction(LearnedIdleTimeouts learned, StaleConnectionSuspects suspects,
			ObjectProvider<SteadyClientFilterFactory> filterFactories) {
		return new HostStateEviction(learned, suspects,
				SingletonSupplier.of(() -> filterFactories.orderedStream().toList()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class PoolMetersConfiguration {

		@Bean
		MicrometerPoolMeters steadyPoolMeters(MeterRegistry meterRegistry) {
			return new MicrometerPoolMeters(meterRegistry);
		}

		@Bean
		ProvenIdleMeters steadyProvenIdleMeters(ObjectProvider<LearnedIdleTimeouts> learned) {
			return new ProvenIdleMeters(learned::getIfAvailable);
		}

	}

}
