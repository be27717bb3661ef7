package dev.steady.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import dev.steady.autoconfigure.actuate.SteadyEndpoint;
import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that sends only POSTs without an idempotency key, at default settings, to a server
 * that keeps idle connections far longer than the caller's pauses: nothing it sends is ever
 * retried, so only connections seen open after an idle time (and the survival probe, the one
 * connection a request refused, kept aging) prove that idle time. It reuses connections about
 * as Boot's plain client does, where it used to open one per request. Scaled down from the
 * interop scenarios (250 ms and 1.5 s against nginx's 75 s): the floor a host must prove
 * beyond is 50 ms.
 */
class PostOnlyReuseTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.withActuator())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=steady");

	private final MisbehavingServer server = MisbehavingServer.builder().start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void postsOneAtATimeReuseTheirConnection() {
		this.contextRunner.run((context) -> {
			sequentialPosts(context.getBean(WebClient.Builder.class).build(), 20, Duration.ofMillis(100));
			assertThat(this.server.acceptedConnections()).as("connections for 20 POSTs 100 ms apart").isLessThanOrEqualTo(3);
			Map<String, Object> host = context.getBean(SteadyEndpoint.class)
				.client("default")
				.provenIdle()
				.values()
				.iterator()
				.next();
			assertThat(host).containsEntry("provenBy", "survival").containsEntry("strict", false);
			assertThat(Duration.parse((String) host.get("provenSafeIdle"))).isGreaterThan(Duration.ofMillis(100));
		});
	}

	@Test
	void postsOneAtATimeWithLongPausesReuseTheirConnection() {
		this.contextRunner.run((context) -> {
			sequentialPosts(context.getBean(WebClient.Builder.class).build(), 6, Duration.ofMillis(600));
			assertThat(this.server.acceptedConnections()).as("connections for 6 POSTs 600 ms apart").isLessThanOrEqualTo(3);
		});
	}

	@Test
	void handMadeClientPostingOneAtATimeReusesItsConnection() {
		this.contextRunner.run((context) -> {
			sequentialPosts(WebClient.create(), 20, Duration.ofMillis(100));
			assertThat(this.server.acceptedConnections()).as("connections for 20 POSTs 100 ms apart").isLessThanOrEqualTo(3);
		});
	}

	@Test
	void hostAnnouncingItsIdleTimeoutIsReusedAtOnceAndShownAsProvenByItsHint() {
		try (MisbehavingServer hinting = MisbehavingServer.builder().keepAliveHint(5).start()) {
			this.contextRunner.run((context) -> {
				sequentialPosts(context.getBean(WebClient.Builder.class).build(), 5, Duration.ofMillis(100), hinting);
				assertThat(hinting.acceptedConnections()).isOne();
				assertThat(context.getBean(SteadyEndpoint.class).client("default").provenIdle().values())
					.singleElement()
					.satisfies((host) -> assertThat(host).containsEntry("provenBy", "hint"));
			});
		}
	}

	@Test
	void strictClientStillTakesAFreshConnectionForEveryPostAfterAPause() {
		this.contextRunner.withPropertyValues("steady.client-defaults.pool.reuse-proven-idle-only=true").run((context) -> {
			sequentialPosts(context.getBean(WebClient.Builder.class).build(), 10, Duration.ofMillis(100));
			assertThat(this.server.acceptedConnections()).isEqualTo(10);
		});
	}

	@Test
	void oneHostDeclaredStrictTakesAFreshConnectionForEveryPostAfterAPauseWhileOthersReuse() {
		try (MisbehavingServer other = MisbehavingServer.builder().start()) {
			String strictHost = "steady.client-defaults.hosts[localhost:" + this.server.port()
					+ "].pool.reuse-proven-idle-only";
			this.contextRunner
				.withInitializer((context) -> context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("strict host", Map.of(strictHost, "true"))))
				.run((context) -> {
					WebClient client = context.getBean(WebClient.Builder.class).build();
					for (int i = 0; i < 10; i++) {
						assertThat(Burst.fire(client, HttpMethod.POST, "http://localhost:" + this.server.port(), 1)).isEmpty();
						Mono.delay(Duration.ofMillis(100)).block();
					}
					sequentialPosts(client, 10, Duration.ofMillis(100), other);
					assertThat(this.server.acceptedConnections()).isEqualTo(10);
					assertThat(other.acceptedConnections()).isLessThanOrEqualTo(3);
				});
		}
	}

	@Test
	void burstsOfPostsOpenTwiceWhatThePoolNeedsOnceAndThenReuse() {
		int burstSize = 50;
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			for (int burst = 0; burst < 6; burst++) {
				if (burst > 0) {
					Mono.delay(Duration.ofMillis(300)).block();
				}
				assertThat(Burst.fire(client, HttpMethod.POST, this.server.url(), burstSize)).isEmpty();
			}
			assertThat(this.server.acceptedConnections()).as("connections for 6 bursts of %d POSTs", burstSize)
				.isLessThanOrEqualTo(2 * burstSize + burstSize / 5);
		});
	}

	/**
	 * Refills after pauses longer than max-idle-time, each made of a burst that fills the pool
	 * and one that reuses it, while every client event loop is kept busy from before the
	 * responses arrive until well after: the reuses find responses the loops read late. Once
	 * the host has shown how long it keeps idle connections, no refill opens more than a fifth
	 * more connections than it needs.
	 */
	@Test
	void refillsAfterPausesWithEventLoopsReadingLateOpenAtMostAFifthMore() {
		int burstSize = 50;
		try (MisbehavingServer slow = MisbehavingServer.builder().respondAfter(Duration.ofMillis(100)).start()) {
			this.contextRunner.withPropertyValues("steady.client-defaults.pool.max-idle-time=1s").run((context) -> {
				WebClient client = context.getBean(WebClient.Builder.class).build();
				List<Integer> opened = new ArrayList<>();
				for (int refill = 0; refill < 4; refill++) {
					if (refill > 0) {
						Mono.delay(Duration.ofMillis(1300)).block();
					}
					int before = slow.acceptedConnections();
					Mono<List<Throwable>> filling = Mono
						.fromCallable(() -> Burst.fire(client, HttpMethod.POST, slow.url(), burstSize))
						.subscribeOn(Schedulers.boundedElastic());
					Mono<Void> stall = Mono.delay(Duration.ofMillis(50)).doOnNext((tick) -> stallClientEventLoops()).then();
					assertThat(Mono.zip(filling, stall.thenReturn(true)).block().getT1()).isEmpty();
					assertThat(Burst.fire(client, HttpMethod.POST, slow.url(), burstSize)).isEmpty();
					opened.add(slow.acceptedConnections() - before);
				}
				assertThat(opened.subList(1, opened.size())).as("connections opened by each refill of %d: %s", burstSize,
						opened)
					.allSatisfy((count) -> assertThat(count).isLessThanOrEqualTo(burstSize * 6 / 5));
			});
		}
	}

	/** Keep every client event loop busy for 300 ms, as a JVM stalled on a saturated machine would. */
	private static void stallClientEventLoops() {
		HttpResources.get().onClient(true).forEach((loop) -> loop.execute(() -> {
			long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
			while (System.nanoTime() < until) {
				LockSupport.parkNanos(until - System.nanoTime());
			}
		}));
	}

	private void sequentialPosts(WebClient client, int count, Duration pause) {
		sequentialPosts(client, count, pause, this.server);
	}

	private static void sequentialPosts(WebClient client, int count, Duration pause, MisbehavingServer server) {
		for (int i = 0; i < count; i++) {
			assertThat(Burst.fire(client, HttpMethod.POST, server.url(), 1)).isEmpty();
			Mono.delay(pause).block();
		}
		assertThat(server.executedRequests()).isEqualTo(count);
	}

}
