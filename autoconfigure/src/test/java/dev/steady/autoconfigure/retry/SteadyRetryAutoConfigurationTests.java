package dev.steady.autoconfigure.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.steady.client.SteadyClients;
import dev.steady.client.SteadyRequestOptions;
import dev.steady.client.internal.PoolExhaustionHintFilter;
import dev.steady.client.internal.SteadyClientFilter;
import dev.steady.retry.internal.Resilience4jRetryReport;
import dev.steady.retry.internal.SafeRetryFilter;
import dev.steady.retry.internal.SafeRetryFilterFactory;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.springboot.retry.autoconfigure.RetryAutoConfiguration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

class SteadyRetryAutoConfigurationTests {

	/** How long the forgetful servers keep an idle connection; warm-up requests on a busy machine stay within it. */
	private static final Duration SERVER_IDLE_LIMIT = Duration.ofMillis(500);

	/** Longer than the server keeps an idle connection, but within the client's idle limit. */
	private static final Duration STALE_PAUSE = SERVER_IDLE_LIMIT.plusMillis(200);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients());

	/** With resilience4j-spring-boot4 and an instance configuration it waits a second before each retry. */
	private final ApplicationContextRunner withResilience4jInstance = this.contextRunner
		.withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
		.withPropertyValues("resilience4j.retry.instances.steady-default.max-attempts=3",
				"resilience4j.retry.instances.steady-default.wait-duration=1s", "steady.client.pool.max-idle-time=30s",
				"steady.client.pool.learn-idle-timeout=false");

	@Test
	void everyClientGetsARetryInstanceNamedAfterIt() {
		this.contextRunner.withPropertyValues("steady.clients.inventory.base-url=http://localhost").run((context) -> {
			assertThat(context).hasSingleBean(SafeRetryFilterFactory.class).hasSingleBean(RetryRegistry.class);
			context.getBean(WebClient.Builder.class).build();
			RetryRegistry registry = context.getBean(RetryRegistry.class);
			assertThat(registry.getAllRetries()).extracting(Retry::getName)
				.contains("steady-default", "steady-inventory");
			assertThat(registry.retry("steady-default").getRetryConfig().getMaxAttempts()).isEqualTo(2);
			assertThat(new Resilience4jRetryReport(registry).of("default"))
				.containsEntry("attemptsAndWaitsFrom", "retry settings of the client");
		});
	}

	@Test
	void retrySettingsBindWithNamedClientInheritance() {
		this.contextRunner
			.withPropertyValues("steady.client.retry.max-attempts=3", "steady.clients.inventory.base-url=http://a",
					"steady.clients.payments.base-url=http://b", "steady.clients.payments.retry.max-attempts=4",
					"steady.clients.quiet.base-url=http://c", "steady.clients.quiet.retry.enabled=false")
			.run((context) -> {
				SteadyClients clients = context.getBean(SteadyClients.class);
				assertThat(clients.settings("inventory").settings().retry().maxAttempts()).isEqualTo(3);
				RetryRegistry registry = context.getBean(RetryRegistry.class);
				assertThat(registry.retry("steady-inventory").getRetryConfig().getMaxAttempts()).isEqualTo(3);
				assertThat(registry.retry("steady-payments").getRetryConfig().getMaxAttempts()).isEqualTo(4);
				assertThat(registry.getAllRetries()).extracting(Retry::getName).doesNotContain("steady-quiet");
			});
	}

	@Test
	void aClientWithRetryPassesOneSteadyFilterAndOneWithoutRetryTheHintFilter() {
		this.contextRunner
			.withPropertyValues("steady.clients.quiet.base-url=http://c", "steady.clients.quiet.retry.enabled=false")
			.run((context) -> {
				assertThat(steadyFilters(context.getBean(WebClient.Builder.class)))
					.singleElement()
					.isInstanceOf(SafeRetryFilter.class);
				assertThat(steadyFilters(context.getBean(SteadyClients.class).builder("quiet")))
					.singleElement()
					.isInstanceOf(PoolExhaustionHintFilter.class);
			});
	}

	private static List<ExchangeFilterFunction> steadyFilters(WebClient.Builder builder) {
		List<ExchangeFilterFunction> steady = new ArrayList<>();
		builder.filters((filters) -> filters.stream().filter(SteadyClientFilter.class::isInstance).forEach(steady::add));
		return steady;
	}

	@Test
	void aGetOnAResetConnectionIsRetriedByDefault() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.contextRunner.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(Burst.fire(client, HttpMethod.GET, server.url(), 1, "on", false)).isEmpty();
				assertThat(server.executionsOf("on0")).isEqualTo(2);
			});
		}
	}

	@Test
	void retryCanBeTurnedOff() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.contextRunner.withPropertyValues("steady.client.retry.enabled=false").run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(Burst.fire(client, HttpMethod.GET, server.url(), 1, "off", false)).hasSize(1);
				assertThat(server.executionsOf("off0")).isEqualTo(1);
			});
		}
	}

	@Test
	@SuppressWarnings("removal")
	void retryCanBeTurnedOffForOneRequest() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.contextRunner.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(send(client, SteadyRequestOptions.noRetry(), server, "options"))
					.isInstanceOf(WebClientRequestException.class);
				assertThat(server.executionsOf("options")).isEqualTo(1);
				assertThat(send(client, (attributes) -> attributes.put(SafeRetryFilter.NO_RETRY_ATTRIBUTE, true), server,
						"attribute"))
					.as("the deprecated attribute").isInstanceOf(WebClientRequestException.class);
				assertThat(server.executionsOf("attribute")).isEqualTo(1);
				assertThat(send(client, (attributes) -> { }, server, "retried")).isNull();
				assertThat(server.executionsOf("retried")).isEqualTo(2);
			});
		}
	}

	@Test
	void resilience4jSpringBootRegistryAndInstanceSettingsAreUsed() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.contextRunner.withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class))
				.withPropertyValues("resilience4j.retry.instances.steady-default.max-attempts=3")
				.run((context) -> {
					assertThat(context).hasSingleBean(RetryRegistry.class).doesNotHaveBean("steadyRetryRegistry");
					WebClient client = context.getBean(WebClient.Builder.class).build();
					assertThat(retry(context).getRetryConfig().getMaxAttempts()).isEqualTo(3);
					assertThat(new Resilience4jRetryReport(context.getBean(RetryRegistry.class)).of("default"))
						.containsEntry("attemptsAndWaitsFrom", "resilience4j.retry.instances.steady-default")
						.containsKey("why");
					assertThat(Burst.fire(client, HttpMethod.GET, server.url(), 1, "r4j", false)).isEmpty();
					assertThat(server.executionsOf("r4j0")).isEqualTo(2);
				});
		}
	}

	@Test
	void aFailureSteadyDoesNotRetryIsReturnedBeforeOneWaitOfTheResilience4jInstanceWhileARetryWaits() {
		// announces 30 s and forgets after the limit: its hint lets the POST reuse a stale connection
		try (MisbehavingServer server = MisbehavingServer.builder()
			.keepAliveHint(30)
			.dropIdleAfter(SERVER_IDLE_LIMIT)
			.start()) {
			// a wait long enough that a busy machine's delays cannot pass for it
			this.withResilience4jInstance
				.withPropertyValues("resilience4j.retry.instances.steady-default.wait-duration=5s")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					TimedRequest post = afterTheServerForgotTheConnection(client, server, HttpMethod.POST, "post");
					assertThat(post.failures()).singleElement(InstanceOfAssertFactories.THROWABLE)
						.isInstanceOf(WebClientRequestException.class)
						.hasMessageContaining("BEFORE response");
					assertThat(post.elapsed()).as("time to the caller of the POST, against one wait of the instance")
						.isLessThan(Duration.ofSeconds(5));
					assertThat(server.executionsOf("post0")).isZero();
					TimedRequest get = afterTheServerForgotTheConnection(client, server, HttpMethod.GET, "get");
					assertThat(get.failures()).isEmpty();
					assertThat(get.elapsed()).as("time to the caller of the GET")
						.isGreaterThanOrEqualTo(Duration.ofSeconds(5));
					assertThat(server.executionsOf("get0")).isOne();
					Retry.Metrics metrics = retry(context).getMetrics();
					assertThat(metrics.getNumberOfFailedCallsWithoutRetryAttempt()).isOne();
					assertThat(metrics.getNumberOfSuccessfulCallsWithRetryAttempt()).isOne();
				});
		}
	}

	@Test
	void resilience4jCountsEveryCallTruthfully() {
		try (MisbehavingServer forgetful = MisbehavingServer.builder()
			.keepAliveHint(30)
			.dropIdleAfter(SERVER_IDLE_LIMIT)
			.start(); MisbehavingServer down = MisbehavingServer.builder().resetEverything().start()) {
			// not learning the server's idle timeout, so that the second scenario meets a stale connection too;
			// the server's hint, which it does not keep, lets the POST reuse it
			this.contextRunner
				.withPropertyValues("steady.client.pool.max-idle-time=30s", "steady.client.pool.learn-idle-timeout=false")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					assertThat(afterTheServerForgotTheConnection(client, forgetful, HttpMethod.GET, "get").failures())
						.isEmpty();
					assertThat(afterTheServerForgotTheConnection(client, forgetful, HttpMethod.POST, "post").failures())
						.hasSize(1);
					assertThat(Burst.fire(client, HttpMethod.GET, down.url(), 1)).hasSize(1);
					Retry.Metrics metrics = retry(context).getMetrics();
					// the two warm-up requests of each stale scenario succeeded at once
					assertThat(metrics.getNumberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(4);
					assertThat(metrics.getNumberOfSuccessfulCallsWithRetryAttempt()).isOne();
					assertThat(metrics.getNumberOfFailedCallsWithoutRetryAttempt()).isOne();
					assertThat(metrics.getNumberOfFailedCallsWithRetryAttempt()).isOne();
				});
		}
	}

	@Test
	void resilience4jExceptionFiltersRefuseARetrySteadyWouldMake() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.withResilience4jInstance
				.withPropertyValues("resilience4j.retry.instances.steady-default.ignore-exceptions[0]="
						+ "org.springframework.web.reactive.function.client.WebClientRequestException",
						"resilience4j.retry.instances.steady-default.ignore-exceptions[1]=java.io.IOException")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					assertThat(Burst.fire(client, HttpMethod.GET, server.url(), 1, "ignored", false)).hasSize(1);
					assertThat(server.executionsOf("ignored0")).as("executions of a GET Steady would retry").isOne();
				});
		}
	}

	@Test
	void resilience4jExceptionFiltersCannotResendARequestSteadyRefuses() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.withResilience4jInstance
				.withPropertyValues("resilience4j.retry.instances.steady-default.retry-exceptions[0]=java.lang.Throwable")
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					assertThat(Burst.fire(client, HttpMethod.POST, server.url(), 1, "post", false)).hasSize(1);
					assertThat(server.executionsOf("post0")).as("executions of a POST without a key").isOne();
				});
		}
	}

	@Test
	void failuresAreCountedByCauseAndRetriesByOutcome() {
		try (MisbehavingServer server = MisbehavingServer.builder().resetAfterFirstExecution().start()) {
			this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				assertThat(Burst.fire(client, HttpMethod.GET, server.url(), 1, "get", false)).isEmpty();
				assertThat(Burst.fire(client, HttpMethod.POST, server.url(), 1, "post", false)).hasSize(1);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("steady.client.failures")
					.tags("client", "default", "cause", "stale-connection")
					.counter()
					.count()).isEqualTo(2);
				assertThat(retries(meters, "retried")).isOne();
				assertThat(retries(meters, "succeeded-after-retry")).isOne();
				assertThat(retries(meters, "not-retryable")).isOne();
			});
		}
	}

	private static double retries(MeterRegistry meters, String outcome) {
		return meters.get("steady.client.retries").tags("client", "default", "outcome", outcome).counter().count();
	}

	@Test
	void withoutResilience4jSpringBootSteadyKeepsItsOwnRegistryAndMetrics() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RetryAutoConfiguration.class.getPackageName()))
			.run((context) -> assertThat(context).hasBean("steadyRetryRegistry")
				.hasSingleBean(RetryMetricsOnFirstUse.class));
	}

	@Test
	void withoutResilience4jNothingIsAdded() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Retry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(SafeRetryFilterFactory.class)
				.hasSingleBean(SteadyClients.class));
	}

	@ParameterizedTest
	@CsvSource({ "steady.client.retry.max-attempts=0, max-attempts",
			"'steady.client.retry.statuses=503,700', statuses", "steady.client.retry.budget.ratio=-1, budget.ratio",
			"steady.clients.x.retry.backoff.multiplier=0.5, steady.clients.x.retry.backoff.multiplier" })
	void badRetryValuesFailNamingTheProperty(String property, String named) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining(named);
		});
	}

	/**
	 * Open a connection with a GET and a POST, let the server forget it, then send one timed
	 * request on it.
	 */
	private static TimedRequest afterTheServerForgotTheConnection(WebClient client, MisbehavingServer server,
			HttpMethod method, String id) {
		assertThat(Burst.fire(client, HttpMethod.GET, server.url(), 1)).as("warm-up GET").isEmpty();
		assertThat(Burst.fire(client, HttpMethod.POST, server.url(), 1)).as("warm-up POST").isEmpty();
		// the pause is the scenario: longer than the server keeps an idle connection
		Mono.delay(STALE_PAUSE).block();
		long start = System.nanoTime();
		List<Throwable> failures = Burst.fire(client, method, server.url(), 1, id, false);
		return new TimedRequest(failures, Duration.ofNanos(System.nanoTime() - start));
	}

	private static @Nullable Throwable send(WebClient client, Consumer<Map<String, Object>> attributes,
			MisbehavingServer server, String id) {
		return client.get()
			.uri(server.url())
			.attributes(attributes)
			.header(MisbehavingServer.REQUEST_ID, id)
			.retrieve()
			.toBodilessEntity()
			.then(Mono.<Throwable>empty())
			.onErrorResume(Mono::just)
			.block(Duration.ofSeconds(20));
	}

	private static Retry retry(AssertableApplicationContext context) {
		return context.getBean(RetryRegistry.class).retry("steady-default");
	}

	private record TimedRequest(List<Throwable> failures, Duration elapsed) {
	}

}
