package dev.steady.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.steady.retry.SteadyRetryConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Reads a client's Resilience4j retry instance ({@code steady-<client>}): the attempts in
 * effect, which {@code resilience4j.retry.instances.*} may have set, and its call counters.
 */
final class Resilience4jRetryReport implements RetryReport {

	private final RetryRegistry registry;

	/**
	 * Create the report.
	 * @param registry where Steady's retry instances live
	 */
	Resilience4jRetryReport(RetryRegistry registry) {
		this.registry = registry;
	}

	@Override
	public @Nullable Map<String, Object> of(String clientName) {
		return this.registry.find(SteadyRetryConfig.instanceName(clientName)).map(this::describe).orElse(null);
	}

	private Map<String, Object> describe(Retry retry) {
		Retry.Metrics metrics = retry.getMetrics();
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("instance", retry.getName());
		report.put("maxAttempts", retry.getRetryConfig().getMaxAttempts());
		report.put("successfulWithoutRetry", metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt());
		report.put("successfulWithRetry", metrics.getNumberOfSuccessfulCallsWithRetryAttempt());
		report.put("failedWithoutRetry", metrics.getNumberOfFailedCallsWithoutRetryAttempt());
		report.put("failedWithRetry", metrics.getNumberOfFailedCallsWithRetryAttempt());
		return report;
	}

}
