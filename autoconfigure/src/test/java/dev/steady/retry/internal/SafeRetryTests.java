package dev.steady.retry.internal;

import java.time.Duration;
import java.util.List;

import dev.steady.client.internal.FailureCause;
import dev.steady.client.internal.FailureClassifier;
import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steady's retry against real servers that fail on purpose and count how often they
 * executed each request.
 */
class SafeRetryTests {

	private static final int BURST = 100;

	/**
	 * Long enough that connections do not go stale within a burst on a busy 2-core machine;
	 * the decision itself is unit-tested in {@link RetryDecisionTests}, these tests prove it
	 * against real failures.
	 */
	private static final Duration SERVER_IDLE_LIMIT = Duration.ofMillis(500);

	/**
	 * Longest wait for one answer: far beyond a retry's wait here, and beyond what a machine
	 * busy with other work takes for a first request (10 s was seen), far below the hour a
	 * Retry-After of 3600 asks for.
	 */
	private static final Duration ANSWER_CEILING = Duration.ofSeconds(60);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	private MisbehavingServer server;

	/** Retries of the warm-up burst, which met a busy machine rather than the scenario. */
	private double retriedBeforeTheBurst;

	@AfterEach
	void stopServer() {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void staleGetsAreRetriedOntoLiveConnections() {
		this.server = MisbehavingServer.builder().dropIdleAfter(SERVER_IDLE_LIMIT).start();
		this.contextRunner.withPropertyValues("steady.client.pool.max-idle-time=30s").run((context) -> {
			List<Throwable> failures = afterTheServerForgotTheConnections(context, HttpMethod.GET, "get-", false);
			report(context, "stale GETs", BURST, failures);
			assertThat(this.server.droppedRequests()).as("requests that hit a forgotten connection").isPositive();
			assertThat(failures).isEmpty();
			assertThat(this.server.maxExecutionsOfOneRequest()).isEqualTo(1);
		});
	}

	@Test
	void stalePostsWithoutAKeyFailClearlyAndAreNeverExecutedTwice() {
		// a server that announces 30 s, forgets after the limit and executes what it drops: its hint lets these
		// POSTs reuse stale connections, and a POST resent after one would run twice
		this.server = MisbehavingServer.builder().keepAliveHint(30).executeThenDropIdleAfter(SERVER_IDLE_LIMIT).start();
		this.contextRunner.withPropertyValues("steady.client.pool.max-idle-time=30s")
			.run((context) -> {
				List<Throwable> failures = afterTheServerForgotTheConnections(context, HttpMethod.POST, "post-", false);
				double retriedInWarmUp = this.retriedBeforeTheBurst;
				report(context, "stale POSTs without key", BURST, failures);
				assertThat(this.server.maxExecutionsOfOneRequest()).as("executions of one POST").isEqualTo(1);
				assertThat(failures).isNotEmpty()
					.allSatisfy((failure) -> assertThat(failure).isInstanceOf(WebClientRequestException.class)
						.hasMessageContaining("BEFORE response"));
				assertThat(retries(context, "retried")).as("retries of the POSTs").isEqualTo(retriedInWarmUp);
			});
	}

	@Test
	void stalePostsWithAnIdempotencyKeyAreRetriedAndExecutedExactlyOnce() {
		// the server executes what it drops: a key's executions beyond one are Steady's retries
		this.server = MisbehavingServer.builder().executeThenDropIdleAfter(SERVER_IDLE_LIMIT).start();
		this.contextRunner.withPropertyValues("steady.client.pool.max-idle-time=30s").run((context) -> {
			List<Throwable> failures = afterTheServerForgotTheConnections(context, HttpMethod.POST, "keyed-", true);
			report(context, "stale POSTs with Idempotency-Key", BURST, failures);
			assertThat(this.server.droppedRequests()).isPositive();
			assertThat(failures).isEmpty();
			for (int i = 0; i < BURST; i++) {
				assertThat(this.server.answersOf("keyed-" + i)).as("answered executions of keyed-%d", i).isEqualTo(1);
				assertThat(this.server.executionsOf("keyed-" + i)).as("executions of keyed-%d", i).isLessThanOrEqualTo(2);
			}
		});
	}

	@Test
	void postExecutedThenResetIsNotRetriedButGetIs() {
		this.server = MisbehavingServer.builder().resetAfterFirstExecution().start();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), 1, "post", false)).singleElement()
				.isInstanceOf(WebClientRequestException.class);
			assertThat(this.server.executionsOf("post0")).isEqualTo(1);
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1, "get", false)).isEmpty();
			assertThat(this.server.executionsOf("get0")).isEqualTo(2);
		});
	}

	@Test
	void connectionClosedDuringTheResponseIsNotRetried() {
		this.server = MisbehavingServer.builder().closeDuringResponse().start();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), 1, "partial", false)).singleElement()
				.satisfies((failure) -> assertThat(FailureClassifier.classify(failure))
					.isEqualTo(FailureCause.RESPONSE_BROKEN));
			assertThat(this.server.executionsOf("partial0")).isEqualTo(1);
		});
	}

	@Test
	void pendingLimitFailuresAreNotRetried() {
		this.server = MisbehavingServer.builder().respondAfter(Duration.ofMillis(300)).start();
		this.contextRunner
			.withPropertyValues("steady.client.pool.max-connections=1", "steady.client.pool.pending-acquire-max-count=1")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				List<Throwable> failures = Burst.fire(client, HttpMethod.GET, this.server.url(), 10);
				assertThat(failures).hasSize(8)
					.allSatisfy((failure) -> assertThat(FailureClassifier.classify(failure))
						.isEqualTo(FailureCause.POOL_EXHAUSTED));
				assertThat(this.server.executedRequests()).isEqualTo(2);
				assertThat(retries(context, "retried")).isZero();
				assertThat(retries(context, "not-retryable")).isEqualTo(8);
			});
	}

	@Test
	void acquireTimeoutFailuresAreNotRetried() {
		this.server = MisbehavingServer.builder().respondAfter(Duration.ofMillis(800)).start();
		this.contextRunner
			.withPropertyValues("steady.client.pool.max-connections=1",
					"steady.client.pool.pending-acquire-timeout=200ms")
			.run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				List<Throwable> failures = Burst.fire(client, HttpMethod.GET, this.server.url(), 4);
				assertThat(failures).hasSize(3)
					.allSatisfy((failure) -> assertThat(FailureClassifier.classify(failure))
						.isEqualTo(FailureCause.POOL_EXHAUSTED));
				assertThat(this.server.executedRequests()).isEqualTo(1);
				assertThat(retries(context, "retried")).isZero();
			});
	}

	@Test
	void anOutageIsRetriedOnlyWithinTheBudget() {
		this.server = MisbehavingServer.builder().resetEverything().start();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			int requests = 200;
			List<Throwable> failures = Burst.fire(client, HttpMethod.GET, this.server.url(), requests);
			double retried = retries(context, "retried");
			report(context, "outage, GETs", requests, failures);
			assertThat(failures).hasSize(requests);
			assertThat(retried).isPositive().isLessThanOrEqualTo(0.2 * requests + 10 * 10);
			assertThat(retries(context, "budget-exhausted")).isPositive();
			assertThat(this.server.executedRequests()).isZero();
		});
	}

	@Test
	void shortRetryAfterIsWaitedForThenRetried() {
		this.server = MisbehavingServer.builder().firstAnswer(503, "1").start();
		this.contextRunner.withPropertyValues("steady.client.retry.statuses=503").run((context) -> {
			long start = System.nanoTime();
			HttpStatusCode status = status(context.getBean(WebClient.Builder.class).build(), "wait");
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			assertThat(status.value()).isEqualTo(200);
			assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(ANSWER_CEILING);
			assertThat(this.server.executionsOf("wait")).isEqualTo(2);
		});
	}

	@Test
	void longRetryAfterIsReturnedAtOnce() {
		this.server = MisbehavingServer.builder().firstAnswer(503, "3600").start();
		this.contextRunner.withPropertyValues("steady.client.retry.statuses=503").run((context) -> {
			long start = System.nanoTime();
			HttpStatusCode status = status(context.getBean(WebClient.Builder.class).build(), "long");
			assertThat(status.value()).isEqualTo(503);
			// far below the 3600 s asked for, however busy the machine; executions prove it was not retried at all
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ANSWER_CEILING);
			assertThat(this.server.executionsOf("long")).isEqualTo(1);
		});
	}

	@Test
	void statusesAreNotRetriedUnlessConfigured() {
		this.server = MisbehavingServer.builder().firstAnswer(503, "0").start();
		this.contextRunner.run((context) -> {
			assertThat(status(context.getBean(WebClient.Builder.class).build(), "plain").value()).isEqualTo(503);
			assertThat(this.server.executionsOf("plain")).isEqualTo(1);
		});
	}

	private List<Throwable> afterTheServerForgotTheConnections(AssertableApplicationContext context,
			HttpMethod method, String idPrefix, boolean idempotencyKey) {
		WebClient client = context.getBean(WebClient.Builder.class).build();
		assertThat(Burst.fire(client, HttpMethod.GET, this.server.url(), BURST)).as("warm-up burst").isEmpty();
		// the pause is the scenario: longer than the server keeps an idle connection
		Mono.delay(SERVER_IDLE_LIMIT.plusMillis(300)).block();
		this.retriedBeforeTheBurst = retries(context, "retried");
		return Burst.fire(client, method, this.server.url(), BURST, idPrefix, idempotencyKey);
	}

	private HttpStatusCode status(WebClient client, String id) {
		return client.get()
			.uri(this.server.url())
			.header(MisbehavingServer.REQUEST_ID, id)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode()))
			.block(ANSWER_CEILING);
	}

	private static double retries(AssertableApplicationContext context, String outcome) {
		var counter = context.getBean(MeterRegistry.class)
			.find("steady.client.retries")
			.tags("client", "default", "outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private void report(AssertableApplicationContext context, String scenario, int requests,
			List<Throwable> failures) {
		System.out.printf("%s: requests=%d retries=%.0f budget-exhausted=%.0f failures=%d server executions=%d "
				+ "dropped/reset by server=%d%n", scenario, requests, retries(context, "retried"),
				retries(context, "budget-exhausted"), failures.size(), this.server.executedRequests(),
				this.server.droppedRequests());
	}

}
