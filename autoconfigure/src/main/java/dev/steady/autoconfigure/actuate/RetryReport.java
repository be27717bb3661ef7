package dev.steady.autoconfigure.actuate;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The retry of one client as the {@code steady} endpoint shows it: its settings in effect
 * and its counters. {@code Resilience4jRetryReport} reads Steady's Resilience4j retries.
 */
@FunctionalInterface
interface RetryReport {

	/**
	 * Report a client's retry.
	 * @param clientName the client's name
	 * @return settings in effect and counters, or {@code null} when the client has no retry
	 */
	@Nullable Map<String, Object> of(String clientName);

}
