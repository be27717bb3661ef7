package dev.steady.autoconfigure.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Steady's client properties: {@code steady.client-defaults.*} tunes the client behind Spring
 * Boot's {@code WebClient.Builder} and is inherited by every named client;
 * {@code steady.clients.<name>.*} configures a named client (or the client of the HTTP
 * service group of that name). Bound once, with inheritance
 * ({@link ClientPropertiesInheritance}), so each named client here holds the values in effect.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("steady")
public class SteadyClientProperties {

	/**
	 * Settings of the client behind Spring Boot's auto-configured WebClient.Builder, and the
	 * defaults of every named client.
	 */
	@NestedConfigurationProperty
	private final ClientProperties clientDefaults = new ClientProperties();

	/**
	 * Named clients and HTTP service groups, each with a pool of its own, reachable through
	 * the SteadyClients bean. Every value not set here is inherited from client-defaults.
	 */
	private Map<String, NamedClientProperties> clients = new LinkedHashMap<>();

	public ClientProperties getClientDefaults() {
		return this.clientDefaults;
	}

	public Map<String, NamedClientProperties> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, NamedClientProperties> clients) {
		this.clients = clients;
	}

	/**
	 * Properties of a named client.
	 */
	public static class NamedClientProperties extends ClientProperties {

		/**
		 * Base URL that relative request URIs of this client resolve against. For an HTTP
		 * service group, spring.http.serviceclient.<group>.base-url wins.
		 */
		private @Nullable String baseUrl;

		public @Nullable String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
		}

	}

}
