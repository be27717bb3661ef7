package dev.steady.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.steady.client.internal.FailureClassifier;
import dev.steady.testserver.Burst;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * 10 bursts of 1000 concurrent POSTs without an idempotency key, paused 900 to 1000 ms, where
 * reusing a connection races an upstream closing it at its 1 s keep-alive timeout, first
 * contact included.
 */
final class RacingPostBursts {

	static final int BURSTS = 10;

	static final int BURST_SIZE = 1000;

	/** Pauses just under a 1 s keep-alive timeout, where reuse races its close. */
	private static final List<Duration> PAUSES = List.of(Duration.ofMillis(900), Duration.ofMillis(950),
			Duration.ofMillis(975), Duration.ofMillis(1000));

	private RacingPostBursts() {
	}

	/**
	 * Send the bursts, each request with an id {@code idPrefix + burst + "-" + index}.
	 * @param client the client
	 * @param url the upstream's URL
	 * @param idPrefix prefix of the request ids
	 * @return the failed POSTs, counted by their failure class
	 */
	static Map<String, Integer> failuresByCause(WebClient client, String url, String idPrefix) {
		Map<String, Integer> failures = new TreeMap<>();
		for (int burst = 0; burst < BURSTS; burst++) {
			Burst.fire(client, HttpMethod.POST, url, BURST_SIZE, idPrefix + burst + "-", false)
				.forEach((failure) -> failures.merge(FailureClassifier.classify(failure).tag(), 1, Integer::sum));
			// the pause is the scenario: close to the upstream's keep-alive timeout
			Mono.delay(PAUSES.get(burst % PAUSES.size())).block();
		}
		return failures;
	}

}
