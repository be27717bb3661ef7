package dev.steady.client.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.steady.testserver.SteadyAutoConfigurations;
import io.netty.buffer.Unpooled;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Steady's response timeout, one handler per connection, against real servers that answer
 * slowly on purpose: it limits the time to the first response byte and between reads, not
 * the whole response, and leaves alone a connection idle in the pool. (Its precedence
 * against Boot's {@code read-timeout} and per-request timeouts: {@code HttpClientTuningTests}
 * and {@code HttpServiceGroupTests}.)
 */
class ResponseTimeoutTests {

	private static final Duration CEILING = Duration.ofSeconds(20);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withPropertyValues("steady.client.response-timeout=500ms");

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger open = new AtomicInteger();

	/** Event loop of the servers, apart from the client's, which closes with each context. */
	private final LoopResources serverLoop = LoopResources.create("steady-response-timeout-test", 1, true);

	/**
	 * {@code /trickle}: 25 chunks 40 ms apart (1 s in all, each gap far below the timeout);
	 * {@code /stall}: one chunk, then nothing; else {@code ok}.
	 */
	private final DisposableServer server = HttpServer.create()
		.runOn(this.serverLoop)
		.host("127.0.0.1")
		.port(0)
		.doOnConnection((connection) -> {
			this.accepted.incrementAndGet();
			this.open.incrementAndGet();
			connection.onDispose(this.open::decrementAndGet);
		})
		.route((routes) -> routes
			.get("/trickle",
					(request, response) -> response
						.sendString(Flux.interval(Duration.ofMillis(40)).take(25).map((i) -> "x")))
			.get("/stall", (request, response) -> response.sendString(Flux.just("o").concatWith(Flux.never())))
			.get("/fast", (request, response) -> response.sendString(Flux.just("ok"))))
		.bindNow();

	/** Answers any request with a whole response written, and flushed, a byte every 25 ms. */
	private final DisposableServer dripping = TcpServer.create()
		.runOn(this.serverLoop)
		.host("127.0.0.1")
		.port(0)
		.handle((in, out) -> in.receive()
			.take(1)
			.thenMany(out.send(Flux.fromArray("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".split(""))
				.delayElements(Duration.ofMillis(25))
				.map((text) -> Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII)), (buffer) -> true)))
		.bindNow();

	@AfterEach
	void stopServers() {
		try {
			this.server.disposeNow();
			this.dripping.disposeNow();
		}
		finally {
			this.serverLoop.disposeLater(Duration.ZERO, CEILING).block(CEILING);
		}
	}

	@Test
	void responseWhoseChunksComeInTimeSucceedsThoughItTakesLongerThanTheTimeout() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(get(client, url("/trickle"))).isEqualTo("x".repeat(25));
		});
	}

	@Test
	void responseWhoseBytesComeInTimeSucceedsThoughItsHeadersTakeLongerThanTheTimeout() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(get(client, "http://127.0.0.1:" + this.dripping.port() + "/")).isEqualTo("ok");
		});
	}

	@Test
	void responseThatStallsAfterItsFirstChunkFails() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThatException().isThrownBy(() -> get(client, url("/stall")))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
		});
	}

	@Test
	void connectionIdleInThePoolLongerThanTheTimeoutIsNotClosed() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(get(client, url("/fast"))).isEqualTo("ok");
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> this.open.get() == 1);
			assertThat(this.accepted).hasValue(1);
		});
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.port() + path;
	}

	private static String get(WebClient client, String url) {
		return client.get().uri(url).retrieve().bodyToMono(String.class).block(CEILING);
	}

}
