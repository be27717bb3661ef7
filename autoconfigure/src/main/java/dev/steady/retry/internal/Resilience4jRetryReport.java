package dev.steady.retry.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Reads a client's Resilience4j retry instance ({@code steady-<client>}): which
 * configuration gives its attempts and waits, and why, the attempts in effect, and its call
 * counters, as the {@code steady} endpoint shows them. Which failures are retried is always
 * Steady's decision.
 */
public final class Resilience4jRetryReport {

	private final RetryRegistry registry;

	/**
	 * Create the report.
	 * @param registry where Steady's retry instances live
	 */
	public Resilience4jRetryReport(RetryRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Report a client's retry.
	 * @param clientName the client's name
	 * @return settings in effect and counters, or {@code null} when the client has no retry
	 */
	public @Nullable Map<String, Object> of(String clientName) {
		return this.registry.find(SteadyRetryConfig.instanceName(clientName)).map(this::describe).orElse(null);
	}

	private Map<String, Object> describe(Retry retry) {
		Retry.Metrics metrics = retry.getMetrics();
		boolean steadySettings = SteadyRetryConfig.fromSteadySettings(retry.getRetryConfig());
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("instance", retry.getName());
		report.put("attemptsAndWaitsFrom",
				steadySettings ? "retry settings of the client" : "resilience4j.retry.instances." + retry.getName());
		report.put("why", steadySettings ? "no Resilience4j configuration names the instance"
				: "a Resilience4j instance configuration takes precedence over the client's retry attempts and backoff");
		report.put("retryDecision", "Steady's: only failures that cannot execute a request twice are retried, "
				+ "any other is returned at once; the instance's exception rules can only refuse more");
		report.put("maxAttempts", retry.getRetryConfig().getMaxAttempts());
		report.put("successfulWithoutRetry", metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt());
		report.put("successfulWithRetry", metrics.getNumberOfSuccessfulCallsWithRetryAttempt());
		report.put("failedWithoutRetry", metrics.getNumberOfFailedCallsWithoutRetryAttempt());
		report.put("failedWithRetry", metrics.getNumberOfFailedCallsWithRetryAttempt());
		return report;
	}

}
