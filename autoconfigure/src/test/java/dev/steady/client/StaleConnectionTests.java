package dev.steady.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that silently forgets keep-alive connections idle for more than 300 ms, hit by
 * 10 bursts of 200 GETs and 10 of 200 POSTs with 400 ms pauses: connections reused after a
 * pause are dead. A plain WebClient fails on them; a Steady client that evicts connections
 * idle for 150 ms never reuses one.
 */
class StaleConnectionTests {

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 200;

	private static final Duration PAUSE = Duration.ofMillis(400);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients());

	private final MisbehavingServer server = MisbehavingServer.builder().dropIdleAfter(Duration.ofMillis(300)).start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void plainWebClientFailsOnConnectionsTheServerForgot() {
		List<Throwable> failures = runBursts(WebClient.create());
		System.out.printf("plain WebClient.create(): %d of %d requests failed, %d dropped by the server%n",
				failures.size(), 2 * BURSTS * BURST_SIZE, this.server.droppedRequests());
		assertThat(failures).isNotEmpty();
		assertThat(this.server.droppedRequests()).isPositive();
	}

	@Test
	void steadyClientEvictingBeforeTheServerForgetsNeverFails() {
		this.contextRunner.withPropertyValues("steady.client.pool.max-idle-time=150ms", System.getProperty("extra", "a=b")).run((context) -> {
			List<Throwable> failures = runBursts(context.getBean(WebClient.Builder.class).build());
			System.out.printf("Steady client (max-idle-time=150ms): %d of %d requests failed, %d dropped%n",
					failures.size(), 2 * BURSTS * BURST_SIZE, this.server.droppedRequests());
			assertThat(failures).isEmpty();
			assertThat(this.server.droppedRequests()).isZero();
			assertThat(this.server.executedRequests()).isEqualTo(2 * BURSTS * BURST_SIZE);
		});
	}

	private List<Throwable> runBursts(WebClient client) {
		List<Throwable> failures = new ArrayList<>();
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
			for (int burst = 0; burst < BURSTS; burst++) {
				failures.addAll(Burst.fire(client, method, this.server.url() + "/work", BURST_SIZE));
				// the pause is the scenario: long enough for the server to forget every connection
				Mono.delay(PAUSE).block();
			}
		}
		return failures;
	}

}
