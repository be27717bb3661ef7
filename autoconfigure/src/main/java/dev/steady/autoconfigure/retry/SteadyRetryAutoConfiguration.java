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
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.util.function.SingletonSupplier;

/**
 * Adds Steady's safe retry filter to every Steady client. Steady decides which failures are
 * retried; Resilience4j gives the attempts and waits and counts the calls. With
 * resilience4j-spring-boot4 present its {@link RetryRegistry} is used, so
 * {@code resilience4j.retry.instances.steady-<client>.*} (attempts, waits, and exception rules
 * that can only refuse more) and its actuator endpoints apply; without it Steady keeps a
 * registry of its own and binds its metrics.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = SteadyClientAutoConfiguration.class,
		afterName = "io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration")
@ConditionalOnClass(Retry.class)
@ConditionalOnBean(type = "dev.steady.client.SteadyClients")
public final class SteadyRetryAutoConfiguration {

	/** Order of the retry filter: outside every other Steady filter. */
	static final int RETRY_FILTER_ORDER = 0;

	/** Lazy: built when a client first needs a retry instance, not while the application starts. */
	@Bean
	@Lazy
	@ConditionalOnMissingBean
	RetryRegistry steadyRetryRegistry() {
		return RetryRegistry.ofDefaults();
	}

	/**
	 * Looks the registry up, and binds its meters, when it creates the first filter: the
	 * first {@code WebClient.Builder} or named client, not the application's start. Lazy, as
	 * every filter factory: looked up when the first client's filters are built.
	 */
	@Bean
	@Lazy
	@Order(RETRY_FILTER_ORDER)
	SafeRetryFilterFactory steadyRetryFilterFactory(ObjectProvider<RetryRegistry> retryRegistry,
			ObjectProvider<RetryMetricsOnFirstUse> retryMetrics, ObjectProvider<RetryObserver> observer,
			StaleConnectionSuspects suspects) {
		SingletonSupplier<RetryRegistry> registryInUse = SingletonSupplier.of(() -> {
			RetryRegistry registry = retryRegistry.getObject();
			retryMetrics.ifAvailable((metrics) -> metrics.inUse(registry));
			return registry;
		});
		return new SafeRetryFilterFactory(registryInUse, observer.getIfAvailable(() -> RetryObserver.NONE), suspects);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class RetryMetricsConfiguration {

		/** Lazy: needed by the retry filter factory only, when it is first used. */
		@Bean
		@Lazy
		RetryObserver steadyRetryObserver(ObjectProvider<MeterRegistry> meterRegistry) {
			MeterRegistry registry = meterRegistry.getIfUnique();
			return (registry != null) ? new MicrometerRetryObserver(registry) : RetryObserver.NONE;
		}

		@Bean
		@ConditionalOnClass(TaggedRetryMetrics.class)
		@ConditionalOnMissingClass("io.github.resilience4j.springboot.retry.autoconfigure.RetryMetricsAutoConfiguration")
		RetryMetricsOnFirstUse steadyRetryMetrics() {
			return new RetryMetricsOnFirstUse();
		}

	}

}
