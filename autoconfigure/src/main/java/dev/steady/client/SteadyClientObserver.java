package dev.steady.client;

import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Watches the connection pools and requests of Steady clients. Reactor Netty creates one
 * pool per remote host lazily, on the first request to it, and shows its live state only to
 * a {@link ConnectionProvider.MeterRegistrar}; this is how a Steady client hands that state
 * on. Declare beans of this type and every Steady pool and HTTP client is built with each of
 * them, in {@code @Order} order, besides Steady's own pool state registry (which keeps
 * health, the endpoint, meters and leak detection working).
 *
 * @since 0.1.0
 */
public interface SteadyClientObserver {

	/**
	 * Receiver of the per-remote-host pools of one client as they are created and disposed.
	 * Called once per client when its pool is built. It replaces Reactor Netty's own
	 * registration of {@code reactor.netty.connection.provider.*} meters, so it is its job
	 * to register them if they are wanted.
	 * @param client the client's effective settings
	 * @return the registrar of the client's pools
	 */
	ConnectionProvider.MeterRegistrar poolRegistrar(ResolvedClient client);

	/**
	 * Add hooks to the HTTP client of one client, for example
	 * {@link HttpClient#doOnRequest} or {@link HttpClient#observe}.
	 * @param client the client's effective settings
	 * @param httpClient the HTTP client, with every Steady setting applied
	 * @return the HTTP client to use
	 */
	HttpClient observe(ResolvedClient client, HttpClient httpClient);

}
