package dev.steady.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.steady.autoconfigure.health.SteadyPoolStateAutoConfiguration;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.testserver.LiveInstances;
import dev.steady.testserver.ManyHostsServer;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that calls many distinct hosts once each, as a webhook sender does, at default
 * settings but for a short {@code steady.health.forget-after}: each host closes its idle
 * connection with a FIN, which teaches the client a lesson and a proof of that host and leaves
 * an idle-close burst, and each call takes a retry budget. Once the hosts' pools are forgotten,
 * all of that is gone from the heap, not just from Steady's maps.
 */
class HostStateForgottenWithPoolTests {

	private static final String CLIENT = "default";

	private static final Duration SERVER_IDLE_TIMEOUT = Duration.ofMillis(200);

	private static final String PROVEN_IDLE = "dev.steady.client.internal.ProvenIdle";

	private static final String LESSON = "dev.steady.client.internal.LearnedIdleTimeouts$Lesson";

	private static final String IDLE_CLOSE_BURST = "dev.steady.client.internal.IdleCloseBurst";

	private static final String RETRY_BUDGET = "dev.steady.retry.internal.RetryBudget";

	private static final String FRESH_FOR_SAFETY = "steady.client.connections.fresh.for.safety";

	private static final Duration CEILING = Duration.ofSeconds(10);

	private static final Set<String> PER_HOST_STATE = Set.of(PROVEN_IDLE, LESSON, IDLE_CLOSE_BURST, RETRY_BUDGET);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyPoolStateAutoConfiguration.class))
		.withPropertyValues("steady.health.forget-after=2s");

	@Test
	void stateOfHostsCalledOnceIsDroppedWithTheirPools() {
		int hosts = 200;
		try (ManyHostsServer server = ManyHostsServer.start(hosts, SERVER_IDLE_TIMEOUT)) {
			callOnceThenForget(server.urls());
			assertThat(server.executedRequests()).isEqualTo(hosts);
		}
	}

	@Test
	void stateOfAHostCalledByNameIsDroppedWithItsPool() {
		// the pool is keyed by the name, unresolved; what is learned, by the address it resolved to
		try (MisbehavingServer server = MisbehavingServer.builder().closeIdleAfter(SERVER_IDLE_TIMEOUT).start()) {
			callOnceThenForget(List.of("http://localhost:" + server.port()));
			assertThat(server.executedRequests()).isEqualTo(1);
		}
	}

	@Test
	void freshForSafetyMeterOfAForgottenHostIsRemoved() {
		try (MisbehavingServer server = MisbehavingServer.builder().closeIdleAfter(SERVER_IDLE_TIMEOUT).start()) {
			new ApplicationContextRunner().withConfiguration(SteadyAutoConfigurations.withActuator())
				.withPropertyValues("steady.health.forget-after=2s")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					assertThat(client.get().uri(server.url()).retrieve().bodyToMono(String.class).block(CEILING))
						.startsWith("ok");
					await().atMost(CEILING).until(() -> registry.find(FRESH_FOR_SAFETY).meters().size() == 1);
					await().atMost(Duration.ofSeconds(30)).until(() -> registry.find(FRESH_FOR_SAFETY).meters().isEmpty());
				});
		}
	}

	private void callOnceThenForget(List<String> urls) {
		int hosts = urls.size();
		Map<String, Long> before = LiveInstances.of(PER_HOST_STATE);
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			LearnedIdleTimeouts learned = context.getBean(LearnedIdleTimeouts.class);
			List<String> bodies = Flux.fromIterable(urls)
				.flatMap((url) -> client.get().uri(url).retrieve().bodyToMono(String.class), 20)
				.collectList()
				.block(Duration.ofSeconds(60));
			assertThat(bodies).hasSize(hosts);
			// each host closes its idle connection, which teaches a lesson and proves an idle time; the
			// first pools may be forgotten before the last hosts are called, so half of them is enough
			await().atMost(Duration.ofSeconds(30))
				.until(() -> learned.of(CLIENT).size() >= (hosts + 1) / 2
						&& learned.provenOf(CLIENT).size() >= (hosts + 1) / 2);
			Map<String, Long> live = LiveInstances.of(PER_HOST_STATE);
			System.out.println("Per-host state of " + hosts + " hosts called once: before " + before + ", live " + live);
			PER_HOST_STATE.forEach((name) -> assertThat(live.get(name) - before.get(name)).as("live %s", name)
				.isBetween((hosts + 3) / 4L, (long) hosts));
			// Reactor Netty disposes each pool 2 s after its last connection closed, and Steady forgets the host
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				Map<String, Long> forgotten = LiveInstances.of(PER_HOST_STATE);
				PER_HOST_STATE.forEach((name) -> assertThat(forgotten.get(name)).as("%s once forgotten", name)
					.isLessThanOrEqualTo(before.get(name)));
			});
			System.out.println("Per-host state once the pools are forgotten: " + LiveInstances.of(PER_HOST_STATE));
			assertThat(learned.of(CLIENT).size()).as("lessons").isZero();
			assertThat(learned.provenOf(CLIENT).size()).as("proofs").isZero();
		});
	}

}
