package dev.steady.client;

import java.util.Set;

import reactor.netty.resources.ConnectionProvider;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The registry of Steady's named clients: those configured under
 * {@code steady.clients.<name>.*} and every HTTP service group ({@code @ImportHttpServices}),
 * {@code RestClient} or {@code WebClient}, each with a pool of its own. Inject this bean and ask for a
 * client by name:
 * <pre class="code">
 * WebClient inventory = clients.webClient("inventory");
 * </pre>
 * Every builder starts from Spring Boot's auto-configured {@code WebClient.Builder}, so codecs,
 * observation and your {@code WebClientCustomizer}s apply, then gets the named client's
 * connector, filters (such as its retry) and base URL. For an HTTP service group the proxies
 * Spring creates use the same client, a {@code RestClient} group through a request factory on
 * the same connector and filters. The pools are closed when the application context
 * closes.
 *
 * @since 0.1.0
 */
public interface SteadyClients {

	/** Name of the client behind Spring Boot's auto-configured {@code WebClient.Builder}. */
	String DEFAULT_CLIENT = "default";

	/**
	 * Names of the clients: those configured, then the HTTP service groups.
	 * @return the names
	 */
	Set<String> names();

	/**
	 * A new {@code WebClient.Builder} for a named client, to add filters or headers to.
	 * @param name the client's name
	 * @return a new builder using the client's pool and base URL
	 * @throws IllegalArgumentException if no client or HTTP service group has that name
	 */
	WebClient.Builder builder(String name);

	/**
	 * A new {@code WebClient} for a named client.
	 * @param name the client's name
	 * @return a client using the named pool and base URL
	 * @throws IllegalArgumentException if no client or HTTP service group has that name
	 */
	WebClient webClient(String name);

	/**
	 * Effective settings of a named client.
	 * @param name the client's name
	 * @return the immutable settings after inheritance from {@code steady.client-defaults.*}
	 * @throws IllegalArgumentException if no client or HTTP service group has that name
	 */
	ResolvedClient settings(String name);

	/**
	 * The pool of a named client.
	 * @param name the client's name
	 * @return the client's connection provider
	 * @throws IllegalArgumentException if no client or HTTP service group has that name
	 */
	ConnectionProvider connectionProvider(String name);

}
