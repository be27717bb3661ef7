package dev.steady.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.client.internal.LearnedIdleTimeouts;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a server that closes keep-alive connections idle for 1 s with a FIN, as nginx, Node
 * and HAProxy do, at default settings: clients without retry, whose every request must not
 * meet a stale connection, learn the server's idle timeout from the first connections it
 * closes, and then reuse connections idle for less than a share of it (instead of only up to
 * unproven-reuse-max-idle), while connections idle for nearly as long are never reused.
 */
class ServerClosingIdleConnectionsTests {

	private static final Duration SERVER_IDLE_TIMEOUT = Duration.ofSeconds(1);

	private static final int BURST_SIZE = 20;

	/** Pauses well within the learned limit: reuse after them is safe. */
	private static final List<Duration> SHORT_PAUSES = List.of(Duration.ofMillis(300), Duration.ofMillis(300),
			Duration.ofMillis(300));

	/** Pauses racing the server's timeout: reuse after them would race its FIN. */
	private static final List<Duration> RACING_PAUSES = List.of(Duration.ofMillis(950), Duration.ofMillis(1000));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class));

	// every request holds its connection a while, so a burst needs a connection per request; a
	// request arriving in the last 100 ms before the FIN races it: it is executed, and its
	// connection closed unanswered, as a server closing the connection under it would
	private final MisbehavingServer server = MisbehavingServer.builder()
		.closeIdleAfter(SERVER_IDLE_TIMEOUT)
		.executeThenDropIdleAfter(SERVER_IDLE_TIMEOUT.minusMillis(100))
		.respondAfter(Duration.ofMillis(50))
		.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void handMadeClientReusesConnectionsWithinTheLearnedIdleTimeout() {
		this.contextRunner.run((context) -> reusesWithinLearnedIdleTimeout(context, WebClient.create(), "global"));
	}

	@Test
	void steadyClientWithoutRetryReusesConnectionsWithinTheLearnedIdleTimeout() {
		this.contextRunner.withPropertyValues("steady.client.retry.enabled=false")
			.run((context) -> reusesWithinLearnedIdleTimeout(context,
					context.getBean(WebClient.Builder.class).build(), "default"));
	}

	private void reusesWithinLearnedIdleTimeout(AssertableApplicationContext context, WebClient client,
			String clientName) {
		List<Integer> failures = new ArrayList<>();
		failures.add(Burst.fire(client, HttpMethod.POST, this.server.url(), BURST_SIZE).size());
		LearnedIdleTimeouts learned = context.getBean(LearnedIdleTimeouts.class);
		// the server closes every connection after its timeout; the pool sees each FIN
		await().atMost(Duration.ofSeconds(30)).until(() -> this.server.openConnections() == 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> !learned.of(clientName).isEmpty());
		assertThat(learned.provenSafeIdleMillis(learned.of(clientName).keySet().iterator().next()))
			.as("idle time proven by the server's own closes, less the time this side took to read the response")
			.isGreaterThan(SERVER_IDLE_TIMEOUT.toMillis() / 2);
		failures.add(Burst.fire(client, HttpMethod.POST, this.server.url(), BURST_SIZE).size());
		int connectionsBeforeShortPauses = this.server.acceptedConnections();
		for (Duration pause : SHORT_PAUSES) {
			// the pause is the scenario: how long the connections sit idle
			Mono.delay(pause).block();
			failures.add(Burst.fire(client, HttpMethod.POST, this.server.url(), BURST_SIZE).size());
		}
		int openedAfterShortPauses = this.server.acceptedConnections() - connectionsBeforeShortPauses;
		for (Duration pause : RACING_PAUSES) {
			Mono.delay(pause).block();
			failures.add(Burst.fire(client, HttpMethod.POST, this.server.url(), BURST_SIZE).size());
		}
		assertThat(this.server.maxExecutionsOfOneRequest()).as("executions of one POST").isEqualTo(1);
		assertThat(failures).as("failed POSTs per burst").containsOnly(0);
		assertThat(this.server.droppedRequests()).as("POSTs sent on a connection the server was closing").isZero();
		// without learning, every burst after a pause over 50 ms takes BURST_SIZE fresh connections
		assertThat(openedAfterShortPauses).as("connections opened by %s bursts after %s pauses", SHORT_PAUSES.size(),
				SHORT_PAUSES.get(0))
			.isLessThanOrEqualTo(BURST_SIZE);
	}

}
