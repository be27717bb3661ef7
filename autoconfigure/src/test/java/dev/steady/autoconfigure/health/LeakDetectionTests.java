package dev.steady.autoconfigure.health;

import java.time.Duration;
import java.util.List;

import dev.steady.autoconfigure.health.internal.ClientPoolState;
import dev.steady.autoconfigure.health.internal.PoolSnapshot;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.client.SteadyRequestOptions;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request whose response body is never consumed holds its connection: Steady reports it
 * once, at WARN, with the method and URL but not the query string, counts it, and shows it
 * in the pool's state.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeakDetectionTests {

	private static final Duration CEILING = Duration.ofSeconds(30);

	private static final String WARNING = "Suspected connection leak in Steady client 'default'";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		// above how long a busy machine may take to deliver a response's headers: a lease awaiting
		// them counts towards the threshold, and one closed for it would fail the request itself
		.withPropertyValues("steady.client.pool.leak-detection-threshold=800ms");

	/** Bodies too large to arrive unread, so an unread one keeps its connection leased. */
	private final MisbehavingServer server = MisbehavingServer.builder().bodySize(4 * 1024 * 1024).start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void unconsumedBodyIsReportedOnceNamingTheUrlWithoutItsQuery(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			leakOne(client, this.server.url() + "/orders/42?token=secret");
			await().atMost(CEILING).until(() -> suspectedLeaks(context) == 1);
			await().atMost(CEILING).until(() -> output.getOut().contains(WARNING));
			assertThat(leakCounter(context)).isEqualTo(1);
			assertThat(output.getOut()).containsOnlyOnce(WARNING)
				.contains("GET " + this.server.url() + "/orders/42 has held its connection for more than 800ms")
				.doesNotContain("token=secret");
			assertThat(this.server.openConnections()).isEqualTo(1);
		});
	}

	@Test
	void consumedBodiesAreTimedAndNeverReported(CapturedOutput output) {
		// small bodies: reading 4 MB can itself take longer than the threshold on a busy machine
		try (MisbehavingServer smallBodies = MisbehavingServer.builder().start()) {
			// a threshold no consumed request reaches on a busy machine; a lease that did not end
			// when its body was consumed fails the wait for five lease durations instead
			this.contextRunner.withPropertyValues("steady.client.pool.leak-detection-threshold=5s")
				.run((context) -> consumeFiveBodies(context, smallBodies, output));
		}
	}

	private void consumeFiveBodies(AssertableApplicationContext context, MisbehavingServer smallBodies,
			CapturedOutput output) {
		WebClient client = context.getBean(WebClient.Builder.class).build();
		for (int i = 0; i < 5; i++) {
			client.get().uri(smallBodies.url() + "/fine").retrieve().toBodilessEntity().block(CEILING);
		}
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		await().atMost(CEILING)
			.until(() -> meters.get("steady.client.lease.duration").tag("client", "default").timer().count() == 5);
		assertThat(output.getOut()).doesNotContain(WARNING);
		assertThat(suspectedLeaks(context)).isZero();
	}

	@Test
	void leakDetectionCloseGivesTheConnectionBack(CapturedOutput output) {
		this.contextRunner.withPropertyValues("steady.client.pool.leak-detection-close=true").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			leakOne(client, this.server.url() + "/stuck");
			await().atMost(CEILING).until(() -> output.getOut().contains("the connection is closed now."));
			await().atMost(CEILING).until(() -> this.server.openConnections() == 0);
			assertThat(suspectedLeaks(context)).isZero();
			assertThat(leakCounter(context)).isEqualTo(1);
		});
	}

	@Test
	void zeroThresholdDisablesLeakDetection(CapturedOutput output) {
		// the client's short response timeout makes the fallback threshold (twice it) 600 ms: were 0
		// taken for "unset", the leak would be reported well within the window watched here; the
		// request's own response timeout keeps its unread connection open meanwhile
		this.contextRunner
			.withPropertyValues("steady.client.pool.leak-detection-threshold=0", "steady.client.response-timeout=300ms")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				ResponseEntity<Flux<String>> entity = client.get()
					.uri(this.server.url() + "/stuck")
					.httpRequest(SteadyRequestOptions.responseTimeout(Duration.ofMinutes(1)))
					.retrieve()
					.toEntityFlux(String.class)
					.block(CEILING);
				assertThat(entity).isNotNull();
				await().during(Duration.ofMillis(1500)).atMost(CEILING)
					.until(() -> suspectedLeaks(context) == 0 && this.server.openConnections() == 1);
				assertThat(output.getOut()).doesNotContain(WARNING);
				assertThat(context.getBean(MeterRegistry.class).find("steady.client.leases.leaked").counter()).isNull();
				assertThat(this.server.openConnections()).isEqualTo(1);
			});
	}

	/** The classic mistake: take the entity, never subscribe to its body. */
	private static void leakOne(WebClient client, String url) {
		ResponseEntity<Flux<String>> entity = client.get().uri(url).retrieve().toEntityFlux(String.class).block(CEILING);
		assertThat(entity).isNotNull();
	}

	private static int suspectedLeaks(AssertableApplicationContext context) {
		ClientPoolState state = context.getBean(PoolStateRegistry.class).client("default");
		List<PoolSnapshot> pools = (state != null) ? state.snapshots() : List.of();
		return pools.stream().mapToInt(PoolSnapshot::suspectedLeaks).sum();
	}

	private static double leakCounter(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class).get("steady.client.leases.leaked").tag("client", "default")
			.counter().count();
	}

}
