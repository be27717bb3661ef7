package dev.steady.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts classified failures as {@code steady.client.failures{client, cause}} and retry
 * decisions as {@code steady.client.retries{client, outcome}}.
 */
public final class MicrometerRetryObserver implements RetryObserver {

	private final MeterRegistry registry;

	/**
	 * Create an observer counting in the given registry.
	 * @param registry the application's meter registry
	 */
	public MicrometerRetryObserver(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void failed(String client, FailureCause cause) {
		Counter.builder("steady.client.failures")
			.description("Failed exchanges of a Steady client, by what the failure tells")
			.tag("client", client)
			.tag("cause", cause.tag())
			.register(this.registry)
			.increment();
	}

	@Override
	public void decided(String client, RetryOutcome outcome) {
		Counter.builder("steady.client.retries")
			.description("Retry decisions of a Steady client, and requests that succeeded after a retry")
			.tag("client", client)
			.tag("outcome", outcome.tag())
			.register(this.registry)
			.increment();
	}

}
