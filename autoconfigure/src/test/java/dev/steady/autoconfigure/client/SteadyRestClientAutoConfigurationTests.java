package dev.steady.autoconfigure.client;

import java.time.Duration;
import java.util.Map;

import dev.steady.client.ResolvedClient;
import dev.steady.client.SteadyClients;
import dev.steady.client.SteadyRequestOptions;
import dev.steady.client.internal.SteadyClientHttpRequestFactory;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.PoolHealth;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Boot's auto-configured {@code RestClient.Builder} runs on Steady's default client in
 * reactive and in servlet applications, as Boot's {@code WebClient.Builder} does, with
 * Boot's {@code spring.http.clients.*} settings honoured.
 */
class SteadyRestClientAutoConfigurationTests {

	private static final Duration CEILING = Duration.ofSeconds(30);

	private final MisbehavingServer server = MisbehavingServer.builder().start();

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(SteadyAutoConfigurations.restClientAndServiceGroups());

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(SteadyAutoConfigurations.restClientAndServiceGroups());

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void reactiveAppRestClientRunsOnTheDefaultClient() {
		this.reactive.run(this::restClientAndWebClientShareTheDefaultPool);
	}

	@Test
	void servletAppRestClientAndWebClientRunOnTheDefaultClient() {
		this.servlet.run(this::restClientAndWebClientShareTheDefaultPool);
	}

	@Test
	void reactiveAppHonoursBootsReadTimeout() {
		this.reactive.withPropertyValues("spring.http.clients.read-timeout=100ms").run(this::readTimeoutApplies);
	}

	@Test
	void servletAppHonoursBootsReadTimeout() {
		this.servlet.withPropertyValues("spring.http.clients.read-timeout=100ms").run(this::readTimeoutApplies);
	}

	@Test
	void steadysResponseTimeoutAppliesWhereBootSetsNone() {
		this.servlet.withPropertyValues("steady.client.response-timeout=100ms").run(this::readTimeoutApplies);
	}

	@Test
	void anotherHttpLibraryChosenForRestClientIsLeftAlone() {
		this.servlet.withPropertyValues("spring.http.clients.imperative.factory=jdk").run((context) -> {
			RestClient.Builder builder = context.getBean(RestClient.Builder.class);
			assertThat(ReflectionTestUtils.getField(builder, "requestFactory"))
				.isInstanceOf(JdkClientHttpRequestFactory.class);
		});
	}

	@Test
	void theRequestFactoryIsSteadys() {
		this.reactive.run((context) -> assertThat(
				ReflectionTestUtils.getField(context.getBean(RestClient.Builder.class), "requestFactory"))
			.isInstanceOf(SteadyClientHttpRequestFactory.class));
	}

	@Test
	void requestOptionsReachTheFiltersAndNoRetryTurnsRetryOffForOneRequest() throws InterruptedException {
		try (MisbehavingServer forgetful = MisbehavingServer.builder().dropIdleAfter(Duration.ofMillis(300)).start()) {
			this.reactive
				.withPropertyValues("steady.client.pool.max-idle-time=30s",
						"steady.client.pool.reuse-proven-idle-only=false",
						"steady.client.pool.unproven-reuse-max-idle=30s", "steady.client.pool.learn-idle-timeout=false")
				.run((context) -> {
					RestClient client = context.getBean(RestClient.Builder.class).baseUrl(forgetful.url()).build();
					assertThat(client.get().uri("/item").retrieve().body(String.class)).startsWith("ok");
					Thread.sleep(500); // longer than the server keeps the idle connection
					assertThatExceptionOfType(ResourceAccessException.class)
						.isThrownBy(() -> client.get()
							.uri("/item")
							.attributes(SteadyRequestOptions.noRetry())
							.retrieve()
							.body(String.class))
						.withMessageContaining("prematurely closed");
					assertThat(client.get().uri("/item").retrieve().body(String.class)).startsWith("ok");
					Thread.sleep(500);
					assertThat(client.get().uri("/item").retrieve().body(String.class)).startsWith("ok");
					assertThat(forgetful.droppedRequests()).isEqualTo(2);
				});
		}
	}

	@Test
	void aCallWaitsAtMostForEveryAttemptsTimeoutsAndTheWaitsBetweenThem() {
		this.reactive.withPropertyValues("steady.client.pool.pending-acquire-timeout=2s",
				"steady.client.connect-timeout=1s", "steady.client.response-timeout=3s",
				"steady.client.retry.max-attempts=3", "steady.client.retry.backoff.max=500ms",
				"steady.client.retry.max-retry-after=1s")
			.run((context) -> {
				ResolvedClient client = context.getBean(ResolvedClient.class);
				assertThat(SteadyClientHttpRequestFactory.callLimit(client.settings(), null))
					.isEqualTo(Duration.ofSeconds(6 * 3).plusMillis(1500 * 2));
				assertThat(SteadyClientHttpRequestFactory.callLimit(client.settings(), Duration.ofSeconds(10)))
					.isEqualTo(Duration.ofSeconds(13 * 3).plusMillis(1500 * 2));
			});
	}

	private void restClientAndWebClientShareTheDefaultPool(ApplicationContext context) {
		RestClient restClient = context.getBean(RestClient.Builder.class).baseUrl(this.server.url()).build();
		assertThat(restClient.get().uri("/item").retrieve().body(String.class)).startsWith("ok");
		Map<String, Object> host = PoolHealth.host(context, SteadyClients.DEFAULT_CLIENT, this.server.port());
		assertThat(host).containsEntry("acquired", 0).containsEntry("idle", 1);
		WebClient webClient = context.getBean(WebClient.Builder.class).baseUrl(this.server.url()).build();
		assertThat(webClient.get().uri("/item").retrieve().bodyToMono(String.class).block(CEILING)).startsWith("ok");
		assertThat(this.server.acceptedConnections()).isEqualTo(1);
		assertThat(this.server.executedRequests()).isEqualTo(2);
	}

	private void readTimeoutApplies(ApplicationContext context) {
		try (MisbehavingServer slowServer = MisbehavingServer.builder().respondAfter(Duration.ofSeconds(5)).start()) {
			RestClient restClient = context.getBean(RestClient.Builder.class).baseUrl(slowServer.url()).build();
			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> restClient.get().uri("/item").retrieve().body(String.class))
				.withRootCauseInstanceOf(ReadTimeoutException.class);
		}
	}

}
