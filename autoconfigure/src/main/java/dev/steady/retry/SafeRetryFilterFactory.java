package dev.steady.retry;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.StaleConnectionSuspects;
import dev.steady.client.SteadyClientFilter;
import dev.steady.client.SteadyClientFilterFactory;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Creates each client's {@link SafeRetryFilter}, with a Resilience4j retry instance named
 * {@code steady-<client>} taken from the registry: an instance the registry already has (for
 * example from {@code resilience4j.retry.instances.steady-<client>.*}) keeps its own
 * configuration, any other is configured from the client's {@code retry.*} settings.
 */
public final class SafeRetryFilterFactory implements SteadyClientFilterFactory {

	private final RetryRegistry registry;

	private final RetryObserver observer;

	private final StaleConnectionSuspects suspects;

	/**
	 * Create the factory.
	 * @param registry where retry instances are taken from
	 * @param observer told of every failure and retry decision
	 * @param suspects told when a reused connection dies stale, so retries avoid its peers
	 */
	public SafeRetryFilterFactory(RetryRegistry registry, RetryObserver observer, StaleConnectionSuspects suspects) {
		this.registry = registry;
		this.observer = observer;
		this.suspects = suspects;
	}

	@Override
	public @Nullable SteadyClientFilter create(ResolvedClient client) {
		ClientSettings.Retry settings = client.settings().retry();
		if (!settings.enabled()) {
			return null;
		}
		Retry retry = this.registry.retry(SteadyRetryConfig.instanceName(client.name()),
				() -> SteadyRetryConfig.of(settings));
		return new SafeRetryFilter(client.name(), settings, retry, this.observer, this.suspects);
	}

}
