package dev.steady.autoconfigure.health;

import dev.steady.autoconfigure.health.internal.PoolStateRegistry;


import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code steady} health contributor, one member per client with its per-host pools.
 * Switched off with {@code management.health.steady.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SteadyPoolStateAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ ReactiveHealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(PoolStateRegistry.class)
public final class SteadyHealthContributorAutoConfiguration {

	/** On the method: the condition's class is only there with spring-boot-health. */
	@Bean
	@ConditionalOnEnabledHealthIndicator("steady")
	@ConditionalOnMissingBean(name = "steadyHealthContributor")
	SteadyHealthContributor steadyHealthContributor(PoolStateRegistry registry, SteadyHealthProperties properties) {
		return new SteadyHealthContributor(registry, properties.saturationRule());
	}

}
