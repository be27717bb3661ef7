package dev.steady.client;

import java.time.Duration;
import java.time.Instant;

import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.PoolHealth;
import dev.steady.testserver.RestBurst;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No {@code RestClient} call through Steady blocks forever, whatever the server does with an
 * upload: stop reading it, close or reset the connection while it arrives. Spring Boot's
 * plain Reactor Netty request factory stays blocked on a stalled upload; Steady's fails the
 * call within its response timeout, closes the connection and leaks nothing.
 */
class RestClientNeverHangsTests {

	private static final int CALLS = 20;

	/** Far more than the socket buffers of both ends hold, so a server that reads nothing stalls it. */
	private static final int LARGE_BODY = 8 * 1024 * 1024;

	/** Ten times Steady's response timeout in these tests: how long Boot's callers are watched. */
	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final Duration CEILING = Duration.ofSeconds(60);

	private final RestBurst bursts = new RestBurst();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(SteadyAutoConfigurations.restClientAndServiceGroups())
		.withPropertyValues("steady.client.response-timeout=1s");

	@AfterEach
	void stop() {
		this.bursts.close();
	}

	@Test
	void bootsPlainRequestFactoryStaysBlockedOnAStalledUpload() {
		try (MisbehavingServer server = MisbehavingServer.builder().stallUploads().start()) {
			RestClient client = RestClient.builder()
				.requestFactory(ClientHttpRequestFactoryBuilder.reactor().build())
				.baseUrl(server.url())
				.build();
			RestBurst.Outcome outcome = this.bursts.fire(client, HttpMethod.POST, "/upload", CALLS, "boot-",
					LARGE_BODY, DEADLINE);
			System.out.printf("Boot's plain request factory, stalled upload: %s%n", outcome);
			assertThat(outcome.stillBlocked()).isEqualTo(CALLS);
		}
	}

	@Test
	void aStalledUploadFailsWithinTheResponseTimeoutAndItsConnectionIsClosed() {
		try (MisbehavingServer server = MisbehavingServer.builder().stallUploads().start()) {
			this.contextRunner.run((context) -> {
				RestClient client = context.getBean(RestClient.Builder.class).baseUrl(server.url()).build();
				Instant start = Instant.now();
				RestBurst.Outcome outcome = this.bursts.fire(client, HttpMethod.POST, "/upload", CALLS, "steady-",
						LARGE_BODY, CEILING);
				Duration took = Duration.between(start, Instant.now());
				System.out.printf("Steady, stalled upload: %s after %d ms%n", outcome, took.toMillis());
				assertThat(outcome.stillBlocked()).isZero();
				assertThat(outcome.failures()).hasSize(CALLS)
					.allSatisfy((failure) -> assertThat(failure).isInstanceOf(ResourceAccessException.class)
						.hasMessageContaining("response timeout")
						.hasRootCauseInstanceOf(ReadTimeoutException.class));
				assertThat(server.executedRequests()).isZero();
				await().atMost(CEILING)
					.until(() -> PoolHealth.holdsNoConnection(context, SteadyClients.DEFAULT_CLIENT, server.port()));
			});
		}
	}

	@Test
	void anUploadTheServerClosesFailsAtOnceWithoutRetry() {
		try (MisbehavingServer server = MisbehavingServer.builder().closeDuringUpload().start()) {
			uploadFailsAndLeavesNoConnection(server);
		}
	}

	@Test
	void anUploadTheServerResetsFailsAtOnceWithoutRetry() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetEverything().start()) {
			uploadFailsAndLeavesNoConnection(server);
		}
	}

	@Test
	void aCallOnAnEventLoopIsRefusedRatherThanParkingIt() {
		try (MisbehavingServer server = MisbehavingServer.builder().start()) {
			this.contextRunner.run((context) -> {
				RestClient client = context.getBean(RestClient.Builder.class).baseUrl(server.url()).build();
				Throwable failure = Mono.fromCallable(() -> client.get().uri("/item").retrieve().body(String.class))
					.subscribeOn(Schedulers.parallel())
					.<Throwable>then(Mono.empty())
					.onErrorResume(Mono::just)
					.block(CEILING);
				assertThat(failure).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("non-blocking thread");
				assertThat(client.get().uri("/item").retrieve().body(String.class)).startsWith("ok");
			});
		}
	}

	private void uploadFailsAndLeavesNoConnection(MisbehavingServer server) {
		this.contextRunner.run((context) -> {
			RestClient client = context.getBean(RestClient.Builder.class).baseUrl(server.url()).build();
			RestBurst.Outcome outcome = this.bursts.fire(client, HttpMethod.POST, "/upload", CALLS, "steady-",
					1024 * 1024, CEILING);
			System.out.printf("Steady, upload closed or reset by the server: %s%n", outcome);
			assertThat(outcome.stillBlocked()).isZero();
			assertThat(outcome.failures()).hasSize(CALLS)
				.allSatisfy((failure) -> assertThat(failure).isInstanceOf(ResourceAccessException.class));
			assertThat(server.acceptedConnections()).isEqualTo(CALLS);
			await().atMost(CEILING)
				.until(() -> PoolHealth.holdsNoConnection(context, SteadyClients.DEFAULT_CLIENT, server.port()));
		});
	}

}
