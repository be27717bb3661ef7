package dev.steady.retry.internal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.PoolExhaustionHint;
import dev.steady.client.internal.StaleConnectionSuspects;
import dev.steady.client.internal.SteadyClientFilter;
import dev.steady.client.internal.SteadyClientFilterFactory;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Creates each client's {@link SafeRetryFilter}, with a Resilience4j retry instance named
 * {@code steady-<client>} taken from the registry. An instance the registry already has (for
 * example from {@code resilience4j.retry.instances.steady-<client>.*}) keeps its attempts and
 * waits, but is replaced by one that leaves the decision to Steady
 * ({@link SteadyRetryConfig#leaveDecisionToSteady}), so a failure Steady does not retry is
 * returned at once; any other instance is configured from the client's {@code retry.*}
 * settings.
 */
public final class SafeRetryFilterFactory implements SteadyClientFilterFactory {

	private final Supplier<RetryRegistry> registry;

	private final RetryObserver observer;

	private final StaleConnectionSuspects suspects;

	private final Map<String, SafeRetryFilter> filters = new ConcurrentHashMap<>();

	/**
	 * Create the factory.
	 * @param registry where retry instances are taken from, looked up when the first is
	 * needed
	 * @param observer told of every failure and retry decision
	 * @param suspects told when a reused connection dies stale, so retries avoid its peers
	 */
	public SafeRetryFilterFactory(Supplier<RetryRegistry> registry, RetryObserver observer, StaleConnectionSuspects suspects) {
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
		String name = SteadyRetryConfig.instanceName(client.name());
		RetryRegistry registry = this.registry.get();
		Retry retry = registry.find(name)
			.map((configured) -> leavingTheDecisionToSteady(registry, configured))
			.orElseGet(() -> registry.retry(name, () -> SteadyRetryConfig.of(settings)));
		SafeRetryFilter filter = new SafeRetryFilter(client.name(), settings, retry, this.observer, this.suspects,
				new PoolExhaustionHint(client.propertyPrefix()));
		this.filters.put(client.name(), filter);
		return filter;
	}

	private static Retry leavingTheDecisionToSteady(RetryRegistry registry, Retry configured) {
		if (SteadyRetryConfig.leavesDecisionToSteady(configured.getRetryConfig())) {
			return configured;
		}
		Retry replacement = Retry.of(configured.getName(),
				SteadyRetryConfig.leaveDecisionToSteady(configured.getRetryConfig()), configured.getTags());
		registry.replace(configured.getName(), replacement);
		return replacement;
	}

	@Override
	public void forgetHost(String client, SocketAddress pool) {
		SafeRetryFilter filter = this.filters.get(client);
		if (filter != null) {
			filter.forgetHost(pool);
		}
	}

}
