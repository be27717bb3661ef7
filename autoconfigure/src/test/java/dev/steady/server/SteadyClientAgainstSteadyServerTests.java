package dev.steady.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.testserver.Burst;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Steady client against a Steady server that closes idle connections after 3 s and says
 * so in {@code Keep-Alive: timeout=3}: the client, with its default 4 s max-idle-time,
 * closes them after 2 s (the hint less the 1 s margin), before the server does. Retry is
 * off, so only eviction protects the requests.
 */
class SteadyClientAgainstSteadyServerTests {

	private final ReactiveWebApplicationContextRunner contextRunner = StartedServer.runner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withPropertyValues("steady.server.idle-timeout=3s", "steady.client.retry.enabled=false");

	@Test
	void burstsPacedJustBelowTheServersIdleTimeoutNeverFail() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			String url = "http://127.0.0.1:" + StartedServer.port(context) + "/";
			List<Integer> failures = new ArrayList<>();
			for (int burst = 0; burst < 20; burst++) {
				failures.add(Burst.fire(client, HttpMethod.POST, url, 100).size());
				// the pause is the scenario: just under the server's 3 s idle timeout
				Mono.delay(Duration.ofMillis(2900)).block();
			}
			System.out.printf("Steady client vs Steady server (idle-timeout 3s), 20 bursts of 100 POSTs 2.9 s apart: "
					+ "failures per burst %s%n", failures);
			assertThat(failures).containsOnly(0);
		});
	}

	@Test
	void theClientClosesIdleConnectionsAfterTheHintLessTheMargin() {
		this.contextRunner.withPropertyValues("steady.client.pool.eviction-interval=100ms").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			ConnectionLimiter server = context.getBean(ConnectionLimiter.class);
			assertThat(Burst.fire(client, HttpMethod.GET, "http://127.0.0.1:" + StartedServer.port(context) + "/", 20))
				.isEmpty();
			long start = System.nanoTime();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
			Duration closedAfter = Duration.ofNanos(System.nanoTime() - start);
			System.out.printf("idle connections closed by the client after %d ms (server would close at 3000 ms)%n",
					closedAfter.toMillis());
			// about 2 s after the last byte read; never as late as the server's own 3 s
			assertThat(closedAfter).isLessThan(Duration.ofMillis(2800));
		});
	}

}
