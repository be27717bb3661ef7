package dev.steady.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.steady.autoconfigure.health.internal.MicrometerPoolMeters;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClientObserver;
import dev.steady.client.internal.HostStateEviction;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.steady.autoconfigure.StartupFailures.assertFailsNaming;
import static org.assertj.core.api.Assertions.assertThat;

class SteadyHealthAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator());

	@Test
	void steadyHealthContributorIsPresentByDefault() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=http://inventory").run((context) -> {
			assertThat(context).hasSingleBean(SteadyHealthContributor.class)
				.hasSingleBean(PoolStateRegistry.class)
				.hasSingleBean(MicrometerPoolMeters.class);
			assertThat(context.getBeanProvider(SteadyClientObserver.class).stream()).containsExactlyInAnyOrder(
					context.getBean(PoolStateRegistry.class), context.getBean(HostStateEviction.class));
			SteadyHealthContributor steady = context.getBean(SteadyHealthContributor.class);
			assertThat(steady.stream().map((entry) -> entry.name())).containsExactly("default", "inventory");
			assertThat(health(steady.getContributor("inventory")).block().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void steadyHealthContributorIsAbsentWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.steady.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SteadyHealthContributor.class)
				.hasSingleBean(PoolStateRegistry.class));
	}

	@Test
	void steadyHealthContributorIsAbsentWithoutActuatorButLeakDetectionStays() {
		new ApplicationContextRunner().withConfiguration(SteadyAutoConfigurations.withoutActuator())
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).doesNotHaveBean(SteadyHealthContributor.class)
				.hasSingleBean(PoolStateRegistry.class));
	}

	@Test
	void poolMetersNeedMicrometer() {
		new ApplicationContextRunner().withConfiguration(SteadyAutoConfigurations.withoutActuator())
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(MicrometerPoolMeters.class)
				.hasSingleBean(PoolStateRegistry.class));
	}

	@Test
	void applicationObserverAddsToThePoolStateRegistry() {
		try (MisbehavingServer server = MisbehavingServer.builder().start()) {
			RecordingObserver mine = new RecordingObserver();
			this.contextRunner.withBean(RecordingObserver.class, () -> mine).run((context) -> {
				assertThat(context).hasSingleBean(PoolStateRegistry.class).hasSingleBean(SteadyHealthContributor.class);
				context.getBean(WebClient.Builder.class)
					.build()
					.get()
					.uri(server.url())
					.retrieve()
					.toBodilessEntity()
					.block(Duration.ofSeconds(30));
				assertThat(mine.observedClients).contains("default");
				assertThat(mine.registeredPools).containsExactly("steady-default");
				assertThat(context.getBean(PoolStateRegistry.class).client("default").snapshots()).hasSize(1);
			});
		}
	}

	@Test
	void maxHostsBelowOneFails() {
		assertFailsNaming(this.contextRunner, "steady.health.max-hosts=0", "steady.health.max-hosts", "0");
	}

	@Test
	void forgetAfterBelowOneSecondFails() {
		assertFailsNaming(this.contextRunner, "steady.health.forget-after=500ms",
				"steady.health.forget-after", "PT0.5S");
	}

	@Test
	void acquireTimeoutsBelowOneFails() {
		assertFailsNaming(this.contextRunner, "steady.health.acquire-timeouts=0",
				"steady.health.acquire-timeouts", "0");
	}

	@Test
	void negativeSaturatedAfterFails() {
		assertFailsNaming(this.contextRunner, "steady.health.saturated-after=-1s",
				"steady.health.saturated-after", "PT-1S");
	}

	@Test
	void negativeLeakDetectionThresholdFails() {
		assertFailsNaming(this.contextRunner, "steady.clients.inventory.pool.leak-detection-threshold=-1s",
				"steady.clients.inventory.pool.leak-detection-threshold", "PT-1S");
	}

	private static Mono<Health> health(ReactiveHealthContributor contributor) {
		return ((ReactiveHealthIndicator) contributor).health();
	}

	/** An application's observer: records what it was shown. */
	static final class RecordingObserver implements SteadyClientObserver {

		private final List<String> observedClients = new CopyOnWriteArrayList<>();

		private final List<String> registeredPools = new CopyOnWriteArrayList<>();

		@Override
		public ConnectionProvider.MeterRegistrar poolRegistrar(ResolvedClient client) {
			return (poolName, id, address, metrics) -> this.registeredPools.add(poolName);
		}

		@Override
		public HttpClient observe(ResolvedClient client, HttpClient httpClient) {
			this.observedClients.add(client.name());
			return httpClient;
		}

	}

}
