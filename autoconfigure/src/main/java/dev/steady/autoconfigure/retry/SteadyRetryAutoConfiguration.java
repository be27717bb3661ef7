package dev.steady.autoconfigure.retry;

import dev.steady.autoconfigure.client.SteadyClientAutoConfiguration;
import dev.steady.client.internal.StaleConnectionSuspects;
import dev.steady.retry.internal.MicrometerRetryObserver;
import dev.steady.retry.internal.RetryObserver;
import dev.steady.retry.internal.SafeRetryFilterFactory;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Adds Steady's safe retry filter to every Steady client. Steady decides which failures are
 * retried; Resilience4j gives the attempts and waits and counts the calls. With
 * resilience4j-spring-boot4 present its {@link RetryRegistry} is used, so
 * {@code resilience4j.retry.instances.steady-<client>.*} (attempts, waits, and exception rules
 * that can only refuse more) and its actuator endpoints apply; without it Steady keeps a
 * registry of its own and binds its metrics.
 */
@AutoConfiguration(after = SteadyClientAutoConfiguration.class,
		afterName = "io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration")
@ConditionalOnClass(Retry.class)
@ConditionalOnBean(type = "dev.steady.client.SteadyClients")
public final class SteadyRetryAutoConfiguration {

	/** Order of the retry filter: outside every other Steady filter. */
	static final int RETRY_FILTER_ORDER = 0;

	@Bean
	@ConditionalOnMissingBean
	RetryRegistry steadyRetryRegistry() {
		return RetryRegistry.ofDefaults();
	}

	@Bean
	@Order(RETRY_FILTER_ORDER)
	SafeRetryFilterFactory steadyRetryFilterFactory(RetryRegistry retryRegistry,
			ObjectProvider<RetryObserver> observer, StaleConnectionSuspects suspects) {
		return new SafeRetryFilterFactory(retryRegistry, observer.getIfAvailable(() -> RetryObserver.NONE), suspects);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class RetryMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RetryObserver steadyRetryObserver(ObjectProvider<MeterRegistry> meterRegistry) {
			MeterRegistry registry = meterRegistry.getIfUnique();
			return (registry != null) ? new MicrometerRetryObserver(registry) : RetryObserver.NONE;
		}

		@Bean
		@ConditionalOnClass(TaggedRetryMetrics.class)
		@ConditionalOnMissingClass("io.github.resilience4j.springboot.retry.autoconfigure.RetryMetricsAutoConfiguration")
		TaggedRetryMetrics steadyRetryMetrics(RetryRegistry retryRegistry) {
			return TaggedRetryMetrics.ofRetryRegistry(retryRegistry);
		}

	}

}
