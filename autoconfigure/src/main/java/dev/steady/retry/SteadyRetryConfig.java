package dev.steady.retry;

import java.util.concurrent.ThreadLocalRandom;

import dev.steady.client.ClientSettings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;

/**
 * The Resilience4j configuration of a Steady client's retry: its attempts, a full-jitter
 * exponential wait, and retry only on the failures the {@link SafeRetryFilter} marked safe.
 */
public final class SteadyRetryConfig {

	private SteadyRetryConfig() {
	}

	/**
	 * Name of a client's Resilience4j retry instance, configurable under
	 * {@code resilience4j.retry.instances.<name>} when resilience4j-spring-boot4 is present.
	 * @param clientName the client's name
	 * @return {@code steady-<client>}
	 */
	public static String instanceName(String clientName) {
		return "steady-" + clientName;
	}

	/**
	 * Build the configuration from a client's retry settings.
	 * @param settings the retry settings
	 * @return the Resilience4j configuration
	 */
	public static RetryConfig of(ClientSettings.Retry settings) {
		return RetryConfig.custom()
			.maxAttempts(settings.maxAttempts())
			.intervalFunction(fullJitter(settings.backoff()))
			.retryOnException(SafeRetryFilter.RetrySignal.class::isInstance)
			.failAfterMaxAttempts(false)
			.build();
	}

	/**
	 * A random wait between zero and initial x multiplier^(retry - 1), capped at max.
	 * @param backoff the backoff settings
	 * @return the interval function
	 */
	static IntervalFunction fullJitter(ClientSettings.Backoff backoff) {
		long initial = backoff.initial().toMillis();
		long max = backoff.max().toMillis();
		double multiplier = backoff.multiplier();
		return (retry) -> {
			double bound = Math.min(max, initial * Math.pow(multiplier, Math.max(0, retry - 1)));
			return (long) (ThreadLocalRandom.current().nextDouble() * bound);
		};
	}

}
