package dev.steady.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import dev.steady.autoconfigure.client.SteadyClientAutoConfiguration;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests of the {@code ssl.*} client settings against servers on the loopback interface: the
 * SSL bundle is the trust material of the client, and the handshake time limit fails a
 * request whose server never answers the TLS handshake.
 */
class SteadyClientTlsTests {

	/** Upper bound of any blocking wait, far above what each request needs. */
	private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(20);

	/** How long the handshake-timeout tests allow the TLS handshake to take. */
	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(500);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
				ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
				SteadyClientAutoConfiguration.class))
		.withPropertyValues("spring.ssl.bundle.pem.test.truststore.certificate=classpath:tls/server.crt",
				"spring.reactor.netty.shutdown-quiet-period=0s");

	/** Event loop of the TLS server, apart from the client's, which closes with each context. */
	private final LoopResources serverLoop = LoopResources.create("steady-tls-test", 1, true);

	private @Nullable DisposableServer tlsServer;

	private @Nullable ServerSocket silentServer;

	@AfterEach
	void stopServers() throws IOException {
		try {
			if (this.tlsServer != null) {
				this.tlsServer.disposeNow(BLOCK_TIMEOUT);
			}
			if (this.silentServer != null) {
				this.silentServer.close();
			}
		}
		finally {
			this.serverLoop.disposeLater(Duration.ZERO, BLOCK_TIMEOUT).block(BLOCK_TIMEOUT);
		}
	}

	@Test
	void defaultClientTrustsServerCertificateOfItsSslBundle() {
		String url = startTlsServer();
		this.contextRunner.withPropertyValues("steady.client.ssl.bundle=test").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			ResponseEntity<String> response = get(client, url);
			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(response.getBody()).isEqualTo("ok");
		});
	}

	@Test
	void defaultClientWithoutSslBundleRejectsSelfSignedServerCertificate() {
		String url = startTlsServer();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			Throwable failure = catchThrowable(() -> get(client, url));
			assertThat(failure).isInstanceOf(WebClientRequestException.class);
			assertUntrustedCertificate(failure);
		});
	}

	@Test
	void namedClientTrustsServerCertificateOfItsOwnSslBundleOnly() {
		String url = startTlsServer();
		this.contextRunner
			.withPropertyValues("steady.clients.secure.ssl.bundle=test", "steady.clients.secure.base-url=" + url,
					"steady.clients.plain.base-url=" + url)
			.run((context) -> {
				SteadyClients clients = context.getBean(SteadyClients.class);
				ResponseEntity<String> response = get(clients.webClient("secure"), "/");
				assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
				assertThat(response.getBody()).isEqualTo("ok");
				Throwable failure = catchThrowable(() -> get(clients.webClient("plain"), "/"));
				assertThat(failure).isInstanceOf(WebClientRequestException.class);
				assertUntrustedCertificate(failure);
			});
	}

	@Test
	void defaultClientGivesUpHandshakeWithSilentServerAfterHandshakeTimeout() throws IOException {
		String url = startSilentServer();
		this.contextRunner.withPropertyValues("steady.client.ssl.handshake-timeout=" + HANDSHAKE_TIMEOUT.toMillis() + "ms")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertHandshakeTimesOut(client, url);
			});
	}

	@Test
	void namedClientGivesUpHandshakeWithSilentServerAfterItsOwnHandshakeTimeout() throws IOException {
		String url = startSilentServer();
		this.contextRunner
			.withPropertyValues("steady.client.ssl.handshake-timeout=1m", "steady.clients.impatient.base-url=" + url,
					"steady.clients.impatient.ssl.handshake-timeout=" + HANDSHAKE_TIMEOUT.toMillis() + "ms")
			.run((context) -> assertHandshakeTimesOut(context.getBean(SteadyClients.class).webClient("impatient"),
					url));
	}

	@Test
	void bootsSslBundleIsKeptWhenTheClientNamesNone() {
		String url = startTlsServer();
		this.contextRunner.withPropertyValues("spring.http.clients.ssl.bundle=test").run((context) -> {
			ResponseEntity<String> response = get(context.getBean(WebClient.Builder.class).build(), url);
			assertThat(response.getBody()).isEqualTo("ok");
		});
	}

	@Test
	void handshakeTimeoutHoldsWhenBootConfiguresTheSslBundle() throws IOException {
		String url = startSilentServer();
		this.contextRunner
			.withPropertyValues("spring.http.clients.ssl.bundle=test",
					"steady.client.ssl.handshake-timeout=" + HANDSHAKE_TIMEOUT.toMillis() + "ms")
			.run((context) -> assertHandshakeTimesOut(context.getBean(WebClient.Builder.class).build(), url));
	}

	@Test
	void namedClientsOwnSslBundleWinsOverBootsGlobalOne() {
		String url = startTlsServer();
		this.contextRunner
			.withPropertyValues("spring.ssl.bundle.pem.other.truststore.certificate=classpath:tls/other.crt",
					"spring.http.clients.ssl.bundle=other", "steady.clients.secure.ssl.bundle=test",
					"steady.clients.secure.base-url=" + url)
			.run((context) -> {
				ResponseEntity<String> response = get(context.getBean(SteadyClients.class).webClient("secure"), "/");
				assertThat(response.getBody()).isEqualTo("ok");
			});
	}

	private static void assertHandshakeTimesOut(WebClient client, String url) {
		long start = System.nanoTime();
		Throwable failure = catchThrowable(() -> get(client, url));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		assertThat(failure).isInstanceOf(WebClientRequestException.class);
		assertThat(causeChain(failure)).hasAtLeastOneElementOfType(SslHandshakeTimeoutException.class);
		assertThat(elapsed).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.minusMillis(100))
			.isLessThan(Duration.ofSeconds(5));
	}

	private static void assertUntrustedCertificate(Throwable failure) {
		assertThat(causeChain(failure)).hasAtLeastOneElementOfType(SSLHandshakeException.class)
			.noneMatch(SslHandshakeTimeoutException.class::isInstance);
		assertThat(causeChain(failure)).last()
			.extracting(Throwable::getMessage)
			.asString()
			.contains("unable to find valid certification path");
	}

	private static ResponseEntity<String> get(WebClient client, String uri) {
		return client.get().uri(uri).retrieve().toEntity(String.class).block(BLOCK_TIMEOUT);
	}

	/**
	 * Start an HTTPS server on the loopback interface whose certificate, issued to localhost
	 * and 127.0.0.1, is self-signed and so trusted only through the "test" SSL bundle.
	 * @return the server's URL
	 */
	private String startTlsServer() {
		try (InputStream certificate = resource("tls/server.crt"); InputStream key = resource("tls/server.key")) {
			Http11SslContextSpec sslContext = Http11SslContextSpec.forServer(certificate, key);
			this.tlsServer = HttpServer.create()
				.runOn(this.serverLoop)
				.host("127.0.0.1")
				.port(0)
				.secure((spec) -> spec.sslContext(sslContext))
				.handle((request, response) -> response.sendString(Mono.just("ok")))
				.bindNow(BLOCK_TIMEOUT);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return "https://localhost:" + this.tlsServer.port() + "/";
	}

	/**
	 * Start a server that never answers the TLS handshake. Nothing accepts or reads its
	 * connections: the kernel completes the TCP handshake of each one in the backlog, so the
	 * client connects, sends its ClientHello and waits for a reply that never comes.
	 * @return an HTTPS URL of the server
	 */
	private String startSilentServer() throws IOException {
		this.silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		return "https://localhost:" + this.silentServer.getLocalPort() + "/";
	}

	private static InputStream resource(String name) {
		InputStream stream = SteadyClientTlsTests.class.getClassLoader().getResourceAsStream(name);
		assertThat(stream).as("test resource %s", name).isNotNull();
		return stream;
	}

	private static List<Throwable> causeChain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
			chain.add(cause);
		}
		return chain;
	}

}
