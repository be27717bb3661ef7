package dev.steady.autoconfigure.client;

import dev.steady.client.internal.ClientPropertySources;
import dev.steady.client.internal.HttpClientRecipe;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.client.internal.PoolExhaustionHintFilter;
import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.StaleConnectionSuspects;
import dev.steady.client.internal.SteadyClientFilterFactory;
import dev.steady.client.SteadyClientObserver;
import dev.steady.client.SteadyClients;
import dev.steady.client.SteadyConnectionProviderCustomizer;
import dev.steady.client.internal.SteadyConnectionProviderFactory;
import dev.steady.client.internal.SteadyHttpClientFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;

/**
 * Gives Spring Boot's auto-configured {@code WebClient.Builder} a tuned Steady connection
 * pool, and builds the named clients: those of {@code steady.clients.*} and one per
 * {@code WebClient} HTTP service group.
 * <p>
 * The pool reaches Boot's builder through a {@link ClientHttpConnectorBuilderCustomizer}
 * ordered after Boot's own (order 0), which would otherwise hand every client Reactor
 * Netty's global pool. Values set under Boot's {@code spring.http.clients.*} are applied
 * after Steady's, so they still win.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = { SslAutoConfiguration.class, HttpClientAutoConfiguration.class },
		before = { ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class })
@ConditionalOnClass({ HttpClient.class, WebClient.class, ReactorClientHttpConnectorBuilder.class,
		WebClientCustomizer.class })
@EnableConfigurationProperties(SteadyClientProperties.class)
public final class SteadyClientAutoConfiguration {

	/** Name of the default client's pool bean; a bean of this name replaces it. */
	public static final String DEFAULT_POOL = "steadyConnectionProvider";

	/** After Boot's own customizer, which swaps in the global ReactorResourceFactory pool. */
	static final int CONNECTOR_CUSTOMIZER_ORDER = 100;

	/**
	 * Order of the pool-exhaustion hint filter, after the retry filter; a client with the retry
	 * filter does without it, as the retry filter explains pool exhaustion itself.
	 */
	static final int POOL_EXHAUSTION_HINT_ORDER = 1000;

	@Bean
	StaleConnectionSuspects steadyStaleConnectionSuspects() {
		return new StaleConnectionSuspects();
	}

	@Bean
	LearnedIdleTimeouts steadyLearnedIdleTimeouts() {
		return new LearnedIdleTimeouts();
	}

	@Bean
	SteadyConnectionProviderFactory steadyConnectionProviderFactory(
			ObjectProvider<SteadyConnectionProviderCustomizer> customizers, StaleConnectionSuspects suspects,
			LearnedIdleTimeouts learned, ObjectProvider<SteadyClientObserver> observers) {
		return new SteadyConnectionProviderFactory(customizers.orderedStream().toList(), suspects, learned,
				SteadyClientObservers.of(observers.orderedStream().toList()));
	}

	@Bean
	SteadyHttpClientFactory steadyHttpClientFactory(ObjectProvider<SslBundles> sslBundles,
			LearnedIdleTimeouts learned, ObjectProvider<SteadyClientObserver> observers) {
		return new SteadyHttpClientFactory(sslBundles.getIfAvailable(), learned,
				SteadyClientObservers.of(observers.orderedStream().toList()));
	}

	/** Static: Boot looks advisors up when it binds the first properties bean. */
	@Bean
	static ConfigurationPropertiesBindHandlerAdvisor steadyClientPropertiesInheritance() {
		return ClientPropertiesInheritance::new;
	}

	@Bean
	ClientSettingsResolver steadyClientSettingsResolver(SteadyClientProperties properties, Environment environment) {
		return new ClientSettingsResolver(properties, new ClientPropertySources(environment));
	}

	@Bean
	ResolvedClient steadyDefaultClient(ClientSettingsResolver resolver) {
		return resolver.resolveDefault();
	}

	/**
	 * The default client's pool. Replaced only by a bean of this name: any other
	 * {@code ConnectionProvider} in the context (a library's) is left alone.
	 */
	@Bean(name = DEFAULT_POOL, destroyMethod = "dispose")
	@ConditionalOnMissingBean(name = DEFAULT_POOL)
	ConnectionProvider steadyConnectionProvider(SteadyConnectionProviderFactory factory,
			ResolvedClient steadyDefaultClient) {
		return factory.create(steadyDefaultClient);
	}

	/**
	 * How the default client's HTTP clients are built: Boot's connector for its
	 * {@code WebClient.Builder}, and the one its {@code RestClient.Builder} runs on.
	 */
	@Bean
	HttpClientRecipe steadyDefaultHttpClientRecipe(@Qualifier(DEFAULT_POOL) ConnectionProvider connectionProvider,
			SteadyHttpClientFactory httpClientFactory, ResolvedClient steadyDefaultClient) {
		return httpClientFactory.recipe(connectionProvider, steadyDefaultClient);
	}

	@Bean
	@Order(CONNECTOR_CUSTOMIZER_ORDER)
	ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> steadyClientHttpConnectorBuilderCustomizer(
			HttpClientRecipe steadyDefaultHttpClientRecipe) {
		return steadyDefaultHttpClientRecipe::applyTo;
	}

	/** Lazy, as every filter factory: looked up when the first client's filters are built. */
	@Bean
	@Lazy
	@Order(POOL_EXHAUSTION_HINT_ORDER)
	SteadyClientFilterFactory steadyPoolExhaustionHintFilterFactory() {
		return (client) -> new PoolExhaustionHintFilter(client.propertyPrefix());
	}

	/**
	 * The default client's filters, created when Boot's first {@code WebClient.Builder} or
	 * {@code RestClient.Builder} is (its retry instance with them), not at startup, and then
	 * shared by every builder of either kind.
	 */
	@Bean
	@Lazy
	SteadyClientFilters steadyDefaultClientFilters(ObjectProvider<SteadyClientFilterFactory> filterFactories,
			ResolvedClient steadyDefaultClient) {
		return SteadyClientFilters.create(filterFactories.orderedStream().toList(), steadyDefaultClient);
	}

	/** Lazy: Boot looks customizers up when it creates a builder. */
	@Bean
	@Lazy
	WebClientCustomizer steadyClientFiltersCustomizer(ObjectProvider<SteadyClientFilters> steadyDefaultClientFilters) {
		return (builder) -> steadyDefaultClientFilters.getObject().applyTo(builder);
	}

	@Bean
	@ConditionalOnMissingBean(SteadyClients.class)
	SteadyClientRegistry steadyClients(ClientSettingsResolver resolver, SteadyConnectionProviderFactory providerFactory,
			SteadyHttpClientFactory httpClientFactory, ObjectProvider<HttpClientSettings> httpClientSettings,
			ObjectProvider<HttpServiceClientProperties> serviceClientProperties, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<SteadyClientFilterFactory> filterFactories, ObjectProvider<WebClient.Builder> builders,
			ObjectProvider<HttpServiceProxyRegistry> httpServiceGroups) {
		HttpClientSettings clientsSettings = httpClientSettings.getIfAvailable();
		BootServiceClientSettings boot = new BootServiceClientSettings(serviceClientProperties.getIfAvailable(),
				sslBundles.getIfAvailable(), (clientsSettings != null) ? clientsSettings : HttpClientSettings.defaults());
		SteadyClientRegistry.Parts parts = new SteadyClientRegistry.Parts(providerFactory, httpClientFactory, boot,
				SingletonSupplier.of(() -> filterFactories.orderedStream().toList()));
		return new SteadyClientRegistry(resolver.resolveNamed(), resolver, httpServiceGroups, parts, builders);
	}

	/** Lazy: Spring looks configurers up when it configures the HTTP service groups. */
	@Bean
	@Lazy
	SteadyHttpServiceGroupConfigurer steadyHttpServiceGroupConfigurer(ObjectProvider<SteadyClientRegistry> clients) {
		return new SteadyHttpServiceGroupConfigurer(clients);
	}

}
