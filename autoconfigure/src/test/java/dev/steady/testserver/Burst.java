package dev.steady.testserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Fires concurrent requests at once and collects what failed.
 */
public final class Burst {

	private static final Duration CEILING = Duration.ofSeconds(60);

	private static final AtomicInteger BURSTS = new AtomicInteger();

	private Burst() {
	}

	/**
	 * Send {@code count} requests at once and wait for all of them.
	 * @param client the client to send them with
	 * @param method GET or POST (a POST carries a small body)
	 * @param url the URL
	 * @param count how many requests, all in flight together
	 * @return the failures, empty when every request succeeded
	 */
	public static List<Throwable> fire(WebClient client, HttpMethod method, String url, int count) {
		return fire(client, method, url, count, "r" + BURSTS.incrementAndGet() + "-", false);
	}

	/**
	 * Send {@code count} requests at once, each with its own {@link MisbehavingServer#REQUEST_ID}
	 * ({@code idPrefix + index}), and wait for all of them.
	 * @param client the client to send them with
	 * @param method GET or POST (a POST carries a small body)
	 * @param url the URL
	 * @param count how many requests, all in flight together
	 * @param idPrefix prefix of the request ids
	 * @param idempotencyKey whether each request carries an Idempotency-Key header
	 * @return the failures, empty when every request succeeded
	 */
	public static List<Throwable> fire(WebClient client, HttpMethod method, String url, int count, String idPrefix,
			boolean idempotencyKey) {
		return List.copyOf(failuresById(client, method, url, count, idPrefix, idempotencyKey).values());
	}

	/**
	 * Send {@code count} requests at once, each with its own {@link MisbehavingServer#REQUEST_ID}
	 * ({@code idPrefix + index}), wait for all of them, and name the ones that failed.
	 * @param client the client to send them with
	 * @param method GET or POST (a POST carries a small body)
	 * @param url the URL
	 * @param count how many requests, all in flight together
	 * @param idPrefix prefix of the request ids
	 * @param idempotencyKey whether each request carries an Idempotency-Key header
	 * @return the failures by request id, empty when every request succeeded
	 */
	public static Map<String, Throwable> failuresById(WebClient client, HttpMethod method, String url, int count,
			String idPrefix, boolean idempotencyKey) {
		return Flux.range(0, count)
			.flatMap((i) -> failure(client, method, url, idPrefix + i, idempotencyKey), count)
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block(CEILING);
	}

	private static Mono<Map.Entry<String, Throwable>> failure(WebClient client, HttpMethod method, String url,
			String id, boolean idempotencyKey) {
		return send(client, method, url, id, idempotencyKey).flatMap(Mono::justOrEmpty)
			.map((failure) -> Map.entry(id, failure));
	}

	private static Mono<Optional<Throwable>> send(WebClient client, HttpMethod method, String url, String id,
			boolean idempotencyKey) {
		WebClient.RequestBodySpec request = client.method(method).uri(url).header(MisbehavingServer.REQUEST_ID, id);
		if (idempotencyKey) {
			request.header("Idempotency-Key", id);
		}
		if (method == HttpMethod.POST) {
			request.bodyValue("request " + id);
		}
		return request.retrieve()
			.toBodilessEntity()
			.map((response) -> Optional.<Throwable>empty())
			.onErrorResume((ex) -> Mono.just(Optional.of(ex)));
	}

}
