package dev.steady.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.client.SteadyClients;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.AvailableTag;
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint.MetricDescriptor;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reactor Netty's pool gauges for Steady's pools, in the application's registry and tagged
 * by client, as {@code /actuator/metrics} shows them; gone when a host's pool goes away.
 */
class PoolMetricsTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private static final String ACTIVE = "reactor.netty.connection.provider.active.connections";

	/** Slow enough that three requests in flight are seen together. */
	private final MisbehavingServer server = MisbehavingServer.builder().respondAfter(Duration.ofSeconds(2)).start();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withPropertyValues("steady.clients.inventory.base-url=" + this.server.url(),
				"management.endpoints.web.exposure.include=metrics",
				// Micrometer's global registry hands every meter it holds to each registry added to it: Reactor
				// Netty's own pool meters of earlier tests' contexts (those with no actuator, where Steady has no
				// registrar) would show here
				"management.metrics.use-global-registry=false");

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void activeConnectionsOfSteadyPoolsAreTaggedByClient() {
		this.contextRunner.run((context) -> {
			WebClient inventory = context.getBean(SteadyClients.class).webClient("inventory");
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 2)).isEmpty();
			CompletableFuture<List<Throwable>> load = CompletableFuture
				.supplyAsync(() -> Burst.fire(inventory, HttpMethod.GET, "/items", 3));
			await().atMost(CEILING).until(() -> activeConnections(context, "client:inventory") == 3);
			MetricDescriptor all = context.getBean(MetricsEndpoint.class).metric(ACTIVE, null);
			assertThat(all).isNotNull();
			assertThat(all.getAvailableTags()).extracting(AvailableTag::getTag)
				.contains("client", "name", "remote.address", "id");
			assertThat(tagValues(all, "client")).containsExactlyInAnyOrder("default", "inventory");
			assertThat(tagValues(all, "name")).containsExactlyInAnyOrder("steady-default", "steady-inventory");
			assertThat(tagValues(all, "remote.address")).containsExactly("127.0.0.1:" + this.server.port());
			assertThat(load.get()).isEmpty();
			await().atMost(CEILING).until(() -> activeConnections(context, "client:inventory") == 0);
		});
	}

	@Test
	void poolOfAHostNotUsedForForgetAfterGoesAwayWithItsMeters() {
		this.contextRunner.withPropertyValues("steady.health.forget-after=1s", "steady.client.pool.max-idle-time=200ms")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 2)).isEmpty();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find(ACTIVE).tag("client", "default").gauges()).hasSize(1);
				await().atMost(CEILING).until(() -> registry.find(ACTIVE).tag("client", "default").gauges().isEmpty());
				assertThat(context.getBean(PoolStateRegistry.class).client("default").snapshots()).isEmpty();
				assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1)).isEmpty();
				assertThat(registry.find(ACTIVE).tag("client", "default").gauges()).hasSize(1);
			});
	}

	private static double activeConnections(AssertableApplicationContext context, String tag) {
		MetricDescriptor metric = context.getBean(MetricsEndpoint.class).metric(ACTIVE, List.of(tag));
		return (metric != null) ? metric.getMeasurements().get(0).getValue() : -1;
	}

	private static List<String> tagValues(MetricDescriptor metric, String tag) {
		return metric.getAvailableTags()
			.stream()
			.filter((available) -> available.getTag().equals(tag))
			.flatMap((available) -> available.getValues().stream())
			.toList();
	}

}
