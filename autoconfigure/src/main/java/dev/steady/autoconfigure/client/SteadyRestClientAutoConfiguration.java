package dev.steady.autoconfigure.client;

import java.util.Locale;
import java.util.Optional;

import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.HttpClientRecipe;
import dev.steady.client.internal.SteadyClientHttpRequestFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes {@code RestClient} a Steady client, in reactive and in servlet applications: Spring
 * Boot's auto-configured {@code RestClient.Builder} runs on the default client (its pool,
 * Boot's {@code spring.http.clients.*} settings and its safe retry, as Boot's
 * {@code WebClient.Builder}), and every {@code RestClient} HTTP service group on the Steady
 * client named after it. Requests go through a {@link SteadyClientHttpRequestFactory}, which
 * never parks a thread writing a body.
 */
@AutoConfiguration(after = SteadyClientAutoConfiguration.class,
		beforeName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass({ HttpClient.class, RestClient.class, WebClient.class })
public final class SteadyRestClientAutoConfiguration {

	/** Lazy: Spring looks configurers up when it configures the HTTP service groups. */
	@Bean
	@Lazy
	SteadyRestClientHttpServiceGroupConfigurer steadyRestClientHttpServiceGroupConfigurer(
			ObjectProvider<SteadyClientRegistry> clients) {
		return new SteadyRestClientHttpServiceGroupConfigurer(clients);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientCustomizer.class)
	static class DefaultRestClientConfiguration {

		private static final Log logger = LogFactory.getLog(SteadyRestClientAutoConfiguration.class);

		private static final String FACTORY_PROPERTY = "spring.http.clients.imperative.factory";

		/**
		 * Gives Boot's {@code RestClient.Builder} the default client's request factory, on the
		 * HTTP client Boot's connector builder builds for its {@code WebClient.Builder}: the
		 * default pool, Boot's {@code spring.http.clients.*} settings and the builder's
		 * customizers. Unless
		 * {@code spring.http.clients.imperative.factory} chose another HTTP library, or Boot's
		 * connector is not Reactor Netty's. Lazy: Boot looks customizers up when it creates a
		 * builder.
		 */
		@Bean
		@Lazy
		RestClientCustomizer steadyRestClientCustomizer(ObjectProvider<ClientHttpConnector> connector,
				ObjectProvider<ClientHttpConnectorBuilder<?>> connectorBuilder, HttpClientRecipe steadyDefaultHttpClientRecipe,
				ObjectProvider<SteadyClientFilters> steadyDefaultClientFilters, ResolvedClient steadyDefaultClient,
				ObjectProvider<HttpClientSettings> httpClientSettings, Environment environment) {
			String chosen = environment.getProperty(FACTORY_PROPERTY);
			if (chosen != null && !"reactor".equals(chosen.trim().toLowerCase(Locale.ROOT))) {
				logger.info("RestClient stays on the HTTP library " + FACTORY_PROPERTY + "=" + chosen
						+ " chose; Steady's pool, timeouts and retry apply to it only with 'reactor'");
				return (builder) -> {
				};
			}
			// built with the first builder, once: empty when Boot's connector is not Reactor Netty's
			SingletonSupplier<Optional<SteadyClientHttpRequestFactory>> requestFactory = SingletonSupplier.of(() -> {
				if (!onReactorNetty(connector.getIfAvailable())) {
					return Optional.empty();
				}
				HttpClientSettings settings = httpClientSettings.getIfAvailable(HttpClientSettings::defaults);
				// Boot's connector builder, with every customizer, builds the connector's HTTP client again
				HttpClient httpClient = (connectorBuilder.getIfAvailable() instanceof ReactorClientHttpConnectorBuilder boot)
						? HttpClientRecipe.builtBy(boot, settings) : steadyDefaultHttpClientRecipe.build(settings);
				return Optional.of(new SteadyClientHttpRequestFactory(steadyDefaultClient.name(), httpClient,
						steadyDefaultClientFilters.getObject().retryPolicy(),
						SteadyClientHttpRequestFactory.callLimit(steadyDefaultClient.settings(), settings.readTimeout())));
			});
			return (builder) -> requestFactory.obtain().ifPresent(builder::requestFactory);
		}

		private static boolean onReactorNetty(@Nullable ClientHttpConnector connector) {
			if (connector instanceof ReactorClientHttpConnector) {
				return true;
			}
			logger.info("RestClient stays on Boot's request factory: the WebClient connector is "
					+ ((connector != null) ? connector.getClass().getSimpleName() : "missing") + ", not Reactor Netty's");
			return false;
		}

	}

}
