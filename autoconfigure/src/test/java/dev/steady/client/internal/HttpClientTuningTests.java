package dev.steady.client.internal;

import dev.steady.client.SteadyRequestOptions;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.steady.testserver.BuiltHttpClient;
import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.testserver.KeepAliveSocketOptions;
import dev.steady.testserver.MisbehavingServer;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Response timeouts (per client and per request) and TCP keep-alive options, observed on
 * real connections to a real server.
 */
class HttpClientTuningTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients());

	private final MisbehavingServer slowServer = MisbehavingServer.builder().respondAfter(Duration.ofSeconds(1)).start();

	@AfterEach
	void stopServer() {
		this.slowServer.close();
	}

	@Test
	void protocolsReachTheHttpClientAndH2BringsHttp11ForFallback() {
		this.contextRunner.withPropertyValues("steady.client-defaults.protocols=h2").run((context) -> {
			HttpClient built = BuiltHttpClient.of(context.getBean(WebClient.Builder.class));
			assertThat(built.configuration().protocols()).containsExactlyInAnyOrder(HttpProtocol.H2,
					HttpProtocol.HTTP11);
		});
		this.contextRunner.withPropertyValues("steady.client-defaults.protocols=h2c").run((context) -> {
			HttpClient built = BuiltHttpClient.of(context.getBean(WebClient.Builder.class));
			assertThat(built.configuration().protocols()).containsExactly(HttpProtocol.H2C);
		});
		this.contextRunner.run((context) -> {
			HttpClient built = BuiltHttpClient.of(context.getBean(WebClient.Builder.class));
			assertThat(built.configuration().protocols()).containsExactly(HttpProtocol.HTTP11);
		});
	}

	@Test
	void responseTimeoutFailsASlowResponse() {
		this.contextRunner.withPropertyValues("steady.client.response-timeout=200ms").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThatException().isThrownBy(() -> get(client, this.slowServer.url()))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
		});
	}

	@Test
	void bootsOwnReadTimeoutWinsOverSteadysResponseTimeout() {
		// Boot's is the longer one: under a "shortest wins" rule the 1 s response would time out
		this.contextRunner
			.withPropertyValues("spring.http.clients.read-timeout=10s", "steady.client.response-timeout=200ms")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(get(client, this.slowServer.url())).startsWith("ok");
			});
	}

	@Test
	void bootsShorterReadTimeoutWinsToo() {
		this.contextRunner.withPropertyValues("spring.http.clients.read-timeout=200ms").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThatException().isThrownBy(() -> get(client, this.slowServer.url()))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
		});
	}

	@Test
	void responseTimeoutCanBeRaisedForOneRequest() {
		this.contextRunner.withPropertyValues("steady.client.response-timeout=200ms").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			String body = client.get()
				.uri(this.slowServer.url())
				.httpRequest(SteadyRequestOptions.responseTimeout(Duration.ofSeconds(10)))
				.retrieve()
				.bodyToMono(String.class)
				.block(Duration.ofSeconds(20));
			assertThat(body).startsWith("ok");
		});
	}

	@Test
	void responseTimeoutCanBeLoweredForOneRequest() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThatException()
				.isThrownBy(() -> client.get()
					.uri(this.slowServer.url())
					.httpRequest(SteadyRequestOptions.responseTimeout(Duration.ofMillis(200)))
					.retrieve()
					.bodyToMono(String.class)
					.block(Duration.ofSeconds(20)))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
		});
	}

	@Test
	void tcpKeepAliveOptionsAreSetOnClientSockets() {
		this.contextRunner
			.withPropertyValues("steady.client.tcp-keep-alive.idle=45s", "steady.client.tcp-keep-alive.interval=7s",
					"steady.client.tcp-keep-alive.count=4")
			.run((context) -> {
				Map<String, Object> seen = socketOptionsOfARealConnection(context.getBean(WebClient.Builder.class));
				assertThat(seen).containsEntry("keepalive", true)
					.containsEntry("idle", 45)
					.containsEntry("interval", 7)
					.containsEntry("count", 4);
			});
	}

	@Test
	void tcpKeepAliveCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("steady.client.tcp-keep-alive.enabled=false").run((context) -> {
			Map<String, Object> seen = socketOptionsOfARealConnection(context.getBean(WebClient.Builder.class));
			assertThat(seen).containsEntry("keepalive", false);
		});
	}

	/** Socket options of a connection opened by the HTTP client behind Boot's builder. */
	private Map<String, Object> socketOptionsOfARealConnection(WebClient.Builder bootsBuilder) {
		Map<String, Object> seen = new ConcurrentHashMap<>();
		HttpClient httpClient = BuiltHttpClient.of(bootsBuilder)
			.doOnConnected((connection) -> seen.putAll(KeepAliveSocketOptions.of(connection.channel())));
		get(WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)).build(),
				this.slowServer.url());
		return seen;
	}

	private static String get(WebClient client, String url) {
		return client.get().uri(url).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(20));
	}

}
