package dev.steady.client.internal;

import java.net.SocketAddress;

import dev.steady.client.ResolvedClient;

import org.jspecify.annotations.Nullable;

/**
 * Creates the exchange filter Steady adds to each of its clients: one for the client behind
 * Spring Boot's {@code WebClient.Builder}, one for each named client. Factories are applied
 * in {@code @Order} order, the first one's filter outermost.
 */
@FunctionalInterface
public interface SteadyClientFilterFactory {

	/**
	 * Create the filter of one client.
	 * @param client the client's effective settings
	 * @return the filter, or {@code null} to add none to this client
	 */
	@Nullable SteadyClientFilter create(ResolvedClient client);

	/**
	 * Drop what the filters of a client keep of a host whose pool is gone, unused for
	 * {@code steady.health.forget-after}.
	 * @param client the client's name
	 * @param pool the address Reactor Netty keyed the host's pool by
	 */
	default void forgetHost(String client, SocketAddress pool) {
	}

}
