package dev.steady.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.steady.autoconfigure.actuate.SteadyEndpoint;
import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.autoconfigure.health.SteadyPoolStateAutoConfiguration;
import dev.steady.autoconfigure.health.internal.PoolStateRegistry;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a server that silently forgets keep-alive connections idle for more than 500 ms,
 * strict and at defaults, and one that closes them with a FIN at defaults: 10 bursts of 100
 * POSTs with pauses around that limit, so that reusing a connection after a pause races the
 * server forgetting or closing it, first contact included. (The
 * interop profile runs 300 ms and 1 s at full size; on a 2-core machine shared with other
 * builds, stalls of a quarter second are common.) POSTs without an idempotency key are never retried, so only the choice of
 * connection protects them.
 */
class StaleConnectionTests {

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 100;

	private static final Duration SERVER_IDLE_LIMIT = Duration.ofMillis(500);

	/** Pauses around the server's idle limit: reuse after them races it. */
	private static final List<Duration> PAUSES = List.of(Duration.ofMillis(450), Duration.ofMillis(500),
			Duration.ofMillis(550), Duration.ofMillis(600));

	private static final List<String> NO_FAILURES = Collections.nCopies(BURSTS, "0[]");

	/** Only reuses, idle closes and hints prove idle times: a connection seen open proves nothing. */
	private static final String STRICT = "steady.client-defaults.pool.reuse-proven-idle-only=true";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(
				AutoConfigurations.of(SteadyPoolStateAutoConfiguration.class, SteadyGlobalPoolAutoConfiguration.class));

	private final ApplicationContextRunner withEndpoint = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=steady");

	private final MisbehavingServer server = MisbehavingServer.builder().executeThenDropIdleAfter(SERVER_IDLE_LIMIT).start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void strictClientNeverLosesNorRepeatsAPost() {
		this.contextRunner.withPropertyValues(STRICT).run((context) -> {
			List<String> failures = postBursts(context.getBean(WebClient.Builder.class).build(), this.server);
			assertThat(this.server.maxExecutionsOfOneRequest()).as("executions of one POST").isEqualTo(1);
			assertThat(failures).as("failed POSTs per burst").isEqualTo(NO_FAILURES);
			assertThat(this.server.droppedRequests()).isZero();
			assertThat(this.server.executedRequests()).isEqualTo(BURSTS * BURST_SIZE);
		});
	}

	@Test
	void strictHandMadeClientInASteadyApplicationNeverLosesAPost() {
		this.contextRunner.withPropertyValues(STRICT).run((context) -> {
			List<String> failures = postBursts(WebClient.create(), this.server);
			assertThat(failures).as("failed POSTs per burst").isEqualTo(NO_FAILURES);
			assertThat(this.server.droppedRequests()).isZero();
			assertThat(context.getBean(PoolStateRegistry.class).client("global")).isNotNull();
		});
	}

	@Test
	void atDefaultsASilentServerCostsAtMostTheBurstThatRevealsIt() {
		this.contextRunner.run((context) -> {
			List<String> failures = postBursts(context.getBean(WebClient.Builder.class).build(), this.server);
			assertThat(failures.stream().filter((burst) -> !burst.equals("0[]")).count())
				.as("bursts with failed POSTs: %s", failures)
				.isLessThanOrEqualTo(1);
			assertThat(failures.subList(BURSTS / 2, BURSTS)).as("failed POSTs per burst").containsOnly("0[]");
			assertThat(this.server.maxExecutionsOfOneRequest()).isEqualTo(1);
		});
	}

	@Test
	void atDefaultsAHandMadeClientLosesToASilentServerAtMostTheBurstThatRevealsIt() {
		this.contextRunner.run((context) -> {
			List<String> failures = postBursts(WebClient.create(), this.server);
			assertThat(failures.stream().filter((burst) -> !burst.equals("0[]")).count())
				.as("bursts with failed POSTs: %s", failures)
				.isLessThanOrEqualTo(1);
			assertThat(failures.subList(BURSTS / 2, BURSTS)).as("failed POSTs per burst").containsOnly("0[]");
		});
	}

	@Test
	void atDefaultsAServerThatClosesIdleConnectionsLosesNoPostAndKeepsItsConnections() {
		try (MisbehavingServer closing = MisbehavingServer.builder().closeIdleAfter(SERVER_IDLE_LIMIT).start()) {
			this.contextRunner.run((context) -> {
				List<String> failures = postBursts(context.getBean(WebClient.Builder.class).build(), closing);
				assertThat(failures).as("failed POSTs per burst").isEqualTo(NO_FAILURES);
				assertThat(failures).isEqualTo(postBursts(WebClient.create(), closing));
				assertThat(closing.maxExecutionsOfOneRequest()).isEqualTo(1);
				assertThat(closing.executedRequests()).isEqualTo(2 * BURSTS * BURST_SIZE);
			});
		}
	}

	@Test
	void handMadeClientFailsWhenTheGlobalPoolIsLeftAlone() {
		this.contextRunner.withPropertyValues("steady.global.enabled=false").run((context) -> {
			assertThat(postBursts(WebClient.create(), this.server)).as("failed POSTs per burst").isNotEqualTo(NO_FAILURES);
			assertThat(this.server.droppedRequests()).isPositive();
		});
	}

	@Test
	void restartedContextProtectsHandMadeClientsAgain() {
		for (int restart = 0; restart < 2; restart++) {
			this.contextRunner.run((context) -> {
				WebClient client = WebClient.create();
				assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), 10)).isEmpty();
				Mono.delay(SERVER_IDLE_LIMIT.plusMillis(50)).block();
				assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), 10)).isEmpty();
				assertThat(this.server.droppedRequests()).isZero();
			});
		}
	}

	@Test
	void freshConnectionsTakenForSafetyAreCountedAndShownWithTheProvenIdleTime() {
		this.withEndpoint.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			proveIdle(client, this.server.url(), 10, Duration.ofMillis(100));
			assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), 10)).isEmpty();
			// longer than what was proven, however long a busy machine made the pause that proved it
			Duration proven = provenSafeIdle(context);
			Mono.delay(proven.plusMillis(50)).block();
			assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), 10)).isEmpty();
			double counted = context.getBean(MeterRegistry.class)
				.get("steady.client.connections.fresh.for.safety")
				.tag("client", "default")
				.functionCounter()
				.count();
			assertThat(counted).isPositive();
			Map<String, Map<String, Object>> shown = context.getBean(SteadyEndpoint.class)
				.client("default")
				.provenIdle();
			assertThat(shown).hasSize(1);
			Map<String, Object> host = shown.values().iterator().next();
			assertThat(host).containsEntry("freshConnectionsForSafety", (long) counted);
			assertThat(Duration.parse((String) host.get("provenSafeIdle"))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		});
	}

	private static Duration provenSafeIdle(AssertableApplicationContext context) {
		Map<String, Map<String, Object>> shown = context.getBean(SteadyEndpoint.class).client("default").provenIdle();
		return Duration.parse((String) shown.values().iterator().next().get("provenSafeIdle"));
	}

	@Test
	void connectionWhoseResponseAStarvedEventLoopReadLateIsNotReusedForAPost() {
		Duration idleLimit = Duration.ofSeconds(1);
		Duration provenIdle = Duration.ofMillis(600);
		// answers late enough for the response to arrive while the client's event loop is kept busy
		try (MisbehavingServer slow = MisbehavingServer.builder()
			.dropIdleAfter(idleLimit)
			.respondAfter(Duration.ofMillis(100))
			.start()) {
			this.contextRunner.run((context) -> {
				proveIdle(context.getBean(WebClient.Builder.class).build(), slow.url(), 1, provenIdle);
				List<Channel> channels = new CopyOnWriteArrayList<>();
				AtomicBoolean starveOnce = new AtomicBoolean(true);
				HttpClient handMade = HttpClient.create().doAfterRequest((request, connection) -> {
					Channel channel = connection.channel();
					channels.add(channel);
					if (starveOnce.compareAndSet(true, false)) {
						channel.eventLoop().execute(() -> starveUntilForgotten(slow, idleLimit));
					}
				});
				assertThat(post(handMade, slow)).isEqualTo(200);
				// read late, after the server forgot the connection, and idle since the read for less than the
				// proven time: only the kernel saw the response come in long ago
				assertThat(post(handMade, slow)).isEqualTo(200);
				assertThat(slow.droppedRequests()).isZero();
				assertThat(channels).hasSize(2);
				assertThat(channels.get(0)).isInstanceOf(EpollSocketChannel.class).isNotSameAs(channels.get(1));
			});
		}
	}

	/**
	 * Keep the event loop busy, as a loop kept off the CPU of a saturated machine would be,
	 * from before the server answers until the server's idle limit has passed since: the
	 * stall is the scenario.
	 */
	private static void starveUntilForgotten(MisbehavingServer server, Duration idleLimit) {
		int answered = server.executedRequests();
		Awaitility.await().pollInterval(Duration.ofMillis(1)).until(() -> server.executedRequests() > answered);
		long until = System.nanoTime() + idleLimit.plusMillis(200).toNanos();
		while (System.nanoTime() < until) {
			LockSupport.parkNanos(until - System.nanoTime());
		}
	}

	/**
	 * GETs of a client with retry, reusing their connections after a pause: they prove the
	 * host keeps connections idle that long.
	 */
	private static void proveIdle(WebClient withRetry, String url, int requests, Duration pause) {
		assertThat(Burst.fire(withRetry, HttpMethod.GET, url, requests)).isEmpty();
		Mono.delay(pause).block();
		assertThat(Burst.fire(withRetry, HttpMethod.GET, url, requests)).isEmpty();
	}

	private static int post(HttpClient client, MisbehavingServer server) {
		return client.post()
			.uri(server.url())
			.send(ByteBufFlux.fromString(Mono.just("order")))
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
			.block(Duration.ofSeconds(10));
	}

	@Test
	void everyClientOfAHostShowsTheIdleTimeAnyOfThemProvedSafe() {
		Duration pause = Duration.ofMillis(300);
		this.withEndpoint.run((context) -> {
			proveIdle(context.getBean(WebClient.Builder.class).build(), this.server.url(), 10, pause);
			// the hand-made client reuses its connections at once: on its own it proves next to nothing
			WebClient handMade = WebClient.create();
			assertThat(Burst.fire(handMade, HttpMethod.POST, this.server.url(), 10)).isEmpty();
			assertThat(Burst.fire(handMade, HttpMethod.POST, this.server.url(), 10)).isEmpty();
			Map<String, Map<String, Object>> shown = context.getBean(SteadyEndpoint.class)
				.client("global")
				.provenIdle();
			assertThat(shown).hasSize(1);
			assertThat(Duration.parse((String) shown.values().iterator().next().get("provenSafeIdle")))
				.isGreaterThanOrEqualTo(pause);
		});
	}

	/** Failed POSTs per burst, each burst's count followed by the causes of its failures. */
	private static List<String> postBursts(WebClient client, MisbehavingServer server) {
		List<String> failures = new ArrayList<>();
		for (int burst = 0; burst < BURSTS; burst++) {
			if (burst > 0) {
				// the pause is the scenario: reuse after it races the server forgetting the connection
				Mono.delay(PAUSES.get((burst - 1) % PAUSES.size())).block();
			}
			List<Throwable> failed = Burst.fire(client, HttpMethod.POST, server.url(), BURST_SIZE);
			failures.add(failed.size() + failed.stream().map(Throwable::getMessage).distinct().toList().toString());
		}
		return failures;
	}

}
