package dev.steady.autoconfigure.client;

import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.PoolExhaustionHintFilter;
import dev.steady.client.internal.SteadyClientFilter;
import dev.steady.client.internal.SteadyClientFilterFactory;

import java.util.List;
import java.util.Objects;

import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The exchange filters of one Steady client, created once so that their state (such as
 * retry budgets) is shared by every {@code WebClient} and {@code RestClient} of that client.
 */
final class SteadyClientFilters {

	private final List<SteadyClientFilter> filters;

	private SteadyClientFilters(List<SteadyClientFilter> filters) {
		this.filters = filters;
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
		return new SteadyClientFilters(
				explained ? filters.stream().filter((filter) -> !(filter instanceof PoolExhaustionHintFilter)).toList()
						: filters);
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
	 * Put these filters in front of an exchange function, the first filter outermost, as a
	 * {@code WebClient} does: what a {@code RestClient} request of the client runs through.
	 * @param exchange the client's connector as an exchange function
	 * @return the filtered exchange function
	 */
	public ExchangeFunction applyTo(ExchangeFunction exchange) {
		ExchangeFunction filtered = exchange;
		for (int i = this.filters.size() - 1; i >= 0; i--) {
			filtered = this.filters.get(i).apply(filtered);
		}
		return filtered;
	}

}
