package dev.steady.autoconfigure.client;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import dev.steady.client.internal.HttpClientRecipe;
import dev.steady.client.internal.SteadyClientFilterFactory;
import dev.steady.client.internal.SteadyClientHttpRequestFactory;
import dev.steady.client.internal.SteadyConnectionProviderFactory;
import dev.steady.client.internal.SteadyHttpClientFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;

/**
 * The {@link SteadyClients} bean: creates each named client, the configured ones at startup
 * and those of HTTP service groups ({@code WebClient} and {@code RestClient} ones) when their
 * group is configured, or first asked for, and
 * closes the pools when the application context closes. Creating a client checks its TLS
 * settings (a bad SSL bundle name fails the start), creates its filters with its retry
 * instance and hands its pool to the observers, so health, meters and the endpoint show it
 * at once; its connector is built when it is first used, as its pool is.
 */
final class SteadyClientRegistry implements SteadyClients, SmartLifecycle, DisposableBean {

	/** How long closing the context waits for each pool to close its connections. */
	private static final Duration DISPOSE_TIMEOUT = Duration.ofSeconds(10);

	private final Map<String, NamedClient> clients = new LinkedHashMap<>();

	private final ClientSettingsResolver settings;

	private final ObjectProvider<HttpServiceProxyRegistry> httpServiceGroups;

	private final Parts parts;

	private final ObjectProvider<WebClient.Builder> builders;

	/**
	 * Create the configured clients; clients of HTTP service groups are created when their
	 * group is configured, or first asked for.
	 * @param configured effective settings of each client configured under
	 * {@code steady.clients}
	 * @param settings resolves the effective settings of a client with no properties of its
	 * own
	 * @param httpServiceGroups has Spring configure the HTTP service groups, if it has not
	 * yet
	 * @param parts what each client is built with
	 * @param builders supplies a fresh Spring Boot {@code WebClient.Builder}
	 */
	SteadyClientRegistry(Map<String, ResolvedClient> configured, ClientSettingsResolver settings,
			ObjectProvider<HttpServiceProxyRegistry> httpServiceGroups, Parts parts,
			ObjectProvider<WebClient.Builder> builders) {
		this.settings = settings;
		this.httpServiceGroups = httpServiceGroups;
		this.parts = parts;
		this.builders = builders;
		for (Map.Entry<String, ResolvedClient> client : configured.entrySet()) {
			this.clients.put(client.getKey(), create(client.getValue()));
		}
	}

	@Override
	public Set<String> names() {
		groupsConfigured();
		synchronized (this.clients) {
			return Collections.unmodifiableSet(new LinkedHashSet<>(this.clients.keySet()));
		}
	}

	@Override
	public WebClient.Builder builder(String name) {
		return configure(name, this.builders.getObject());
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

	/**
	 * Give the builder of the {@code RestClient} HTTP service group of that name its Steady
	 * client: a request factory on the client's connector and filters, and the base URL of
	 * {@code steady.clients.<group>.base-url} unless Spring Boot's
	 * {@code spring.http.serviceclient.<group>.base-url} is set.
	 * @param group the group's name
	 * @param builder the group's builder
	 * @return the builder
	 */
	RestClient.Builder configureGroup(String group, RestClient.Builder builder) {
		NamedClient client = groupClient(group);
		builder.requestFactory(client.requestFactory().obtain());
		String baseUrl = client.settings().baseUrl();
		if (baseUrl != null) {
			builder.baseUrl(baseUrl);
		}
		this.parts.boot().applyTo(group, builder);
		return builder;
	}

	private WebClient.Builder configure(String name, WebClient.Builder builder) {
		return configure(name, builder, client(name));
	}

	private WebClient.Builder configure(String name, WebClient.Builder builder, NamedClient client) {
		client.filters().applyTo(builder.clientConnector(client.connector().obtain()));
		String baseUrl = client.settings().baseUrl();
		if (baseUrl != null) {
			builder.baseUrl(baseUrl);
		}
		this.parts.boot().applyTo(name, builder);
		return builder;
	}

	private NamedClient client(String name) {
		NamedClient client = existing(name);
		if (client == null) {
			groupsConfigured();
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
			return this.clients.computeIfAbsent(group, (key) -> create(this.settings.resolveUnconfigured(key)));
		}
	}

	/** Getting Spring's registry of HTTP service groups has it configure them, once. */
	private void groupsConfigured() {
		this.httpServiceGroups.getIfAvailable();
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

	/**
	 * A client whose TLS settings are checked now (its HTTP client recipe builds the client's
	 * own TLS context), whose filters, with its retry instance, are created now, so that the
	 * endpoint shows its retry from the start, and whose HTTP client is built on first use:
	 * one for its {@code WebClient} connector and its {@code RestClient}, so that both share
	 * the pool's connections.
	 */
	private NamedClient create(ResolvedClient client) {
		ConnectionProvider pool = this.parts.providerFactory().create(client);
		HttpClientRecipe recipe = this.parts.httpClientFactory().recipe(pool, client);
		SingletonSupplier<HttpClient> httpClient = SingletonSupplier
			.of(() -> recipe.build(this.parts.boot().settings(client.name())));
		SteadyClientFilters filters = SteadyClientFilters.create(this.parts.filterFactories().get(), client);
		return new NamedClient(client, pool,
				SingletonSupplier.of(() -> new ReactorClientHttpConnector(httpClient.obtain())), filters,
				SingletonSupplier.of(() -> new SteadyClientHttpRequestFactory(client.name(), httpClient.obtain(),
						filters.retryPolicy(), SteadyClientHttpRequestFactory.callLimit(client.settings(),
								this.parts.boot().readTimeout(client.name())))));
	}

	/**
	 * Pools are closed when the context stops, in this phase: after the web server (whose
	 * requests may still call upstreams), before Reactor Netty's resources (Spring's
	 * {@code ReactorResourceFactory}, phase 0), whose event loops close the pools' connections.
	 */
	static final int PHASE = 1024;

	private volatile boolean running;

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		destroy();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Closes the pools: when the context stops, and again at destruction, for a context that
	 * never started or whose stop could not close them (closing a closed pool does nothing).
	 */
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
	 * @param boot Spring Boot's settings of a client by name:
	 * {@code spring.http.serviceclient.<name>.*} over {@code spring.http.clients.*}, applied
	 * after Steady's, so they win; and its base URL and default headers
	 * @param filterFactories supplies the factories of each client's exchange filters, looked
	 * up when the first client is created
	 */
	record Parts(SteadyConnectionProviderFactory providerFactory, SteadyHttpClientFactory httpClientFactory,
			BootServiceClientSettings boot, Supplier<List<SteadyClientFilterFactory>> filterFactories) {
	}

	private record NamedClient(ResolvedClient settings, ConnectionProvider pool,
			SingletonSupplier<ClientHttpConnector> connector, SteadyClientFilters filters,
			SingletonSupplier<SteadyClientHttpRequestFactory> requestFactory) {
	}

}
