package dev.steady.autoconfigure.client;

import java.util.Locale;
import java.util.Optional;

import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.SteadyClientHttpRequestFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ExchangeFunctions;

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
@ConditionalOnClass({ HttpClient.class, RestClient.class, ExchangeFunctions.class })
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
		 * connector Boot's {@code WebClient.Builder} uses, unless
		 * {@code spring.http.clients.imperative.factory} chose another HTTP library. Lazy: Boot
		 * looks customizers up when it creates a builder.
		 */
		@Bean
		@Lazy
		RestClientCustomizer steadyRestClientCustomizer(ObjectProvider<ClientHttpConnector> connector,
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
			SingletonSupplier<Optional<SteadyClientHttpRequestFactory>> requestFactory = SingletonSupplier
				.of(() -> Optional.ofNullable(requestFactory(connector.getIfAvailable(),
						steadyDefaultClientFilters.getObject(), steadyDefaultClient, httpClientSettings.getIfAvailable())));
			return (builder) -> requestFactory.obtain().ifPresent(builder::requestFactory);
		}

		private static @Nullable SteadyClientHttpRequestFactory requestFactory(@Nullable ClientHttpConnector connector,
				SteadyClientFilters filters, ResolvedClient client, @Nullable HttpClientSettings settings) {
			if (!(connector instanceof ReactorClientHttpConnector)) {
				logger.info("RestClient stays on Boot's request factory: the WebClient connector is "
						+ ((connector != null) ? connector.getClass().getSimpleName() : "missing")
						+ ", not Reactor Netty's");
				return null;
			}
			return new SteadyClientHttpRequestFactory(client.name(), filters.applyTo(ExchangeFunctions.create(connector)),
					SteadyClientHttpRequestFactory.callLimit(client.settings(),
							(settings != null) ? settings.readTimeout() : null));
		}

	}

}
