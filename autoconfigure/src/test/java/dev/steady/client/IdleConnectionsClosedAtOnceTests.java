package dev.steady.client;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;

import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.client.internal.ProvenIdle;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that closes all its idle connections at once, as a graceful shutdown or an nginx
 * reload does, against one whose idle timeout closes them one by one, at default settings:
 * Steady's client learns the idle timeout, not the shutdown, and forgets what a shutdown taught
 * it when the idle times gave it no way to tell.
 */
class IdleConnectionsClosedAtOnceTests {

	private static final String CLIENT = "default";

	private static final int FIRST_BURST = 10;

	private static final int SECOND_BURST = 3;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients());

	// every request holds its connection a while, so a burst needs a connection per request
	private final MisbehavingServer.Builder server = MisbehavingServer.builder().respondAfter(Duration.ofMillis(50));

	private MisbehavingServer running;

	@AfterEach
	void stopServer() {
		this.running.close();
	}

	@Test
	void connectionsClosedAtOnceAtWidelyDifferentIdleTimesLowerNoLimit() {
		this.running = this.server.start();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			LearnedIdleTimeouts learned = context.getBean(LearnedIdleTimeouts.class);
			// a burst opens a connection per request; after a pause, a smaller one reuses a few
			assertThat(Burst.fire(client, HttpMethod.GET, this.running.url(), FIRST_BURST)).isEmpty();
			Mono.delay(Duration.ofMillis(1500)).block();
			assertThat(Burst.fire(client, HttpMethod.GET, this.running.url(), SECOND_BURST)).isEmpty();
			assertThat(this.running.acceptedConnections()).isEqualTo(FIRST_BURST);
			Mono.delay(Duration.ofMillis(100)).block();
			assertThat(this.running.closeIdleConnections()).isEqualTo(FIRST_BURST);
			await().atMost(Duration.ofSeconds(10)).until(() -> idleCloses(learned) == FIRST_BURST);
			assertThat(learned.of(CLIENT)).as("idle limits learned from a shutdown").isEmpty();
			assertThat(Burst.fire(client, HttpMethod.GET, this.running.url(), FIRST_BURST)).isEmpty();
		});
	}

	@Test
	void idleTimeoutClosingConnectionsTogetherStillTeachesItsLimit() {
		this.running = this.server.closeIdleAfter(Duration.ofSeconds(1)).start();
		this.contextRunner.run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			LearnedIdleTimeouts learned = context.getBean(LearnedIdleTimeouts.class);
			assertThat(Burst.fire(client, HttpMethod.GET, this.running.url(), FIRST_BURST)).isEmpty();
			await().atMost(Duration.ofSeconds(10)).until(() -> idleCloses(learned) == FIRST_BURST);
			assertThat(learned.of(CLIENT).values()).singleElement()
				.as("shortest idle time after which the server closed a connection, less a late read")
				.satisfies((millis) -> assertThat(millis).isBetween(100L, 1500L));
		});
	}

	@Test
	void limitTaughtByAShutdownComesBackAfterForgetLearnedAfter() {
		this.running = this.server.start();
		this.contextRunner.withPropertyValues("steady.client-defaults.pool.forget-learned-after=1s").run((context) -> {
			WebClient client = context.getBean(WebClient.Builder.class).build();
			LearnedIdleTimeouts learned = context.getBean(LearnedIdleTimeouts.class);
			assertThat(Burst.fire(client, HttpMethod.GET, this.running.url(), FIRST_BURST)).isEmpty();
			// every connection idle about as long: nothing tells this shutdown from an idle timeout
			Mono.delay(Duration.ofMillis(300)).block();
			this.running.closeIdleConnections();
			await().atMost(Duration.ofSeconds(10)).until(() -> !learned.of(CLIENT).isEmpty());
			// each request's pool looks at the lesson; after forget-learned-after it is forgotten
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> Burst.fire(client, HttpMethod.GET, this.running.url(), 1).isEmpty()
						&& learned.of(CLIENT).isEmpty());
		});
	}

	private static long idleCloses(LearnedIdleTimeouts learned) {
		Map<SocketAddress, ProvenIdle> hosts = learned.provenOf(CLIENT);
		return hosts.values().stream().mapToLong(ProvenIdle::idleCloses).sum();
	}

}
