package dev.steady.autoconfigure.actuate;

import dev.steady.autoconfigure.health.SteadyPoolStateAutoConfiguration;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.retry.internal.Resilience4jRetryReport;
import io.github.resilience4j.retry.RetryRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The read-only {@code steady} actuator endpoint, when Boot's exposure rules make it
 * available ({@code management.endpoints.web.exposure.include=steady} for HTTP), with each
 * client's retry when Steady's retry is on.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SteadyPoolStateAutoConfiguration.class,
		afterName = "dev.steady.autoconfigure.retry.SteadyRetryAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ PoolStateRegistry.class, LearnedIdleTimeouts.class })
public final class SteadyEndpointAutoConfiguration {

	/** On the method: the condition's class is only there with spring-boot-actuator-autoconfigure. */
	@Bean
	@ConditionalOnAvailableEndpoint
	@ConditionalOnMissingBean
	SteadyEndpoint steadyEndpoint(PoolStateRegistry registry, Environment environment, LearnedIdleTimeouts learned,
			ObjectProvider<RetryReport> retryReport) {
		return new SteadyEndpoint(registry, environment, learned, retryReport.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RetryRegistry.class)
	@ConditionalOnBean(RetryRegistry.class)
	@ConditionalOnAvailableEndpoint(SteadyEndpoint.class)
	static class RetryReportConfiguration {

		/** Reads the registry when asked, which a client may build on first use, after the start. */
		@Bean
		RetryReport steadyRetryReport(ObjectProvider<RetryRegistry> retryRegistry) {
			return (clientName) -> new Resilience4jRetryReport(retryRegistry.getObject()).of(clientName);
		}

	}

}
