package dev.steady.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production-size twin of {@code StaleConnectionTests}, run with the interop profile:
 * 10 bursts of 200 POSTs against a server that silently forgets connections idle for more
 * than 300 ms, and for more than 1 s, with pauses racing that limit. At default settings,
 * Steady's client and {@code WebClient.create()} in a Steady application lose POSTs only in
 * the one burst that reveals the host, and none in the second half of the run; with
 * {@code reuse-proven-idle-only=true} they lose none. No POST is ever executed twice.
 */
class SilentServerInteropTests {

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 200;

	private final ApplicationContextRunner contextRunner = ClientInASteadyApplication.application();

	@ParameterizedTest
	@ValueSource(ints = { 300, 1000 })
	void atDefaultsOnlyTheBurstThatRevealsTheHostLosesPostsAndNoneRunsTwice(int idleLimitMillis) {
		postBurstsFromBothClients(this.contextRunner, idleLimitMillis,
				SilentServerInteropTests::assertOnlyOneBurstFailsInTheFirstHalf,
				(server) -> assertThat(server.maxExecutionsOfOneRequest()).as("executions of one POST").isEqualTo(1));
	}

	@ParameterizedTest
	@ValueSource(ints = { 300, 1000 })
	void strictClientsNeitherLoseNorRepeatAPost(int idleLimitMillis) {
		postBurstsFromBothClients(
				this.contextRunner.withPropertyValues("steady.client-defaults.pool.reuse-proven-idle-only=true"),
				idleLimitMillis, SilentServerInteropTests::assertNoFailures, (server) -> {
					assertThat(server.maxExecutionsOfOneRequest()).as("executions of one POST").isEqualTo(1);
					assertThat(server.droppedRequests()).isZero();
				});
	}

	/**
	 * Post bursts from Steady's builder client, then from {@code WebClient.create()}, to one
	 * silent server that executes what it drops: check what the server executed, then each
	 * client's failures per burst.
	 */
	private static void postBurstsFromBothClients(ApplicationContextRunner application, int idleLimitMillis,
			Consumer<List<Integer>> failuresPerBurstCheck, Consumer<MisbehavingServer> serverCheck) {
		try (MisbehavingServer server = MisbehavingServer.builder()
			.executeThenDropIdleAfter(Duration.ofMillis(idleLimitMillis))
			.start()) {
			application.run((context) -> {
				List<Integer> steady = postBursts(context.getBean(WebClient.Builder.class).build(), server,
						idleLimitMillis);
				List<Integer> handMade = postBursts(WebClient.create(), server, idleLimitMillis);
				// the server executes what it drops: a POST resent after a stale connection runs twice
				serverCheck.accept(server);
				failuresPerBurstCheck.accept(steady);
				failuresPerBurstCheck.accept(handMade);
			});
		}
	}

	private static void assertNoFailures(List<Integer> failuresPerBurst) {
		assertThat(failuresPerBurst).as("failed POSTs per burst").containsOnly(0);
	}

	/** A silent server is revealed by a burst that fails, and nothing fails after that. */
	private static void assertOnlyOneBurstFailsInTheFirstHalf(List<Integer> failuresPerBurst) {
		assertThat(failuresPerBurst.stream().filter((failures) -> failures > 0))
			.as("bursts that lost POSTs, of %s", failuresPerBurst)
			.hasSizeLessThanOrEqualTo(1);
		assertThat(failuresPerBurst.subList(BURSTS / 2, BURSTS))
			.as("POSTs lost in the second half, of %s", failuresPerBurst)
			.containsOnly(0);
	}

	private static List<Integer> postBursts(WebClient client, MisbehavingServer server, int idleLimitMillis) {
		List<Integer> failures = new ArrayList<>();
		for (int burst = 0; burst < BURSTS; burst++) {
			failures.add(Burst.fire(client, HttpMethod.POST, server.url(), BURST_SIZE).size());
			// the pause is the scenario: from just under to just over the server's idle limit
			Mono.delay(Duration.ofMillis(idleLimitMillis * (90L + 5 * (burst % 4)) / 100)).block();
		}
		return failures;
	}

}
