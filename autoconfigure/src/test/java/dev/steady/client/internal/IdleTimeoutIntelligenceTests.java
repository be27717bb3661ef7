package dev.steady.client.internal;

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
 * Per-host idle limits from Keep-Alive hints and from learning, and request-count
 * retirement, against real servers. Retry is off so that only eviction and the proven idle
 * times of requests that must not be sent twice protect requests.
 */
class IdleTimeoutIntelligenceTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withPropertyValues("steady.client.retry.enabled=false", "steady.client.pool.max-idle-time=30s");

	private static final int BURST_SIZE = 100;

	private static final int POSTS_PER_BURST = 20;

	private MisbehavingServer server;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void keepAliveHintAloneProtectsPosts() {
		this.server = MisbehavingServer.builder().keepAliveHint(1).dropIdleAfter(Duration.ofSeconds(1)).start();
		this.contextRunner.run((context) -> {
			List<Integer> failures = bursts(context.getBean(WebClient.Builder.class).build(), 4,
					Duration.ofMillis(1000));
			assertThat(failures).containsOnly(0);
			assertThat(this.server.droppedRequests()).isZero();
		});
	}

	@Test
	void keepAliveHintLetsPostsOfAClientWithoutRetryReuseConnectionsIdleBeyondTheUnprovenFloor() {
		this.server = MisbehavingServer.builder().keepAliveHint(3).dropIdleAfter(Duration.ofSeconds(3)).start();
		postBurstsAfterPauses();
		assertThat(this.server.acceptedConnections()).as("connections, at most one per request of a burst")
			.isLessThanOrEqualTo(POSTS_PER_BURST);
		assertThat(this.server.droppedRequests()).isZero();
	}

	@Test
	void withoutHintPostsOfAClientWithoutRetryTakeFreshConnectionsAfterPauses() {
		this.server = MisbehavingServer.builder().dropIdleAfter(Duration.ofSeconds(3)).start();
		postBurstsAfterPauses();
		assertThat(this.server.acceptedConnections()).isGreaterThan(POSTS_PER_BURST);
		assertThat(this.server.droppedRequests()).isZero();
	}

	/**
	 * Three bursts of POSTs, 300 ms apart, by a client without retry that reuses proven idle
	 * times only: after each pause, reuse needs more than the unproven floor.
	 */
	private void postBurstsAfterPauses() {
		this.contextRunner.withPropertyValues("steady.client.pool.reuse-proven-idle-only=true").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			for (int burst = 0; burst < 3; burst++) {
				if (burst > 0) {
					Mono.delay(Duration.ofMillis(300)).block();
				}
				assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), POSTS_PER_BURST)).isEmpty();
			}
		});
	}

	@Test
	void withoutHintsTheServerDropsReusedConnections() {
		this.server = MisbehavingServer.builder().keepAliveHint(1).dropIdleAfter(Duration.ofSeconds(1)).start();
		this.contextRunner
			.withPropertyValues("steady.client.pool.honor-keep-alive-hints=false",
					"steady.client.pool.learn-idle-timeout=false")
			.run((context) -> {
				List<Integer> failures = bursts(context.getBean(WebClient.Builder.class).build(), 3,
						Duration.ofMillis(1200));
				assertThat(failures.stream().mapToInt(Integer::intValue).sum()).isPositive();
			});
	}

	@Test
	void aSilentServerCostsTheBurstThatRevealsItAndNothingAfter() {
		this.server = MisbehavingServer.builder().dropIdleAfter(Duration.ofMillis(700)).start();
		this.contextRunner.run((context) -> {
			List<Integer> failures = bursts(context.getBean(WebClient.Builder.class).build(), 6,
					Duration.ofMillis(800));
			List<Integer> failing = failures.stream().filter((count) -> count > 0).toList();
			assertThat(failing).as("bursts with failures %s: the one that reveals the server", failures)
				.hasSizeLessThanOrEqualTo(1);
			if (!failing.isEmpty()) {
				int revealing = failures.indexOf(failing.get(0));
				assertThat(failures.subList(revealing + 1, failures.size())).containsOnly(0);
				assertThat(context.getBean(LearnedIdleTimeouts.class).of("default")).isNotEmpty();
				assertThat(context.getBean(LearnedIdleTimeouts.class)
					.provenOf("default")
					.values()
					.iterator()
					.next()
					.strict()).isTrue();
			}
			assertThat(failures.subList(3, 6)).containsOnly(0);
		});
	}

	@Test
	void connectionsAreRetiredAfterMaxRequests() {
		this.server = MisbehavingServer.builder().start();
		this.contextRunner.withPropertyValues("steady.client.pool.max-requests-per-connection=5").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			for (int i = 0; i < 10; i++) {
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 4)).isEmpty();
			}
			assertThat(this.server.maxRequestsOnOneConnection()).isBetween(2, 5);
		});
	}

	@Test
	void connectionCloseIsHonoured() {
		this.server = MisbehavingServer.builder().closeAfterEachResponse().start();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			for (int i = 0; i < 20; i++) {
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1)).isEmpty();
			}
			assertThat(this.server.acceptedConnections()).isEqualTo(20);
			assertThat(this.server.maxRequestsOnOneConnection()).isEqualTo(1);
		});
	}

	private List<Integer> bursts(WebClient client, int count, Duration pause) {
		List<Integer> failures = new ArrayList<>();
		for (int burst = 0; burst < count; burst++) {
			if (burst > 0) {
				// the pause is the scenario: how long the connections sit idle between bursts
				Mono.delay(pause).block();
			}
			failures.add(Burst.fire(client, HttpMethod.POST, this.server.url(), BURST_SIZE).size());
		}
		return failures;
	}

}
