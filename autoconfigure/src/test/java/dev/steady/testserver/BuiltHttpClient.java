package dev.steady.testserver;

import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Reactor Netty {@link HttpClient} behind a {@link WebClient.Builder}, as Spring Boot and
 * Steady's customizers left it: what a tuning test should read, rather than one it builds itself.
 */
public final class BuiltHttpClient {

	private BuiltHttpClient() {
	}

	/**
	 * The {@link HttpClient} of the builder's connector.
	 * @param builder the builder, as injected
	 * @return its HTTP client
	 */
	public static HttpClient of(WebClient.Builder builder) {
		Object connector = ReflectionTestUtils.getField(builder, "connector");
		assertThat(connector).as("the builder's connector").isInstanceOf(ReactorClientHttpConnector.class);
		return (HttpClient) ReflectionTestUtils.getField(connector, "httpClient");
	}

}
