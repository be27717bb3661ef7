package dev.steady.autoconfigure.client;

import dev.steady.client.ClientSettings;

/**
 * Maps bound, checked {@link ClientProperties} into the immutable {@link ClientSettings}
 * that running code reads. Called once per client at startup.
 */
final class ClientSettingsMapper {

	private ClientSettingsMapper() {
	}

	static ClientSettings map(ClientProperties properties) {
		return new ClientSettings(properties.getConnectTimeout(), properties.getResponseTimeout(),
				properties.isKeepAlive(), pool(properties.getPool()), properties.getTcpKeepAlive().toOptions(),
				ssl(properties.getSsl()), retry(properties.getRetry()), properties.getProtocols(),
				properties.getHttp2().toSettings(properties.getPool()));
	}

	static ClientSettings.Pool pool(ClientProperties.Pool pool) {
		return pool.toSettings();
	}

	private static ClientSettings.Ssl ssl(ClientProperties.Ssl ssl) {
		return new ClientSettings.Ssl(ssl.getBundle(), ssl.getHandshakeTimeout());
	}

	private static ClientSettings.Retry retry(ClientProperties.Retry retry) {
		return retry.toSettings();
	}

}
