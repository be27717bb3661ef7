package dev.steady.testserver;

import dev.steady.autoconfigure.actuate.SteadyEndpointAutoConfiguration;
import dev.steady.autoconfigure.client.SteadyClientAutoConfiguration;
import dev.steady.autoconfigure.client.SteadyRestClientAutoConfiguration;
import dev.steady.autoconfigure.health.SteadyHealthContributorAutoConfiguration;
import dev.steady.autoconfigure.health.SteadyPoolStateAutoConfiguration;
import dev.steady.autoconfigure.retry.SteadyRetryAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;

/**
 * The auto-configurations a Steady application with actuator runs: Boot's HTTP client,
 * WebClient, metrics, health and endpoint support, and every Steady auto-configuration.
 */
public final class SteadyAutoConfigurations {

	private SteadyAutoConfigurations() {
	}

	/**
	 * Steady's client and retry auto-configurations with Boot's WebClient support: what
	 * builds the clients users get.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations clients() {
		return AutoConfigurations.of(HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, SteadyClientAutoConfiguration.class, SteadyRestClientAutoConfiguration.class,
				SteadyRetryAutoConfiguration.class);
	}

	/**
	 * Steady's auto-configurations and Boot's WebClient support, as in an application with
	 * the starter and no actuator.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations withoutActuator() {
		return AutoConfigurations.of(HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, SteadyClientAutoConfiguration.class, SteadyRestClientAutoConfiguration.class,
				SteadyPoolStateAutoConfiguration.class, SteadyHealthContributorAutoConfiguration.class,
				SteadyEndpointAutoConfiguration.class);
	}

	/**
	 * Everything, as in an application with the starter and actuator.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations withActuator() {
		return AutoConfigurations.of(HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MetricsEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class, SteadyClientAutoConfiguration.class, SteadyRestClientAutoConfiguration.class,
				SteadyPoolStateAutoConfiguration.class, SteadyHealthContributorAutoConfiguration.class,
				SteadyEndpointAutoConfiguration.class, SteadyRetryAutoConfiguration.class);
	}

	/**
	 * Boot's {@code RestClient} support and HTTP service groups of both client types, as an
	 * application with {@code spring-boot-starter-restclient} has them.
	 * @return the auto-configurations
	 */
	public static AutoConfigurations restClientAndServiceGroups() {
		return AutoConfigurations.of(ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				HttpServiceClientPropertiesAutoConfiguration.class, HttpServiceClientAutoConfiguration.class,
				ReactiveHttpServiceClientAutoConfiguration.class);
	}

}
