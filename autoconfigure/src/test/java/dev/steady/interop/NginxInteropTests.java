package dev.steady.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.steady.testserver.SteadyAutoConfigurations;
import dev.steady.client.FailureClassifier;
import dev.steady.testserver.Burst;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real nginx with {@code keepalive_timeout 1s} (started by {@code .ci/interop.sh}):
 * 10 bursts of 1000 concurrent GETs and 10 of 1000 POSTs, paused 950 to 1025 ms, where
 * reusing a connection races nginx closing it. A plain {@code WebClient.create()} may fail (its failures are recorded); a Steady
 * client evicting connections idle for 500 ms must not.
 */
class NginxInteropTests {

	private static final String NGINX = System.getProperty("steady.interop.nginx-url", "http://127.0.0.1:18080");

	private static final int BURSTS = 10;

	private static final int BURST_SIZE = 1000;

	/** Pauses around nginx's 1 s keep-alive timeout, where reuse races its close. */
	private static final List<Duration> PAUSES = List.of(Duration.ofMillis(950), Duration.ofMillis(975),
			Duration.ofMillis(1000), Duration.ofMillis(1025));

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(SteadyAutoConfigurations.clients())
		.withPropertyValues("steady.client.pool.max-connections=1000", "steady.client.pool.max-idle-time=500ms");

	@Test
	void plainWebClientFailuresAreRecorded() {
		Map<String, Integer> failures = runBursts(WebClient.create());
		System.out.printf("interop nginx keepalive_timeout 1s, plain WebClient.create(): %s of %d requests failed%n",
				failures, 2 * BURSTS * BURST_SIZE);
	}

	@Test
	void steadyClientNeverFails() {
		this.contextRunner.run((context) -> {
			Map<String, Integer> failures = runBursts(context.getBean(WebClient.Builder.class).build());
			System.out.printf("interop nginx keepalive_timeout 1s, Steady (max-idle-time=500ms): %s of %d failed%n",
					failures, 2 * BURSTS * BURST_SIZE);
			assertThat(failures).isEmpty();
		});
	}

	private Map<String, Integer> runBursts(WebClient client) {
		Map<String, Integer> failures = new TreeMap<>();
		for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
			for (int burst = 0; burst < BURSTS; burst++) {
				Burst.fire(client, method, NGINX + "/", BURST_SIZE)
					.forEach((failure) -> failures.merge(method + " " + FailureClassifier.classify(failure).tag(), 1,
							Integer::sum));
				// the pause is the scenario: close to nginx's keep-alive timeout
				Mono.delay(PAUSES.get(burst % PAUSES.size())).block();
			}
		}
		return failures;
	}

}
