package dev.steady.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.testserver.Burst;
import dev.steady.testserver.MisbehavingServer;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production-size twin of {@code StaleConnectionTests}, run with the interop profile: at
 * default settings, 10 bursts of 200 POSTs against a server that silently forgets
 * connections idle for more than 300 ms, and for more than 1 s, with pauses racing that
 * limit. Steady's client and {@code WebClient.create()} in a Steady application never fail,
 * and no POST is executed twice.
 */
class SilentServerInteropTests {

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 200;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(ints = { 300, 1000 })
	void neitherSteadyNorHandMadeClientsLoseOrRepeatAPost(int idleLimitMillis) {
		try (MisbehavingServer server = MisbehavingServer.builder()
			.executeThenDropIdleAfter(Duration.ofMillis(idleLimitMillis))
			.start()) {
			this.contextRunner.run((context) -> {
				List<Integer> steady = postBursts(context.getBean(WebClient.Builder.class).build(), server,
						idleLimitMillis);
				List<Integer> handMade = postBursts(WebClient.create(), server, idleLimitMillis);
				// the server executes what it drops: a POST resent after a stale connection runs twice
				assertThat(server.maxExecutionsOfOneRequest()).as("executions of one POST").isEqualTo(1);
				assertNoFailures(steady);
				assertNoFailures(handMade);
				assertThat(server.droppedRequests()).isZero();
			});
		}
	}

	private static void assertNoFailures(List<Integer> failuresPerBurst) {
		assertThat(failuresPerBurst).as("failed POSTs per burst").containsOnly(0);
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
