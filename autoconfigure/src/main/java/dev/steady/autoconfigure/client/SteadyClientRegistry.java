package dev.steady.autoconfigure.client;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import dev.steady.client.internal.SteadyClientFilterFactory;
import dev.steady.client.internal.SteadyConnectionProviderFactory;
import dev.steady.client.internal.SteadyHttpClientFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@link SteadyClients} bean: creates each named client's pool, connector and filters,
 * the configured ones at startup and those of HTTP service groups when their group is
 * configured, or first asked for, and closes the pools when the application context closes.
 */
final class SteadyClientRegistry implements SteadyClients, DisposableBean {

	/** How long closing the context waits for each pool to close its connections. */
	private static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(10);

	private final Map<String, NamedClient> clients = new LinkedHashMap<>();

	private final Function<String, ResolvedClient> unconfigured;

	private final Runnable groupsConfigured;

	private final Parts parts;

	private final Supplier<WebClient.Builder> builders;

	/**
	 * Create the configured clients, a pool and a connector each; clients of HTTP service
	 * groups are created when their group is configured, or first asked for.
	 * @param configured effective settings of each client configured under
	 * {@code steady.clients}
	 * @param unconfigured effective settings of a client with no properties of its own
	 * @param groupsConfigured has Spring configure the HTTP service groups, if it has not yet
	 * @param parts what each client is built with
	 * @param builders supplies a fresh Spring Boot {@code WebClient.Builder}
	 */
	SteadyClientRegistry(Map<String, ResolvedClient> configured, Function<String, ResolvedClient> unconfigured,
			Runnable groupsConfigured, Parts parts, Supplier<WebClient.Builder> builders) {
		this.unconfigured = unconfigured;
		this.groupsConfigured = groupsConfigured;
		this.parts = parts;
		this.builders = builders;
		configured.forEach((name, client) -> this.clients.put(name, create(client)));
	}

	@Override
	public Set<String> names() {
		this.groupsConfigured.run();
		synchronized (this.clients) {
			return Collections.unmodifiableSet(new LinkedHashSet<>(this.clients.keySet()));
		}
	}

	@Override
	public WebClient.Builder builder(String name) {
		return configure(name, this.builders.get());
	}

	@Override
	public WebClient webClient(String name) {
		return builder(name).build();
	}

	@Override
	public ResolvedClient settings(String name) {
		return client(name).settings();
	}

	@Override
	public ConnectionProvider connectionProvider(String name) {
		return client(name).pool();
	}

	/**
	 * Give the builder of the HTTP service group of that name its Steady client: connector,
	 * filters, and the base URL of {@code steady.clients.<group>.base-url} unless Spring
	 * Boot's {@code spring.http.serviceclient.<group>.base-url} is set.
	 * @param group the group's name
	 * @param builder the group's builder
	 * @return the builder
	 */
	WebClient.Builder configureGroup(String group, WebClient.Builder builder) {
		return configure(group, builder, groupClient(group));
	}

	private WebClient.Builder configure(String name, WebClient.Builder builder) {
		return configure(name, builder, client(name));
	}

	private WebClient.Builder configure(String name, WebClient.Builder builder, NamedClient client) {
		client.filters().applyTo(builder.clientConnector(client.connector()));
		String baseUrl = client.settings().baseUrl();
		if (baseUrl != null) {
			builder.baseUrl(baseUrl);
		}
		this.parts.bootBuilderSettings().accept(name, builder);
		return builder;
	}

	private NamedClient client(String name) {
		NamedClient client = existing(name);
		if (client == null) {
			this.groupsConfigured.run();
			client = existing(name);
		}
		if (client == null) {
			throw new IllegalArgumentException(
					"No Steady client named '" + name + "'; configured clients and HTTP service groups: " + known());
		}
		return client;
	}

	private NamedClient groupClient(String group) {
		synchronized (this.clients) {
			return this.clients.computeIfAbsent(group, (key) -> create(this.unconfigured.apply(key)));
		}
	}

	private @Nullable NamedClient existing(String name) {
		synchronized (this.clients) {
			return this.clients.get(name);
		}
	}

	private String known() {
		Set<String> names = names();
		return names.isEmpty() ? "none (define them under steady.clients.<name>.* or with @ImportHttpServices)"
				: String.join(", ", names);
	}

	private NamedClient create(ResolvedClient client) {
		ConnectionProvider pool = this.parts.providerFactory().create(client);
		ClientHttpConnector connector = this.parts.httpClientFactory()
			.configure(ClientHttpConnectorBuilder.reactor(), pool, client)
			.build(this.parts.bootSettings().apply(client.name()));
		return new NamedClient(client, pool, connector,
				SteadyClientFilters.create(this.parts.filterFactories(), client));
	}

	@Override
	public void destroy() {
		List<ConnectionProvider> pools;
		synchronized (this.clients) {
			pools = this.clients.values().stream().map(NamedClient::pool).toList();
		}
		Mono.whenDelayError(pools.stream().map(ConnectionProvider::disposeLater).toList()).block(DISPOSE_TIMEOUT);
	}

	/**
	 * What each named client is built with.
	 *
	 * @param providerFactory builds each pool
	 * @param httpClientFactory tunes each HTTP client
	 * @param bootSettings Spring Boot's settings of a client by name:
	 * {@code spring.http.serviceclient.<name>.*} over {@code spring.http.clients.*}; applied
	 * after Steady's, so they win
	 * @param bootBuilderSettings applies Spring Boot's base URL and default headers of
	 * {@code spring.http.serviceclient.<name>.*}, if any, to a builder
	 * @param filterFactories create each client's exchange filters
	 */
	record Parts(SteadyConnectionProviderFactory providerFactory, SteadyHttpClientFactory httpClientFactory,
			Function<String, HttpClientSettings> bootSettings, BiConsumer<String, WebClient.Builder> bootBuilderSettings,
			List<SteadyClientFilterFactory> filterFactories) {
	}

	private record NamedClient(ResolvedClient settings, ConnectionProvider pool, ClientHttpConnector connector,
			SteadyClientFilters filters) {
	}

}
