package dev.steady.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The named clients configured under {@code steady.clients.<name>.*}, each with a pool of
 * its own. Inject this bean and ask for a client by name:
 * <pre class="code">
 * WebClient inventory = clients.webClient("inventory");
 * </pre>
 * Every builder starts from Spring Boot's auto-configured {@code WebClient.Builder}, so codecs,
 * observation and your {@code WebClientCustomizer}s apply, then gets the named client's
 * connector, filters (such as its retry) and base URL. The pools are closed when the application context closes.
 */
public final class SteadyClients implements DisposableBean {

	/** Name of the client behind Spring Boot's auto-configured {@code WebClient.Builder}. */
	public static final String DEFAULT_CLIENT = "default";

	/** How long closing the context waits for each pool to close its connections. */
	private static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(10);

	private final Map<String, NamedClient> clients;

	private final Supplier<WebClient.Builder> builders;

	/**
	 * Create the named clients: a pool and a connector each.
	 * @param clients effective settings of each named client
	 * @param providerFactory builds each pool
	 * @param httpClientFactory tunes each HTTP client
	 * @param httpClientSettings Spring Boot's {@code spring.http.clients.*} settings
	 * @param filterFactories create each client's exchange filters
	 * @param builders supplies a fresh Spring Boot {@code WebClient.Builder}
	 */
	public SteadyClients(Map<String, ResolvedClient> clients, SteadyConnectionProviderFactory providerFactory,
			SteadyHttpClientFactory httpClientFactory, HttpClientSettings httpClientSettings,
			List<SteadyClientFilterFactory> filterFactories, Supplier<WebClient.Builder> builders) {
		Map<String, NamedClient> named = new LinkedHashMap<>();
		clients.forEach((name, client) -> {
			ConnectionProvider pool = providerFactory.create(client);
			ClientHttpConnector connector = httpClientFactory
				.configure(ClientHttpConnectorBuilder.reactor(), pool, client)
				.build(httpClientSettings);
			named.put(name, new NamedClient(client, pool, connector, SteadyClientFilters.create(filterFactories, client)));
		});
		this.clients = Collections.unmodifiableMap(named);
		this.builders = builders;
	}

	/**
	 * Names of the configured clients.
	 * @return the names, in configuration order
	 */
	public Set<String> names() {
		return this.clients.keySet();
	}

	/**
	 * A new {@code WebClient.Builder} for a named client, to add filters or headers to.
	 * @param name the client's name
	 * @return a new builder using the client's pool and base URL
	 * @throws IllegalArgumentException if no client of that name is configured
	 */
	public WebClient.Builder builder(String name) {
		NamedClient client = client(name);
		WebClient.Builder builder = client.filters().applyTo(this.builders.get().clientConnector(client.connector()));
		String baseUrl = client.settings().baseUrl();
		return (baseUrl != null) ? builder.baseUrl(baseUrl) : builder;
	}

	/**
	 * A new {@code WebClient} for a named client.
	 * @param name the client's name
	 * @return a client using the named pool and base URL
	 * @throws IllegalArgumentException if no client of that name is configured
	 */
	public WebClient webClient(String name) {
		return builder(name).build();
	}

	/**
	 * Effective settings of a named client.
	 * @param name the client's name
	 * @return the settings after inheritance from {@code steady.client-defaults.*}
	 * @throws IllegalArgumentException if no client of that name is configured
	 */
	public ResolvedClient settings(String name) {
		return client(name).settings();
	}

	/**
	 * The pool of a named client.
	 * @param name the client's name
	 * @return the client's connection provider
	 * @throws IllegalArgumentException if no client of that name is configured
	 */
	public ConnectionProvider connectionProvider(String name) {
		return client(name).pool();
	}

	private NamedClient client(String name) {
		NamedClient client = this.clients.get(name);
		if (client == null) {
			String known = this.clients.isEmpty() ? "none (define them under steady.clients.<name>.*)"
					: String.join(", ", this.clients.keySet());
			throw new IllegalArgumentException("No Steady client named '" + name + "'; configured clients: " + known);
		}
		return client;
	}

	@Override
	public void destroy() {
		Mono.whenDelayError(this.clients.values().stream().map((client) -> client.pool().disposeLater()).toList())
			.block(DISPOSE_TIMEOUT);
	}

	private record NamedClient(ResolvedClient settings, ConnectionProvider pool, ClientHttpConnector connector,
			SteadyClientFilters filters) {
	}

}
