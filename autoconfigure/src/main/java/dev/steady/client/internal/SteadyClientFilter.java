package dev.steady.client.internal;

import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * An exchange filter that Steady adds for one client. A named client's builder starts from
 * Spring Boot's {@code WebClient.Builder}, which carries the default client's filters; those
 * are recognised by this type and replaced with the named client's own.
 */
public interface SteadyClientFilter extends ExchangeFilterFunction {

	/**
	 * Whether this filter puts the {@link PoolExhaustionHint} on the failures it returns, so
	 * that the client needs no {@link PoolExhaustionHintFilter} besides it.
	 * @return {@code true} if it does
	 */
	default boolean explainsPoolExhaustion() {
		return false;
	}

}
