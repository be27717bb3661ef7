package dev.steady.client.internal;

import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.steady.testserver.MisbehavingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Steady's {@code RestClient} request factory against real servers: the response body is
 * streamed to the caller as it arrives, a response its caller has not closed yet does not hold
 * its connection once its body is in, and a call past its limit is cancelled without leaving
 * its connection behind.
 */
class SteadyClientHttpRequestFactoryTests {

	private static final Duration CEILING = Duration.ofSeconds(30);

	private final ConnectionProvider pool = ConnectionProvider.builder("factory-tests").maxConnections(1).build();

	@AfterEach
	void closePool() {
		this.pool.disposeLater().block(CEILING);
	}

	@Test
	void theBodyReachesTheCallerAsItArrivesNotOnceItIsWhole() throws Exception {
		Sinks.Empty<Void> rest = Sinks.empty();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response
				.sendString(Flux.concat(Mono.just("first;"), rest.asMono().then(Mono.just("rest")))))
			.bindNow();
		try {
			SteadyClientHttpRequestFactory factory = factory(Duration.ofSeconds(30));
			URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
			try (ClientHttpResponse response = factory.createRequest(uri, HttpMethod.GET).execute()) {
				InputStream body = response.getBody();
				assertThat(new String(body.readNBytes("first;".length()), StandardCharsets.US_ASCII))
					.isEqualTo("first;");
				rest.tryEmitEmpty();
				assertThat(new String(body.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("rest");
			}
		}
		finally {
			server.disposeNow(CEILING);
		}
	}

	@Test
	void aResponseNotClosedYetLeavesItsConnectionToTheNextCallOnceItsBodyIsIn() throws Exception {
		try (MisbehavingServer server = MisbehavingServer.builder().start()) {
			// a pool of one connection: the second call could only wait for the first to be closed
			SteadyClientHttpRequestFactory factory = factory(Duration.ofSeconds(5));
			URI uri = URI.create(server.url());
			ClientHttpResponse first = factory.createRequest(uri, HttpMethod.GET).execute();
			try (ClientHttpResponse second = factory.createRequest(uri, HttpMethod.GET).execute()) {
				assertThat(second.getBody().readAllBytes()).startsWith("ok".getBytes(StandardCharsets.US_ASCII));
			}
			assertThat(first.getBody().readAllBytes()).startsWith("ok".getBytes(StandardCharsets.US_ASCII));
			first.close();
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.executedRequests()).isEqualTo(2);
		}
	}

	@Test
	void aCallPastItsLimitIsCancelledAndItsConnectionClosed() throws Exception {
		try (MisbehavingServer server = MisbehavingServer.builder().respondAfter(Duration.ofSeconds(20)).start()) {
			SteadyClientHttpRequestFactory factory = factory(Duration.ofMillis(300));
			URI uri = URI.create(server.url());
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> factory.createRequest(uri, HttpMethod.GET).execute())
				.withMessageContaining("got no response to GET");
			await().atMost(CEILING).until(() -> server.openConnections() == 0);
		}
	}

	private SteadyClientHttpRequestFactory factory(Duration callLimit) {
		HttpClient client = HttpClient.create(this.pool);
		return new SteadyClientHttpRequestFactory("factory-tests", client,
				RetryPolicy.none(new PoolExhaustionHint("steady.clients.factory-tests")), callLimit);
	}

}
