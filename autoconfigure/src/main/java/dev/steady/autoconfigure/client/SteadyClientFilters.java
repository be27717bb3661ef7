package dev.steady.autoconfigure.client;

import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.PoolExhaustionHint;
import dev.steady.client.internal.PoolExhaustionHintFilter;
import dev.steady.client.internal.RetryPolicy;
import dev.steady.client.internal.SteadyClientFilter;
import dev.steady.client.internal.SteadyClientFilterFactory;

import java.util.List;
import java.util.Objects;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The exchange filters of one Steady client, created once so that their state (such as
 * retry budgets) is shared by every {@code WebClient} and {@code RestClient} of that client:
 * a {@code WebClient} runs through them, a {@code RestClient} asks their {@link RetryPolicy}.
 */
final class SteadyClientFilters {

	private final List<SteadyClientFilter> filters;

	private final RetryPolicy retryPolicy;

	private SteadyClientFilters(List<SteadyClientFilter> filters, RetryPolicy retryPolicy) {
		this.filters = filters;
		this.retryPolicy = retryPolicy;
	}

	/**
	 * Create the filters of one client. The {@link PoolExhaustionHintFilter} is left out when
	 * another of them explains pool exhaustion itself (the retry filter does), so a request
	 * passes one Steady filter where one does the work of both.
	 * @param factories the filter factories, in order
	 * @param client the client's effective settings
	 * @return the client's filters
	 */
	public static SteadyClientFilters create(List<SteadyClientFilterFactory> factories, ResolvedClient client) {
		List<SteadyClientFilter> filters = factories.stream()
			.map((factory) -> factory.create(client))
			.filter(Objects::nonNull)
			.toList();
		boolean explained = filters.stream().anyMatch(SteadyClientFilter::explainsPoolExhaustion);
		RetryPolicy retryPolicy = filters.stream()
			.filter(RetryPolicy.class::isInstance)
			.map(RetryPolicy.class::cast)
			.findFirst()
			.orElseGet(() -> RetryPolicy.none(new PoolExhaustionHint(client.propertyPrefix())));
		return new SteadyClientFilters(
				explained ? filters.stream().filter((filter) -> !(filter instanceof PoolExhaustionHintFilter)).toList()
						: filters,
				retryPolicy);
	}

	/**
	 * Put these filters on a builder, replacing the Steady filters it already carries (those
	 * of the client behind Boot's builder, on a named client's builder). They go after the
	 * builder's other filters, so a retry re-runs only the exchange.
	 * @param builder the builder
	 * @return the builder
	 */
	public WebClient.Builder applyTo(WebClient.Builder builder) {
		return builder.filters((list) -> {
			list.removeIf(SteadyClientFilter.class::isInstance);
			list.addAll(this.filters);
		});
	}

	/**
	 * The client's retry, as a {@code RestClient} call, which runs its attempts itself, asks
	 * it: the retry filter's decisions, or none but the pool-exhaustion hint.
	 * @return the client's retry policy
	 */
	public RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

}
