package dev.steady.client.internal;

import dev.steady.client.ClientSettings;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLException;

import dev.steady.tcp.TcpKeepAliveOptions;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.netty.ReactorNetty;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.util.function.SingletonSupplier;

/**
 * Builds the Reactor Netty {@link HttpClient} of a client on its pool: connect and response
 * timeouts, HTTP keep-alive, TCP keep-alive probes, and TLS from an SSL bundle with a
 * handshake time limit (TLS applies to {@code https} URIs only). The response timeout is a
 * {@link ResponseTimeoutHandler} per connection, not Reactor Netty's per-request one, which
 * still applies, and wins, where Boot's {@code read-timeout} or a request sets it.
 * <p>
 * Through Spring Boot's connector builder, TLS is applied last, after Boot's
 * {@code spring.http.clients.*} settings: a client that names its own {@code ssl.bundle}
 * uses it, any other keeps the TLS context Boot configured (or the JDK default), and all
 * get Steady's handshake time limit. A {@link SteadyClientObserver} gets the last word on
 * each HTTP client, before Boot's settings.
 */
public final class SteadyHttpClientFactory {

	/** Reactor Netty's own TLS handshake limit, which needs no TLS set-up of Steady's. */
	private static final long REACTOR_NETTY_HANDSHAKE_MILLIS = Long.getLong(ReactorNetty.SSL_HANDSHAKE_TIMEOUT, 10_000);

	private final @Nullable SslBundles sslBundles;

	private final LearnedIdleTimeouts learned;

	/** Built only for a client that changes the handshake time limit without a bundle. */
	private final SingletonSupplier<SslContext> defaultSslContext = SingletonSupplier
		.of(() -> build(SslContextBuilder.forClient(), "default"));

	private final @Nullable SteadyClientObserver observer;

	/**
	 * Create a factory that looks SSL bundles up in the given registry.
	 * @param sslBundles Spring Boot's SSL bundles, or {@code null} when none are configured
	 * @param learned told when a reused connection dies stale, and after how long idle
	 */
	public SteadyHttpClientFactory(@Nullable SslBundles sslBundles, LearnedIdleTimeouts learned) {
		this(sslBundles, learned, null);
	}

	/**
	 * Create a factory that looks SSL bundles up in the given registry and lets the observer
	 * hook into every HTTP client it builds.
	 * @param sslBundles Spring Boot's SSL bundles, or {@code null} when none are configured
	 * @param learned told when a reused connection dies stale, and after how long idle
	 * @param observer the observer of the clients, or {@code null}
	 */
	public SteadyHttpClientFactory(@Nullable SslBundles sslBundles, LearnedIdleTimeouts learned,
			@Nullable SteadyClientObserver observer) {
		this.sslBundles = sslBundles;
		this.learned = learned;
		this.observer = observer;
	}

	/**
	 * The recipe of a client's HTTP clients on the given pool. Bad TLS settings fail here,
	 * not on the first request; the tuned client is built when the first HTTP client is.
	 * @param connectionProvider the pool
	 * @param client the client's effective settings
	 * @return the recipe
	 */
	public HttpClientRecipe recipe(ConnectionProvider connectionProvider, ResolvedClient client) {
		return new HttpClientRecipe(SingletonSupplier.of(() -> tuned(connectionProvider, client)), lastSteps(client));
	}

	private HttpClient tuned(ConnectionProvider connectionProvider, ResolvedClient client) {
		ClientSettings settings = client.settings();
		TcpKeepAliveOptions tcpKeepAlive = settings.tcpKeepAlive();
		Duration responseTimeout = settings.responseTimeout();
		HttpClient httpClient = HttpClient.create(connectionProvider)
			.protocol(protocols(settings))
			.observe(new ConnectionReuseTracker(client.name(), this.learned))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
			.keepAlive(settings.keepAlive())
			.doOnChannelInit((observer, channel, remoteAddress) -> {
				tcpKeepAlive.applyTo(channel);
				ResponseTimeoutHandler.addTo(channel, responseTimeout);
			});
		if (settings.mayUseHttp2()) {
			httpClient = httpClient.observe(new Http2Observer(client.name(), this.learned, settings.http2().ping()));
		}
		return (this.observer != null) ? this.observer.observe(client, httpClient) : httpClient;
	}

	/**
	 * Reactor Netty's protocols for the client's: h2 brings HTTP/1.1 along for ALPN to fall
	 * back to, and for plain http URIs, unless h2c speaks to those.
	 */
	static HttpProtocol[] protocols(ClientSettings settings) {
		Set<HttpProtocol> protocols = EnumSet.noneOf(HttpProtocol.class);
		for (ClientSettings.Protocol protocol : settings.protocols()) {
			switch (protocol) {
				case HTTP11 -> protocols.add(HttpProtocol.HTTP11);
				case H2 -> protocols.add(HttpProtocol.H2);
				case H2C -> protocols.add(HttpProtocol.H2C);
			}
		}
		if (protocols.contains(HttpProtocol.H2) && !protocols.contains(HttpProtocol.H2C)) {
			protocols.add(HttpProtocol.HTTP11);
		}
		return protocols.toArray(HttpProtocol[]::new);
	}

	/**
	 * The response timeout is one handler per HTTP/1.1 connection; a client that may speak
	 * HTTP/2, whose connections have no HTTP/1.1 codec to put it after, gets Reactor Netty's
	 * per-request timeout instead, unless Boot or an observer set one.
	 */
	private static HttpClient responseTimeoutBeyondHttp11(HttpClient httpClient, ClientSettings settings) {
		HttpProtocol[] protocols = httpClient.configuration().protocols();
		boolean http11Only = protocols.length == 1 && protocols[0] == HttpProtocol.HTTP11;
		return (http11Only || httpClient.configuration().responseTimeout() != null) ? httpClient
				: httpClient.responseTimeout(settings.responseTimeout());
	}

	/**
	 * What comes after Boot's settings: Reactor Netty's response timeout for a client that
	 * may speak HTTP/2, and TLS.
	 */
	private UnaryOperator<HttpClient> lastSteps(ResolvedClient client) {
		String bundleName = client.settings().ssl().bundle();
		SslContext own = (bundleName != null)
				? build(alpn(fromBundle(client, bundleName), client.settings()), client.name()) : null;
		Duration handshakeTimeout = client.settings().ssl().handshakeTimeout();
		return (httpClient) -> {
			HttpClient timed = responseTimeoutBeyondHttp11(httpClient, client.settings());
			SslProvider configured = timed.configuration().sslProvider();
			if (own == null && configured == null && handshakeTimeout.toMillis() == REACTOR_NETTY_HANDSHAKE_MILLIS) {
				// nothing to change: Reactor Netty builds its default TLS on the first https request
				return timed;
			}
			SslContext context = (own != null) ? own
					: (configured != null) ? configured.getSslContext() : defaultContext(client);
			return timed.secure((spec) -> spec.sslContext(context).handshakeTimeout(handshakeTimeout));
		};
	}

	/** The JDK's trust, offering h2 with ALPN when the client may speak it. */
	private SslContext defaultContext(ResolvedClient client) {
		return client.settings().protocols().contains(ClientSettings.Protocol.H2)
				? build(alpn(SslContextBuilder.forClient(), client.settings()), client.name())
				: this.defaultSslContext.obtain();
	}

	/** A client that may speak h2 offers it, and HTTP/1.1, with ALPN. */
	private static SslContextBuilder alpn(SslContextBuilder builder, ClientSettings settings) {
		if (!settings.protocols().contains(ClientSettings.Protocol.H2)) {
			return builder;
		}
		return builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
				ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
				ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
				ApplicationProtocolNames.HTTP_1_1));
	}

	private SslContextBuilder fromBundle(ResolvedClient client, String bundleName) {
		SslBundle bundle = bundle(client, bundleName);
		return SslContextBuilder.forClient()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory())
			.ciphers(SslOptions.asSet(bundle.getOptions().getCiphers()))
			.protocols(bundle.getOptions().getEnabledProtocols());
	}

	private static SslContext build(SslContextBuilder builder, String clientName) {
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException(
					"Could not create the TLS context of Steady client '" + clientName + "': " + ex.getMessage(), ex);
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
