package dev.steady.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.steady.autoconfigure.client.SteadyGlobalPoolAutoConfiguration;
import dev.steady.client.internal.FailureClassifier;
import dev.steady.testserver.Burst;
import dev.steady.testserver.SteadyAutoConfigurations;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real nginx with {@code keepalive_timeout 1s} (started by {@code .ci/interop.sh}),
 * at Steady's default settings: 10 bursts of 1000 concurrent POSTs, paused 900 to 1000 ms,
 * where reusing a connection races nginx closing it, first contact included. Steady's client
 * and a {@code WebClient.create()} in a Steady application never fail; the same hand-made
 * client with {@code steady.global.enabled=false} does, which proves the race is there.
 */
class NginxInteropTests {

	private static final String NGINX = System.getProperty("steady.interop.nginx-url", "http://127.0.0.1:18080");

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 1000;

	/** Pauses just under nginx's 1 s keep-alive timeout, where reuse races its close. */
	private static final List<Duration> PAUSES = List.of(Duration.ofMillis(900), Duration.ofMillis(950),
			Duration.ofMillis(975), Duration.ofMillis(1000));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withConfiguration(AutoConfigurations.of(SteadyGlobalPoolAutoConfiguration.class));

	@Test
	void steadyClientNeverFails() {
		this.contextRunner.run((context) -> assertThat(postBursts(context.getBean(WebClient.Builder.class).build()))
			.as("failed POSTs by cause")
			.isEmpty());
	}

	@Test
	void handMadeClientInASteadyApplicationNeverFails() {
		this.contextRunner.run((context) -> assertThat(postBursts(WebClient.create())).as("failed POSTs by cause")
			.isEmpty());
	}

	@Test
	void handMadeClientFailsWhenTheGlobalPoolIsLeftAlone() {
		this.contextRunner.withPropertyValues("steady.global.enabled=false")
			.run((context) -> assertThat(postBursts(WebClient.create())).as("failed POSTs by cause").isNotEmpty());
	}

	private Map<String, Integer> postBursts(WebClient client) {
		Map<String, Integer> failures = new TreeMap<>();
		for (int burst = 0; burst < BURSTS; burst++) {
			Burst.fire(client, HttpMethod.POST, NGINX + "/", BURST_SIZE)
				.forEach((failure) -> failures.merge(FailureClassifier.classify(failure).tag(), 1, Integer::sum));
			// the pause is the scenario: close to nginx's keep-alive timeout
			Mono.delay(PAUSES.get(burst % PAUSES.size())).block();
		}
		return failures;
	}

}
