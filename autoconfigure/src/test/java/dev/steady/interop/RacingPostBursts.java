package dev.steady.interop;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import dev.steady.client.internal.FailureClassifier;
import dev.steady.testserver.Burst;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Bursts of 1000 concurrent POSTs without an idempotency key, paused just under an upstream's
 * 1 s keep-alive timeout, where reusing a connection races the upstream closing it, first
 * contact included. Each request carries its own {@code X-Request-Id},
 * {@code idPrefix + burst + "-" + index}, so an upstream's log tells what it executed.
 */
final class RacingPostBursts {

	/** 10 bursts paused 900 to 1000 ms, in turn. */
	static final RacingPostBursts TEN_AROUND_ONE_SECOND = new RacingPostBursts(10, 1000,
			List.of(Duration.ofMillis(900), Duration.ofMillis(950), Duration.ofMillis(975), Duration.ofMillis(1000)));

	/** 5 bursts 900 ms apart, as issue 23 reports them against nginx speaking h2c. */
	static final RacingPostBursts FIVE_900_MS_APART = new RacingPostBursts(5, 1000, List.of(Duration.ofMillis(900)));

	private final int bursts;

	private final int burstSize;

	private final List<Duration> pauses;

	private RacingPostBursts(int bursts, int burstSize, List<Duration> pauses) {
		this.bursts = bursts;
		this.burstSize = burstSize;
		this.pauses = pauses;
	}

	/**
	 * How many POSTs the bursts send.
	 * @return the count
	 */
	int requests() {
		return this.bursts * this.burstSize;
	}

	/**
	 * Send the bursts, waiting for each to end before the pause that follows it.
	 * @param client the client
	 * @param url the upstream's URL
	 * @param idPrefix prefix of the request ids
	 * @return the failed POSTs
	 */
	Failures send(WebClient client, String url, String idPrefix) {
		Map<String, Throwable> failures = new HashMap<>();
		for (int burst = 0; burst < this.bursts; burst++) {
			if (burst > 0) {
				// the pause is the scenario: close to the upstream's keep-alive timeout
				Mono.delay(this.pauses.get((burst - 1) % this.pauses.size())).block();
			}
			failures.putAll(
					Burst.failuresById(client, HttpMethod.POST, url, this.burstSize, idPrefix + burst + "-", false));
		}
		return new Failures(this.requests(), failures);
	}

	/**
	 * POSTs that failed, of all the bursts sent.
	 * @param requests how many POSTs were sent
	 * @param byId each failure by its request's id
	 */
	record Failures(int requests, Map<String, Throwable> byId) {

		Failures {
			byId = Map.copyOf(byId);
		}

		/**
		 * Ids of the failed POSTs.
		 * @return the ids
		 */
		Set<String> ids() {
			return this.byId.keySet();
		}

		/**
		 * Failures counted by Steady's failure class, as retry decides on them.
		 * @return the counts by class tag
		 */
		Map<String, Integer> byCause() {
			return count((failure) -> FailureClassifier.classify(failure).tag());
		}

		/**
		 * Failures counted by their innermost cause's type and message, object ids and numbers
		 * left out, as a user reads them:
		 * {@code PrematureCloseException: Connection prematurely closed BEFORE response}.
		 * @return the counts by description
		 */
		Map<String, Integer> byType() {
			return count(Failures::describe);
		}

		private Map<String, Integer> count(Function<Throwable, String> key) {
			Map<String, Integer> counts = new TreeMap<>();
			this.byId.values().forEach((failure) -> counts.merge(key.apply(failure), 1, Integer::sum));
			return counts;
		}

		private static String describe(Throwable failure) {
			Throwable innermost = failure;
			for (int depth = 0; innermost.getCause() != null && innermost.getCause() != innermost && depth < 32;
					depth++) {
				innermost = innermost.getCause();
			}
			String message = (innermost.getMessage() != null)
					? innermost.getMessage().replaceAll("@\\p{XDigit}+", "").replaceAll("\\d{2,}", "#") : "";
			return innermost.getClass().getSimpleName() + ": " + message;
		}

	}

}
