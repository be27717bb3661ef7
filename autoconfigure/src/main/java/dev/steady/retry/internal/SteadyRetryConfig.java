package dev.steady.retry.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import dev.steady.client.ClientSettings;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;

/**
 * The Resilience4j configuration of a Steady client's retry. Steady decides which failures
 * are retried and tells the instance only of those (as a {@link SafeRetryFilter.RetrySignal}),
 * so every configuration Steady uses rejects any other failure.
 * <ul>
 * <li>{@link #of(ClientSettings.Retry)}: the client's attempts and a full-jitter exponential
 * wait, when no Resilience4j configuration names the instance;</li>
 * <li>{@link #leaveDecisionToSteady(RetryConfig)}: an instance configured under
 * {@code resilience4j.retry.instances.steady-<client>} keeps its attempts and waits, and its
 * exception rules can only refuse more.</li>
 * </ul>
 */
final class SteadyRetryConfig {

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
			.intervalBiFunction(new FullJitter(settings.backoff()))
			.retryOnException(SafeRetryFilter.RetrySignal.class::isInstance)
			.failAfterMaxAttempts(false)
			.build();
	}

	/**
	 * Make a configuration from elsewhere (such as {@code resilience4j.retry.instances.*})
	 * follow Steady's decision: its attempts and waits stay, it retries only what Steady
	 * decided to retry, and its own exception rules, applied to the real failure, can refuse
	 * more but never retry a failure Steady refused.
	 * @param config the instance's configuration
	 * @return the configuration to use instead
	 */
	public static RetryConfig leaveDecisionToSteady(RetryConfig config) {
		Predicate<Throwable> own = config.getExceptionPredicate();
		return RetryConfig.from(config)
			.retryExceptions()
			.ignoreExceptions()
			.retryOnException((failure) -> failure instanceof SafeRetryFilter.RetrySignal signal
					&& own.test(signal.getCause()))
			.failAfterMaxAttempts(false)
			.build();
	}

	/**
	 * Whether a configuration leaves the decision to Steady: it would not retry a failure
	 * Steady refused.
	 * @param config the configuration
	 * @return whether the configuration rejects any failure but Steady's signal
	 */
	public static boolean leavesDecisionToSteady(RetryConfig config) {
		return !config.getExceptionPredicate().test(new IllegalStateException("a failure Steady did not retry"));
	}

	/**
	 * Whether the attempts and waits of a configuration are Steady's own, from the client's
	 * {@code retry.*} settings, rather than a Resilience4j instance configuration's.
	 * @param config the configuration
	 * @return whether it was built by {@link #of(ClientSettings.Retry)}
	 */
	public static boolean fromSteadySettings(RetryConfig config) {
		return config.getIntervalBiFunction() instanceof FullJitter;
	}

	/** A random wait between zero and initial x multiplier^(retry - 1), capped at max. */
	static final class FullJitter implements IntervalBiFunction<Object> {

		private final long initial;

		private final long max;

		private final double multiplier;

		FullJitter(ClientSettings.Backoff backoff) {
			this.initial = backoff.initial().toMillis();
			this.max = backoff.max().toMillis();
			this.multiplier = backoff.multiplier();
		}

		@Override
		public Long apply(Integer retry, Either<Throwable, Object> failureOrResult) {
			double bound = Math.min(this.max, this.initial * Math.pow(this.multiplier, Math.max(0, retry - 1)));
			return (long) (ThreadLocalRandom.current().nextDouble() * bound);
		}

	}

}
