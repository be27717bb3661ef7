package dev.steady.server.internal;

import java.time.Duration;

import dev.steady.testserver.Dripper;
import dev.steady.testserver.H2cConnection;
import dev.steady.testserver.RawHttpConnection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A started server with {@code server.http2.enabled=true}, seen from a real HTTP/2 client
 * with prior knowledge (h2c): the stream limit it advertises, the RST_STREAM flood limit,
 * the per-stream body time limit, and the headers of its responses; and the HTTP/1.1
 * connections of the same server, which keep Steady's header time limit and Keep-Alive
 * header.
 */
class Http2ServerTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner()
		.withPropertyValues("server.http2.enabled=true");

	@Test
	void serverAdvertisesTheMaxConcurrentStreams() {
		this.contextRunner.withPropertyValues("steady.server.http2.max-concurrent-streams=7").run((context) -> {
			try (H2cConnection connection = H2cConnection.open(StartedServer.port(context))) {
				assertThat(connection.serverSettings().maxConcurrentStreams()).isEqualTo(7);
				assertThat(connection.request("GET", "/", true).awaitEnd().body()).isEqualTo("hello");
			}
		});
	}

	@Test
	void resetFloodClosesItsConnectionWithEnhanceYourCalmWhileOtherConnectionsAreServed() {
		this.contextRunner
			.withPropertyValues("steady.server.http2.max-reset-frames=10", "steady.server.http2.reset-frames-window=60s")
			.run((context) -> {
				int port = StartedServer.port(context);
				try (H2cConnection flood = H2cConnection.open(port); H2cConnection normal = H2cConnection.open(port)) {
					// one more than Steady's limit, far below Netty's own default of 200 per 30 s; and
					// nothing written after it, so that the server's GOAWAY is not lost to a TCP reset
					sendHeadersAndReset(flood, 11);
					Awaitility.await().atMost(CEILING).until(flood::isClosed);
					assertThat(flood.goAwayErrorCode()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
					H2cConnection.Stream served = normal.request("GET", "/", true).awaitEnd();
					assertThat(served.status()).isEqualTo("200");
					assertThat(served.body()).isEqualTo("hello");
					assertThat(normal.isClosed()).isFalse();
				}
			});
	}

	@Test
	void resetsWithinTheLimitLeaveTheConnectionOpen() {
		this.contextRunner
			.withPropertyValues("steady.server.http2.max-reset-frames=10", "steady.server.http2.reset-frames-window=60s")
			.run((context) -> {
				try (H2cConnection connection = H2cConnection.open(StartedServer.port(context))) {
					sendHeadersAndReset(connection, 8);
					H2cConnection.Stream served = connection.request("GET", "/", true).awaitEnd();
					assertThat(served.body()).isEqualTo("hello");
					assertThat(connection.isClosed()).isFalse();
					assertThat(connection.goAwayErrorCode()).isNull();
				}
			});
	}

	@Test
	void stalledRequestBodyEndsItsStreamWith408AtTheReadTimeoutWhileOtherStreamsAreServed() {
		this.contextRunner.withPropertyValues("steady.server.read-timeout=500ms").run((context) -> {
			try (H2cConnection connection = H2cConnection.open(StartedServer.port(context))) {
				H2cConnection.Stream stalled = connection.request("POST", "/", false);
				stalled.send("abc", false);
				H2cConnection.Stream beside = connection.request("GET", "/", true).awaitEnd();
				assertThat(beside.body()).isEqualTo("hello");
				assertThat(stalled.awaitEnd().status()).isEqualTo("408");
				H2cConnection.Stream after = connection.request("GET", "/", true).awaitEnd();
				assertThat(after.body()).isEqualTo("hello");
				assertThat(connection.isClosed()).isFalse();
			}
		});
	}

	@Test
	void responsesCarryNoConnectionSpecificHeaders() {
		this.contextRunner.withPropertyValues("steady.server.advertise-keep-alive=true").run((context) -> {
			try (H2cConnection connection = H2cConnection.open(StartedServer.port(context))) {
				assertNoConnectionSpecificHeaders(connection.request("GET", "/", true).awaitEnd());
				assertNoConnectionSpecificHeaders(connection.request("GET", "/connection-headers", true).awaitEnd());
			}
		});
	}

	@Test
	void http11HeadersDrippedToAnH2cServerAreCutOffWithRequestTimeoutAtTheHeaderTimeout() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=600ms").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context));
					Dripper dripper = new Dripper()) {
				dripper.drip(connection, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "x".repeat(100) + "\r\n\r\n",
						Duration.ofMillis(100));
				assertThat(connection.readResponse().status()).isEqualTo(408);
				connection.awaitClosedByServer();
			}
		});
	}

	@Test
	void http11ResponsesOfAnH2cServerAdvertiseTheIdleTimeout() {
		this.contextRunner.withPropertyValues("steady.server.idle-timeout=7s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				assertThat(connection.get().header("keep-alive")).isEqualTo("timeout=7");
			}
		});
	}

	@Test
	void h2cConnectionOutlivesTheHeaderTimeoutOfHttp11() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=300ms").run((context) -> {
			try (H2cConnection connection = H2cConnection.open(StartedServer.port(context))) {
				assertThat(connection.request("GET", "/", true).awaitEnd().body()).isEqualTo("hello");
				Awaitility.await().during(Duration.ofSeconds(1)).atMost(CEILING).until(() -> !connection.isClosed());
				assertThat(connection.request("GET", "/", true).awaitEnd().body()).isEqualTo("hello");
			}
		});
	}

	private static void assertNoConnectionSpecificHeaders(H2cConnection.Stream stream) {
		assertThat(stream.status()).isEqualTo("200");
		for (Http2Headers headers : stream.headers()) {
			assertThat(headers.names()).extracting(CharSequence::toString)
				.doesNotContain("keep-alive", "connection", "proxy-connection", "transfer-encoding", "upgrade");
		}
	}

	/** HEADERS then RST_STREAM, as fast as the client writes (the rapid reset attack). */
	private static void sendHeadersAndReset(H2cConnection connection, int streams) {
		for (int i = 0; i < streams && !connection.isClosed(); i++) {
			try {
				connection.request("GET", "/", false).reset();
			}
			catch (Exception ex) {
				// the server closed the connection while the flood was being written (a
				// ClosedChannelException, thrown unchecked by Netty's syncUninterruptibly)
				return;
			}
		}
	}

}
