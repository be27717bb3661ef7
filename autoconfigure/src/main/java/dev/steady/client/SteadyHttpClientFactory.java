package dev.steady.client;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Builds the Reactor Netty {@link HttpClient} of a client on its pool: connect and response
 * timeouts, HTTP keep-alive, TCP keep-alive probes, and TLS from an SSL bundle with a
 * handshake time limit (TLS applies to {@code https} URIs only).
 */
public final class SteadyHttpClientFactory {

	private final @Nullable SslBundles sslBundles;

	/**
	 * Create a factory that looks SSL bundles up in the given registry.
	 * @param sslBundles Spring Boot's SSL bundles, or {@code null} when none are configured
	 */
	public SteadyHttpClientFactory(@Nullable SslBundles sslBundles) {
		this.sslBundles = sslBundles;
	}

	/**
	 * Create a client on the given pool, tuned with the client's settings.
	 * @param connectionProvider the pool
	 * @param client the client's effective settings
	 * @return a new HTTP client
	 */
	public HttpClient create(ConnectionProvider connectionProvider, ResolvedClient client) {
		return tune(HttpClient.create(connectionProvider), client);
	}

	/**
	 * Apply the client's settings to an HTTP client.
	 * @param httpClient the client to tune
	 * @param client the client's effective settings
	 * @return the tuned client
	 */
	public HttpClient tune(HttpClient httpClient, ResolvedClient client) {
		ClientSettings settings = client.settings();
		SslContext sslContext = sslContext(client);
		TcpKeepAliveInitializer tcpKeepAlive = new TcpKeepAliveInitializer(settings.getTcpKeepAlive());
		return httpClient.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.getConnectTimeout().toMillis())
			.responseTimeout(settings.getResponseTimeout())
			.keepAlive(settings.isKeepAlive())
			.doOnChannelInit(tcpKeepAlive::initialize)
			.secure((spec) -> spec.sslContext(sslContext).handshakeTimeout(settings.getSsl().getHandshakeTimeout()));
	}

	private SslContext sslContext(ResolvedClient client) {
		String bundleName = client.settings().getSsl().getBundle();
		try {
			SslContextBuilder builder = SslContextBuilder.forClient();
			if (bundleName != null) {
				SslBundle bundle = bundle(client, bundleName);
				builder.keyManager(bundle.getManagers().getKeyManagerFactory())
					.trustManager(bundle.getManagers().getTrustManagerFactory())
					.ciphers(SslOptions.asSet(bundle.getOptions().getCiphers()))
					.protocols(bundle.getOptions().getEnabledProtocols());
			}
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Could not create the TLS context of Steady client '" + client.name()
					+ "': " + ex.getMessage(), ex);
		}
	}

	private SslBundle bundle(ResolvedClient client, String bundleName) {
		try {
			if (this.sslBundles == null) {
				throw new NoSuchSslBundleException(bundleName, "no SSL bundles are configured");
			}
			return this.sslBundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(client.propertyPrefix() + ".ssl.bundle", bundleName,
					"There is no SSL bundle of that name. Define it under spring.ssl.bundle.pem.<name> or "
							+ "spring.ssl.bundle.jks.<name>, or correct the name.");
		}
	}

}
