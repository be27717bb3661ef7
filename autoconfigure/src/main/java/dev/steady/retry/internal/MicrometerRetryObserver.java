package dev.steady.retry.internal;

import dev.steady.client.internal.FailureCause;
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
		count("steady.client.failures", "Failed exchanges of a Steady client, by what the failure tells", client,
				"cause", cause.tag());
	}

	@Override
	public void decided(String client, RetryOutcome outcome) {
		count("steady.client.retries", "Retry decisions of a Steady client, and requests that succeeded after a retry",
				client, "outcome", outcome.tag());
	}

	private void count(String name, String description, String client, String tag, String value) {
		Counter.builder(name)
			.description(description)
			.tag("client", client)
			.tag(tag, value)
			.register(this.registry)
			.increment();
	}

}
