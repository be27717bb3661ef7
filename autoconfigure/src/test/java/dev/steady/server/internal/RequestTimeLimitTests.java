package dev.steady.server.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.steady.testserver.Dripper;
import dev.steady.testserver.RawHttpConnection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients against a started server, over raw sockets: request headers dripped a byte
 * at a time, request bodies that stall or trickle, keep-alive connections left idle. Each is
 * closed by the time limit meant for it, with the answer meant for it, and never before that
 * limit; a request whose headers completed is never cut off by the header time limit. The
 * limits are scaled down to fractions of a second: when exactly each deadline falls is
 * pinned by {@link RequestDeadlinesTests} and {@link RequestTimeLimitHandlerTests} with a
 * controllable clock; these tests prove the wiring on a real server, so they assert what
 * happened and a lower bound on when, never an upper bound that a busy machine could miss.
 */
class RequestTimeLimitTests {

	/** Timers may fire a little early relative to when the client saw its last byte go. */
	private static final Duration EARLY = Duration.ofMillis(150);

	/** Ceiling of every wait on a condition. */
	private static final Duration CEILING = Duration.ofSeconds(60);

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner();

	private final Dripper dripper = new Dripper();

	@AfterEach
	void stopDripping() {
		this.dripper.close();
	}

	@Test
	void headersDrippedAByteAtATimeAreCutOffWithRequestTimeoutAtTheHeaderTimeout() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=600ms").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				AtomicInteger sent = this.dripper.drip(connection, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
						+ "x".repeat(100) + "\r\n\r\n", Duration.ofMillis(100));
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(response.header("connection")).isEqualTo("close");
				assertThat(sent.get()).isGreaterThanOrEqualTo(2);
				assertThat(Duration.between(connection.openedAt(), closed))
					.isGreaterThanOrEqualTo(Duration.ofMillis(600).minus(EARLY));
			}
		});
	}

	@Test
	void connectionThatNeverSendsARequestGetsRequestTimeoutAtTheHeaderTimeout() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=300ms").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(Duration.between(connection.openedAt(), closed))
					.isGreaterThanOrEqualTo(Duration.ofMillis(300).minus(EARLY));
			}
		});
	}

	@Test
	void laterRequestIsTimedFromItsFirstByteNotFromTheIdleWaitBeforeIt() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=500ms").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				assertThat(connection.get().body()).isEqualTo("hello");
				Thread.sleep(800); // the scenario: idle between requests, longer than the header timeout
				Instant firstByte = Instant.now();
				this.dripper.drip(connection, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", Duration.ofMillis(100));
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(Duration.between(firstByte, closed))
					.isGreaterThanOrEqualTo(Duration.ofMillis(500).minus(EARLY));
			}
		});
	}

	@Test
	void requestWhoseHeadersCompletedIsNotCutOffByTheHeaderTimeout() {
		this.contextRunner
			.withPropertyValues("steady.server.request-header-timeout=300ms", "steady.server.read-timeout=5s")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\n");
					this.dripper.drip(connection, "abcdef", Duration.ofMillis(150));
					RawHttpConnection.Response response = connection.readResponse();
					assertThat(response.status()).isEqualTo(200);
					assertThat(response.body()).isEqualTo("read 6 bytes");
					assertThat(Duration.between(connection.openedAt(), Instant.now()))
						.isGreaterThan(Duration.ofMillis(600));
				}
			});
	}

	@Test
	void bodyThatStallsIsAnsweredRequestTimeoutAndClosedAtTheReadTimeout() {
		this.contextRunner.withPropertyValues("steady.server.read-timeout=500ms").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
				Instant stalled = Instant.now();
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(Duration.between(stalled, closed))
					.isGreaterThanOrEqualTo(Duration.ofMillis(500).minus(EARLY));
			}
		});
	}

	@Test
	void bodyThatTricklesIsAnsweredRequestTimeoutAndClosedAtTheRequestTimeout() {
		this.contextRunner
			.withPropertyValues("steady.server.read-timeout=5s", "steady.server.request-timeout=800ms")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n");
					Instant headersSent = Instant.now();
					this.dripper.drip(connection, "x".repeat(100), Duration.ofMillis(100));
					RawHttpConnection.Response response = connection.readResponse();
					Instant closed = connection.awaitClosedByServer();
					assertThat(response.status()).isEqualTo(408);
					assertThat(Duration.between(headersSent, closed))
						.isGreaterThanOrEqualTo(Duration.ofMillis(800).minus(EARLY));
				}
			});
	}

	@Test
	void bodyThatTricklesAfterAnEarlyResponseIsCutOffTheRequestTimeoutAfterIt() {
		this.contextRunner
			.withPropertyValues("steady.server.read-timeout=5s", "steady.server.request-timeout=800ms")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.send("POST /early HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n");
					assertThat(connection.readResponse().status()).isEqualTo(200);
					Instant answered = Instant.now();
					this.dripper.drip(connection, "x".repeat(100), Duration.ofMillis(100));
					Instant closed = connection.awaitClosedByServer();
					assertThat(Duration.between(answered, closed))
						.isGreaterThanOrEqualTo(Duration.ofMillis(800).minus(EARLY));
				}
			});
	}

	@Test
	void idleKeepAliveConnectionIsClosedAtTheIdleTimeout() {
		this.contextRunner.withPropertyValues("steady.server.idle-timeout=500ms").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				assertThat(connection.get().status()).isEqualTo(200);
				Instant answered = Instant.now();
				Instant closed = connection.awaitClosedByServer();
				assertThat(Duration.between(answered, closed))
					.isGreaterThanOrEqualTo(Duration.ofMillis(500).minus(EARLY));
			}
		});
	}

	@Test
	void bootsOwnIdleTimeoutWinsOnARealConnection() {
		this.contextRunner.withPropertyValues("server.netty.idle-timeout=1s", "steady.server.idle-timeout=10m")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					RawHttpConnection.Response response = connection.get();
					assertThat(response.header("keep-alive")).isEqualTo("timeout=1");
					connection.awaitClosedByServer(); // within the connection's read ceiling, far below 10m
				}
			});
	}

	@Test
	void normalRequestsAreAnsweredWhileAHundredSlowClientsHoldConnections() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=3s").run((context) -> {
			int port = StartedServer.port(context);
			ConnectionLimiter limiter = context.getBean(ConnectionLimiter.class);
			List<RawHttpConnection> slowClients = new ArrayList<>();
			try {
				for (int i = 0; i < 100; i++) {
					RawHttpConnection slow = RawHttpConnection.open(port);
					slowClients.add(slow);
					this.dripper.drip(slow, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "x".repeat(100),
							Duration.ofMillis(200));
				}
				Awaitility.await().atMost(CEILING).until(() -> limiter.openConnections() >= 100);
				for (int i = 0; i < 20; i++) {
					try (RawHttpConnection normal = RawHttpConnection.open(port)) {
						assertThat(normal.get().body()).isEqualTo("hello");
					}
				}
				Awaitility.await().atMost(CEILING).until(() -> limiter.openConnections() == 0);
				for (RawHttpConnection slow : slowClients) {
					assertThat(slow.readResponse().status()).isEqualTo(408);
				}
			}
			finally {
				slowClients.forEach(RawHttpConnection::close);
			}
		});
	}

}
