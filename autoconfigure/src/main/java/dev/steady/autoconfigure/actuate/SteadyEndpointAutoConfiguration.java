package dev.steady.autoconfigure.actuate;

import dev.steady.actuate.SteadyEndpoint;
import dev.steady.autoconfigure.health.SteadyPoolStateAutoConfiguration;
import dev.steady.health.PoolStateRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The read-only {@code steady} actuator endpoint, when Boot's exposure rules make it
 * available ({@code management.endpoints.web.exposure.include=steady} for HTTP).
 */
@AutoConfiguration(after = SteadyPoolStateAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(PoolStateRegistry.class)
public final class SteadyEndpointAutoConfiguration {

	/** On the method: the condition's class is only there with spring-boot-actuator-autoconfigure. */
	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnMissingBean
	SteadyEndpoint steadyEndpoint(PoolStateRegistry registry, Environment environment) {
		return new SteadyEndpoint(registry, environment);
	}

}
