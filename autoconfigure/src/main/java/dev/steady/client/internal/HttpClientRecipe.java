package dev.steady.client.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import reactor.netty.http.client.HttpClient;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * How every HTTP client of one Steady client is built: one tuned client on its pool, then
 * Spring Boot's {@code spring.http.clients.*} settings, then Steady's last steps (TLS). The
 * clients built from one recipe share its tuned client, so that Reactor Netty keys their
 * connections alike and they share the pool's connections: Boot's {@code WebClient}
 * connector and the {@code RestClient} of the same Steady client use the same ones.
 */
public final class HttpClientRecipe {

	private final SingletonSupplier<HttpClient> tuned;

	private final UnaryOperator<HttpClient> lastSteps;

	HttpClientRecipe(SingletonSupplier<HttpClient> tuned, UnaryOperator<HttpClient> lastSteps) {
		this.tuned = tuned;
		this.lastSteps = lastSteps;
	}

	/**
	 * Have Spring Boot's connector builder build its HTTP client from this recipe, Boot's
	 * settings and its other customizers applied in between.
	 * @param builder Boot's connector builder
	 * @return the configured builder
	 */
	public ReactorClientHttpConnectorBuilder applyTo(ReactorClientHttpConnectorBuilder builder) {
		return builder.withHttpClientFactory(this.tuned).withHttpClientCustomizer(this.lastSteps);
	}

	/**
	 * Build an HTTP client from this recipe, as Spring Boot's connector builder builds it.
	 * @param boot Spring Boot's settings of the client
	 * @return the HTTP client
	 */
	public HttpClient build(HttpClientSettings boot) {
		return builtBy(applyTo(ClientHttpConnectorBuilder.reactor()), boot);
	}

	/**
	 * The HTTP client a connector builder builds for the given settings, every customizer of
	 * the builder applied: what a connector it builds runs on. Built again, it is keyed by
	 * Reactor Netty as that connector's, so the two share the pool's connections.
	 * @param builder the connector builder
	 * @param boot Spring Boot's settings of the client
	 * @return the HTTP client
	 */
	public static HttpClient builtBy(ReactorClientHttpConnectorBuilder builder, HttpClientSettings boot) {
		AtomicReference<@Nullable HttpClient> built = new AtomicReference<>();
		builder.withHttpClientCustomizer((httpClient) -> {
			built.set(httpClient);
			return httpClient;
		}).build(boot);
		HttpClient httpClient = built.get();
		Assert.state(httpClient != null, "The connector builder built no HTTP client");
		return httpClient;
	}

}
