package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientProperties;
import org.springframework.boot.http.client.autoconfigure.HttpClientSettingsPropertyMapper;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring Boot's own settings of a client by name, the way Boot applies them to an HTTP
 * service group: {@code spring.http.serviceclient.<name>.*} (base URL, default headers,
 * connect and read timeouts, SSL bundle, redirects) over {@code spring.http.clients.*}.
 */
final class BootServiceClientSettings {

	private final @Nullable HttpServiceClientProperties properties;

	private final HttpClientSettingsPropertyMapper mapper;

	BootServiceClientSettings(@Nullable HttpServiceClientProperties properties, @Nullable SslBundles sslBundles,
			HttpClientSettings clientsSettings) {
		this.properties = properties;
		this.mapper = new HttpClientSettingsPropertyMapper(sslBundles, clientsSettings);
	}

	/**
	 * Boot's connector settings of a client: its service client properties over
	 * {@code spring.http.clients.*}.
	 * @param name the client's name
	 * @return the settings
	 */
	HttpClientSettings settings(String name) {
		return this.mapper.map(properties(name));
	}

	/**
	 * Apply Boot's base URL and default headers of a client, when set.
	 * @param name the client's name
	 * @param builder the client's builder
	 */
	void applyTo(String name, WebClient.Builder builder) {
		applyTo(name, builder::baseUrl, builder::defaultHeaders);
	}

	/**
	 * Apply Boot's base URL and default headers of a client, when set.
	 * @param name the client's name
	 * @param builder the client's builder
	 */
	void applyTo(String name, RestClient.Builder builder) {
		applyTo(name, builder::baseUrl, builder::defaultHeaders);
	}

	private void applyTo(String name, Consumer<String> baseUrl, Consumer<Consumer<HttpHeaders>> defaultHeaders) {
		HttpClientProperties properties = properties(name);
		if (properties == null) {
			return;
		}
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getBaseUrl).whenHasText().to(baseUrl);
		map.from(properties::getDefaultHeader)
			.when((headers) -> !headers.isEmpty())
			.to((headers) -> defaultHeaders.accept((target) -> target.putAll(headers)));
	}

	/**
	 * Boot's read timeout of a client: its service client property over
	 * {@code spring.http.clients.read-timeout}.
	 * @param name the client's name
	 * @return the timeout, or {@code null} if none is set
	 */
	@Nullable Duration readTimeout(String name) {
		return settings(name).readTimeout();
	}

	private @Nullable HttpClientProperties properties(String name) {
		return (this.properties != null) ? this.properties.get(name) : null;
	}

}
