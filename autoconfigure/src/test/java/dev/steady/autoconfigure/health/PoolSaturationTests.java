package dev.steady.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pool of 4 connections against a server that takes 300 ms per request: 50 concurrent
 * requests saturate it, and {@code /actuator/health/steady} says so while they run.
 */
class PoolSaturationTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withInitializer((context) -> new SaturatedStatusOrderEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), null))
		.withPropertyValues("steady.client.pool.max-connections=4", "steady.health.saturated-after=100ms");

	private final MisbehavingServer server = MisbehavingServer.builder().respondAfter(Duration.ofMillis(300)).start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void saturatedAnswersHttp200UnlessTheApplicationMapsIt() {
		this.contextRunner.run((context) -> assertThat(
				context.getBean(HttpCodeStatusMapper.class).getStatusCode(SteadyHealthContributor.SATURATED))
			.isEqualTo(200));
		this.contextRunner.withPropertyValues("management.endpoint.health.status.http-mapping.saturated=503")
			.run((context) -> assertThat(
					context.getBean(HttpCodeStatusMapper.class).getStatusCode(SteadyHealthContributor.SATURATED))
				.isEqualTo(503));
	}

	@Test
	void atMostMaxHostsRemoteHostsAreFollowedPerClient() {
		try (MisbehavingServer second = MisbehavingServer.builder().start();
				MisbehavingServer third = MisbehavingServer.builder().start()) {
			this.contextRunner.withPropertyValues("steady.health.max-hosts=2").run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				for (MisbehavingServer host : List.of(this.server, second, third)) {
					assertThat(Burst.fire(client, HttpMethod.GET, host.url(), 1)).isEmpty();
				}
				assertThat(context.getBean(PoolStateRegistry.class).client("default").snapshots())
					.as("remote hosts followed in health and the endpoint")
					.hasSize(2);
				assertThat(context.getBean(MeterRegistry.class)
					.find("reactor.netty.connection.provider.max.connections")
					.tag("client", "default")
					.gauges()).as("remote hosts with pool meters").hasSize(2);
			});
		}
	}

	@Test
	void fullPoolWithRequestsWaitingIsSaturatedWhileLoadedAndUpAfter() {
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			CompletableFuture<List<Throwable>> load = CompletableFuture
				.supplyAsync(() -> Burst.fire(client, HttpMethod.GET, this.server.url(), 50));
			Map<String, Object> pool = await().atMost(CEILING).until(() -> saturatedHostDetails(context, this.server),
					(details) -> details != null);
			assertThat(pool).containsEntry("maxConnections", 4).containsEntry("acquired", 4);
			assertThat((int) pool.get("pending")).isPositive();
			assertThat(load.get()).isEmpty();
			await().atMost(CEILING)
				.until(() -> status(context).equals(Status.UP) && hostDetails(context).get("acquired").equals(0));
			assertThat(hostDetails(context)).containsEntry("pending", 0);
			assertThat(this.server.executedRequests()).isEqualTo(50);
		});
	}

	@Test
	void acquireTimeoutsOnAFullPoolMakeItSaturatedAtOnce() {
		// the pool stays full for 2 s after the timeouts, long enough to be seen on a busy machine
		try (MisbehavingServer slow = MisbehavingServer.builder().respondAfter(Duration.ofSeconds(2)).start()) {
			this.contextRunner
				.withPropertyValues("steady.client.pool.max-connections=1",
						"steady.client.pool.pending-acquire-timeout=100ms", "steady.health.saturated-after=1h")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					CompletableFuture<List<Throwable>> load = CompletableFuture
						.supplyAsync(() -> Burst.fire(client, HttpMethod.GET, slow.url(), 3));
					Map<String, Object> pool = await().atMost(CEILING)
						.until(() -> saturatedHostDetails(context, slow), (details) -> details != null);
					assertThat((int) pool.get("acquireTimeoutsLastMinute")).isPositive();
					assertThat(load.get()).isNotEmpty();
				});
		}
	}

	private static Status status(AssertableApplicationContext context) {
		HealthDescriptor steady = context.getBean(HealthEndpoint.class).healthForPath("steady");
		return (steady != null) ? steady.getStatus() : Status.UNKNOWN;
	}

	private Map<String, Object> hostDetails(AssertableApplicationContext context) {
		return hostDetails((CompositeHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath("steady"),
				this.server);
	}

	/**
	 * The host's details from one read of health that says {@code SATURATED}, so status and
	 * details describe the same moment.
	 */
	private @Nullable Map<String, Object> saturatedHostDetails(AssertableApplicationContext context,
			MisbehavingServer upstream) {
		HealthDescriptor steady = context.getBean(HealthEndpoint.class).healthForPath("steady");
		if (steady == null || !steady.getStatus().equals(SteadyHealthContributor.SATURATED)) {
			return null;
		}
		return hostDetails((CompositeHealthDescriptor) steady, upstream);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> hostDetails(CompositeHealthDescriptor steady, MisbehavingServer upstream) {
		IndicatedHealthDescriptor client = (IndicatedHealthDescriptor) steady.getComponents().get("default");
		Map<String, Object> hosts = (Map<String, Object>) client.getDetails().get("hosts");
		return (Map<String, Object>) hosts.get("127.0.0.1:" + upstream.port());
	}

}
