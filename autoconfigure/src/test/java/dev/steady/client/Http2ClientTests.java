package dev.steady.client;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.testserver.MisbehavingH2cServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A Steady client speaking h2c to a real HTTP/2 server that refuses the stream of a POST
 * without an idempotency key, by a GOAWAY that ends the connection or by
 * {@code RST_STREAM REFUSED_STREAM}: the server never processed it, so it is sent again, and
 * executed once.
 */
@ExtendWith(OutputCaptureExtension.class)
class Http2ClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class))
		.withPropertyValues("steady.clients.h2c.protocols=h2c");

	private final MisbehavingH2cServer server = new MisbehavingH2cServer();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void postRefusedByGoAwayIsSentAgainAndExecutedOnce() {
		this.contextRunner.withPropertyValues("steady.clients.h2c.base-url=" + this.server.url()).run((context) -> {
			WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
			String body = client.post().bodyValue("order").retrieve().bodyToMono(String.class).block(TIMEOUT);
			assertThat(body).isEqualTo("ok");
			assertThat(this.server.refused()).as("streams refused by GOAWAY").isEqualTo(1);
			assertThat(this.server.executed()).as("executions").isEqualTo(1);
			assertThat(this.server.connections()).as("connections").isEqualTo(2);
		});
	}

	@Test
	void postRefusedByResetRefusedStreamIsSentAgainAndExecutedOnce() {
		try (MisbehavingH2cServer resetting = new MisbehavingH2cServer(MisbehavingH2cServer.Misbehaviour.REFUSED_STREAM)) {
			this.contextRunner.withPropertyValues("steady.clients.h2c.base-url=" + resetting.url()).run((context) -> {
				WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
				String body = client.post().bodyValue("order").retrieve().bodyToMono(String.class).block(TIMEOUT);
				assertThat(body).isEqualTo("ok");
				assertThat(resetting.refused()).as("streams refused by RST_STREAM").isEqualTo(1);
				assertThat(resetting.executed()).as("executions").isEqualTo(1);
				assertThat(resetting.connections()).as("connections: the reset one is kept").isEqualTo(1);
			});
		}
	}

	/**
	 * A GOAWAY that ends an idle connection teaches the host's idle timeout, and the HTTP/2
	 * pool then retires connections idle for most of it, before the server's GOAWAY could race
	 * a new stream. The server ends only its first connection so: a connection the pool kept
	 * would have served the third POST.
	 */
	@Test
	void idleTimeoutTaughtByGoAwayRetiresIdleConnectionsBeforeTheServerWould() {
		try (MisbehavingH2cServer idling = new MisbehavingH2cServer(MisbehavingH2cServer.Misbehaviour.IDLE_TIMEOUT)) {
			this.contextRunner.withPropertyValues("steady.clients.h2c.base-url=" + idling.url()).run((context) -> {
				WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
				post(client);
				await().atMost(TIMEOUT).until(() -> idling.idleCloses() == 1);
				long idleTimeout = MisbehavingH2cServer.IDLE_TIMEOUT.toMillis();
				LearnedIdleTimeouts lessons = context.getBean(LearnedIdleTimeouts.class);
				// the server counts its GOAWAY when it sends it; the client learns when it reads it
				await().atMost(TIMEOUT).until(() -> !lessons.of("h2c").isEmpty());
				Map<SocketAddress, Long> learned = lessons.of("h2c");
				assertThat(learned.values()).as("idle timeout learned of the GOAWAY, ms")
					.singleElement()
					.satisfies((millis) -> assertThat(millis).isBetween(idleTimeout - 50, idleTimeout + 1000));
				post(client);
				long answered = System.currentTimeMillis();
				assertThat(idling.connections()).isEqualTo(2);
				// half of what was learned: idle for the whole of it, the second connection is retired
				await().atMost(TIMEOUT).until(() -> System.currentTimeMillis() - answered > learned.values().iterator().next());
				post(client);
				assertThat(idling.connections()).as("connections: the idle second one was not reused").isEqualTo(3);
				assertThat(idling.executed()).isEqualTo(3);
			});
		}
	}

	/**
	 * A server that ends every connection after as many streams (nginx's keepalive_requests)
	 * refuses the stream past them. Each POST here starts once the server holds the one before,
	 * still unanswered: after two connections ended at the same count, Steady knows the limit,
	 * and a connection that has opened that many streams takes no new one while they are open,
	 * so no further stream is refused. Every POST succeeds, the refused ones on a retry.
	 */
	@Test
	void streamsPerConnectionTaughtByTwoGoAwaysAreNotExceeded() {
		int limit = MisbehavingH2cServer.STREAMS_PER_CONNECTION;
		try (MisbehavingH2cServer limited = new MisbehavingH2cServer(MisbehavingH2cServer.Misbehaviour.STREAM_LIMIT)) {
			this.contextRunner.withPropertyValues("steady.clients.h2c.base-url=" + limited.url()).run((context) -> {
				WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
				int posts = 4 * limit;
				List<Mono<String>> answers = new ArrayList<>();
				for (int i = 0; i < posts; i++) {
					Mono<String> answer = client.post().bodyValue("order").retrieve().bodyToMono(String.class).cache();
					answer.subscribe((body) -> { }, (failure) -> { });
					answers.add(answer);
					int received = i + 1;
					await().atMost(TIMEOUT).until(() -> limited.received() == received);
				}
				assertThat(Flux.concat(answers).collectList().block(TIMEOUT)).hasSize(posts).containsOnly("ok");
				assertThat(limited.executed()).isEqualTo(posts);
				assertThat(limited.refused()).as("streams refused: one per connection until the limit is known")
					.isEqualTo(2);
				assertThat(limited.connections()).isEqualTo(4);
			});
		}
	}

	/**
	 * A peer that stops answering is found by PING within ping-ack-timeout times the threshold
	 * once the first PING is sent, long before the response timeout: the connection is closed
	 * with a warning that says why, its stream fails, and the next request goes to a new
	 * connection.
	 */
	@Test
	void connectionWhosePeerStopsAnsweringPingsIsClosedSayingWhy(CapturedOutput output) {
		try (MisbehavingH2cServer silent = new MisbehavingH2cServer(MisbehavingH2cServer.Misbehaviour.SILENT)) {
			this.contextRunner
				.withPropertyValues("steady.clients.h2c.base-url=" + silent.url(),
						"steady.clients.h2c.response-timeout=60s", "steady.clients.h2c.http2.ping-interval=200ms",
						"steady.clients.h2c.http2.ping-ack-timeout=300ms", "steady.clients.h2c.http2.ping-ack-drop-threshold=2")
				.run((context) -> {
					WebClient client = context.getBean(SteadyClients.class).webClient("h2c");
					long start = System.nanoTime();
					assertThatException().isThrownBy(() -> post(client))
						.withMessageContaining("Connection prematurely closed BEFORE response");
					assertThat(output).contains("its peer answered none of 2 PINGs in a row within 300 ms each");
					// found at about 200 + 2 x 300 ms; the bound leaves room for a slow machine, not for the 60 s timeout
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
					assertThat(silent.refused()).as("streams left unanswered").isEqualTo(1);
					post(client);
					assertThat(silent.connections()).as("connections: the next POST took a new one").isEqualTo(2);
				});
		}
	}

	private static void post(WebClient client) {
		assertThat(client.post().bodyValue("order").retrieve().bodyToMono(String.class).block(TIMEOUT)).isEqualTo("ok");
	}

	@Test
	void bareH2cClientLosesThePostTheServerRefused() {
		WebClient bare = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create().protocol(HttpProtocol.H2C)))
			.build();
		assertThatException()
			.isThrownBy(() -> bare.post().uri(this.server.url()).bodyValue("order").retrieve().bodyToMono(String.class)
				.block(TIMEOUT));
		assertThat(this.server.refused()).isEqualTo(1);
		assertThat(this.server.executed()).isZero();
	}

}
