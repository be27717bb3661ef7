package dev.steady.client;

import java.time.Duration;
import java.util.List;

import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.RestBurst;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pool size and pending queue, against a real server that takes 100 ms per request and
 * counts the connections it sees.
 */
class PoolSizingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients());

	private final MisbehavingServer server = MisbehavingServer.builder().respondAfter(Duration.ofMillis(100)).start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void requestsBeyondThePoolWaitTheirTurnWhenTheQueueIsLargeEnough() {
		this.contextRunner
			.withPropertyValues("steady.client.pool.max-connections=50",
					"steady.client.pool.pending-acquire-max-count=2000")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				List<Throwable> failures = Burst.fire(client, HttpMethod.GET, this.server.url(), 2000);
				assertThat(failures).isEmpty();
				assertThat(this.server.executedRequests()).isEqualTo(2000);
				assertThat(this.server.maxOpenConnections()).isLessThanOrEqualTo(50);
			});
	}

	/** With retry the retry filter explains the failure, without it the hint filter does. */
	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void requestsBeyondTheQueueFailAtOnceNamingThePropertyToRaise(boolean retry) {
		this.contextRunner
			.withPropertyValues("steady.client.pool.max-connections=50",
					"steady.client.pool.pending-acquire-max-count=100", "steady.client.retry.enabled=" + retry)
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				List<Throwable> failures = Burst.fire(client, HttpMethod.GET, this.server.url(), 2000);
				System.out.printf("max-connections=50, pending-acquire-max-count=100: %d of 2000 rejected%n",
						failures.size());
				assertThat(failures).isNotEmpty();
				assertThat(failures).allSatisfy(
						(failure) -> assertNamesThePendingLimit(failure, WebClientRequestException.class, 100));
				assertThat(this.server.executedRequests()).isEqualTo(2000 - failures.size());
			});
	}

	/** A RestClient call asks the client's retry, or only its hint, as the WebClient filters do. */
	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void restClientCallsBeyondTheQueueFailAtOnceNamingThePropertyToRaise(boolean retry) {
		this.contextRunner.withConfiguration(SteadyAutoConfigurations.restClientAndServiceGroups())
			.withPropertyValues("steady.client.pool.max-connections=2", "steady.client.pool.pending-acquire-max-count=2",
					"steady.client.retry.enabled=" + retry)
			.run((context) -> {
				RestClient client = context.getBean(RestClient.Builder.class).baseUrl(this.server.url()).build();
				try (RestBurst burst = new RestBurst()) {
					RestBurst.Outcome outcome = burst.fire(client, HttpMethod.GET, "/item", 20, "queue-",
							Duration.ofSeconds(30));
					assertThat(outcome.stillBlocked()).isZero();
					assertThat(outcome.failures()).isNotEmpty();
					assertThat(outcome.failures()).allSatisfy(
							(failure) -> assertNamesThePendingLimit(failure, ResourceAccessException.class, 2));
					assertThat(this.server.executedRequests()).isEqualTo(20 - outcome.failures().size());
				}
			});
	}

	/** A pool-exhaustion failure names the property to raise, Reactor Netty's own exception as its cause. */
	private static void assertNamesThePendingLimit(Throwable failure, Class<? extends Throwable> type, int queue) {
		assertThat(failure).isInstanceOf(type)
			.hasMessageContaining("Pending acquire queue has reached its maximum size of " + queue)
			.hasMessageContaining("raise steady.client.pool.pending-acquire-max-count")
			.rootCause()
			.satisfies((root) -> assertThat(root.getClass().getSimpleName())
				.isEqualTo("PoolAcquirePendingLimitException"));
	}

	@Test
	void retriedAndNonRetriedRequestsShareOneMaxConnections() {
		this.contextRunner.withPropertyValues("steady.client.pool.max-connections=3").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			List<List<Throwable>> failures = Flux.just(HttpMethod.GET, HttpMethod.POST, HttpMethod.GET)
				.flatMap((method) -> Mono.fromCallable(() -> Burst.fire(client, method, this.server.url(), 10))
					.subscribeOn(Schedulers.boundedElastic()))
				.collectList()
				.block(Duration.ofSeconds(60));
			assertThat(failures).containsOnly(List.of());
			assertThat(this.server.executedRequests()).isEqualTo(30);
			assertThat(this.server.maxRequestsInFlight()).isEqualTo(3);
		});
	}

	@Test
	void namedClientsHaveTheirOwnPoolWithTheirOwnSize() {
		this.contextRunner
			.withPropertyValues("steady.clients.narrow.base-url=" + this.server.url(),
					"steady.clients.narrow.pool.max-connections=2")
			.run((context) -> {
				WebClient narrow = context.getBean(SteadyClients.class).webClient("narrow");
				assertThat(Burst.fire(narrow, HttpMethod.GET, "/relative", 20)).isEmpty();
				assertThat(this.server.maxOpenConnections()).isEqualTo(2);
				assertThat(this.server.executedRequests()).isEqualTo(20);
			});
	}

	@Test
	void closingTheContextClosesEveryPooledConnection() {
		this.contextRunner.withPropertyValues("steady.clients.other.base-url=" + this.server.url()).run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			WebClient other = context.getBean(SteadyClients.class).webClient("other");
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 20)).isEmpty();
			assertThat(Burst.fire(other, HttpMethod.GET, "/", 20)).isEmpty();
			int open = this.server.openConnections();
			assertThat(open).isGreaterThanOrEqualTo(2).isEqualTo(this.server.acceptedConnections());
			context.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.openConnections() == 0);
		});
	}

}
