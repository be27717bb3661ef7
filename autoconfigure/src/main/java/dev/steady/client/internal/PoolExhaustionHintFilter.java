package dev.steady.client.internal;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Puts the {@link PoolExhaustionHint} on the failures of a client that has no other Steady
 * filter to do it: a Steady filter that {@linkplain SteadyClientFilter#explainsPoolExhaustion()
 * explains pool exhaustion itself} replaces this one ({@code SteadyClientFilters}), so that a
 * request passes one Steady filter and one error operator, not two.
 */
public final class PoolExhaustionHintFilter implements SteadyClientFilter {

	private final PoolExhaustionHint hint;

	/**
	 * Create the filter for one client.
	 * @param propertyPrefix the client's property prefix, such as {@code steady.client}
	 */
	public PoolExhaustionHintFilter(String propertyPrefix) {
		this.hint = new PoolExhaustionHint(propertyPrefix);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return next.exchange(request).onErrorMap(this.hint);
	}

}
