package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.steady.autoconfigure.actuate.SteadyEndpoint;
import dev.steady.client.SteadyClients;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.PoolHealth;
import dev.steady.testserver.RestBurst;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A {@code RestClient} HTTP service group (Spring Boot's default group type) is a Steady
 * client named after the group, in a reactive application and in a Spring MVC application on
 * Tomcat: its own pool sized by {@code steady.clients.<group>.*}, shown in health and the
 * endpoint under the group's name, with the group's safe retry. Against real servers that
 * answer after 300 ms, or silently drop requests on connections idle for 300 ms.
 */
class RestClientServiceGroupTests {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private static final int CALLS = 30;

	private static final int BURSTS = 5;

	private static final int BURST = 100;

	private final MisbehavingServer slow = MisbehavingServer.builder().respondAfter(Duration.ofMillis(300)).start();

	private final MisbehavingServer forgetful = MisbehavingServer.builder()
		.dropIdleAfter(Duration.ofMillis(300))
		.start();

	private final RestBurst bursts = new RestBurst();

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(SteadyAutoConfigurations.restClientAndServiceGroups())
		.withUserConfiguration(LegacyGroup.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner(
			AnnotationConfigServletWebServerApplicationContext::new)
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(SteadyAutoConfigurations.restClientAndServiceGroups())
		.withConfiguration(AutoConfigurations.of(TomcatServletWebServerAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class))
		.withUserConfiguration(LegacyController.class)
		.withPropertyValues("server.port=0");

	@AfterEach
	void stop() {
		this.bursts.close();
		this.slow.close();
		this.forgetful.close();
	}

	@Test
	void reactiveAppGroupCallsRunOnTheGroupsOwnPool() {
		this.reactive.withPropertyValues(groupOfThree(this.slow)).run((context) -> {
			LegacyApi legacy = context.getBean(LegacyApi.class);
			groupOfThreeIsBusy(context, "Reactive", (id) -> legacy.item(id));
		});
	}

	@Test
	void servletAppGroupCallsRunOnTheGroupsOwnPool() {
		this.servlet.withPropertyValues(groupOfThree(this.slow)).run((context) -> {
			int port = ((ServletWebServerApplicationContext) context.getSourceApplicationContext()).getWebServer()
				.getPort();
			// callers reach the MVC application over HTTP, without Steady, and its controller calls the group
			RestClient caller = RestClient.builder()
				.requestFactory(new JdkClientHttpRequestFactory())
				.baseUrl("http://127.0.0.1:" + port)
				.build();
			groupOfThreeIsBusy(context, "Servlet",
					(id) -> caller.get().uri("/legacy").header(MisbehavingServer.REQUEST_ID, id).retrieve().body(String.class));
		});
	}

	@Test
	void bootsGroupReadTimeoutIsHonoured() {
		this.servlet.withPropertyValues(legacyAt(this.slow))
			.withPropertyValues("spring.http.serviceclient.legacy.read-timeout=100ms")
			.run((context) -> assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> context.getBean(LegacyApi.class).item("timed"))
				.withRootCauseInstanceOf(ReadTimeoutException.class));
	}

	@Test
	void reactiveAppPostsToAForgetfulServerNeverHangNorRunTwice() {
		this.reactive.withPropertyValues(legacyAt(this.forgetful)).run((context) -> postBursts(context, "Reactive"));
	}

	@Test
	void servletAppPostsToAForgetfulServerNeverHangNorRunTwice() {
		this.servlet.withPropertyValues(legacyAt(this.forgetful)).run((context) -> postBursts(context, "Servlet"));
	}

	@Test
	void getsThatFailOnAStaleConnectionAreRetried() {
		this.reactive.withPropertyValues(legacyAt(this.forgetful)).withPropertyValues(reusingStaleConnections())
			.run((context) -> {
				LegacyApi legacy = context.getBean(LegacyApi.class);
				List<RestBurst.Outcome> outcomes = bursts(context, "get", (id) -> legacy.item(id));
				System.out.printf("RestClient group, GETs to a server dropping connections idle 300 ms: %s, "
						+ "dropped %d%n", outcomes, this.forgetful.droppedRequests());
				// every dropped attempt failed on a stale connection; a retry can land on a second one, rarely
				assertThat(this.forgetful.droppedRequests()).isPositive();
				assertThat(failed(outcomes)).isLessThan(this.forgetful.droppedRequests() / 4);
				Retry retry = context.getBean(RetryRegistry.class).retry("steady-legacy");
				assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
				assertThat(context.getBean(MeterRegistry.class)
					.get("steady.client.failures")
					.tags("client", "legacy", "cause", "stale-connection")
					.counter()
					.count()).isPositive();
			});
	}

	@Test
	void postsThatFailOnAStaleConnectionAreRetriedOnlyWithAnIdempotencyKey() {
		this.reactive.withPropertyValues(legacyAt(this.forgetful)).withPropertyValues(reusingStaleConnections())
			.run((context) -> {
				LegacyApi legacy = context.getBean(LegacyApi.class);
				List<RestBurst.Outcome> keyed = bursts(context, "keyed",
						(id) -> legacy.orderWithKey(id, id, "order " + id));
				int keyedFailed = failed(keyed);
				int droppedKeyed = this.forgetful.droppedRequests();
				System.out.printf("RestClient group, POSTs with a key to a forgetful server: %s, dropped %d%n", keyed,
						droppedKeyed);
				assertThat(this.forgetful.maxExecutionsOfOneRequest()).isEqualTo(1);
				assertThat(this.forgetful.executedRequests()).isEqualTo(BURSTS * BURST - keyedFailed);
				assertThat(droppedKeyed).isPositive();
				assertThat(keyedFailed).isLessThan(droppedKeyed / 4);
				Retry retry = context.getBean(RetryRegistry.class).retry("steady-legacy");
				assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isPositive();
				Thread.sleep(500); // as between bursts: the first plain burst meets connections the server forgot
				List<RestBurst.Outcome> plain = bursts(context, "plain", (id) -> legacy.order(id, "order " + id));
				System.out.printf("RestClient group, POSTs without a key to a forgetful server: %s%n", plain);
				// a plain POST is never retried: every attempt the server dropped is a failed call
				assertThat(failed(plain)).isEqualTo(this.forgetful.droppedRequests() - droppedKeyed);
				assertThat(this.forgetful.maxExecutionsOfOneRequest()).isEqualTo(1);
			});
	}

	private void groupOfThreeIsBusy(ApplicationContext context, String kind, Consumer<String> call) {
		Thread calls = new Thread(() -> {
			RestBurst.Outcome outcome = this.bursts.fire(CALLS, "busy-", CEILING, call);
			assertThat(outcome.succeeded()).isEqualTo(CALLS);
		});
		calls.start();
		await().atMost(CEILING).until(() -> Integer.valueOf(3).equals(legacyHost(context).get("acquired")));
		Map<String, Object> host = legacyHost(context);
		System.out.printf("%s application, legacy group pool during %d concurrent calls: %s%n", kind, CALLS,
				host);
		assertThat(host).containsEntry("maxConnections", 3);
		await().atMost(CEILING).until(() -> this.slow.executedRequests() == CALLS);
		assertThat(this.slow.maxOpenConnections()).isEqualTo(3);
		assertThat(PoolHealth.hosts(context, SteadyClients.DEFAULT_CLIENT)).isEmpty();
		SteadyClients clients = context.getBean(SteadyClients.class);
		assertThat(clients.names()).contains("legacy");
		assertThat(clients.connectionProvider("legacy").name()).isEqualTo("steady-legacy");
		assertThat(context.getBean(SteadyEndpoint.class).client("legacy").pool()).isEqualTo("steady-legacy");
		assertThat(context.getBean(RetryRegistry.class).getAllRetries()).extracting(Retry::getName)
			.contains("steady-legacy");
	}

	private void postBursts(ApplicationContext context, String kind) throws InterruptedException {
		LegacyApi legacy = context.getBean(LegacyApi.class);
		List<RestBurst.Outcome> outcomes = bursts(context, "post", (id) -> legacy.order(id, "order " + id));
		int failed = failed(outcomes);
		System.out.printf("%s application, %d x %d POSTs through a RestClient group to a server dropping "
				+ "connections idle 300 ms: %s; failed %d, executed %d, most executions of one request %d%n",
				kind, BURSTS, BURST, outcomes, failed, this.forgetful.executedRequests(),
				this.forgetful.maxExecutionsOfOneRequest());
		assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome.stillBlocked()).isZero());
		assertThat(this.forgetful.maxExecutionsOfOneRequest()).isLessThanOrEqualTo(1);
		assertThat(failed).isLessThanOrEqualTo(BURST);
	}

	private List<RestBurst.Outcome> bursts(ApplicationContext context, String name, Consumer<String> call)
			throws InterruptedException {
		List<RestBurst.Outcome> outcomes = new ArrayList<>();
		for (int burst = 0; burst < BURSTS; burst++) {
			if (burst > 0) {
				Thread.sleep(500); // the pause the scenario is about: longer than the server keeps idle connections
			}
			outcomes.add(this.bursts.fire(BURST, name + burst + "-", CEILING, call));
		}
		return outcomes;
	}

	private static int failed(List<RestBurst.Outcome> outcomes) {
		return outcomes.stream().mapToInt((outcome) -> outcome.failures().size()).sum();
	}

	private Map<String, Object> legacyHost(ApplicationContext context) {
		return PoolHealth.host(context, "legacy", this.slow.port());
	}

	private static String[] groupOfThree(MisbehavingServer server) {
		return new String[] { "spring.http.serviceclient.legacy.base-url=" + server.url(),
				"steady.clients.legacy.pool.max-connections=3", "management.endpoints.web.exposure.include=health,steady" };
	}

	private static String[] legacyAt(MisbehavingServer server) {
		return new String[] { "spring.http.serviceclient.legacy.base-url=" + server.url() };
	}

	/** A pool that keeps and reuses connections the server has forgotten, so attempts fail stale. */
	private static String[] reusingStaleConnections() {
		return new String[] { "steady.clients.legacy.pool.max-idle-time=30s",
				"steady.clients.legacy.pool.reuse-proven-idle-only=false",
				"steady.clients.legacy.pool.unproven-reuse-max-idle=30s",
				"steady.clients.legacy.pool.learn-idle-timeout=false" };
	}

	interface LegacyApi {

		@GetExchange("/item")
		String item(@RequestHeader(MisbehavingServer.REQUEST_ID) String id);

		@PostExchange("/orders")
		String order(@RequestHeader(MisbehavingServer.REQUEST_ID) String id,
				@org.springframework.web.bind.annotation.RequestBody String order);

		@PostExchange("/orders")
		String orderWithKey(@RequestHeader(MisbehavingServer.REQUEST_ID) String id,
				@RequestHeader("Idempotency-Key") String key,
				@org.springframework.web.bind.annotation.RequestBody String order);

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "legacy", types = LegacyApi.class)
	static class LegacyGroup {

	}

	@RestController
	@Import(LegacyGroup.class)
	static class LegacyController {

		private final LegacyApi legacy;

		LegacyController(LegacyApi legacy) {
			this.legacy = legacy;
		}

		@GetMapping("/legacy")
		String legacy(@RequestHeader(MisbehavingServer.REQUEST_ID) String id) {
			return this.legacy.item(id);
		}

	}

}
