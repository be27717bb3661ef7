package dev.steady.server.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.steady.testserver.KeepAliveSocketOptions;
import dev.steady.testserver.RawHttpConnection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP and TCP keep-alive of a started server, seen from raw sockets: the
 * {@code Keep-Alive: timeout=N} response header, the per-connection request limit, and the
 * TCP keep-alive options of accepted sockets.
 */
class KeepAliveTests {

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner();

	@Test
	void keepAliveResponsesAdvertiseTheIdleTimeoutInSeconds() {
		this.contextRunner.withPropertyValues("steady.server.idle-timeout=7s").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				RawHttpConnection.Response response = connection.get();
				assertThat(response.header("keep-alive")).isEqualTo("timeout=7");
				assertThat(response.header("connection")).isNull();
			}
		});
	}

	@Test
	void advertisingCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("steady.server.advertise-keep-alive=false").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				assertThat(connection.get().header("keep-alive")).isNull();
			}
		});
	}

	@Test
	void responseThatClosesItsConnectionAdvertisesNoKeepAlive() {
		this.contextRunner.run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				connection.send("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
				RawHttpConnection.Response response = connection.readResponse();
				assertThat(response.header("connection")).isEqualTo("close");
				assertThat(response.header("keep-alive")).isNull();
			}
		});
	}

	@Test
	void maxKeepAliveRequestsClosesTheConnectionWithTheLastResponse() {
		this.contextRunner.withPropertyValues("steady.server.max-keep-alive-requests=3").run((context) -> {
			try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
				RawHttpConnection.Response first = connection.get();
				RawHttpConnection.Response second = connection.get();
				RawHttpConnection.Response third = connection.get();
				assertThat(first.header("connection")).isNull();
				assertThat(second.header("connection")).isNull();
				assertThat(second.header("keep-alive")).startsWith("timeout=");
				assertThat(third.header("connection")).isEqualTo("close");
				assertThat(third.header("keep-alive")).isNull();
				assertThat(third.body()).isEqualTo("hello");
				connection.awaitClosedByServer();
			}
		});
	}

	@Test
	void bootsOwnMaxKeepAliveRequestsWins() {
		this.contextRunner
			.withPropertyValues("server.netty.max-keep-alive-requests=2", "steady.server.max-keep-alive-requests=5")
			.run((context) -> {
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					assertThat(connection.get().header("connection")).isNull();
					assertThat(connection.get().header("connection")).isEqualTo("close");
					connection.awaitClosedByServer();
				}
			});
	}

	@Test
	void tcpKeepAliveOptionsAreSetOnAcceptedSockets() {
		this.contextRunner.withUserConfiguration(AcceptedSocketOptions.class)
			.withPropertyValues("steady.server.tcp-keep-alive.idle=45s", "steady.server.tcp-keep-alive.interval=7s",
					"steady.server.tcp-keep-alive.count=4")
			.run((context) -> {
				Map<String, Object> seen = context.getBean(AcceptedSocketOptions.class).seen;
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.get();
					Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey("transport"));
				}
				assertThat(seen).containsEntry("keepalive", true)
					.containsEntry("idle", 45)
					.containsEntry("interval", 7)
					.containsEntry("count", 4);
			});
	}

	@Test
	void tcpKeepAliveCanBeTurnedOff() {
		this.contextRunner.withUserConfiguration(AcceptedSocketOptions.class)
			.withPropertyValues("steady.server.tcp-keep-alive.enabled=false")
			.run((context) -> {
				Map<String, Object> seen = context.getBean(AcceptedSocketOptions.class).seen;
				try (RawHttpConnection connection = RawHttpConnection.open(StartedServer.port(context))) {
					connection.get();
					Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey("transport"));
				}
				assertThat(seen).containsEntry("keepalive", false);
			});
	}

	/** Records the socket options of the server side of each accepted connection. */
	@Configuration(proxyBeanMethods = false)
	static class AcceptedSocketOptions {

		final Map<String, Object> seen = new ConcurrentHashMap<>();

		@Bean
		NettyServerCustomizer socketOptionsRecorder() {
			return (server) -> server
				.doOnConnection((connection) -> this.seen.putAll(KeepAliveSocketOptions.of(connection.channel())));
		}

	}

}
