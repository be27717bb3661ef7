package dev.steady.server;

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
 * a second, request bodies that stall or trickle, keep-alive connections left idle. Each is
 * closed by the time limit meant for it, and a request whose headers completed is never cut
 * off by the header time limit.
 */
class RequestTimeLimitTests {

	/** Scheduling noise allowed on a busy machine, on top of a time limit. */
	private static final Duration SLACK = Duration.ofSeconds(3);

	/** Timers may fire a little early relative to when the client saw its last byte go. */
	private static final Duration EARLY = Duration.ofMillis(300);

	/** Ceiling of every wait on a condition. */
	private static final Duration CEILING = Duration.ofSeconds(60);

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner();

	private final Dripper dripper = new Dripper();

	@AfterEach
	void stopDripping() {
		this.dripper.close();
	}

	@Test
	void headersDrippedAByteASecondAreCutOffWithRequestTimeoutAfterTheHeaderTimeout() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=3s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				AtomicInteger sent = this.dripper.drip(connection, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
						+ "x".repeat(100) + "\r\n\r\n", Duration.ofSeconds(1));
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(response.header("connection")).isEqualTo("close");
				assertThat(sent.get()).isGreaterThanOrEqualTo(2);
				assertThat(Duration.between(connection.openedAt(), closed))
					.isBetween(Duration.ofSeconds(3).minus(EARLY), Duration.ofSeconds(3).plus(SLACK));
			}
		});
	}

	@Test
	void connectionThatNeverSendsARequestGetsRequestTimeoutAfterTheHeaderTimeout() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=1s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(Duration.between(connection.openedAt(), closed))
					.isBetween(Duration.ofSeconds(1).minus(EARLY), Duration.ofSeconds(1).plus(SLACK));
			}
		});
	}

	@Test
	void laterRequestIsTimedFromItsFirstByteNotFromTheIdleWaitBeforeIt() {
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=2s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				assertThat(connection.get().body()).isEqualTo("hello");
				Thread.sleep(3000); // the scenario: idle between requests, longer than the header timeout
				Instant firstByte = Instant.now();
				this.dripper.drip(connection, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", Duration.ofSeconds(1));
				RawHttpConnection.Response response = connection.readResponse();
				Instant closed = connection.awaitClosedByServer();
				assertThat(response.status()).isEqualTo(408);
				assertThat(Duration.between(firstByte, closed))
					.isBetween(Duration.ofSeconds(2).minus(EARLY), Duration.ofSeconds(2).plus(SLACK));
			}
		});
	}

	@Test
	void requestWhoseHeadersCompletedIsNotCutOffByTheHeaderTimeout() {
		this.contextRunner
			.withPropertyValues("steady.server.request-header-timeout=1s", "steady.server.read-timeout=5s")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\n");
					this.dripper.drip(connection, "abcdef", Duration.ofMillis(500));
					RawHttpConnection.Response response = connection.readResponse();
					assertThat(response.status()).isEqualTo(200);
					assertThat(response.body()).isEqualTo("read 6 bytes");
					assertThat(Duration.between(connection.openedAt(), Instant.now()))
						.isGreaterThan(Duration.ofSeconds(2));
				}
			});
	}

	@Test
	void bodyThatStallsIsCutOffAfterTheReadTimeout() {
		this.contextRunner.withPropertyValues("steady.server.read-timeout=1s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n0123456789");
				Instant stalled = Instant.now();
				Instant closed = connection.awaitClosedByServer();
				assertThat(Duration.between(stalled, closed))
					.isBetween(Duration.ofSeconds(1).minus(EARLY), Duration.ofSeconds(1).plus(SLACK));
			}
		});
	}

	@Test
	void bodyThatTricklesIsCutOffAfterTheRequestTimeout() {
		this.contextRunner
			.withPropertyValues("steady.server.read-timeout=5s", "steady.server.request-timeout=2s")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n");
					Instant headersSent = Instant.now();
					this.dripper.drip(connection, "x".repeat(100), Duration.ofMillis(250));
					Instant closed = connection.awaitClosedByServer();
					assertThat(Duration.between(headersSent, closed))
						.isBetween(Duration.ofSeconds(2).minus(EARLY), Duration.ofSeconds(2).plus(SLACK));
				}
			});
	}

	@Test
	void bodyThatTricklesAfterAnEarlyResponseIsCutOffTheRequestTimeoutAfterIt() {
		this.contextRunner
			.withPropertyValues("steady.server.read-timeout=5s", "steady.server.request-timeout=2s")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.send("POST /early HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n");
					assertThat(connection.readResponse().status()).isEqualTo(200);
					Instant answered = Instant.now();
					this.dripper.drip(connection, "x".repeat(100), Duration.ofMillis(250));
					Instant closed = connection.awaitClosedByServer();
					assertThat(Duration.between(answered, closed))
						.isBetween(Duration.ofSeconds(2).minus(EARLY), Duration.ofSeconds(2).plus(SLACK));
				}
			});
	}

	@Test
	void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() {
		this.contextRunner.withPropertyValues("steady.server.idle-timeout=1s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				assertThat(connection.get().status()).isEqualTo(200);
				Instant answered = Instant.now();
				Instant closed = connection.awaitClosedByServer();
				assertThat(Duration.between(answered, closed))
					.isBetween(Duration.ofSeconds(1).minus(EARLY), Duration.ofSeconds(1).plus(SLACK));
			}
		});
	}

	@Test
	void bootsOwnIdleTimeoutWinsOnARealConnection() {
		this.contextRunner.withPropertyValues("server.netty.idle-timeout=1s", "steady.server.idle-timeout=60s")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					RawHttpConnection.Response response = connection.get();
					assertThat(response.header("keep-alive")).isEqualTo("timeout=1");
					Instant answered = Instant.now();
					Instant closed = connection.awaitClosedByServer();
					assertThat(Duration.between(answered, closed)).isLessThan(Duration.ofSeconds(1).plus(SLACK));
				}
			});
	}

	@Test
	void normalRequestsAreAnsweredPromptlyWhileThreeHundredSlowClientsHoldConnections() {
		Duration headerTimeout = Duration.ofSeconds(8);
		this.contextRunner.withPropertyValues("steady.server.request-header-timeout=" + headerTimeout.toSeconds() + "s")
			.run((context) -> {
				int port = StartedServer.port(context);
				ConnectionLimiter limiter = context.getBean(ConnectionLimiter.class);
				List<RawHttpConnection> slowClients = new ArrayList<>();
				try {
					for (int i = 0; i < 300; i++) {
						RawHttpConnection slow = RawHttpConnection.open(port);
						slowClients.add(slow);
						this.dripper.drip(slow, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "x".repeat(100),
								Duration.ofSeconds(1));
					}
					Instant lastSlowOpened = Instant.now();
					Awaitility.await().atMost(CEILING).until(() -> limiter.openConnections() >= 300);
					Duration slowest = Duration.ZERO;
					for (int i = 0; i < 20; i++) {
						try (RawHttpConnection normal = RawHttpConnection.open(port)) {
							Instant sent = Instant.now();
							assertThat(normal.get().body()).isEqualTo("hello");
							slowest = max(slowest, Duration.between(sent, Instant.now()));
						}
					}
					assertThat(slowest).isLessThan(Duration.ofSeconds(2));
					Awaitility.await().atMost(CEILING).until(() -> limiter.openConnections() == 0);
					Duration allClosedAfter = Duration.between(lastSlowOpened, Instant.now());
					assertThat(allClosedAfter).isLessThan(headerTimeout.plus(SLACK));
					for (RawHttpConnection slow : slowClients) {
						assertThat(slow.readResponse().status()).isEqualTo(408);
					}
					System.out.printf("300 slow clients: slowest of 20 normal requests %d ms, all slow closed %d ms "
							+ "after the last opened (header timeout %d s)%n", slowest.toMillis(),
							allClosedAfter.toMillis(), headerTimeout.toSeconds());
				}
				finally {
					slowClients.forEach(RawHttpConnection::close);
				}
			});
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
