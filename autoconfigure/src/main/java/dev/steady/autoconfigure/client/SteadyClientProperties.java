package dev.steady.autoconfigure.client;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.steady.client.ClientSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Steady's client properties: {@code steady.client.*} tunes the client behind Spring Boot's
 * {@code WebClient.Builder}, {@code steady.clients.<name>.*} declares named clients that
 * inherit every {@code steady.client.*} value they do not set.
 */
@ConfigurationProperties("steady")
public class SteadyClientProperties {

	/**
	 * Settings of the client behind Spring Boot's auto-configured WebClient.Builder, and the
	 * defaults of every named client.
	 */
	@NestedConfigurationProperty
	private final ClientSettings client = new ClientSettings();

	/**
	 * Named clients, each with a pool of its own, reachable through the SteadyClients bean.
	 */
	private Map<String, NamedClientSettings> clients = new LinkedHashMap<>();

	public ClientSettings getClient() {
		return this.client;
	}

	public Map<String, NamedClientSettings> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, NamedClientSettings> clients) {
		this.clients = clients;
	}

	/**
	 * Settings of a named client.
	 */
	public static class NamedClientSettings extends ClientSettings {

		/**
		 * Base URL that relative request URIs of this client resolve against.
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
